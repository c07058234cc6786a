"""Open data over the public case registry: Open311 GeoReport v2 records, Atom feeds and CSV.

Everything here is built from `registry.PublicCase` / `registry.PublicEvent` fields only, read
through services.complaints.registry (published cases, public-plane columns): no record, feed entry
or cell can carry the reporter's identity, contacts, description or exact location. The HTTP layer
(portal/complaints_api.py) parses nothing itself: it passes the query string to `parse_query`,
calls one of these functions and sends the result.

Translation stays in the portal: functions that need Chinese labels take a `translate` callable
(the zh_CN gettext); the English labels are the catalogue msgids themselves.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice

from feedgen.feed import FeedGenerator
from sqlmodel import Session

from services.complaints import registry
from services.complaints.catalog import (
    NOT_ACCEPTED_REASONS,
    OTHER_UNITS,
    POLLUTION_TYPES,
    STATUS_ZH,
    SUBTYPES,
    TYPE_CODES,
    Finding,
    Status,
)
from services.complaints.intake import normalise_target
from services.complaints.registry import PublicCase, PublicEvent
from services.core import geography
from services.core.clock import BEIJING, utcnow
from services.core.messages import N_, UserFacingError

Translate = Callable[[str], str]

CITY_BUREAU = "贵阳市生态环境局"
PORTAL_NAME_ZH = "贵阳市生态环境公众服务门户"
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = registry.PER_PAGE_MAX  # 200
IDS_MAX = PAGE_SIZE_MAX  # service_request_id values in one query
CSV_MAX_ROWS = 50_000
FEED_ENTRIES = 50
CASE_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,24}$")
# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheets
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# characters XML 1.0 does not allow (lxml refuses them): dropped from feed text
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CSV_COLUMNS = (
    "number", "filed_on", "status", "status_zh", "types", "district", "district_zh", "target",
    "public_location", "summary", "acceptance_due", "decided_on", "closure_due", "closed_on",
    "finding", "overdue", "outcome",
)  # fmt: skip
# detailed statuses an export may filter on: the registry's own plus the Open311 pair
EXPORT_STATUSES = frozenset({"open", "closed", "overdue"} | {s.value for s in Status}) - {
    Status.SUBMITTED.value
}
FINDING_ZH = {
    Finding.SUBSTANTIATED: "属实",
    Finding.PARTLY: "部分属实",
    Finding.UNSUBSTANTIATED: "不属实",
}
# the public timeline, in the registry's words (Chinese-first, like STATUS_ZH)
ACTION_ZH = {
    "moderate": "审核公开",
    "accept": "受理",
    "not_accept": "不予受理",
    "mark_duplicate": "重复举报",
    "transfer": "转办",
    "object_transfer": "转办退回",
    "take_up": "办理",
    "site_check": "现场检查",
    "approve_extension": "延期办理",
    "close": "办结",
    "request_review": "申请复查",
    "answer_review": "复查答复",
    "request_re_review": "申请复核",
    "answer_re_review": "复核答复",
    "escalate": "督办",
}


class BadParameter(UserFacingError):
    pass


# --- CSV cells ---------------------------------------------------------------------------------


def neutralise_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
    injection guidance); other text and non-text values (numbers, booleans) are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- labels ------------------------------------------------------------------------------------


def _type_labels(code: str) -> tuple[str, str]:
    """The English labels (catalogue msgids) of a type code's main type and sub-type."""
    main, _, sub = code.partition(".")
    return POLLUTION_TYPES.get(main, main), SUBTYPES.get(main, {}).get(sub, sub)


def service_name(code: str, translate: Translate | None = None) -> str:
    """The service's name, like "Air: Odour" (or, with a translate function, its translation)."""
    group, sub = _type_labels(code)
    if translate is None:
        return f"{group}: {sub}"
    return translate(N_("{type}: {subtype}")).format(type=translate(group), subtype=translate(sub))


def district_name_zh(key: str) -> str:
    district = geography.district_by_key(key)
    return district.name_zh if district is not None else key


def district_bureau(key: str) -> str | None:
    """贵阳市生态环境局XX分局 for one of the ten districts and counties; None for 贵安新区 (not a
    branch of the city bureau) and for an unknown key."""
    district = geography.district_by_key(key)
    if district is None or district.key == geography.GUIAN_KEY:
        return None
    name = district.name_zh
    return f"{CITY_BUREAU}{name[:-1] if name[-1:] in '区县市' else name}分局"


def agency_responsible(case: PublicCase) -> str:
    """The bureau of the case's district, or the city bureau."""
    return district_bureau(case.district_code) or CITY_BUREAU


def _aware(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back naive."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _beijing_iso(moment: datetime) -> str:
    return _aware(moment).astimezone(BEIJING).isoformat(timespec="seconds")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BEIJING)


def _day_end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=BEIJING)


# --- Open311 GeoReport v2 ----------------------------------------------------------------------


def open311_services(translate_zh: Translate) -> list[dict[str, object]]:
    """GET services: one service per pollution sub-type."""
    services = []
    for code in TYPE_CODES:
        main, sub = code.split(".")
        group, label = _type_labels(code)
        services.append({
            "service_code": code,
            "service_name": service_name(code),
            "description": f"Environmental complaint (12369) to the Guiyang Ecology and "
                           f"Environment Bureau: {group} - {label}",
            "metadata": False,
            "type": "realtime",
            "keywords": ",".join(dict.fromkeys(["environment", "12369", main, sub])),
            "group": group,
            "service_name_zh": service_name(code, translate_zh),
        })  # fmt: skip
    return services


def open311_request(case: PublicCase) -> dict[str, object]:
    """GET requests: one case as an Open311 service request (extensions after `media_url`)."""
    code = case.types[0] if case.types else ""
    return {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": _status_notes(case),
        "service_name": service_name(code) if code else "",
        "service_code": code,
        "description": case.summary,
        "agency_responsible": agency_responsible(case),
        "service_notice": "",
        "requested_datetime": _day_start(case.filed_on).isoformat(),  # only the date is public
        "updated_datetime": _beijing_iso(case.updated_at),
        "expected_datetime": (
            _day_end(case.current_due).isoformat() if case.current_due is not None else None
        ),
        "address": case.location,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": None,
        # extensions
        "status_zh": case.status_zh,
        "status_detail": case.status,
        "service_codes": list(case.types),
        "district": case.district_code,
        "overdue": case.overdue,
        "extended_days": case.extension_days,
    }


def _status_notes(case: PublicCase) -> str:
    if case.is_open:
        return ""
    if case.outcome:
        return case.outcome
    # 不予受理 has no outcome text: its catalogue reason says where to go instead
    return NOT_ACCEPTED_REASONS.get(case.not_accepted_reason, "")


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A parsed open-data query (Open311 parameters, our extensions, the export's)."""

    numbers: tuple[str, ...] = ()
    service_codes: frozenset[str] = frozenset()
    start: date | None = None  # filed on or after (Beijing day)
    end: date | None = None  # filed on or before
    status: str | None = None  # "open", "closed", "overdue" or a Status value
    district: str | None = None
    main_type: str | None = None
    target: str | None = None  # normalised target key
    text: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT

    def filters(self) -> registry.Filters:
        main_types = {code.split(".")[0] for code in self.service_codes}
        main_type = self.main_type or (main_types.pop() if len(main_types) == 1 else None)
        year = (
            self.start.year
            if self.start and self.end and self.start.year == self.end.year
            else None
        )
        return registry.Filters(
            text=self.text,
            district=self.district,
            main_type=main_type,
            status=None if self.status == "closed" else self.status,
            target=self.target,
            year=year,
        )

    @property
    def filtered_here(self) -> bool:
        """Conditions the registry cannot express, checked case by case (`matches`)."""
        return bool(
            self.numbers or self.service_codes or self.start or self.end or self.status == "closed"
        )

    def matches(self, case: PublicCase) -> bool:
        if self.service_codes and not self.service_codes.intersection(case.types):
            return False
        if self.start is not None and case.filed_on < self.start:
            return False
        if self.end is not None and case.filed_on > self.end:
            return False
        return not (self.status == "closed" and case.is_open)


def parse_query(params: Mapping[str, str], *, export: bool = False) -> Query:
    """The query string of requests.json (or, with `export`, of the CSV export and its `q` and
    detailed `status`). Raises BadParameter with a msgid naming the parameter."""

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    numbers = tuple(dict.fromkeys(n.strip() for n in text("service_request_id").split(",")
                                  if n.strip()))  # fmt: skip
    if len(numbers) > IDS_MAX:
        raise BadParameter(N_("Ask for at most {count} service_request_id values at a time."),
                           count=IDS_MAX)  # fmt: skip
    for number in numbers:
        if not CASE_NUMBER.match(number):
            raise BadParameter(N_("Not a case number: {value}."), value=number[:40])
    codes = frozenset(c.strip() for c in text("service_code").split(",") if c.strip())
    for code in codes:
        if code not in TYPE_CODES:
            raise BadParameter(N_("Unknown service_code: {value}."), value=code[:40])
    start = _day(text("start_date"), "start_date")
    end = _day(text("end_date"), "end_date")
    if start is not None and end is not None and end < start:
        raise BadParameter(N_("'end_date' must not be before 'start_date'."))
    return Query(
        numbers=numbers,
        service_codes=codes,
        start=start,
        end=end,
        status=_status(text("status"), export=export),
        district=_district(text("district")),
        text=text("q")[:60] if export else "",
        page=_whole(text("page"), "page", default=1, low=1, high=100_000),
        page_size=_whole(
            text("page_size"), "page_size", default=PAGE_SIZE_DEFAULT, low=1, high=PAGE_SIZE_MAX
        ),
    )


def parse_feed_query(params: Mapping[str, str]) -> Query:
    """The feed's filters: `district`, `type` (a main type) and `target` (matched normalised)."""
    main_type = (params.get("type") or "").strip() or None
    if main_type is not None and main_type not in POLLUTION_TYPES:
        raise BadParameter(N_("Unknown type: {value}."), value=main_type[:40])
    target_text = (params.get("target") or "").strip()
    target = normalise_target(target_text) if target_text else None
    if target_text and not target:
        raise BadParameter(N_("The target must contain letters or digits."))
    return Query(
        district=_district((params.get("district") or "").strip()),
        main_type=main_type,
        target=target,
        page_size=FEED_ENTRIES,
    )


def _day(text: str, name: str) -> date | None:
    """An ISO 8601 date or date-time (Open311 sends `2026-03-01T00:00:00+08:00`) as the Beijing
    day it falls on: only filing dates are published, so the filter works on whole days."""
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadParameter(N_("{name} must be a date like 2026-03-01."), name=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING).date()


def _status(text: str, *, export: bool) -> str | None:
    if not text:
        return None
    if export:
        if text not in EXPORT_STATUSES:
            raise BadParameter(N_("Unknown status: {value}."), value=text[:40])
        return text
    wanted = {s.strip() for s in text.split(",") if s.strip()}  # Open311: comma-delimited
    if not wanted <= {"open", "closed"}:
        raise BadParameter(N_("status must be open or closed."))
    return wanted.pop() if len(wanted) == 1 else None


def _district(key: str) -> str | None:
    if not key:
        return None
    if geography.district_by_key(key) is None:
        raise BadParameter(N_("Unknown district: {value}."), value=key[:40])
    return key


def _whole(text: str, name: str, *, default: int, low: int, high: int) -> int:
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadParameter(N_("{name} must be a whole number from {low} to {high}."),
                           name=name, low=low, high=high)  # fmt: skip
    return int(text)


def _scan(session: Session, query: Query) -> Iterator[PublicCase]:
    """Every matching published case, newest filed first."""
    if query.numbers:  # Open311: service_request_id overrides the other parameters
        for number in query.numbers:
            case = registry.get(session, number)
            if case is not None:
                yield case
        return
    filters, page = query.filters(), 1
    while True:
        cases, _ = registry.search(
            session, filters, page=page, per_page=PAGE_SIZE_MAX, with_total=False
        )
        for case in cases:
            if query.start is not None and case.filed_on < query.start:
                return  # newest first: nothing further on was filed in the range
            if query.matches(case):
                yield case
        if len(cases) < PAGE_SIZE_MAX:
            return
        page += 1


def find(session: Session, query: Query) -> list[PublicCase]:
    """One page (query.page, query.page_size) of matching published cases, newest filed first."""
    if not query.filtered_here:
        cases, _ = registry.search(session, query.filters(), page=query.page,
                                   per_page=query.page_size, with_total=False)  # fmt: skip
        return cases
    skip = (query.page - 1) * query.page_size
    return list(islice(_scan(session, query), skip, skip + query.page_size))


def export(
    session: Session, query: Query, *, limit: int = CSV_MAX_ROWS
) -> tuple[list[PublicCase], bool]:
    """Every matching case up to `limit`, and whether more were left out."""
    cases = list(islice(_scan(session, query), limit + 1))
    return cases[:limit], len(cases) > limit


# --- CSV ---------------------------------------------------------------------------------------


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def csv_row(case: PublicCase) -> dict[str, object]:
    return {
        "number": case.number,
        "filed_on": _iso(case.filed_on),
        "status": case.status,
        "status_zh": case.status_zh,
        "types": ",".join(case.types),
        "district": case.district_code,
        "district_zh": district_name_zh(case.district_code),
        "target": case.target_name,
        "public_location": case.location,
        "summary": case.summary,
        "acceptance_due": _iso(case.acceptance_due),
        "decided_on": _iso(case.decided_on),
        "closure_due": _iso(case.closure_due),
        "closed_on": _iso(case.closed_on),
        "finding": case.finding,
        "overdue": "true" if case.overdue else "false",
        "outcome": case.outcome,
    }


def csv_bytes(cases: Iterable[PublicCase]) -> bytes:
    """The CSV export, every cell neutralised against formula injection.

    UTF-8 with a byte-order mark: without it Excel reads a CSV in the system code page and shows
    the Chinese text as mojibake.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for case in cases:
        writer.writerow({k: neutralise_cell(v) for k, v in csv_row(case).items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Atom feeds --------------------------------------------------------------------------------


def case_url(base_url: str, number: str) -> str:
    return f"{base_url.rstrip('/')}/complaints?case={number}"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _feed(*, feed_id: str, feed_url: str, alternate: str, title: str, subtitle: str,
          updated: datetime) -> FeedGenerator:  # fmt: skip
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(_xml(title))
    feed.subtitle(_xml(subtitle))
    feed.author({"name": PORTAL_NAME_ZH})
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.link(href=alternate, rel="alternate", type="text/html")
    feed.language("zh-CN")
    feed.updated(updated)
    return feed


def cases_feed(
    cases: list[PublicCase], *, base_url: str, feed_url: str, query: Query, translate: Translate
) -> bytes:
    """The newest published cases (at most FEED_ENTRIES), one entry per case.

    The feed's id is its URL (the path and the filters that define it), so it stays the same
    from one fetch to the next; an entry's id is its case page.
    """
    parts = ["贵阳市生态环境投诉公开登记"]
    if query.district:
        parts.append(district_name_zh(query.district))
    if query.main_type:
        parts.append(translate(POLLUTION_TYPES[query.main_type]))
    updated = max((_aware(c.updated_at) for c in cases), default=utcnow())
    feed = _feed(
        feed_id=feed_url,
        feed_url=feed_url,
        alternate=f"{base_url.rstrip('/')}/complaints",
        title=" · ".join(parts),
        subtitle="Guiyang environmental complaints: the newest published cases",
        updated=updated,
    )
    for case in cases[:FEED_ENTRIES]:
        link = case_url(base_url, case.number)
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.title(_xml(f"{case.number} · {case.status_zh} · "
                         f"{district_name_zh(case.district_code)}"))  # fmt: skip
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(_day_start(case.filed_on))
        entry.updated(_aware(case.updated_at))
        body = "\n\n".join(t for t in (case.summary, case.outcome) if t)
        entry.content(_xml(body or case.number), type="text")
        for code in case.types:
            entry.category(term=code, label=service_name(code))
    return feed.atom_str(pretty=True)


def case_feed(
    case: PublicCase, events: list[PublicEvent], *, base_url: str, feed_url: str,
    translate: Translate,
) -> bytes:  # fmt: skip
    """One case's public timeline, one entry per event, newest first (at most FEED_ENTRIES)."""
    link = case_url(base_url, case.number)
    feed = _feed(
        feed_id=feed_url,
        feed_url=feed_url,
        alternate=link,
        title=f"{case.number} · {case.status_zh} · {district_name_zh(case.district_code)}",
        subtitle=f"Public timeline of complaint {case.number}",
        updated=max([_aware(case.updated_at), *(_aware(e.at) for e in events)]),
    )
    numbered = list(enumerate(events, start=1))
    for index, event in list(reversed(numbered))[:FEED_ENTRIES]:
        entry = feed.add_entry(order="append")
        entry.id(f"{feed_url}#event-{index}")  # the timeline is append-only: stable ids
        words = (case.number, _status_zh(event.status), ACTION_ZH.get(event.action, event.action))
        entry.title(_xml(" · ".join(w for w in words if w)))
        entry.link(href=link, rel="alternate", type="text/html")
        entry.updated(_aware(event.at))
        body = "\n\n".join(t for t in (_reason_text(event, translate), event.note) if t)
        entry.content(_xml(body or case.summary or case.number), type="text")
    return feed.atom_str(pretty=True)


def _status_zh(code: str) -> str:
    try:
        return STATUS_ZH[Status(code)]
    except ValueError:
        return code


def _reason_text(event: PublicEvent, translate: Translate) -> str:
    """An event's catalogue reason in words (a unit, a finding, a reason, a number of days)."""
    reason = event.reason
    if not reason:
        return ""
    if event.action == "transfer":
        if reason in OTHER_UNITS:
            return translate(OTHER_UNITS[reason])
        return district_bureau(reason) or district_name_zh(reason)
    if event.action == "close" and reason in set(Finding):
        return f"核查结论：{FINDING_ZH[Finding(reason)]}"
    if event.action in ("not_accept", "mark_duplicate") and reason in NOT_ACCEPTED_REASONS:
        return translate(NOT_ACCEPTED_REASONS[reason])
    if event.action == "approve_extension" and reason.isdigit():
        return f"延期 {reason} 日"
    if event.action == "escalate":
        return "同一对象多次被投诉，已督办"
    return ""

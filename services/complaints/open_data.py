"""Open data over the public case registry: Open311 GeoReport v2 records, Atom feeds and CSV.

Everything here is built from `registry.PublicCase` / `registry.PublicEvent` fields only, read
through services.complaints.registry (published cases, public-plane columns): no record, feed entry
or cell can carry the reporter's identity, contacts, description, exact location or own wording of
the target (the target is the moderated `public_target`, and the feed's `target` filter matches it,
never the reporter's wording). The endpoints
are declared here on the open-data layer (services/shared/open_data.py); portal/complaints/routes.py
serves them through portal/kit/http.py, which parses the request against the declaration, calls
one of the handlers below (`requests_rows`, `request_rows`, `export_rows`, `cases_feed_document`,
`case_feed_document`) and renders what it returns.

Translation stays in the portal: functions that need Chinese labels take a `translate` callable
(the zh_CN gettext); the English labels are the catalogue msgids themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from typing import Any
from urllib.parse import urlencode

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
from services.core.messages import N_
from services.shared import open_data as layer
from services.shared.open_data import BadRequest, Endpoint, Param, Row, Span

Translate = Callable[[str], str]

CITY_BUREAU = "贵阳市生态环境局"
PORTAL_NAME_ZH = "贵阳市生态环境公众服务门户"
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = registry.PER_PAGE_MAX  # 200
IDS_MAX = PAGE_SIZE_MAX  # service_request_id values in one query
CSV_MAX_ROWS = 50_000
FEED_ENTRIES = 50
CASE_NUMBER = r"[A-Za-z0-9-]{1,24}"
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
        "target": case.target,
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
    target: str | None = None  # normalised public target (matched exactly in `matches`)
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
            or self.target
        )  # fmt: skip

    def matches(self, case: PublicCase) -> bool:
        if self.service_codes and not self.service_codes.intersection(case.types):
            return False
        if self.start is not None and case.filed_on < self.start:
            return False
        if self.end is not None and case.filed_on > self.end:
            return False
        if self.target and not registry.matches_target(case, self.target):
            return False
        return not (self.status == "closed" and case.is_open)


def _district_keys() -> list[str]:
    return [d.key for d in geography.districts()]


# --- the endpoints -----------------------------------------------------------------------------

NUMBERS = Param(
    "service_request_id",
    "Case numbers, comma-separated; they override the filters",
    many=True,
    max_items=IDS_MAX,
    pattern=CASE_NUMBER,
    arg="numbers",
    invalid=N_("Not a case number: {value}."),
    too_many=N_("Ask for at most {count} service_request_id values at a time."),
)
SERVICE_CODES = Param(
    "service_code",
    "Service codes, comma-separated: any of a case's types",
    kind="choice",
    many=True,
    choices=TYPE_CODES,
    arg="service_codes",
    invalid=N_("Unknown service_code: {value}."),
)
START = Param(
    "start_date",
    "Filed on or after: a date, or a date-time taken as its Beijing day",
    kind="date",
    times=True,
    arg="start",
)
END = Param(
    "end_date",
    "Filed on or before: a date, or a date-time taken as its Beijing day",
    kind="date",
    times=True,
    arg="end",
)
FILED = Span("start_date", "end_date", order=N_("'end_date' must not be before 'start_date'."))
DISTRICT = Param(
    "district",
    "District or county code, like 520102",
    kind="choice",
    choices=_district_keys,
    invalid=N_("Unknown district: {value}."),
)
OPEN_OR_CLOSED = Param(
    "status",
    "open or closed (comma-separated: both)",
    kind="choice",
    many=True,
    choices=("open", "closed"),
    invalid=N_("status must be open or closed."),
)
PAGE = Param("page", "Page number", kind="integer", low=1, high=100_000, default=1)
PAGE_SIZE = Param(
    "page_size",
    "Requests on a page",
    kind="integer",
    low=1,
    high=PAGE_SIZE_MAX,
    default=PAGE_SIZE_DEFAULT,
)
EXPORT_STATUS = Param(
    "status",
    "open, closed, overdue or a detailed status",
    kind="choice",
    choices=EXPORT_STATUSES,
    invalid=N_("Unknown status: {value}."),
)
TEXT = Param("q", "Words in the public summary, target or place", max_length=60, arg="text")
MAIN_TYPE = Param(
    "type",
    "Pollution type, like air",
    kind="choice",
    choices=POLLUTION_TYPES,
    arg="main_type",
    invalid=N_("Unknown type: {value}."),
)
TARGET = Param("target", "The target's published name (matched normalised)")
NUMBER = Param("number", "Case number", in_path=True, required=True)
NO_CASE = N_("No published case has this number.")
OPEN311_ONLY_JSON = N_(
    "Not found. This server answers GeoReport v2 in JSON only: services.json, requests.json and "
    "requests/<number>.json."
)

SERVICES = Endpoint("/open311/v2/services.json", "Open311 GeoReport v2 services: one per "
                    "pollution sub-type", formats=("open311",), errors="open311")  # fmt: skip
REQUESTS = Endpoint(
    "/open311/v2/requests.json",
    "Published cases as Open311 requests (generalised point, moderated summary)",
    params=(NUMBERS, SERVICE_CODES, START, END, OPEN_OR_CLOSED, DISTRICT, PAGE, PAGE_SIZE),
    spans=(FILED,),
    formats=("open311",),
    errors="open311",
)
REQUEST = Endpoint("/open311/v2/requests/{number}.json", "One published case (in a list)",
                   params=(NUMBER,), formats=("open311",), errors="open311",
                   not_found=NO_CASE)  # fmt: skip
OPEN311_OTHER = Endpoint("/open311/v2/{rest:path}", "Anything else under /open311/v2/ (XML "
                         "included): an Open311 404", formats=("open311",), errors="open311",
                         not_found=OPEN311_ONLY_JSON)  # fmt: skip
CASES_FEED = Endpoint("/feeds/complaints.atom", "Atom feed of the newest published cases",
                      params=(DISTRICT, MAIN_TYPE, TARGET), formats=("atom",))  # fmt: skip
CASE_FEED = Endpoint("/feeds/complaints/{number}.atom", "Atom feed of one case's public timeline",
                     params=(NUMBER,), formats=("atom",), not_found=NO_CASE)  # fmt: skip
EXPORT = Endpoint(
    "/api/v1/complaints.csv",
    f"CSV of published cases (at most {CSV_MAX_ROWS:,} rows)",
    params=(NUMBERS, SERVICE_CODES, START, END, EXPORT_STATUS, DISTRICT, TEXT),
    spans=(FILED,),
    formats=("csv",),
    name="complaints",
    columns=CSV_COLUMNS,
    max_rows=CSV_MAX_ROWS,
)


def requests_query(
    *, numbers: tuple[str, ...], service_codes: tuple[str, ...], start: date | None,
    end: date | None, status: tuple[str, ...], district: str | None, page: int, page_size: int,
) -> Query:  # fmt: skip
    """The query of requests.json (Open311's `status` is open, closed or both)."""
    return Query(numbers=numbers, service_codes=frozenset(service_codes), start=start, end=end,
                 status=status[0] if len(status) == 1 else None, district=district, page=page,
                 page_size=page_size)  # fmt: skip


def export_query(
    *, numbers: tuple[str, ...], service_codes: tuple[str, ...], start: date | None,
    end: date | None, status: str | None, district: str | None, text: str | None,
) -> Query:  # fmt: skip
    """The query of the CSV export: the requests.json filters, `q` and a detailed `status`."""
    return Query(numbers=numbers, service_codes=frozenset(service_codes), start=start, end=end,
                 status=status, district=district, text=text or "")  # fmt: skip


def feed_query(*, district: str | None, main_type: str | None, target: str | None) -> Query:
    """The feed's filters: `district`, `type` (a main type) and `target` (matched normalised)."""
    key = normalise_target(target) if target else None
    if target and not key:
        raise BadRequest(N_("The target must contain letters or digits."))
    return Query(district=district, main_type=main_type, target=key, page_size=FEED_ENTRIES)


def parse_query(params: Mapping[str, str], *, export: bool = False) -> Query:
    """The query string of requests.json (or, with `export`, of the CSV export). Raises
    BadRequest with a msgid naming the parameter."""
    if export:
        return export_query(**EXPORT.parse(params))
    return requests_query(**REQUESTS.parse(params))


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


# --- handlers (portal/complaints/routes.py) ---------------------------------------------------


def requests_rows(session: Session, **values: Any) -> list[Row]:
    """GET requests.json: one page of matching cases as Open311 requests."""
    return [open311_request(c) for c in find(session, requests_query(**values))]


def request_rows(session: Session, *, number: str) -> list[Row] | None:
    """GET requests/{number}.json: the case in a list (Open311's shape), None if not published."""
    case = registry.get(session, number)
    return None if case is None else [open311_request(case)]


def export_rows(session: Session, **values: Any) -> list[Row]:
    """The CSV export's rows: every match up to one more than CSV_MAX_ROWS, so the HTTP layer can
    tell that the export was cut (`Endpoint.max_rows`)."""
    cases = islice(_scan(session, export_query(**values)), CSV_MAX_ROWS + 1)
    return [csv_row(c) for c in cases]


def cases_feed_document(
    session: Session, *, district: str | None, main_type: str | None, target: str | None,
    base_url: str, url: str, translate: Translate,
) -> bytes:  # fmt: skip
    """The newest published cases as Atom; `url` is the feed's address without its query."""
    query = feed_query(district=district, main_type=main_type, target=target)
    return cases_feed(find(session, query), base_url=base_url, feed_url=feed_url(url, query),
                      query=query, translate=translate)  # fmt: skip


def case_feed_document(
    session: Session, *, number: str, base_url: str, url: str, translate: Translate
) -> bytes | None:
    """One case's public timeline as Atom, None if the case is not published."""
    case = registry.get(session, number)
    if case is None:
        return None
    events = registry.timeline(session, case)
    return case_feed(case, events, base_url=base_url, feed_url=url, translate=translate)


def feed_url(url: str, query: Query) -> str:
    """The feed's own URL with its filters in a fixed order (and the target normalised), so the
    same feed keeps the same id however its query string was written."""
    filters = {"district": query.district, "type": query.main_type, "target": query.target}
    params = urlencode({k: v for k, v in filters.items() if v})
    return f"{url}?{params}" if params else url


# --- CSV ---------------------------------------------------------------------------------------


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def csv_row(case: PublicCase) -> Row:
    return {
        "number": case.number,
        "filed_on": _iso(case.filed_on),
        "status": case.status,
        "status_zh": case.status_zh,
        "types": ",".join(case.types),
        "district": case.district_code,
        "district_zh": district_name_zh(case.district_code),
        "target": case.target,
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
    """The CSV export of these cases (services/shared/open_data.py: BOM, formula-safe cells)."""
    return layer.csv_bytes((csv_row(c) for c in cases), columns=CSV_COLUMNS)


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
        target = f"投诉对象：{case.target}" if case.target else ""
        body = "\n\n".join(t for t in (target, case.summary, case.outcome) if t)
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

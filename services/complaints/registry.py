"""The public case registry (the NGO view): the only way public code reads complaints.

Everything here selects public-plane columns only (`PUBLIC_COLUMNS`) of published cases. It never
touches the reporter's identity, contacts, description, exact location, messages, private notes or
evidence originals, so pages, the API, feeds and exports built on it cannot leak them. The target
too is the moderated one (`public_target`), never the reporter's wording (`target_name`) nor its
key (`target_key`, which links repeat complaints on the staff side): search and the target filter
match the public target only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Integer, and_, case, func, or_
from sqlmodel import Session, col, select

from services.complaints.catalog import OPEN, STATUS_ZH, Rating, Status
from services.complaints.intake import normalise_target
from services.complaints.model import ComplaintCase, ComplaintEvent
from services.complaints.workflow import today

C = ComplaintCase
PUBLIC_COLUMNS = (
    C.id, C.number, C.status, C.channel, C.types, C.district_code, C.public_target,
    C.public_summary, C.public_location, C.public_lat, C.public_lon, C.public_outcome,
    C.remediation, C.filed_on, C.acceptance_due, C.decided_on, C.accepted_on, C.closure_due,
    C.extension_days, C.closed_on, C.review_due, C.current_due, C.provisional_due, C.finding,
    C.not_accepted_reason, C.duplicate_of_id, C.escalated, C.rating, C.updated_at,
)  # fmt: skip
# events shown on the public timeline, with only their public fields
PUBLIC_ACTIONS = (
    "moderate", "accept", "not_accept", "mark_duplicate", "transfer", "object_transfer",
    "take_up", "site_check", "approve_extension", "close", "request_review", "answer_review",
    "request_re_review", "answer_re_review", "escalate",
)  # fmt: skip
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class PublicCase:
    id: int
    number: str
    status: str
    channel: str
    types: tuple[str, ...]
    district_code: str
    target: str  # the moderated public target ("" when none is published)
    summary: str
    location: str
    lat: float | None
    lon: float | None
    outcome: str
    remediation: str
    filed_on: date
    acceptance_due: date
    decided_on: date | None
    accepted_on: date | None
    closure_due: date | None
    extension_days: int
    closed_on: date | None
    review_due: date | None
    current_due: date | None
    provisional_due: bool
    finding: str
    not_accepted_reason: str
    duplicate_of_id: int | None
    escalated: bool
    rating: str
    updated_at: datetime

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[Status(self.status)]

    @property
    def is_open(self) -> bool:
        return Status(self.status) in OPEN

    def overdue_on(self, day: date) -> bool:
        return self.current_due is not None and day > self.current_due

    @property
    def overdue(self) -> bool:
        return self.overdue_on(today())


def _public(row) -> PublicCase:
    values = dict(row._mapping)
    return PublicCase(
        id=values["id"],
        number=values["number"],
        status=values["status"],
        channel=values["channel"],
        types=tuple(t for t in values["types"].split(",") if t),
        district_code=values["district_code"],
        target=values["public_target"],
        summary=values["public_summary"],
        location=values["public_location"],
        lat=values["public_lat"],
        lon=values["public_lon"],
        outcome=values["public_outcome"],
        remediation=values["remediation"],
        **{k: values[k] for k in (
            "filed_on", "acceptance_due", "decided_on", "accepted_on", "closure_due",
            "extension_days", "closed_on", "review_due", "current_due", "provisional_due",
            "finding", "not_accepted_reason", "duplicate_of_id", "escalated", "rating",
            "updated_at",
        )},
    )  # fmt: skip


@dataclass(frozen=True)
class Filters:
    text: str = ""
    district: str | None = None
    main_type: str | None = None  # "air", "water", ...
    status: str | None = None  # a Status value, or "open" / "overdue"
    target: str | None = None  # a normalised public target (intake.normalise_target)
    year: int | None = None


def _where(filters: Filters, on: date):
    conditions = [col(C.published).is_(True)]
    if filters.text.strip():
        like = f"%{filters.text.strip()[:60]}%"
        conditions.append(or_(
            col(C.number).ilike(like), col(C.public_target).ilike(like),
            col(C.public_summary).ilike(like), col(C.public_location).ilike(like),
        ))  # fmt: skip
    if filters.district:
        conditions.append(C.district_code == filters.district)
    if filters.main_type:
        conditions.append(col(C.types).contains(f"{filters.main_type}."))
    if filters.target:
        conditions.append(col(C.public_target).ilike(target_pattern(filters.target), escape="\\"))
    if filters.year:
        conditions.append(and_(C.filed_on >= date(filters.year, 1, 1),
                               C.filed_on <= date(filters.year, 12, 31)))  # fmt: skip
    if filters.status == "open":
        conditions.append(col(C.status).in_([s.value for s in OPEN]))
    elif filters.status == "overdue":
        conditions.append(col(C.status).in_([s.value for s in OPEN]))
        conditions.append(col(C.current_due) < on)
    elif filters.status:
        conditions.append(C.status == filters.status)
    return and_(*conditions)


def target_pattern(key: str) -> str:
    """A LIKE pattern every public target whose normalised form is `key` matches (the target is
    stored NFKC, services.complaints.workflow): the key's uncased and ASCII characters in order
    (matched with ILIKE), anything between. A superset: `matches_target` then compares exactly."""
    kept = [c for c in key if c.isascii() or c.lower() == c.upper()]
    escaped = [c.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for c in kept]
    return "%" + "%".join(escaped) + "%" if escaped else "%"


def matches_target(case: PublicCase, key: str) -> bool:
    return normalise_target(case.target) == key


def version(session: Session) -> tuple[int, str]:
    """Changes whenever a case is added or changed: the cache key for public pages.

    Two index look-ups (cases are never deleted, and every change bumps `updated_at`). Each
    maximum is its own subquery: SQLite reads a lone max() from the end of an index, but with
    two aggregates in one SELECT it scans the whole table, so the cost grew with the cases.
    """
    newest = select(func.max(C.id)).scalar_subquery()
    latest = select(func.max(C.updated_at)).scalar_subquery()
    newest, latest = session.exec(select(newest, latest)).one()
    return int(newest or 0), str(latest)


def search(
    session: Session, filters: Filters = Filters(), *, page: int = 1, per_page: int = 50,
    with_total: bool = True,
) -> tuple[list[PublicCase], int | None]:  # fmt: skip
    """One page of published cases, newest first, and the number of matches (when asked)."""
    per_page = max(1, min(per_page, PER_PAGE_MAX))
    where = _where(filters, today())
    total = (
        session.exec(select(func.count()).select_from(C).where(where)).one() if with_total else None
    )
    rows = session.exec(
        select(*PUBLIC_COLUMNS).where(where)
        .order_by(col(C.filed_on).desc(), col(C.id).desc())
        .offset((max(page, 1) - 1) * per_page).limit(per_page)
    ).all()  # fmt: skip
    return [_public(r) for r in rows], total


def get(session: Session, number: str) -> PublicCase | None:
    row = session.exec(
        select(*PUBLIC_COLUMNS).where(C.number == number.strip(), col(C.published).is_(True))
    ).first()
    return _public(row) if row is not None else None


def number_of(session: Session, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    return session.exec(select(C.number).where(C.id == case_id, col(C.published).is_(True))).first()


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    action: str
    status: str
    reason: str
    note: str  # the moderated public note, if any


def timeline(session: Session, case: PublicCase) -> list[PublicEvent]:
    rows = session.exec(
        select(ComplaintEvent.at, ComplaintEvent.action, ComplaintEvent.to_status,
               ComplaintEvent.reason, ComplaintEvent.public_note)
        .where(ComplaintEvent.case_id == case.id,
               col(ComplaintEvent.action).in_(PUBLIC_ACTIONS))
        .order_by(col(ComplaintEvent.at), col(ComplaintEvent.id))
    ).all()  # fmt: skip
    # reasons are catalogue codes (or, for a transfer, the receiving unit): public information
    return [PublicEvent(*row) for row in rows]


def public_frame(session: Session, filters: Filters = Filters()) -> pd.DataFrame:
    """Every matching published case's public columns (statistics, maps and exports)."""
    rows = session.exec(select(*PUBLIC_COLUMNS).where(_where(filters, today()))).all()
    return pd.DataFrame([dict(r._mapping) for r in rows], columns=[c.key for c in PUBLIC_COLUMNS])


def district_counts(session: Session) -> pd.DataFrame:
    """Published cases per district: all, open and overdue (the map)."""
    on = today()
    open_statuses = [s.value for s in OPEN]
    is_open = col(C.status).in_(open_statuses)
    rows = session.exec(
        select(
            C.district_code,
            func.count(),
            func.sum(func.cast(is_open, Integer)),
            func.sum(func.cast(and_(is_open, col(C.current_due) < on), Integer)),
        )
        .where(col(C.published).is_(True))
        .group_by(C.district_code)
    ).all()
    return pd.DataFrame(rows, columns=["district", "cases", "open", "overdue"]).fillna(0)


@dataclass(frozen=True)
class Statistics:
    cases: int
    by_type: pd.DataFrame  # main_type, cases
    by_district: pd.DataFrame  # district, cases
    by_month: pd.DataFrame  # month (YYYY-MM), cases
    by_channel: pd.DataFrame  # channel, cases
    by_status: pd.DataFrame  # status, cases
    mean_acceptance_days: float | None  # filed -> decided
    mean_closure_days: float | None  # accepted -> closed
    on_time_acceptance: float | None  # share decided on or before the acceptance deadline
    on_time_closure: float | None  # share closed on or before the closure deadline
    satisfaction: float | None  # (satisfied + fairly satisfied) / rated
    rated: int
    repeat_targets: pd.DataFrame  # target (the public one), cases, open, escalated
    as_of: date


def statistics(session: Session, filters: Filters = Filters()) -> Statistics:
    """The registry's statistics over published cases (the definitions are in each field's note)."""
    frame = public_frame(session, filters)
    on = today()
    if frame.empty:
        empty = pd.DataFrame(columns=["key", "cases"])
        return Statistics(0, empty, empty, empty, empty, empty, None, None, None, None, None, 0,
                          pd.DataFrame(columns=["target", "cases", "open", "escalated"]),
                          on)  # fmt: skip
    # a case counts once under each main type it names ("air.odour,air.smoke_dust" -> air)
    main_types = frame["types"].map(lambda t: sorted({c.split(".")[0] for c in t.split(",") if c}))
    by_type = _counts(main_types.explode().dropna())
    decided = frame.dropna(subset=["decided_on"])
    closed = frame.dropna(subset=["closed_on", "accepted_on"])
    accept_days = _days(decided["filed_on"], decided["decided_on"])
    close_days = _days(closed["accepted_on"], closed["closed_on"])
    rated = frame[frame["rating"] != ""]
    good = rated["rating"].isin([Rating.SATISFIED, Rating.FAIRLY]).sum()
    targets = frame[frame["public_target"] != ""].rename(columns={"public_target": "target"})
    repeat = (
        targets.assign(open=targets["status"].isin([s.value for s in OPEN]))
        .groupby("target")
        .agg(cases=("number", "size"), open=("open", "sum"), escalated=("escalated", "max"))
        .query("cases >= 2")
        .sort_values(["cases", "open"], ascending=False)
        .head(20)
        .reset_index()
    )
    months = pd.to_datetime(frame["filed_on"]).dt.strftime("%Y-%m")
    return Statistics(
        cases=len(frame),
        by_type=by_type,
        by_district=_counts(frame["district_code"]),
        by_month=_counts(months).sort_values("key").reset_index(drop=True),
        by_channel=_counts(frame["channel"]),
        by_status=_counts(frame["status"]),
        mean_acceptance_days=_mean(accept_days),
        mean_closure_days=_mean(close_days),
        on_time_acceptance=_share(decided["decided_on"] <= decided["acceptance_due"]),
        on_time_closure=_share(closed["closed_on"] <= closed["closure_due"]),
        satisfaction=good / len(rated) if len(rated) else None,
        rated=len(rated),
        repeat_targets=repeat,
        as_of=on,
    )


def _counts(values: pd.Series) -> pd.DataFrame:
    counts = values.value_counts()
    return pd.DataFrame({"key": counts.index.astype(str), "cases": counts.to_numpy()})


def _days(start: pd.Series, end: pd.Series) -> pd.Series:
    return (pd.to_datetime(end) - pd.to_datetime(start)).dt.days


def _mean(days: pd.Series) -> float | None:
    return float(days.mean()) if len(days) else None


def _share(flags: pd.Series) -> float | None:
    return float(flags.mean()) if len(flags) else None


@dataclass(frozen=True)
class HomeSummary:
    """The home tile: this year's published cases, how many closed on time, and what is overdue."""

    year: int
    cases: int  # published cases filed this year (Beijing)
    closed: int  # of those, closed after acceptance
    closed_on_time: int  # of those, closed on or before the closure deadline
    overdue: int  # published open cases past their current deadline, whatever their year
    as_of: date

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None


def home_summary(session: Session) -> HomeSummary:
    """The same definitions as `statistics` (on-time closure) and the "overdue" filter, in SQL."""
    on = today()
    closed = and_(col(C.closed_on).is_not(None), col(C.accepted_on).is_not(None))
    on_time = and_(closed, col(C.closed_on) <= col(C.closure_due))
    cases, closed_n, on_time_n = session.exec(
        select(func.count(), func.sum(case((closed, 1), else_=0)),
               func.sum(case((on_time, 1), else_=0)))
        .where(_where(Filters(year=on.year), on))
    ).one()  # fmt: skip
    overdue = session.exec(
        select(func.count()).select_from(C).where(_where(Filters(status="overdue"), on))
    ).one()
    return HomeSummary(on.year, int(cases), int(closed_n or 0), int(on_time_n or 0),
                       int(overdue), on)  # fmt: skip

"""Sample complaints, the rows: cases, events and sealed identities, bulk-inserted in chunks.

Rows are written with Core bulk inserts in chunks of CHUNK_CASES cases (50,000 cases with about
350,000 events take about 12 s on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from services.complaints.catalog import (
    AWAITING_ACCEPTANCE,
    BEING_HANDLED,
    TYPE_CODES,
    UNDER_REVIEW,
    IdentityMode,
    Status,
)
from services.complaints.demo.chance import pick_u
from services.complaints.demo.dates import as_date, as_date_or_none, midnight
from services.complaints.demo.draws import Draws
from services.complaints.demo.params import CHUNK_CASES, P_TWO_TYPES
from services.complaints.demo.simulation import CasePath
from services.complaints.demo.targets import KINDS, Target, inside
from services.complaints.demo.texts import (
    DETAIL,
    EFFECT,
    IMPACT,
    LASTING,
    PROBLEM,
    ROADS,
    SPOTS,
    WHEN,
    WISHES,
)
from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintIdentity
from services.core import geography
from services.shared.sealed import vault

Progress = Callable[[str, int, int], None]  # part name, rows done, rows in the part
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643 check digit
ID_CHECK = "10X98765432"


class Clock:
    """Epoch seconds to aware UTC datetimes; the last day squeezed to end at `cutoff`."""

    def __init__(self, until: int, cutoff: datetime | None) -> None:
        self.last = midnight(until)
        end = self.last + 86400
        if cutoff is not None:
            end = min(end, max(cutoff.timestamp(), self.last + 60))
        self.squeeze = (end - 1 - self.last) / 86399

    def __call__(self, moment: float) -> datetime:
        if moment > self.last:
            moment = self.last + (moment - self.last) * self.squeeze
        return datetime.fromtimestamp(int(moment), UTC)


class Batch:
    """The simulated cases and what they were drawn from, ready to become rows."""

    def __init__(self, cases: list[CasePath], d: Draws, targets: list[Target], first_id: int,
                 clock: Clock) -> None:  # fmt: skip
        self.cases, self.d, self.targets, self.clock = cases, d, targets, clock
        self.ids = list(range(first_id, first_id + len(cases)))

    def sealed(self) -> list[int]:
        return [i for i in range(len(self.cases)) if self.d.identity[i] != IdentityMode.ANONYMOUS]

    def total(self) -> int:
        """Rows to write: cases, events and sealed identities."""
        return len(self.cases) + sum(len(c.events) for c in self.cases) + len(self.sealed())

    def target(self, i: int) -> Target | None:
        return self.targets[self.d.target[i]] if self.d.target[i] >= 0 else None


def insert_rows(engine: Engine, batch: Batch, report: Progress) -> int:
    """Write the batch chunk by chunk, each in its own transaction; the rows written."""
    done, total, count = 0, batch.total(), len(batch.cases)
    report("complaints", 0, total)
    for chunk in range(0, count, CHUNK_CASES):
        span = range(chunk, min(chunk + CHUNK_CASES, count))
        case_rows = [case_row(batch, i) for i in span]
        identity_rows = identity_rows_of(batch, span)
        event_rows = event_rows_of(batch, span)
        with engine.begin() as conn:
            conn.execute(insert(ComplaintCase.__table__), case_rows)
            if identity_rows:
                conn.execute(insert(ComplaintIdentity.__table__), identity_rows)
            conn.execute(insert(ComplaintEvent.__table__), event_rows)
        done += len(case_rows) + len(identity_rows) + len(event_rows)
        report("complaints", done, total)
    return done


def next_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return (conn.execute(select(func.max(ComplaintCase.id))).scalar() or 0) + 1


def identity_rows_of(batch: Batch, span: Iterable[int]) -> list[dict[str, object]]:
    d, ids = batch.d, batch.ids
    return [
        {"case_id": ids[i], "sealed": vault.seal_json(fake_identity(ids[i], d.identity[i], d.w[i]))}
        for i in span if d.identity[i] != IdentityMode.ANONYMOUS
    ]  # fmt: skip


def event_rows_of(batch: Batch, span: Iterable[int]) -> list[dict[str, object]]:
    clock, ids = batch.clock, batch.ids
    return [
        {"case_id": ids[i], "at": clock(e.at), "actor": e.actor, "action": e.action,
         "from_status": e.from_status, "to_status": e.to_status, "reason": e.reason,
         "note": e.note, "public_note": e.public_note, "to_reporter": e.to_reporter}
        for i in span for e in batch.cases[i].events
    ]  # fmt: skip


def fake_identity(case_id: int, mode: str, w: list[float]) -> dict[str, object]:
    """Plainly fake: 示例用户…, a 1380000xxxx number, example.com, ID region 000000 (none)."""
    identity: dict[str, object] = {
        "name": f"示例用户{case_id:04d}",
        "phone": f"1380000{int(w[13] * 10_000):04d}",
        "email": f"demo{case_id:04d}@example.com" if w[14] < 0.4 else "",
        "id_number": "",
        "home_address": f"示例小区{1 + int(w[16] * 30)}栋" if w[15] < 0.5 else "",
    }
    if mode == IdentityMode.REWARD:
        born = f"{1960 + int(w[17] * 40)}{1 + int(w[18] * 12):02d}{1 + int(w[19] * 28):02d}"
        body = f"000000{born}{case_id % 1000:03d}"
        total = sum(int(c) * k for c, k in zip(body, ID_WEIGHTS, strict=True))
        identity["id_number"] = body + ID_CHECK[total % 11]
    return identity


# --- a case row ----------------------------------------------------------------------------


def case_row(batch: Batch, i: int) -> dict[str, object]:
    case, d, case_id = batch.cases[i], batch.d, batch.ids[i]
    target = batch.target(i)
    filed = d.day[i]
    return {
        "id": case_id,
        "number": f"GY-{as_date(filed).year}-{case_id:06d}",
        "receipt_key": None,  # nobody holds a demo receipt
        "status": case.status.value,
        "version": 1,
        "channel": d.channel[i],
        "identity_mode": d.identity[i],
        "is_demo": True,
        "district_code": d.district[i],
        "target_name": target.name if target else "",
        "target_key": target.key if target else "",
        "target_address": target.address if target else "",
        **_report(batch, i),
        "filed_at": batch.clock(d.at[i]),
        "filed_on": as_date(filed),
        **_progress(case, batch.ids),
        "updated_at": batch.clock(max(e.at for e in case.events)),
    }


def _report(batch: Batch, i: int) -> dict[str, object]:
    """What the reporter wrote and pinned, and the public texts of a published case."""
    d, w = batch.d, batch.d.w[i]
    target = batch.target(i)
    words = case_words(i, d, batch.targets)
    published = bool(batch.cases[i].fields.get("published"))
    observed = d.day[i] - (0 if w[20] < 0.5 else 1 if w[20] < 0.8 else 2 + int(w[21] * 6))
    lat, lon, pin = d.lat[i], d.lon[i], d.pin[i]
    pin_lat, pin_lon = inside(lat + (w[22] - 0.5) * 0.004, lon + (w[23] - 0.5) * 0.004)
    return {
        "types": words["types"],
        "location_text": words["location_text"],
        "pin_lat": round(pin_lat, 5) if pin else None,
        "pin_lon": round(pin_lon, 5) if pin else None,
        "observed_on": as_date(observed),
        "ongoing": w[24] < 0.65,
        "description": words["description"],
        "wishes": words["wishes"],
        "published": published,
        "public_summary": words["public_summary"] if published else "",
        # the sample targets are clean, fictional names: published as named, as a moderator would
        "public_target": target.name if published and target is not None else "",
        "public_location": words["public_location"] if published else "",
        "public_lat": round(lat, 2) if published else None,
        "public_lon": round(lon, 2) if published else None,
    }


def _progress(case: CasePath, ids: list[int]) -> dict[str, object]:
    """Where the path left the case: its dates, deadlines, decisions, links and rating."""
    f = case.fields
    due, provisional = open_due(case)
    return {
        "public_outcome": f.get("public_outcome", ""),
        "remediation": f.get("remediation", ""),
        "acceptance_due": as_date(f["acceptance_due"]),
        **{name: as_date_or_none(f.get(name)) for name in (
            "accepted_on", "decided_on", "closure_due")},
        "extension_days": f.get("extension_days", 0),
        "extension_requested_days": f.get("extension_requested_days", 0),
        "transferred_to": f.get("transferred_to", ""),
        **{name: as_date_or_none(f.get(name)) for name in (
            "transfer_objection_due", "closed_on", "review_request_due", "review_due")},
        "current_due": as_date_or_none(due),
        "provisional_due": provisional,
        "finding": f.get("finding", ""),
        "reply": f.get("reply", ""),
        "not_accepted_reason": f.get("not_accepted_reason", ""),
        "duplicate_of_id": ids[f["duplicate_of"]] if "duplicate_of" in f else None,
        "repeat_of_id": ids[f["repeat_of"]] if "repeat_of" in f else None,
        "escalated": bool(f.get("escalated")),
        "rating": f.get("rating", ""),
        "rating_comment": f.get("rating_comment", ""),
        "rated_on": as_date_or_none(f.get("rated_on")),
    }  # fmt: skip


def open_due(case: CasePath) -> tuple[int | None, bool]:
    """workflow._due_of_open_step: the deadline of the step the case waits on."""
    f, status = case.fields, Status(case.status)
    if status in AWAITING_ACCEPTANCE:
        return f["acceptance_due"], case.provisional
    if status in BEING_HANDLED:
        return f["closure_due"], case.provisional
    if status in UNDER_REVIEW:
        return f["review_due"], case.provisional
    return None, False


# --- the words of a case -------------------------------------------------------------------


def case_words(i: int, d: Draws, targets: list[Target]) -> dict[str, str]:
    """Types, location, description, wishes and public texts, from the case's word uniforms."""
    w, code = d.w[i], d.types[i]
    main = code.split(".")[0]
    target = targets[d.target[i]] if d.target[i] >= 0 else None
    district = geography.district_by_key(d.district[i]).name_zh
    road = target.road if target else pick_u(w[0], ROADS)
    if target:
        location = f"{target.address}附近" if w[1] < 0.5 else f"{district}{road}{target.name}周边"
        subject, summary_subject = target.name, target.name
    else:
        location = district + road + pick_u(w[2], SPOTS).format(road2=pick_u(w[3], ROADS))
        subject, summary_subject = f"{road}附近", f"{road}一带"
    description = (
        f"{subject}{pick_u(w[4], DETAIL[code])}，{pick_u(w[5], WHEN)}，"
        f"{pick_u(w[6], LASTING)}，{pick_u(w[7], EFFECT[main])}。"
    )
    impact = IMPACT[2] if main == "noise" else pick_u(w[8], IMPACT[:2])
    return {
        "types": _types(code, w, target),
        "location_text": location[:200],
        "description": description,
        "wishes": pick_u(w[10], WISHES) if w[9] < 0.5 else "",
        "public_summary": f"反映{district}{summary_subject}{PROBLEM[code]}，{impact}",
        "public_location": f"{district}{road}一带",
    }


def _types(code: str, w: list[float], target: Target | None) -> str:
    """The primary type, and a second one for P_TWO_TYPES of the cases (one its target fits)."""
    if w[11] >= P_TWO_TYPES:
        return code
    main = code.split(".")[0]
    pool = [c for c in TYPE_CODES if c.startswith(main + ".") and c != code]
    pool = [c for c in pool if not c.endswith(".other")] or pool
    if target is not None:
        pool = [c for c in KINDS[target.kind].types if c != code] or pool
    second = pick_u(w[12], pool)
    return code if second == code else f"{code},{second}"

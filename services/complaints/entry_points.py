"""The complaints capability's public ways in for input: the filing form and, by receipt, the
reporter's answer, added photos, rating and review request.

Declared in services/complaints/manifest.py (services/shared/entry_points.py says what that
means). Each submits as its page does: portal/complaints/form.py validates, then files in one
unit of work; portal/complaints/track.py opens the case by the typed receipt and runs one step
in one unit of work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from services.complaints import intake, workflow
from services.complaints.catalog import TYPE_CODES, Finding, IdentityMode, Rating
from services.complaints.model import (
    ComplaintCase,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintIdentity,
    ComplaintMessage,
)
from services.core import geography
from services.core.accounts import Actor, Grant, Role
from services.core.clock import today
from services.core.db import unit_of_work
from services.shared.capability import EntryPoint
from services.shared.entry_points import InputField, Rows
from services.shared.sealed import receipts, vault

TEXTS = ("location", "target_name", "target_address", "description", "wishes", "name", "phone",
         "email", "id_number", "home_address")  # fmt: skip
CASE_COLUMNS = ("types", "district_code", "location_text", "target_name", "target_address",
                "description", "wishes", "observed_on", "ongoing", "pin_lat", "pin_lon",
                "identity_mode", "status")  # fmt: skip
RECEIPT = InputField("receipt", "receipt")
PHOTOS = InputField("photos", "files")


def _districts() -> list[str]:
    return [d.key for d in geography.districts()]


def _uploads(raw: Mapping[str, Any]) -> list[intake.Upload]:
    return [intake.Upload(f"photo-{n}", data) for n, data in enumerate(raw.get("photos") or [])]


def _photos(session: Session, case_id: int, count: int) -> list[dict[str, object]]:
    """The last `count` photos of a case, oldest first."""
    rows = session.exec(
        select(ComplaintEvidence).where(ComplaintEvidence.case_id == case_id)
        .order_by(col(ComplaintEvidence.id).desc()).limit(count)
    ).all()  # fmt: skip
    return [{"case_id": r.case_id, "sha256": r.sha256} for r in reversed(rows)]


def _digests(case_id: int, uploads: Sequence[intake.Upload]) -> list[dict[str, object]]:
    return [{"case_id": case_id, "sha256": hashlib.sha256(u.data).hexdigest()} for u in uploads]


# --- the filing form -----------------------------------------------------------------------------


def submit_report(engine: Engine, raw: Mapping[str, Any], *, actor: Actor | None = None) -> Rows:
    """The form's values as portal/complaints/form.py collects them: validated, then filed."""
    report = intake.Report(
        types=list(raw.get("types") or []),
        district=raw.get("district") or "",
        observed_on=raw.get("observed_on"),
        ongoing=bool(raw.get("ongoing")),
        identity_mode=raw.get("identity_mode") or IdentityMode.ANONYMOUS,
        pin_lat=raw.get("pin_lat"),
        pin_lon=raw.get("pin_lon"),
        **{name: raw.get(name) or "" for name in TEXTS},
    )
    uploads = _uploads(raw)
    errors = intake.validate(report, uploads=uploads)
    if errors:
        raise next(iter(errors.values()))
    with unit_of_work(engine) as session:
        filed = intake.file_report(session, report, uploads=uploads)
    clean = intake._clean
    case = {
        "types": ",".join(dict.fromkeys(report.types)), "district_code": report.district,
        "location_text": clean(report.location), "target_name": clean(report.target_name),
        "target_address": clean(report.target_address), "description": clean(report.description),
        "wishes": clean(report.wishes), "observed_on": report.observed_on,
        "ongoing": report.ongoing, "pin_lat": report.pin_lat, "pin_lon": report.pin_lon,
        "identity_mode": report.identity_mode, "status": "submitted", "id": filed.case_id,
    }  # fmt: skip
    identity = []
    if report.identity_mode != IdentityMode.ANONYMOUS:
        identity = [{"case_id": filed.case_id, "name": clean(report.name),
                     "phone": clean(report.phone), "email": clean(report.email),
                     "id_number": clean(report.id_number).upper(),
                     "home_address": clean(report.home_address)}]  # fmt: skip
    return {"complaint_case": [case], "complaint_identity": identity,
            "complaint_evidence": _digests(filed.case_id, uploads)}  # fmt: skip


def read_back_report(engine: Engine, stored: Rows) -> Rows:
    case_id = stored["complaint_case"][0]["id"]
    with Session(engine) as session:
        case = session.get(ComplaintCase, case_id)
        if case is None:
            return {"complaint_case": []}
        identity = []
        sealed = session.exec(
            select(ComplaintIdentity).where(ComplaintIdentity.case_id == case_id)
        ).first()
        if sealed is not None:
            identity = [{"case_id": case_id, **vault.unseal_json(sealed.sealed)}]
        photos = _photos(session, case_id, len(stored["complaint_evidence"]))
    row = {name: getattr(case, name) for name in CASE_COLUMNS}
    return {"complaint_case": [{**row, "id": case.id}], "complaint_identity": identity,
            "complaint_evidence": photos}  # fmt: skip


# --- the reporter's steps, by receipt ------------------------------------------------------------


def _as_reporter(engine: Engine, receipt: str, step: Callable[[Session, ComplaintCase], None]):
    """The case the typed receipt opens, and one step on it in one unit of work."""
    key = receipts.lookup_key(receipt or "")
    with unit_of_work(engine) as session:
        case = workflow.reporter_case(session, key)
        step(session, case)
        return case.id


def submit_answer(engine: Engine, raw: Mapping[str, Any], *, actor: Actor | None = None) -> Rows:
    body = raw.get("body") or ""
    case_id = _as_reporter(engine, raw.get("receipt"),
                           lambda session, case: workflow.reporter_answer(session, case, body))
    return {"complaint_message": [{"case_id": case_id, "sender": "reporter",
                                   "body": workflow.plain(body)}]}  # fmt: skip


def _newest_row(engine: Engine, model: Any, case_id: int, fields: tuple[str, ...]) -> Rows:
    """The case's newest row of `model` (a message or an event), as the stored fields."""
    with Session(engine) as session:
        last = session.exec(
            select(model).where(model.case_id == case_id).order_by(col(model.id).desc())
        ).first()
    found = [] if last is None else [{field: getattr(last, field) for field in fields}]
    return {model.__tablename__: found}


def read_back_answer(engine: Engine, stored: Rows) -> Rows:
    case_id = stored["complaint_message"][0]["case_id"]
    return _newest_row(engine, ComplaintMessage, case_id, ("case_id", "sender", "body"))


def submit_photos(engine: Engine, raw: Mapping[str, Any], *, actor: Actor | None = None) -> Rows:
    uploads = _uploads(raw)
    case_id = _as_reporter(engine, raw.get("receipt"),
                           lambda session, case: intake.add_evidence(session, case, uploads))
    return {"complaint_evidence": _digests(case_id, uploads)}


def read_back_photos(engine: Engine, stored: Rows) -> Rows:
    rows = stored["complaint_evidence"]
    if not rows:
        return {"complaint_evidence": []}
    with Session(engine) as session:
        return {"complaint_evidence": _photos(session, rows[0]["case_id"], len(rows))}


def submit_rating(engine: Engine, raw: Mapping[str, Any], *, actor: Actor | None = None) -> Rows:
    rating, comment = raw.get("rating") or "", raw.get("comment") or ""
    case_id = _as_reporter(
        engine, raw.get("receipt"),
        lambda session, case: workflow.reporter_rate(session, case, rating, comment),
    )  # fmt: skip
    return {"complaint_case": [{"id": case_id, "rating": rating,
                                "rating_comment": workflow.plain(comment)[:500]}]}  # fmt: skip


def read_back_rating(engine: Engine, stored: Rows) -> Rows:
    with Session(engine) as session:
        case = session.get(ComplaintCase, stored["complaint_case"][0]["id"])
    found = [] if case is None else [{"id": case.id, "rating": case.rating,
                                      "rating_comment": case.rating_comment}]  # fmt: skip
    return {"complaint_case": found}


def submit_review(engine: Engine, raw: Mapping[str, Any], *, actor: Actor | None = None) -> Rows:
    reason = raw.get("reason") or ""
    case_id = _as_reporter(
        engine, raw.get("receipt"),
        lambda session, case: workflow.reporter_request_review(session, case, reason),
    )  # fmt: skip
    return {"complaint_event": [{"case_id": case_id, "actor": "reporter",
                                 "note": workflow.plain(reason)}]}  # fmt: skip


def read_back_review(engine: Engine, stored: Rows) -> Rows:
    case_id = stored["complaint_event"][0]["case_id"]
    return _newest_row(engine, ComplaintEvent, case_id, ("case_id", "actor", "note"))


# --- known-good values ---------------------------------------------------------------------------


def _id_number(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def known_good(engine: Engine) -> Mapping[str, Sequence[Any]]:
    """Values each field accepts, and two cases to hold receipts: one just filed (open), one
    closed (it may be rated and its review requested)."""
    values: dict[str, Sequence[Any]] = {
        "types": [[TYPE_CODES[0]], list(TYPE_CODES[:3])],
        "district": _districts(),
        "location": ["南明区花果园附近", "Huaguoyuan, Nanming"],
        "target_name": ["某某建材有限公司", ""],
        "description": ["夜间工地施工噪声很大，已经持续一个多月，影响周边居民休息。",
                        "Night-time construction noise every day for a month now."],
        "observed_on": [today() - timedelta(days=n) for n in (0, 1, 30)],
        "identity_mode": list(IdentityMode),
        "name": ["张三", "Li Si"],
        "phone": ["13812345678", "0851-12345678"],
        "email": ["someone@example.com"],
        "id_number": [_id_number("52010219900101123")],
        "pin_lat": [26.58], "pin_lon": [106.71],
        "rating": list(Rating),
        "body": ["The noise started again last night."],
        "reason": ["The noise has not stopped; please check again at night."],
    }  # fmt: skip
    report = intake.Report(types=[TYPE_CODES[0]], district=_districts()[0],
                           location="南明区花果园附近", observed_on=today(),
                           description=str(values["description"][0]))  # fmt: skip
    staff = Actor(0, "entry-points", "Entry points",
                  (Grant(Role.COMPLAINT_HANDLER), Grant(Role.COMPLAINT_SUPERVISOR)))
    with unit_of_work(engine) as session:
        open_case = intake.file_report(session, report)
        closed = intake.file_report(session, report)
        case = session.get(ComplaintCase, closed.case_id)
        case = workflow.moderate(session, actor=staff, case_id=case.id, version=case.version,
                                 summary="Construction noise at night", location="Nanming")
        case = workflow.accept(session, actor=staff, case_id=case.id, version=case.version)
        case = workflow.take_up(session, actor=staff, case_id=case.id, version=case.version)
        workflow.close(session, actor=staff, case_id=case.id, version=case.version,
                       finding=Finding.SUBSTANTIATED, reply="The site was checked and fined.",
                       public_outcome="Checked on site; the works now stop at 22:00.")  # fmt: skip
    return {**values, "receipt": [open_case.receipt, closed.receipt]}


FILING = EntryPoint(
    name="complaints.file",
    kind="form",
    submit=submit_report,
    read_back=read_back_report,
    fields=(
        InputField("types", "choices", TYPE_CODES),
        InputField("district", "choice", _districts),
        *[InputField(name) for name in TEXTS],
        InputField("observed_on", "date"),
        InputField("ongoing", "flag"),
        InputField("identity_mode", "choice", tuple(IdentityMode)),
        InputField("pin_lat", "number"),
        InputField("pin_lon", "number"),
        PHOTOS,
    ),
    prepare=known_good,
)
ANSWER = EntryPoint("complaints.track.answer", "form", submit_answer, read_back_answer,
                    fields=(RECEIPT, InputField("body")), prepare=known_good)  # fmt: skip
ADD_PHOTOS = EntryPoint("complaints.track.photos", "form", submit_photos, read_back_photos,
                        fields=(RECEIPT, PHOTOS), prepare=known_good)  # fmt: skip
RATE = EntryPoint("complaints.track.rate", "form", submit_rating, read_back_rating,
                  fields=(RECEIPT, InputField("rating", "choice", tuple(Rating)),
                          InputField("comment")), prepare=known_good)  # fmt: skip
REVIEW = EntryPoint("complaints.track.review", "form", submit_review, read_back_review,
                    fields=(RECEIPT, InputField("reason")), prepare=known_good)  # fmt: skip
ENTRY_POINTS = (FILING, ANSWER, ADD_PHOTOS, RATE, REVIEW)

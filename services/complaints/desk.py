"""The staff side's reads: queues by state and deadline (overdue first), and a case's full file.

Every read is scoped: a handler with a district grant sees that district only. The sealed plane
(identity, original evidence) is not read here: workflow.open_identity and `open_original` do
that, for the supervisor role, with an audit entry each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case as sql_case
from sqlmodel import Session, col, func, select

from services.complaints.catalog import BEING_HANDLED, OPEN, UNDER_REVIEW, Status
from services.complaints.model import (
    ComplaintCase,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintIdentity,
    ComplaintMessage,
)
from services.complaints.workflow import CaseNotFound, events, messages, today
from services.core import audit
from services.core.accounts import Actor, PermissionDenied, Role
from services.shared.sealed import vault

QUEUES: dict[str, frozenset[Status]] = {
    "moderation": frozenset({Status.SUBMITTED}),
    "acceptance": frozenset({Status.PENDING}),
    "handling": BEING_HANDLED,
    "review": UNDER_REVIEW,
    "open": OPEN,
    "done": frozenset(Status) - OPEN,
}
DESK_ROLES = (Role.COMPLAINT_HANDLER, Role.COMPLAINT_SUPERVISOR)


def _scope(actor: Actor | None) -> str | None:
    """The district the actor is limited to (None: city-wide)."""
    if actor is None or not any(actor.has(r) for r in DESK_ROLES):
        raise PermissionDenied(Role.COMPLAINT_HANDLER)
    scopes = [actor.district_scope(r) for r in DESK_ROLES if actor.has(r)]
    return None if None in scopes else scopes[0]


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    status: str
    district_code: str
    types: str
    target_name: str
    filed_on: date
    current_due: date | None
    provisional_due: bool
    escalated: bool
    extension_requested_days: int
    overdue: bool


def queue(
    session: Session, *, actor: Actor, name: str = "open", overdue_only: bool = False,
    limit: int = 200,
) -> tuple[list[QueueRow], int]:  # fmt: skip
    """Cases in a queue, overdue first, then by nearest deadline; and how many there are."""
    district = _scope(actor)
    on = today()
    conditions = [col(ComplaintCase.status).in_([s.value for s in QUEUES[name]])]
    if district is not None:
        conditions.append(ComplaintCase.district_code == district)
    if overdue_only:
        conditions.append(col(ComplaintCase.current_due) < on)
    total = session.exec(select(func.count()).select_from(ComplaintCase).where(*conditions)).one()
    late = sql_case((col(ComplaintCase.current_due) < on, 0), else_=1)
    rows = session.exec(
        select(ComplaintCase.id, ComplaintCase.number, ComplaintCase.status,
               ComplaintCase.district_code, ComplaintCase.types, ComplaintCase.target_name,
               ComplaintCase.filed_on, ComplaintCase.current_due, ComplaintCase.provisional_due,
               ComplaintCase.escalated, ComplaintCase.extension_requested_days)
        .where(*conditions)
        .order_by(late, col(ComplaintCase.current_due).is_(None), col(ComplaintCase.current_due),
                  col(ComplaintCase.filed_on).desc())
        .limit(limit)
    ).all()  # fmt: skip
    return [
        QueueRow(*row, overdue=row.current_due is not None and on > row.current_due) for row in rows
    ], total


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    added_by: str
    image: bytes  # the copy without metadata
    image_type: str
    width: int
    height: int


@dataclass(frozen=True)
class CaseFile:
    case: ComplaintCase
    events: list[ComplaintEvent]
    messages: list[ComplaintMessage]
    evidence: list[EvidenceItem]
    has_identity: bool
    repeat_of_number: str | None
    duplicate_of_number: str | None


def case_file(session: Session, *, actor: Actor, number: str) -> CaseFile:
    """Everything staff may read about a case (the sealed plane excepted)."""
    district = _scope(actor)
    case = session.exec(select(ComplaintCase).where(ComplaintCase.number == number.strip())).first()
    if case is None or (district is not None and case.district_code != district):
        raise CaseNotFound()
    evidence = [
        EvidenceItem(*row)
        for row in session.exec(
            select(ComplaintEvidence.id, ComplaintEvidence.added_by, ComplaintEvidence.image,
                   ComplaintEvidence.image_type, ComplaintEvidence.width,
                   ComplaintEvidence.height)
            .where(ComplaintEvidence.case_id == case.id).order_by(col(ComplaintEvidence.id))
        )
    ]  # fmt: skip
    has_identity = session.exec(
        select(func.count()).select_from(ComplaintIdentity)
        .where(ComplaintIdentity.case_id == case.id)
    ).one() > 0  # fmt: skip
    return CaseFile(
        case=case,
        events=events(session, case.id),
        messages=messages(session, case.id),
        evidence=evidence,
        has_identity=has_identity,
        repeat_of_number=_number(session, case.repeat_of_id),
        duplicate_of_number=_number(session, case.duplicate_of_id),
    )


def _number(session: Session, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    return session.exec(select(ComplaintCase.number).where(ComplaintCase.id == case_id)).first()


# Served by portal/complaints/routes.py, never through Streamlit's media endpoint: a staff route,
# not open data (declared as Manifest.staff_routes, left out of the OpenAPI document).
ORIGINAL_ROUTE = "/staff/complaints/evidence/{evidence_id:int}/original"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass(frozen=True)
class SealedOriginal:
    data: bytes  # as uploaded, metadata (EXIF, GPS) included
    content_type: str  # one of the accepted image types, else application/octet-stream
    file_name: str  # <case number>-<evidence id>.<extension>


def open_original(session: Session, *, actor: Actor | None, evidence_id: int) -> SealedOriginal:
    """An original evidence file as uploaded (metadata included): supervisor only, and every
    opening audited. The role is checked before the file is looked up, so for anyone else a
    missing and an existing file are refused alike."""
    if actor is None or not actor.has(Role.COMPLAINT_SUPERVISOR):
        raise PermissionDenied(Role.COMPLAINT_SUPERVISOR)
    item = session.get(ComplaintEvidence, evidence_id)
    if item is None:
        raise CaseNotFound()
    number = _number(session, item.case_id)
    audit.record(session, actor=actor.username, action="complaint.original_opened",
                 object_type="complaint_case", object_id=number or item.case_id,
                 details={"evidence": evidence_id})  # fmt: skip
    kind = item.original_type if item.original_type in _EXTENSIONS else "application/octet-stream"
    return SealedOriginal(
        data=vault.unseal(item.sealed_original),
        content_type=kind,
        file_name=f"{number or item.case_id}-{evidence_id}.{_EXTENSIONS.get(kind, 'bin')}",
    )


def counts(session: Session, *, actor: Actor) -> dict[str, tuple[int, int]]:
    """Per queue: (cases, overdue cases), within the actor's scope."""
    district = _scope(actor)
    on = today()
    result = {}
    for name, statuses in QUEUES.items():
        if name == "done":
            continue
        conditions = [col(ComplaintCase.status).in_([s.value for s in statuses])]
        if district is not None:
            conditions.append(ComplaintCase.district_code == district)
        total, late = session.exec(
            select(func.count(),
                   func.coalesce(func.sum(sql_case((col(ComplaintCase.current_due) < on, 1),
                                                   else_=0)), 0))
            .select_from(ComplaintCase).where(*conditions)
        ).one()  # fmt: skip
        result[name] = (int(total), int(late))
    return result

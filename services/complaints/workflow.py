"""The complaint workflow (信访工作条例 2022; deadlines and decisions: docs/decisions.md).

待审核 → 待受理 → 受理 | 不予受理 | 重复 → 转办 → 办理中 → [延期] → 办结 → [复查 → 复核] → 终结.

Every action goes through `_apply`: it checks that the action is allowed from the case's status
(`IllegalTransition` otherwise), stores an event (actor, time, reason, notes), recomputes the
deadline of the open step and bumps the case's version. Staff actions carry the version the handler
saw: a case changed in between raises `CaseChanged` instead of being overwritten, and the database
checks the version again on write (optimistic locking), so two handlers racing cannot both win.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from services.complaints import deadlines
from services.complaints.catalog import (
    AWAITING_ACCEPTANCE,
    BEING_HANDLED,
    NOT_ACCEPTED_REASONS,
    OPEN,
    OTHER_UNITS,
    UNDER_REVIEW,
    Finding,
    Rating,
    Status,
)
from services.complaints.model import (
    ComplaintCase,
    ComplaintEvent,
    ComplaintIdentity,
    ComplaintMessage,
)
from services.core import audit
from services.core.accounts import Actor, PermissionDenied, Role
from services.core.clock import today, utcnow
from services.core.messages import N_, UserFacingError
from services.shared import pii
from services.shared.sealed import vault

S = Status


class IllegalTransition(UserFacingError):
    def __init__(self, action: str, status: str) -> None:
        super().__init__(N_("This step is not possible for a case in its current state."))
        self.action, self.status = action, status


class CaseChanged(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            N_("Someone else changed this case after you opened it. Reload it and try again.")
        )


class CaseNotFound(UserFacingError):
    def __init__(self) -> None:
        super().__init__(N_("No case was found."))


class InvalidAction(UserFacingError):
    pass


# 信访工作条例: after 复核 the same facts and reasons are not accepted again
FINAL_REFUSAL = N_("This case is final: after a re-review the same facts are not accepted again.")


# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "moderate": (frozenset({S.SUBMITTED}), S.PENDING),
    "accept": (frozenset({S.PENDING}), S.ACCEPTED),
    "not_accept": (AWAITING_ACCEPTANCE, S.NOT_ACCEPTED),
    "mark_duplicate": (AWAITING_ACCEPTANCE, S.DUPLICATE),
    "transfer": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.TRANSFERRED),
    "object_transfer": (frozenset({S.TRANSFERRED}), S.ACCEPTED),
    "take_up": (frozenset({S.ACCEPTED, S.TRANSFERRED}), S.IN_PROGRESS),
    "site_check": (frozenset({S.IN_PROGRESS}), None),
    "request_extension": (BEING_HANDLED, None),
    "approve_extension": (BEING_HANDLED, None),
    "refuse_extension": (BEING_HANDLED, None),
    "close": (BEING_HANDLED, S.CLOSED),
    "request_review": (frozenset({S.CLOSED}), S.REVIEW),
    "answer_review": (frozenset({S.REVIEW}), S.REVIEWED),
    "request_re_review": (frozenset({S.REVIEWED}), S.RE_REVIEW),
    "answer_re_review": (frozenset({S.RE_REVIEW}), S.FINAL),
    "ask": (OPEN, None),
    "answer": (OPEN, None),
    "add_evidence": (OPEN | {S.CLOSED, S.REVIEWED}, None),
    "rate": (frozenset({S.CLOSED, S.REVIEWED, S.FINAL}), None),
    "edit_public": (frozenset(Status) - {S.SUBMITTED}, None),
    "escalate": (OPEN, None),
    "open_identity": (frozenset(Status), None),
}
STAFF_ACTIONS = frozenset(TRANSITIONS) - {
    "request_review", "request_re_review", "answer", "rate", "escalate",
}  # fmt: skip


def _due_of_open_step(case: ComplaintCase) -> tuple[date | None, bool]:
    status = Status(case.status)
    if status in AWAITING_ACCEPTANCE:
        return case.acceptance_due, case.provisional_due
    if status in BEING_HANDLED:
        return case.closure_due, case.provisional_due
    if status in UNDER_REVIEW:
        return case.review_due, case.provisional_due
    return None, False


def overdue(case: ComplaintCase, on: date | None = None) -> bool:
    """超期: the open step's deadline has passed (computed, never stored)."""
    due, _ = _due_of_open_step(case)
    return due is not None and (on or today()) > due


@dataclass(frozen=True)
class Change:
    """What an action changes besides the status, and what it says to whom."""

    reason: str = ""
    note: str = ""  # staff only
    public_note: str = ""  # the public timeline
    to_reporter: str = ""  # the reporter's private view


def _apply(
    session: Session,
    case: ComplaintCase,
    action: str,
    *,
    actor: str,
    change: Change = Change(),
) -> ComplaintEvent:
    allowed, target = TRANSITIONS[action]
    if Status(case.status) not in allowed:
        raise IllegalTransition(action, case.status)
    before = case.status
    if target is not None:
        case.status = target.value
    due, provisional = _due_of_open_step(case)
    case.current_due, case.provisional_due = due, provisional
    case.updated_at = utcnow()
    session.add(case)
    event = ComplaintEvent(
        case_id=case.id,
        actor=actor,
        action=action,
        from_status=before,
        to_status=case.status,
        reason=change.reason,
        note=change.note,
        public_note=change.public_note,
        to_reporter=change.to_reporter,
    )
    session.add(event)
    try:
        session.flush()
    except StaleDataError as error:
        raise CaseChanged() from error
    return event


# every free text a case publishes, by the name a refusal gives it ("The public target seems to
# contain ..."): what `_checked_public` runs through the personal-data detector
PUBLIC_FIELDS = {
    "target": N_("target"),
    "summary": N_("summary"),
    "location": N_("location"),
    "remediation": N_("remediation progress"),
    "outcome": N_("outcome"),
    "reply": N_("reply"),
    "note": N_("timeline note"),
}


def _checked_public(
    session: Session, actor: Actor, case: ComplaintCase, action: str, texts: dict[str, str],
    *, confirmed: bool,
) -> None:  # fmt: skip
    """Refuse (pii.PersonalDataFound, the findings masked) a public text that seems to hold a
    phone number, an ID number, an e-mail address, a plate or an account, unless the member of
    staff confirmed it holds no personal data; a confirmation is audited with the kinds only."""
    found = pii.check({k: v for k, v in texts.items() if v}, labels=PUBLIC_FIELDS,
                      confirmed=confirmed)  # fmt: skip
    if found:
        audit.record(
            session,
            actor=actor.username,
            action="complaint.personal_data_confirmed",
            object_type="complaint_case",
            object_id=case.number or case.id or "",
            details={"step": action, "kinds": pii.kinds_by_field(found)},
        )


def public_findings(**texts: str) -> list[pii.FieldFinding]:
    """What the detector finds in public texts before they are sent (the desk's check that a
    confirmation covers exactly what it was shown)."""
    return pii.findings_in({k: v for k, v in texts.items() if v})


def _public_target(value: str) -> str:
    """The target as the public sees it: NFKC (full-width letters and digits folded, so the
    feed's `target` filter can narrow it in SQL), one line, at most 120 characters; may be empty."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in value)
    value = " ".join(value.split())
    if len(value) > 120:
        raise InvalidAction(N_("Too long: at most {limit} characters."), limit=120)
    return value


def plain(value: str) -> str:
    """Trimmed, without control characters other than line breaks and tabs: PostgreSQL refuses
    NUL in text, and the others have no place in a message (as intake's fields)."""
    kept = (c for c in value or "" if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    return "".join(kept).strip()


def _text(value: str, *, minimum: int = 1, maximum: int = 4000) -> str:
    value = plain(value)
    if not value:
        raise InvalidAction(N_("Please fill this in."))
    if len(value) < minimum:
        raise InvalidAction(N_("Too short: at least {limit} characters."), limit=minimum)
    if len(value) > maximum:
        raise InvalidAction(N_("Too long: at most {limit} characters."), limit=maximum)
    return value


# --- staff -------------------------------------------------------------------------------------


def _staff_case(
    session: Session,
    actor: Actor,
    case_id: int,
    version: int,
    *,
    role: Role = Role.COMPLAINT_HANDLER,
) -> ComplaintCase:
    """The case for a staff action: role and district scope checked, version compared."""
    if actor is None or not actor.has(role):
        raise PermissionDenied(role)
    case = session.get(ComplaintCase, case_id)
    if case is None:
        raise CaseNotFound()
    scope = actor.district_scope(role)
    if scope is not None and case.district_code != scope:
        raise PermissionDenied(role)
    if case.version != version:
        raise CaseChanged()
    return case


def _staff_done(
    session: Session, actor: Actor, case: ComplaintCase, action: str, change: Change = Change()
) -> ComplaintEvent:
    event = _apply(session, case, action, actor=f"staff:{actor.username}", change=change)
    audit.record(
        session,
        actor=actor.username,
        action=f"complaint.{action}",
        object_type="complaint_case",
        object_id=case.number or case.id or "",
        details={"status": case.status, "reason": change.reason},
    )
    return event


def moderate(
    session: Session, *, actor: Actor, case_id: int, version: int, summary: str, location: str,
    target: str = "", public_lat: float | None = None, public_lon: float | None = None,
    confirmed_no_personal_data: bool = False,
) -> ComplaintCase:  # fmt: skip
    """Publish the case with a moderated summary, a generalised location and the target as the
    public may see it (待审核 → 待受理; an empty target publishes none). Refused with
    pii.PersonalDataFound while one of them seems to hold personal data, unless confirmed."""
    case = _staff_case(session, actor, case_id, version)
    summary = _text(summary, minimum=6, maximum=1000)
    location = _text(location, minimum=2, maximum=120)
    target = _public_target(target)
    _checked_public(session, actor, case, "moderate",
                    {"target": target, "summary": summary, "location": location},
                    confirmed=confirmed_no_personal_data)  # fmt: skip
    case.public_summary, case.public_location, case.public_target = summary, location, target
    case.public_lat, case.public_lon = _generalised(public_lat, public_lon, case)
    case.published = True
    _staff_done(session, actor, case, "moderate")
    return case


def _generalised(
    lat: float | None, lon: float | None, case: ComplaintCase
) -> tuple[float | None, float | None]:
    """A public point about 1 km coarse (0.01°), from the moderator's point or the pin."""
    lat = lat if lat is not None else case.pin_lat
    lon = lon if lon is not None else case.pin_lon
    if lat is None or lon is None:
        return None, None
    return round(lat, 2), round(lon, 2)


def accept(
    session: Session, *, actor: Actor, case_id: int, version: int, message: str = ""
) -> ComplaintCase:
    """受理: the 60-day closure clock starts."""
    case = _staff_case(session, actor, case_id, version)
    case.accepted_on = case.decided_on = today()
    due = deadlines.closure_due(case.accepted_on)
    case.closure_due, case.provisional_due = due.due, due.provisional
    _staff_done(session, actor, case, "accept", Change(to_reporter=message.strip()))
    return case


def not_accept(
    session: Session, *, actor: Actor, case_id: int, version: int, reason: str, message: str = ""
) -> ComplaintCase:
    """不予受理, with one of the enumerated reasons and where to go instead."""
    if reason not in NOT_ACCEPTED_REASONS:
        raise InvalidAction(N_("Choose a reason from the list."))
    case = _staff_case(session, actor, case_id, version)
    case.decided_on = today()
    case.not_accepted_reason = reason
    _staff_done(session, actor, case, "not_accept", Change(
        reason=reason, to_reporter=message.strip(),
    ))  # fmt: skip
    return case


def mark_duplicate(
    session: Session, *, actor: Actor, case_id: int, version: int, original_number: str
) -> ComplaintCase:
    """重复: the same report already accepted; the case links to it."""
    case = _staff_case(session, actor, case_id, version)
    original = session.exec(
        select(ComplaintCase).where(ComplaintCase.number == original_number.strip())
    ).first()
    if original is None or original.id == case.id:
        raise InvalidAction(N_("Enter the number of another existing case."))
    case.duplicate_of_id = original.id
    case.decided_on = today()
    _staff_done(session, actor, case, "mark_duplicate", Change(reason="already_accepted"))
    return case


def transfer(
    session: Session, *, actor: Actor, case_id: int, version: int, unit: str, note: str = ""
) -> ComplaintCase:
    """转办/交办 to a district bureau or another department; it may object within 5 working days."""
    from services.core import geography

    if unit not in OTHER_UNITS and geography.district_by_key(unit) is None:
        raise InvalidAction(N_("Choose a unit from the list."))
    case = _staff_case(session, actor, case_id, version)
    case.transferred_to = unit
    due = deadlines.transfer_objection_due(today())
    case.transfer_objection_due = due.due
    _staff_done(session, actor, case, "transfer", Change(reason=unit, note=note.strip()))
    return case


def object_to_transfer(
    session: Session, *, actor: Actor, case_id: int, version: int, reason: str
) -> ComplaintCase:
    """The receiving unit says the matter is outside its remit: back to the sending desk."""
    case = _staff_case(session, actor, case_id, version)
    if case.transfer_objection_due is not None and today() > case.transfer_objection_due:
        raise InvalidAction(N_("The 5 working days to object to this transfer have passed."))
    _staff_done(session, actor, case, "object_transfer", Change(
        note=_text(reason, minimum=4),
    ))  # fmt: skip
    case.transferred_to = ""
    return case


def take_up(session: Session, *, actor: Actor, case_id: int, version: int) -> ComplaintCase:
    """办理中: site checks, monitoring, enforcement."""
    case = _staff_case(session, actor, case_id, version)
    _staff_done(session, actor, case, "take_up")
    return case


def record_site_check(
    session: Session, *, actor: Actor, case_id: int, version: int, note: str, public_note: str = "",
    confirmed_no_personal_data: bool = False,
) -> ComplaintCase:  # fmt: skip
    """A site check (internal note) and, optionally, what the public timeline says of it."""
    case = _staff_case(session, actor, case_id, version)
    note, public_note = _text(note), public_note.strip()[:2000]
    _checked_public(session, actor, case, "site_check", {"note": public_note},
                    confirmed=confirmed_no_personal_data)  # fmt: skip
    _staff_done(session, actor, case, "site_check", Change(note=note, public_note=public_note))
    return case


def request_extension(
    session: Session, *, actor: Actor, case_id: int, version: int, days: int, reason: str
) -> ComplaintCase:
    """A handler asks to extend closure by at most 30 days; a supervisor decides."""
    case = _staff_case(session, actor, case_id, version)
    if case.extension_days or case.extension_requested_days:
        raise InvalidAction(N_("This case already has an extension or a pending request."))
    if not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        raise InvalidAction(N_("An extension is 1 to {limit} days."),
                            limit=deadlines.EXTENSION_MAX_DAYS)  # fmt: skip
    case.extension_requested_days = days
    _staff_done(session, actor, case, "request_extension", Change(
        reason=str(days), note=_text(reason, minimum=4),
    ))  # fmt: skip
    return case


def decide_extension(
    session: Session, *, actor: Actor, case_id: int, version: int, approve: bool, reason: str
) -> ComplaintCase:
    """A supervisor approves (the reason is told to the reporter) or refuses an extension."""
    case = _staff_case(session, actor, case_id, version, role=Role.COMPLAINT_SUPERVISOR)
    days = case.extension_requested_days
    if not days:
        raise InvalidAction(N_("There is no extension request to decide."))
    reason = _text(reason, minimum=4)
    case.extension_requested_days = 0
    if approve:
        case.extension_days = days
        due = deadlines.closure_due(case.accepted_on or today(), extension_days=days)
        case.closure_due, case.provisional_due = due.due, due.provisional
        _staff_done(session, actor, case, "approve_extension", Change(
            reason=str(days), to_reporter=reason,
        ))  # fmt: skip
    else:
        _staff_done(session, actor, case, "refuse_extension", Change(note=reason))
    return case


def close(
    session: Session, *, actor: Actor, case_id: int, version: int, finding: str, reply: str,
    public_outcome: str, confirmed_no_personal_data: bool = False,
) -> ComplaintCase:  # fmt: skip
    """办结 with a finding (属实 / 部分属实 / 不属实), a written reply (to the reporter only) and a
    public outcome (checked for personal data)."""
    if finding not in set(Finding):
        raise InvalidAction(N_("Choose a finding from the list."))
    case = _staff_case(session, actor, case_id, version)
    reply, outcome = _text(reply, minimum=10), _text(public_outcome, minimum=10)
    _checked_public(session, actor, case, "close", {"outcome": outcome},
                    confirmed=confirmed_no_personal_data)  # fmt: skip
    case.finding = finding
    case.reply = reply
    case.public_outcome = outcome
    case.closed_on = today()
    case.review_request_due = deadlines.review_request_due(case.closed_on).due
    _staff_done(session, actor, case, "close", Change(
        reason=finding, public_note=case.public_outcome, to_reporter=case.reply,
    ))  # fmt: skip
    return case


def answer_review(
    session: Session, *, actor: Actor, case_id: int, version: int, reply: str,
    confirmed_no_personal_data: bool = False,
) -> ComplaintCase:  # fmt: skip
    """The answer to a 复查 (or, for a case under 复核, the final answer); it is also the public
    timeline's note, so it is checked for personal data."""
    case = _staff_case(session, actor, case_id, version)
    action = "answer_re_review" if case.status == S.RE_REVIEW else "answer_review"
    reply = _text(reply, minimum=10)
    _checked_public(session, actor, case, action, {"reply": reply},
                    confirmed=confirmed_no_personal_data)  # fmt: skip
    case.reply = reply
    case.review_request_due = deadlines.review_request_due(today()).due
    _staff_done(session, actor, case, action, Change(public_note=reply, to_reporter=reply))
    return case


def ask_reporter(
    session: Session, *, actor: Actor, case_id: int, version: int, question: str
) -> ComplaintCase:
    """A question to the reporter, answered through the receipt (anonymous two-way messages)."""
    case = _staff_case(session, actor, case_id, version)
    body = _text(question, minimum=4, maximum=2000)
    session.add(ComplaintMessage(case_id=case.id, sender="staff", staff_username=actor.username,
                                 body=body))  # fmt: skip
    _staff_done(session, actor, case, "ask")
    return case


def edit_public(
    session: Session, *, actor: Actor, case_id: int, version: int, summary: str, location: str,
    target: str | None = None, remediation: str = "", outcome: str | None = None,
    confirmed_no_personal_data: bool = False,
) -> ComplaintCase:  # fmt: skip
    """Moderate the public summary, location, target, remediation progress and, once the case
    is closed, its public outcome (`target` or `outcome` None keeps it). Refused with
    pii.PersonalDataFound while one of them seems to hold personal data, unless confirmed."""
    case = _staff_case(session, actor, case_id, version)
    summary = _text(summary, minimum=6, maximum=1000)
    location = _text(location, minimum=2, maximum=120)
    target = case.public_target if target is None else _public_target(target)
    remediation = remediation.strip()[:2000]
    if outcome is not None and not case.public_outcome:
        outcome = None  # no outcome published yet: closing the case writes the first one
    outcome = case.public_outcome if outcome is None else _text(outcome, minimum=10)
    _checked_public(session, actor, case, "edit_public", {
        "target": target, "summary": summary, "location": location, "remediation": remediation,
        "outcome": outcome,
    }, confirmed=confirmed_no_personal_data)  # fmt: skip
    case.public_summary, case.public_location, case.public_target = summary, location, target
    case.remediation, case.public_outcome = remediation, outcome
    _staff_done(session, actor, case, "edit_public")
    return case


def open_identity(session: Session, *, actor: Actor, case_id: int) -> dict[str, object]:
    """The sealed identity record, for a complaint supervisor only; every opening is audited."""
    if actor is None or not actor.has(Role.COMPLAINT_SUPERVISOR):
        raise PermissionDenied(Role.COMPLAINT_SUPERVISOR)
    case = session.get(ComplaintCase, case_id)
    if case is None:
        raise CaseNotFound()
    record = session.exec(
        select(ComplaintIdentity).where(ComplaintIdentity.case_id == case_id)
    ).first()
    audit.record(
        session,
        actor=actor.username,
        action="complaint.identity_opened",
        object_type="complaint_case",
        object_id=case.number or case_id,
        details={"found": record is not None},
    )
    return vault.unseal_json(record.sealed) if record is not None else {}


# --- the reporter (by receipt) -----------------------------------------------------------------


def reporter_case(session: Session, receipt_key: str | None) -> ComplaintCase:
    """The case a receipt opens; the same CaseNotFound for a wrong and a malformed receipt."""
    if receipt_key is None:
        raise CaseNotFound()
    case = session.exec(
        select(ComplaintCase).where(ComplaintCase.receipt_key == receipt_key)
    ).first()
    if case is None:
        raise CaseNotFound()
    return case


def reporter_answer(session: Session, case: ComplaintCase, body: str) -> None:
    body = _text(body, minimum=2, maximum=4000)
    session.add(ComplaintMessage(case_id=case.id, sender="reporter", body=body))
    _apply(session, case, "answer", actor="reporter")


def reporter_rate(session: Session, case: ComplaintCase, rating: str, comment: str = "") -> None:
    """满意 / 基本满意 / 不满意 after closure (the latest rating counts)."""
    if rating not in set(Rating):
        raise InvalidAction(N_("Choose a rating from the list."))
    case.rating, case.rating_comment, case.rated_on = rating, plain(comment)[:500], today()
    _apply(session, case, "rate", actor="reporter", change=Change(reason=rating))


def reporter_request_review(session: Session, case: ComplaintCase, reason: str) -> None:
    """复查 within 30 days of the reply, then 复核 within 30 days of that answer; then final."""
    if case.status == S.FINAL:
        raise InvalidAction(FINAL_REFUSAL)
    action = "request_re_review" if case.status == S.REVIEWED else "request_review"
    allowed, _ = TRANSITIONS[action]
    if Status(case.status) not in allowed:
        raise IllegalTransition(action, case.status)
    if case.review_request_due is not None and today() > case.review_request_due:
        raise InvalidAction(N_("The 30 days to request a review of this answer have passed."))
    due = deadlines.review_answer_due(today())
    case.review_due, case.provisional_due = due.due, due.provisional
    _apply(session, case, action, actor="reporter",
           change=Change(note=_text(reason, minimum=10)))  # fmt: skip


def events(session: Session, case_id: int) -> list[ComplaintEvent]:
    return list(session.exec(
        select(ComplaintEvent).where(ComplaintEvent.case_id == case_id)
        .order_by(col(ComplaintEvent.at), col(ComplaintEvent.id))
    ))  # fmt: skip


# internal steps the reporter's own view leaves out
STAFF_ONLY_ACTIONS = frozenset({"open_identity", "edit_public", "request_extension",
                                "refuse_extension"})  # fmt: skip


def reporter_events(session: Session, case_id: int) -> list[ComplaintEvent]:
    """The case's history as its reporter sees it (by receipt)."""
    return [e for e in events(session, case_id) if e.action not in STAFF_ONLY_ACTIONS]


def messages(session: Session, case_id: int) -> list[ComplaintMessage]:
    return list(session.exec(
        select(ComplaintMessage).where(ComplaintMessage.case_id == case_id)
        .order_by(col(ComplaintMessage.at), col(ComplaintMessage.id))
    ))  # fmt: skip

"""Filing a complaint: validation field by field, the receipt, sealed identity and evidence.

`validate` returns every problem at once (field -> UserFacingError) so the form can show each one
next to its field and keep what was typed; `file_report` stores a valid report in one transaction:
nothing is half-saved when any part (evidence included) fails.

A form carries a one-time submission token (held by the browser, in the page's address), and a
case keeps only a keyed hash of it (`complaint_case.submission_key`, unique). The same form sent
again (a reconnect after a crash, a second click) never files a second case: the reporter gets a
fresh receipt for the case already filed, and the earlier receipt stops working. That re-issue is
allowed only for the same report (the text the case holds), while the case awaits moderation,
within `REISSUE_WITHIN` of filing, and until the reporter confirms the receipt was saved
(`retire_submission`); docs/decisions.md, "Complaints: a report form sent again".
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from services.complaints import deadlines
from services.complaints.catalog import OPEN, TYPE_CODES, Channel, IdentityMode, Status
from services.complaints.model import (
    ComplaintCase,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintIdentity,
)
from services.complaints.workflow import today
from services.core import audit, geography
from services.core.accounts import Actor, PermissionDenied, Role
from services.core.clock import utcnow
from services.core.messages import N_, UserFacingError
from services.core.settings import get_settings
from services.shared.sealed import evidence, receipts, vault

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000
LOCATION_MIN, LOCATION_MAX = 2, 200  # a landmark can be two or three characters: 甲秀楼, 黔灵山
OBSERVED_WITHIN_DAYS = 730  # older events: the bureau can no longer check them on site
# Guiyang and Gui'an: a pin outside this box is a slip of the finger
PIN_LAT, PIN_LON = (26.0, 27.5), (106.0, 107.4)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,24}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
REPEAT_WINDOW_DAYS = 180  # complaints against one target within this window are linked
ESCALATE_AT = 3  # open complaints against one target that trigger 督办
MAX_FILES_PER_CASE = 2 * evidence.MAX_FILES
# A form sent again gets a fresh receipt for its case only this long after filing (and only while
# the case awaits moderation), so an old address cannot be used to take a case over.
REISSUE_WITHIN = timedelta(hours=24)
SUBMISSION_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,86}$")  # secrets.token_urlsafe(16) and longer
SUBMISSION_TOKEN_BYTES = 24


class SubmissionUsed(UserFacingError):
    """The form's token already filed a different report: the form needs a new token."""

    def __init__(self) -> None:
        super().__init__(
            N_("This form was already used to send another report. It has been renewed: check "
               "your report and send it again to file it as a new report.")
        )  # fmt: skip


class ReissueRefused(UserFacingError):
    """The same report was sent again, but its case may no longer get a new receipt here."""

    def __init__(self) -> None:
        super().__init__(
            N_("This report was already received. A new receipt for it is issued only within "
               "{hours} hours of sending, before the bureau has reviewed it, and until its "
               "receipt was confirmed as saved."),
            hours=int(REISSUE_WITHIN.total_seconds() // 3600),
        )  # fmt: skip


@dataclass
class Report:
    """What the form collects, as typed."""

    types: list[str] = field(default_factory=list)
    district: str = ""
    location: str = ""
    target_name: str = ""
    target_address: str = ""
    observed_on: date | None = None
    ongoing: bool = False
    description: str = ""
    wishes: str = ""
    identity_mode: str = IdentityMode.ANONYMOUS
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    home_address: str = ""
    pin_lat: float | None = None
    pin_lon: float | None = None


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Filed:
    case_id: int
    number: str
    receipt: str  # shown once, never stored
    reissued: bool = False  # the form was sent again: a new receipt, the earlier one is void


def _clean(text: str) -> str:
    """Trimmed, with control characters (other than line breaks) removed."""
    text = unicodedata.normalize("NFC", text or "").strip()
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")


def id_number_valid(number: str) -> bool:
    """GB 11643-1999 citizen ID: 17 digits and an ISO 7064 MOD 11-2 check character."""
    number = number.upper()
    if not ID_NUMBER.match(number):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17]


def normalise_target(name: str) -> str:
    """The key that links complaints about one enterprise or site: no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if c.isalnum())[:120]


def validate(report: Report, *, uploads: list[Upload] = ()) -> dict[str, UserFacingError]:
    """Every problem, by form field. An empty dict means the report can be filed."""
    errors: dict[str, UserFacingError] = {}

    def problem(name: str, msgid: str, **params: object) -> None:
        errors.setdefault(name, UserFacingError(msgid, **params))

    if not report.types:
        problem("types", N_("Choose at least one type of pollution."))
    elif any(t not in TYPE_CODES for t in report.types):
        problem("types", N_("Choose the types of pollution from the list."))
    if geography.district_by_key(report.district) is None:
        problem("district", N_("Choose the district from the list."))
    location = _clean(report.location)
    if not LOCATION_MIN <= len(location) <= LOCATION_MAX:
        problem("location", N_("Give the place in {min} to {max} characters."),
                min=LOCATION_MIN, max=LOCATION_MAX)  # fmt: skip
    if len(_clean(report.target_name)) > 120:
        problem("target_name", N_("The name is too long (at most {max} characters)."), max=120)
    if len(_clean(report.target_address)) > 200:
        problem("target_address", N_("The address is too long (at most {max} characters)."),
                max=200)  # fmt: skip
    now = today()
    if report.observed_on is None:
        problem("observed_on", N_("Give the date you noticed the problem."))
    elif report.observed_on > now:
        problem("observed_on", N_("The date cannot be in the future."))
    elif report.observed_on < now - timedelta(days=OBSERVED_WITHIN_DAYS):
        problem("observed_on", N_("The date is more than two years ago."))
    description = _clean(report.description)
    if len(description) < DESCRIPTION_MIN:
        problem("description", N_("Describe the problem in at least {min} characters."),
                min=DESCRIPTION_MIN)  # fmt: skip
    elif len(description) > DESCRIPTION_MAX:
        problem("description", N_("The description is too long (at most {max} characters)."),
                max=DESCRIPTION_MAX)  # fmt: skip
    if len(_clean(report.wishes)) > 1000:
        problem("wishes", N_("This answer is too long (at most {max} characters)."), max=1000)
    _validate_identity(report, problem)
    if (report.pin_lat is None) != (report.pin_lon is None):
        problem("pin", N_("The map point is incomplete."))
    elif report.pin_lat is not None and not (
        PIN_LAT[0] <= report.pin_lat <= PIN_LAT[1] and PIN_LON[0] <= report.pin_lon <= PIN_LON[1]
    ):
        problem("pin", N_("The map point is outside Guiyang."))
    try:
        # Sizes, then headers and pixel caps: nothing is decoded until the report is filed.
        evidence.check_uploads([u.data for u in uploads])
    except evidence.EvidenceRejected as error:
        errors["evidence"] = error
    return errors


def _validate_identity(report: Report, problem) -> None:
    mode = report.identity_mode
    if mode not in set(IdentityMode):
        problem("identity_mode", N_("Choose how you want to be identified."))
        return
    name, phone, email = _clean(report.name), _clean(report.phone), _clean(report.email)
    if mode == IdentityMode.ANONYMOUS:
        return  # nothing asked, nothing kept: follow-up by receipt only
    if not 2 <= len(name) <= 40:
        problem("name", N_("Give your name (2 to 40 characters)."))
    if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        problem(
            "phone", N_("Give a mobile number (11 digits) or a landline such as 0851-12345678.")
        )
    if email and not EMAIL.match(email):
        problem("email", N_("The email address is not valid."))
    if mode == IdentityMode.CONFIDENTIAL and not (phone or email):
        problem("phone", N_("Give a phone number or an email address so the bureau can reply."))
    if mode == IdentityMode.REWARD:
        if not phone:
            problem("phone", N_("A reward claim needs a phone number."))
        if not id_number_valid(_clean(report.id_number)):
            problem("id_number", N_("The ID card number is not valid."))


def file_report(
    session: Session,
    report: Report,
    *,
    uploads: list[Upload] = (),
    channel: Channel = Channel.WEB,
    entered_by: Actor | None = None,
    is_demo: bool = False,
    submission_token: str | None = None,
) -> Filed:
    """Store a report (待审核) with its sealed identity and evidence; return the one-time receipt.

    Raises the first validation problem (pages call `validate` first to show them all) or
    EvidenceRejected; the caller's transaction then rolls everything back.

    With `submission_token` (the form's, see `new_submission_token`) a form sent again files
    nothing: `resend` gives its case a fresh receipt (`Filed.reissued`) or refuses
    (SubmissionUsed, ReissueRefused). Filing must then be the first write of the caller's
    transaction: when another request with the same token commits its case first, the
    transaction is rolled back and becomes that resend.
    """
    if (channel != Channel.WEB or entered_by is not None) and (  # staff enter for a reporter
        entered_by is None or not entered_by.has(Role.COMPLAINT_HANDLER)
    ):
        raise PermissionDenied(Role.COMPLAINT_HANDLER)
    errors = validate(report, uploads=uploads)
    if errors:
        raise next(iter(errors.values()))
    key = None
    if submission_token is not None:
        key = submission_key(submission_token)
        sent = _case_of_submission(session, submission_token)
        if sent is not None:
            return resend(session, sent, report, submission_token, entered_by=entered_by)
    # Checked again, then decoded one at a time; may raise EvidenceRejected.
    processed = evidence.process_images([u.data for u in uploads])
    filed_on = today()
    acceptance = deadlines.acceptance_due(filed_on)
    receipt = receipts.new_receipt()
    case = ComplaintCase(
        status=Status.SUBMITTED,
        receipt_key=receipts.receipt_key(receipt),
        submission_key=key,
        channel=channel,
        identity_mode=report.identity_mode,
        is_demo=is_demo,
        types=",".join(dict.fromkeys(report.types)),
        district_code=report.district,
        target_name=_clean(report.target_name),
        target_key=normalise_target(report.target_name),
        target_address=_clean(report.target_address),
        location_text=_clean(report.location),
        pin_lat=report.pin_lat,
        pin_lon=report.pin_lon,
        observed_on=report.observed_on,
        ongoing=report.ongoing,
        description=_clean(report.description),
        wishes=_clean(report.wishes),
        filed_at=utcnow(),
        filed_on=filed_on,
        acceptance_due=acceptance.due,
        current_due=acceptance.due,
        provisional_due=acceptance.provisional,
    )
    session.add(case)
    try:
        session.flush()
    except IntegrityError:
        # The same form, sent twice at once: the other request filed first (PostgreSQL waits for
        # it to commit on the unique index, SQLite on its write lock). Become its resend.
        if submission_token is None:
            raise
        session.rollback()
        sent = _case_of_submission(session, submission_token)
        if sent is None:
            raise
        return resend(session, sent, report, submission_token, entered_by=entered_by)
    case.number = f"GY-{filed_on.year}-{case.id:06d}"
    _seal_identity(session, case, report)
    for image in processed:
        session.add(_evidence_row(case.id, image, added_by="reporter"))
    actor = f"staff:{entered_by.username}" if entered_by is not None else "reporter"
    session.add(ComplaintEvent(case_id=case.id, actor=actor, action="file",
                               to_status=case.status, reason=channel))  # fmt: skip
    _link_repeats(session, case)
    if entered_by is not None:
        audit.record(session, actor=entered_by.username, action="complaint.file",
                     object_type="complaint_case", object_id=case.number,
                     details={"channel": channel})  # fmt: skip
    session.flush()
    return Filed(case_id=case.id, number=case.number, receipt=receipt)


def new_submission_token() -> str:
    """A form's one-time token (URL-safe, 192 bits from the CSPRNG)."""
    return secrets.token_urlsafe(SUBMISSION_TOKEN_BYTES)


def valid_submission_token(token: object) -> bool:
    return isinstance(token, str) and SUBMISSION_TOKEN.match(token) is not None


def submission_key(token: str, *, retired: bool = False) -> str:
    """The stored form of a form's token: HMAC-SHA256 under a key derived from the server secret
    (the token is random, so a fast keyed hash suffices). A retired token has a key of its own."""
    if not valid_submission_token(token):
        raise ValueError("malformed submission token")
    secret = get_settings().secret_key.get_secret_value().encode()
    derived = hmac.new(secret, b"complaint-submission-v1", hashlib.sha256).digest()
    state = b"retired:" if retired else b"live:"
    return hmac.new(derived, state + token.encode(), hashlib.sha256).hexdigest()


def _case_of_submission(session: Session, token: str) -> ComplaintCase | None:
    keys = (submission_key(token), submission_key(token, retired=True))
    return session.exec(
        select(ComplaintCase).where(col(ComplaintCase.submission_key).in_(keys))
    ).first()


def form_already_sent(session: Session, token: str) -> bool:
    """Whether the form with this token has filed a case (sending it again files nothing)."""
    return _case_of_submission(session, token) is not None


def _same_report(case: ComplaintCase, report: Report) -> bool:
    """Whether `report` is the one `case` was filed from (the form's values sent again as they
    were). A token alone (an address from the browser's history) never opens a case."""
    return (
        set(case.types.split(",")) == set(report.types)
        and case.district_code == report.district
        and case.location_text == _clean(report.location)
        and case.target_name == _clean(report.target_name)
        and case.observed_on == report.observed_on
        and case.description == _clean(report.description)
        and case.identity_mode == report.identity_mode
    )


def resend(
    session: Session,
    case: ComplaintCase,
    report: Report,
    submission_token: str,
    *,
    entered_by: Actor | None = None,
) -> Filed:
    """The form that filed `case` was sent again: a fresh receipt for the same case.

    The receipt key is replaced, so a receipt issued before stops working. Refused with
    SubmissionUsed for a different report, and with ReissueRefused once the case left 待审核,
    after `REISSUE_WITHIN`, or after the reporter confirmed the receipt (`retire_submission`).
    """
    if not _same_report(case, report):
        raise SubmissionUsed()
    live = submission_key(submission_token)
    if (
        case.submission_key != live
        or case.status != Status.SUBMITTED
        or utcnow() - case.filed_at > REISSUE_WITHIN
    ):
        raise ReissueRefused()
    receipt = receipts.new_receipt()
    # One UPDATE guarded by the state it needs (a moderation or a confirmation committed in the
    # meantime wins); no version bump: handlers' views of the case do not change.
    changed = session.execute(
        update(ComplaintCase)
        .where(col(ComplaintCase.id) == case.id, ComplaintCase.submission_key == live,
               ComplaintCase.status == Status.SUBMITTED.value)
        .values(receipt_key=receipts.receipt_key(receipt))
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if changed != 1:
        raise ReissueRefused()
    actor = f"staff:{entered_by.username}" if entered_by is not None else "reporter"
    session.add(ComplaintEvent(case_id=case.id, actor=actor, action="reissue_receipt",
                               from_status=case.status, to_status=case.status,
                               reason=case.channel))  # fmt: skip
    if entered_by is not None:
        audit.record(session, actor=entered_by.username, action="complaint.reissue_receipt",
                     object_type="complaint_case", object_id=case.number,
                     details={"channel": case.channel})  # fmt: skip
    session.flush()
    return Filed(case_id=case.id, number=case.number, receipt=receipt, reissued=True)


def retire_submission(session: Session, submission_token: str) -> None:
    """The reporter confirmed the receipt was saved: this form's token re-issues nothing any more
    (an address from the browser's history or its back button cannot open the case)."""
    session.execute(
        update(ComplaintCase)
        .where(ComplaintCase.submission_key == submission_key(submission_token))
        .values(submission_key=submission_key(submission_token, retired=True))
        .execution_options(synchronize_session=False)
    )


def _seal_identity(session: Session, case: ComplaintCase, report: Report) -> None:
    if report.identity_mode == IdentityMode.ANONYMOUS:
        return
    identity = {
        "name": _clean(report.name),
        "phone": _clean(report.phone),
        "email": _clean(report.email),
        "id_number": _clean(report.id_number).upper(),
        "home_address": _clean(report.home_address),
    }
    session.add(ComplaintIdentity(case_id=case.id, sealed=vault.seal_json(identity)))


def _evidence_row(case_id: int, image: evidence.ProcessedImage, *, added_by: str):
    return ComplaintEvidence(
        case_id=case_id,
        added_by=added_by,
        sealed_original=vault.seal(image.original),
        original_type=image.original_type,
        sha256=image.sha256,
        image=image.public,
        image_type=image.public_type,
        width=image.width,
        height=image.height,
    )


def add_evidence(session: Session, case: ComplaintCase, uploads: list[Upload]) -> int:
    """The reporter adds photos later (by receipt). Returns how many were added."""
    from services.complaints.workflow import _apply

    existing = session.exec(
        select(func.count()).select_from(ComplaintEvidence)
        .where(ComplaintEvidence.case_id == case.id)
    ).one()  # fmt: skip
    evidence.check_batch([len(u.data) for u in uploads])
    if existing + len(uploads) > MAX_FILES_PER_CASE:  # a case keeps at most two batches
        raise evidence.EvidenceRejected(evidence.TOO_MANY_FILES, limit=MAX_FILES_PER_CASE)
    for image in evidence.process_images([u.data for u in uploads]):  # pixel caps first
        session.add(_evidence_row(case.id, image, added_by="reporter"))
    _apply(session, case, "add_evidence", actor="reporter")
    return len(uploads)


def _link_repeats(session: Session, case: ComplaintCase) -> None:
    """Link a complaint to earlier open ones against the same target; escalate (督办) repeats.

    Filings about one target take turns (`_one_filing_per_target`), so each sees every earlier
    one and the third open complaint escalates exactly once. Escalating an earlier case is one
    UPDATE that needs no version check (it only ever sets a flag) but bumps the version, so a
    handler holding the old one is told the case changed; a resident's filing never fails
    because another was filed or acted on at the same moment.
    """
    if not case.target_key:
        return
    _one_filing_per_target(session, case.target_key)
    since = case.filed_on - timedelta(days=REPEAT_WINDOW_DAYS)
    earlier = session.exec(
        select(ComplaintCase.id, ComplaintCase.repeat_of_id)
        .where(ComplaintCase.target_key == case.target_key, ComplaintCase.id != case.id,
               col(ComplaintCase.status).in_([s.value for s in OPEN]),
               ComplaintCase.filed_on >= since)
        .order_by(col(ComplaintCase.filed_on), col(ComplaintCase.id))
    ).all()  # fmt: skip
    if not earlier:
        return
    case.repeat_of_id = earlier[0].repeat_of_id or earlier[0].id
    if len(earlier) + 1 < ESCALATE_AT:
        return
    raised = session.execute(
        update(ComplaintCase)
        .where(col(ComplaintCase.id).in_([row.id for row in earlier]),
               col(ComplaintCase.escalated).is_(False))
        .values(escalated=True, version=ComplaintCase.version + 1, updated_at=utcnow())
        .returning(ComplaintCase.id, ComplaintCase.status)
        .execution_options(synchronize_session="fetch")
    ).all()  # fmt: skip
    if not case.escalated:
        case.escalated = True
        raised.append((case.id, case.status))
    for case_id, status in raised:
        session.add(ComplaintEvent(case_id=case_id, actor="system", action="escalate",
                                   from_status=status, to_status=status,
                                   reason="repeat"))  # fmt: skip


def _one_filing_per_target(session: Session, target_key: str) -> None:
    """Wait for other filings about the same target to commit (until this one commits).

    PostgreSQL: a transaction-scoped advisory lock keyed by the target; at READ COMMITTED the
    next statement then sees every earlier filing. SQLite needs nothing: the case's INSERT has
    already taken the database's single write lock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"complaint-target:{target_key}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def similar_open_cases(
    session: Session, *, district: str, target_name: str, types: list[str], limit: int = 5
) -> list[ComplaintCase]:
    """Published open cases about the same target, or the same district and type in 30 days:
    a hint before filing (public-plane columns are what the page shows)."""
    key = normalise_target(target_name)
    query = select(ComplaintCase).where(
        col(ComplaintCase.published).is_(True),
        col(ComplaintCase.status).in_([s.value for s in OPEN]),
    )
    if key:
        query = query.where(ComplaintCase.target_key == key)
    else:
        main_types = {t.split(".")[0] for t in types}
        if not main_types or geography.district_by_key(district) is None:
            return []
        query = query.where(
            ComplaintCase.district_code == district,
            ComplaintCase.filed_on >= today() - timedelta(days=30),
            *[col(ComplaintCase.types).contains(f"{t}.") for t in sorted(main_types)[:1]],
        )
    return list(session.exec(query.order_by(col(ComplaintCase.filed_on).desc()).limit(limit)))

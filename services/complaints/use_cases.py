"""The complaint desk's staff use cases, each with a probe that runs it for real.

A probe writes the case its action needs directly as rows (so preparing it checks no role), then
calls the workflow or desk function as the actor under test. tests/app/test_role_matrix.py runs
every probe as every role, a staff member without a role and no one (services/shared/capability.py:
UseCase). Every probe's case lies in `DISTRICT`; the actions honour district-scoped grants.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from services.complaints import desk, intake, workflow
from services.complaints.catalog import (
    NOT_ACCEPTED_REASONS,
    OTHER_UNITS,
    Channel,
    Finding,
    IdentityMode,
    Status,
)
from services.complaints.model import ComplaintCase, ComplaintEvidence, ComplaintIdentity
from services.core.accounts import Actor, Role
from services.core.clock import today, utcnow
from services.core.messages import N_
from services.shared.capability import UseCase
from services.shared.sealed import vault

DISTRICT = "520102"  # 南明区: where every probe's case lies
HANDLER = (Role.COMPLAINT_HANDLER,)
SUPERVISOR = (Role.COMPLAINT_SUPERVISOR,)
DESK = desk.DESK_ROLES
REPLY = "经现场核查，反映的问题属实，已责令企业整改。"


def _case(session: Session, status: Status, **fields: object) -> ComplaintCase:
    """A case in `status`, written as a row (no workflow step, so no role is checked)."""
    day = today()
    case = ComplaintCase(
        status=status, channel=Channel.WEB, identity_mode=IdentityMode.CONFIDENTIAL,
        types="air.odour", district_code=DISTRICT, location_text="南明区某路口东侧",
        observed_on=day - timedelta(days=1), ongoing=True,
        description="每天傍晚有刺鼻的化学气味，持续两个小时以上，附近居民无法开窗。",
        filed_on=day, acceptance_due=day + timedelta(days=15),
        published=status != Status.SUBMITTED, public_summary="南明区某企业傍晚异味扰民",
        public_location="南明区某路口", accepted_on=day, closure_due=day + timedelta(days=60),
    )  # fmt: skip
    for name, value in fields.items():
        setattr(case, name, value)
    session.add(case)
    session.flush()
    case.number = f"GY-{day.year}-{case.id:06d}"
    session.flush()
    return case


def _act(status: Status, action, **params: object):
    """A probe: a case in `status`, then `action` on it as the actor, with `params`."""

    def run(session: Session, actor: Actor | None) -> object:
        case = _case(session, status)
        return action(session, actor=actor, case_id=case.id, version=case.version, **params)

    return run


def _mark_duplicate(session: Session, actor: Actor | None) -> object:
    original = _case(session, Status.ACCEPTED)
    case = _case(session, Status.PENDING)
    return workflow.mark_duplicate(session, actor=actor, case_id=case.id, version=case.version,
                                   original_number=original.number or "")  # fmt: skip


def _object_to_transfer(session: Session, actor: Actor | None) -> object:
    unit = next(iter(OTHER_UNITS))
    case = _case(session, Status.TRANSFERRED, transferred_to=unit,
                 transfer_objection_due=today() + timedelta(days=7))  # fmt: skip
    return workflow.object_to_transfer(session, actor=actor, case_id=case.id,
                                       version=case.version,
                                       reason="不属本单位职责范围")  # fmt: skip


def _decide_extension(approve: bool):
    def run(session: Session, actor: Actor | None) -> object:
        case = _case(session, Status.IN_PROGRESS, extension_requested_days=10)
        return workflow.decide_extension(session, actor=actor, case_id=case.id,
                                         version=case.version, approve=approve,
                                         reason="需要等待第三方监测报告")  # fmt: skip

    return run


def _open_identity(session: Session, actor: Actor | None) -> object:
    case = _case(session, Status.PENDING)
    session.add(ComplaintIdentity(case_id=case.id, sealed=vault.seal_json({"name": "张三"})))
    session.flush()
    return workflow.open_identity(session, actor=actor, case_id=case.id or 0)


def _open_original(session: Session, actor: Actor | None) -> object:
    case = _case(session, Status.PENDING)
    item = ComplaintEvidence(case_id=case.id or 0, added_by="reporter",
                             sealed_original=vault.seal(b"original"), original_type="image/jpeg",
                             sha256="0" * 64, image=b"copy", image_type="image/jpeg", width=1,
                             height=1)  # fmt: skip
    session.add(item)
    session.flush()
    return desk.open_original(session, actor=actor, evidence_id=item.id or 0)


def _moderate_confirmed(session: Session, actor: Actor | None) -> object:
    """Publishing a summary that seems to hold a phone number, confirmed as holding none."""
    case = _case(session, Status.SUBMITTED)
    return workflow.moderate(session, actor=actor, case_id=case.id, version=case.version,
                             summary="南明区某企业傍晚异味扰民，电话13800000000",
                             location="南明区某路口", confirmed_no_personal_data=True)  # fmt: skip


def _report() -> intake.Report:
    """A report as the desk enters it; the same as the rows `_case` writes."""
    return intake.Report(
        types=["air.odour"], district=DISTRICT, location="南明区某路口东侧",
        observed_on=today() - timedelta(days=1), ongoing=True,
        description="每天傍晚有刺鼻的化学气味，持续两个小时以上，附近居民无法开窗。",
        identity_mode=IdentityMode.CONFIDENTIAL, name="张三", phone="13800000000",
    )  # fmt: skip


def _file_on_behalf(session: Session, actor: Actor | None) -> object:
    return intake.file_report(session, _report(), channel=Channel.PHONE, entered_by=actor)


def _reissue_receipt(session: Session, actor: Actor | None) -> object:
    """The desk's form sent again: the case it filed gets a fresh receipt."""
    token = intake.new_submission_token()
    _case(session, Status.SUBMITTED, channel=Channel.PHONE, published=False,
          submission_key=intake.submission_key(token), filed_at=utcnow())  # fmt: skip
    return intake.file_report(session, _report(), channel=Channel.PHONE, entered_by=actor,
                              submission_token=token)  # fmt: skip


def _queue(session: Session, actor: Actor | None) -> object:
    _case(session, Status.PENDING)
    return desk.queue(session, actor=actor, name="open")


def _counts(session: Session, actor: Actor | None) -> object:
    _case(session, Status.PENDING)
    return desk.counts(session, actor=actor)


def _case_file(session: Session, actor: Actor | None) -> object:
    case = _case(session, Status.PENDING)
    return desk.case_file(session, actor=actor, number=case.number or "")


def _handler(name: str, label: str, run, *, audits: tuple[str, ...]) -> UseCase:
    return UseCase(f"complaints.{name}", label, HANDLER, run, audits=audits, district=DISTRICT)


USE_CASES: tuple[UseCase, ...] = (
    _handler("moderate", N_("Complaint published in the registry"),
             _act(Status.SUBMITTED, workflow.moderate, summary="南明区某企业傍晚异味扰民",
                  location="南明区某路口"), audits=("complaint.moderate",)),
    _handler("accept", N_("Complaint accepted"), _act(Status.PENDING, workflow.accept),
             audits=("complaint.accept",)),
    _handler("not_accept", N_("Complaint not accepted"),
             _act(Status.PENDING, workflow.not_accept, reason=next(iter(NOT_ACCEPTED_REASONS))),
             audits=("complaint.not_accept",)),
    _handler("mark_duplicate", N_("Complaint marked as a duplicate"), _mark_duplicate,
             audits=("complaint.mark_duplicate",)),
    _handler("transfer", N_("Complaint transferred"),
             _act(Status.ACCEPTED, workflow.transfer, unit=next(iter(OTHER_UNITS))),
             audits=("complaint.transfer",)),
    _handler("object_transfer", N_("Complaint transfer returned"), _object_to_transfer,
             audits=("complaint.object_transfer",)),
    _handler("take_up", N_("Complaint handling started"), _act(Status.ACCEPTED, workflow.take_up),
             audits=("complaint.take_up",)),
    _handler("site_check", N_("Complaint site check recorded"),
             _act(Status.IN_PROGRESS, workflow.record_site_check, note="现场检查：异味明显"),
             audits=("complaint.site_check",)),
    _handler("request_extension", N_("Complaint extension requested"),
             _act(Status.IN_PROGRESS, workflow.request_extension, days=10,
                  reason="需要等待第三方监测报告"), audits=("complaint.request_extension",)),
    UseCase("complaints.approve_extension", N_("Complaint extension approved"), SUPERVISOR,
            _decide_extension(True), audits=("complaint.approve_extension",), district=DISTRICT),
    UseCase("complaints.refuse_extension", N_("Complaint extension refused"), SUPERVISOR,
            _decide_extension(False), audits=("complaint.refuse_extension",), district=DISTRICT),
    _handler("close", N_("Complaint closed"),
             _act(Status.IN_PROGRESS, workflow.close, finding=Finding.SUBSTANTIATED, reply=REPLY,
                  public_outcome=REPLY), audits=("complaint.close",)),
    _handler("answer_review", N_("Complaint review answered"),
             _act(Status.REVIEW, workflow.answer_review, reply=REPLY),
             audits=("complaint.answer_review",)),
    _handler("answer_re_review", N_("Complaint re-review answered"),
             _act(Status.RE_REVIEW, workflow.answer_review, reply=REPLY),
             audits=("complaint.answer_re_review",)),
    _handler("ask", N_("Question sent to a reporter"),
             _act(Status.PENDING, workflow.ask_reporter, question="什么时段气味最重？"),
             audits=("complaint.ask",)),
    _handler("edit_public", N_("Complaint public text edited"),
             _act(Status.PENDING, workflow.edit_public, summary="南明区某企业傍晚异味扰民",
                  location="南明区某路口"), audits=("complaint.edit_public",)),
    UseCase("complaints.open_identity", N_("Sealed reporter identity opened"), SUPERVISOR,
            _open_identity, audits=("complaint.identity_opened",)),
    UseCase("complaints.open_original", N_("Sealed original photo opened"), SUPERVISOR,
            _open_original, audits=("complaint.original_opened",)),
    UseCase("complaints.file_on_behalf", N_("Complaint entered for a reporter"), HANDLER,
            _file_on_behalf, audits=("complaint.file",)),
    UseCase("complaints.reissue_receipt", N_("New receipt issued for a complaint entered again"),
            HANDLER, _reissue_receipt, audits=("complaint.reissue_receipt",)),
    _handler("moderate_confirmed", N_("Public complaint text confirmed free of personal data"),
             _moderate_confirmed, audits=("complaint.personal_data_confirmed",
                                          "complaint.moderate")),
    UseCase("complaints.queue", N_("Queues"), DESK, _queue),
    UseCase("complaints.counts", N_("Queues"), DESK, _counts),
    UseCase("complaints.case_file", N_("Complaint case file"), DESK, _case_file,
            district=DISTRICT, out_of_district=workflow.CaseNotFound),
)  # fmt: skip

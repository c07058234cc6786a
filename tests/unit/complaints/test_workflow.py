"""The complaint workflow: every transition, the deadlines it sets, permissions and concurrency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from services.complaints import workflow
from services.complaints.catalog import Status
from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintIdentity
from services.complaints.workflow import TRANSITIONS, CaseChanged, IllegalTransition, InvalidAction
from services.core import db
from services.core.accounts import PermissionDenied
from services.core.audit import AuditEntry
from services.shared.sealed import receipts
from tests.unit.complaints.conftest import a_report, act, as_reporter, file, load

W = workflow


def test_filing_sets_the_acceptance_deadline_and_a_public_number(engine, clock):
    clock.set(date(2026, 9, 16))  # 16 + 15 = 1 Oct, National Day -> 8 Oct
    filed = file(engine)
    case = load(engine, filed.case_id)
    assert case.status == Status.SUBMITTED and not case.published
    assert case.acceptance_due == case.current_due == date(2026, 10, 8)
    assert filed.number == f"GY-2026-{filed.case_id:06d}"
    assert len(filed.receipt) == 20 and filed.receipt.isdigit()
    assert filed.receipt not in (case.receipt_key or "")  # only the Argon2id hash is kept


def test_the_whole_path_to_a_final_answer(engine, clock, staff):
    handler, supervisor = staff["handler"], staff["supervisor"]
    clock.set(date(2026, 8, 3))
    filed = file(engine)
    cid = filed.case_id
    act(engine, W.moderate, handler, cid, summary="南明区某化工企业傍晚异味扰民", location="南明区")
    clock.set(date(2026, 8, 11))
    act(engine, W.accept, handler, cid)
    case = load(engine, cid)
    assert case.status == Status.ACCEPTED and case.closure_due == date(2026, 10, 10)
    clock.set(date(2026, 8, 12))
    act(engine, W.transfer, handler, cid, unit="520102")
    assert load(engine, cid).transfer_objection_due == date(2026, 8, 19)  # 5 working days
    act(engine, W.take_up, handler, cid)
    act(engine, W.record_site_check, handler, cid, note="现场检查：废气收集装置未运行",
        public_note="执法人员已现场检查")  # fmt: skip
    act(engine, W.request_extension, handler, cid, days=30, reason="需要委托监测，等待报告")
    act(engine, W.decide_extension, supervisor, cid, approve=True, reason="委托监测需30日")
    case = load(engine, cid)
    assert case.extension_days == 30 and case.closure_due == date(2026, 11, 9)
    assert case.current_due == date(2026, 11, 9)
    clock.set(date(2026, 9, 10))
    act(engine, W.close, handler, cid, finding="substantiated",
        reply="经查属实，已责令整改并立案处罚。",
        public_outcome="经查属实，已责令企业整改并立案处罚。")  # fmt: skip
    case = load(engine, cid)
    assert case.status == Status.CLOSED and case.review_request_due == date(2026, 10, 10)
    as_reporter(engine, filed.receipt, W.reporter_rate, "dissatisfied", "气味仍在")
    clock.set(date(2026, 10, 10))  # the last day of the window
    as_reporter(engine, filed.receipt, W.reporter_request_review, "整改后夜间仍有明显异味。")
    case = load(engine, cid)
    assert case.status == Status.REVIEW and case.review_due == date(2026, 11, 9)
    act(engine, W.answer_review, handler, cid, reply="复查：已加装活性炭装置，复测达标。")
    assert load(engine, cid).status == Status.REVIEWED
    clock.set(date(2026, 10, 20))
    as_reporter(engine, filed.receipt, W.reporter_request_review, "复测时间选在白天，不具代表性。")
    assert load(engine, cid).status == Status.RE_REVIEW
    act(engine, W.answer_review, handler, cid, reply="复核：夜间复测仍达标，维持复查意见。")
    assert load(engine, cid).status == Status.FINAL
    with pytest.raises(InvalidAction) as refused:
        as_reporter(engine, filed.receipt, W.reporter_request_review, "仍然不服，再次申请复核。")
    assert refused.value.msgid == W.FINAL_REFUSAL  # after 复核 the same facts are not accepted
    with db.unit_of_work(engine) as session:
        actions = [e.action for e in W.events(session, cid)]
    assert actions == [
        "file", "moderate", "accept", "transfer", "take_up", "site_check", "request_extension",
        "approve_extension", "close", "rate", "request_review", "answer_review",
        "request_re_review", "answer_re_review",
    ]  # fmt: skip


def test_review_must_be_requested_within_30_days_of_the_answer(engine, clock, staff):
    handler = staff["handler"]
    clock.set(date(2026, 9, 1))
    filed = file(engine)
    for step, params in [
        (W.moderate, {"summary": "某企业夜间噪声扰民问题", "location": "南明区"}),
        (W.accept, {}),
        (W.close, {"finding": "unsubstantiated", "reply": "经现场监测，噪声未超标。",
                   "public_outcome": "经现场监测，厂界噪声未超标。"}),
    ]:  # fmt: skip
        act(engine, step, handler, filed.case_id, **params)
    # answered 1 Sep: + 30 = 1 Oct, National Day, so the window runs to Thu 8 Oct
    assert load(engine, filed.case_id).review_request_due == date(2026, 10, 8)
    clock.set(date(2026, 10, 9))
    with pytest.raises(InvalidAction):
        as_reporter(engine, filed.receipt, W.reporter_request_review, "监测时段不具代表性。")
    assert load(engine, filed.case_id).status == Status.CLOSED


# The legal steps, written out by hand from the procedure (信访工作条例 2022 and the 12369 rules):
# action → (the statuses it may start from, the status it leads to; None: the status stays).
# Every other (action, status) pair is illegal. Status words: 待审核 submitted, 待受理 pending,
# 已受理 accepted, 不予受理 not_accepted, 重复 duplicate, 已转办 transferred, 办理中 in_progress,
# 已办结 closed, 复查中 review, 复查已答复 reviewed, 复核中 re_review, 已终结 final.
_OPEN = {"submitted", "pending", "accepted", "transferred", "in_progress", "review", "re_review"}
_HANDLING = {"accepted", "transferred", "in_progress"}  # the 60-day handling period runs
_ANY = _OPEN | {"not_accepted", "duplicate", "closed", "reviewed", "final"}
LEGAL_STEPS: dict[str, tuple[set[str], str | None]] = {
    "moderate": ({"submitted"}, "pending"),  # published once moderated
    "accept": ({"pending"}, "accepted"),  # a decision within 15 days of receipt
    "not_accept": ({"submitted", "pending"}, "not_accepted"),  # an enumerated reason, told
    "mark_duplicate": ({"submitted", "pending"}, "duplicate"),  # linked to the accepted case
    "transfer": ({"accepted", "in_progress"}, "transferred"),  # to the competent unit
    "object_transfer": ({"transferred"}, "accepted"),  # the unit objects within 5 working days
    "take_up": ({"accepted", "transferred"}, "in_progress"),
    "site_check": ({"in_progress"}, None),
    "request_extension": (_HANDLING, None),  # at most 30 days more, once
    "approve_extension": (_HANDLING, None),
    "refuse_extension": (_HANDLING, None),
    "close": (_HANDLING, "closed"),  # a written reply within 60 days (+ extension)
    "request_review": ({"closed"}, "review"),  # 复查 asked within 30 days of the reply
    "answer_review": ({"review"}, "reviewed"),  # answered within 30 days
    "request_re_review": ({"reviewed"}, "re_review"),  # 复核 asked within 30 days
    "answer_re_review": ({"re_review"}, "final"),  # final: the same facts are refused after it
    "ask": (_OPEN, None),  # questions and answers while the case is open
    "answer": (_OPEN, None),
    "add_evidence": (_OPEN | {"closed", "reviewed"}, None),  # also to support a review request
    "rate": ({"closed", "reviewed", "final"}, None),  # the reporter rates an answered case
    "edit_public": (_ANY - {"submitted"}, None),  # moderating what is published
    "escalate": (_OPEN, None),  # 督办 of repeat complaints while open
    "open_identity": (_ANY, None),  # a supervisor, audited, any time
}


def test_the_workflow_knows_exactly_the_hand_written_steps_and_statuses():
    assert set(TRANSITIONS) == set(LEGAL_STEPS)
    assert {s.value for s in Status} == _ANY


@pytest.mark.parametrize("action", sorted(LEGAL_STEPS))
@pytest.mark.parametrize("status", list(Status))
def test_every_action_is_allowed_exactly_from_its_statuses(engine, clock, action, status):
    filed = file(engine)
    starts, leads_to = LEGAL_STEPS[action]
    with Session(engine) as session:
        case = session.get(ComplaintCase, filed.case_id)
        case.status = status.value
        if status.value in starts:
            W._apply(session, case, action, actor="test")
            assert case.status == (leads_to or status.value)
        else:
            with pytest.raises(IllegalTransition):
                W._apply(session, case, action, actor="test")
            assert case.status == status.value
        session.rollback()


def test_illegal_steps_through_the_service_raise_and_change_nothing(engine, clock, staff):
    filed = file(engine)
    before = load(engine, filed.case_id).version
    with pytest.raises(IllegalTransition):
        act(engine, W.accept, staff["handler"], filed.case_id)  # not moderated yet
    with pytest.raises(IllegalTransition):
        as_reporter(engine, filed.receipt, W.reporter_rate, "satisfied")  # not closed
    case = load(engine, filed.case_id)
    assert case.status == Status.SUBMITTED and case.version == before and not case.rating


def test_not_accepted_only_for_an_enumerated_reason(engine, clock, staff):
    filed = file(engine)
    with pytest.raises(InvalidAction):
        act(engine, W.not_accept, staff["handler"], filed.case_id, reason="busy")
    act(engine, W.not_accept, staff["handler"], filed.case_id, reason="outside_remit")
    case = load(engine, filed.case_id)
    assert case.status == Status.NOT_ACCEPTED and case.not_accepted_reason == "outside_remit"
    assert case.current_due is None


def test_a_duplicate_links_to_the_case_already_accepted(engine, clock, staff):
    first, second = file(engine), file(engine)
    act(engine, W.mark_duplicate, staff["handler"], second.case_id, original_number=first.number)
    case = load(engine, second.case_id)
    assert case.status == Status.DUPLICATE and case.duplicate_of_id == first.case_id
    with pytest.raises(InvalidAction):
        act(engine, W.mark_duplicate, staff["handler"], first.case_id, original_number="GY-0")


def test_extension_needs_a_supervisor_and_happens_once(engine, clock, staff):
    handler, supervisor = staff["handler"], staff["supervisor"]
    filed = file(engine)
    act(engine, W.moderate, handler, filed.case_id, summary="某企业废水直排问题", location="南明区")
    act(engine, W.accept, handler, filed.case_id)
    with pytest.raises(InvalidAction):
        act(engine, W.request_extension, handler, filed.case_id, days=31, reason="需要更多时间")
    act(engine, W.request_extension, handler, filed.case_id, days=10, reason="等待监测报告")
    with pytest.raises(PermissionDenied):
        act(engine, W.decide_extension, handler, filed.case_id, approve=True, reason="同意延期")
    act(engine, W.decide_extension, supervisor, filed.case_id, approve=False, reason="理由不足")
    case = load(engine, filed.case_id)
    assert case.extension_days == 0 and case.extension_requested_days == 0
    act(engine, W.request_extension, handler, filed.case_id, days=10, reason="补充说明理由")
    act(engine, W.decide_extension, supervisor, filed.case_id, approve=True, reason="同意延期")
    assert load(engine, filed.case_id).extension_days == 10
    with pytest.raises(InvalidAction):
        act(engine, W.request_extension, handler, filed.case_id, days=5, reason="再次延期")


def test_a_transfer_can_be_objected_to_within_5_working_days_only(engine, clock, staff):
    handler = staff["handler"]
    clock.set(date(2026, 9, 25))
    filed = file(engine)
    act(engine, W.moderate, handler, filed.case_id, summary="某工地夜间施工噪声", location="南明区")
    act(engine, W.accept, handler, filed.case_id)
    act(engine, W.transfer, handler, filed.case_id, unit="housing")
    assert load(engine, filed.case_id).transfer_objection_due == date(2026, 10, 9)
    clock.set(date(2026, 10, 9))
    act(engine, W.object_to_transfer, handler, filed.case_id, reason="不属于本部门职责")
    assert load(engine, filed.case_id).status == Status.ACCEPTED
    act(engine, W.transfer, handler, filed.case_id, unit="urban_management")  # due 16 Oct
    clock.set(date(2026, 10, 19))
    with pytest.raises(InvalidAction):
        act(engine, W.object_to_transfer, handler, filed.case_id, reason="不属于本部门职责")
    with pytest.raises(InvalidAction):
        act(engine, W.transfer, handler, filed.case_id, unit="nowhere")


def test_two_handlers_on_one_case_one_wins_the_other_is_told(engine, clock, staff):
    filed = file(engine)
    act(engine, W.moderate, staff["handler"], filed.case_id, summary="某餐馆油烟扰民问题",
        location="南明区")  # fmt: skip
    seen = load(engine, filed.case_id).version
    with db.unit_of_work(engine) as session:
        W.accept(session, actor=staff["handler"], case_id=filed.case_id, version=seen)
    with pytest.raises(CaseChanged), db.unit_of_work(engine) as session:
        W.not_accept(session, actor=staff["supervisor"] and staff["handler"],
                     case_id=filed.case_id, version=seen, reason="outside_remit")  # fmt: skip
    assert load(engine, filed.case_id).status == Status.ACCEPTED


def test_a_write_race_is_caught_by_the_database_version_check(engine, clock, staff):
    filed = file(engine)
    act(engine, W.moderate, staff["handler"], filed.case_id, summary="某餐馆油烟扰民问题",
        location="南明区")  # fmt: skip
    version = load(engine, filed.case_id).version
    first, second = Session(engine), Session(engine)
    try:  # both read the same version before either writes
        W.accept(first, actor=staff["handler"], case_id=filed.case_id, version=version)
        case = second.get(ComplaintCase, filed.case_id)
        first.commit()
        with pytest.raises(CaseChanged):
            W._apply(second, case, "not_accept", actor="staff:other")
    finally:
        first.close()
        second.close()
    assert load(engine, filed.case_id).status == Status.ACCEPTED


def test_a_district_handler_acts_on_its_district_only(engine, clock, staff):
    nanming = file(engine)
    with pytest.raises(PermissionDenied):
        act(engine, W.moderate, staff["yunyan"], nanming.case_id, summary="某企业异味问题",
            location="南明区")  # fmt: skip
    yunyan = file(engine, a_report(district="520103"))
    act(engine, W.moderate, staff["yunyan"], yunyan.case_id, summary="某企业异味问题",
        location="云岩区")  # fmt: skip


def test_only_a_supervisor_opens_the_sealed_identity_and_it_is_audited(engine, clock, staff):
    filed = file(engine, a_report(name="李四", phone="13912345678", email="li@example.com"))
    with Session(engine) as session:
        sealed = session.exec(select(ComplaintIdentity)).one().sealed
    assert b"13912345678" not in sealed and "李四".encode() not in sealed
    with pytest.raises(PermissionDenied), db.unit_of_work(engine) as session:
        W.open_identity(session, actor=staff["handler"], case_id=filed.case_id)
    with db.unit_of_work(engine) as session:
        identity = W.open_identity(session, actor=staff["supervisor"], case_id=filed.case_id)
    assert identity["name"] == "李四" and identity["phone"] == "13912345678"
    with Session(engine) as session:
        opened = session.exec(
            select(AuditEntry).where(AuditEntry.action == "complaint.identity_opened")
        ).all()
    assert [(e.actor, e.object_id) for e in opened] == [("super", filed.number)]


def test_repeat_complaints_against_one_target_are_linked_and_escalated(engine, clock):
    first = file(engine, a_report(target_name="某某化工 有限公司"))
    second = file(engine, a_report(target_name="某某化工有限公司"))
    assert load(engine, second.case_id).repeat_of_id == first.case_id
    assert not load(engine, first.case_id).escalated
    clock.advance(timedelta(hours=2))
    third = file(engine, a_report(target_name="某某化工有限公司。"))
    assert all(load(engine, f.case_id).escalated for f in (first, second, third))
    # escalation is a change to the earlier cases: their last-change time moves with it
    assert {load(engine, f.case_id).updated_at for f in (first, second)} == {clock.now()}
    with Session(engine) as session:
        escalations = session.exec(
            select(ComplaintEvent).where(ComplaintEvent.action == "escalate")
        ).all()
    assert len(escalations) == 3


def test_overdue_is_computed_from_the_open_step(engine, clock, staff):
    clock.set(date(2026, 11, 2))
    filed = file(engine)  # acceptance due 17 Nov
    case = load(engine, filed.case_id)
    assert not W.overdue(case, date(2026, 11, 17)) and W.overdue(case, date(2026, 11, 18))
    act(engine, W.moderate, staff["handler"], filed.case_id, summary="某企业废气扰民问题",
        location="南明区")  # fmt: skip
    act(engine, W.accept, staff["handler"], filed.case_id)
    case = load(engine, filed.case_id)
    # 2 Nov + 60 = Fri 1 Jan 2027: that year's calendar is not published yet, so the day counts
    # as a weekday and the deadline is marked provisional
    assert case.closure_due == date(2027, 1, 1) and case.provisional_due
    assert not W.overdue(case, date(2026, 12, 31))


def test_a_wrong_and_a_malformed_receipt_get_the_same_answer(engine, clock):
    filed = file(engine)
    wrong = f"{(int(filed.receipt) + 1) % 10**20:020d}"
    for typed in (wrong, "12345", "<script>", ""):
        with pytest.raises(W.CaseNotFound), Session(engine) as session:
            W.reporter_case(session, receipts.lookup_key(typed))
    with Session(engine) as session:
        grouped = receipts.grouped(filed.receipt)
        assert W.reporter_case(session, receipts.lookup_key(grouped)).id == filed.case_id

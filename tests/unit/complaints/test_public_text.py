"""Every public free text of a case (target, summary, location, remediation, outcome, review
answers, public timeline notes) passes the personal-data detector before it is published, and the
public plane shows the moderated target only, never the reporter's wording.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from services.complaints import registry, workflow
from services.complaints.catalog import Status
from services.core import db
from services.core.accounts import PermissionDenied
from services.core.audit import AuditEntry
from services.shared.pii import PersonalDataFound
from tests.unit.complaints.conftest import a_report, act, as_reporter, file, load

W = workflow
# the report of the hole: a neighbour's phone number and surname in the enterprise/site field
LEAKY_TARGET = "楼下餐馆 老板张某电话13911112222"
SUMMARY = "南明区某餐馆油烟直排扰民"


def confirmations(engine) -> list[dict]:
    with db.unit_of_work(engine) as session:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.action == "complaint.personal_data_confirmed")
        ).all()
        return [{"object": r.object_id, **json.loads(r.details)} for r in rows]


@pytest.fixture
def leaky(engine, clock):
    clock.set(date(2026, 11, 2))
    return file(engine, a_report(types=["air.cooking_fumes"], target_name=LEAKY_TARGET))


def test_publishing_the_reporters_target_as_typed_is_refused(engine, staff, leaky):
    case = load(engine, leaky.case_id)
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.moderate, staff["handler"], leaky.case_id, summary=SUMMARY,
            location="南明区某路一带", target=case.target_name)  # fmt: skip
    error = refused.value
    assert [(f.field, f.kind, f.masked) for f in error.findings] == [
        ("target", "phone", "139****2222")
    ]
    assert error.lines(str) == [
        "The public target seems to contain a phone number: 139****2222. Remove it, or confirm "
        "it is not personal data."
    ]
    case = load(engine, leaky.case_id)
    assert case.status == Status.SUBMITTED and not case.published and case.public_target == ""
    assert confirmations(engine) == []


def test_a_cleaned_target_is_published_and_the_reporters_wording_never(engine, staff, leaky):
    act(engine, W.moderate, staff["handler"], leaky.case_id, summary=SUMMARY,
        location="南明区某路一带", target="某餐馆（南明区）")  # fmt: skip
    case = load(engine, leaky.case_id)
    assert case.published and case.public_target == "某餐馆(南明区)"  # stored NFKC
    assert case.target_name == LEAKY_TARGET  # the staff plane keeps what the reporter wrote
    with db.unit_of_work(engine) as session:
        (shown,), _ = registry.search(session)
        assert shown.target == "某餐馆(南明区)"
        for words in ("张某", "13911112222", "楼下餐馆", "老板"):  # the reporter's wording
            assert registry.search(session, registry.Filters(text=words)) == ([], 0)
        assert registry.search(session, registry.Filters(text="某餐馆"))[1] == 1
        frame = registry.public_frame(session)
        assert LEAKY_TARGET not in frame.to_csv() and "target_name" not in frame.columns


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("summary", dict(summary="反映餐馆油烟，联系人电话 139 1111 2222", location="南明区")),
        ("location", dict(summary=SUMMARY, location="南明区贵A12345车位旁")),
        ("target", dict(summary=SUMMARY, location="南明区", target="某餐馆 z@example.cn")),
    ],
)
def test_moderation_refuses_personal_data_in_any_public_field(engine, staff, leaky, field, params):
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.moderate, staff["handler"], leaky.case_id, **params)
    assert [f.field for f in refused.value.findings] == [field]
    assert not load(engine, leaky.case_id).published


def test_a_confirmed_finding_is_published_and_audited_without_the_text(engine, staff, leaky):
    handler = staff["handler"]
    act(engine, W.moderate, handler, leaky.case_id, summary="某路段夜间施工，证号0851-86851234公示",
        location="南明区", target="某餐馆", confirmed_no_personal_data=True)  # fmt: skip
    case = load(engine, leaky.case_id)
    assert case.published and "0851-86851234" in case.public_summary
    (entry,) = confirmations(engine)
    assert entry == {"object": leaky.number, "step": "moderate", "kinds": {"summary": ["phone"]}}
    with db.unit_of_work(engine) as session:
        details = session.exec(select(AuditEntry.details)).all()
    assert not any("86851234" in d for d in details)  # neither the number nor its excerpt


def test_nothing_found_needs_no_confirmation_and_audits_none(engine, staff, leaky):
    act(engine, W.moderate, staff["handler"], leaky.case_id, summary=SUMMARY, location="南明区",
        target="某餐馆", confirmed_no_personal_data=True)  # fmt: skip
    assert confirmations(engine) == []


def test_staff_edit_the_public_target_of_a_published_case(engine, staff, leaky):
    handler = staff["handler"]
    act(engine, W.moderate, handler, leaky.case_id, summary=SUMMARY, location="南明区",
        target="某餐馆")  # fmt: skip
    act(engine, W.edit_public, handler, leaky.case_id, summary=SUMMARY, location="南明区",
        target="示例\n川菜馆\t（南明店）")  # fmt: skip
    assert load(engine, leaky.case_id).public_target == "示例 川菜馆 (南明店)"  # one line
    act(engine, W.edit_public, handler, leaky.case_id, summary=SUMMARY, location="南明区")
    assert load(engine, leaky.case_id).public_target == "示例 川菜馆 (南明店)"  # None keeps it
    with pytest.raises(PersonalDataFound):
        act(engine, W.edit_public, handler, leaky.case_id, summary=SUMMARY, location="南明区",
            target="川菜馆 老板微信：wang_laoban88")  # fmt: skip
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.edit_public, handler, leaky.case_id, summary=SUMMARY, location="南明区",
            remediation="已约谈经营者，身份证号520102199003077398")  # fmt: skip
    assert [(f.field, f.kind) for f in refused.value.findings] == [("remediation", "id_number")]
    with pytest.raises(W.InvalidAction):
        act(engine, W.edit_public, handler, leaky.case_id, summary=SUMMARY, location="南明区",
            target="某" * 121)  # fmt: skip
    case = load(engine, leaky.case_id)
    assert case.public_target == "示例 川菜馆 (南明店)" and case.remediation == ""


def test_outcome_review_answer_and_timeline_note_are_checked(engine, staff, leaky, clock):
    handler = staff["handler"]
    cid = leaky.case_id
    act(engine, W.moderate, handler, cid, summary=SUMMARY, location="南明区", target="某餐馆")
    act(engine, W.accept, handler, cid)
    act(engine, W.take_up, handler, cid)
    with pytest.raises(PersonalDataFound):
        act(engine, W.record_site_check, handler, cid, note="现场检查",
            public_note="已联系经营者13911112222")  # fmt: skip
    act(engine, W.record_site_check, handler, cid, note="现场检查", public_note="已现场检查")
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.close, handler, cid, finding="substantiated", reply="经查属实，已责令整改。",
            public_outcome="经查属实，已责令经营者（电话13911112222）整改。")  # fmt: skip
    assert [f.field for f in refused.value.findings] == ["outcome"]
    assert load(engine, cid).status == Status.IN_PROGRESS
    # the written reply goes to the reporter only: it may name what the reporter wrote
    act(engine, W.close, handler, cid, finding="substantiated",
        reply="您反映的13911112222经营者已整改。",
        public_outcome="经查属实，已责令经营者整改。")  # fmt: skip
    as_reporter(engine, leaky.receipt, W.reporter_request_review, "整改后夜间仍有明显油烟。")
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.answer_review, handler, cid, reply="复查：已约谈老板，电话0851-86851234。")
    assert [f.field for f in refused.value.findings] == ["reply"]
    act(engine, W.answer_review, handler, cid, reply="复查：已约谈老板，电话0851-86851234。",
        confirmed_no_personal_data=True)  # fmt: skip
    assert load(engine, cid).status == Status.REVIEWED
    assert [e["step"] for e in confirmations(engine)] == ["answer_review"]


def test_role_and_scope_are_checked_before_the_text(engine, staff, leaky):
    with pytest.raises(PermissionDenied):  # a handler of another district learns nothing
        act(engine, W.moderate, staff["yunyan"], leaky.case_id, summary=SUMMARY,
            location="南明区", target=LEAKY_TARGET)  # fmt: skip
    with pytest.raises(W.InvalidAction):  # length is checked as before
        act(engine, W.moderate, staff["handler"], leaky.case_id, summary="短",
            location="南明区", target=LEAKY_TARGET)  # fmt: skip


def test_staff_edit_the_public_outcome_of_a_closed_case(engine, staff, leaky):
    handler, cid = staff["handler"], leaky.case_id
    act(engine, W.moderate, handler, cid, summary=SUMMARY, location="南明区", target="某餐馆")
    # before closing there is no outcome to edit: passing one changes nothing
    act(engine, W.edit_public, handler, cid, summary=SUMMARY, location="南明区",
        outcome="经查属实，已责令经营者整改完毕。")  # fmt: skip
    assert load(engine, cid).public_outcome == ""
    act(engine, W.accept, handler, cid)
    act(engine, W.take_up, handler, cid)
    act(engine, W.close, handler, cid, finding="substantiated", reply="经查属实，已责令整改。",
        public_outcome="经查属实，已责令经营者整改。")  # fmt: skip
    with pytest.raises(PersonalDataFound) as refused:
        act(engine, W.edit_public, handler, cid, summary=SUMMARY, location="南明区",
            outcome="经查属实，已责令经营者张某（13911112222）整改。")  # fmt: skip
    assert [f.field for f in refused.value.findings] == ["outcome"]
    assert load(engine, cid).public_outcome == "经查属实，已责令经营者整改。"
    act(engine, W.edit_public, handler, cid, summary=SUMMARY, location="南明区",
        outcome="经查属实，已责令经营者于11月底前整改完毕。")  # fmt: skip
    assert load(engine, cid).public_outcome == "经查属实，已责令经营者于11月底前整改完毕。"
    act(engine, W.edit_public, handler, cid, summary=SUMMARY, location="南明区")  # None keeps it
    assert load(engine, cid).public_outcome == "经查属实，已责令经营者于11月底前整改完毕。"

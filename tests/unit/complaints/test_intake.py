"""Filing: field-by-field validation, nothing half-saved, receipts, similar-case hints."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.complaints.model import ComplaintCase, ComplaintEvidence, ComplaintIdentity
from services.core import db
from services.shared.sealed import evidence, receipts
from tests.unit.complaints.conftest import a_report, act, file


def errors_of(report: intake.Report, **kwargs) -> dict[str, str]:
    if report.observed_on is None:
        report.observed_on = workflow.today() - timedelta(days=1)
    return {k: e.msgid for k, e in intake.validate(report, **kwargs).items()}


def test_a_valid_report_has_no_problem(clock):
    assert errors_of(a_report()) == {}


@pytest.mark.parametrize("place", ["甲秀楼", "花溪", "黔灵山公园东门"])
def test_a_landmark_of_two_or_three_characters_is_a_place(clock, place):
    assert errors_of(a_report(location=place)) == {}


@pytest.mark.parametrize(
    ("changes", "field", "msgid"),
    [
        ({"types": []}, "types", "Choose at least one type of pollution."),
        ({"types": ["air.nonsense"]}, "types", "Choose the types of pollution from the list."),
        ({"district": "999999"}, "district", "Choose the district from the list."),
        ({"district": ""}, "district", "Choose the district from the list."),
        ({"location": "路"}, "location", "Give the place in {min} to {max} characters."),
        (
            {"description": "有气味"},
            "description",
            "Describe the problem in at least {min} characters.",
        ),
        (
            {"description": "臭" * 5001},
            "description",
            "The description is too long (at most {max} characters).",
        ),
        ({"name": ""}, "name", "Give your name (2 to 40 characters)."),
        (
            {"phone": "12345", "email": ""},
            "phone",
            "Give a mobile number (11 digits) or a landline such as 0851-12345678.",
        ),
        (
            {"phone": "", "email": ""},
            "phone",
            "Give a phone number or an email address so the bureau can reply.",
        ),
        ({"email": "not-an-address"}, "email", "The email address is not valid."),
        (
            {"identity_mode": "reward", "id_number": "520102199003077391"},
            "id_number",
            "The ID card number is not valid.",
        ),
        ({"pin_lat": 39.9, "pin_lon": 116.4}, "pin", "The map point is outside Guiyang."),
        ({"pin_lat": 26.5}, "pin", "The map point is incomplete."),
        ({"identity_mode": "celebrity"}, "identity_mode", "Choose how you want to be identified."),
    ],
)
def test_each_problem_is_reported_on_its_field(clock, changes, field, msgid):
    assert errors_of(a_report(**changes)).get(field) == msgid


def test_dates_in_the_future_or_too_old_are_refused(clock):
    today = workflow.today()
    future = errors_of(a_report(observed_on=today + timedelta(days=1)))
    old = errors_of(a_report(observed_on=today - timedelta(days=731)))
    assert future["observed_on"] == "The date cannot be in the future."
    assert old["observed_on"] == "The date is more than two years ago."


def test_an_anonymous_report_needs_no_name_and_keeps_none(engine, clock):
    filed = file(engine, a_report(identity_mode=IdentityMode.ANONYMOUS, name="", phone=""))
    with Session(engine) as session:
        assert session.exec(select(ComplaintIdentity)).all() == []
        assert session.get(ComplaintCase, filed.case_id).identity_mode == "anonymous"


def test_a_valid_reward_claim_is_accepted(clock):
    assert errors_of(a_report(identity_mode="reward", id_number="520102199003077398")) == {}
    assert intake.id_number_valid("11010519491231002X")  # the GB 11643 worked example


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 200, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_bad_photo_after_a_good_one_saves_nothing(engine, clock):
    uploads = [intake.Upload("a.jpg", jpeg()), intake.Upload("b.jpg", b"<script>alert(1)</script>")]
    with pytest.raises(evidence.EvidenceRejected), db.unit_of_work(engine) as session:
        intake.file_report(session, a_report(observed_on=workflow.today()), uploads=uploads)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ComplaintCase)).one() == 0
        assert session.exec(select(func.count()).select_from(ComplaintEvidence)).one() == 0
        assert session.exec(select(func.count()).select_from(ComplaintIdentity)).one() == 0


def test_an_oversized_upload_is_refused_before_anything_is_decoded(engine, clock):
    big = intake.Upload("big.jpg", b"\xff\xd8" + b"\0" * evidence.MAX_FILE_BYTES)
    problems = errors_of(a_report(), uploads=[big])
    assert problems == {"evidence": evidence.FILE_TOO_LARGE}


def test_a_photo_is_stored_as_a_sealed_original_and_a_clean_copy(engine, clock):
    filed = file(engine, a_report(), uploads=[intake.Upload("a.jpg", jpeg())])
    with Session(engine) as session:
        photo = session.exec(select(ComplaintEvidence)).one()
    assert photo.case_id == filed.case_id and photo.image_type == "image/jpeg"
    assert photo.sealed_original != jpeg() and b"JFIF" not in photo.sealed_original


def test_malformed_receipts_cost_the_same_argon2_work(monkeypatch):
    calls = []
    real = receipts.receipt_key
    monkeypatch.setattr(receipts, "receipt_key", lambda r: calls.append(r) or real(r))
    assert receipts.lookup_key("not a receipt") is None
    assert receipts.lookup_key("1234 5678 9012 3456 7890") is not None
    assert len(calls) == 2  # one slow hash each, malformed or not


def test_receipts_are_20_random_digits():
    issued = {receipts.new_receipt() for _ in range(200)}
    assert len(issued) == 200 and all(len(r) == 20 and r.isdigit() for r in issued)
    assert receipts.normalise("1234-5678 9012 3456 7890") == "12345678901234567890"
    assert receipts.normalise("１２３４５６７８９０１２３４５６７８９０") is None  # full-width


def test_similar_open_cases_are_suggested_by_target_or_by_place_and_type(engine, clock, staff):
    filed = file(engine, a_report(target_name="示例兴达化工有限公司"))
    act(engine, workflow.moderate, staff["handler"], filed.case_id, summary="某化工企业异味扰民",
        location="南明区")  # fmt: skip
    with Session(engine) as session:
        by_target = intake.similar_open_cases(
            session, district="520103", target_name="示例兴达化工 有限公司", types=[]
        )
        by_place = intake.similar_open_cases(
            session, district="520102", target_name="", types=["air.smoke_dust"]
        )
        elsewhere = intake.similar_open_cases(
            session, district="520111", target_name="", types=["air.odour"]
        )
    assert [c.id for c in by_target] == [filed.case_id]
    assert [c.id for c in by_place] == [filed.case_id]
    assert elsewhere == []


def test_staff_enter_reports_received_by_phone_letter_visit_or_wechat(engine, clock, staff):
    from services.complaints.catalog import Channel
    from services.core.accounts import PermissionDenied

    with pytest.raises(PermissionDenied), db.unit_of_work(engine) as session:
        intake.file_report(session, a_report(observed_on=workflow.today()), channel=Channel.PHONE)
    for channel in (Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.WECHAT):
        filed = file(engine, a_report(), channel=channel, entered_by=staff["handler"])
        with Session(engine) as session:
            case = session.get(ComplaintCase, filed.case_id)
            first = workflow.events(session, filed.case_id)[0]
        assert case.channel == channel and case.status == "submitted"
        assert (first.action, first.actor, first.reason) == ("file", "staff:handler", channel)

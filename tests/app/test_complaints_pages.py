"""The complaint pages as a reader and as staff use them (AppTest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from services.complaints import workflow
from services.complaints.model import ComplaintCase

DESCRIPTION = "每天傍晚有刺鼻的化学气味，持续两个小时以上，附近居民无法开窗。"


def fill_report(at, **changes):
    values = {
        "types": ["air.odour"],
        "district": "520102",
        "location": "南明区某路口东侧",
        "target_name": "示例测试化工厂",
        "description": DESCRIPTION,
        "observed_on": workflow.today() - timedelta(days=1),
    }
    values.update(changes)
    at.multiselect(key="report_types").set_value(values["types"])
    if values["district"] is not None:
        at.selectbox(key="report_district").set_value(values["district"])
    at.text_input(key="report_location").input(values["location"])
    at.text_input(key="report_target_name").input(values["target_name"])
    at.date_input(key="report_observed_on").set_value(values["observed_on"])
    at.text_area(key="report_description").input(values["description"])
    at.checkbox(key="report_truthful").check()
    return at


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.code]
    parts += [h.value for h in at.subheader]
    parts += [e.value for e in at.error] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def test_an_anonymous_report_is_filed_and_the_receipt_shown_once(open_portal, portal_db):
    at = fill_report(open_portal("complaints/complaint_file.py", lang="en"))
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Your report has been received."]
    receipt = at.code[0].value.replace(" ", "")
    assert len(receipt) == 20 and receipt.isdigit()
    with Session(portal_db) as session:
        case = session.exec(select(ComplaintCase).order_by(ComplaintCase.id.desc())).first()
    assert case.description == DESCRIPTION and case.identity_mode == "anonymous"
    assert case.number in texts(at)
    at.button[-1].click().run()  # "I have saved my receipt"
    assert receipt not in texts(at) and not at.code
    assert at.text_area(key="report_description").value == ""  # a clean form for the next one


def test_a_failed_submit_marks_each_field_and_keeps_what_was_typed(open_portal, portal_db):
    at = fill_report(
        open_portal("complaints/complaint_file.py", lang="en"), description="太短了", location="x"
    )
    at.radio(key="report_identity_mode").set_value("confidential").run()
    at.text_input(key="report_phone").input("12345")
    at.button(key="report_submit").click().run()
    errors = [e.value for e in at.error]
    assert "The report was not sent. Please correct the marked fields." in errors
    assert "Describe the problem in at least 20 characters." in errors
    assert "Give the place in 2 to 200 characters." in errors
    assert "Give your name (2 to 40 characters)." in errors
    assert "Give a mobile number (11 digits) or a landline such as 0851-12345678." in errors
    assert at.text_area(key="report_description").value == "太短了"
    assert at.text_input(key="report_target_name").value == "示例测试化工厂"
    assert at.multiselect(key="report_types").value == ["air.odour"]
    with Session(portal_db) as session:
        assert (
            session.exec(
                select(ComplaintCase).where(ComplaintCase.target_name == "示例测试化工厂")
            ).first()
            is None
        )  # nothing half-saved


def test_chinese_errors_are_translated(open_portal):
    at = fill_report(open_portal("complaints/complaint_file.py", lang="zh_CN"), description="短")
    at.button(key="report_submit").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "请" in errors and "Describe the problem" not in errors


def test_html_in_a_description_is_shown_as_text(open_portal, portal_db):
    script = (
        "<script>alert('x')</script><img src=x onerror=alert(1)> 傍晚排放刺鼻废气，持续两个小时。"
    )
    at = fill_report(open_portal("complaints/complaint_file.py", lang="en"), description=script)
    at.button(key="report_submit").click().run()
    with Session(portal_db) as session:
        number = session.exec(
            select(ComplaintCase.number).order_by(ComplaintCase.id.desc())
        ).first()
    desk = open_portal("complaints/staff_complaints.py", lang="en", as_user="handler")
    desk.text_input(key="desk_number").input(number).run()
    shown = [m.value for m in desk.markdown if "alert" in m.value]
    assert shown and all("\\<script\\>" in m or "&lt;script" in m for m in shown)


def test_a_wrong_and_a_malformed_receipt_get_the_same_answer(open_portal):
    answers = []
    for typed in ("1234 5678 9012 3456 7890", "abc"):
        at = open_portal("complaints/complaint_track.py", lang="en")
        at.text_input(key="track_receipt").input(typed)
        at.button[0].click().run()
        answers.append([e.value for e in at.error])
    assert (
        answers[0]
        == answers[1]
        == ["No report was found for this receipt. Check the 20 digits and try again."]
    )


def test_the_reporter_follows_the_case_with_the_receipt(open_portal, portal_db):
    at = fill_report(open_portal("complaints/complaint_file.py", lang="en"))
    at.button(key="report_submit").click().run()
    receipt = at.code[0].value
    track = open_portal("complaints/complaint_track.py", lang="en")
    track.text_input(key="track_receipt").input(receipt)
    track.button[0].click().run()
    assert not track.exception
    shown = texts(track)
    assert "Report received" in shown
    assert track.text_input(key="track_receipt").value == "" if track.text_input else True


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_registry_lists_published_cases_only(open_portal, portal_db, lang):
    with Session(portal_db) as session:
        hidden = session.exec(
            select(ComplaintCase.number).where(ComplaintCase.published == False)  # noqa: E712
        ).first()
        shown = session.exec(
            select(ComplaintCase.number)
            .where(ComplaintCase.published == True)  # noqa: E712
            .order_by(ComplaintCase.filed_on.desc(), ComplaintCase.id.desc())
        ).first()
    at = open_portal("complaints/complaints.py", lang=lang)
    assert not at.exception
    table = at.dataframe[0].value
    numbers = table.iloc[:, 0].astype(str).tolist()
    assert any(f"case={shown}&lang={lang}" in n for n in numbers)
    if hidden:
        assert not any(f"case={hidden}&" in n for n in numbers)
        page = open_portal("complaints/complaints.py", lang=lang)
        page.query_params["case"] = hidden
        page.run()
        assert page.error  # "No published case has this number."


def test_a_case_page_shows_the_timeline_and_deadlines(open_portal, portal_db):
    with Session(portal_db) as session:
        number = session.exec(
            select(ComplaintCase.number).where(ComplaintCase.status == "closed")
        ).first()
    at = open_portal("complaints/complaints.py", lang="en")
    at.query_params["case"] = number
    at.run()
    assert not at.exception
    shown = texts(at)
    assert number in shown and "Closed with a written reply" in shown
    assert "Acceptance decided" in at.dataframe[0].value.iloc[:, 0].tolist()


def test_a_handler_accepts_a_case_from_the_desk(open_portal, portal_db):
    with Session(portal_db) as session:
        case = session.exec(select(ComplaintCase).where(ComplaintCase.status == "pending")).first()
    at = open_portal("complaints/staff_complaints.py", lang="en", as_user="handler")
    at.text_input(key="desk_number").input(case.number).run()
    accept = next(b for b in at.button if b.label == "Accept")
    accept.click().run()
    assert not at.exception
    with Session(portal_db) as session:
        assert session.get(ComplaintCase, case.id).status == "accepted"


def test_the_desk_is_closed_to_other_staff_and_the_public(open_portal):
    for user in (None, "editor"):  # the page is not even registered for them
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_portal("complaints/staff_complaints.py", lang="en", as_user=user)
    supervisor = open_portal("complaints/staff_complaints.py", lang="en", as_user="supervisor")
    assert [t.value for t in supervisor.title] == ["Complaint desk"]


def test_a_flood_of_reports_is_stopped_and_nothing_of_it_saved(open_portal, portal_db):
    with Session(portal_db) as session:
        before = len(session.exec(select(ComplaintCase.id)).all())
    at = open_portal("complaints/complaint_file.py", lang="en")
    for _ in range(6):  # five an hour per connection
        fill_report(at)
        at.button(key="report_submit").click().run()
        if at.success:
            at.button[-1].click().run()  # "I have saved my receipt": back to an empty form
    assert "Too many reports from this connection. Please try again in an hour." in [
        e.value for e in at.error
    ]
    assert at.text_area(key="report_description").value == DESCRIPTION  # kept for later
    with Session(portal_db) as session:
        assert len(session.exec(select(ComplaintCase.id)).all()) == before + 5


def test_receipt_guessing_is_slowed_down(open_portal):
    at = open_portal("complaints/complaint_track.py", lang="en")
    answers = []
    for n in range(11):
        at.text_input(key="track_receipt").input(f"{n:020d}")
        at.button[0].click().run()
        answers.append([e.value for e in at.error])
    assert answers[9] == [
        "No report was found for this receipt. Check the 20 digits and try again."
    ]
    assert answers[10] == ["Too many attempts from this connection. Please wait ten minutes."]


def test_a_map_point_is_kept_for_staff_and_generalised_for_the_public(open_portal, portal_db):
    at = fill_report(open_portal("complaints/complaint_file.py", lang="en"))
    at.checkbox(key="report_pin").check().run()
    assert not at.exception
    assert at.number_input(key="report_pin_lat").value == pytest.approx(26.57, abs=0.2)
    at.number_input(key="report_pin_lat").set_value(26.583917)
    at.number_input(key="report_pin_lon").set_value(106.713853)
    at.button(key="report_submit").click().run()
    assert not at.exception and at.success
    with Session(portal_db) as session:
        case = session.exec(select(ComplaintCase).order_by(ComplaintCase.id.desc())).first()
    assert (case.pin_lat, case.pin_lon) == pytest.approx((26.583917, 106.713853))
    assert case.public_lat is None  # set only when a moderator publishes it, rounded to 0.01°


def test_a_case_picked_in_a_queue_stays_open_after_it_moves_on(open_portal, portal_db):
    at = open_portal("complaints/staff_complaints.py", lang="en", as_user="handler")
    at.radio(key="desk_queue").set_value("moderation").run()
    number = at.selectbox(key="desk_pick").options[0]
    at.selectbox(key="desk_pick").set_value(number).run()
    assert at.text_input(key="desk_number").value == number
    labelled = lambda items, label: next(w for w in items if w.label == label)  # noqa: E731
    labelled(at.text_area, "Public summary (no personal details)").input("某企业傍晚异味扰民问题")
    labelled(at.text_input, "Public location (district and road, no house numbers)").input("南明区")
    labelled(at.button, "Publish").click().run()
    assert not at.exception
    assert at.text_input(key="desk_number").value == number  # still the open case
    assert "Saved." in [s.value for s in at.success]
    with Session(portal_db) as session:
        status = session.exec(select(ComplaintCase.status).where(ComplaintCase.number == number))
        assert status.one() == "pending"


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "紧急情况"), ("en", "In an emergency")])
def test_the_report_page_says_whom_to_call_in_an_emergency(open_portal, lang, words):
    at = open_portal("complaints/complaint_file.py", lang=lang)
    warnings = [w.value for w in at.warning]
    emergency = [w for w in warnings if words in w]
    assert emergency and "12369" in emergency[0] and "110" in emergency[0]

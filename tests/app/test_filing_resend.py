"""The report form's one-time token in the page's address (AppTest).

A form sent again from the same address (a new browser session, as after a reconnect to a
restarted server) gets the case it filed and a new receipt; after "I have saved my receipt" the
address re-issues nothing; another report under a used address is refused and the form renewed.
"""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from services.complaints import intake
from services.complaints.model import ComplaintCase
from tests.app.test_complaints_pages import fill_report, texts

PAGE = "complaints/complaint_file.py"
REISSUED = (
    "This form had already been sent, and the report was filed once. This is a new receipt for "
    "it: a receipt shown for this report before no longer works."
)


def cases(portal_db) -> int:
    with Session(portal_db) as session:
        return session.exec(select(func.count()).select_from(ComplaintCase)).one()


def receipt_of(at) -> str:
    return at.code[0].value.replace(" ", "")


def test_the_form_has_a_token_in_its_address_before_anything_is_typed(open_portal):
    at = open_portal(PAGE, lang="en")
    assert intake.valid_submission_token(at.query_params["submission"])


def test_the_same_form_sent_from_a_new_session_files_once_with_a_new_receipt(
    open_portal, portal_db
):
    before = cases(portal_db)
    first = fill_report(open_portal(PAGE, lang="en"))
    token = first.query_params["submission"]
    first.button(key="report_submit").click().run()
    assert not first.exception and [s.value for s in first.success]
    number = re.search(r"GY-\d{4}-\d{6}", texts(first)).group()
    lost = receipt_of(first)  # as if the server died before the browser showed it

    # A new session on the same address with the same values: the reconnect after a restart.
    again = open_portal(PAGE, lang="en")
    again.query_params["submission"] = token
    again.run()
    fill_report(again).button(key="report_submit").click().run()
    assert not again.exception
    assert [s.value for s in again.success] == ["Your report has been received."]
    assert REISSUED in [i.value for i in again.info]
    assert number in texts(again)
    assert receipt_of(again) != lost
    assert cases(portal_db) == before + 1
    with Session(portal_db) as session:
        case = session.exec(select(ComplaintCase).where(ComplaintCase.number == number)).one()
    assert case.submission_key == intake.submission_key(token)

    # "I have saved my receipt": the address gets a new token, the old one re-issues nothing.
    again.button[-1].click().run()
    renewed = again.query_params["submission"]
    assert renewed != token and intake.valid_submission_token(renewed)
    with Session(portal_db) as session:
        case = session.exec(select(ComplaintCase).where(ComplaintCase.number == number)).one()
    assert case.submission_key == intake.submission_key(token, retired=True)
    back = open_portal(PAGE, lang="en")
    back.query_params["submission"] = token  # the back button, or the browser's history
    back.run()
    fill_report(back).button(key="report_submit").click().run()
    assert not back.success and cases(portal_db) == before + 1
    assert any(e.value.startswith("This report was already received.") for e in back.error)


def test_another_report_under_a_used_address_is_refused_and_the_form_renewed(
    open_portal, portal_db
):
    before = cases(portal_db)
    first = fill_report(open_portal(PAGE, lang="en"))
    token = first.query_params["submission"]
    first.button(key="report_submit").click().run()
    assert [s.value for s in first.success]

    other = open_portal(PAGE, lang="en")
    other.query_params["submission"] = token  # a shared computer: the address from history
    other.run()
    fill_report(other, location="云岩区某小区东门外").button(key="report_submit").click().run()
    assert not other.success and cases(portal_db) == before + 1
    assert any(e.value.startswith("This form was already used") for e in other.error)
    assert other.text_input(key="report_location").value == "云岩区某小区东门外"  # kept
    assert other.query_params["submission"] != token
    other.button(key="report_submit").click().run()  # sent again under the new token: filed
    assert [s.value for s in other.success] == ["Your report has been received."]
    assert not other.info and cases(portal_db) == before + 2

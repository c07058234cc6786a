"""A form sent again (a reconnect after a crash, a second click) never files twice.

The form's one-time token is stored only as a keyed hash (`complaint_case.submission_key`); the
same form sent again gets a fresh receipt for the case it filed, and the earlier receipt stops
working. Refused for another report, once the case is moderated, after the window, and after
the receipt was confirmed as saved (services/complaints/intake.py).
"""

from __future__ import annotations

import threading
import traceback
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session, func

from services.complaints import intake, workflow
from services.complaints.model import ComplaintCase, ComplaintEvent
from services.core import audit, db
from services.core.accounts import Role
from services.shared.sealed import receipts
from tests.conftest import add_staff
from tests.unit.complaints.conftest import a_report, act, file

THREADS = 8


def opens(engine, receipt: str) -> int | None:
    """The id of the case a receipt opens on the tracking page, or None."""
    with db.unit_of_work(engine) as session:
        try:
            return workflow.reporter_case(session, receipts.lookup_key(receipt)).id
        except workflow.CaseNotFound:
            return None


def case_count(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(ComplaintCase)).scalar_one()


def events_of(engine, case_id: int) -> list[ComplaintEvent]:
    with db.unit_of_work(engine) as session:
        return workflow.events(session, case_id)


def test_the_same_form_sent_twice_files_one_case_and_issues_a_new_receipt(engine, clock):
    token = intake.new_submission_token()
    first = file(engine, submission_token=token)
    again = file(engine, a_report(), submission_token=token)

    assert case_count(engine) == 1
    assert (again.case_id, again.number) == (first.case_id, first.number)
    assert (first.reissued, again.reissued) == (False, True)
    assert again.receipt != first.receipt
    assert opens(engine, again.receipt) == first.case_id
    assert opens(engine, first.receipt) is None  # the earlier receipt no longer works
    # The case records the re-issue (no token, no address); the token itself is never stored.
    events = events_of(engine, first.case_id)
    assert [(e.action, e.actor) for e in events] == [
        ("file", "reporter"), ("reissue_receipt", "reporter"),
    ]  # fmt: skip
    assert (events[1].from_status, events[1].to_status) == ("submitted", "submitted")
    with Session(engine) as session:
        row = session.get(ComplaintCase, first.case_id)
        assert row.submission_key == intake.submission_key(token) != token
        stored = [str(v) for v in row.model_dump().values()]
        stored += [str(v) for e in events for v in e.model_dump().values()]
    assert not any(token in value for value in stored)


def test_the_reporter_sees_the_re_issue_on_the_tracking_page_not_the_public(engine, clock):
    token = intake.new_submission_token()
    file(engine, submission_token=token)
    again = file(engine, submission_token=token)
    with db.unit_of_work(engine) as session:
        shown = [e.action for e in workflow.reporter_events(session, again.case_id)]
    assert shown == ["file", "reissue_receipt"]
    from services.complaints.registry import PUBLIC_ACTIONS

    assert "reissue_receipt" not in PUBLIC_ACTIONS


def test_another_report_with_the_same_token_is_refused_and_files_nothing(engine, clock):
    token = intake.new_submission_token()
    first = file(engine, submission_token=token)
    other = a_report(description="另一份举报：夜间施工噪声很大，持续到凌晨两点，影响休息。")
    with pytest.raises(intake.SubmissionUsed) as refused:
        file(engine, other, submission_token=token)
    assert refused.value.msgid.startswith("This form was already used to send another report.")
    assert case_count(engine) == 1
    assert opens(engine, first.receipt) == first.case_id  # nothing changed for the reporter
    # Under a new token (the page renews it) the other report is filed as a case of its own.
    second = file(engine, other, submission_token=intake.new_submission_token())
    assert second.case_id != first.case_id and case_count(engine) == 2


def test_no_new_receipt_after_the_window(engine, clock):
    token, observed = intake.new_submission_token(), clock.day - timedelta(days=1)
    first = file(engine, a_report(observed_on=observed), submission_token=token)
    clock.advance(intake.REISSUE_WITHIN - timedelta(minutes=1))
    inside = file(engine, a_report(observed_on=observed), submission_token=token)
    assert inside.reissued and opens(engine, inside.receipt) == first.case_id
    clock.advance(timedelta(minutes=2))
    with pytest.raises(intake.ReissueRefused) as refused:
        file(engine, a_report(observed_on=observed), submission_token=token)
    assert refused.value.params == {"hours": 24}
    assert case_count(engine) == 1
    assert opens(engine, inside.receipt) == first.case_id  # the last receipt still works


def test_no_new_receipt_once_the_case_is_moderated(engine, clock):
    handler = add_staff(engine, "handler", Role.COMPLAINT_HANDLER)
    token = intake.new_submission_token()
    first = file(engine, submission_token=token)
    act(engine, workflow.moderate, handler, first.case_id,
        summary="南明区某化工企业傍晚异味扰民", location="南明区")  # fmt: skip
    with pytest.raises(intake.ReissueRefused):
        file(engine, submission_token=token)
    assert case_count(engine) == 1
    assert opens(engine, first.receipt) == first.case_id
    assert "reissue_receipt" not in [e.action for e in events_of(engine, first.case_id)]


def test_no_new_receipt_after_the_receipt_was_confirmed_as_saved(engine, clock):
    token = intake.new_submission_token()
    first = file(engine, submission_token=token)
    with db.unit_of_work(engine) as session:
        intake.retire_submission(session, token)
    with pytest.raises(intake.ReissueRefused):
        file(engine, submission_token=token)  # the back button, or the address from history
    with pytest.raises(intake.SubmissionUsed):  # and nobody else's report files under it
        file(engine, a_report(location="云岩区某小区门口"), submission_token=token)
    assert case_count(engine) == 1
    assert opens(engine, first.receipt) == first.case_id


def test_a_staff_member_entering_a_report_again_is_audited(engine, clock):
    handler = add_staff(engine, "handler", Role.COMPLAINT_HANDLER)
    token = intake.new_submission_token()
    first = file(engine, channel="phone", entered_by=handler, submission_token=token)
    again = file(engine, channel="phone", entered_by=handler, submission_token=token)
    assert again.number == first.number and case_count(engine) == 1
    with Session(engine) as session:
        actions = session.exec(
            select(audit.AuditEntry.action).where(audit.AuditEntry.object_id == first.number)
        ).all()
    assert [a for (a,) in actions] == ["complaint.file", "complaint.reissue_receipt"]


def test_a_malformed_token_is_refused(engine, clock):
    assert not intake.valid_submission_token("short")
    assert not intake.valid_submission_token("x" * 30 + "/")
    assert intake.valid_submission_token(intake.new_submission_token())
    with pytest.raises(ValueError):
        file(engine, submission_token="not a token")
    assert case_count(engine) == 0


def test_a_lost_race_becomes_the_resend(engine, clock, monkeypatch):
    """The other request commits its case between this one's look-up and its INSERT: the unique
    key stops the second case and the filing turns into the re-issue."""
    token = intake.new_submission_token()
    first = file(engine, submission_token=token)
    real, calls = intake._case_of_submission, []

    def too_early(session, submitted):
        calls.append(submitted)
        return None if len(calls) == 1 else real(session, submitted)

    monkeypatch.setattr(intake, "_case_of_submission", too_early)
    again = file(engine, submission_token=token)
    assert len(calls) == 2  # the look-up, then the one after the refused INSERT
    assert again.reissued and again.number == first.number
    assert case_count(engine) == 1
    assert opens(engine, again.receipt) == first.case_id


def test_concurrent_sends_of_one_form_file_exactly_one_case(engine, clock):
    token = intake.new_submission_token()
    start = threading.Barrier(THREADS)
    results: list[intake.Filed] = []
    errors: list[str] = []
    lock = threading.Lock()

    def send() -> None:
        start.wait()
        try:
            filed = file(engine, a_report(), submission_token=token)
        except Exception:
            with lock:
                errors.append(traceback.format_exc(limit=4))
            return
        with lock:
            results.append(filed)

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [], errors[0]
    assert case_count(engine) == 1
    assert len(results) == THREADS and len({r.number for r in results}) == 1
    assert sum(not r.reissued for r in results) == 1
    # Each re-issue replaced the key: exactly one receipt, the last one issued, opens the case.
    assert [opens(engine, r.receipt) for r in results].count(results[0].case_id) == 1
    actions = [e.action for e in events_of(engine, results[0].case_id)]
    assert actions.count("file") == 1 and actions.count("reissue_receipt") == THREADS - 1

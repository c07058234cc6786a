"""Filing and tracking limits count per browser session under a ceiling per address, and count
only what they are meant to: filings actually made, receipts that were wrong (AppTest).

Two AppTest runs are two browser sessions behind one address (AppTest has no connection, so both
count as the same unknown address)."""

from __future__ import annotations

import io
import os
from datetime import timedelta

from PIL import Image
from sqlmodel import Session, select

from portal.complaints import track
from services.complaints import intake, workflow
from services.complaints.model import ComplaintCase
from services.core import ratelimit
from services.core.db import unit_of_work
from tests.app.test_complaints_pages import fill_report

FILE_PAGE = "complaints/complaint_file.py"
TRACK_PAGE = "complaints/complaint_track.py"
RATE_LIMITED = "Too many reports from this connection. Please try again in an hour."
NOT_FOUND = "No report was found for this receipt. Check the 20 digits and try again."
TOO_MANY = "Too many attempts from this connection. Please wait ten minutes."


def cases(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(ComplaintCase.id)).all())


def file_once(at, **changes) -> bool:
    fill_report(at, **changes)
    at.button(key="report_submit").click().run()
    assert not at.exception
    if at.success:
        at.button[-1].click().run()  # "I have saved my receipt": back to an empty form
        return True
    return False


def damaged_png() -> bytes:
    """A PNG whose header passes the checks before filing but whose pixels cannot be decoded."""
    buf = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(buf, "PNG")
    data = buf.getvalue()
    return data[: len(data) // 2]


def test_each_browser_session_has_its_own_filing_allowance(open_portal, portal_db):
    before = cases(portal_db)
    first = open_portal(FILE_PAGE, lang="en")
    assert [file_once(first, target_name=f"甲厂{n}") for n in range(6)] == [True] * 5 + [False]
    assert RATE_LIMITED in [e.value for e in first.error]
    second = open_portal(FILE_PAGE, lang="en")  # another browser behind the same address
    assert file_once(second, target_name="乙厂")
    assert cases(portal_db) == before + 6


def test_the_address_ceiling_still_stops_a_flood_from_many_sessions(open_portal, monkeypatch):
    monkeypatch.setattr(ratelimit, "COMPLAINT_FILING_PER_ADDRESS", "3/hour")
    outcomes = [
        file_once(open_portal(FILE_PAGE, lang="en"), target_name=f"丙厂{n}") for n in range(4)
    ]
    assert outcomes == [True, True, True, False]


def test_refused_photos_do_not_use_up_the_allowance(open_portal, portal_db):
    before = cases(portal_db)
    at = open_portal(FILE_PAGE, lang="en")
    for n in range(6):
        fill_report(at, target_name=f"丁厂{n}")
        uploader = next(u for u in at.get("file_uploader") if u.key.startswith("report_evidence"))
        uploader.set_value([("photo.png", damaged_png(), "image/png")])
        at.button(key="report_submit").click().run()
        assert not at.exception and not at.success
        assert RATE_LIMITED not in [e.value for e in at.error]
    at.file_uploader(key=uploader.key).set_value([])
    assert file_once(at, target_name="丁厂")
    assert cases(portal_db) == before + 1


def file_directly(engine) -> str:
    report = intake.Report(
        types=["air.odour"],
        district="520102",
        location="南明区某路口东侧",
        target_name="回执测试厂",
        description="每天傍晚有刺鼻的化学气味，持续两个小时以上，附近居民无法开窗。",
        identity_mode="anonymous",
        observed_on=workflow.today() - timedelta(days=1),
    )
    with unit_of_work(engine) as session:
        return intake.file_report(session, report).receipt


def look_up(at, receipt: str) -> list[str]:
    at.text_input(key="track_receipt").input(receipt)
    at.button[0].click().run()
    assert not at.exception
    return [e.value for e in at.error]


def test_wrong_receipts_from_one_session_do_not_block_a_right_one_from_another(
    open_portal, portal_db
):
    receipt = file_directly(portal_db)
    guesser = open_portal(TRACK_PAGE, lang="en")
    answers = [look_up(guesser, f"{n:020d}") for n in range(12)]
    assert answers[9] == [NOT_FOUND] and answers[10:] == [[TOO_MANY], [TOO_MANY]]
    assert look_up(guesser, receipt) == [TOO_MANY]  # this session is done for ten minutes
    neighbour = open_portal(TRACK_PAGE, lang="en")  # another browser behind the same address
    assert look_up(neighbour, receipt) == []
    assert "track_key" in neighbour.session_state


def test_right_receipts_are_not_counted(open_portal, portal_db):
    receipt = file_directly(portal_db)
    at = open_portal(TRACK_PAGE, lang="en")
    for _ in range(12):
        assert look_up(at, receipt) == []
        next(b for b in at.button if b.label == "Close my report view").click().run()


def test_past_the_address_ceiling_a_new_session_gets_one_try(open_portal, portal_db, monkeypatch):
    monkeypatch.setattr(ratelimit, "RECEIPT_FAILURES_PER_SESSION", "2/10minutes")
    monkeypatch.setattr(ratelimit, "RECEIPT_FAILURES_PER_ADDRESS", "3/10minutes")
    receipt = file_directly(portal_db)
    first, second = open_portal(TRACK_PAGE, lang="en"), open_portal(TRACK_PAGE, lang="en")
    assert [look_up(first, "1" * 20) for _ in range(3)] == [[NOT_FOUND]] * 2 + [[TOO_MANY]]
    assert look_up(second, "2" * 20) == [NOT_FOUND]  # the address's third failure
    assert look_up(second, receipt) == [TOO_MANY]  # a session that has failed waits
    late_guesser = open_portal(TRACK_PAGE, lang="en")
    assert [look_up(late_guesser, "3" * 20) for _ in range(2)] == [[NOT_FOUND], [TOO_MANY]]
    neighbour = open_portal(TRACK_PAGE, lang="en")
    assert look_up(neighbour, receipt) == []  # a right receipt on a first try still opens
    assert track.TOO_MANY == TOO_MANY and track.NOT_FOUND == NOT_FOUND

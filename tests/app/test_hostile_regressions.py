"""What the hostile-input suite (tests/app/test_hostile_input.py) found, pinned as plain examples:
each failed before its fix."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from services.air import importer as air_importer
from services.complaints import intake, workflow
from services.complaints.catalog import TYPE_CODES
from services.complaints.model import ComplaintMessage
from services.core import db, settings
from services.core.accounts import Actor, Grant, Role
from services.shared.imports import UNREADABLE_LINE
from services.shared.open_data import BadRequest
from services.shared.sealed import receipts
from services.water import importer as water_importer
from services.water import sections

EDITOR = Actor(1, "editor", "Editor", (Grant(Role.DATA_EDITOR),))
AIR_HEADER = ",".join(air_importer.EXPECTED_HEADER)
HUGE = "x" * 200_000  # over csv.field_size_limit() (131,072)


def _import_air(engine, text: str):
    with db.unit_of_work(engine) as session:
        return air_importer.import_hourly(session, actor=EDITOR, data=text.encode(),
                                          file_name="t.csv")  # fmt: skip


def test_an_air_file_with_a_field_over_the_csv_limit_is_refused_not_a_crash(engine, clock):
    # csv.Error ("field larger than field limit") escaped the import
    report = _import_air(engine, f"{AIR_HEADER}\n1441A,{HUGE},1,1,1,1,1,1\n")
    assert not report.ok
    assert [(p.row, p.msgid) for p in report.problems] == [(2, UNREADABLE_LINE)]
    header_too = _import_air(engine, f"{AIR_HEADER},{HUGE}\n")
    assert [(p.row, p.msgid) for p in header_too.problems] == [(1, UNREADABLE_LINE)]


def test_an_air_file_with_a_line_break_inside_a_header_name_is_read_not_a_crash(engine, clock):
    # without newline="" the reader raised "new-line character seen in unquoted field"
    report = _import_air(engine, "station\rcode,hour_ending\n1441A,2026-09-16T09:00\n")
    assert not report.ok and report.problems[0].msgid == "Missing columns: {columns}."
    in_a_line = _import_air(engine, f"{AIR_HEADER}\n1441A,2026-09-16T09:00,1\r2,1,1,1,1,1\n")
    assert not in_a_line.ok and in_a_line.problems


@pytest.mark.parametrize("hour", ["0001-01-01T01:00", "0001-01-01T00:00:00+00:00",
                                  "1900-01-01T01:00", "2000-01-01T00:00"])  # fmt: skip
def test_an_air_hour_before_2000_is_refused(engine, clock, hour):
    # year 1 raised OverflowError (storing and daily values); 1900 was imported
    report = _import_air(engine, f"{AIR_HEADER}\n1441A,{hour},1,1,1,1,1,1\n")
    assert [p.msgid for p in report.problems] == ["The date is before 2000: {value}."]


def test_the_first_hour_of_2000_is_still_imported(engine, clock):
    assert _import_air(engine, f"{AIR_HEADER}\n1441A,2000-01-01T01:00,1,1,1,1,1,1\n").ok


def test_a_water_file_with_a_field_over_the_csv_limit_is_refused_not_a_crash(engine, clock):
    code = sections.sections()[0].code
    data = f"section_code,sampled_on,item,value,unit\n{code},2026-09-01,pH,7,{HUGE}\n".encode()
    report = water_importer.import_samples(engine, actor=EDITOR, data=data, file_name="t.csv")
    assert [(p.row, p.msgid) for p in report.problems] == [(2, UNREADABLE_LINE)]


def test_a_reporters_text_is_stored_without_control_characters(engine, clock):
    # PostgreSQL refuses NUL in text: the answer, the review reason and the rating comment
    # reached the database as typed (tests/pg/test_hostile_input_on_postgres.py runs it there)
    report = intake.Report(types=[TYPE_CODES[0]], district="520102", location="花果园附近",
                           observed_on=date(2026, 9, 15),
                           description="夜间施工噪声很大，已经持续一个多月，"
                                       "严重影响附近居民休息。")  # fmt: skip
    with db.unit_of_work(engine) as session:
        filed = intake.file_report(session, report)
    with db.unit_of_work(engine) as session:
        case = workflow.reporter_case(session, receipts.lookup_key(filed.receipt))
        workflow.reporter_answer(session, case, "still\x00 noisy\x1b at night\n")
    with db.unit_of_work(engine) as session:
        body = session.exec(select(ComplaintMessage.body)).one()
    assert body == "still noisy at night"


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[2J", "x\ud800"])
def test_an_open_data_text_parameter_with_control_characters_is_a_400(value):
    from services.complaints import open_data

    with pytest.raises(BadRequest):
        open_data.EXPORT.parse({"q": value})
    with pytest.raises(BadRequest):
        open_data.CASE_FEED.parse({}, path={"number": value})


def test_an_open_data_path_with_nul_answers_400_in_the_api_format(engine, clock, monkeypatch):
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "1000/minute")
    settings.get_settings.cache_clear()
    with TestClient(Starlette(routes=server.build_routes())) as client:
        feed = client.get("/feeds/complaints/GY-2026-%00.atom")
        export = client.get("/api/v1/complaints.csv", params={"q": "\x00"})
    settings.get_settings.cache_clear()
    assert feed.status_code == 400 and set(feed.json()) == {"error"}
    assert export.status_code == 400 and set(export.json()) == {"error"}


@pytest.mark.parametrize("path", ["/feeds/complaints/GY%2F2026.atom", "/feeds/complaints/%2E%2E",
                                  "/feeds/other.atom"])  # fmt: skip
def test_an_unknown_feed_path_is_a_json_404_not_the_page(path):
    # /feeds/ had no catch-all: a case number with a "/" fell through to Streamlit's HTML page
    app = Starlette(routes=server.build_routes(), middleware=[Middleware(server.OpenDataPaths)])
    with TestClient(app) as client:
        answer = client.get(path)
    assert answer.status_code == 404 and set(answer.json()) == {"error"}

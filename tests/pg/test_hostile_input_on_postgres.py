"""Hostile input on PostgreSQL, which refuses what SQLite stores (NUL in text): every open-data
endpoint fuzzed as in tests/app/test_hostile_input.py (fewer examples), and a reporter's text
with control characters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from services.complaints import intake, workflow
from services.complaints.catalog import TYPE_CODES
from services.complaints.model import ComplaintMessage
from services.core import db
from services.shared.sealed import receipts
from tests.app.test_hostile_input import ENDPOINTS, api, fuzz_endpoint  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_every_open_data_parameter_answers_hostile_text_on_postgres(endpoint, api):  # noqa: F811
    assert 500 not in fuzz_endpoint(endpoint, api, count=30)


def test_a_reporters_answer_with_nul_is_stored_on_postgres(engine, clock):
    report = intake.Report(types=[TYPE_CODES[0]], district="520102", location="花果园附近",
                           observed_on=date(2026, 9, 15),
                           description="夜间施工噪声很大，已经持续一个多月，"
                                       "严重影响附近居民休息。")  # fmt: skip
    with db.unit_of_work(engine) as session:
        filed = intake.file_report(session, report)
    with db.unit_of_work(engine) as session:
        case = workflow.reporter_case(session, receipts.lookup_key(filed.receipt))
        workflow.reporter_answer(session, case, "still\x00 noisy")
    with db.unit_of_work(engine) as session:
        assert session.exec(select(ComplaintMessage.body)).one() == "still noisy"

"""No reporter text reaches a log: SQL parameters are never written, not even when filing fails.

A database error raised while a report is stored carries the statement; with the engine's
`hide_parameters` (services/core/db.py) it no longer carries the values, so neither the log
records of the portal and of SQLAlchemy (at DEBUG) nor the exception a page would log (Streamlit
logs an uncaught exception in full, see tests/app/test_hardening.py) repeat what the reporter typed.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.complaints import intake
from services.core import db
from tests.conftest import CLOCK_START

CANARIES = {
    "description": "金丝雀日志描述4817：夜里烟囱冒黑烟，整条街都是焦糊味。",
    "location": "金丝雀日志巷4817号后门",
    "target": "金丝雀日志化工厂4817",
    "target_address": "金丝雀日志路4817号",
}


def canary_report() -> intake.Report:
    return intake.Report(
        types=["air.odour"],
        district="520102",
        location=CANARIES["location"],
        target_name=CANARIES["target"],
        target_address=CANARIES["target_address"],
        observed_on=CLOCK_START - timedelta(days=1),
        description=CANARIES["description"],
    )


def leaks(text_: str) -> list[str]:
    return [name for name, value in CANARIES.items() if value in text_]


def log_everything(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy keeps itself at WARNING


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_a_failed_filing_logs_no_reporter_text(engine, clock, caplog):
    with engine.begin() as connection:  # the INSERT of the case itself fails in the database
        connection.execute(
            text(
                "CREATE TRIGGER refuse_cases BEFORE INSERT ON complaint_case "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        )
    log_everything(caplog)
    with pytest.raises(DBAPIError) as failure, db.unit_of_work() as session:
        intake.file_report(session, canary_report())
    assert "refused by the test" in str(failure.value)  # it failed where meant to
    assert "INSERT INTO complaint_case" in str(failure.value)
    shown = "".join(traceback.format_exception(failure.value))
    assert leaks(shown) == []
    assert any("INSERT INTO complaint_case" in record.getMessage() for record in caplog.records)
    assert leaks(logged(caplog)) == []


def test_a_successful_filing_logs_no_reporter_text_at_debug(engine, clock, caplog):
    log_everything(caplog)
    with db.unit_of_work() as session:
        intake.file_report(session, canary_report())
    assert any("INSERT INTO complaint_case" in record.getMessage() for record in caplog.records)
    assert leaks(logged(caplog)) == []


@pytest.mark.parametrize(
    "url", ["sqlite:///:memory:", "postgresql+psycopg://portal@localhost/portal"]
)
def test_the_engine_hides_sql_parameters_on_every_backend(url):
    engine = db.make_engine(url)  # PostgreSQL: no connection is opened here
    try:
        assert engine.hide_parameters is True
    finally:
        engine.dispose()

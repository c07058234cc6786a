"""Complaint test helpers: staff and a valid report to file (the clock is tests/conftest.py's)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.complaints.model import ComplaintCase
from services.core import db
from services.core.accounts import Role
from tests.conftest import add_staff


@pytest.fixture
def staff(engine):
    return {
        "handler": add_staff(engine, "handler", Role.COMPLAINT_HANDLER),
        "yunyan": add_staff(engine, "yunyan", Role.COMPLAINT_HANDLER, district="520103"),
        "supervisor": add_staff(engine, "super", Role.COMPLAINT_SUPERVISOR),
    }


def a_report(**changes) -> intake.Report:
    values = dict(
        types=["air.odour"],
        district="520102",
        location="南明区某路口东侧",
        target_name="某某化工有限公司",
        observed_on=None,  # filled in by `file`: the day before the clock's day
        ongoing=True,
        description="每天傍晚有刺鼻的化学气味，持续两个小时以上，附近居民无法开窗。",
        wishes="请查处并公开结果",
        identity_mode=IdentityMode.CONFIDENTIAL,
        name="张三",
        phone="13800000000",
    )
    values.update(changes)
    return intake.Report(**values)


def file(engine, report: intake.Report | None = None, **kwargs) -> intake.Filed:
    report = report or a_report()
    if report.observed_on is None:
        report.observed_on = workflow.today() - timedelta(days=1)
    with db.unit_of_work(engine) as session:
        return intake.file_report(session, report, **kwargs)


def load(engine, case_id: int) -> ComplaintCase:
    with db.unit_of_work(engine) as session:
        return session.get(ComplaintCase, case_id)


def act(engine, fn, actor, case_id: int, **params) -> ComplaintCase:
    """Run a staff action with the case's current version, in its own transaction."""
    with db.unit_of_work(engine) as session:
        version = session.get(ComplaintCase, case_id).version
        return fn(session, actor=actor, case_id=case_id, version=version, **params)


def as_reporter(engine, receipt: str, fn, *args) -> None:
    from services.shared.sealed import receipts

    with db.unit_of_work(engine) as session:
        case = workflow.reporter_case(session, receipts.lookup_key(receipt))
        fn(session, case, *args)

"""One installed clock: model timestamps, audit entries, complaint deadlines and the lockout all
read it, so a test that sets it sees every one of them move (services/core/clock.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from services.complaints import workflow
from services.complaints.model import ComplaintCase
from services.core import accounts, audit, clock
from services.core.db import unit_of_work
from services.core.demo_meta import DemoDataset
from tests.conftest import add_staff
from tests.unit.complaints.conftest import file

FAR = datetime(2026, 9, 16, 2, 0, tzinfo=UTC)  # 10:00 in Beijing; no test runs at this instant


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_installed_clock_is_the_time_and_is_restored_after():
    fixed = clock.FixedClock(FAR)
    with clock.use_clock(fixed):
        assert clock.utcnow() == FAR and clock.utcnow().tzinfo == UTC
        assert clock.today() == workflow.today() == date(2026, 9, 16)
        fixed.advance(timedelta(hours=15))  # 01:00 the next day in Beijing
        assert workflow.today() == date(2026, 9, 17)
    assert isinstance(clock.installed(), clock.SystemClock)
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_bare_date_is_ten_in_the_morning_in_beijing():
    assert clock.FixedClock(date(2026, 9, 16)).now() == FAR
    with pytest.raises(ValueError):
        clock.FixedClock(datetime(2026, 9, 16, 10))


def test_a_model_timestamp_and_an_audit_entry_are_stamped_by_the_clock(engine, clock):
    clock.set(FAR)
    assert DemoDataset(size="small", seed=1, rows=0).generated_at == FAR
    with unit_of_work(engine) as session:
        audit.record(session, actor="test", action="clock.check", object_type="test")
    with Session(engine) as session:
        entry = session.exec(
            select(audit.AuditEntry).where(audit.AuditEntry.action == "clock.check")
        ).one()
    assert aware(entry.at) == FAR


def test_complaint_deadlines_count_from_the_clocks_day(engine, clock):
    clock.set(date(2026, 9, 16))  # 16 + 15 = 1 Oct, National Day -> 8 Oct
    first = file(engine)
    clock.set(date(2026, 11, 2))
    second = file(engine)
    with Session(engine) as session:
        early, late = (
            session.get(ComplaintCase, first.case_id),
            session.get(ComplaintCase, second.case_id),
        )
        assert early is not None and late is not None
        assert (early.filed_on, early.acceptance_due) == (date(2026, 9, 16), date(2026, 10, 8))
        assert late.filed_on == date(2026, 11, 2)
        assert late.acceptance_due > date(2026, 11, 2)
        assert aware(late.filed_at) == clock.now()


def test_the_lockout_expires_by_the_clock(engine, clock):
    clock.set(FAR)
    user_id = add_staff(engine, "alice", accounts.Role.ADMIN).user_id
    for _ in range(5):
        with unit_of_work(engine) as session, pytest.raises(accounts.LoginFailed):
            try:
                accounts.authenticate(session, username="alice", password="Wrong-password-1")
            finally:
                session.commit()
    with Session(engine) as session:
        user = session.get(accounts.StaffUser, user_id)
        assert user is not None and user.locked_until is not None
        assert aware(user.locked_until) == FAR + timedelta(minutes=15)
        assert aware(user.created_at) == FAR

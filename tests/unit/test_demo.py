"""The sample-data generator: deterministic, labelled, plausible, and never over real data."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from services import demo
from services.air.observations import POLLUTANTS, AirHourly, latest_hour
from services.complaints import demo as complaints_demo
from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintIdentity
from services.core import demo_meta
from services.core.accounts import Role
from services.core.clock import BEIJING
from services.staff import demo as staff_demo

UNTIL = datetime(2026, 11, 1, 0, 0, tzinfo=BEIJING)


def fingerprint(engine) -> str:
    with Session(engine) as session:
        rows = session.execute(
            select(
                AirHourly.station_code,
                AirHourly.observed_at,
                *[getattr(AirHourly, p) for p in POLLUTANTS],
            ).order_by(AirHourly.station_code, AirHourly.observed_at)
        ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def seeded(engine):
    progress: list[tuple[str, int, int]] = []
    result = demo.generate(
        engine,
        size=demo.DemoSize.SMALL,
        until=UNTIL,
        with_staff=False,
        progress=lambda part, done, total: progress.append((part, done, total)),
    )
    return engine, result, progress


def test_small_set_has_the_expected_rows_and_reports_progress(seeded):
    _, result, progress = seeded
    expected = demo.expected_rows(demo.DemoSize.SMALL)["air_hourly"]
    assert expected == 10 * 300 * 24
    # 300 whole Beijing days (the hour ending 00:00 closes a day) for 10 stations, the city and
    # the 5 districts that have an assessment station
    # and the sample complaints: cases with their events and sealed identities
    engine, _, _ = seeded
    with Session(engine) as session:
        complaint_rows = sum(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ComplaintCase, ComplaintEvent, ComplaintIdentity)
        )
        cases = session.execute(select(func.count()).select_from(ComplaintCase)).scalar_one()
    assert cases == complaints_demo.CASES[demo.DemoSize.SMALL]
    assert result.parts == {
        "air_hourly": expected,
        "air_daily": 16 * 300,
        "complaints": complaint_rows,
        "water_samples": 39 * 120,  # every registry section, ten years of monthly samples
    }
    assert result.rows == sum(result.parts.values())
    hourly = [(done, total) for part, done, total in progress if part == "air_hourly"]
    assert hourly[-1] == (expected, expected)
    assert [done for done, _ in hourly] == sorted(done for done, _ in hourly)
    assert progress.index(("air_daily", 1, 1)) < progress.index(("complaints", 0, complaint_rows))
    assert progress[-1] == ("complaints", complaint_rows, complaint_rows)


def test_same_seed_and_end_give_the_same_rows(seeded, tmp_path, monkeypatch):
    engine, _, _ = seeded
    from services.core import db, migrate

    other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate.upgrade(other)
    demo.generate(other, size=demo.DemoSize.SMALL, until=UNTIL, with_staff=False)
    assert fingerprint(engine) == fingerprint(other)


def test_a_different_seed_gives_different_rows(seeded, tmp_path):
    engine, _, _ = seeded
    from services.core import db, migrate

    other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate.upgrade(other)
    demo.generate(other, size=demo.DemoSize.SMALL, seed=7, until=UNTIL, with_staff=False)
    assert fingerprint(engine) != fingerprint(other)


def test_the_sample_period_ends_at_the_requested_hour(seeded):
    engine, _, _ = seeded
    with Session(engine) as session:
        latest = latest_hour(session)
    assert latest is not None
    assert latest.observed_at.astimezone(BEIJING) == UNTIL
    assert latest.stations_reporting == 10


def test_sample_data_is_labelled(seeded):
    engine, _, _ = seeded
    with Session(engine) as session:
        label = demo_meta.current(session)
        sources = set(session.execute(select(AirHourly.source).distinct()).scalars())
    assert label is not None and label.size == "small"
    assert sources == {"demo"}


def test_values_are_plausible_for_guiyang(seeded):
    engine, _, _ = seeded
    with Session(engine) as session:
        means = session.execute(
            select(
                func.avg(AirHourly.pm25),
                func.avg(AirHourly.o3),
                func.avg(AirHourly.co),
                func.min(AirHourly.pm25),
                func.count(),
                func.count(AirHourly.pm25),
            )
        ).one()
    pm25, o3, co, pm25_min, rows, pm25_present = means
    assert 10 < pm25 < 60
    assert 20 < o3 < 120
    assert 0.3 < co < 1.5
    assert pm25_min >= 0
    assert 0.98 < pm25_present / rows < 1.0  # a few hours missing, as in real feeds


def test_generator_refuses_a_database_that_holds_data(seeded):
    engine, _, _ = seeded
    with pytest.raises(demo.DatabaseNotEmpty):
        demo.generate(engine, size=demo.DemoSize.SMALL, until=UNTIL)


def test_sample_staff_accounts_cover_every_role(engine):
    result = demo.generate(engine, size=demo.DemoSize.SMALL, until=UNTIL)
    assert result.staff_password and len(result.staff_password) >= 12
    roles = {grant.role for _, _, grants in staff_demo.DEMO_STAFF for grant in grants}
    assert roles == set(Role)

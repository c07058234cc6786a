"""CSV import of hourly data: all or nothing, every problem reported by line, audited."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, func, select

from services.air import importer
from services.air.daily import AirDaily
from services.air.observations import AirHourly
from services.core import accounts, audit
from services.core.accounts import Role
from services.core.clock import BEIJING
from services.core.db import unit_of_work
from tests.conftest import add_staff

HEADER = "station_code,hour_ending,so2_ug/m3,no2_ug/m3,pm10_ug/m3,pm25_ug/m3,co_mg/m3,o3_ug/m3\n"


def import_hourly(engine, **kwargs):
    with unit_of_work(engine) as session:
        return importer.import_hourly(session, **kwargs)


def flag_invalid(engine, **kwargs):
    with unit_of_work(engine) as session:
        return importer.flag_invalid(session, **kwargs)


def imports_audited(engine) -> int:
    with Session(engine) as session:
        entries = select(audit.AuditEntry).where(audit.AuditEntry.action == "air.import")
        return len(session.exec(entries).all())


def editor(engine, role=Role.DATA_EDITOR):
    return add_staff(engine, "editor", role)


def day_of_rows(station="1441A", day="2026-06-01", pm25=30):
    lines = [f"{station},{day}T{h:02d}:00:00,8,20,45,{pm25},0.6,60" for h in range(1, 24)]
    lines.append(f"{station},2026-06-02T00:00:00,8,20,45,{pm25},0.6,60")
    return "\n".join(lines) + "\n"


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_valid_file_is_imported_and_the_day_gets_its_daily_aqi(engine):
    actor = editor(engine)
    progress = []
    report = import_hourly(
        engine, actor=actor, data=(HEADER + day_of_rows()).encode(), file_name="june.csv",
        progress=lambda done, total: progress.append((done, total)),
    )  # fmt: skip
    assert report.ok and len(report.rows) == 24
    assert progress[-1] == (24, 24)
    with Session(engine) as session:
        days = session.exec(select(AirDaily).where(AirDaily.station_code == "1441A")).all()
        entry = session.exec(
            select(audit.AuditEntry).where(audit.AuditEntry.action == "air.import")
        ).one()
    # 2026 daily: PM10 45 -> 45; PM2.5 30*50/35 = 42.86 -> 43; O3 8h 60 -> 30; NO2 25; CO 15
    assert [(d.day.isoformat(), d.aqi, d.standard) for d in days] == [
        ("2026-06-01", 45, "HJ633-2026")
    ]
    assert entry.actor == "editor" and '"rows": 24' in entry.details


def test_a_bad_file_imports_nothing_and_lists_each_problem_by_line(engine):
    actor = editor(engine)
    future = "2099-01-01T10:00:00"
    body = (
        "1441A,2026-06-01T01:00:00,8,20,45,30,0.6,60\n"  # line 2: fine
        "1441A,2026-06-01T02:00:00,8,20,45,thirty,0.6,60\n"  # line 3: text in a number column
        "1441A,2026-06-01T01:00:00,8,20,45,31,0.6,60\n"  # line 4: duplicate of line 2
        f"1441A,{future},8,20,45,30,0.6,60\n"  # line 5: in the future
        "1441A,2026-06-01T03:00:00,8,20,45,30,600,60\n"  # line 6: CO 600 mg/m3: units mixed up
        "9999X,2026-06-01T04:00:00,8,20,45,30,0.6,60\n"  # line 7: unknown station
        "1441A,2026-06-01T05:30:00,8,20,45,30,0.6,60\n"  # line 8: not on the hour
        "1441A,2026-06-01T06:00:00,8,-3,45,30,0.6,60\n"  # line 9: negative
    )
    report = import_hourly(engine, actor=actor, data=(HEADER + body).encode(), file_name="bad.csv")
    found = [(p.row, p.column, p.msgid) for p in report.problems]
    assert found == [
        (3, "pm25_ug/m3", "Not a number: {value}."),
        (4, "hour_ending", "Duplicate of line {line}."),
        (5, "hour_ending", "The time is in the future: {value}."),
        (6, "co_mg/m3", "{value} {unit} is beyond the plausible range; check the units."),
        (7, "station_code", "Unknown station: {station}."),
        (8, "hour_ending", "The time must be on the hour: {value}."),
        (9, "no2_ug/m3", "A concentration cannot be negative: {value}."),
    ]
    assert count(engine, AirHourly) == 0


def test_a_file_in_the_wrong_units_is_refused_by_its_header(engine):
    header = HEADER.replace("co_mg/m3", "co_ug/m3")
    report = import_hourly(
        engine, actor=editor(engine), data=(header + day_of_rows()).encode(), file_name="x.csv"
    )
    assert [(p.row, p.msgid, p.params) for p in report.problems] == [
        (0, "Column {column} must be in {unit}.", {"column": "co_ug/m3", "unit": "mg/m3"})
    ]
    assert count(engine, AirHourly) == 0


def test_hours_already_stored_are_reported_not_overwritten(engine):
    actor = editor(engine)
    data = (HEADER + day_of_rows()).encode()
    assert import_hourly(engine, actor=actor, data=data, file_name="a.csv").ok
    again = import_hourly(engine, actor=actor, data=data, file_name="a.csv")
    assert len(again.problems) == 24
    assert {p.msgid for p in again.problems} == {"This station already has data for this hour."}
    assert count(engine, AirHourly) == 24


def test_only_data_editors_may_import(engine):
    with pytest.raises(accounts.PermissionDenied):
        import_hourly(
            engine, actor=editor(engine, Role.SITE_OFFICER), data=HEADER.encode(), file_name="x"
        )


def test_a_flagged_hour_is_kept_but_no_longer_counts(engine):
    actor = editor(engine)
    rows = day_of_rows(pm25=30).replace(
        "2026-06-01T12:00:00,8,20,45,30", "2026-06-01T12:00:00,8,20,45,900"
    )
    import_hourly(engine, actor=actor, data=(HEADER + rows).encode(), file_name="a.csv")
    with Session(engine) as session:
        before = session.exec(select(AirDaily.pm25).where(AirDaily.station_code == "1441A")).one()
    hour = datetime(2026, 6, 1, 12, tzinfo=BEIJING)
    assert flag_invalid(
        engine, actor=actor, station="1441A", hour_ending=hour, reason="calibration"
    )
    with Session(engine) as session:
        after = session.exec(select(AirDaily.pm25).where(AirDaily.station_code == "1441A")).one()
        kept = session.exec(select(func.count()).select_from(AirHourly)).one()
    assert before == 66  # (23 * 30 + 900) / 24 = 66.25, published as an integer
    assert after == 30  # 23 valid hours >= 20, the flagged one excluded
    assert kept == 24


def test_flagging_needs_a_reason(engine):
    with pytest.raises(importer.UserFacingError):
        flag_invalid(
            engine, actor=editor(engine), station="1441A",
            hour_ending=datetime(2026, 6, 1, 12, tzinfo=BEIJING), reason="  ",
        )  # fmt: skip


def test_an_import_whose_audit_entry_fails_leaves_no_rows(engine, monkeypatch):
    actor = editor(engine)

    def refuse(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", refuse)  # after the rows and the daily values are written
    with pytest.raises(RuntimeError):
        import_hourly(engine, actor=actor, data=(HEADER + day_of_rows()).encode(), file_name="a")
    assert count(engine, AirHourly) == 0
    assert count(engine, AirDaily) == 0


def test_an_import_runs_in_the_callers_unit_of_work(engine):
    actor = editor(engine)
    with Session(engine) as session:
        report = importer.import_hourly(
            session, actor=actor, data=(HEADER + day_of_rows()).encode(), file_name="a.csv"
        )
        assert report.ok
        session.rollback()  # the caller decides: nothing was committed behind its back
    assert count(engine, AirHourly) == 0
    assert count(engine, AirDaily) == 0
    assert imports_audited(engine) == 0

"""City and district values: per pollutant, the mean of their assessment stations."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert
from sqlmodel import Session, select

from services.air.daily import CITY, AirDaily, rebuild_daily
from services.air.now import air_now
from services.air.observations import AirHourly
from services.core import geography


def test_districts_group_their_assessment_stations_and_leave_out_the_background():
    grouped = geography.evaluation_stations_by_district()
    assert grouped["520111"] == ["1443A", "1444A"]  # 花溪区 without 桐木岭 (1552A, background)
    assert grouped["520102"] == ["1440A", "1446A", "1447A"]
    assert "520113" not in grouped  # 白云区 has no national station


def _day_of(engine, values: dict[str, float]) -> None:
    hours = pd.date_range("2026-06-01 01:00", periods=24, freq="h", tz="Asia/Shanghai")
    rows = [
        {"station_code": code, "observed_at": h.to_pydatetime().astimezone(UTC), "so2": 5.0,
         "no2": 20.0, "pm10": 40.0, "pm25": value, "co": 0.5, "o3": 50.0, "is_valid": True,
         "source": "test"}
        for code, value in values.items()
        for h in hours
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(AirHourly), rows)


def test_city_and_district_daily_values_are_station_means(engine):
    # 花溪区: 1443A 30, 1444A 41 -> 35.5 -> published 36 (half to even); the background 1552A
    # (100) counts for neither the district nor the city. City: mean of 1443A, 1444A, 1441A.
    _day_of(engine, {"1443A": 30.0, "1444A": 41.0, "1441A": 50.0, "1552A": 100.0})
    rebuild_daily(engine)
    with Session(engine) as session:
        pm25 = dict(session.exec(select(AirDaily.station_code, AirDaily.pm25)).all())
    assert pm25["520111"] == 36
    assert pm25["520115"] == 50
    assert pm25[CITY] == 40  # (30 + 41 + 50) / 3 = 40.33 -> 40


def test_air_now_reports_stations_districts_and_the_city(engine):
    _day_of(engine, {"1443A": 30.0, "1444A": 41.0})
    with Session(engine) as session:
        now = air_now(session)
    assert now["520111"].stations_reporting == 2
    assert now[CITY].stations_reporting == 2
    assert now["520111"].observed_at == datetime(2026, 6, 1, 16, tzinfo=UTC)  # 00:00 Beijing
    # 2026 real time, 1h PM2.5 of the district 35.5 -> rounded first to 36 (half to even):
    # 36 on 35..60 -> 50 + 50*(1/25) = 52
    assert now["520111"].result.iaqi["PM2_5_1H"] == 52


def test_districts_are_ranked_by_composite_index_best_first(engine):
    from decimal import Decimal

    from services.air.public import district_ranking

    hours = pd.date_range("2025-01-01 01:00", periods=240, freq="h", tz="Asia/Shanghai")

    def station(code: str, pm25: float) -> list[dict]:
        return [
            {"station_code": code, "observed_at": h.to_pydatetime().astimezone(UTC), "so2": 9.0,
             "no2": 15.0, "pm10": 39.0, "pm25": pm25, "co": 0.7, "o3": 192.0, "is_valid": True,
             "source": "test"}
            for h in hours
        ]  # fmt: skip

    with engine.begin() as conn:
        conn.execute(
            insert(AirHourly),
            station("1443A", 21.0) + station("1444A", 21.0) + station("1441A", 10.0),
        )
    rebuild_daily(engine)
    with Session(engine) as session:
        ranking = district_ranking(session, year=2025)
    # GB 3095-2012 class II: PM2.5 35, PM10 70, SO2 60, NO2 40 (annual), O3 8h 160, CO 24h 4.
    # The other terms: 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 2.457142857...
    # 观山湖区 (1441A): 10/35 -> 2.742857; city: (21 + 21 + 10)/3 = 17.33 -> published 17 -> 17/35
    # -> 2.942857; 花溪区: 21/35 -> 3.057143 (the CI01 worked example)
    assert [(s.place.code, round(s.index, 4)) for s in ranking] == [
        ("520115", Decimal("2.7429")),
        ("CITY", Decimal("2.9429")),
        ("520111", Decimal("3.0571")),
    ]
    assert {s.phase for s in ranking} == {"GB3095-2012"}

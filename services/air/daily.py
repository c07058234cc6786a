"""Daily values per station and for the city, kept in `air_daily` so pages read small tables.

Rebuilt from the hourly observations after every import and by the sample-data generator:
GB 3095 daily statistics (services.air.evaluation), then the daily AQI of the standard in force
on each day (services.air.aqi_frame).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Index, UniqueConstraint, delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from services import geography
from services.air import evaluation
from services.air.aqi_frame import compute_aqi_frame, round_as_published
from services.air.observations import POLLUTANTS, AirHourly
from services.clock import BEIJING

CITY = "CITY"
DAILY_KEYS = {
    "SO2_24H": "so2",
    "NO2_24H": "no2",
    "CO_24H": "co",
    "O3_1H": "o3_1h_max",  # HJ 633-2012 daily only
    "O3_8H": "o3_8h_max",
    "PM10_24H": "pm10",
    "PM2_5_24H": "pm25",
}
VALUE_COLUMNS = ("so2", "no2", "pm10", "pm25", "co", "o3_1h_max", "o3_8h_max")


def published(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily values as published: µg/m³ as integers, CO in mg/m³ to one decimal (GB/T 8170)."""
    return daily.assign(
        **{c: round_as_published(daily[c], decimals=1 if c == "co" else 0) for c in VALUE_COLUMNS}
    )


def daily_values_with_aqi(hourly: pd.DataFrame) -> pd.DataFrame:
    """Stations' and the city's published daily values with their daily AQI (the pipeline)."""
    daily = published(evaluation.daily_statistics(hourly))
    evaluation_stations = [s.code for s in geography.air_stations() if not s.is_background]
    # The city and each district: per pollutant, the mean of their assessment stations (air.md).
    areas = {CITY: evaluation_stations, **geography.evaluation_stations_by_district()}
    means = [
        published(evaluation.city_daily(daily, stations=codes, city_code=area))
        for area, codes in areas.items()
    ]
    return _with_aqi(pd.concat([daily, *means], ignore_index=True))


class AirDaily(SQLModel, table=True):
    __tablename__ = "air_daily"
    __table_args__ = (
        UniqueConstraint("station_code", "day", name="uq_air_daily_station_day"),
        Index("ix_air_daily_day", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    station_code: str = Field(max_length=8)  # or CITY
    day: date  # Beijing calendar day
    so2: float | None = None
    no2: float | None = None
    pm10: float | None = None
    pm25: float | None = None
    co: float | None = None
    o3_1h_max: float | None = None
    o3_8h_max: float | None = None
    aqi: int | None = None  # None: no valid daily AQI ("NA")
    level: int | None = None
    primary_pollutants: str = Field(default="", max_length=64)  # keys joined by '+'
    standard: str = Field(max_length=12)


def _hourly_frame(session: Session, since: datetime | None) -> pd.DataFrame:
    query = select(
        AirHourly.station_code, AirHourly.observed_at, AirHourly.is_valid,
        *[getattr(AirHourly, p) for p in POLLUTANTS],
    )  # fmt: skip
    if since is not None:
        query = query.where(col(AirHourly.observed_at) > since)
    rows = session.exec(query).all()
    frame = pd.DataFrame(rows, columns=["station_code", "observed_at", "is_valid", *POLLUTANTS])
    frame["observed_at"] = pd.to_datetime(frame["observed_at"], utc=True)
    return frame


def _with_aqi(daily: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for standard, part in daily.groupby("standard"):
        keys = {
            k: v for k, v in DAILY_KEYS.items() if not (k == "O3_1H" and standard == "HJ633-2026")
        }
        inputs = pd.DataFrame({k: part[v] for k, v in keys.items()}, index=part.index)
        result = compute_aqi_frame(inputs, report="daily", standard=str(standard))
        parts.append(part.assign(
            aqi=result["aqi"],
            level=result["level"].where(result["aqi"].notna()),
            primary_pollutants=result["primary"],
        ))  # fmt: skip
    return pd.concat(parts) if parts else daily.assign(aqi=None, level=None, primary_pollutants="")


def rebuild_daily(engine: Engine, *, since_day: date | None = None) -> int:
    """Recompute `air_daily` from `since_day` on (everything when None). Returns rows written."""
    since = (
        datetime.combine(since_day, datetime.min.time(), tzinfo=BEIJING).astimezone()
        if since_day
        else None
    )
    with Session(engine) as session:
        hourly = _hourly_frame(session, since)
    if hourly.empty:
        return 0
    both = daily_values_with_aqi(hourly)
    both["day"] = pd.to_datetime(both["date"]).dt.date
    if since_day is not None:
        both = both[both["day"] >= since_day]
    records = [
        {
            "station_code": row.station_code,
            "day": row.day,
            **{
                c: None if pd.isna(getattr(row, c)) else float(getattr(row, c))
                for c in VALUE_COLUMNS
            },
            "aqi": None if pd.isna(row.aqi) else int(row.aqi),
            "level": None if pd.isna(row.level) else int(row.level),
            "primary_pollutants": row.primary_pollutants or "",
            "standard": row.standard,
        }
        for row in both.itertuples(index=False)
    ]
    with engine.begin() as conn:
        removal = delete(AirDaily)
        if since_day is not None:
            removal = removal.where(col(AirDaily.day) >= since_day)
        conn.execute(removal)
        for start in range(0, len(records), 5_000):
            conn.execute(insert(AirDaily), records[start : start + 5_000])
    return len(records)


def daily_series(session: Session, *, place: str, start: date, end: date) -> pd.DataFrame:
    """Daily rows of one station (or CITY) between two days inclusive, oldest first."""
    rows = session.exec(
        select(AirDaily)
        .where(AirDaily.station_code == place, col(AirDaily.day) >= start, col(AirDaily.day) <= end)
        .order_by(col(AirDaily.day))
    ).all()
    return pd.DataFrame([r.model_dump(exclude={"id"}) for r in rows])

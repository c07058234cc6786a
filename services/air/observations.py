"""Hourly station observations as published (1-hour concentrations, Beijing time).

Units follow HJ 633: µg/m³ for SO2, NO2, PM10, PM2.5 and O3; mg/m³ for CO. A missing value is NULL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co", "o3")


class AirHourly(SQLModel, table=True):
    __tablename__ = "air_hourly"
    __table_args__ = (
        UniqueConstraint("station_code", "observed_at", name="uq_air_hourly_station_hour"),
        Index("ix_air_hourly_observed_at", "observed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    station_code: str = Field(max_length=8)
    observed_at: datetime  # end of the observation hour (stored UTC; published in Beijing time)
    so2: float | None = None
    no2: float | None = None
    pm10: float | None = None
    pm25: float | None = None
    co: float | None = None
    o3: float | None = None
    is_valid: bool = True
    source: str = Field(default="import", max_length=16)  # import | feed | demo


@dataclass(frozen=True)
class LatestHour:
    observed_at: datetime
    stations_reporting: int


def latest_hour(session: Session) -> LatestHour | None:
    """The newest observation hour and how many stations reported in it (index-only lookups)."""
    newest = session.exec(select(func.max(AirHourly.observed_at))).one()
    if newest is None:
        return None
    count = session.exec(
        select(func.count())
        .select_from(AirHourly)
        .where(col(AirHourly.observed_at) == newest, col(AirHourly.is_valid).is_(True))
    ).one()
    return LatestHour(observed_at=newest, stations_reporting=int(count))

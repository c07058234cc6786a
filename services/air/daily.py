"""Daily values per station and for the city, kept in `air_daily` so pages read small tables.

Rebuilt from the hourly observations after every import and by the sample-data generator:
GB 3095 daily statistics (services.air.evaluation), then the daily AQI of the standard in force
on each day (services.air.aqi_frame).
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Index, UniqueConstraint, delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from services.air import evaluation
from services.air.aqi import INDICATORS
from services.air.aqi_frame import MISSING, SCALE, aqi_of_millionths, primary_names, round_mean
from services.air.observations import POLLUTANTS, AirHourly
from services.air.standards import STANDARDS, SWITCH_DATE
from services.core import geography
from services.core.clock import BEIJING
from services.core.db import unit_of_work

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
# the keys each standard's daily AQI reads (HJ 633-2026 dropped the daily max 1-hour O3)
DAILY_INDICATOR_KEYS = {s: {i.key for i in INDICATORS[(s, "daily")]} for s in STANDARDS}
VALUE_COLUMNS = evaluation.DAILY_COLUMNS  # so2 no2 pm10 pm25 co o3_1h_max o3_8h_max


def daily_values_with_aqi(hourly: pd.DataFrame) -> pd.DataFrame:
    """Stations' and areas' published daily values with their daily AQI (the pipeline).

    One row per station, city or district and Beijing day with any hourly row: ``station_code``
    (categorical), ``date``, the VALUE_COLUMNS, ``standard``, ``aqi`` (Int64, NA = no AQI),
    ``level`` (NA with the AQI) and ``primary_pollutants``. Rows come by standard, then place,
    then day.
    """
    grid = evaluation.daily_grid(hourly)
    evaluation_stations = [s.code for s in geography.air_stations() if not s.is_background]
    areas = {CITY: evaluation_stations, **geography.evaluation_stations_by_district()}
    cell, millionths, have, n_old = _place_values(grid, areas)
    aqi = np.full(len(cell), MISSING)
    level = np.zeros(len(cell), dtype=np.int64)
    primary = np.zeros(len(cell), dtype=np.int64)  # index into `names`
    names: dict[str, int] = {}
    for standard, rows in zip(STANDARDS, (slice(0, n_old), slice(n_old, None)), strict=True):
        keys = {
            k: VALUE_COLUMNS.index(c)
            for k, c in DAILY_KEYS.items()
            if k in DAILY_INDICATOR_KEYS[standard]
        }
        result = aqi_of_millionths(
            {k: millionths[i, rows] for k, i in keys.items()},
            {k: have[i, rows] for k, i in keys.items()},
            report="daily",
            standard=standard,
        )
        lookup = [names.setdefault(n, len(names)) for n in primary_names(result.keys)]
        aqi[rows], level[rows] = result.aqi, result.level
        primary[rows] = np.array(lookup, dtype=np.int64)[result.primary_mask]
    return pd.DataFrame(
        {
            "station_code": pd.Categorical.from_codes(
                cell // grid.n_days, categories=[*grid.codes, *areas]
            ),
            "date": grid.dates[cell % grid.n_days],
            **{
                c: np.where(have[i], millionths[i] / SCALE, np.nan)
                for i, c in enumerate(VALUE_COLUMNS)
            },
            "standard": pd.Categorical.from_codes(
                (np.arange(len(cell)) >= n_old).astype(np.int8), categories=STANDARDS
            ),
            "aqi": pd.arrays.IntegerArray(aqi, aqi == MISSING),
            "level": pd.arrays.IntegerArray(level, aqi == MISSING),
            "primary_pollutants": pd.Categorical.from_codes(primary, categories=list(names)),
        }
    )


def _place_values(
    grid: evaluation.DailyGrid, areas: dict[str, list[str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Published values of every station and area on each day it has data.

    Returns (cell, millionths, has value, rows under HJ633-2012): ``cell`` is place * n_days +
    day with places numbered stations first, then `areas`; values are (column, row). The rows
    under the old standard (days before the switch, DECISIONS.md §1) come first.
    """
    millionths, have = grid.published()  # (column, station, day)
    switch = int(np.searchsorted(grid.dates, np.datetime64(SWITCH_DATE)))
    position = {code: i for i, code in enumerate(grid.codes)}
    places = [(i, None, grid.present[i]) for i in range(len(grid.codes))]
    for place, codes in enumerate(areas.values(), start=len(grid.codes)):
        chosen = [position[c] for c in codes if c in position]
        places.append((place, chosen, grid.present[chosen].any(axis=0)))
    pieces: tuple[list, list] = ([], [])  # (cells, millionths, have) before / from the switch
    for place, chosen, present in places:
        days = np.flatnonzero(present)
        some = days if len(days) < grid.n_days else slice(None)  # a slice is a view
        if chosen is None:  # a station
            values, known = millionths[:, place, some], have[:, place, some]
        else:
            # The city and each district: per pollutant, the mean of their assessment stations
            # (docs/decisions.md), over the stations' published values and published in turn
            total, count = evaluation.stations_total(
                millionths[:, chosen][:, :, some], have[:, chosen][:, :, some], axis=1
            )
            units = evaluation.PUBLISHED_UNITS[:, :, 0]
            values, known = round_mean(total, np.maximum(count, 1), units), count > 0
        split = int(np.searchsorted(days, switch))
        for side, part in zip(pieces, (slice(0, split), slice(split, None)), strict=True):
            side.append((place * grid.n_days + days[part], values[:, part], known[:, part]))
    ordered = [*pieces[0], *pieces[1]]
    return (
        np.concatenate([c for c, _, _ in ordered]),
        np.concatenate([m for _, m, _ in ordered], axis=1),
        np.concatenate([h for _, _, h in ordered], axis=1),
        sum(len(c) for c, _, _ in pieces[0]),
    )


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
    # station by station, in time order (the unique index): the daily grid's fast path
    query = query.order_by(col(AirHourly.station_code), col(AirHourly.observed_at))
    rows = session.exec(query).all()
    frame = pd.DataFrame(rows, columns=["station_code", "observed_at", "is_valid", *POLLUTANTS])
    frame["observed_at"] = pd.to_datetime(frame["observed_at"], utc=True)
    return frame


def rebuild_daily(engine: Engine, *, since_day: date | None = None) -> int:
    """The sample-data generator's rebuild: `refresh_daily` in a transaction of its own."""
    with unit_of_work(engine) as session:
        return refresh_daily(session, since_day=since_day)


def refresh_daily(session: Session, *, since_day: date | None = None) -> int:
    """Recompute `air_daily` from `since_day` on (everything when None), in the caller's unit of
    work, which also sees its own unsaved hours. Returns rows written."""
    since = (
        datetime.combine(since_day, datetime.min.time(), tzinfo=BEIJING).astimezone()
        if since_day
        else None
    )
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
    conn = session.connection()
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

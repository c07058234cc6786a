"""Sample air data: plausible Guiyang hourly concentrations at the ten national stations."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session, select

from services.air import daily
from services.air.observations import AirHourly
from services.core import geography
from services.core.clock import BEIJING
from services.shared.capability import DemoContext

BATCH_ROWS = 20_000
DAYS = {"small": 300, "large": 5 * 365}  # small still spans 2026-03-01



def _air_frames(
    *, seed: int, until: datetime, days: int
) -> Iterator[tuple[str, np.ndarray, dict[str, np.ndarray]]]:
    """Per station: hour ends (UTC epoch seconds) and 1-hour concentrations.

    Guiyang is clean by Chinese standards (about 98 % good days): PM2.5 averages about 25 µg/m³,
    highest in winter with a few multi-day episodes; O3 peaks on summer afternoons.
    """
    hours = days * 24
    end = until.astimezone(BEIJING)
    start = end - timedelta(hours=hours - 1)
    local_hours = np.arange(hours)
    stamps = np.array(
        [(start + timedelta(hours=int(h))).timestamp() for h in local_hours], dtype=np.int64
    )
    day_of_year = ((stamps + 8 * 3600) // 86400 + 4) % 365.25  # approximate, for seasonality
    hour_of_day = ((stamps + 8 * 3600) // 3600) % 24
    winter = np.cos(2 * math.pi * (day_of_year - 15) / 365.25)  # +1 mid-January, -1 mid-July
    afternoon = np.clip(np.cos(2 * math.pi * (hour_of_day - 15) / 24), 0, None)
    rush = np.exp(-((hour_of_day - 8) ** 2) / 4) + np.exp(-((hour_of_day - 19) ** 2) / 6)

    for index, station in enumerate(geography.air_stations()):
        rng = np.random.default_rng([seed, index])
        cleaner = 0.7 if station.is_background else 1.0
        episode = np.zeros(hours)
        for _ in range(max(1, days // 60)):
            centre = rng.integers(0, hours)
            if winter[centre] > 0.2:
                width = rng.integers(24, 96)
                episode += rng.uniform(1.5, 4.0) * np.exp(
                    -((local_hours - centre) ** 2) / (2 * width**2)
                )
        noise = rng.lognormal(0.0, 0.25, size=(6, hours))
        pm25 = cleaner * (24 + 12 * winter) * (1 + episode) * noise[0]
        values = {
            "pm25": pm25,
            "pm10": pm25 * rng.uniform(1.5, 1.8) * noise[1] ** 0.3,
            "so2": cleaner * (9 + 4 * winter) * noise[2],
            "no2": cleaner * (16 + 6 * winter + 14 * rush) * noise[3],
            "co": cleaner * (0.6 + 0.25 * winter + 0.15 * rush) * noise[4],
            "o3": (25 + 55 * afternoon * (1.4 - 0.6 * winter)) * noise[5],
        }
        for name, series in values.items():
            digits = 1 if name == "co" else 0
            series = np.round(series, digits)
            missing = rng.random(hours) < 0.008
            values[name] = np.where(missing, np.nan, series)
        yield station.code, stamps, values


def _air_rows(seed: int, until: datetime, days: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for code, stamps, values in _air_frames(seed=seed, until=until, days=days):
        columns = {k: v.tolist() for k, v in values.items()}
        for i, stamp in enumerate(stamps.tolist()):
            row: dict[str, object] = {
                "station_code": code,
                "observed_at": datetime.fromtimestamp(stamp, UTC),
                "is_valid": True,
                "source": "demo",
            }
            for name, column in columns.items():
                value = column[i]
                row[name] = None if value != value else value  # NaN → NULL
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
    if batch:
        yield batch


def expected_rows(size: str) -> int:
    return len(geography.air_stations()) * DAYS[size] * 24


def has_rows(session: Session) -> bool:
    return session.exec(select(AirHourly.id).limit(1)).first() is not None


def generate_hours(context: DemoContext) -> int:
    done, total = 0, expected_rows(context.size)
    for batch in _air_rows(context.seed, context.until, DAYS[context.size]):
        with context.engine.begin() as conn:
            conn.execute(insert(AirHourly), batch)
        done += len(batch)
        context.progress("air_hourly", done, total)
    return done


def generate_daily(context: DemoContext) -> int:
    context.progress("air_daily", 0, 1)
    rows = daily.rebuild_daily(context.engine)
    context.progress("air_daily", 1, 1)
    return rows

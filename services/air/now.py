"""The latest real-time AQI, per station and for the city (docs/decisions.md, "Air quality").

Real-time reports use the last hour; HJ 633-2012 also needs the 24 h moving means of PM and
SO2 and the 8 h moving mean of O3, so the last 24 hours are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlmodel import Session, col, func, select

from services.air.aqi import AqiResult, compute_aqi
from services.air.daily import CITY
from services.air.observations import POLLUTANTS, AirHourly
from services.air.standards import Standard, standard_for
from services.core import geography

MOVING_24H_MIN_HOURS = 20  # GB 3095 Table 4: a 24 h mean needs 20 valid hours
MOVING_8H_MIN_HOURS = 6  # GB 3095 Table 4: an 8 h mean needs 6 valid hours


@dataclass(frozen=True)
class AirNow:
    place: str  # station code, or CITY
    observed_at: datetime  # end of the hour, UTC
    standard: Standard
    result: AqiResult
    concentrations: dict[str, float | None]
    stations_reporting: int = 1


def _moving_mean(series: pd.Series, hours: int, minimum: int) -> float | None:
    window = series.tail(hours)
    return float(window.mean()) if window.notna().sum() >= minimum else None


def _inputs(hours: pd.DataFrame) -> dict[str, float | None]:
    """Contract keys for one place from its last 24 hourly rows (oldest first)."""
    last = hours.iloc[-1]

    def value(name: str) -> float | None:
        return None if pd.isna(last[name]) else float(last[name])

    return {
        "SO2_1H": value("so2"),
        "NO2_1H": value("no2"),
        "CO_1H": value("co"),
        "O3_1H": value("o3"),
        "PM10_1H": value("pm10"),
        "PM2_5_1H": value("pm25"),
        "SO2_24H": _moving_mean(hours["so2"], 24, MOVING_24H_MIN_HOURS),
        "PM10_24H": _moving_mean(hours["pm10"], 24, MOVING_24H_MIN_HOURS),
        "PM2_5_24H": _moving_mean(hours["pm25"], 24, MOVING_24H_MIN_HOURS),
        "O3_8H": _moving_mean(hours["o3"], 8, MOVING_8H_MIN_HOURS),
    }


REALTIME_KEYS = {
    "HJ633-2012": ("SO2_1H", "SO2_24H", "NO2_1H", "CO_1H", "O3_1H", "O3_8H", "PM10_24H",
                   "PM2_5_24H"),
    "HJ633-2026": ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "PM10_1H", "PM2_5_1H"),
}  # fmt: skip


def _aqi(inputs: dict[str, float | None], standard: Standard) -> AqiResult:
    chosen = {k: inputs.get(k) for k in REALTIME_KEYS[standard]}
    return compute_aqi(chosen, report="realtime", standard=standard)


def _last_day(session: Session, newest: datetime) -> pd.DataFrame:
    rows = session.exec(
        select(
            AirHourly.station_code,
            AirHourly.observed_at,
            *[getattr(AirHourly, p) for p in POLLUTANTS],
        )
        .where(col(AirHourly.observed_at) > newest - timedelta(hours=24))
        .where(col(AirHourly.is_valid).is_(True))
    ).all()  # no ORDER BY: SQLite would then walk the (station, hour) index over every row
    frame = pd.DataFrame(rows, columns=["station_code", "observed_at", *POLLUTANTS])
    return frame.sort_values(["station_code", "observed_at"], ignore_index=True)


def air_now(session: Session) -> dict[str, AirNow]:
    """Real-time AQI for every station with data in the newest hour, and for the city."""
    newest = session.exec(select(func.max(AirHourly.observed_at))).one()
    if newest is None:
        return {}
    standard = standard_for(newest)
    frame = _last_day(session, newest)
    results: dict[str, AirNow] = {}
    for code, hours in frame.groupby("station_code"):
        if hours["observed_at"].iloc[-1] != newest:
            continue  # this station did not report the newest hour
        inputs = _inputs(hours.reset_index(drop=True))
        results[str(code)] = AirNow(str(code), newest, standard, _aqi(inputs, standard), inputs)

    # The city and each district: per pollutant, the mean over their assessment stations.
    evaluation = [s.code for s in geography.air_stations() if not s.is_background]
    areas = {CITY: evaluation, **geography.evaluation_stations_by_district()}
    for area, codes in areas.items():
        reporting = sum(1 for code in results if code in codes)
        area_frame = (
            frame[frame["station_code"].isin(codes)]
            .groupby("observed_at")[list(POLLUTANTS)]
            .mean()
            .reset_index()
        )
        if reporting and area_frame["observed_at"].iloc[-1] == newest:
            inputs = _inputs(area_frame)
            results[area] = AirNow(
                area, newest, standard, _aqi(inputs, standard), inputs, stations_reporting=reporting
            )
    return results

"""Open-data handlers for air quality: plain rows, each with the standard its figures follow.

The endpoints are declared here (services/shared/open_data.py); portal/air/routes.py serves them
through portal/kit/http.py, which parses the request, calls one of these and renders the rows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from services.air.daily import CITY, AirDaily
from services.air.observations import POLLUTANTS, AirHourly
from services.air.standards import standard_for
from services.core import geography
from services.core.clock import BEIJING
from services.core.messages import N_
from services.shared.open_data import Endpoint, Param, Row, from_to

MAX_HOURLY_DAYS = 31
MAX_DAILY_DAYS = 366 * 5
UNITS = {"so2": "ug/m3", "no2": "ug/m3", "pm10": "ug/m3", "pm25": "ug/m3", "co": "mg/m3",
         "o3": "ug/m3", "o3_1h_max": "ug/m3", "o3_8h_max": "ug/m3"}  # fmt: skip
UNKNOWN_STATION = N_("Unknown station: {station}.")


def _station_codes() -> set[str]:
    return {s.code for s in geography.air_stations()}


def _places() -> set[str]:
    return _station_codes() | {CITY, *geography.evaluation_stations_by_district()}


def _station(description: str, *, places: bool) -> Param:
    known = _places if places else _station_codes
    return Param("station", description, kind="choice", required=True, choices=known,
                 invalid=UNKNOWN_STATION)  # fmt: skip


HOURLY_DAYS, HOURLY_SPAN = from_to(max_days=MAX_HOURLY_DAYS, required=True)
DAILY_DAYS, DAILY_SPAN = from_to(max_days=MAX_DAILY_DAYS, required=True)
STATIONS = Endpoint(
    "/api/v1/air/stations",
    "The 10 national air stations: code, names, district, lat/lon, assessment or background",
    formats=("json", "csv", "geojson"),
    name="air-stations",
)
HOURLY = Endpoint(
    "/api/v1/air/hourly",
    f"Hourly concentrations of one station, Beijing days from..to (at most {MAX_HOURLY_DAYS})",
    params=(_station("A national station code, like 1441A", places=False), *HOURLY_DAYS),
    spans=(HOURLY_SPAN,),
    name="air-hourly",
)
DAILY = Endpoint(
    "/api/v1/air/daily",
    "Published daily values and daily AQI of a station, a district or the city (at most 5 years)",
    params=(_station("A station, a district code like 520111, or CITY", places=True), *DAILY_DAYS),
    spans=(DAILY_SPAN,),
    name="air-daily",
)


def stations() -> list[Row]:
    return [
        {
            "code": s.code,
            "name_zh": s.name_zh,
            "name_en": s.name_en,
            "district_zh": s.district_zh,
            "lat": s.lat,
            "lon": s.lon,
            "kind": "background" if s.is_background else "assessment",
        }
        for s in geography.air_stations()
    ]


def hourly(session: Session, *, station: str, start: date, end: date) -> list[Row]:
    """Hourly concentrations of one station for Beijing days `start`..`end` inclusive."""
    since = datetime.combine(start, time(0), tzinfo=BEIJING)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=BEIJING)
    rows = session.exec(
        select(AirHourly)
        .where(AirHourly.station_code == station)
        .where(col(AirHourly.observed_at) > since, col(AirHourly.observed_at) <= until)
        .order_by(col(AirHourly.observed_at))
    ).all()
    return [
        {
            "station": r.station_code,
            "hour_ending": r.observed_at.astimezone(BEIJING).isoformat(),
            **{f"{p}_{UNITS[p]}": getattr(r, p) for p in POLLUTANTS},
            "valid": r.is_valid,
            "standard": standard_for(r.observed_at),
        }
        for r in rows
    ]


def daily(session: Session, *, station: str, start: date, end: date) -> list[Row]:
    """Daily statistics and daily AQI of a station (or CITY) for days `start`..`end` inclusive."""
    rows = session.exec(
        select(AirDaily)
        .where(AirDaily.station_code == station)
        .where(col(AirDaily.day) >= start, col(AirDaily.day) <= end)
        .order_by(col(AirDaily.day))
    ).all()
    columns = ("so2", "no2", "pm10", "pm25", "co", "o3_1h_max", "o3_8h_max")
    return [
        {
            "station": r.station_code,
            "day": r.day.isoformat(),
            "aqi": r.aqi,
            "level": r.level,
            "primary_pollutants": r.primary_pollutants,
            **{f"{c}_{UNITS[c]}": getattr(r, c) for c in columns},
            "standard": r.standard,
        }
        for r in rows
    ]

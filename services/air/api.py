"""Open-data handlers for air quality: plain rows, each with the standard its figures follow.

The HTTP layer (portal/api.py) only parses the request, calls one of these and serialises.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from services.air.daily import CITY, AirDaily
from services.air.observations import POLLUTANTS, AirHourly
from services.air.standards import standard_for
from services.core import geography
from services.core.clock import BEIJING
from services.core.messages import N_, UserFacingError

MAX_HOURLY_DAYS = 31
MAX_DAILY_DAYS = 366 * 5
UNITS = {"so2": "ug/m3", "no2": "ug/m3", "pm10": "ug/m3", "pm25": "ug/m3", "co": "mg/m3",
         "o3": "ug/m3", "o3_1h_max": "ug/m3", "o3_8h_max": "ug/m3"}  # fmt: skip


class BadRequest(UserFacingError):
    pass


def stations() -> list[dict[str, object]]:
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


def _place(code: str | None, *, allow_city: bool) -> str:
    areas = {CITY, *geography.evaluation_stations_by_district()} if allow_city else set()
    known = {s.code for s in geography.air_stations()} | areas
    if not code or code not in known:
        raise BadRequest(N_("Unknown station: {station}."), station=code or "")
    return code


def _day(text: str | None, name: str) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        raise BadRequest(N_("{name} must be a date like 2026-03-01."), name=name) from None


def _range(start: str | None, end: str | None, *, limit_days: int) -> tuple[date, date]:
    first, last = _day(start, "from"), _day(end, "to")
    if last < first:
        raise BadRequest(N_("'to' must not be before 'from'."))
    if (last - first).days + 1 > limit_days:
        raise BadRequest(N_("Ask for at most {days} days at a time."), days=limit_days)
    return first, last


def hourly(session: Session, *, station: str | None, start: str | None, end: str | None):
    """Hourly concentrations of one station for Beijing days `start`..`end` inclusive."""
    code = _place(station, allow_city=False)
    first, last = _range(start, end, limit_days=MAX_HOURLY_DAYS)
    since = datetime.combine(first, time(0), tzinfo=BEIJING)
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=BEIJING)
    rows = session.exec(
        select(AirHourly)
        .where(AirHourly.station_code == code)
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


def daily(session: Session, *, station: str | None, start: str | None, end: str | None):
    """Daily statistics and daily AQI of a station (or CITY) for days `start`..`end` inclusive."""
    code = _place(station, allow_city=True)
    first, last = _range(start, end, limit_days=MAX_DAILY_DAYS)
    rows = session.exec(
        select(AirDaily)
        .where(AirDaily.station_code == code)
        .where(col(AirDaily.day) >= first, col(AirDaily.day) <= last)
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

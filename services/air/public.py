"""What the public air page shows: one use case per panel, small frames, provenance attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from sqlmodel import Session, col, func, select

from services.air import evaluation
from services.air.aqi import POLLUTANT_OF
from services.air.daily import CITY, AirDaily, daily_series
from services.air.now import AirNow, air_now
from services.air.observations import POLLUTANTS, AirHourly, LatestHour, latest_hour
from services.core import geography, plan
from services.core.messages import N_

PLAN_TARGET_PERCENT = Decimal(95)  # plan table 2-1, item 1: good-day ratio >= 95 %


GOOD_DAYS_GOAL = plan.goal(plan.GOOD_AIR_DAYS)  # the share of good days, table 2-1

@dataclass(frozen=True)
class Pollutant:
    column: str  # hourly column
    daily_column: str  # air_daily column
    name: str  # as printed (not translated: chemical notation)
    unit: str
    limit_pollutant: str  # gb3095_limits.csv
    hourly_limit: str | None  # averaging of the limit an hourly value is compared with
    daily_limit: str  # averaging of the limit a daily value is compared with


POLLUTANT_INFO = (
    Pollutant("pm25", "pm25", "PM2.5", "µg/m³", "PM2.5", None, "24h"),
    Pollutant("pm10", "pm10", "PM10", "µg/m³", "PM10", None, "24h"),
    Pollutant("o3", "o3_8h_max", "O3", "µg/m³", "O3", "1h", "daily_max_8h"),
    Pollutant("no2", "no2", "NO2", "µg/m³", "NO2", "1h", "24h"),
    Pollutant("so2", "so2", "SO2", "µg/m³", "SO2", "1h", "24h"),
    Pollutant("co", "co", "CO", "mg/m³", "CO", "1h", "24h"),
)
POLLUTANT_BY_KEY = {p.column: p for p in POLLUTANT_INFO}

CITY_NAME = {"zh_CN": "贵阳市（全市）", "en": "Guiyang (city)"}
TREND_WINDOWS = {"24h": N_("Last 24 hours"), "30d": N_("Last 30 days"), "1y": N_("Last 12 months")}


@dataclass(frozen=True)
class Place:
    code: str  # station code or CITY
    name_zh: str
    name_en: str
    district_zh: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


def places() -> list[Place]:
    """The city, then each district with a national station (station mean), then the stations."""
    city = Place(CITY, CITY_NAME["zh_CN"], CITY_NAME["en"], "")
    districts = []
    for key, codes in geography.evaluation_stations_by_district().items():
        district = geography.district_by_key(key)
        if district is not None:
            districts.append(
                Place(
                    key,
                    f"{district.name_zh}（{len(codes)} 个站点{'平均' if len(codes) > 1 else ''}）",
                    f"{district.name_en} ("
                    + (f"mean of {len(codes)} stations" if len(codes) > 1 else "1 station")
                    + ")",
                    district.name_zh,
                )
            )
    stations = [
        Place(s.code, s.name_zh, s.name_en, s.district_zh) for s in geography.air_stations()
    ]
    return [city, *districts, *stations]


def pollutant_names(keys: tuple[str, ...]) -> list[str]:
    """Contract keys (PM2_5_24H, O3_1H, O3_8H...) to pollutant names, each once, in order."""
    names: list[str] = []
    for key in keys:
        name = POLLUTANT_OF[key]
        if name not in names:
            names.append(name)
    return names


def now(session: Session) -> dict[str, AirNow]:
    return air_now(session)


def hourly_series(session: Session, *, place: str, hours: int = 24) -> pd.DataFrame:
    """The last `hours` hourly values (Beijing time) of a station, or the city's station mean."""
    newest = session.exec(select(func.max(AirHourly.observed_at))).one()
    if newest is None:
        return pd.DataFrame(columns=["time", *POLLUTANTS])
    columns = [getattr(AirHourly, p) for p in POLLUTANTS]
    query = (
        select(AirHourly.station_code, AirHourly.observed_at, *columns)
        .where(col(AirHourly.observed_at) > newest - timedelta(hours=hours))
        .where(col(AirHourly.is_valid).is_(True))
    )
    if place == CITY:
        stations = [s.code for s in geography.air_stations() if not s.is_background]
        query = query.where(col(AirHourly.station_code).in_(stations))
    else:
        query = query.where(AirHourly.station_code == place)
    frame = pd.DataFrame(session.exec(query).all(), columns=["station", "time", *POLLUTANTS])
    frame["time"] = pd.to_datetime(frame["time"], utc=True).dt.tz_convert("Asia/Shanghai")
    return frame.groupby("time")[list(POLLUTANTS)].mean().reset_index()


def daily_window(session: Session, *, place: str, days: int) -> pd.DataFrame:
    last = session.exec(select(func.max(AirDaily.day))).one()
    if last is None:
        return pd.DataFrame()
    return daily_series(session, place=place, start=last - timedelta(days=days - 1), end=last)


def year_days(session: Session, *, place: str, year: int) -> pd.DataFrame:
    """Daily rows of a calendar year with calendar positions (week of year, weekday 0=Monday)."""
    frame = daily_series(session, place=place, start=date(year, 1, 1), end=date(year, 12, 31))
    if frame.empty:
        return frame
    days = pd.to_datetime(frame["day"])
    return frame.assign(
        week=((days.dt.day_of_year - 1 + date(year, 1, 1).weekday()) // 7).astype(int),
        weekday=days.dt.day_of_week,
    )


def monthly_good_days(days: pd.DataFrame) -> pd.DataFrame:
    """Monthly good-day ratio from `year_days`, never mixing standards (break-in-series flag)."""
    if days.empty:
        return pd.DataFrame()
    return evaluation.monthly_good_day_ratio(days.rename(columns={"day": "date"}))


@dataclass(frozen=True)
class GoodDaysSummary:
    standard: str
    first_day: date
    last_day: date
    ratio: evaluation.GoodDayRatio


def good_days_by_standard(days: pd.DataFrame) -> list[GoodDaysSummary]:
    """The year's good-day ratio, one figure per standard in force (never mixed)."""
    summaries = []
    for standard, part in days.groupby("standard", sort=False):
        summaries.append(
            GoodDaysSummary(
                standard=str(standard),
                first_day=min(part["day"]),
                last_day=max(part["day"]),
                ratio=evaluation.good_day_ratio(part["aqi"]),
            )
        )
    return sorted(summaries, key=lambda s: s.first_day)


def annual_table(days: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """HJ 663 annual evaluation of one place from its daily rows."""
    if days.empty:
        return pd.DataFrame()
    daily = days.rename(columns={"day": "date"})
    return evaluation.annual_evaluation(daily, year=year)


def limit(pollutant: Pollutant, *, averaging: str | None, on: date) -> float | None:
    """The GB 3095 class-II limit in force on a day, for a chart's reference line."""
    if averaging is None:
        return None
    phase = evaluation.gb3095_phase_on(on)
    return float(
        evaluation.gb3095_limit(
            pollutant=pollutant.limit_pollutant, averaging=averaging, phase=phase
        )
    )


def years(session: Session) -> list[int]:
    first = session.exec(select(func.min(AirDaily.day))).one()
    last = session.exec(select(func.max(AirDaily.day))).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []


EXPORT_COLUMNS = ["place", "day", "aqi", "level", "primary_pollutants", "standard",
                  "so2", "no2", "pm10", "pm25", "co", "o3_1h_max", "o3_8h_max"]  # fmt: skip
EXPORT_UNITS = {
    "so2": "ug/m3", "no2": "ug/m3", "pm10": "ug/m3", "pm25": "ug/m3", "co": "mg/m3",
    "o3_1h_max": "ug/m3", "o3_8h_max": "ug/m3",
}  # fmt: skip


def export_frame(days: pd.DataFrame, *, place: str) -> pd.DataFrame:
    """Exactly the daily values shown, with the standard per row and units in the headers."""
    if days.empty:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    frame = days.assign(place=place)[EXPORT_COLUMNS].copy()
    for column in ("so2", "no2", "pm10", "pm25", "o3_1h_max", "o3_8h_max"):
        frame[column] = frame[column].round(0)
    frame["co"] = frame["co"].round(1)
    frame["aqi"] = frame["aqi"].astype("Int64")
    frame["level"] = frame["level"].astype("Int64")
    frame["day"] = pd.to_datetime(frame["day"]).dt.strftime("%Y-%m-%d")
    return frame.rename(columns={c: f"{c}_{u}" for c, u in EXPORT_UNITS.items()})


COMPOSITE_STATISTICS = {
    "pm25": "PM2.5 annual mean",
    "pm10": "PM10 annual mean",
    "so2": "SO2 annual mean",
    "no2": "NO2 annual mean",
    "o3_p90": "O3 8h P90",
    "co_p95": "CO P95",
}


@dataclass(frozen=True)
class DistrictScore:
    place: Place
    period_start: date
    period_end: date
    phase: str
    index: Decimal


def district_ranking(session: Session, *, year: int) -> list[DistrictScore]:
    """Districts (and the city) by HJ 663 composite index for the year's latest period, best first.

    A year that straddles the 2026-03-01 change of limits is ranked on its later period, so no
    index mixes two sets of limits.
    """
    scores = []
    areas = {CITY, *geography.evaluation_stations_by_district()}
    for place in places():
        if place.code not in areas:
            continue
        table = annual_table(year_days(session, place=place.code, year=year), year=year)
        if table.empty:
            continue
        latest = table[table["period_start"] == table["period_start"].max()]
        values = dict(zip(latest["statistic"], latest["value"], strict=True))
        if any(pd.isna(values.get(name)) for name in COMPOSITE_STATISTICS.values()):
            continue
        phase = str(latest["standard"].iloc[0])
        index = evaluation.composite_index(
            **{arg: repr(float(values[name])) for arg, name in COMPOSITE_STATISTICS.items()},
            standard=phase,
        )
        start, end = latest["period_start"].iloc[0], latest["period_end"].iloc[0]
        scores.append(DistrictScore(place, start, end, phase, index))
    return sorted(scores, key=lambda s: s.index)


@dataclass(frozen=True)
class HomeSummary:
    latest: LatestHour | None  # the newest hour with any station data
    city: AirNow | None  # the city's real-time AQI for that hour


def home_summary(session: Session) -> HomeSummary:
    return HomeSummary(latest_hour(session), air_now(session).get(CITY))

"""Air-quality evaluation: daily statistics, HJ 663 annual evaluation, good days, composite index.

Hourly input (`daily_statistics`): columns ``station_code``, ``observed_at`` (aware UTC, the END of
the hour), ``so2 no2 pm10 pm25 o3`` (µg/m³), ``co`` (mg/m³), ``is_valid``. Rows with
``is_valid`` False count as missing everywhere.

Daily frames (output of `daily_statistics` / `city_daily`, input of `annual_evaluation`): columns
``station_code``, ``date`` (naive datetime64 at midnight, Beijing calendar day), ``so2 no2 pm10 pm25
co`` (24-hour means), ``o3_1h_max``, ``o3_8h_max``, ``standard`` (HJ633-2012 / HJ633-2026).

Limits come from content/standards/gb3095_limits.csv (Table 1, by the phase in force on the date);
the standard switch follows content/standards/DECISIONS.md §1.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache

import numpy as np
import pandas as pd

from services.air.standards import LEVEL_UPPER_BOUNDS, SWITCH_DATE
from services.settings import CONTENT_DIR

LIMITS_CSV = CONTENT_DIR / "standards" / "gb3095_limits.csv"
MEAN_POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co")
HOURLY_POLLUTANTS = (*MEAN_POLLUTANTS, "o3")
DAILY_COLUMNS = (*MEAN_POLLUTANTS, "o3_1h_max", "o3_8h_max")
DAY_KEYS = ["station_code", "date"]

# GB 3095-2012 Table 4 (kept by GB 3095-2026): a 24-hour mean needs >= 20 valid hours that day
MIN_VALID_HOURS = 20
# GB 3095-2012 Table 4: an 8-hour mean needs >= 6 valid hours
WINDOW_HOURS, MIN_WINDOW_HOURS = 8, 6
# HJ 663-2013 §6.1.2: O3 daily max 8h over the windows ending 08:00..24:00, >= 14 of them valid,
# or fewer when the maximum found already exceeds the limit
MIN_VALID_WINDOWS = 14
# GB 3095-2012 Table 4: an annual mean needs >= 324 daily values, >= 27 in each month (Feb >= 25)
MIN_DAYS_PER_YEAR, MIN_DAYS_PER_MONTH, MIN_DAYS_IN_FEBRUARY = 324, 27, 25
# HJ 633 Table 2: levels 1-2 (优, 良) are good days, i.e. AQI <= 100
GOOD_AQI_MAX = LEVEL_UPPER_BOUNDS[1]


# --- GB 3095 limits --------------------------------------------------------------------------


@cache
def _limits_table() -> pd.DataFrame:
    """Table 1 limits as exact decimal strings, with each phase's validity dates."""
    table = pd.read_csv(LIMITS_CSV, dtype=str, keep_default_na=False)
    table = table[table["table"] == "Table1"].copy()
    table["effective_from"] = pd.to_datetime(table["effective_from"])
    open_ended = table["effective_to"] == ""
    table["effective_to"] = pd.to_datetime(table["effective_to"].mask(open_ended, None))
    table["effective_to"] = table["effective_to"].fillna(pd.Timestamp.max.normalize())
    return table


def gb3095_phases() -> pd.DataFrame:
    """The GB 3095 phases (standard_phase, effective_from, effective_to), oldest first."""
    columns = ["standard_phase", "effective_from", "effective_to"]
    phases = _limits_table()[columns].drop_duplicates("standard_phase")
    return phases.sort_values("effective_from").reset_index(drop=True)


def gb3095_phase_on(day: date) -> str:
    """The GB 3095 phase in force on a day (GB3095-2012, GB3095-2026-transition, -final)."""
    moment = pd.Timestamp(day)
    phases = gb3095_phases()
    found = phases[(phases["effective_from"] <= moment) & (moment <= phases["effective_to"])]
    if found.empty:
        raise LookupError(f"no GB 3095 limits in force on {day}")
    return str(found["standard_phase"].iloc[0])


def gb3095_limit(*, pollutant: str, averaging: str, phase: str, zone_class: int = 2) -> Decimal:
    """A Table 1 limit, e.g. ``gb3095_limit(pollutant="PM2.5", averaging="annual", ...)``."""
    if zone_class not in (1, 2):
        raise ValueError("zone_class must be 1 or 2")  # GB 3095: class 1 and class 2 zones
    table = _limits_table()
    row = table[
        (table["standard_phase"] == phase)
        & (table["pollutant"] == pollutant)
        & (table["averaging"] == averaging)
    ]
    if row.empty:
        raise LookupError((phase, pollutant, averaging))
    return Decimal(row[f"class{zone_class}_limit"].iloc[0])


def _limits_on(days: pd.Series, *, pollutant: str, averaging: str, zone_class: int) -> pd.Series:
    """The limit in force on each day (NaN before the first phase)."""
    limits = pd.Series(np.nan, index=days.index)
    for phase in gb3095_phases().itertuples():
        in_force = (days >= phase.effective_from) & (days <= phase.effective_to)
        limit = gb3095_limit(
            pollutant=pollutant,
            averaging=averaging,
            phase=phase.standard_phase,
            zone_class=zone_class,
        )
        limits[in_force] = float(limit)
    return limits


def aqi_standard(days: pd.Series) -> pd.Series:
    """HJ633-2012 before the switch date, HJ633-2026 from it (DECISIONS.md §1)."""
    return pd.Series(
        np.where(days < pd.Timestamp(SWITCH_DATE), "HJ633-2012", "HJ633-2026"), index=days.index
    )


# --- daily statistics ------------------------------------------------------------------------


# China Standard Time: UTC+8 with no daylight saving since 1991
BEIJING_OFFSET_S = 8 * 3600


@dataclass(frozen=True)
class HourGrid:
    """Hourly values laid out as one row per (station, Beijing day) and 24 hour columns.

    Row ``i`` is station ``codes[i // n_days]`` on day ``first_day + i % n_days``; only rows in
    ``present`` had any hourly row. Hour column ``h`` holds the hour ending at ``h + 1`` o'clock;
    two rows for the same station-hour are averaged into one hour.
    """

    codes: np.ndarray
    first_day: np.datetime64
    n_days: int
    present: np.ndarray  # row indices that had data
    values: dict[str, np.ndarray]  # pollutant -> (rows, 24), NaN where missing or invalid


def _hour_grid(hourly: pd.DataFrame) -> HourGrid:
    ends = hourly["observed_at"]
    if getattr(ends.dt, "tz", None) is None:
        raise ValueError("observed_at must be timezone-aware (UTC)")
    seconds = ends.dt.as_unit("s").array.asi8  # seconds since the epoch (UTC)
    # HJ 633 / HJ 663: a day is the hours ending 01:00..24:00 Beijing time, so 00:00 closes the
    # previous day; shifting the end back one hour puts each hour on its own day
    local = seconds + BEIJING_OFFSET_S - 3600
    day = local // 86400
    hour = (local % 86400) // 3600
    station, codes = pd.factorize(hourly["station_code"], sort=True)
    first, n_days = int(day.min()), int(day.max() - day.min() + 1)
    row = station * n_days + (day - first)
    n_rows = len(codes) * n_days
    cell = row * 24 + hour
    valid = hourly["is_valid"].fillna(False).to_numpy(dtype=bool)
    values = {}
    for pollutant in HOURLY_POLLUTANTS:
        raw = hourly[pollutant].to_numpy(dtype="float64")
        usable = valid & ~np.isnan(raw)
        weights = np.where(usable, raw, 0.0)
        total = np.bincount(cell, weights=weights, minlength=n_rows * 24)
        count = np.bincount(cell, weights=usable, minlength=n_rows * 24)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / count, np.nan)  # duplicates of an hour averaged
        values[pollutant] = mean.reshape(n_rows, 24)
    present = np.flatnonzero(np.bincount(row, minlength=n_rows))
    return HourGrid(
        codes=np.asarray(codes),
        first_day=np.datetime64(first, "D"),
        n_days=n_days,
        present=present,
        values=values,
    )


def _o3_daily_max_8h(
    grid: np.ndarray, dates: pd.Series, *, zone_class: int
) -> tuple[np.ndarray, np.ndarray]:
    """Daily max 8-hour O3 and the number of valid windows, for each (station, day) grid row."""
    # HJ 663-2013 §6.1.2: the 17 windows end at hours 8..24, each averaging its own 8 hours
    windows = np.lib.stride_tricks.sliding_window_view(grid, WINDOW_HOURS, axis=1)
    counts = (~np.isnan(windows)).sum(axis=2)
    sums = np.nansum(windows, axis=2)
    valid = counts >= MIN_WINDOW_HOURS  # GB 3095-2012 Table 4: >= 6 hours per 8-hour mean
    means = np.where(valid, sums / np.maximum(counts, 1), -np.inf)
    valid_windows = valid.sum(axis=1)
    highest = np.where(valid_windows > 0, means.max(axis=1), np.nan)
    limit = _limits_on(dates, pollutant="O3", averaging="daily_max_8h", zone_class=zone_class)
    # HJ 663-2013 §6.1.2: fewer than 14 valid windows is still valid if the max exceeds the limit
    kept = (valid_windows >= MIN_VALID_WINDOWS) | (highest > limit.to_numpy())
    return np.where(kept, highest, np.nan), valid_windows


def daily_statistics(hourly: pd.DataFrame, *, zone_class: int = 2) -> pd.DataFrame:
    """One row per station and Beijing day: 24-hour means, O3 daily max 1h and max 8h.

    Also ``<pollutant>_valid_hours`` for each pollutant, ``o3_8h_valid_windows`` and
    ``standard``. ``zone_class`` picks the O3 8h limit used by the "fewer windows" rule.
    Vectorised over an hour grid (`_hour_grid`); rows come sorted by station and date.
    """
    grid = _hour_grid(hourly)
    rows = grid.present
    daily = pd.DataFrame(
        {
            "station_code": grid.codes[rows // grid.n_days],
            "date": (grid.first_day + (rows % grid.n_days)).astype("datetime64[ns]"),
        }
    )
    hours_valid = {p: (~np.isnan(grid.values[p][rows])).sum(axis=1) for p in HOURLY_POLLUTANTS}
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN days give NaN, as intended
        for pollutant in MEAN_POLLUTANTS:
            enough = hours_valid[pollutant] >= MIN_VALID_HOURS  # GB 3095-2012 Table 4
            mean = np.nanmean(grid.values[pollutant][rows], axis=1)
            daily[pollutant] = np.where(enough, mean, np.nan)
        # project rule (no clause found): the daily max 1-hour O3 needs the same >= 20 valid hours
        o3 = grid.values["o3"][rows]
        daily["o3_1h_max"] = np.where(
            hours_valid["o3"] >= MIN_VALID_HOURS, np.nanmax(o3, axis=1), np.nan
        )
    daily["o3_8h_max"], daily["o3_8h_valid_windows"] = _o3_daily_max_8h(
        o3, daily["date"], zone_class=zone_class
    )
    for pollutant in HOURLY_POLLUTANTS:
        daily[f"{pollutant}_valid_hours"] = hours_valid[pollutant]
    daily["standard"] = aqi_standard(daily["date"])
    return daily


def city_daily(
    daily: pd.DataFrame, *, stations: list[str], city_code: str = "city"
) -> pd.DataFrame:
    """City value per day: arithmetic mean of the listed evaluation stations (air.md).

    Missing station values are skipped; ``stations_reporting`` counts the listed stations with a
    row that day. The caller leaves out background stations.
    """
    chosen = daily[daily["station_code"].isin(stations)]
    by_date = chosen.groupby("date")
    city = by_date[[c for c in DAILY_COLUMNS if c in daily.columns]].mean()
    city["stations_reporting"] = by_date["station_code"].nunique()
    city = city.reset_index()
    city.insert(0, "station_code", city_code)
    city["standard"] = aqi_standard(city["date"])
    return city


# --- HJ 663 annual evaluation ----------------------------------------------------------------


def percentile(values: pd.Series | np.ndarray | list[float], p: float) -> float:
    """HJ 663-2013 Appendix A percentile (numpy "linear", type 7), NaN excluded, exact decimals.

    k = 1 + (n - 1) * p / 100; m = X[s] + (X[s+1] - X[s]) * (k - s) with s = floor(k).
    """
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    data = np.asarray(values, dtype="float64")
    ordered = np.sort(data[~np.isnan(data)])
    if ordered.size == 0:
        return math.nan
    k = 1 + (ordered.size - 1) * Decimal(repr(float(p))) / 100
    s = int(k)  # k >= 1, so int() is floor
    low = Decimal(repr(float(ordered[s - 1])))  # the float's shortest decimal, read exactly
    high = Decimal(repr(float(ordered[min(s, ordered.size - 1)])))
    return float(low + (high - low) * (k - s))


@dataclass(frozen=True)
class AnnualStatistic:
    statistic: str
    column: str  # daily column
    pollutant: str  # gb3095_limits.csv pollutant
    averaging: str  # gb3095_limits.csv averaging of the limit it is compared with
    percentile: int | None = None  # None = arithmetic mean


# HJ 663-2013 §5 (annual evaluation items, air.md); percentiles compare with the 24h limit
ANNUAL_STATISTICS = (
    AnnualStatistic("SO2 annual mean", "so2", "SO2", "annual"),
    AnnualStatistic("SO2 P98", "so2", "SO2", "24h", 98),
    AnnualStatistic("NO2 annual mean", "no2", "NO2", "annual"),
    AnnualStatistic("NO2 P98", "no2", "NO2", "24h", 98),
    AnnualStatistic("PM10 annual mean", "pm10", "PM10", "annual"),
    AnnualStatistic("PM10 P95", "pm10", "PM10", "24h", 95),
    AnnualStatistic("PM2.5 annual mean", "pm25", "PM2.5", "annual"),
    AnnualStatistic("PM2.5 P95", "pm25", "PM2.5", "24h", 95),
    AnnualStatistic("CO P95", "co", "CO", "24h", 95),
    AnnualStatistic("O3 8h P90", "o3_8h_max", "O3", "daily_max_8h", 90),
)
EVALUATION_COLUMNS = [
    "station_code", "period_start", "period_end", "standard", "statistic", "value", "limit",
    "compliant", "exceedance_multiple", "days", "complete",
]  # fmt: skip


@dataclass(frozen=True)
class EvaluationPeriod:
    start: date
    end: date
    phase: str

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)


def evaluation_periods(*, year: int) -> list[EvaluationPeriod]:
    """The year cut where the GB 3095 phase changes (DECISIONS.md §1: never mix standards)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    periods = []
    for phase in gb3095_phases().itertuples():
        start = max(first, phase.effective_from.date())
        end = min(last, phase.effective_to.date())
        if start <= end:
            periods.append(EvaluationPeriod(start=start, end=end, phase=phase.standard_phase))
    return periods


def _required_days_per_month(period: EvaluationPeriod) -> pd.Series:
    """GB 3095-2012 Table 4 monthly minimum, capped at the month's days inside the period."""
    days = pd.Series(pd.date_range(period.start, period.end, freq="D"))
    in_period = days.groupby(days.dt.month).size()
    minimum = pd.Series(MIN_DAYS_PER_MONTH, index=in_period.index)
    minimum[minimum.index == 2] = MIN_DAYS_IN_FEBRUARY
    return np.minimum(minimum, in_period)


def _completeness(frame: pd.DataFrame, period: EvaluationPeriod) -> pd.DataFrame:
    """Per station and daily column: does the period meet the GB 3095 Table 4 day counts?"""
    columns = sorted({s.column for s in ANNUAL_STATISTICS})
    required = _required_days_per_month(period)
    monthly = frame.groupby(["station_code", frame["date"].dt.month])[columns].count()
    complete = {}
    for column in columns:
        table = monthly[column].unstack(fill_value=0).reindex(columns=required.index, fill_value=0)
        ok = (table >= required).all(axis=1)
        if period.is_calendar_year:  # GB 3095-2012 Table 4: >= 324 days in a calendar year
            ok &= table.sum(axis=1) >= MIN_DAYS_PER_YEAR
        complete[column] = ok
    return pd.DataFrame(complete)


def _evaluate_statistic(
    frame: pd.DataFrame,
    statistic: AnnualStatistic,
    *,
    period: EvaluationPeriod,
    zone_class: int,
    complete: pd.Series,
) -> pd.DataFrame:
    by_station = frame.groupby("station_code")[statistic.column]
    if statistic.percentile is None:
        value = by_station.mean()
    else:
        value = by_station.agg(percentile, p=statistic.percentile)
    limit = float(
        gb3095_limit(
            pollutant=statistic.pollutant,
            averaging=statistic.averaging,
            phase=period.phase,
            zone_class=zone_class,
        )
    )
    result = pd.DataFrame({"value": value, "days": by_station.count()})
    result["limit"] = limit
    result["compliant"] = (value <= limit).astype("boolean").mask(value.isna())
    # HJ 663-2013 §5: exceedance multiple (C - S) / S for C > S, else 0
    result["exceedance_multiple"] = ((value - limit) / limit).clip(lower=0)
    result["complete"] = complete.reindex(result.index, fill_value=False)
    result["statistic"] = statistic.statistic
    return result


def annual_evaluation(daily: pd.DataFrame, *, year: int, zone_class: int = 2) -> pd.DataFrame:
    """HJ 663 annual evaluation per station (a city row when ``station_code`` is the city).

    One row per station, period and statistic. A year that straddles a GB 3095 phase change
    (2026: 01-01..02-28 under GB3095-2012, 03-01..12-31 under GB3095-2026-transition) gives two
    periods, each against its own limits; ``period_start``/``period_end`` label them and
    ``standard`` names the phase. ``complete`` is False when the GB 3095 Table 4 day counts are not
    met (>= 27 valid days per month, Feb >= 25, and >= 324 in a whole calendar year); the values
    are still computed.
    """
    frame = daily.assign(date=pd.to_datetime(daily["date"]))
    results = []
    for period in evaluation_periods(year=year):
        in_period = frame[frame["date"].between(*map(pd.Timestamp, (period.start, period.end)))]
        if in_period.empty:
            continue
        complete = _completeness(in_period, period)
        for statistic in ANNUAL_STATISTICS:
            result = _evaluate_statistic(
                in_period,
                statistic,
                period=period,
                zone_class=zone_class,
                complete=complete[statistic.column],
            )
            labels = {"period_start": period.start, "period_end": period.end}
            results.append(result.assign(**labels, standard=period.phase))
    if not results:
        return pd.DataFrame(columns=EVALUATION_COLUMNS)
    evaluation = pd.concat(results).rename_axis("station_code").reset_index()[EVALUATION_COLUMNS]
    return evaluation.sort_values(
        ["station_code", "period_start"], kind="stable", ignore_index=True
    )


def composite_index(
    *,
    pm25: Decimal | str | float,
    pm10: Decimal | str | float,
    so2: Decimal | str | float,
    no2: Decimal | str | float,
    o3_p90: Decimal | str | float,
    co_p95: Decimal | str | float,
    standard: str = "GB3095-2012",
) -> Decimal:
    """HJ 663 composite index Σ Ci/Si, exact (class II limits of the given phase; air.md).

    Si: annual limits for SO2, NO2, PM10, PM2.5; the daily max 8h limit for O3 P90 and the 24h
    limit for CO P95.
    """
    terms = (
        (pm25, "PM2.5", "annual"),
        (pm10, "PM10", "annual"),
        (so2, "SO2", "annual"),
        (no2, "NO2", "annual"),
        (o3_p90, "O3", "daily_max_8h"),
        (co_p95, "CO", "24h"),
    )
    return sum(
        (
            Decimal(str(value))
            / gb3095_limit(pollutant=pollutant, averaging=averaging, phase=standard, zone_class=2)
            for value, pollutant, averaging in terms
        ),
        Decimal(0),
    )


# --- good-day ratio --------------------------------------------------------------------------


def _percent_half_up(good: int, valid: int, decimals: int) -> Decimal | None:
    """good / valid as a percentage, rounded half up as bulletins publish it (GD01: 94.5)."""
    if valid == 0:
        return None
    scaled = Fraction(good * 100 * 10**decimals, valid)
    return Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-decimals)


@dataclass(frozen=True)
class GoodDayRatio:
    good_days: int
    valid_days: int

    @property
    def ratio(self) -> Fraction | None:
        """Exact share of good days; None without a valid day."""
        return Fraction(self.good_days, self.valid_days) if self.valid_days else None

    def percent(self, decimals: int = 1) -> Decimal | None:
        return _percent_half_up(self.good_days, self.valid_days, decimals)


def good_day_ratio(daily_aqi: pd.Series) -> GoodDayRatio:
    """Days with AQI <= 100 over days with a valid AQI (air.md: good-day ratio)."""
    aqi = pd.to_numeric(daily_aqi, errors="coerce")
    good_days = int((aqi <= GOOD_AQI_MAX).sum())
    return GoodDayRatio(good_days=good_days, valid_days=int(aqi.notna().sum()))


def monthly_good_day_ratio(daily: pd.DataFrame) -> pd.DataFrame:
    """Good-day ratio per month and standard (columns ``date``, ``aqi``, ``standard`` in).

    A month is never mixed across standards: a month that straddles the switch gives two rows.
    ``break_in_series`` is True on the first row under a new standard (DECISIONS.md §1).
    """
    frame = daily.assign(
        date=pd.to_datetime(daily["date"]), aqi=pd.to_numeric(daily["aqi"], errors="coerce")
    )
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["good"] = frame["aqi"] <= GOOD_AQI_MAX
    frame["valid"] = frame["aqi"].notna()
    months = (
        frame.groupby(["month", "standard"])
        .agg(first_day=("date", "min"), good_days=("good", "sum"), valid_days=("valid", "sum"))
        .reset_index()
        .sort_values("first_day", ignore_index=True)
    )
    months["ratio_percent"] = [
        _percent_half_up(int(g), int(v), 1)
        for g, v in zip(months["good_days"], months["valid_days"], strict=True)
    ]
    previous = months["standard"].shift()
    months["break_in_series"] = previous.notna() & (months["standard"] != previous)
    columns = ["month", "good_days", "valid_days", "ratio_percent", "standard", "break_in_series"]
    return months[columns]

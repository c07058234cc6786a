"""HJ 663 annual evaluation: percentiles, annual statistics per period, composite index."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from services.air.evaluation.limits import gb3095_limit, gb3095_phases
from services.air.evaluation.rules import (
    MIN_DAYS_IN_FEBRUARY,
    MIN_DAYS_PER_MONTH,
    MIN_DAYS_PER_YEAR,
)


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


# HJ 663-2013 §5, annual evaluation items (docs/decisions.md): percentiles vs the 24h limit
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
    """HJ 663 composite index Σ Ci/Si, exact (class II limits of the given phase).

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

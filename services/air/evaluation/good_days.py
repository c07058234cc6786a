"""Good days (AQI <= 100): the ratio over a period and per month and standard."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from services.air.evaluation.rules import GOOD_AQI_MAX


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
    """Days with AQI <= 100 over days with a valid AQI (docs/decisions.md: good-day ratio)."""
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

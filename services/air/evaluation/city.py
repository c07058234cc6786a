"""City and district daily values: the mean of the evaluation stations with a value.

The rule and its reading are in docs/decisions.md."""

from __future__ import annotations

import numpy as np
import pandas as pd

from services.air.aqi_frame import SCALE
from services.air.evaluation.grid import to_millionths
from services.air.evaluation.limits import aqi_standard
from services.air.evaluation.rules import DAILY_COLUMNS


def stations_total(
    millionths: np.ndarray, have: np.ndarray, *, axis: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Per day: the exact sum of the stations (along `axis`) with a value, and their number.

    A city's or district's daily value is this sum over this number: the arithmetic
    mean of its assessment stations, leaving out a station without a valid value that day.
    """
    return np.where(have, millionths, 0).sum(axis=axis), have.sum(axis=axis)


def city_daily(
    daily: pd.DataFrame, *, stations: list[str], city_code: str = "city"
) -> pd.DataFrame:
    """City value per day: arithmetic mean of the listed evaluation stations (docs/decisions.md).

    Missing station values are skipped; ``stations_reporting`` counts the listed stations with a
    row that day. The caller leaves out background stations.
    """
    chosen = daily[daily["station_code"].isin(stations)]
    columns = [c for c in DAILY_COLUMNS if c in daily.columns]
    wide = chosen.pivot_table(
        index="station_code", columns="date", values=columns, aggfunc="mean", dropna=False
    )
    dates = pd.DatetimeIndex(sorted(chosen["date"].unique()))
    city = pd.DataFrame({"station_code": city_code, "date": dates})
    for column in columns:
        total, count = stations_total(
            *to_millionths(wide[column].reindex(columns=dates).to_numpy())
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            city[column] = np.where(count > 0, total / (np.maximum(count, 1) * SCALE), np.nan)
    city["stations_reporting"] = (
        chosen.groupby("date")["station_code"].nunique().reindex(dates).to_numpy()
    )
    city["standard"] = aqi_standard(city["date"])
    return city

"""The daily grid: daily statistics as one row per station and one column per Beijing day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.air.aqi_frame import SCALE, round_mean
from services.air.evaluation.rules import DAILY_COLUMNS


@dataclass(frozen=True)
class DailyGrid:
    """Daily statistics laid out as one row per station and one column per Beijing day.

    Arrays have shape ``(len(codes), n_days)``; column ``j`` is day ``first_day + j``.
    ``present`` marks the station-days with any hourly row at all. A daily mean is kept exactly,
    as the sum of its hours in millionths (``totals``) over the number of hours (``counts``, 0
    where there is no valid value); for ``o3_8h_max`` the sum and hours of the highest window.
    Built by `daily_grid`; `daily_statistics` is its frame and `published` its rounded values.
    """

    codes: np.ndarray
    first_day: np.datetime64
    n_days: int
    present: np.ndarray
    totals: dict[str, np.ndarray]  # MEAN_POLLUTANTS and o3_8h_max -> int64 millionths
    counts: dict[str, np.ndarray]
    o3_1h_max: np.ndarray  # NaN where there is no valid value
    valid_hours: dict[str, np.ndarray]  # HOURLY_POLLUTANTS -> valid hours that day
    o3_8h_valid_windows: np.ndarray

    @property
    def dates(self) -> np.ndarray:
        """The grid's days as naive datetime64[ns] midnights."""
        return (self.first_day + np.arange(self.n_days)).astype("datetime64[ns]")

    def means(self) -> dict[str, np.ndarray]:
        """DAILY_COLUMNS -> float daily values, NaN where there is none."""
        with np.errstate(invalid="ignore", divide="ignore"):
            means = {
                c: np.where(n > 0, self.totals[c] / (np.maximum(n, 1) * SCALE), np.nan)
                for c, n in self.counts.items()
            }
        return {c: self.o3_1h_max if c == "o3_1h_max" else means[c] for c in DAILY_COLUMNS}

    def published(self) -> tuple[np.ndarray, np.ndarray]:
        """(millionths, has a value), each ``(column, station, day)`` in DAILY_COLUMNS order.

        Rounded exactly as published: GB/T 8170 half to even, µg/m³ to integers and CO (mg/m³)
        to one decimal, the precision of HJ 633's tables.
        """
        o3_1h, o3_1h_have = to_millionths(self.o3_1h_max)
        totals = np.stack([o3_1h if c == "o3_1h_max" else self.totals[c] for c in DAILY_COLUMNS])
        counts = np.stack(
            [o3_1h_have if c == "o3_1h_max" else self.counts[c] for c in DAILY_COLUMNS]
        ).astype(np.int64)
        return round_mean(totals, np.maximum(counts, 1), PUBLISHED_UNITS), counts > 0


# published precision in millionths per DAILY_COLUMNS entry (shaped to broadcast over a stack)
PUBLISHED_UNITS = np.array([SCALE // 10 if c == "co" else SCALE for c in DAILY_COLUMNS])[
    :, None, None
]


def to_millionths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float values read to the nearest millionth (int64; no monitor reports finer) and which
    are present (not NaN)."""
    have = ~np.isnan(values)
    return np.rint(np.where(have, values, 0.0) * SCALE).astype(np.int64), have

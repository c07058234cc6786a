"""GB 3095 daily statistics per station and Beijing day: 24-hour means, O3 daily max 1h and 8h.

Daily frames (output of `daily_statistics` / city.city_daily, input of annual.annual_evaluation):
columns ``station_code``, ``date`` (naive datetime64 at midnight, Beijing calendar day), ``so2 no2
pm10 pm25 co`` (24-hour means), ``o3_1h_max``, ``o3_8h_max``, ``standard`` (HJ633-2012 /
HJ633-2026).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from services.air.aqi_frame import SCALE
from services.air.evaluation.grid import DailyGrid
from services.air.evaluation.hours import hour_cells, hour_columns, is_every_cell_in_order
from services.air.evaluation.limits import aqi_standard, limits_on
from services.air.evaluation.rules import (
    HOURLY_POLLUTANTS,
    MEAN_POLLUTANTS,
    MIN_VALID_HOURS,
    MIN_VALID_WINDOWS,
    MIN_WINDOW_HOURS,
    WINDOW_HOURS,
)


def _exact(float_sums: np.ndarray) -> np.ndarray:
    """Float sums of hourly values as exact int64 millionths.

    Each hour is a whole number of millionths, and a float sum of at most 24 of them is off by
    far less than half a millionth, whatever the order of the additions.
    """
    return np.rint(float_sums * SCALE).astype(np.int64)


# HJ 663-2013 §6.1.2: the O3 8-hour windows end at hours 8..24; as a (24, 17) 0/1 matrix whose
# column k sums hours k..k+7 of a day
_WINDOW_OFFSET = np.arange(24)[:, None] - np.arange(24 - WINDOW_HOURS + 1)[None, :]
WINDOW_MATRIX = ((_WINDOW_OFFSET >= 0) & (_WINDOW_OFFSET < WINDOW_HOURS)).astype(np.float64)
_DAY = np.ones(24)
CHUNK_ROWS = 4096  # station-days per pass: the working arrays stay in the CPU cache


def _o3_daily_max_8h(
    window_sums: np.ndarray, window_hours: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sum, hours) of the highest valid 8-hour O3 window per day, and the valid-window count.

    `window_sums` / `window_hours` are (days, 17) float sums and hour counts of the windows;
    `limit` is the O3 8h limit in millionths per day. Windows are compared exactly.
    """
    totals = np.rint(window_sums * SCALE)  # exact whole millionths (see `_exact`), as floats
    valid = window_hours >= MIN_WINDOW_HOURS  # GB 3095-2012 Table 4: >= 6 hours per 8h mean
    valid_windows = np.count_nonzero(valid, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(valid, totals / window_hours, -1.0)
    # Exact ordering: two different means of 6 to 8 whole millionths differ by at least 1/64 of
    # a millionth, far above float resolution, and equal ones divide to the same float.
    best = means.argmax(axis=1)[:, None]
    total = np.take_along_axis(totals, best, axis=1)[:, 0].astype(np.int64)
    count = np.take_along_axis(window_hours, best, axis=1)[:, 0].astype(np.int64)
    count = np.where(valid_windows > 0, count, 0)
    # HJ 663-2013 §6.1.2: fewer than 14 valid windows is still valid if the max exceeds the limit
    over_limit = (count > 0) & (total > limit * count)
    kept = (valid_windows >= MIN_VALID_WINDOWS) | over_limit
    return np.where(kept, total, 0), np.where(kept, count, 0), valid_windows


def daily_grid(hourly: pd.DataFrame, *, zone_class: int = 2) -> DailyGrid:
    """GB 3095 daily statistics per station and Beijing day, as arrays (see `DailyGrid`)."""
    cell, codes, first, n_days = hour_cells(hourly)
    shape, n_rows = (len(codes), n_days), len(codes) * n_days
    # the usual case: every station-hour exactly once, in order, so row i is cell i
    whole = is_every_cell_in_order(cell, n_rows * 24)
    columns = hour_columns(hourly, cell, n_rows, whole=whole)
    present = np.zeros(shape, dtype=bool)
    if whole:
        present[:] = True
    else:
        present.ravel()[cell // 24] = True
    first_day = np.datetime64(first, "D")
    limit = limits_on(
        first_day + np.arange(n_days), pollutant="O3", averaging="daily_max_8h",
        zone_class=zone_class,
    )  # fmt: skip
    limit = np.tile(np.rint(limit * SCALE).astype(np.int64), len(codes))
    sums = _DaySums(n_rows)
    for start in range(0, n_rows, CHUNK_ROWS):
        rows = slice(start, min(start + CHUNK_ROWS, n_rows))
        for pollutant, column in zip(HOURLY_POLLUTANTS, columns, strict=True):
            hours = column[rows.start * 24 : rows.stop * 24].reshape(-1, 24)  # (day, hour)
            sums.add(pollutant, rows, hours, limit[rows])
    return sums.grid(codes, first_day, present)


@dataclass
class _DaySums:
    """The daily sums and counts of `daily_grid`, filled chunk by chunk (flat station-days)."""

    n_rows: int
    totals: dict[str, np.ndarray] = field(init=False)  # MEAN_POLLUTANTS and o3_8h_max
    counts: dict[str, np.ndarray] = field(init=False)
    valid_hours: dict[str, np.ndarray] = field(init=False)
    o3_1h_max: np.ndarray = field(init=False)
    windows: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n_rows = self.n_rows
        self.totals = {c: np.zeros(n_rows, dtype=np.int64) for c in (*MEAN_POLLUTANTS, "o3_8h_max")}
        self.counts = {c: np.zeros(n_rows, dtype=np.int64) for c in self.totals}
        self.valid_hours = {p: np.zeros(n_rows, dtype=np.int64) for p in HOURLY_POLLUTANTS}
        self.o3_1h_max = np.zeros(n_rows)
        self.windows = np.zeros(n_rows, dtype=np.int64)

    def add(self, pollutant: str, rows: slice, hours: np.ndarray, limit: np.ndarray) -> None:
        """One pollutant's (day, hour) values of the station-days `rows`, NaN where missing."""
        have = ~np.isnan(hours)
        filled = np.where(have, hours, 0.0)  # a missing hour adds nothing
        ones = have.astype(np.float64)
        n = np.rint(ones @ _DAY).astype(np.int64)
        self.valid_hours[pollutant][rows] = n
        enough = n >= MIN_VALID_HOURS  # GB 3095-2012 Table 4: >= 20 valid hours a day
        if pollutant == "o3":
            # project rule (no clause found): the daily max 1-hour O3 needs the same 20 hours
            self.o3_1h_max[rows] = np.where(enough, np.fmax.reduce(hours, axis=1), np.nan)
            self.totals["o3_8h_max"][rows], self.counts["o3_8h_max"][rows], self.windows[rows] = (
                _o3_daily_max_8h(filled @ WINDOW_MATRIX, ones @ WINDOW_MATRIX, limit)
            )
        else:
            self.totals[pollutant][rows] = np.where(enough, _exact(filled @ _DAY), 0)
            self.counts[pollutant][rows] = np.where(enough, n, 0)

    def grid(self, codes: np.ndarray, first_day: np.datetime64, present: np.ndarray) -> DailyGrid:
        shape = present.shape
        return DailyGrid(
            codes=codes,
            first_day=first_day,
            n_days=shape[1],
            present=present,
            totals={c: v.reshape(shape) for c, v in self.totals.items()},
            counts={c: v.reshape(shape) for c, v in self.counts.items()},
            o3_1h_max=self.o3_1h_max.reshape(shape),
            valid_hours={p: v.reshape(shape) for p, v in self.valid_hours.items()},
            o3_8h_valid_windows=self.windows.reshape(shape),
        )


def grid_frame(grid: DailyGrid) -> pd.DataFrame:
    """The present station-days of a grid as a daily frame, sorted by station and date."""
    rows = np.flatnonzero(grid.present.ravel())
    daily = pd.DataFrame(
        {
            "station_code": grid.codes[rows // grid.n_days],
            "date": grid.dates[rows % grid.n_days],
            **{c: v.ravel()[rows] for c, v in grid.means().items()},
            "o3_8h_valid_windows": grid.o3_8h_valid_windows.ravel()[rows],
            **{f"{p}_valid_hours": v.ravel()[rows] for p, v in grid.valid_hours.items()},
        }
    )
    daily["standard"] = aqi_standard(daily["date"])
    return daily


def daily_statistics(hourly: pd.DataFrame, *, zone_class: int = 2) -> pd.DataFrame:
    """One row per station and Beijing day: 24-hour means, O3 daily max 1h and max 8h.

    Also ``<pollutant>_valid_hours`` for each pollutant, ``o3_8h_valid_windows`` and
    ``standard``. ``zone_class`` picks the O3 8h limit used by the "fewer windows" rule.
    Rows come sorted by station and date.
    """
    return grid_frame(daily_grid(hourly, zone_class=zone_class))

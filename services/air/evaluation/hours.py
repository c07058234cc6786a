"""Hourly rows onto a flat (station, day, hour) grid of cells, one array per pollutant.

Hourly input: columns ``station_code``, ``observed_at`` (aware UTC, the END of the hour),
``so2 no2 pm10 pm25 o3`` (µg/m³), ``co`` (mg/m³), ``is_valid``. Rows with ``is_valid`` False
count as missing everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from services.air.evaluation.rules import BEIJING_OFFSET_S, HOURLY_POLLUTANTS


def station_runs(codes: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hourly rows come in runs of one station: (run starts, run station index, sorted codes).

    Only the first row of each run is looked up, so this costs one string comparison per row.
    """
    if codes.isna().any():
        raise ValueError("station_code is required")
    text = pa.array(codes.array)  # zero-copy for pandas' Arrow-backed strings
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if len(text) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.array([], object)
    changes = pc.not_equal(text.slice(1), text.slice(0, len(text) - 1))
    starts = np.append(0, pc.indices_nonzero(changes).to_numpy().astype(np.int64) + 1)
    heads = text.take(pa.array(starts)).to_numpy(zero_copy_only=False)
    index, sorted_codes = pd.factorize(heads, sort=True)
    return starts, index.astype(np.int64), np.asarray(sorted_codes, dtype=object)


def hour_cells(hourly: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Each row's cell in a flat (station, day, hour) grid: (cell, codes, first day, days)."""
    ends = hourly["observed_at"]
    if getattr(ends.dt, "tz", None) is None:
        raise ValueError("observed_at must be timezone-aware (UTC)")
    per_hour = 3600 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[ends.dt.unit]
    # HJ 633 / HJ 663: a day is the hours ending 01:00..24:00 Beijing time, so 00:00 closes the
    # previous day; shifting the end back one hour puts each hour on its own day
    cell = ends.array.asi8 // per_hour
    cell += BEIJING_OFFSET_S // 3600 - 1  # hours since the epoch, Beijing, of the hour's start
    first = int(cell.min()) // 24
    n_days = int(cell.max()) // 24 - first + 1
    starts, stations, codes = station_runs(hourly["station_code"])
    offsets = stations * (n_days * 24) - first * 24
    if len(starts) <= 256:  # in place, run by run: no row-length temporary
        for start, stop, offset in zip(starts, [*starts[1:], len(cell)], offsets, strict=True):
            cell[start:stop] += offset
    else:
        cell += np.repeat(offsets, np.diff(np.append(starts, len(cell))))
    return cell, codes, first, n_days


def is_every_cell_in_order(cell: np.ndarray, n_cells: int) -> bool:
    """True when row i is cell i for every cell, checked in slices (no row-length temporary)."""
    if cell.size != n_cells or n_cells == 0 or cell[0] != 0:
        return False
    piece = 1 << 16
    return all(
        bool((np.diff(cell[start : start + piece + 1]) == 1).all())
        for start in range(0, n_cells, piece)
    )


def hour_columns(
    hourly: pd.DataFrame, cell: np.ndarray, n_rows: int, *, whole: bool
) -> list[np.ndarray]:
    """Per pollutant, its hours as a flat (station, day, hour) array, NaN where missing or invalid.

    A station-hour given in several rows counts once, with the mean of its valid values.
    """
    valid = hourly["is_valid"].fillna(False).to_numpy(dtype=bool)
    n_cells = n_rows * 24
    repeated = not whole and bool((np.bincount(cell, minlength=n_cells) > 1).any())
    columns = []
    for pollutant in HOURLY_POLLUTANTS:
        raw = hourly[pollutant].to_numpy(dtype="float64", na_value=np.nan)
        if not valid.all():
            raw = np.where(valid, raw, np.nan)
        if whole:
            grid = raw
        elif not repeated:
            grid = np.full(n_cells, np.nan)
            grid[cell] = raw
        else:
            usable = ~np.isnan(raw)
            total = np.bincount(cell, weights=np.where(usable, raw, 0.0), minlength=n_cells)
            count = np.bincount(cell, weights=usable, minlength=n_cells)
            with np.errstate(invalid="ignore", divide="ignore"):
                grid = np.where(count > 0, total / count, np.nan)  # the hour's rows averaged
        columns.append(grid)
    return columns

"""The vectorised twin of `compute_aqi`: whole frames, exact integer arithmetic, same answers.

Each concentration is read as an exact decimal with up to six places (the float's shortest
decimal, as `compute_aqi` reads it) and held as an int64 count of millionths; IAQI is an integer
ceiling division. Rows with a value that needs more places go through `compute_aqi` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

import numpy as np
import pandas as pd

from services.air.aqi import (
    IAQI_MAX,
    INDICATORS,
    KEYS,
    REPORTS,
    Indicator,
    Report,
    compute_aqi,
)
from services.air.standards import LEVEL_UPPER_BOUNDS, STANDARDS, Standard, segments

SCALE = 10**6  # millionths
SPECIAL = 800 * SCALE
MISSING = -1  # sentinel sub-index for "no value"


def _floats(column: pd.Series | np.ndarray) -> np.ndarray:
    if isinstance(column, np.ndarray):
        return column.astype("float64", copy=False)
    return column.to_numpy(dtype="float64", na_value=np.nan)


def _scaled(column: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(millionths as int64, present mask, exact mask) for a float column."""
    values = _floats(column)
    present = ~np.isnan(values)
    safe = np.where(present, values, 0.0)
    scaled = np.round(safe * SCALE)
    exact = (scaled / SCALE == safe) & (np.abs(safe) < 1e9)
    if np.any(present & (safe < 0)):
        raise ValueError("a concentration cannot be negative")
    return scaled.astype(np.int64), present, exact | ~present


def _round_half_even(scaled: np.ndarray, unit: int) -> np.ndarray:
    """Round millionths to a multiple of `unit` millionths, ties to even (GB/T 8170)."""
    return round_mean(scaled, np.ones_like(scaled), unit)


def round_mean(total: np.ndarray, count: np.ndarray, unit: int | np.ndarray) -> np.ndarray:
    """``total / count`` (millionths) rounded to a multiple of `unit` millionths, exactly.

    Ties go to the even multiple (GB/T 8170 §3.3). `count` must be positive and `total` below
    2**53 in magnitude.
    """
    step = count * unit
    # integer division is slow in numpy: a float quotient, then its off-by-one fixed exactly
    quotient = np.floor(total / step).astype(np.int64)
    remainder = total - quotient * step
    below = remainder < 0
    quotient -= below
    remainder += np.where(below, step, 0)
    above = remainder >= step
    quotient += above
    remainder -= np.where(above, step, 0)
    twice = 2 * remainder
    up = (twice > step) | ((twice == step) & (quotient & 1 == 1))
    return (quotient + up) * unit


@cache
def _segment_table(standard: Standard, pollutant: str, averaging: str) -> tuple[np.ndarray, ...]:
    """(c_high, c_low, i_low, i_high - i_low, c_high - c_low) per segment, in millionths."""
    segs = segments(standard, pollutant, averaging)
    c_high = np.array([int(seg.c_high * SCALE) for seg in segs], dtype=np.int64)
    c_low = np.array([int(seg.c_low * SCALE) for seg in segs], dtype=np.int64)
    i_low = np.array([seg.i_low for seg in segs], dtype=np.int64)
    i_span = np.array([seg.i_high - seg.i_low for seg in segs], dtype=np.int64)
    return c_high, c_low, i_low, i_span, c_high - c_low


def _sub_index(standard: Standard, pollutant: str, averaging: str, c: np.ndarray):
    """IAQI (ceiling) for millionth concentrations; 500 and a flag beyond the table."""
    c_high, c_low, i_low, i_span, c_span = _segment_table(standard, pollutant, averaging)
    # HJ 633 Table 1: the segment is the first whose upper breakpoint is >= C
    seg = np.searchsorted(c_high, c, side="left")
    beyond = seg == len(c_high)
    seg = np.minimum(seg, len(c_high) - 1)
    numerator = i_span[seg] * (c - c_low[seg])
    value = i_low[seg] - (-numerator // c_span[seg])  # exact ceiling (HJ 633 §5.1, formula 1)
    return np.where(beyond, IAQI_MAX, value), beyond


def _indicator(
    indicator: Indicator, cols: dict[str, np.ndarray], present: dict[str, np.ndarray], std: Standard
):
    c = cols[indicator.key]
    have = present[indicator.key]
    iaqi, beyond = _sub_index(std, indicator.pollutant, indicator.averaging, c)
    if (indicator.pollutant, indicator.averaging) in {("SO2", "1h"), ("O3", "8h")}:
        over = have & (c > SPECIAL)
        if std == "HJ633-2026":
            # HJ 633-2026 Table 3 notes b, c
            fixed = 200 if indicator.pollutant == "SO2" else 300
            iaqi = np.where(over, fixed, iaqi)
            beyond = np.where(over, False, beyond)
        else:
            # HJ 633-2012 Table 1 notes 2, 3
            fallback, averaging = (
                ("SO2_24H", "24h") if indicator.pollutant == "SO2" else ("O3_1H", "1h")
            )
            if fallback in cols:
                alt, alt_beyond = _sub_index(std, indicator.pollutant, averaging, cols[fallback])
                iaqi = np.where(over, alt, iaqi)
                beyond = np.where(over, alt_beyond, beyond)
                have = have & (~over | present[fallback])
            else:
                have = have & ~over
    return np.where(have, iaqi, MISSING), np.where(have, beyond, False)


@dataclass(frozen=True)
class AqiArrays:
    """`aqi_arrays` output, one entry per row; `exact` False marks rows to redo with compute_aqi."""

    aqi: np.ndarray  # int64, MISSING where no AQI is published ("NA")
    iaqi: dict[str, np.ndarray]  # key -> int64 sub-index, MISSING where the key has no value
    level: np.ndarray  # int64 level of max(IAQI, 0)
    primary_mask: np.ndarray  # int64 bit i set: keys[i] is a primary pollutant
    keys: tuple[str, ...]
    beyond_scale: np.ndarray
    exact: np.ndarray

    @property
    def primary(self) -> np.ndarray:
        """Primary pollutant keys joined by '+' (object array)."""
        return primary_names(self.keys)[self.primary_mask]


def aqi_arrays(columns: dict[str, np.ndarray], *, report: Report, standard: Standard) -> AqiArrays:
    """The core of `compute_aqi_frame` on float arrays named like the contract's keys."""
    n = len(next(iter(columns.values()))) if columns else 0
    cols: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    exact = np.ones(n, dtype=bool)
    for key in columns:
        cols[key], present[key], is_exact = _scaled(columns[key])
        exact &= is_exact
    result = aqi_of_millionths(cols, present, report=report, standard=standard)
    return replace(result, exact=exact)


def aqi_of_millionths(
    cols: dict[str, np.ndarray], present: dict[str, np.ndarray], *, report: Report,
    standard: Standard,
) -> AqiArrays:  # fmt: skip
    """`aqi_arrays` on concentrations already held as int64 millionths (with presence masks)."""
    if standard not in STANDARDS or report not in REPORTS:
        raise ValueError(f"unknown standard/report {standard!r}/{report!r}")
    n = len(next(iter(cols.values()))) if cols else 0
    indicators = [i for i in INDICATORS[(standard, report)] if i.key in cols]
    if standard == "HJ633-2026":
        # HJ 633-2026: inputs are rounded first, half to even (as aqi.round_input_2026)
        cols = {
            k: _round_half_even(v, SCALE // 10 if k.startswith("CO") else SCALE)
            for k, v in cols.items()
        }
    iaqi = {}
    beyond = np.zeros(n, dtype=bool)
    for indicator in indicators:
        iaqi[indicator.key], flagged = _indicator(indicator, cols, present, standard)
        beyond |= flagged
    matrix = np.stack(list(iaqi.values())) if iaqi else np.full((1, n), MISSING)
    top = matrix.max(axis=0)
    any_value = top >= 0
    any_missing = (matrix == MISSING).any(axis=0) if iaqi else np.zeros(n, dtype=bool)
    published = any_value & (~any_missing | (top > 100))  # decision §6
    top0 = np.where(any_value, top, 0)
    level = 1 + np.searchsorted(np.array(LEVEL_UPPER_BOUNDS), top0, side="left")
    keys = list(iaqi)
    # decision §5: every key at the maximum, when AQI > 50; the set of keys as a bitmask
    at_top = (matrix == top) & (published & (top > 50))
    masks = (at_top * (1 << np.arange(len(keys)))[:, None]).sum(axis=0) if keys else top0 * 0
    return AqiArrays(
        aqi=np.where(published, top0, MISSING),
        iaqi=iaqi,
        level=level,
        primary_mask=masks,
        keys=tuple(keys),
        beyond_scale=beyond,
        exact=np.ones(n, dtype=bool),
    )


@cache
def primary_names(keys: tuple[str, ...]) -> np.ndarray:
    """Names for every bitmask over `keys`: mask 0b101 -> 'KEY0+KEY2'."""
    return np.array(
        ["+".join(k for i, k in enumerate(keys) if m >> i & 1) for m in range(1 << len(keys))],
        dtype=object,
    )


def _nullable(values: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values, values == MISSING)


def compute_aqi_frame(frame: pd.DataFrame, *, report: Report, standard: Standard) -> pd.DataFrame:
    """Per row: `aqi` (nullable Int64), `iaqi_<KEY>`, `level`, `primary` (keys joined by '+'),
    `beyond_scale`. Columns of `frame` named like the contract's keys; NaN is a missing value."""
    keys = [k for k in frame.columns if k in KEYS]
    result = aqi_arrays({k: frame[k] for k in keys}, report=report, standard=standard)
    out = pd.DataFrame(
        {
            "aqi": _nullable(result.aqi),
            **{f"iaqi_{key}": _nullable(values) for key, values in result.iaqi.items()},
            "level": result.level,
            "primary": result.primary,
            "beyond_scale": result.beyond_scale,
        },
        index=frame.index,
    )
    if not result.exact.all():
        _recompute_inexact_rows(frame, out, ~result.exact, report, standard)
    return out


def _recompute_inexact_rows(
    frame: pd.DataFrame, out: pd.DataFrame, rows: np.ndarray, report: Report, standard: Standard
) -> None:
    keys = [k for k in frame.columns if k in KEYS]
    for index in frame.index[rows]:
        record = {k: frame.at[index, k] for k in keys}
        result = compute_aqi(
            {k: (None if pd.isna(v) else float(v)) for k, v in record.items()},
            report=report,
            standard=standard,
        )
        out.at[index, "aqi"] = pd.NA if result.aqi is None else result.aqi
        for key in [c.removeprefix("iaqi_") for c in out.columns if c.startswith("iaqi_")]:
            out.at[index, f"iaqi_{key}"] = result.iaqi.get(key, pd.NA)
        out.at[index, "level"] = result.level
        out.at[index, "primary"] = "+".join(result.primary_pollutants)
        out.at[index, "beyond_scale"] = result.beyond_scale


def round_as_published(values: pd.Series | np.ndarray, *, decimals: int) -> pd.Series | np.ndarray:
    """Concentrations as published: half to even (GB/T 8170) at `decimals` places.

    µg/m³ values are published as integers and CO (mg/m³) to one decimal. Each value is read as
    its shortest decimal, as `compute_aqi` reads it; values with more than six places are exact
    in millionths except next to a tie, and those few are rounded through `Decimal`.
    """
    scaled, present, exact = _scaled(values)
    unit = SCALE // 10**decimals
    rounded = _round_half_even(scaled, unit) / SCALE
    near_tie = ~exact & present & (2 * np.mod(scaled, unit) == unit)
    if near_tie.any():
        places = Decimal(1).scaleb(-decimals)
        raw, flat = _floats(values).reshape(-1), rounded.reshape(-1)
        for i in np.flatnonzero(near_tie):
            exact_value = Decimal(repr(float(raw[i]))).quantize(places, rounding=ROUND_HALF_EVEN)
            flat[i] = float(exact_value)
    result = np.where(present, rounded, np.nan)
    if isinstance(values, np.ndarray):
        return result
    return pd.Series(result, index=values.index)

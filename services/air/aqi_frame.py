"""The vectorised twin of `compute_aqi`: whole frames, exact integer arithmetic, same answers.

Each concentration is read as an exact decimal with up to six places (the float's shortest
decimal, as `compute_aqi` reads it) and held as an int64 count of millionths; IAQI is an integer
ceiling division. Rows with a value that needs more places go through `compute_aqi` itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

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


def _scaled(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(millionths as int64, present mask, exact mask) for a float column."""
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    present = ~np.isnan(values)
    safe = np.where(present, values, 0.0)
    scaled = np.round(safe * SCALE)
    exact = (scaled / SCALE == safe) & (np.abs(safe) < 1e9)
    if np.any(present & (safe < 0)):
        raise ValueError("a concentration cannot be negative")
    return scaled.astype(np.int64), present, exact | ~present


def _round_half_even(scaled: np.ndarray, unit: int) -> np.ndarray:
    """Round millionths to a multiple of `unit` millionths, ties to even (GB/T 8170)."""
    quotient, remainder = np.divmod(scaled, unit)
    twice = 2 * remainder
    up = (twice > unit) | ((twice == unit) & (quotient % 2 == 1))
    return (quotient + up) * unit


def _sub_index(standard: Standard, pollutant: str, averaging: str, c: np.ndarray):
    """IAQI (ceiling) for millionth concentrations; 500 and a flag beyond the table."""
    result = np.full(c.shape, IAQI_MAX, dtype=np.int64)
    beyond = np.ones(c.shape, dtype=bool)
    done = np.zeros(c.shape, dtype=bool)
    for seg in segments(standard, pollutant, averaging):
        c_low = int(seg.c_low * SCALE)
        c_high = int(seg.c_high * SCALE)
        here = ~done & (c <= c_high)
        numerator = (seg.i_high - seg.i_low) * (c - c_low)
        denominator = c_high - c_low
        value = seg.i_low - (-numerator // denominator)  # exact ceiling
        result = np.where(here, value, result)
        beyond &= ~here
        done |= here
    return result, beyond


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


def compute_aqi_frame(frame: pd.DataFrame, *, report: Report, standard: Standard) -> pd.DataFrame:
    """Per row: `aqi` (nullable Int64), `iaqi_<KEY>`, `level`, `primary` (keys joined by '+'),
    `beyond_scale`. Columns of `frame` named like the contract's keys; NaN is a missing value."""
    if standard not in STANDARDS or report not in REPORTS:
        raise ValueError(f"unknown standard/report {standard!r}/{report!r}")
    indicators = [i for i in INDICATORS[(standard, report)] if i.key in frame.columns]
    needed = {i.key for i in indicators} | {k for k in ("SO2_24H", "O3_1H") if k in frame.columns}
    cols: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    exact = np.ones(len(frame), dtype=bool)
    for key in needed:
        scaled, have, is_exact = _scaled(frame[key])
        if standard == "HJ633-2026":
            unit = SCALE // 10 if key.startswith("CO") else SCALE
            scaled = _round_half_even(scaled, unit)
        cols[key], present[key] = scaled, have
        exact &= is_exact

    n = len(frame)
    iaqi = {}
    beyond = np.zeros(n, dtype=bool)
    for indicator in indicators:
        iaqi[indicator.key], flagged = _indicator(indicator, cols, present, standard)
        beyond |= flagged
    matrix = np.stack(list(iaqi.values()), axis=1) if iaqi else np.full((n, 1), MISSING)
    top = matrix.max(axis=1)
    any_value = top >= 0
    any_missing = (matrix == MISSING).any(axis=1) if iaqi else np.zeros(n, dtype=bool)
    published = any_value & (~any_missing | (top > 100))  # decision §6
    top0 = np.where(any_value, top, 0)
    level = 1 + (top0[:, None] > np.array(LEVEL_UPPER_BOUNDS)[None, :]).sum(axis=1)

    out = pd.DataFrame(index=frame.index)
    out["aqi"] = pd.array(np.where(published, top0, 0), dtype="Int64")
    out.loc[~published, "aqi"] = pd.NA
    for key, values in iaqi.items():
        column = pd.array(values, dtype="Int64")
        column[values == MISSING] = pd.NA
        out[f"iaqi_{key}"] = column
    out["level"] = level
    keys = np.array(list(iaqi), dtype=object)
    if iaqi:
        # decision §5: every key at the maximum, when AQI > 50; the set of keys as a bitmask
        at_top = (matrix == top[:, None]) & (published & (top > 50))[:, None]
        masks = at_top @ (1 << np.arange(len(keys)))
        names = np.array(
            ["+".join(keys[(m >> np.arange(len(keys))) & 1 == 1]) for m in range(1 << len(keys))],
            dtype=object,
        )
        out["primary"] = names[masks]
    else:
        out["primary"] = [""] * n
    out["beyond_scale"] = beyond
    if not exact.all():
        _recompute_inexact_rows(frame, out, ~exact, report, standard)
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


def round_as_published(values: pd.Series, *, decimals: int) -> pd.Series:
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
        raw = values.to_numpy(dtype="float64")
        for i in np.flatnonzero(near_tie):
            exact_value = Decimal(repr(float(raw[i]))).quantize(places, rounding=ROUND_HALF_EVEN)
            rounded[i] = float(exact_value)
    return pd.Series(np.where(present, rounded, np.nan), index=values.index)

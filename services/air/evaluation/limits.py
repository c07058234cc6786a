"""GB 3095 Table 1 limits by the phase in force on a day, and the AQI standard of a day.

Limits come from content/standards/gb3095_limits.csv; the standard switch follows
content/standards/DECISIONS.md §1.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

import numpy as np
import pandas as pd

from services.air.standards import SWITCH_DATE
from services.core.settings import CONTENT_DIR

LIMITS_CSV = CONTENT_DIR / "standards" / "gb3095_limits.csv"


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


@cache
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


@cache
def _phase_days() -> tuple[tuple[str, np.datetime64, np.datetime64], ...]:
    return tuple(
        (p.standard_phase, np.datetime64(p.effective_from, "D"), np.datetime64(p.effective_to, "D"))
        for p in gb3095_phases().itertuples()
    )


def limits_on(days: np.ndarray, *, pollutant: str, averaging: str, zone_class: int) -> np.ndarray:
    """The limit in force on each day (datetime64 days; NaN before the first phase)."""
    days = np.asarray(days, dtype="datetime64[D]")
    limits = np.full(days.shape, np.nan)
    for phase, effective_from, effective_to in _phase_days():
        in_force = (days >= effective_from) & (days <= effective_to)
        limit = gb3095_limit(
            pollutant=pollutant,
            averaging=averaging,
            phase=phase,
            zone_class=zone_class,
        )
        limits[in_force] = float(limit)
    return limits


def aqi_standard(days: pd.Series) -> pd.Series:
    """HJ633-2012 before the switch date, HJ633-2026 from it (DECISIONS.md §1)."""
    return pd.Series(
        np.where(days < pd.Timestamp(SWITCH_DATE), "HJ633-2012", "HJ633-2026"), index=days.index
    )

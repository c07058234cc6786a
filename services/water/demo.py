"""Sample surface-water samples: ten plausible, reproducible years for every registered section.

`generate_samples` writes rows of `water_sample` (source "demo") for the sections of
content/water/sections.csv: one sample a month on a working day between the 4th and the 16th for
manually sampled sections, and, in the large set, daily means over 3,650 days for the automatic
stations (in the small set they are sampled monthly like the others). Each monthly sample carries
every evaluated item plus total nitrogen and fecal coliform, and at drinking-water sources the
Table 2 items; an automatic station's other days carry only what its analysers measure (pH, DO,
CODMn, NH3-N, TP, TN).

How the numbers are made: each section has a pollution level `g` on the class scale (class k's
limit sits at g = k) that moves from its first-year to its last-year value: Guiyang improved a lot
over the decade, the urban tributaries 小黄河, 市西河 and 贯城河 go from V/劣V to about III and the
lower 南明河 from III-IV to III, while most other sections stay II-III. An item's value is its class
limit curve read at `g` plus an item offset, seasonal terms (ammonia higher in the dry season,
December-March; phosphorus higher in the wet season, June-August, with storm runoff), year-to-year
and sampling noise (autocorrelated for the daily series). Lakes and reservoirs use the lake TP
limits, so TP (mostly 0.01-0.03 mg/L) usually limits their class; DO stays within 6-9 and pH
within 7-8.5. Trace metals, cyanide, phenol, petroleum, LAS and sulfide are mostly below the
detection limit: the detection limit is stored and the item's bit set in `below_dl`. In late summer
a reservoir's lower layers occasionally turn over and manganese (with iron) rises above 0.1 mg/L
for a week or two. One early sample at 小黄河 小孟 has a pH above 9 (an industrial discharge).

The same seed and `until` give the same values (`updated_at` is the time of writing).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.core.clock import utcnow
from services.shared.capability import DemoContext
from services.water.items import items
from services.water.model import below_dl_mask, water_sample
from services.water.sections import Section, sections

Progress = Callable[[str, int, int], None]  # part name, rows done, rows in the part

PART = "water_samples"
YEARS = 10
MONTHS = 12 * YEARS
DAILY_DAYS = 3650  # automatic stations in the large set: daily means over ten years
BATCH_ROWS = 5_000
EPOCH_YEAR = 2000  # sampling days are drawn per month from here, so they do not depend on `until`

# --- section pollution levels ----------------------------------------------------------------

# code -> (level in the first year, level in the last year, extra level for total phosphorus)
PROFILES: dict[str, tuple[float, float, float]] = {
    # 南明河: clean below the Huaxi reservoir, worse through the city and below the tributaries
    "NMH-01": (1.7, 1.4, 0.0),
    "NMH-02": (1.9, 1.6, 0.0),
    "NMH-03": (2.3, 1.9, 0.0),
    "NMH-04": (2.7, 2.2, 0.0),
    "NMH-05": (2.9, 2.3, 0.0),
    "NMH-06": (3.1, 2.4, 0.0),
    "NMH-07": (3.6, 2.6, 0.0),
    "NMH-08": (3.9, 2.8, 0.0),
    "NMH-09": (3.4, 2.5, 0.0),
    # polluted urban tributaries: V / 劣V at first, about III at the end
    "XHH-01": (5.2, 2.8, 0.0),
    "XHH-02": (5.7, 3.0, 0.0),
    "SXH-01": (4.8, 2.7, 0.0),
    "SXH-02": (5.3, 2.9, 0.0),
    "GCH-01": (5.0, 2.8, 0.0),
    "GCH-02": (5.5, 3.0, 0.0),
    # other tributaries
    "MDH-01": (2.0, 1.7, 0.0),
    "MDH-02": (2.3, 1.9, 0.0),
    "JZH-01": (2.8, 2.2, 0.0),
    "JZH-02": (3.3, 2.5, 0.0),
    "SOXH-01": (2.8, 2.2, 0.0),
    "SOXH-02": (3.2, 2.4, 0.0),
    "YLH-01": (3.5, 2.5, 0.0),
    "YLH-02": (4.0, 2.7, 0.0),
    # 猫跳河 cascade and the northern counties (phosphate mining and phosphorus chemicals)
    "MTH-01": (2.3, 1.9, 0.0),
    "MTH-02": (2.4, 2.0, 0.0),
    "MTH-03": (2.3, 1.9, 0.0),
    "YSH-01": (2.8, 2.2, 0.8),
    "XFH-01": (3.0, 2.3, 0.6),
    "WJ-01": (2.5, 2.0, 0.4),
    # lakes and reservoirs (lake TP limits; TP usually limits the class)
    "HFH-01": (2.1, 1.6, 0.0),
    "HFH-02": (2.2, 1.7, 0.0),
    "HFH-03": (2.4, 1.8, 0.0),
    "BHH-01": (2.0, 1.6, 0.0),
    "BHH-02": (2.1, 1.7, 0.0),
    "BHH-03": (2.2, 1.7, 0.0),
    "AHA-01": (1.9, 1.5, 0.0),
    "AHA-02": (2.0, 1.6, 0.0),
    "HXK-01": (1.6, 1.3, 0.0),
    "SBS-01": (1.5, 1.3, 0.0),
}
# the worst of a sample's items, with their seasons and noise, sits about this much above the
# section's level: the profiles above are typical sample classes, so levels are set this much lower
WORST_ITEM_ALLOWANCE = 0.4
IMPROVEMENT_RATE = 5.0  # per decade: about 90 % of a section's improvement by mid-decade
PH_EXCURSION = "XHH-01"  # one early sample above pH 9


def _profile(section: Section) -> tuple[float, float, float]:
    """A registered profile, or one from the target class for a section the sample set lacks."""
    if section.code in PROFILES:
        return PROFILES[section.code]
    if section.waterbody == "lake":
        return (2.0, 1.6, 0.0)
    target = section.target_grade
    return (target + 0.3, target - 0.4, 0.0)


# --- class curves: an item's value at a level g (class k's limit sits at g = k) ---------------

LEVELS = np.arange(8.0)
CURVES: dict[str, tuple[float, ...]] = {
    "DO": (9.0, 7.5, 6.0, 5.0, 3.0, 2.0, 1.2, 0.8),  # falls as the level rises
    "CODMn": (0.8, 2.0, 4.0, 6.0, 10.0, 15.0, 22.0, 30.0),
    "COD": (4.0, 10.0, 15.0, 20.0, 30.0, 40.0, 55.0, 75.0),
    "BOD5": (0.5, 2.5, 3.0, 4.0, 6.0, 10.0, 15.0, 22.0),
    "NH3_N": (0.02, 0.15, 0.5, 1.0, 1.5, 2.0, 3.5, 5.5),
    "TP_river": (0.005, 0.02, 0.1, 0.2, 0.3, 0.4, 0.7, 1.0),
    "TP_lake": (0.003, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5),
    "fecal_coliform": (20, 200, 1200, 5000, 14000, 30000, 60000, 130000),
}
# level offsets per item (rivers, lakes): most items sit a little better than the section's level
OFFSETS: dict[str, tuple[float, float]] = {
    "DO": (-1.0, -0.5),
    "CODMn": (-0.7, -0.5),
    "COD": (-0.6, -0.8),
    "BOD5": (-0.7, -0.9),
    "NH3_N": (-0.1, -0.9),
    "TP": (-0.3, 0.1),
    "fecal_coliform": (-0.3, -0.9),
}
# how much of the storm-runoff signal an item takes
STORM = {"TP": 0.7, "COD": 0.4, "CODMn": 0.3, "BOD5": 0.2, "NH3_N": 0.2, "fecal_coliform": 0.8}

# reporting digits (fecal coliform: two significant figures)
DIGITS: dict[str, int] = {
    "pH": 2, "DO": 1, "CODMn": 1, "COD": 1, "BOD5": 1, "NH3_N": 3, "TP": 3, "TN": 2,
    "Cu": 4, "Zn": 3, "F": 3, "Se": 4, "As": 4, "Hg": 5, "Cd": 4, "Cr6": 3, "Pb": 4, "CN": 3,
    "phenol": 4, "petroleum": 2, "LAS": 3, "sulfide": 3, "fecal_coliform": 0,
    "sulfate": 1, "chloride": 2, "nitrate": 2, "Fe": 3, "Mn": 3,
}  # fmt: skip


@dataclass(frozen=True)
class Trace:
    """An item that is mostly below its detection limit."""

    dl: float  # detection limit, mg/L
    p0: float  # chance of a detection at level 2
    p1: float  # added chance per level above 2
    m0: float  # typical detected value at level 2, in detection limits
    slope: float  # log growth of the detected value per level
    sd: float  # lognormal spread of detected values
    cap: float  # highest value drawn


TRACES: dict[str, Trace] = {
    "Se": Trace(0.0004, 0.04, 0.0, 1.6, 0.0, 0.3, 0.0015),
    "As": Trace(0.0003, 0.45, 0.05, 3.0, 0.1, 0.5, 0.008),
    "Hg": Trace(0.00004, 0.03, 0.0, 1.15, 0.0, 0.1, 0.00007),
    "Cd": Trace(0.0005, 0.03, 0.01, 1.4, 0.05, 0.3, 0.002),
    "Cr6": Trace(0.004, 0.03, 0.01, 1.3, 0.05, 0.2, 0.012),
    "Pb": Trace(0.001, 0.2, 0.05, 1.8, 0.1, 0.4, 0.008),
    "CN": Trace(0.004, 0.02, 0.01, 1.3, 0.05, 0.2, 0.02),
    "phenol": Trace(0.0003, 0.15, 0.12, 2.5, 0.35, 0.4, 0.006),
    "petroleum": Trace(0.01, 0.2, 0.15, 1.6, 0.3, 0.3, 0.2),
    "LAS": Trace(0.05, 0.02, 0.15, 1.3, 0.25, 0.25, 0.35),
    "sulfide": Trace(0.005, 0.03, 0.1, 2.0, 0.5, 0.5, 0.3),
}
# drinking-water sources: class II target, so trace metals stay within class II when detected
DRINKING_CAPS = {"Hg": 0.00005, "Pb": 0.008, "phenol": 0.0018, "petroleum": 0.04}

# Table 2 baselines per lake or reservoir (sulfate is high in karst and former coal-mining basins)
SULFATE = {"红枫湖": 85.0, "百花湖": 75.0, "阿哈水库": 120.0, "花溪水库": 35.0, "松柏山水库": 30.0}
CHLORIDE = {"红枫湖": 7.0, "百花湖": 8.0, "阿哈水库": 5.0, "花溪水库": 4.0, "松柏山水库": 3.5}
NITRATE = {"红枫湖": 1.0, "百花湖": 1.1, "阿哈水库": 0.7, "花溪水库": 0.6, "松柏山水库": 0.5}
OVERTURN_CHANCE = {"花溪水库": 0.1, "松柏山水库": 0.1}  # per year; deep reservoirs 0.25


# --- sampling days ---------------------------------------------------------------------------


def _monthly_days(seed: int, index: int, until: date) -> list[date]:
    """The last MONTHS sampling days on or before `until`: one a month, the 5th-15th moved off
    weekends (Saturday to Friday, Sunday to Monday)."""
    if until.year < EPOCH_YEAR + YEARS + 1:
        raise ValueError(f"sample water data ends after {EPOCH_YEAR + YEARS}")
    months = (until.year - EPOCH_YEAR) * 12 + until.month
    picks = np.random.default_rng([seed, index, 1]).integers(5, 16, size=months).tolist()
    days = []
    for m, day in enumerate(picks):
        d = date(EPOCH_YEAR + m // 12, m % 12 + 1, day)
        weekday = d.weekday()
        if weekday == 5:
            d -= timedelta(days=1)
        elif weekday == 6:
            d += timedelta(days=1)
        if d <= until:
            days.append(d)
    return days[-MONTHS:]


AUTOMATIC_ITEMS = ("pH", "DO", "CODMn", "NH3_N", "TP", "TN")  # a station's daily analysers
AUTOMATIC_MASK = below_dl_mask(set(AUTOMATIC_ITEMS))


def automatic_only(lists: dict[str, list]) -> dict[str, list]:
    return {code: column for code, column in lists.items() if code in AUTOMATIC_ITEMS}


def _daily_days(until: date) -> list[date]:
    return [until - timedelta(days=k) for k in range(DAILY_DAYS - 1, -1, -1)]


def _is_daily(section: Section, size: str) -> bool:
    return size == "large" and section.sampling == "automatic"


def expected_rows(size: str) -> int:
    """Rows the part writes for a demo size ("small" or "large")."""
    return sum(DAILY_DAYS if _is_daily(s, str(size)) else MONTHS for s in sections())


# --- values ----------------------------------------------------------------------------------


def _ar1(rng: np.random.Generator, n: int, k: int, phi: float, sd: float) -> np.ndarray:
    """k autocorrelated series of n steps with stationary standard deviation sd, shape (k, n)."""
    shocks = rng.normal(0.0, sd * math.sqrt(1 - phi * phi), size=(n, k))
    out = np.empty((n, k))
    out[0] = rng.normal(0.0, sd, size=k)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + shocks[t]
    return out.T


def _curve(name: str, level: np.ndarray) -> np.ndarray:
    return np.interp(level, LEVELS, np.asarray(CURVES[name], dtype=float))


def _round(code: str, values: np.ndarray) -> np.ndarray:
    digits = DIGITS[code]
    if code == "fecal_coliform":
        values = np.maximum(values, 20.0)
        magnitude = 10.0 ** (np.floor(np.log10(values)) - 1)
        return np.round(values / magnitude) * magnitude
    return np.maximum(np.round(values, digits), 10.0**-digits)


def _section_values(
    section: Section, index: int, days: list[date], *, seed: int, daily: bool
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Values per item code (rounded) and the below-detection-limit bits, for one section."""
    rng = np.random.default_rng([seed, index, 2])
    n = len(days)
    lake = section.waterbody == "lake"
    col = 1 if lake else 0
    g0, g1, tp_extra = _profile(section)
    g0, g1 = g0 - WORST_ITEM_ALLOWANCE, g1 - WORST_ITEM_ALLOWANCE

    ordinal = np.array([d.toordinal() for d in days], dtype=float)
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    elapsed = np.clip(1.0 - (ordinal[-1] - ordinal) / (YEARS * 365.25), 0.0, 1.0)
    year = np.minimum((elapsed * YEARS).astype(int), YEARS - 1)
    dry = np.cos(2 * math.pi * (doy - 35) / 365.25)  # +1 early February (dry season)
    wet = np.cos(2 * math.pi * (doy - 196) / 365.25)  # +1 mid-July (wet season, warm water)

    annual = rng.normal(0.0, 0.1, size=YEARS)[year]  # wet and dry years
    phi = 0.85 if daily else 0.3
    common = _ar1(rng, n, 1, phi, 0.12)[0]
    # most of the decade's improvement came in its first half (sewage interception and the
    # 南明河 clean-up), so the level approaches its last-year value exponentially
    progress = (1.0 - np.exp(-IMPROVEMENT_RATE * elapsed)) / (1.0 - np.exp(-IMPROVEMENT_RATE))
    level = g0 + (g1 - g0) * progress + annual + common

    storm_chance = 0.08 * np.clip(wet, 0.0, None)
    storm = (rng.random(n) < storm_chance) * rng.uniform(0.5, 1.0, size=n)
    if daily:  # runoff lasts a few days
        storm = np.convolve(storm, [1.0, 0.6, 0.3])[:n]
    storm *= 0.4 if lake else 1.0

    main = ("DO", "CODMn", "COD", "BOD5", "NH3_N", "TP", "fecal_coliform")
    noise = _ar1(rng, n, len(main), 0.7 if daily else 0.0, 0.15)
    values: dict[str, np.ndarray] = {}
    for k, code in enumerate(main):
        g = level + OFFSETS[code][col] + noise[k] + STORM.get(code, 0.0) * storm
        if code == "NH3_N":
            g = g + (0.25 if lake else 0.45) * dry
        elif code == "TP":
            g = g + (0.25 if lake else 0.35) * wet + tp_extra
        elif code == "DO":
            g = g + 0.35 * wet  # warm water holds less oxygen
        elif code == "CODMn" and lake:
            g = g + 0.2 * wet  # algae in summer
        curve = ("TP_lake" if lake else "TP_river") if code == "TP" else code
        spread = 0.35 if code == "fecal_coliform" else 0.03 if daily else 0.08
        values[code] = _curve(curve, g) * rng.lognormal(0.0, spread, size=n)
    if lake:
        values["DO"] = np.clip(values["DO"], 6.1, 9.0)
    else:
        values["DO"] = np.clip(values["DO"], 0.8, 10.5)

    ph_noise = _ar1(rng, n, 1, 0.7 if daily else 0.0, 0.15)[0]
    if lake:
        values["pH"] = np.clip(7.9 + 0.3 * wet + ph_noise, 7.0, 8.5)
    else:
        values["pH"] = np.clip(7.8 - 0.05 * (level - 2) + ph_noise, 6.6, 8.7)
        if section.code == PH_EXCURSION:
            first_two_years = max(1, int(np.searchsorted(elapsed, 0.2)))
            values["pH"][rng.integers(0, first_two_years)] = rng.uniform(9.1, 9.4)

    # nitrogen: nitrate (stored for drinking sources) + ammonia + organic nitrogen
    if lake:
        base = NITRATE.get(section.water_zh, 0.8)
        nitrate = base * (1 + 0.15 * dry) * rng.lognormal(0.0, 0.25, size=n)
    else:
        nitrate = np.clip(1.2 + 0.25 * (level - 2), 0.5, None) * rng.lognormal(0.0, 0.2, size=n)
    values["TN"] = nitrate + values["NH3_N"] + 0.3 * rng.lognormal(0.0, 0.3, size=n)

    urban = np.clip(level - 2, 0.0, None)
    values["Cu"] = np.clip(0.0015 * np.exp(0.2 * urban) * rng.lognormal(0, 0.4, size=n), 0, 0.02)
    values["Zn"] = np.clip(0.012 * np.exp(0.25 * urban) * rng.lognormal(0, 0.5, size=n), 0, 0.15)
    values["F"] = np.clip((0.18 if lake else 0.22) * rng.lognormal(0, 0.25, size=n), 0.05, 0.9)

    bits = np.zeros(n, dtype=np.int64)
    for code, trace in TRACES.items():
        p = np.clip(trace.p0 + trace.p1 * (level - 2), 0.0, 0.9)
        detected = rng.random(n) < p
        found = (
            trace.dl
            * trace.m0
            * np.exp(trace.slope * (level - 2))
            * rng.lognormal(0.0, trace.sd, size=n)
        )
        cap = DRINKING_CAPS.get(code, trace.cap) if section.drinking_source else trace.cap
        step = 10.0 ** -DIGITS[code]
        found = np.clip(np.round(found, DIGITS[code]), trace.dl + step, max(cap, trace.dl + step))
        values[code] = np.where(detected, found, trace.dl)
        bits |= np.where(detected, 0, below_dl_mask({code}))

    if section.drinking_source:
        values.update(_table2(section, rng, days, doy, wet, nitrate))

    rounded = {code: _round(code, v) if code not in TRACES else v for code, v in values.items()}
    return rounded, bits


def _table2(
    section: Section,
    rng: np.random.Generator,
    days: list[date],
    doy: np.ndarray,
    wet: np.ndarray,
    nitrate: np.ndarray,
) -> dict[str, np.ndarray]:
    n = len(days)
    water = section.water_zh
    late_summer = np.clip(wet, 0.0, None)
    fe = np.clip(0.05 * rng.lognormal(0.0, 0.45, size=n), 0.005, 0.25)
    mn = np.clip(0.02 * (1 + 0.6 * late_summer) * rng.lognormal(0.0, 0.5, size=n), 0.002, 0.085)
    # turnover of a stratified reservoir: a week or two between mid-August and early October
    chance = OVERTURN_CHANCE.get(water, 0.25)
    years = sorted({d.year for d in days})
    episodes = []
    for y in years:
        happens, start, length = rng.random(), rng.integers(0, 46), rng.integers(7, 22)
        if happens < chance:
            first = date(y, 8, 15) + timedelta(days=int(start))
            episodes.append((first, first + timedelta(days=int(length))))
    for first, last in episodes:
        inside = np.array([first <= d <= last for d in days])
        mn = np.where(inside, 0.1 * np.exp(rng.uniform(0.1, 0.9, size=n)), mn)
        fe = np.where(inside, fe + rng.uniform(0.05, 0.12, size=n), fe)
    return {
        "sulfate": SULFATE.get(water, 40.0) * rng.lognormal(0.0, 0.12, size=n),
        "chloride": CHLORIDE.get(water, 5.0) * rng.lognormal(0.0, 0.2, size=n),
        "nitrate": nitrate,
        "Fe": fe,
        "Mn": mn,
    }


# --- rows ------------------------------------------------------------------------------------


def _rows(*, size: str, seed: int, until: date) -> Iterator[list[dict[str, object]]]:
    now = utcnow()
    columns = [(item.code, item.column) for item in items()]
    batch: list[dict[str, object]] = []
    for index, section in enumerate(sections()):
        daily = _is_daily(section, size)
        days = _daily_days(until) if daily else _monthly_days(seed, index, until)
        values, bits = _section_values(section, index, days, seed=seed, daily=daily)
        lists = {code: values[code].tolist() for code in values}
        masks = bits.tolist()
        # an automatic station measures AUTOMATIC_ITEMS every day; the full set of items comes
        # from the monthly laboratory sample
        lab_days = set(_monthly_days(seed, index, until)) if daily else None
        for i, day in enumerate(days):
            measured = lists if lab_days is None or day in lab_days else automatic_only(lists)
            row: dict[str, object] = {
                "section_code": section.code,
                "sampled_on": day,
                "below_dl": masks[i] if measured is lists else masks[i] & AUTOMATIC_MASK,
                "source": "demo",
                "updated_at": now,
            }
            for code, column in columns:
                row[column] = measured[code][i] if code in measured else None
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
    if batch:
        yield batch


def generate_samples(
    engine: Engine,
    *,
    size: str,
    seed: int,
    until: date,
    progress: Progress | None = None,
) -> int:
    """Write the sample rows (sampling days up to `until`, a Beijing day); return their count."""
    report = progress or (lambda _part, _done, _total: None)
    total = expected_rows(size)
    report(PART, 0, total)
    done = 0
    for batch in _rows(size=str(size), seed=seed, until=until):
        with engine.begin() as conn:
            conn.execute(insert(water_sample), batch)
        done += len(batch)
        report(PART, done, total)
    return done


def generate(context: DemoContext) -> int:
    return generate_samples(context.engine, size=context.size, seed=context.seed,
                            until=context.last_day, progress=context.progress)  # fmt: skip


def has_rows(session: Session) -> bool:
    return session.execute(select(water_sample.c.id).limit(1)).first() is not None

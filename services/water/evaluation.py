"""Period classes, river and lake status, city shares and drinking-water source compliance.

Everything starts from the stored samples (one row per section and day, one column per item) and
works on exact integer sums of half-units (services.water.items):
- a period (month, quarter, year) is classed from the period mean of each item;
- a value below the detection limit counts as half the limit in a mean; an item whose every value
  in the period is below the limit meets every class;
- a river or lake with fewer than 5 sections: the mean of each item over its sections, classed as
  one section; with 5 or more: the status word from the share of sections by class
  (环办〔2011〕22号, water_quality_status.csv);
- a drinking-water source (all verticals of one lake or reservoir, averaged) complies when the
  evaluated Table 1 items meet class III and the Table 2 items meet their limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from services.water import classify as cls
from services.water.classify import CLASS_III, WORST, Classes, SampleClass
from services.water.items import by_code, items
from services.water.sections import Section
from services.water.sections import by_code as section_by_code

Period = Literal["month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("month", "quarter", "year")
RIVER_SHARE_MIN_SECTIONS = 5
# 环办〔2011〕22号 status thresholds (water_quality_status.csv); the "heavily polluted" share of
# class I-III sections is unverified (<75 % in the bureau FAQ, <60 % in a recollection of the
# original), so it is a setting: PORTAL_WATER_HEAVY_BELOW.


def period_start(days: pd.Series | np.ndarray, period: Period) -> np.ndarray:
    """The first day of each date's month, quarter or year (numpy datetime64[D])."""
    months = np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]")
    if period == "year":
        return months.astype("datetime64[Y]").astype("datetime64[D]")
    if period == "quarter":
        number = months.astype(np.int64)
        return (number - number % 3).astype("datetime64[M]").astype("datetime64[D]")
    return months.astype("datetime64[D]")


@dataclass(frozen=True)
class PeriodMeans:
    """Exact period means of every item, one column per section and period.

    `sums`, `counts`, `below`: (28, m) in the order of services.water.items.items(); `sums` are
    half-units (a below-detection value counts as half its limit); `below` marks items whose
    every value in the period was below the detection limit.
    """

    section_code: np.ndarray  # (m,) str
    period: np.ndarray  # (m,) datetime64[D], first day
    samples: np.ndarray  # (m,) sampling days in the period
    sums: np.ndarray
    counts: np.ndarray
    below: np.ndarray
    lake: np.ndarray  # (m,) bool

    def __len__(self) -> int:
        return len(self.section_code)

    @cached_property
    def classes(self) -> Classes:
        rows = [i for i, item in enumerate(items()) if item.evaluated]
        sums = np.where(self.below[rows], 0, self.sums[rows])
        return cls.classify_sums(sums, self.counts[rows], lake=self.lake)

    def mean(self, code: str) -> np.ndarray:
        """Float means for display and charts (NaN where not measured)."""
        row = list(by_code()).index(code)
        item = by_code()[code]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                self.counts[row] > 0, self.sums[row] / (self.counts[row] * item.half_units), np.nan
            )

    def exact_means(self, j: int) -> tuple[dict[str, Fraction], set[str]]:
        """Column j: item → exact mean, and the items that were always below detection."""
        means: dict[str, Fraction] = {}
        below: set[str] = set()
        for row, item in enumerate(items()):
            n = int(self.counts[row, j])
            if n:
                means[item.code] = Fraction(int(self.sums[row, j]), n * item.half_units)
                if self.below[row, j]:
                    below.add(item.code)
        return means, below

    def detail(self, j: int) -> SampleClass:
        """The exact class of column j, with limiting items, multiples and main pollutants."""
        means, below = self.exact_means(j)
        return cls.classify_sample(
            means, waterbody="lake" if self.lake[j] else "river", below_dl=below
        )


def period_means(samples: pd.DataFrame, period: Period) -> PeriodMeans:
    """`samples`: section_code, sampled_on and the item columns (`Item.column`) plus below_dl."""
    all_items = items()
    if samples.empty:
        empty = np.zeros((len(all_items), 0), dtype=np.int64)
        return PeriodMeans(
            np.array([], dtype=object), np.array([], dtype="datetime64[D]"),
            np.array([], dtype=np.int64), empty, empty, empty.astype(bool), np.array([], bool),
        )  # fmt: skip
    starts = period_start(samples["sampled_on"].to_numpy(), period)
    codes = samples["section_code"].to_numpy(dtype=object)
    key = pd.MultiIndex.from_arrays([codes, starts])
    group, uniques = pd.factorize(key, sort=True)
    m = len(uniques)
    order = np.argsort(group, kind="stable")
    starts_at = np.searchsorted(group[order], np.arange(m))
    mask = samples["below_dl"].to_numpy(dtype=np.int64)
    sums = np.zeros((len(all_items), m), dtype=np.int64)
    counts = np.zeros((len(all_items), m), dtype=np.int64)
    detected = np.zeros((len(all_items), m), dtype=np.int64)
    for row, item in enumerate(all_items):
        values = samples[item.column].to_numpy(dtype=np.float64)
        have = ~np.isnan(values)
        scaled = np.rint(np.where(have, values, 0.0) * item.half_units).astype(np.int64)
        below = (mask >> row) & 1 == 1
        scaled = np.where(below, scaled // 2, scaled)  # half the detection limit
        sums[row] = np.add.reduceat(scaled[order], starts_at)  # exact int64 group sums
        counts[row] = np.bincount(group[have], minlength=m)
        detected[row] = np.bincount(group[have & ~below], minlength=m)
    section_codes = uniques.get_level_values(0).to_numpy(dtype=object)
    registry = section_by_code()
    return PeriodMeans(
        section_code=section_codes,
        period=uniques.get_level_values(1).to_numpy(dtype="datetime64[D]"),
        samples=np.bincount(group, minlength=m),
        sums=sums,
        counts=counts,
        below=(counts > 0) & (detected == 0),
        lake=np.array([registry[c].waterbody == "lake" for c in section_codes], dtype=bool),
    )


# --- status words ---------------------------------------------------------------------------


def section_status(grade: int) -> int:
    """Index of the status word (public.statuses()) of a section class: I-II 优 … 劣V 重度污染."""
    return (0, 0, 1, 2, 3, 4)[grade - 1]


@dataclass(frozen=True)
class WaterStatus:
    """The status of a river or lake in one period."""

    sections: int
    method: Literal["mean", "shares"]
    status: (
        int | None
    )  # index into services.water.public.statuses(); None: the rule leaves the case undefined
    grade: int | None  # the class of the mean (fewer than 5 sections)
    share_good: Fraction  # share of sections in class I-III
    share_worst: Fraction  # share of sections worse than class V
    detail: SampleClass | None = None  # the mean's class (fewer than 5 sections)


def status_from_shares(good: Fraction, worst: Fraction, *, heavy_below: int) -> int | None:
    """The status word (as an index) of 5 or more sections from the shares of I-III and 劣V.

    `heavy_below`: the I-III share (percent) under which 40 % 劣V is "heavily polluted" (75 or
    60; unverified). With 60, a river at 60-75 % I-III and ≥ 40 % 劣V fits no rule: None.
    """
    if good >= Fraction(90, 100):
        return 0
    if good >= Fraction(75, 100):
        return 1
    if worst < Fraction(20, 100):
        return 2
    if worst < Fraction(40, 100):
        return 3
    return 4 if good < Fraction(heavy_below, 100) else None


def water_status(
    means: PeriodMeans, columns: Sequence[int], *, heavy_below: int = 75
) -> WaterStatus:
    """Status of the sections at `columns` (one river or lake, one period)."""
    grades = means.classes.grade[list(columns)]
    k = len(grades)
    good = Fraction(int((grades <= CLASS_III).sum()), k) if k else Fraction(0)
    worst = Fraction(int((grades == WORST).sum()), k) if k else Fraction(0)
    if k >= RIVER_SHARE_MIN_SECTIONS:
        status = status_from_shares(good, worst, heavy_below=heavy_below)
        return WaterStatus(k, "shares", status, None, good, worst)
    detail = mean_of_sections(means, columns)
    return WaterStatus(k, "mean", section_status(detail.level), detail.level, good, worst, detail)


def mean_of_sections(means: PeriodMeans, columns: Sequence[int]) -> SampleClass:
    """The class of the arithmetic mean of each item over the sections (exact)."""
    averaged, always_below = _averages(means, columns)
    lake = bool(means.lake[list(columns)].all()) if len(columns) else False
    return cls.classify_sample(
        averaged, waterbody="lake" if lake else "river", below_dl=always_below
    )


def _averages(means: PeriodMeans, columns: Sequence[int]) -> tuple[dict[str, Fraction], set[str]]:
    """The exact mean of each item over the columns, and the items below detection in all."""
    totals: dict[str, list[Fraction]] = {}
    below_in: dict[str, int] = {}
    for j in columns:
        values, below = means.exact_means(j)
        for code, value in values.items():
            totals.setdefault(code, []).append(value)
            below_in[code] = below_in.get(code, 0) + (code in below)
    averaged = {code: sum(v, Fraction(0)) / len(v) for code, v in totals.items()}
    return averaged, {code for code, v in totals.items() if below_in[code] == len(v)}


# --- city shares ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CityShares:
    period: date
    sections: int
    good: int  # class I-III
    worst: int  # 劣V
    on_target: int  # at or better than the section's target class

    @property
    def good_share(self) -> Fraction:
        return Fraction(self.good, self.sections) if self.sections else Fraction(0)

    @property
    def worst_share(self) -> Fraction:
        return Fraction(self.worst, self.sections) if self.sections else Fraction(0)

    @property
    def target_share(self) -> Fraction:
        return Fraction(self.on_target, self.sections) if self.sections else Fraction(0)


def city_shares(means: PeriodMeans) -> list[CityShares]:
    """Per period: how many sections are in class I-III, 劣V and at their target class.

    Every section and lake vertical in the registry counts once.
    """
    registry = section_by_code()
    grade = means.classes.grade
    target = np.array([registry[c].target_grade for c in means.section_code], dtype=np.int8)
    frame = pd.DataFrame(
        {
            "period": means.period,
            "good": grade <= CLASS_III,
            "worst": grade == WORST,
            "on_target": grade <= target,
        }
    )
    grouped = frame.groupby("period", sort=True).agg(
        sections=("good", "size"), good=("good", "sum"), worst=("worst", "sum"),
        on_target=("on_target", "sum"),
    )  # fmt: skip
    return [
        CityShares(
            period=pd.Timestamp(p).date(),
            sections=int(r.sections),
            good=int(r.good),
            worst=int(r.worst),
            on_target=int(r.on_target),
        )
        for p, r in grouped.iterrows()
    ]


# --- drinking-water sources -----------------------------------------------------------------


@dataclass(frozen=True)
class SourceCompliance:
    water_zh: str  # the lake or reservoir
    period: date
    verticals: int
    grade: int  # class of the mean over its verticals
    failing: dict[str, Fraction]  # item → mean, for every item that fails
    detail: SampleClass

    @property
    def compliant(self) -> bool:
        return not self.failing


def drinking_sources(means: PeriodMeans) -> list[SourceCompliance]:
    """Each drinking-water source (lake or reservoir) in each period, newest period first."""
    registry = section_by_code()
    groups: dict[tuple[str, date], list[int]] = {}
    for j, code in enumerate(means.section_code):
        section: Section = registry[code]
        if section.drinking_source:
            key = (section.water_zh, pd.Timestamp(means.period[j]).date())
            groups.setdefault(key, []).append(j)
    table2 = [i for i in items() if i.table == 2]
    results = []
    newest_first = sorted(groups.items(), key=lambda kv: (-kv[0][1].toordinal(), kv[0][0]))
    for (water, period), columns in newest_first:
        detail = mean_of_sections(means, columns)
        averages, _always_below = _averages(means, columns)
        failing = {code: averages[code] for code, k in detail.item_classes.items() if k > CLASS_III}
        for item in table2:
            value = averages.get(item.code)
            if value is not None and value > item.limits[0]:
                failing[item.code] = value
        results.append(SourceCompliance(water, period, len(columns), detail.level, failing, detail))
    return results


def classify_samples(samples: pd.DataFrame) -> Classes:
    """The class of every stored sample (one per row), vectorised; below-detection values meet
    every class and items not measured are left out."""
    evaluated_items = [(row, item) for row, item in enumerate(items()) if item.evaluated]
    n = len(samples)
    sums = np.empty((len(evaluated_items), n), dtype=np.int64)
    measured = np.empty((len(evaluated_items), n), dtype=bool)
    mask = samples["below_dl"].to_numpy(dtype=np.int64)
    for r, (row, item) in enumerate(evaluated_items):
        values = samples[item.column].to_numpy(dtype=np.float64)
        np.isfinite(values, out=measured[r])
        scaled = np.rint(values * item.half_units)
        scaled[~measured[r] | ((mask >> row) & 1 == 1)] = 0
        sums[r] = scaled
    registry = section_by_code()
    which, names = pd.factorize(samples["section_code"])
    lake = np.array([registry[c].waterbody == "lake" for c in names], dtype=bool)[which]
    result = cls.classify_sums(sums, None, lake=lake)
    item_class = np.where(measured, result.item_class, 0).astype(np.int8)
    return Classes(grade=np.maximum(item_class.max(axis=0), 1), item_class=item_class)

"""What the public water page and the open-data API read: samples, evaluated once per data version.

`evaluate()` turns the stored samples into monthly, quarterly and yearly period means with their
classes; the functions below cut small, language-neutral frames from them for each panel.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from services.core import plan
from services.core.settings import CONTENT_DIR
from services.water import evaluation as ev
from services.water.classify import CLASS_III, SampleClass
from services.water.items import by_code, items
from services.water.model import water_sample
from services.water.sections import by_code as section_by_code
from services.water.sections import sections, waters

STANDARD = "GB 3838-2002"
METHOD = "环办〔2011〕22号"
STATUS_FILE = CONTENT_DIR / "standards" / "water_quality_status.csv"
PLAN_GOOD = plan.goal(plan.WATER_CLASS_I_III)  # sections at class III or better
PLAN_WORST = plan.goal(plan.WATER_WORSE_THAN_V)  # sections worse than class V
KEY_ITEMS = ("NH3_N", "TP", "CODMn", "COD", "BOD5", "DO")  # the trend chart's choices
YEAR_MONTHS = 12  # a year is judged against the plan only with all 12 months sampled


@dataclass(frozen=True)
class Status:
    zh: str
    en: str
    colour: str  # unverified in the reference (common practice); always shown with the word

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


COLOURS = {"蓝色": "#2b78b8", "绿色": "#3a9e5c", "黄色": "#e3c336", "橙色": "#e8862a",
           "红色": "#c8322f"}  # fmt: skip


@cache
def statuses() -> tuple[Status, ...]:
    """Status words of a section by class: I-II, III, IV, V, 劣V (water_quality_status.csv)."""
    with STATUS_FILE.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["level"] == "section"]
    return tuple(Status(r["status_zh"], r["status_en"], COLOURS[r["color_zh"]]) for r in rows)


def status_of_grade(grade: int) -> Status:
    return statuses()[ev.section_status(grade)]


# --- reading --------------------------------------------------------------------------------


def version(session: Session) -> tuple[datetime | None, int]:
    """Changes with every import (new rows, or items added to stored ones): the newest update
    time and the highest row id. Samples are never deleted. Both are index look-ups, so the
    cost does not grow with the data: each maximum is its own subquery, because SQLite reads a
    lone max() from the end of an index but scans the table for two aggregates in one SELECT."""
    newest = select(func.max(water_sample.c.updated_at)).scalar_subquery()
    highest = select(func.max(water_sample.c.id)).scalar_subquery()
    newest, highest = session.execute(select(newest, highest)).one()
    return newest, int(highest or 0)


def read_samples(
    session: Session,
    *,
    section_codes: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    query = select(water_sample).order_by(water_sample.c.section_code, water_sample.c.sampled_on)
    if section_codes is not None:
        query = query.where(water_sample.c.section_code.in_(section_codes))
    if start is not None:
        query = query.where(water_sample.c.sampled_on >= start)
    if end is not None:
        query = query.where(water_sample.c.sampled_on <= end)
    result = session.execute(query)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for item in items():
        frame[item.column] = pd.to_numeric(frame[item.column], errors="coerce").astype("float64")
    frame["below_dl"] = frame["below_dl"].astype("int64")
    return frame


@dataclass(frozen=True)
class Evaluated:
    month: ev.PeriodMeans
    quarter: ev.PeriodMeans
    year: ev.PeriodMeans
    first_day: date | None
    last_day: date | None  # the newest sampling day: the data time of every figure

    def of(self, period: ev.Period) -> ev.PeriodMeans:
        return {"month": self.month, "quarter": self.quarter, "year": self.year}[period]

    def profile(self, water_zh: str, *, months: int = 24) -> pd.DataFrame:
        return profile(self.month, water_zh, months=months)

    def series(self, code: str) -> pd.DataFrame:
        return section_series(self.month, code)

    @property
    def months(self) -> dict[int, int]:
        return months_per_year(self.month)


def evaluate(samples: pd.DataFrame) -> Evaluated:
    days = samples["sampled_on"] if not samples.empty else pd.Series([], dtype=object)
    return Evaluated(
        month=ev.period_means(samples, "month"),
        quarter=ev.period_means(samples, "quarter"),
        year=ev.period_means(samples, "year"),
        first_day=min(days) if len(days) else None,
        last_day=max(days) if len(days) else None,
    )


def _day(value: np.datetime64) -> date:
    return pd.Timestamp(value).date()


# --- panels ---------------------------------------------------------------------------------


def latest_by_section(month: ev.PeriodMeans) -> pd.DataFrame:
    """Each section's newest month: code, period, grade (1..6), column index into `month`."""
    if not len(month):
        return pd.DataFrame(columns=["section_code", "period", "grade", "column"])
    frame = pd.DataFrame(
        {
            "section_code": month.section_code,
            "period": month.period,
            "grade": month.classes.grade,
            "column": np.arange(len(month)),
        }
    )
    newest = frame.sort_values("period").groupby("section_code", sort=False).tail(1)
    order = {s.code: i for i, s in enumerate(sections())}
    return newest.sort_values("section_code", key=lambda c: c.map(order)).reset_index(drop=True)


def profile(month: ev.PeriodMeans, water_zh: str, *, months: int = 24) -> pd.DataFrame:
    """A river's (or lake's) sections upstream to downstream by month, the newest `months`."""
    members = [s.code for s in waters()[water_zh]]
    mask = np.isin(month.section_code, members)
    frame = pd.DataFrame(
        {
            "section_code": month.section_code[mask],
            "period": month.period[mask],
            "grade": month.classes.grade[mask],
        }
    )
    if frame.empty:
        return frame.assign(km=[], order=[])
    recent = np.sort(frame["period"].unique())[-months:]
    frame = frame[frame["period"].isin(recent)].copy()
    registry = section_by_code()
    frame["km"] = frame["section_code"].map(lambda c: registry[c].km)
    frame["order"] = frame["section_code"].map(members.index)
    return frame.sort_values(["order", "period"]).reset_index(drop=True)


def water_statuses(
    month: ev.PeriodMeans, water_zh: str, *, heavy_below: int
) -> list[tuple[date, ev.WaterStatus]]:
    """The status of one river or lake in each month it has data, newest first."""
    members = {s.code for s in waters()[water_zh]}
    by_period: dict[np.datetime64, list[int]] = {}
    for j, code in enumerate(month.section_code):
        if code in members:
            by_period.setdefault(month.period[j], []).append(j)
    return [
        (_day(p), ev.water_status(month, cols, heavy_below=heavy_below))
        for p, cols in sorted(by_period.items(), reverse=True)
    ]


def water_year_statuses(
    year: ev.PeriodMeans, month: ev.PeriodMeans, water_zh: str, *, heavy_below: int
) -> list[tuple[int, int, ev.WaterStatus]]:
    """The status of one river or lake in each year it has data, newest first: (year, months
    with samples from any of its sections, status). The status follows the same rules as a
    month's (`ev.water_status`), from the sections' annual means."""
    members = {s.code for s in waters()[water_zh]}
    sampled = np.unique(month.period[np.isin(month.section_code, list(members))])
    per_year = pd.Series(pd.to_datetime(sampled).year).value_counts().to_dict()
    return [
        (day.year, int(per_year.get(day.year, 0)), status)
        for day, status in water_statuses(year, water_zh, heavy_below=heavy_below)
    ]


def section_series(means: ev.PeriodMeans, code: str) -> pd.DataFrame:
    """One section's periods: period, samples, grade, and the float mean of every item."""
    mask = means.section_code == code
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(means.period[mask]),
            "samples": means.samples[mask],
            "grade": means.classes.grade[mask],
            "column": np.flatnonzero(mask),
        }
    )
    for item in items():
        frame[item.code] = means.mean(item.code)[mask]
    return frame.sort_values("period").reset_index(drop=True)


@dataclass(frozen=True)
class Exceedance:
    code: str
    kind: str  # "multiple" (C > S), "below_minimum" (DO), "outside_range" (pH)
    multiple: Fraction | None
    grade: int


def exceedances(detail: SampleClass) -> list[Exceedance]:
    """Items worse than class III, main pollutants first, then the rest by class and multiple."""
    worse = [c for c, k in detail.item_classes.items() if k > CLASS_III]
    main = list(detail.main_pollutants)
    rest = sorted(
        (c for c in worse if c not in main),
        key=lambda c: (-detail.item_classes[c], -detail.multiples.get(c, Fraction(-1))),
    )
    out = []
    for code in main + rest:
        kind = {"DO": "below_minimum", "pH": "outside_range"}.get(code, "multiple")
        out.append(Exceedance(code, kind, detail.multiples.get(code), detail.item_classes[code]))
    return out


def multiple_text(multiple: Fraction) -> str:
    """The multiple to two decimals, half to even, exactly; trailing zeros dropped: '0.2'."""
    rounded = round(multiple, 2)
    text = f"{Decimal(rounded.numerator) / Decimal(rounded.denominator):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def months_per_year(month: ev.PeriodMeans) -> dict[int, int]:
    """How many months of each year have samples (the first and last years may be partial)."""
    periods = pd.to_datetime(pd.Series(np.unique(month.period)))
    return {int(y): int(n) for y, n in periods.dt.year.value_counts().sort_index().items()}


def year_complete(months: int) -> bool:
    """Whether a year has enough months of samples for a verdict against the plan targets."""
    return months >= YEAR_MONTHS


def registered_sources() -> list[str]:
    """The drinking-water sources (lakes and reservoirs) in the section registry, in its order."""
    return list(dict.fromkeys(s.water_zh for s in sections() if s.drinking_source))


def headline_index(rows: list[ev.CityShares], registered: int) -> int:
    """The month the headline figures describe: the newest month in which more than half of the
    registered sections were sampled (a month still being sampled would otherwise stand for the
    city on a few sections); the newest month when none reaches half. docs/decisions.md."""
    for i in range(len(rows) - 1, -1, -1):
        if 2 * rows[i].sections > registered:
            return i
    return len(rows) - 1


@dataclass(frozen=True)
class Headline:
    """The headline month's city shares and drinking-water sources, with what was sampled."""

    shares: ev.CityShares  # the headline month (headline_index)
    newest: ev.CityShares  # the newest month with any samples (may be the same)
    registered: int  # sections and lake verticals in the registry
    sources: list[ev.SourceCompliance]  # the sources sampled in the headline month
    sources_registered: list[str]

    @property
    def newest_is_partial(self) -> bool:
        return self.newest.period != self.shares.period

    @property
    def sources_missing(self) -> list[str]:
        sampled = {s.water_zh for s in self.sources}
        return [w for w in self.sources_registered if w not in sampled]


def headline(month: ev.PeriodMeans) -> Headline | None:
    rows = ev.city_shares(month)
    if not rows:
        return None
    registered = len(sections())
    chosen = rows[headline_index(rows, registered)]
    sources = [s for s in ev.drinking_sources(month) if s.period == chosen.period]
    return Headline(chosen, rows[-1], registered, sources, registered_sources())


def city_share_frame(means: ev.PeriodMeans) -> pd.DataFrame:
    rows = ev.city_shares(means)
    return pd.DataFrame(
        {
            "period": [r.period for r in rows],
            "sections": [r.sections for r in rows],
            "good": [r.good for r in rows],
            "worst": [r.worst for r in rows],
            "on_target": [r.on_target for r in rows],
            "good_share": [float(r.good_share) for r in rows],
            "worst_share": [float(r.worst_share) for r in rows],
            "target_share": [float(r.target_share) for r in rows],
        }
    )


def drinking_summary(means: ev.PeriodMeans) -> list[ev.SourceCompliance]:
    return ev.drinking_sources(means)


def item_codes() -> list[str]:
    return list(by_code())


def class_rows(
    means: ev.PeriodMeans, columns: list[int] | np.ndarray, *, period: str, with_means: bool
) -> list[dict[str, object]]:
    """Period classes as open-data rows (the API and the page's downloads): class, status,
    target, limiting items, main pollutants, multiples, and optionally every item's mean."""
    registry = section_by_code()
    averages = {item.code: means.mean(item.code) for item in items()} if with_means else {}
    rows = []
    for j in columns:
        detail = means.detail(int(j))
        status = status_of_grade(detail.level)
        row: dict[str, object] = {
            "section": means.section_code[j],
            "period": period,
            "period_start": str(means.period[j]),
            "samples": int(means.samples[j]),
            "class": detail.grade,
            "status_zh": status.zh,
            "status_en": status.en,
            "meets_target": detail.level <= registry[means.section_code[j]].target_grade,
            "limiting_items": ";".join(detail.limiting_items),
            "main_pollutants": ";".join(detail.main_pollutants),
            "exceedance_over_class_iii": ";".join(
                f"{c}:{multiple_text(m)}" for c, m in detail.multiples.items()
            ),
        }
        if with_means:
            for item in items():
                value = averages[item.code][j]
                row[f"mean_{item.field}"] = None if np.isnan(value) else round(float(value), 6)
        row["standard"] = STANDARD
        row["method"] = METHOD
        rows.append(row)
    return rows


def latest_month_shares(session: Session) -> ev.CityShares | None:
    """The city shares of the headline month (headline_index): the newest month in which more
    than half of the sections were sampled. Reads only the newest three months."""
    newest = session.execute(select(func.max(water_sample.c.sampled_on))).scalar_one()
    if newest is None:
        return None
    first = (pd.Timestamp(newest.replace(day=1)) - pd.DateOffset(months=2)).date()
    month = read_samples(session, start=first, end=newest)
    shares = ev.city_shares(ev.period_means(month, "month"))
    return shares[headline_index(shares, len(sections()))] if shares else None

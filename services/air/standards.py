"""HJ 633 breakpoints and AQI categories, read from content/standards/ (one source of truth)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import Literal

from services.core.clock import BEIJING
from services.core.settings import CONTENT_DIR

Standard = Literal["HJ633-2012", "HJ633-2026"]
STANDARDS: tuple[Standard, ...] = ("HJ633-2012", "HJ633-2026")
# content/standards/DECISIONS.md §1: data before 2026-03-01 under HJ 633-2012, from then HJ 633-2026
SWITCH_DATE = date(2026, 3, 1)
STANDARDS_DIR = CONTENT_DIR / "standards"


def standard_for(moment: date | datetime) -> Standard:
    """The standard in force for data of this date (a datetime is read in Beijing time)."""
    day = moment.astimezone(BEIJING).date() if isinstance(moment, datetime) else moment
    return "HJ633-2026" if day >= SWITCH_DATE else "HJ633-2012"


@dataclass(frozen=True)
class Segment:
    c_low: Fraction
    c_high: Fraction
    i_low: int
    i_high: int


@cache
def segments(standard: Standard, pollutant: str, averaging: str) -> tuple[Segment, ...]:
    """Consecutive breakpoint segments; rows without a concentration end the table early."""
    with (STANDARDS_DIR / "aqi_breakpoints.csv").open(encoding="utf-8", newline="") as f:
        points = [
            (int(r["iaqi"]), Fraction(r["bp_concentration"]))
            for r in csv.DictReader(f)
            if (r["standard"], r["pollutant"], r["averaging"]) == (standard, pollutant, averaging)
            and r["bp_concentration"].strip()
        ]
    if len(points) < 2:
        raise KeyError((standard, pollutant, averaging))
    return tuple(
        Segment(c_low=c0, c_high=c1, i_low=i0, i_high=i1) for (i0, c0), (i1, c1) in pairwise(points)
    )


@dataclass(frozen=True)
class Category:
    level: int
    aqi_min: int
    aqi_max: int | None  # None: no upper bound (level 6)
    zh: str
    en: str
    colour: str  # hex, HJ 633 Appendix A
    colour_zh: str
    health_zh: str
    health_en: str
    advice_zh: str
    advice_en: str

    def __str__(self) -> str:
        return self.zh

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def health(self, lang: str) -> str:
        return self.health_en if lang == "en" else self.health_zh

    def advice(self, lang: str) -> str:
        return self.advice_en if lang == "en" else self.advice_zh


@cache
def categories(standard: Standard) -> tuple[Category, ...]:
    with (STANDARDS_DIR / "aqi_categories.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["standard"] == standard]
    return tuple(
        Category(
            level=int(r["level_num"]),
            aqi_min=int(r["aqi_min"]),
            aqi_max=int(r["aqi_max"]) if r["aqi_max"].strip() else None,
            zh=r["category_zh"],
            en=r["category_en"],
            colour=r["hex"],
            colour_zh=r["color_zh"],
            health_zh=r["health_effect_zh"],
            health_en=r["health_effect_en_summary"],
            advice_zh=r["advice_zh"],
            advice_en=r["advice_en_summary"],
        )
        for r in sorted(rows, key=lambda r: int(r["level_num"]))
    )


# HJ 633 Table 2: upper AQI bound of levels 1-5; above 300 is level 6
LEVEL_UPPER_BOUNDS = (50, 100, 150, 200, 300)


def level_of(aqi: int) -> int:
    return next((i + 1 for i, top in enumerate(LEVEL_UPPER_BOUNDS) if aqi <= top), 6)


def category_of(aqi: int, standard: Standard) -> Category:
    return categories(standard)[level_of(aqi) - 1]

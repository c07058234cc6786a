"""The plan's indicator table (规划 table 2-1), read from content/plan/targets.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache

from services.core.settings import CONTENT_DIR

PLAN_SOURCE_ZH = "《贵阳市“十四五”生态环境保护规划》表 2-1"
PLAN_SOURCE_EN = "Guiyang 14th Five-Year Eco-Environment Protection Plan, table 2-1"


class Comparison(StrEnum):
    AT_LEAST = ">="
    MORE_THAN = ">"
    AT_MOST = "<="


@dataclass(frozen=True)
class Goal:
    """A numeric 2025 target: the comparison, the number and its unit, as table 2-1 states it."""

    comparison: Comparison
    value: Decimal
    unit: str

    def met(self, value: Fraction | Decimal | int) -> bool:
        """Whether a figure in the goal's unit (a share as a percentage) meets the goal."""
        figure, goal = Fraction(value), Fraction(self.value)
        if self.comparison is Comparison.AT_LEAST:
            return figure >= goal
        if self.comparison is Comparison.MORE_THAN:
            return figure > goal
        return figure <= goal

    def share_met(self, share: Fraction | Decimal | float) -> bool:
        """The same for a share given as a fraction of 1 (the goal's unit must be %)."""
        assert self.unit == "%"
        return self.met(Fraction(share) * 100)

    @property
    def share(self) -> Fraction:
        """The goal as a fraction of 1 (unit %)."""
        assert self.unit == "%"
        return Fraction(self.value) / 100


@dataclass(frozen=True)
class PlanIndicator:
    number: int
    group_zh: str
    name_zh: str
    name_en: str
    unit: str
    baseline_2020: str
    target_2025: str
    target_2025_en: str
    binding: bool
    higher_is_better: bool
    goal: Goal | None  # None where the target is words ("meet the provincial target")

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def target(self, lang: str) -> str:
        return self.target_2025_en if lang == "en" else self.target_2025


@cache
def indicators() -> tuple[PlanIndicator, ...]:
    with (CONTENT_DIR / "plan" / "targets.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            PlanIndicator(
                number=int(r["number"]),
                group_zh=r["group_zh"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                unit=r["unit"],
                baseline_2020=r["baseline_2020"],
                target_2025=r["target_2025"],
                target_2025_en=r["target_2025_en"],
                binding=r["kind"] == "binding",
                higher_is_better=r["better"] == "higher",
                goal=_goal(r),
            )
            for r in csv.DictReader(f)
        )


def _goal(row: dict[str, str]) -> Goal | None:
    if not row["goal_comparison"]:
        return None
    return Goal(Comparison(row["goal_comparison"]), Decimal(row["goal_value"]), row["unit"])


def indicator(number: int) -> PlanIndicator:
    return next(i for i in indicators() if i.number == number)


def goal(number: int) -> Goal:
    """The numeric goal of indicator `number`; an indicator without one is a programming error."""
    found = indicator(number).goal
    assert found is not None, number
    return found


GOOD_AIR_DAYS = 1  # 城市空气质量优良天数比率
WATER_CLASS_I_III = 2  # 地表水质量好于Ⅲ类水体比例
WATER_WORSE_THAN_V = 3  # 地表水质量劣Ⅴ类水体比例
HIGHLIGHT_NUMBERS = (GOOD_AIR_DAYS, WATER_CLASS_I_III, WATER_WORSE_THAN_V, 22)


def highlights() -> list[PlanIndicator]:
    """The targets the home page shows: air, water (two) and public satisfaction."""
    return [i for i in indicators() if i.number in HIGHLIGHT_NUMBERS]

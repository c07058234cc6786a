"""The plan's indicator table (规划 table 2-1), read from content/plan/targets.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from services.core.settings import CONTENT_DIR

PLAN_SOURCE_ZH = "《贵阳市“十四五”生态环境保护规划》表 2-1"
PLAN_SOURCE_EN = "Guiyang 14th Five-Year Eco-Environment Protection Plan, table 2-1"


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
            )
            for r in csv.DictReader(f)
        )


HIGHLIGHT_NUMBERS = (1, 2, 3, 22)


def highlights() -> list[PlanIndicator]:
    """The targets the home page shows: air, water (two) and public satisfaction."""
    return [i for i in indicators() if i.number in HIGHLIGHT_NUMBERS]

"""The monitoring sections (断面) the portal publishes, read from content/water/sections.csv.

The file is the section registry: one row per section or lake vertical, with the river or lake it
samples, its position along the river (for the upstream-to-downstream profile), its target class,
whether it serves a centralised drinking-water source, and how it is sampled.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import Literal

from services.core.settings import CONTENT_DIR
from services.water.items import GRADES, Waterbody

SECTIONS_FILE = CONTENT_DIR / "water" / "sections.csv"
Level = Literal["national", "provincial", "municipal"]
Sampling = Literal["automatic", "manual"]


@dataclass(frozen=True)
class Section:
    code: str
    name_zh: str
    name_en: str
    waterbody: Waterbody  # "river" or "lake" (lakes and reservoirs)
    water_zh: str  # the river, lake or reservoir
    water_en: str
    km: float  # distance along the river from its upper end (rivers); 0 for lakes
    level: Level
    district: str  # GB/T 2260 code
    lat: float
    lon: float
    target: str  # target class, one of GRADES[:5]
    drinking_source: bool
    sampling: Sampling
    location_note: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def water(self, lang: str) -> str:
        return self.water_en if lang == "en" else self.water_zh

    @property
    def target_grade(self) -> int:
        """The target class as 1..5."""
        return GRADES.index(self.target) + 1


@cache
def sections() -> tuple[Section, ...]:
    with SECTIONS_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(
            Section(
                code=r["code"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                waterbody=r["waterbody"],  # type: ignore[arg-type]
                water_zh=r["water_zh"],
                water_en=r["water_en"],
                km=float(r["km"] or 0),
                level=r["level"],  # type: ignore[arg-type]
                district=r["district"],
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                target=r["target_class"],
                drinking_source=r["drinking_source"] == "yes",
                sampling=r["sampling"],  # type: ignore[arg-type]
                location_note=r["location_note"],
            )
            for r in csv.DictReader(f)
        )


@cache
def by_code() -> dict[str, Section]:
    return {s.code: s for s in sections()}


def waters() -> dict[str, list[Section]]:
    """River or lake (Chinese name) -> its sections, upstream first; in registry order (the
    main river first)."""
    grouped: dict[str, list[Section]] = {}
    for section in sections():
        grouped.setdefault(section.water_zh, []).append(section)
    return {w: sorted(members, key=lambda s: (s.km, s.code)) for w, members in grouped.items()}

"""The GB 3838-2002 items the portal knows, read from content/standards/gb3838_limits.csv.

Item codes are the portal's (and the API's) names; the limits, units and names come from the file.
Water temperature has no class limit and is not carried.

Values are compared exactly: `scaled()` turns a concentration into an integer number of
half-units (2 × 10⁹ per mg/L; 2 per count/L for fecal coliform), so half a detection limit and
period sums stay integers and a mean is compared with a limit as `sum ≤ limit × count`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from services.core.settings import CONTENT_DIR

LIMITS_FILE = CONTENT_DIR / "standards" / "gb3838_limits.csv"
GRADES = ("I", "II", "III", "IV", "V", "劣V")  # class 1..6
Direction = Literal["<=", ">=", "range"]
Waterbody = Literal["river", "lake"]

# (table, item number in the table) -> code; the order of this mapping is the portal's item order
CODES: dict[tuple[str, int], str] = {
    ("Table1", 2): "pH", ("Table1", 3): "DO", ("Table1", 4): "CODMn", ("Table1", 5): "COD",
    ("Table1", 6): "BOD5", ("Table1", 7): "NH3_N", ("Table1", 8): "TP", ("Table1", 9): "TN",
    ("Table1", 10): "Cu", ("Table1", 11): "Zn", ("Table1", 12): "F", ("Table1", 13): "Se",
    ("Table1", 14): "As", ("Table1", 15): "Hg", ("Table1", 16): "Cd", ("Table1", 17): "Cr6",
    ("Table1", 18): "Pb", ("Table1", 19): "CN", ("Table1", 20): "phenol",
    ("Table1", 21): "petroleum", ("Table1", 22): "LAS", ("Table1", 23): "sulfide",
    ("Table1", 24): "fecal_coliform",
    ("Table2", 1): "sulfate", ("Table2", 2): "chloride", ("Table2", 3): "nitrate",
    ("Table2", 4): "Fe", ("Table2", 5): "Mn",
}  # fmt: skip
# 环办〔2011〕22号: cyanide and heavy metals that exceed class III come first among main pollutants
PRIORITY_POLLUTANTS = frozenset({"CN", "Hg", "Cd", "Cr6", "Pb", "As", "Cu", "Zn"})
# items whose exceedance is not expressed as a multiple (环办〔2011〕22号: pH, DO)
NO_MULTIPLE = frozenset({"pH", "DO"})
UNITS = {"mg/L": "mg/L", "dimensionless": "", "个/L (count/L)": "count/L"}
HALF_UNITS_PER_MG_L = 2 * 10**9
HALF_UNITS_PER_COUNT = 2


@dataclass(frozen=True)
class Item:
    code: str
    table: int  # 1: basic items (classes I-V), 2: drinking-water source supplementary items
    zh: str
    en: str
    unit: str  # "mg/L", "count/L" or "" (pH)
    direction: Direction
    limits: tuple[Decimal, ...]  # classes I..V (Table 2: one limit repeated)
    lake_limits: tuple[Decimal, ...] | None  # total phosphorus in lakes and reservoirs
    evaluated: bool  # one of the 21 items of the class (环办〔2011〕22号)

    def name(self, lang: str) -> str:
        if lang != "en":
            return self.zh
        return self.en if self.en.startswith("pH") else self.en[:1].upper() + self.en[1:]

    def limits_for(self, waterbody: Waterbody) -> tuple[Decimal, ...]:
        return self.lake_limits if waterbody == "lake" and self.lake_limits else self.limits

    @property
    def half_units(self) -> int:
        """Integer half-units per unit of this item (see the module docstring)."""
        return HALF_UNITS_PER_COUNT if self.unit == "count/L" else HALF_UNITS_PER_MG_L

    def scaled(self, value: Decimal | float | int) -> int:
        """An exact integer of half-units; a float is read as its shortest decimal form."""
        exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
        return int((exact * self.half_units).to_integral_value())

    @property
    def field(self) -> str:
        """The item's name in downloads and the API, with its unit: 'NH3_N_mg/L', 'pH'."""
        return f"{self.code}_{self.unit}" if self.unit else self.code

    @property
    def column(self) -> str:
        """The database column of this item in `water_sample`."""
        return "v_" + self.code.lower()


def _short_name(text: str) -> str:
    """Without a "how it is counted" note: '总磷（以P计）' -> '总磷', 'fluoride (as F-)' ->
    'fluoride'; other notes stay: '铬（六价）', 'ammonia nitrogen (NH3-N)'."""
    return re.sub(r"\s*[（(][^）)]*(以|as |lakes)[^）)]*[）)]", "", text).strip()


@cache
def items() -> tuple[Item, ...]:
    with LIMITS_FILE.open(encoding="utf-8", newline="") as f:
        rows = {(r["table"].split()[0], int(r["item_no"])): r for r in csv.DictReader(f)}
    found = []
    for key, code in CODES.items():
        r = rows[key]
        lake = r["lake_reservoir_I_to_V"].strip()
        limits = tuple(
            Decimal(r[f"class_{c}"].split("-")[0]) if r["direction"] != "range" else Decimal(0)
            for c in ("I", "II", "III", "IV", "V")
        )
        found.append(
            Item(
                code=code,
                table=1 if key[0] == "Table1" else 2,
                zh=_short_name(r["item_zh"]),
                en=_short_name(r["item_en"]),
                unit=UNITS[r["unit"]],
                direction=r["direction"],  # type: ignore[arg-type]
                limits=limits,
                lake_limits=tuple(Decimal(v) for v in lake.split("|")) if lake else None,
                evaluated=r["in_21_evaluation_items_(HuanBan2011_22)"].startswith("yes"),
            )
        )
    return tuple(found)


@cache
def by_code() -> dict[str, Item]:
    return {i.code: i for i in items()}


def evaluated() -> tuple[Item, ...]:
    """The 21 items of a section's class, in the portal's order."""
    return tuple(i for i in items() if i.evaluated)


def drinking_items() -> tuple[Item, ...]:
    """Table 2 supplementary items for centralised drinking-water sources."""
    return tuple(i for i in items() if i.table == 2)


PH_RANGE = (Decimal(6), Decimal(9))  # GB 3838 Table 1: pH 6-9 in every class

"""GB 3838-2002 section class by the single-factor method (环办〔2011〕22号), exactly.

`classify_sample` is the readable reference: one sample (or one set of period means) in exact
fractions. `classify_sums` is the vectorised twin the pages and the API use: integer sums of
half-units and counts per item, so a period mean is compared with a limit as `sum ≤ limit × n`.
A twin test holds them to the same classes.

Rules (content/standards/DECISIONS.md §8):
- the class is the worst class over the 21 evaluated items; worse than class V is 劣V;
- TN and fecal coliform are reported, never classed; lakes and reservoirs use the lake TP limits;
- DO is "≥": a value's class is the best class whose limit it reaches;
- pH outside 6-9 fails every class: the sample is 劣V with pH limiting;
- a value below the detection limit meets every class;
- the limiting items are every evaluated item at the sample's class (none for class I);
- an item worse than class III gets its multiple over the class III limit, (C − S) / S, except pH
  and DO, which 环办〔2011〕22号 does not express as multiples;
- main pollutants: up to three items worse than class III, cyanide and heavy metals first, then
  the worse class, then the larger multiple.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache

import numpy as np

from services.water.items import (
    GRADES,
    NO_MULTIPLE,
    PH_RANGE,
    PRIORITY_POLLUTANTS,
    Item,
    Waterbody,
    by_code,
    evaluated,
)

CLASS_III = 3
WORST = 6  # 劣V
Number = float | int | Decimal | Fraction


def exact(value: Number) -> Fraction:
    """A float is read as the decimal it prints as (0.15 is 15/100, not the nearest binary)."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def item_class(item: Item, value: Fraction, *, waterbody: Waterbody) -> int:
    """The class (1..6) of one item's value."""
    if item.direction == "range":
        low, high = PH_RANGE
        return 1 if low <= value <= high else WORST
    limits = item.limits_for(waterbody)
    if item.direction == ">=":
        return next((k for k, limit in enumerate(limits, 1) if value >= limit), WORST)
    return next((k for k, limit in enumerate(limits, 1) if value <= limit), WORST)


def multiple_over_iii(item: Item, value: Fraction, *, waterbody: Waterbody) -> Fraction | None:
    """(C − S) / S over the class III limit; None for pH and DO."""
    if item.code in NO_MULTIPLE:
        return None
    limit = Fraction(item.limits_for(waterbody)[CLASS_III - 1])
    return (value - limit) / limit


@dataclass(frozen=True)
class SampleClass:
    grade: str  # "I" … "V" or "劣V"
    limiting_items: tuple[str, ...]
    exceedance: dict[str, float]  # item → multiple over class III (items worse than III)
    item_classes: dict[str, int] = field(default_factory=dict)  # evaluated item → 1..6
    multiples: dict[str, Fraction] = field(default_factory=dict)  # exact form of `exceedance`

    @property
    def level(self) -> int:
        return GRADES.index(self.grade) + 1

    @property
    def main_pollutants(self) -> tuple[str, ...]:
        return main_pollutants(self.item_classes, self.multiples)


def main_pollutants(
    item_classes: Mapping[str, int], multiples: Mapping[str, Fraction | float]
) -> tuple[str, ...]:
    """Up to three items worse than class III: cyanide and heavy metals first, then the worse
    class, then the larger multiple (pH and DO, without a multiple, after equal-class items)."""
    worse = [code for code, k in item_classes.items() if k > CLASS_III]
    order = {code: i for i, code in enumerate(by_code())}
    worse.sort(
        key=lambda c: (
            c not in PRIORITY_POLLUTANTS,
            -item_classes[c],
            -multiples.get(c, -1),
            order[c],
        )
    )
    return tuple(worse[:3])


def classify_sample(
    values: Mapping[str, Number | None],
    *,
    waterbody: Waterbody,
    below_dl: Collection[str] = (),
) -> SampleClass:
    """The class of one sample (or of period means) over the evaluated items present."""
    classes: dict[str, int] = {}
    multiples: dict[str, Fraction] = {}
    for item in evaluated():
        raw = values.get(item.code)
        if raw is None:
            continue
        if item.code in below_dl:
            classes[item.code] = 1
            continue
        value = exact(raw)
        classes[item.code] = item_class(item, value, waterbody=waterbody)
        if classes[item.code] > CLASS_III:
            multiple = multiple_over_iii(item, value, waterbody=waterbody)
            if multiple is not None:
                multiples[item.code] = multiple
    grade = max(classes.values(), default=1)
    limiting = tuple(c for c, k in classes.items() if k == grade) if grade > 1 else ()
    return SampleClass(
        grade=GRADES[grade - 1],
        limiting_items=limiting,
        exceedance={c: float(m) for c, m in multiples.items()},
        item_classes=classes,
        multiples=multiples,
    )


# --- vectorised ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    codes: tuple[str, ...]  # the evaluated items, in row order
    upper: np.ndarray  # (n_le, 5) half-units of the "≤" items, rows `le_rows`
    le_rows: np.ndarray
    do_row: int
    do_limits: np.ndarray  # (5,)
    ph_row: int
    ph_range: tuple[int, int]
    tp_row: int  # row within `upper` of TP
    tp_lake: np.ndarray  # (5,)
    class_iii: np.ndarray  # (21,) half-units of the class III limit (river), 0 for pH


@cache
def _limits() -> _Limits:
    items = evaluated()
    codes = tuple(i.code for i in items)
    le = [r for r, i in enumerate(items) if i.direction == "<="]
    do = by_code()["DO"]
    ph = by_code()["pH"]
    tp = by_code()["TP"]
    return _Limits(
        codes=codes,
        upper=np.array([[items[r].scaled(v) for v in items[r].limits] for r in le], np.int64),
        le_rows=np.array(le),
        do_row=codes.index("DO"),
        do_limits=np.array([do.scaled(v) for v in do.limits], np.int64),
        ph_row=codes.index("pH"),
        ph_range=(ph.scaled(PH_RANGE[0]), ph.scaled(PH_RANGE[1])),
        tp_row=le.index(codes.index("TP")),
        tp_lake=np.array([tp.scaled(v) for v in tp.lake_limits or ()], np.int64),
        class_iii=np.array(
            [0 if i.direction == "range" else i.scaled(i.limits[2]) for i in items], np.int64
        ),
    )


def evaluated_codes() -> tuple[str, ...]:
    """Row order of the matrices `classify_sums` reads and returns."""
    return _limits().codes


@dataclass(frozen=True)
class Classes:
    grade: np.ndarray  # (n,) int8, 1..6; 1 when nothing was measured
    item_class: np.ndarray  # (21, n) int8, 0 = not measured

    @property
    def limiting(self) -> np.ndarray:
        """(21, n) bool: the items at the sample's class (none for class I)."""
        return (self.item_class == self.grade) & (self.grade > 1)


def classify_sums(sums: np.ndarray, counts: np.ndarray | None, *, lake: np.ndarray) -> Classes:
    """Classes of n samples or period means.

    `sums`: (21, n) int64 half-units per evaluated item (rows in `evaluated_codes()` order);
    `counts`: (21, n) int64 values per sum, 0 = not measured (None: every sum is one value);
    `lake`: (n,) bool, lakes and reservoirs. A below-detection value is passed as 0.
    """
    lim = _limits()
    n = sums.shape[1]
    item_class = np.ones((len(lim.codes), n), dtype=np.int8)
    le = sums[lim.le_rows]
    if counts is None:
        scale_le = None
        scale_do = scale_ph = 1
    else:
        scale_le = counts[lim.le_rows]
        scale_do, scale_ph = counts[lim.do_row], counts[lim.ph_row]
    # "≤" items: one class worse for every limit exceeded; TP of lakes against the lake column
    le_class = item_class[lim.le_rows]
    for k in range(5):
        bound = lim.upper[:, k, None]
        le_class += le > (bound if scale_le is None else bound * scale_le)
    tp = lim.le_rows[lim.tp_row]
    tp_class = np.ones(n, dtype=np.int8)
    for k in range(5):
        bound = np.where(lake, lim.tp_lake[k], lim.upper[lim.tp_row, k])
        tp_class += sums[tp] > (bound if scale_le is None else bound * scale_le[lim.tp_row])
    le_class[lim.tp_row] = tp_class
    item_class[lim.le_rows] = le_class
    # DO: one class worse for every limit not reached
    do = sums[lim.do_row]
    do_class = item_class[lim.do_row]
    for k in range(5):
        do_class += do < lim.do_limits[k] * scale_do
    # pH: inside 6-9 or 劣V
    ph = sums[lim.ph_row]
    low, high = lim.ph_range
    inside = (ph >= low * scale_ph) & (ph <= high * scale_ph)
    item_class[lim.ph_row] = np.where(inside, 1, WORST)
    if counts is not None:
        item_class[counts == 0] = 0
    return Classes(grade=np.maximum(item_class.max(axis=0), 1), item_class=item_class)

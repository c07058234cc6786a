"""Exact AQI under HJ 633-2012 and HJ 633-2026 (content/standards/DECISIONS.md §2-§7).

`compute_aqi(concentrations, report=..., standard=...)` is the correctness contract of
the portal's AQI: keys like ``PM2_5_24H``; µg/m³ (CO mg/m³); values as str, Decimal, int or
float. All arithmetic is on Fractions: no float ever reaches a ceiling.

The indicators computed are those of the report that the caller supplies. A supplied key whose
value is None, NaN or empty is a missing measurement: then the AQI is published only above 100
(decision §6), otherwise it is "NA" (None) with the sub-indices still given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

from services.air.standards import STANDARDS, Category, Standard, category_of, level_of, segments

Report = Literal["daily", "realtime"]
REPORTS: tuple[Report, ...] = ("daily", "realtime")
KEYS = (
    "SO2_24H", "SO2_1H", "NO2_24H", "NO2_1H", "CO_24H", "CO_1H",
    "O3_1H", "O3_8H", "PM10_24H", "PM10_1H", "PM2_5_24H", "PM2_5_1H",
)  # fmt: skip
POLLUTANT_OF = {key: key.rsplit("_", 1)[0].replace("PM2_5", "PM2.5") for key in KEYS}
IAQI_MAX = 500
SPECIAL_THRESHOLD = Fraction(800)  # SO2 1h and O3 8h above 800 µg/m³: HJ 633 table notes


@dataclass(frozen=True)
class Indicator:
    key: str  # the input key whose concentration is used
    pollutant: str  # breakpoint table: SO2, NO2, CO, O3, PM10, PM2.5
    averaging: str  # breakpoint table: 1h, 8h, 24h


def _indicator(key: str, averaging: str | None = None) -> Indicator:
    return Indicator(key, POLLUTANT_OF[key], averaging or key.rsplit("_", 1)[1].lower())


# The indicators of each report (HJ 633-2012 §5-6; HJ 633-2026 Tables 1-3).
INDICATORS: dict[tuple[Standard, Report], tuple[Indicator, ...]] = {
    # 2012 daily: 24h means, O3 daily max 1h and daily max 8h
    ("HJ633-2012", "daily"): tuple(
        _indicator(k)
        for k in ("SO2_24H", "NO2_24H", "CO_24H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H")
    ),
    # 2026 daily: O3 only as daily max 8h
    ("HJ633-2026", "daily"): tuple(
        _indicator(k) for k in ("SO2_24H", "NO2_24H", "CO_24H", "O3_8H", "PM10_24H", "PM2_5_24H")
    ),
    # 2012 real time: 1h values, O3 8h moving mean, PM on their 24h moving means
    ("HJ633-2012", "realtime"): tuple(
        _indicator(k)
        for k in ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H")
    ),
    # 2026 real time: six 1h means; PM 1h on the 24h (daily) breakpoints
    ("HJ633-2026", "realtime"): (
        *(_indicator(k) for k in ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H")),
        _indicator("PM10_1H", "24h"),
        _indicator("PM2_5_1H", "24h"),
    ),
}


@dataclass(frozen=True)
class AqiResult:
    aqi: int | None  # None: "NA" (decision §6)
    iaqi: dict[str, int]
    primary_pollutants: tuple[str, ...]
    level: int
    category: Category
    beyond_scale: bool
    standard: Standard
    report: Report
    over_standard: tuple[str, ...] = ()  # HJ 633-2012 only: IAQI > 100
    missing: tuple[str, ...] = ()


def parse_concentration(value: object) -> Fraction | None:
    """An exact value from str/Decimal/int/float; None, '' and NaN mean missing."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"not a concentration: {value!r}")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        value = repr(value)  # the shortest decimal that round-trips: 2.2 stays 2.2
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = Decimal(value.strip())
        except InvalidOperation as error:
            raise ValueError(f"not a number: {value!r}") from error
    if isinstance(value, Decimal):
        if value.is_nan():
            return None
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
    if not isinstance(value, int | Decimal):
        raise ValueError(f"not a concentration: {value!r}")
    exact = Fraction(value)
    if exact < 0:
        raise ValueError(f"a concentration cannot be negative: {value!r}")
    return exact


def round_input_2026(key: str, value: Fraction) -> Fraction:
    """HJ 633-2026: inputs rounded first, half to even (GB/T 8170), on the decimal value."""
    places = Decimal("0.1") if POLLUTANT_OF[key] == "CO" else Decimal("1")
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return Fraction(decimal.quantize(places, rounding=ROUND_HALF_EVEN))


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def sub_index(
    standard: Standard, pollutant: str, averaging: str, concentration: Fraction
) -> tuple[int, bool]:
    """IAQI by HJ 633 formula (1), rounded up; above the table: 500 and a beyond-scale flag."""
    table = segments(standard, pollutant, averaging)
    for seg in table:
        if concentration <= seg.c_high:
            exact = (
                Fraction(seg.i_high - seg.i_low, 1)
                / (seg.c_high - seg.c_low)
                * (concentration - seg.c_low)
                + seg.i_low
            )
            return _ceil(exact), False
    return IAQI_MAX, True  # decision §7: beyond the IAQI-500 breakpoint


def _indicator_iaqi(
    indicator: Indicator,
    values: Mapping[str, Fraction],
    standard: Standard,
) -> tuple[int, bool] | None:
    concentration = values.get(indicator.key)
    if concentration is None:
        return None
    special = (indicator.pollutant, indicator.averaging) in {("SO2", "1h"), ("O3", "8h")}
    if special and concentration > SPECIAL_THRESHOLD:
        if standard == "HJ633-2026":
            # HJ 633-2026 Table 3 notes b, c: SO2 1h > 800 gives 200; O3 8h > 800 gives 300
            return (200 if indicator.pollutant == "SO2" else 300), False
        # HJ 633-2012 Table 1 notes 2, 3: SO2 from its 24h mean; O3 from its 1h value
        fallback = "SO2_24H" if indicator.pollutant == "SO2" else "O3_1H"
        stand_in = values.get(fallback)
        if stand_in is None:
            return None
        averaging = "24h" if indicator.pollutant == "SO2" else "1h"
        return sub_index(standard, indicator.pollutant, averaging, stand_in)
    return sub_index(standard, indicator.pollutant, indicator.averaging, concentration)


def compute_aqi(concentrations: Mapping[str, object], *, report: str, standard: str) -> AqiResult:
    if standard not in STANDARDS:
        raise ValueError(f"unknown standard {standard!r}; expected one of {STANDARDS}")
    if report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; expected one of {REPORTS}")
    unknown = set(concentrations) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown concentration keys: {sorted(unknown)}")
    std: Standard = standard  # type: ignore[assignment]
    rep: Report = report  # type: ignore[assignment]

    values: dict[str, Fraction] = {}
    for key, raw in concentrations.items():
        exact = parse_concentration(raw)
        if exact is not None:
            values[key] = round_input_2026(key, exact) if std == "HJ633-2026" else exact

    # A key given without a value (None, NaN, "") is a missing measurement (decision §6); a key
    # not given at all is not part of this calculation.
    iaqi: dict[str, int] = {}
    beyond = False
    missing: list[str] = []
    for indicator in INDICATORS[(std, rep)]:
        if indicator.key not in concentrations:
            continue
        found = _indicator_iaqi(indicator, values, std)
        if found is None:
            missing.append(indicator.key)
            continue
        iaqi[indicator.key], flagged = found
        beyond = beyond or flagged
    return _summarise(iaqi, tuple(missing), beyond, std, rep)


def _summarise(
    iaqi: dict[str, int], missing: tuple[str, ...], beyond: bool, std: Standard, rep: Report
) -> AqiResult:
    top = max(iaqi.values(), default=0)
    # decision §6 (HJ 633-2026 rule, applied to both): with pollutants missing, publish only > 100
    aqi = top if iaqi and (not missing or top > 100) else None
    # decision §5: primary pollutant(s) only when AQI > 50, every one at the maximum
    primary = tuple(k for k, v in iaqi.items() if v == top) if aqi is not None and aqi > 50 else ()
    over = tuple(k for k, v in iaqi.items() if v > 100) if std == "HJ633-2012" else ()
    return AqiResult(
        aqi=aqi,
        iaqi=iaqi,
        primary_pollutants=primary,
        level=level_of(top),
        category=category_of(top, std),
        beyond_scale=beyond,
        standard=std,
        report=rep,
        over_standard=over,
        missing=missing,
    )

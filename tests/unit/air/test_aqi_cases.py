"""Independent test oracle for ``services.air.aqi.compute_aqi`` (HJ 633-2012 and HJ 633-2026).

Every expected value in this file is written out literally. The values were derived by hand from
``content/standards/aqi_breakpoints.csv``, decisions 1-7 in ``content/standards/DECISIONS.md``
and the contract in the docstring of ``services/air/aqi.py``, using exact (rational) arithmetic:

    IAQI = ceil((C - BP_lo) * (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) + IAQI_lo)

The comment above each case shows the arithmetic. Nothing here reads or mirrors the
implementation's internals; the only thing imported from it is ``compute_aqi`` itself.

Most single-indicator cases pass the tested concentration together with "0" for every other
indicator of that standard/report (``with_zeros``), so the input is complete (decision 6 does
not apply) and AQI, level, category and primary pollutant follow from the one sub-index.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

S12 = "HJ633-2012"
S26 = "HJ633-2026"
DAILY = "daily"
REALTIME = "realtime"

CATEGORY_BY_LEVEL = {
    1: "优",
    2: "良",
    3: "轻度污染",
    4: "中度污染",
    5: "重度污染",
    6: "严重污染",
}

# The indicators each standard/report uses (HJ 633-2012 and HJ 633-2026).
INDICATORS = {
    (S12, DAILY): ("SO2_24H", "NO2_24H", "CO_24H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S26, DAILY): ("SO2_24H", "NO2_24H", "CO_24H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S12, REALTIME): ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S26, REALTIME): ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "PM10_1H", "PM2_5_1H"),
}

WORKED_CSV = (
    Path(__file__).resolve().parents[3] / "content" / "standards" / "aqi_worked_examples.csv"
)


def compute(concentrations, *, report, standard):
    """Call the implementation (imported lazily so the CSV transcription check runs alone)."""
    from services.air.aqi import compute_aqi

    return compute_aqi(dict(concentrations), report=report, standard=standard)


def with_zeros(standard, report, **overrides):
    """A complete input: "0" for every indicator of standard/report, then the overrides."""
    values = dict.fromkeys(INDICATORS[(standard, report)], "0")
    values.update(overrides)
    return values


def category_words(category) -> set[str]:
    """Lenient category lookup, the one place this oracle is lenient about the result's shape.

    The contract does not fix the type of ``category``: accept the value itself / ``str(category)``
    (a plain str), an attribute ``.zh``, or an enum-style ``.value`` that is a str.
    """
    words = {str(category)}
    for attribute in ("zh", "value"):
        value = getattr(category, attribute, None)
        if isinstance(value, str):
            words.add(value)
    return words


class NonEmptySubsetOf(frozenset):
    """Expected primary pollutants when the contract leaves the choice open (see AQ08)."""


def check(result, *, iaqi, aqi, level=None, primary=None, beyond=None):
    for key, value in iaqi.items():
        assert key in result.iaqi, f"sub-index {key} missing from {result.iaqi}"
        assert result.iaqi[key] == value, f"{key}: expected {value}, got {result.iaqi[key]}"
    if aqi is None:
        assert result.aqi is None, f"expected NA (None), got {result.aqi}"
    else:
        assert result.aqi == aqi, f"AQI: expected {aqi}, got {result.aqi}"
    if level is not None:
        assert result.level == level, f"level: expected {level}, got {result.level}"
        word = CATEGORY_BY_LEVEL[level]
        assert word in category_words(result.category), f"category {result.category!r} != {word}"
    if primary is not None:
        got = set(result.primary_pollutants)
        assert len(got) == len(result.primary_pollutants), result.primary_pollutants
        if isinstance(primary, NonEmptySubsetOf):
            assert got, "expected at least one primary pollutant"
            assert got <= primary, f"primary {got} not within {set(primary)}"
        else:
            assert got == set(primary), f"primary: expected {set(primary)}, got {got}"
    if beyond is not None:
        assert result.beyond_scale is beyond, f"beyond_scale: expected {beyond}"


# each case table row: (test id, *the test's arguments)
SINGLE = ("standard", "report", "key", "value", "expected", "level")


def named(rows: list[tuple]) -> list:
    return [pytest.param(*row[1:], id=row[0]) for row in rows]


def check_single(standard, report, key, value, expected_iaqi, level, beyond=False):
    """One indicator at `value`, all other indicators 0: AQI == that sub-index."""
    result = compute(with_zeros(standard, report, **{key: value}), report=report, standard=standard)
    check(
        result,
        iaqi={key: expected_iaqi},
        aqi=expected_iaqi,
        level=level,
        primary={key} if expected_iaqi > 50 else set(),
        beyond=beyond,
    )


# ---------------------------------------------------------------------------------------------
# 1. The 12 worked examples (content/standards/aqi_worked_examples.csv), transcribed literally.
#    AQ06, AQ09 and AQ11 give fewer than all indicators and their AQI is <= 100, so under
#    decision 6 the published AQI would be NA. To check the CSV's AQI/category/primary anyway,
#    the missing indicators are added as 0 ("padding"), which cannot change the maximum; the
#    as-given partial inputs are checked (NA + sub-indices) in the missing-data tests below.
# ---------------------------------------------------------------------------------------------

WORKED = [
    # id, standard, report, inputs, padding, iaqi, aqi, category, primary
    (
        "AQ01",
        S12,
        DAILY,
        {
            "SO2_24H": "10",
            "NO2_24H": "45",
            "PM10_24H": "120",
            "CO_24H": "1.2",
            "O3_1H": "150",
            "O3_8H": "130",
            "PM2_5_24H": "80",
        },
        {},
        {
            "SO2_24H": 10,
            "NO2_24H": 57,
            "PM10_24H": 85,
            "CO_24H": 30,
            "O3_1H": 47,
            "O3_8H": 75,
            "PM2_5_24H": 107,
        },
        107,
        "轻度污染",
        {"PM2_5_24H"},
    ),
    (
        "AQ02",
        S26,
        DAILY,
        {
            "SO2_24H": "10",
            "NO2_24H": "45",
            "PM10_24H": "120",
            "CO_24H": "1.2",
            "O3_8H": "130",
            "PM2_5_24H": "80",
        },
        {},
        {
            "SO2_24H": 10,
            "NO2_24H": 57,
            "PM10_24H": 100,
            "CO_24H": 30,
            "O3_8H": 75,
            "PM2_5_24H": 119,
        },
        119,
        "轻度污染",
        {"PM2_5_24H"},
    ),
    (
        "AQ03",
        S12,
        DAILY,
        {
            "SO2_24H": "10",
            "NO2_24H": "20",
            "PM10_24H": "150",
            "CO_24H": "0.5",
            "O3_1H": "100",
            "O3_8H": "80",
            "PM2_5_24H": "75",
        },
        {},
        {
            "SO2_24H": 10,
            "NO2_24H": 25,
            "PM10_24H": 100,
            "CO_24H": 13,
            "O3_1H": 32,
            "O3_8H": 40,
            "PM2_5_24H": 100,
        },
        100,
        "良",
        {"PM10_24H", "PM2_5_24H"},
    ),
    (
        "AQ04",
        S26,
        DAILY,
        {
            "SO2_24H": "10",
            "NO2_24H": "20",
            "PM10_24H": "150",
            "CO_24H": "0.5",
            "O3_8H": "80",
            "PM2_5_24H": "75",
        },
        {},
        {
            "SO2_24H": 10,
            "NO2_24H": 25,
            "PM10_24H": 112,
            "CO_24H": 13,
            "O3_8H": 40,
            "PM2_5_24H": 114,
        },
        114,
        "轻度污染",
        {"PM2_5_24H"},
    ),
    (
        "AQ05",
        S26,
        DAILY,
        {
            "SO2_24H": "5",
            "NO2_24H": "20",
            "PM10_24H": "40",
            "CO_24H": "0.4",
            "O3_8H": "60",
            "PM2_5_24H": "30",
        },
        {},
        {
            "SO2_24H": 5,
            "NO2_24H": 25,
            "PM10_24H": 40,
            "CO_24H": 10,
            "O3_8H": 30,
            "PM2_5_24H": 43,
        },
        43,
        "优",
        set(),
    ),
    (
        "AQ06",
        S12,
        DAILY,
        {"PM2_5_24H": "35.1", "PM10_24H": "30", "NO2_24H": "20"},
        {"SO2_24H": "0", "CO_24H": "0", "O3_1H": "0", "O3_8H": "0"},
        {"PM2_5_24H": 51, "PM10_24H": 30, "NO2_24H": 25},
        51,
        "良",
        {"PM2_5_24H"},
    ),
    (
        "AQ07",
        S12,
        REALTIME,
        {
            "SO2_1H": "900",
            "SO2_24H": "300",
            "NO2_1H": "80",
            "CO_1H": "0.8",
            "O3_1H": "60",
            "O3_8H": "50",
            "PM10_24H": "60",
            "PM2_5_24H": "40",
        },
        {},
        {
            "SO2_1H": 124,
            "NO2_1H": 40,
            "CO_1H": 8,
            "O3_1H": 19,
            "O3_8H": 25,
            "PM10_24H": 55,
            "PM2_5_24H": 57,
        },
        124,
        "轻度污染",
        {"SO2_1H"},
    ),
    (
        # O3_8H > 800: the O3 sub-index comes from O3_1H and is reported under O3_8H too, so
        # O3_1H and O3_8H tie at 375. The CSV says "O3"; accept either O3 key or both.
        "AQ08",
        S12,
        DAILY,
        {"O3_8H": "850", "O3_1H": "950", "PM2_5_24H": "50", "NO2_24H": "30"},
        {},
        {"O3_1H": 375, "O3_8H": 375, "PM2_5_24H": 69, "NO2_24H": 38},
        375,
        "严重污染",
        NonEmptySubsetOf({"O3_1H", "O3_8H"}),
    ),
    (
        "AQ09",
        S12,
        REALTIME,
        {
            "PM2_5_1H": "120",
            "PM2_5_24H": "70",
            "PM10_1H": "150",
            "PM10_24H": "90",
            "NO2_1H": "60",
        },
        {"SO2_1H": "0", "CO_1H": "0", "O3_1H": "0", "O3_8H": "0"},
        {"PM2_5_24H": 94, "PM10_24H": 70, "NO2_1H": 30},
        94,
        "良",
        {"PM2_5_24H"},
    ),
    (
        "AQ10",
        S26,
        REALTIME,
        {
            "SO2_1H": "120",
            "NO2_1H": "140",
            "CO_1H": "12.5",
            "O3_1H": "230",
            "PM10_1H": "260",
            "PM2_5_1H": "95",
        },
        {},
        {
            "SO2_1H": 40,
            "NO2_1H": 70,
            "CO_1H": 105,
            "O3_1H": 115,
            "PM10_1H": 155,
            "PM2_5_1H": 132,
        },
        155,
        "中度污染",
        {"PM10_1H"},
    ),
    (
        "AQ11",
        S12,
        DAILY,
        {"CO_24H": "2.2"},
        {
            "SO2_24H": "0",
            "NO2_24H": "0",
            "O3_1H": "0",
            "O3_8H": "0",
            "PM10_24H": "0",
            "PM2_5_24H": "0",
        },
        {"CO_24H": 55},
        55,
        "良",
        {"CO_24H"},
    ),
    (
        "AQ12",
        S26,
        REALTIME,
        {
            "PM2_5_1H": "250",
            "PM10_1H": "350",
            "SO2_1H": "650",
            "NO2_1H": "700",
            "CO_1H": "35",
            "O3_1H": "300",
        },
        {},
        {
            "PM2_5_1H": 300,
            "PM10_1H": 200,
            "SO2_1H": 150,
            "NO2_1H": 150,
            "CO_1H": 150,
            "O3_1H": 150,
        },
        300,
        "重度污染",
        {"PM2_5_1H"},
    ),
]

LEVEL_BY_CATEGORY = {word: level for level, word in CATEGORY_BY_LEVEL.items()}


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "padding", "iaqi", "aqi", "category", "primary"),
    named(WORKED),
)
def test_worked_example_matches_published_values(
    standard, report, inputs, padding, iaqi, aqi, category, primary
):
    result = compute({**inputs, **padding}, report=report, standard=standard)
    check(
        result,
        iaqi=iaqi,
        aqi=aqi,
        level=LEVEL_BY_CATEGORY[category],
        primary=primary,
        beyond=False,
    )
    assert category in category_words(result.category)


def test_worked_examples_transcription_agrees_with_csv():
    """Guards the transcription above (ids, standard, report, AQI, category) against the file."""
    with WORKED_CSV.open(encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == [row[0] for row in WORKED]
    for case_id, standard, report, _inputs, _pad, _iaqi, aqi, category, _primary in WORKED:
        row = rows[case_id]
        assert (row["standard"], row["report_mode"]) == (standard, report), case_id
        assert int(row["aqi"]) == aqi, case_id
        assert row["category"] == category, case_id


# ---------------------------------------------------------------------------------------------
# 2. Every breakpoint segment of every table: a concentration inside the segment (ceiling).
#    Tables shared by both standards alternate between the standards/reports that use them.
#    Row: id, standard, report, key, concentration, expected IAQI (= AQI), level.
# ---------------------------------------------------------------------------------------------

SEGMENT_CASES = [
    # SO2 24h (30-0)*(50-0)/(50-0)+0 = 30 -> 30
    ("2012-daily-SO2_24H-seg1-30", S12, DAILY, "SO2_24H", "30", 30, 1),
    # SO2 24h (101-50)*(100-50)/(150-50)+50 = 75.5 -> 76
    ("2026-daily-SO2_24H-seg2-101", S26, DAILY, "SO2_24H", "101", 76, 2),
    # SO2 24h (312-150)*(150-100)/(475-150)+100 = 124.923 -> 125
    ("2012-daily-SO2_24H-seg3-312", S12, DAILY, "SO2_24H", "312", 125, 3),
    # SO2 24h (637-475)*(200-150)/(800-475)+150 = 174.923 -> 175
    ("2026-daily-SO2_24H-seg4-637", S26, DAILY, "SO2_24H", "637", 175, 4),
    # SO2 24h (1201-800)*(300-200)/(1600-800)+200 = 250.125 -> 251
    ("2012-daily-SO2_24H-seg5-1201", S12, DAILY, "SO2_24H", "1201", 251, 5),
    # SO2 24h (1851-1600)*(400-300)/(2100-1600)+300 = 350.2 -> 351
    ("2026-daily-SO2_24H-seg6-1851", S26, DAILY, "SO2_24H", "1851", 351, 6),
    # SO2 24h (2361-2100)*(500-400)/(2620-2100)+400 = 450.192 -> 451
    ("2012-daily-SO2_24H-seg7-2361", S12, DAILY, "SO2_24H", "2361", 451, 6),
    # SO2 1h (76-0)*(50-0)/(150-0)+0 = 25.3333 -> 26
    ("2012-realtime-SO2_1H-seg1-76", S12, REALTIME, "SO2_1H", "76", 26, 1),
    # SO2 1h (326-150)*(100-50)/(500-150)+50 = 75.1429 -> 76
    ("2026-realtime-SO2_1H-seg2-326", S26, REALTIME, "SO2_1H", "326", 76, 2),
    # SO2 1h (576-500)*(150-100)/(650-500)+100 = 125.333 -> 126
    ("2012-realtime-SO2_1H-seg3-576", S12, REALTIME, "SO2_1H", "576", 126, 3),
    # SO2 1h (726-650)*(200-150)/(800-650)+150 = 175.333 -> 176
    ("2026-realtime-SO2_1H-seg4-726", S26, REALTIME, "SO2_1H", "726", 176, 4),
    # NO2 24h (21-0)*(50-0)/(40-0)+0 = 26.25 -> 27
    ("2012-daily-NO2_24H-seg1-21", S12, DAILY, "NO2_24H", "21", 27, 1),
    # NO2 24h (61-40)*(100-50)/(80-40)+50 = 76.25 -> 77
    ("2026-daily-NO2_24H-seg2-61", S26, DAILY, "NO2_24H", "61", 77, 2),
    # NO2 24h (131-80)*(150-100)/(180-80)+100 = 125.5 -> 126
    ("2012-daily-NO2_24H-seg3-131", S12, DAILY, "NO2_24H", "131", 126, 3),
    # NO2 24h (231-180)*(200-150)/(280-180)+150 = 175.5 -> 176
    ("2026-daily-NO2_24H-seg4-231", S26, DAILY, "NO2_24H", "231", 176, 4),
    # NO2 24h (422-280)*(300-200)/(565-280)+200 = 249.825 -> 250
    ("2012-daily-NO2_24H-seg5-422", S12, DAILY, "NO2_24H", "422", 250, 5),
    # NO2 24h (657-565)*(400-300)/(750-565)+300 = 349.73 -> 350
    ("2026-daily-NO2_24H-seg6-657", S26, DAILY, "NO2_24H", "657", 350, 6),
    # NO2 24h (846-750)*(500-400)/(940-750)+400 = 450.526 -> 451
    ("2012-daily-NO2_24H-seg7-846", S12, DAILY, "NO2_24H", "846", 451, 6),
    # NO2 1h (51-0)*(50-0)/(100-0)+0 = 25.5 -> 26
    ("2012-realtime-NO2_1H-seg1-51", S12, REALTIME, "NO2_1H", "51", 26, 1),
    # NO2 1h (151-100)*(100-50)/(200-100)+50 = 75.5 -> 76
    ("2026-realtime-NO2_1H-seg2-151", S26, REALTIME, "NO2_1H", "151", 76, 2),
    # NO2 1h (451-200)*(150-100)/(700-200)+100 = 125.1 -> 126
    ("2012-realtime-NO2_1H-seg3-451", S12, REALTIME, "NO2_1H", "451", 126, 3),
    # NO2 1h (951-700)*(200-150)/(1200-700)+150 = 175.1 -> 176
    ("2026-realtime-NO2_1H-seg4-951", S26, REALTIME, "NO2_1H", "951", 176, 4),
    # NO2 1h (1771-1200)*(300-200)/(2340-1200)+200 = 250.088 -> 251
    ("2012-realtime-NO2_1H-seg5-1771", S12, REALTIME, "NO2_1H", "1771", 251, 5),
    # NO2 1h (2716-2340)*(400-300)/(3090-2340)+300 = 350.133 -> 351
    ("2026-realtime-NO2_1H-seg6-2716", S26, REALTIME, "NO2_1H", "2716", 351, 6),
    # NO2 1h (3466-3090)*(500-400)/(3840-3090)+400 = 450.133 -> 451
    ("2012-realtime-NO2_1H-seg7-3466", S12, REALTIME, "NO2_1H", "3466", 451, 6),
    # CO 24h (1.1-0)*(50-0)/(2-0)+0 = 27.5 -> 28
    ("2012-daily-CO_24H-seg1-1.1", S12, DAILY, "CO_24H", "1.1", 28, 1),
    # CO 24h (3.1-2)*(100-50)/(4-2)+50 = 77.5 -> 78
    ("2026-daily-CO_24H-seg2-3.1", S26, DAILY, "CO_24H", "3.1", 78, 2),
    # CO 24h (9.1-4)*(150-100)/(14-4)+100 = 125.5 -> 126
    ("2012-daily-CO_24H-seg3-9.1", S12, DAILY, "CO_24H", "9.1", 126, 3),
    # CO 24h (19.1-14)*(200-150)/(24-14)+150 = 175.5 -> 176
    ("2026-daily-CO_24H-seg4-19.1", S26, DAILY, "CO_24H", "19.1", 176, 4),
    # CO 24h (30.1-24)*(300-200)/(36-24)+200 = 250.833 -> 251
    ("2012-daily-CO_24H-seg5-30.1", S12, DAILY, "CO_24H", "30.1", 251, 5),
    # CO 24h (42.1-36)*(400-300)/(48-36)+300 = 350.833 -> 351
    ("2026-daily-CO_24H-seg6-42.1", S26, DAILY, "CO_24H", "42.1", 351, 6),
    # CO 24h (54.1-48)*(500-400)/(60-48)+400 = 450.833 -> 451
    ("2012-daily-CO_24H-seg7-54.1", S12, DAILY, "CO_24H", "54.1", 451, 6),
    # CO 1h (3-0)*(50-0)/(5-0)+0 = 30 -> 30
    ("2012-realtime-CO_1H-seg1-3", S12, REALTIME, "CO_1H", "3", 30, 1),
    # CO 1h (8-5)*(100-50)/(10-5)+50 = 80 -> 80
    ("2026-realtime-CO_1H-seg2-8", S26, REALTIME, "CO_1H", "8", 80, 2),
    # CO 1h (22.6-10)*(150-100)/(35-10)+100 = 125.2 -> 126
    ("2012-realtime-CO_1H-seg3-22.6", S12, REALTIME, "CO_1H", "22.6", 126, 3),
    # CO 1h (47.6-35)*(200-150)/(60-35)+150 = 175.2 -> 176
    ("2026-realtime-CO_1H-seg4-47.6", S26, REALTIME, "CO_1H", "47.6", 176, 4),
    # CO 1h (75.1-60)*(300-200)/(90-60)+200 = 250.333 -> 251
    ("2012-realtime-CO_1H-seg5-75.1", S12, REALTIME, "CO_1H", "75.1", 251, 5),
    # CO 1h (105.1-90)*(400-300)/(120-90)+300 = 350.333 -> 351
    ("2026-realtime-CO_1H-seg6-105.1", S26, REALTIME, "CO_1H", "105.1", 351, 6),
    # CO 1h (135.1-120)*(500-400)/(150-120)+400 = 450.333 -> 451
    ("2012-realtime-CO_1H-seg7-135.1", S12, REALTIME, "CO_1H", "135.1", 451, 6),
    # O3 1h (81-0)*(50-0)/(160-0)+0 = 25.3125 -> 26
    ("2012-daily-O3_1H-seg1-81", S12, DAILY, "O3_1H", "81", 26, 1),
    # O3 1h (181-160)*(100-50)/(200-160)+50 = 76.25 -> 77
    ("2012-realtime-O3_1H-seg2-181", S12, REALTIME, "O3_1H", "181", 77, 2),
    # O3 1h (251-200)*(150-100)/(300-200)+100 = 125.5 -> 126
    ("2026-realtime-O3_1H-seg3-251", S26, REALTIME, "O3_1H", "251", 126, 3),
    # O3 1h (351-300)*(200-150)/(400-300)+150 = 175.5 -> 176
    ("2012-daily-O3_1H-seg4-351", S12, DAILY, "O3_1H", "351", 176, 4),
    # O3 1h (601-400)*(300-200)/(800-400)+200 = 250.25 -> 251
    ("2012-realtime-O3_1H-seg5-601", S12, REALTIME, "O3_1H", "601", 251, 5),
    # O3 1h (901-800)*(400-300)/(1000-800)+300 = 350.5 -> 351
    ("2026-realtime-O3_1H-seg6-901", S26, REALTIME, "O3_1H", "901", 351, 6),
    # O3 1h (1101-1000)*(500-400)/(1200-1000)+400 = 450.5 -> 451
    ("2012-daily-O3_1H-seg7-1101", S12, DAILY, "O3_1H", "1101", 451, 6),
    # O3 8h (51-0)*(50-0)/(100-0)+0 = 25.5 -> 26
    ("2012-daily-O3_8H-seg1-51", S12, DAILY, "O3_8H", "51", 26, 1),
    # O3 8h (131-100)*(100-50)/(160-100)+50 = 75.8333 -> 76
    ("2012-realtime-O3_8H-seg2-131", S12, REALTIME, "O3_8H", "131", 76, 2),
    # O3 8h (187-160)*(150-100)/(215-160)+100 = 124.545 -> 125
    ("2026-daily-O3_8H-seg3-187", S26, DAILY, "O3_8H", "187", 125, 3),
    # O3 8h (245-215)*(200-150)/(265-215)+150 = 180 -> 180
    ("2012-daily-O3_8H-seg4-245", S12, DAILY, "O3_8H", "245", 180, 4),
    # O3 8h (532-265)*(300-200)/(800-265)+200 = 249.907 -> 250
    ("2012-realtime-O3_8H-seg5-532", S12, REALTIME, "O3_8H", "532", 250, 5),
    # PM10 (2012) (30-0)*(50-0)/(50-0)+0 = 30 -> 30
    ("2012-daily-PM10_24H-seg1-30", S12, DAILY, "PM10_24H", "30", 30, 1),
    # PM10 (2012) (101-50)*(100-50)/(150-50)+50 = 75.5 -> 76
    ("2012-realtime-PM10_24H-seg2-101", S12, REALTIME, "PM10_24H", "101", 76, 2),
    # PM10 (2012) (201-150)*(150-100)/(250-150)+100 = 125.5 -> 126
    ("2012-daily-PM10_24H-seg3-201", S12, DAILY, "PM10_24H", "201", 126, 3),
    # PM10 (2012) (301-250)*(200-150)/(350-250)+150 = 175.5 -> 176
    ("2012-realtime-PM10_24H-seg4-301", S12, REALTIME, "PM10_24H", "301", 176, 4),
    # PM10 (2012) (386-350)*(300-200)/(420-350)+200 = 251.429 -> 252
    ("2012-daily-PM10_24H-seg5-386", S12, DAILY, "PM10_24H", "386", 252, 5),
    # PM10 (2012) (461-420)*(400-300)/(500-420)+300 = 351.25 -> 352
    ("2012-realtime-PM10_24H-seg6-461", S12, REALTIME, "PM10_24H", "461", 352, 6),
    # PM10 (2012) (555-500)*(500-400)/(600-500)+400 = 455 -> 455
    ("2012-daily-PM10_24H-seg7-555", S12, DAILY, "PM10_24H", "555", 455, 6),
    # PM2.5 (2012) (17-0)*(50-0)/(35-0)+0 = 24.2857 -> 25
    ("2012-daily-PM2_5_24H-seg1-17", S12, DAILY, "PM2_5_24H", "17", 25, 1),
    # PM2.5 (2012) (56-35)*(100-50)/(75-35)+50 = 76.25 -> 77
    ("2012-realtime-PM2_5_24H-seg2-56", S12, REALTIME, "PM2_5_24H", "56", 77, 2),
    # PM2.5 (2012) (96-75)*(150-100)/(115-75)+100 = 126.25 -> 127
    ("2012-daily-PM2_5_24H-seg3-96", S12, DAILY, "PM2_5_24H", "96", 127, 3),
    # PM2.5 (2012) (132-115)*(200-150)/(150-115)+150 = 174.286 -> 175
    ("2012-realtime-PM2_5_24H-seg4-132", S12, REALTIME, "PM2_5_24H", "132", 175, 4),
    # PM2.5 (2012) (205-150)*(300-200)/(250-150)+200 = 255 -> 255
    ("2012-daily-PM2_5_24H-seg5-205", S12, DAILY, "PM2_5_24H", "205", 255, 5),
    # PM2.5 (2012) (305-250)*(400-300)/(350-250)+300 = 355 -> 355
    ("2012-realtime-PM2_5_24H-seg6-305", S12, REALTIME, "PM2_5_24H", "305", 355, 6),
    # PM2.5 (2012) (426-350)*(500-400)/(500-350)+400 = 450.667 -> 451
    ("2012-daily-PM2_5_24H-seg7-426", S12, DAILY, "PM2_5_24H", "426", 451, 6),
    # PM10 (2026) (30-0)*(50-0)/(50-0)+0 = 30 -> 30
    ("2026-daily-PM10_24H-seg1-30", S26, DAILY, "PM10_24H", "30", 30, 1),
    # PM10 (2026) (86-50)*(100-50)/(120-50)+50 = 75.7143 -> 76
    ("2026-realtime-PM10_1H-seg2-86", S26, REALTIME, "PM10_1H", "86", 76, 2),
    # PM10 (2026) (186-120)*(150-100)/(250-120)+100 = 125.385 -> 126
    ("2026-daily-PM10_24H-seg3-186", S26, DAILY, "PM10_24H", "186", 126, 3),
    # PM10 (2026) (301-250)*(200-150)/(350-250)+150 = 175.5 -> 176
    ("2026-realtime-PM10_1H-seg4-301", S26, REALTIME, "PM10_1H", "301", 176, 4),
    # PM10 (2026) (386-350)*(300-200)/(420-350)+200 = 251.429 -> 252
    ("2026-daily-PM10_24H-seg5-386", S26, DAILY, "PM10_24H", "386", 252, 5),
    # PM10 (2026) (461-420)*(400-300)/(500-420)+300 = 351.25 -> 352
    ("2026-realtime-PM10_1H-seg6-461", S26, REALTIME, "PM10_1H", "461", 352, 6),
    # PM10 (2026) (555-500)*(500-400)/(600-500)+400 = 455 -> 455
    ("2026-daily-PM10_24H-seg7-555", S26, DAILY, "PM10_24H", "555", 455, 6),
    # PM2.5 (2026) (17-0)*(50-0)/(35-0)+0 = 24.2857 -> 25
    ("2026-daily-PM2_5_24H-seg1-17", S26, DAILY, "PM2_5_24H", "17", 25, 1),
    # PM2.5 (2026) (52-35)*(100-50)/(60-35)+50 = 84 -> 84
    ("2026-realtime-PM2_5_1H-seg2-52", S26, REALTIME, "PM2_5_1H", "52", 84, 2),
    # PM2.5 (2026) (87-60)*(150-100)/(115-60)+100 = 124.545 -> 125
    ("2026-daily-PM2_5_24H-seg3-87", S26, DAILY, "PM2_5_24H", "87", 125, 3),
    # PM2.5 (2026) (132-115)*(200-150)/(150-115)+150 = 174.286 -> 175
    ("2026-realtime-PM2_5_1H-seg4-132", S26, REALTIME, "PM2_5_1H", "132", 175, 4),
    # PM2.5 (2026) (205-150)*(300-200)/(250-150)+200 = 255 -> 255
    ("2026-daily-PM2_5_24H-seg5-205", S26, DAILY, "PM2_5_24H", "205", 255, 5),
    # PM2.5 (2026) (305-250)*(400-300)/(350-250)+300 = 355 -> 355
    ("2026-realtime-PM2_5_1H-seg6-305", S26, REALTIME, "PM2_5_1H", "305", 355, 6),
    # PM2.5 (2026) (426-350)*(500-400)/(500-350)+400 = 450.667 -> 451
    ("2026-daily-PM2_5_24H-seg7-426", S26, DAILY, "PM2_5_24H", "426", 451, 6),
]


@pytest.mark.parametrize(
    SINGLE,
    named(SEGMENT_CASES),
)
def test_iaqi_inside_each_breakpoint_segment_is_exact_interpolation_rounded_up(
    standard, report, key, value, expected, level
):
    check_single(standard, report, key, value, expected, level)


# ---------------------------------------------------------------------------------------------
# 3. Exactly on a breakpoint: the IAQI is that breakpoint's IAQI, exactly (no spurious +1).
#    (The IAQI-500 breakpoints are in the beyond-scale section.)
# ---------------------------------------------------------------------------------------------

BREAKPOINT_CASES = [
    # SO2 24h exactly on breakpoint 50 -> IAQI 50
    ("2026-daily-SO2_24H-bp-50", S26, DAILY, "SO2_24H", "50", 50, 1),
    # SO2 24h exactly on breakpoint 150 -> IAQI 100
    ("2012-daily-SO2_24H-bp-150", S12, DAILY, "SO2_24H", "150", 100, 2),
    # SO2 24h exactly on breakpoint 475 -> IAQI 150
    ("2026-daily-SO2_24H-bp-475", S26, DAILY, "SO2_24H", "475", 150, 3),
    # SO2 24h exactly on breakpoint 800 -> IAQI 200
    ("2012-daily-SO2_24H-bp-800", S12, DAILY, "SO2_24H", "800", 200, 4),
    # SO2 24h exactly on breakpoint 1600 -> IAQI 300
    ("2026-daily-SO2_24H-bp-1600", S26, DAILY, "SO2_24H", "1600", 300, 5),
    # SO2 24h exactly on breakpoint 2100 -> IAQI 400
    ("2012-daily-SO2_24H-bp-2100", S12, DAILY, "SO2_24H", "2100", 400, 6),
    # SO2 1h exactly on breakpoint 150 -> IAQI 50
    ("2026-realtime-SO2_1H-bp-150", S26, REALTIME, "SO2_1H", "150", 50, 1),
    # SO2 1h exactly on breakpoint 500 -> IAQI 100
    ("2012-realtime-SO2_1H-bp-500", S12, REALTIME, "SO2_1H", "500", 100, 2),
    # SO2 1h exactly on breakpoint 650 -> IAQI 150
    ("2026-realtime-SO2_1H-bp-650", S26, REALTIME, "SO2_1H", "650", 150, 3),
    # SO2 1h exactly on breakpoint 800 -> IAQI 200
    ("2012-realtime-SO2_1H-bp-800", S12, REALTIME, "SO2_1H", "800", 200, 4),
    # NO2 24h exactly on breakpoint 40 -> IAQI 50
    ("2026-daily-NO2_24H-bp-40", S26, DAILY, "NO2_24H", "40", 50, 1),
    # NO2 24h exactly on breakpoint 80 -> IAQI 100
    ("2012-daily-NO2_24H-bp-80", S12, DAILY, "NO2_24H", "80", 100, 2),
    # NO2 24h exactly on breakpoint 180 -> IAQI 150
    ("2026-daily-NO2_24H-bp-180", S26, DAILY, "NO2_24H", "180", 150, 3),
    # NO2 24h exactly on breakpoint 280 -> IAQI 200
    ("2012-daily-NO2_24H-bp-280", S12, DAILY, "NO2_24H", "280", 200, 4),
    # NO2 24h exactly on breakpoint 565 -> IAQI 300
    ("2026-daily-NO2_24H-bp-565", S26, DAILY, "NO2_24H", "565", 300, 5),
    # NO2 24h exactly on breakpoint 750 -> IAQI 400
    ("2012-daily-NO2_24H-bp-750", S12, DAILY, "NO2_24H", "750", 400, 6),
    # NO2 1h exactly on breakpoint 100 -> IAQI 50
    ("2026-realtime-NO2_1H-bp-100", S26, REALTIME, "NO2_1H", "100", 50, 1),
    # NO2 1h exactly on breakpoint 200 -> IAQI 100
    ("2012-realtime-NO2_1H-bp-200", S12, REALTIME, "NO2_1H", "200", 100, 2),
    # NO2 1h exactly on breakpoint 700 -> IAQI 150
    ("2026-realtime-NO2_1H-bp-700", S26, REALTIME, "NO2_1H", "700", 150, 3),
    # NO2 1h exactly on breakpoint 1200 -> IAQI 200
    ("2012-realtime-NO2_1H-bp-1200", S12, REALTIME, "NO2_1H", "1200", 200, 4),
    # NO2 1h exactly on breakpoint 2340 -> IAQI 300
    ("2026-realtime-NO2_1H-bp-2340", S26, REALTIME, "NO2_1H", "2340", 300, 5),
    # NO2 1h exactly on breakpoint 3090 -> IAQI 400
    ("2012-realtime-NO2_1H-bp-3090", S12, REALTIME, "NO2_1H", "3090", 400, 6),
    # CO 24h exactly on breakpoint 2 -> IAQI 50
    ("2026-daily-CO_24H-bp-2", S26, DAILY, "CO_24H", "2", 50, 1),
    # CO 24h exactly on breakpoint 4 -> IAQI 100
    ("2012-daily-CO_24H-bp-4", S12, DAILY, "CO_24H", "4", 100, 2),
    # CO 24h exactly on breakpoint 14 -> IAQI 150
    ("2026-daily-CO_24H-bp-14", S26, DAILY, "CO_24H", "14", 150, 3),
    # CO 24h exactly on breakpoint 24 -> IAQI 200
    ("2012-daily-CO_24H-bp-24", S12, DAILY, "CO_24H", "24", 200, 4),
    # CO 24h exactly on breakpoint 36 -> IAQI 300
    ("2026-daily-CO_24H-bp-36", S26, DAILY, "CO_24H", "36", 300, 5),
    # CO 24h exactly on breakpoint 48 -> IAQI 400
    ("2012-daily-CO_24H-bp-48", S12, DAILY, "CO_24H", "48", 400, 6),
    # CO 1h exactly on breakpoint 5 -> IAQI 50
    ("2026-realtime-CO_1H-bp-5", S26, REALTIME, "CO_1H", "5", 50, 1),
    # CO 1h exactly on breakpoint 10 -> IAQI 100
    ("2012-realtime-CO_1H-bp-10", S12, REALTIME, "CO_1H", "10", 100, 2),
    # CO 1h exactly on breakpoint 35 -> IAQI 150
    ("2026-realtime-CO_1H-bp-35", S26, REALTIME, "CO_1H", "35", 150, 3),
    # CO 1h exactly on breakpoint 60 -> IAQI 200
    ("2012-realtime-CO_1H-bp-60", S12, REALTIME, "CO_1H", "60", 200, 4),
    # CO 1h exactly on breakpoint 90 -> IAQI 300
    ("2026-realtime-CO_1H-bp-90", S26, REALTIME, "CO_1H", "90", 300, 5),
    # CO 1h exactly on breakpoint 120 -> IAQI 400
    ("2012-realtime-CO_1H-bp-120", S12, REALTIME, "CO_1H", "120", 400, 6),
    # O3 1h exactly on breakpoint 160 -> IAQI 50
    ("2012-realtime-O3_1H-bp-160", S12, REALTIME, "O3_1H", "160", 50, 1),
    # O3 1h exactly on breakpoint 200 -> IAQI 100
    ("2026-realtime-O3_1H-bp-200", S26, REALTIME, "O3_1H", "200", 100, 2),
    # O3 1h exactly on breakpoint 300 -> IAQI 150
    ("2012-daily-O3_1H-bp-300", S12, DAILY, "O3_1H", "300", 150, 3),
    # O3 1h exactly on breakpoint 400 -> IAQI 200
    ("2012-realtime-O3_1H-bp-400", S12, REALTIME, "O3_1H", "400", 200, 4),
    # O3 1h exactly on breakpoint 800 -> IAQI 300
    ("2026-realtime-O3_1H-bp-800", S26, REALTIME, "O3_1H", "800", 300, 5),
    # O3 1h exactly on breakpoint 1000 -> IAQI 400
    ("2012-daily-O3_1H-bp-1000", S12, DAILY, "O3_1H", "1000", 400, 6),
    # O3 8h exactly on breakpoint 100 -> IAQI 50
    ("2012-realtime-O3_8H-bp-100", S12, REALTIME, "O3_8H", "100", 50, 1),
    # O3 8h exactly on breakpoint 160 -> IAQI 100
    ("2026-daily-O3_8H-bp-160", S26, DAILY, "O3_8H", "160", 100, 2),
    # O3 8h exactly on breakpoint 215 -> IAQI 150
    ("2012-daily-O3_8H-bp-215", S12, DAILY, "O3_8H", "215", 150, 3),
    # O3 8h exactly on breakpoint 265 -> IAQI 200
    ("2012-realtime-O3_8H-bp-265", S12, REALTIME, "O3_8H", "265", 200, 4),
    # O3 8h exactly on breakpoint 800 -> IAQI 300
    ("2026-daily-O3_8H-bp-800", S26, DAILY, "O3_8H", "800", 300, 5),
    # PM10 (2012) exactly on breakpoint 50 -> IAQI 50
    ("2012-realtime-PM10_24H-bp-50", S12, REALTIME, "PM10_24H", "50", 50, 1),
    # PM10 (2012) exactly on breakpoint 150 -> IAQI 100
    ("2012-daily-PM10_24H-bp-150", S12, DAILY, "PM10_24H", "150", 100, 2),
    # PM10 (2012) exactly on breakpoint 250 -> IAQI 150
    ("2012-realtime-PM10_24H-bp-250", S12, REALTIME, "PM10_24H", "250", 150, 3),
    # PM10 (2012) exactly on breakpoint 350 -> IAQI 200
    ("2012-daily-PM10_24H-bp-350", S12, DAILY, "PM10_24H", "350", 200, 4),
    # PM10 (2012) exactly on breakpoint 420 -> IAQI 300
    ("2012-realtime-PM10_24H-bp-420", S12, REALTIME, "PM10_24H", "420", 300, 5),
    # PM10 (2012) exactly on breakpoint 500 -> IAQI 400
    ("2012-daily-PM10_24H-bp-500", S12, DAILY, "PM10_24H", "500", 400, 6),
    # PM2.5 (2012) exactly on breakpoint 35 -> IAQI 50
    ("2012-realtime-PM2_5_24H-bp-35", S12, REALTIME, "PM2_5_24H", "35", 50, 1),
    # PM2.5 (2012) exactly on breakpoint 75 -> IAQI 100
    ("2012-daily-PM2_5_24H-bp-75", S12, DAILY, "PM2_5_24H", "75", 100, 2),
    # PM2.5 (2012) exactly on breakpoint 115 -> IAQI 150
    ("2012-realtime-PM2_5_24H-bp-115", S12, REALTIME, "PM2_5_24H", "115", 150, 3),
    # PM2.5 (2012) exactly on breakpoint 150 -> IAQI 200
    ("2012-daily-PM2_5_24H-bp-150", S12, DAILY, "PM2_5_24H", "150", 200, 4),
    # PM2.5 (2012) exactly on breakpoint 250 -> IAQI 300
    ("2012-realtime-PM2_5_24H-bp-250", S12, REALTIME, "PM2_5_24H", "250", 300, 5),
    # PM2.5 (2012) exactly on breakpoint 350 -> IAQI 400
    ("2012-daily-PM2_5_24H-bp-350", S12, DAILY, "PM2_5_24H", "350", 400, 6),
    # PM10 (2026) exactly on breakpoint 50 -> IAQI 50
    ("2026-realtime-PM10_1H-bp-50", S26, REALTIME, "PM10_1H", "50", 50, 1),
    # PM10 (2026) exactly on breakpoint 120 -> IAQI 100
    ("2026-daily-PM10_24H-bp-120", S26, DAILY, "PM10_24H", "120", 100, 2),
    # PM10 (2026) exactly on breakpoint 250 -> IAQI 150
    ("2026-realtime-PM10_1H-bp-250", S26, REALTIME, "PM10_1H", "250", 150, 3),
    # PM10 (2026) exactly on breakpoint 350 -> IAQI 200
    ("2026-daily-PM10_24H-bp-350", S26, DAILY, "PM10_24H", "350", 200, 4),
    # PM10 (2026) exactly on breakpoint 420 -> IAQI 300
    ("2026-realtime-PM10_1H-bp-420", S26, REALTIME, "PM10_1H", "420", 300, 5),
    # PM10 (2026) exactly on breakpoint 500 -> IAQI 400
    ("2026-daily-PM10_24H-bp-500", S26, DAILY, "PM10_24H", "500", 400, 6),
    # PM2.5 (2026) exactly on breakpoint 35 -> IAQI 50
    ("2026-realtime-PM2_5_1H-bp-35", S26, REALTIME, "PM2_5_1H", "35", 50, 1),
    # PM2.5 (2026) exactly on breakpoint 60 -> IAQI 100
    ("2026-daily-PM2_5_24H-bp-60", S26, DAILY, "PM2_5_24H", "60", 100, 2),
    # PM2.5 (2026) exactly on breakpoint 115 -> IAQI 150
    ("2026-realtime-PM2_5_1H-bp-115", S26, REALTIME, "PM2_5_1H", "115", 150, 3),
    # PM2.5 (2026) exactly on breakpoint 150 -> IAQI 200
    ("2026-daily-PM2_5_24H-bp-150", S26, DAILY, "PM2_5_24H", "150", 200, 4),
    # PM2.5 (2026) exactly on breakpoint 250 -> IAQI 300
    ("2026-realtime-PM2_5_1H-bp-250", S26, REALTIME, "PM2_5_1H", "250", 300, 5),
    # PM2.5 (2026) exactly on breakpoint 350 -> IAQI 400
    ("2026-daily-PM2_5_24H-bp-350", S26, DAILY, "PM2_5_24H", "350", 400, 6),
]


@pytest.mark.parametrize(
    SINGLE,
    named(BREAKPOINT_CASES),
)
def test_iaqi_exactly_on_breakpoint_equals_breakpoint_iaqi(
    standard, report, key, value, expected, level
):
    check_single(standard, report, key, value, expected, level)


# ---------------------------------------------------------------------------------------------
# 4. Zero everywhere: every sub-index 0, AQI 0, level 1 (优), no primary pollutant.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zero", ["0", 0, 0.0, Decimal("0.0")], ids=["str", "int", "float", "dec"])
@pytest.mark.parametrize(
    ("standard", "report"),
    [(S12, DAILY), (S26, DAILY), (S12, REALTIME), (S26, REALTIME)],
    ids=["2012-daily", "2026-daily", "2012-realtime", "2026-realtime"],
)
def test_all_zero_concentrations_give_aqi_zero_and_every_subindex_zero(standard, report, zero):
    keys = INDICATORS[(standard, report)]
    result = compute(dict.fromkeys(keys, zero), report=report, standard=standard)
    check(result, iaqi=dict.fromkeys(keys, 0), aqi=0, level=1, primary=set(), beyond=False)


# ---------------------------------------------------------------------------------------------
# 5. Level / category boundaries, and "just above a breakpoint" (ceiling, not rounding).
# ---------------------------------------------------------------------------------------------

LEVEL_BOUNDARY_CASES = [
    # SO2 24h seg1: 50*50/50 = 50 -> 50 (last 优)
    ("2012-daily-SO2_24H-50-is-50-level1", S12, DAILY, "SO2_24H", "50", 50, 1),
    # SO2 24h (51-50)*(100-50)/(150-50)+50 = 50.5 -> 51 (first 良)
    ("2012-daily-SO2_24H-51-is-51-level2", S12, DAILY, "SO2_24H", "51", 51, 2),
    # SO2 24h on breakpoint 150 -> 100 (last 良)
    ("2012-daily-SO2_24H-150-is-100-level2", S12, DAILY, "SO2_24H", "150", 100, 2),
    # SO2 24h (151-150)*(150-100)/(475-150)+100 = 100.15 -> 101
    ("2012-daily-SO2_24H-151-is-101-level3", S12, DAILY, "SO2_24H", "151", 101, 3),
    # SO2 24h on breakpoint 475 -> 150
    ("2012-daily-SO2_24H-475-is-150-level3", S12, DAILY, "SO2_24H", "475", 150, 3),
    # SO2 24h (476-475)*(200-150)/(800-475)+150 = 150.15 -> 151
    ("2012-daily-SO2_24H-476-is-151-level4", S12, DAILY, "SO2_24H", "476", 151, 4),
    # SO2 24h on breakpoint 800 -> 200
    ("2012-daily-SO2_24H-800-is-200-level4", S12, DAILY, "SO2_24H", "800", 200, 4),
    # SO2 24h (801-800)*(300-200)/(1600-800)+200 = 200.125 -> 201
    ("2012-daily-SO2_24H-801-is-201-level5", S12, DAILY, "SO2_24H", "801", 201, 5),
    # SO2 24h on breakpoint 1600 -> 300
    ("2012-daily-SO2_24H-1600-is-300-level5", S12, DAILY, "SO2_24H", "1600", 300, 5),
    # SO2 24h (1601-1600)*(400-300)/(2100-1600)+300 = 300.2 -> 301
    ("2012-daily-SO2_24H-1601-is-301-level6", S12, DAILY, "SO2_24H", "1601", 301, 6),
    # NO2 1h on breakpoint 100 -> 50
    ("2026-realtime-NO2_1H-100-is-50-level1", S26, REALTIME, "NO2_1H", "100", 50, 1),
    # NO2 1h (101-100)*(100-50)/(200-100)+50 = 50.5 -> 51
    ("2026-realtime-NO2_1H-101-is-51-level2", S26, REALTIME, "NO2_1H", "101", 51, 2),
    # NO2 1h on breakpoint 200 -> 100
    ("2026-realtime-NO2_1H-200-is-100-level2", S26, REALTIME, "NO2_1H", "200", 100, 2),
    # NO2 1h (201-200)*(150-100)/(700-200)+100 = 100.1 -> 101
    ("2026-realtime-NO2_1H-201-is-101-level3", S26, REALTIME, "NO2_1H", "201", 101, 3),
    # NO2 1h on breakpoint 700 -> 150
    ("2026-realtime-NO2_1H-700-is-150-level3", S26, REALTIME, "NO2_1H", "700", 150, 3),
    # NO2 1h (701-700)*(200-150)/(1200-700)+150 = 150.1 -> 151
    ("2026-realtime-NO2_1H-701-is-151-level4", S26, REALTIME, "NO2_1H", "701", 151, 4),
    # NO2 1h on breakpoint 1200 -> 200
    ("2026-realtime-NO2_1H-1200-is-200-level4", S26, REALTIME, "NO2_1H", "1200", 200, 4),
    # NO2 1h (1201-1200)*(300-200)/(2340-1200)+200 = 200.088 -> 201
    ("2026-realtime-NO2_1H-1201-is-201-level5", S26, REALTIME, "NO2_1H", "1201", 201, 5),
    # NO2 1h on breakpoint 2340 -> 300
    ("2026-realtime-NO2_1H-2340-is-300-level5", S26, REALTIME, "NO2_1H", "2340", 300, 5),
    # NO2 1h (2341-2340)*(400-300)/(3090-2340)+300 = 300.133 -> 301
    ("2026-realtime-NO2_1H-2341-is-301-level6", S26, REALTIME, "NO2_1H", "2341", 301, 6),
    # CO 1h (5.1-5)*(100-50)/(10-5)+50 = 51 exactly -> 51
    ("2012-realtime-CO_1H-5.1-is-51", S12, REALTIME, "CO_1H", "5.1", 51, 2),
    # CO 1h (10.1-10)*(150-100)/(35-10)+100 = 100.2 -> 101
    ("2012-realtime-CO_1H-10.1-is-101", S12, REALTIME, "CO_1H", "10.1", 101, 3),
    # PM2.5 (2026) (61-60)*(150-100)/(115-60)+100 = 100.909 -> 101
    ("2026-daily-PM2_5_24H-61-is-101", S26, DAILY, "PM2_5_24H", "61", 101, 3),
    # PM10 (2026) (121-120)*(150-100)/(250-120)+100 = 100.385 -> 101
    ("2026-daily-PM10_24H-121-is-101", S26, DAILY, "PM10_24H", "121", 101, 3),
    # PM10 (2012) (150.1-150)*(150-100)/(250-150)+100 = 100.05 -> 101
    ("2012-realtime-PM10_24H-150.1-is-101", S12, REALTIME, "PM10_24H", "150.1", 101, 3),
    # CO 24h (4.1-4)*(150-100)/(14-4)+100 = 100.5 -> 101
    ("2026-daily-CO_24H-4.1-is-101", S26, DAILY, "CO_24H", "4.1", 101, 3),
    # O3 8h (160.1-160)*(150-100)/(215-160)+100 = 100.09 -> 101
    ("2012-daily-O3_8H-160.1-is-101", S12, DAILY, "O3_8H", "160.1", 101, 3),
    # O3 1h (201-200)*(150-100)/(300-200)+100 = 100.5 -> 101
    ("2026-realtime-O3_1H-201-is-101", S26, REALTIME, "O3_1H", "201", 101, 3),
    # PM2.5 (2012) (35.1-35)*(100-50)/(75-35)+50 = 50.125 -> 51 (ceiling, not rounding: 良)
    ("2012-daily-PM2_5_24H-35.1-is-51", S12, DAILY, "PM2_5_24H", "35.1", 51, 2),
]


@pytest.mark.parametrize(
    SINGLE,
    named(LEVEL_BOUNDARY_CASES),
)
def test_level_category_boundaries_and_ceiling_just_above_breakpoints(
    standard, report, key, value, expected, level
):
    check_single(standard, report, key, value, expected, level)


# ---------------------------------------------------------------------------------------------
# 6. Exact arithmetic: values where naive IEEE-754 evaluation of the linear formula lands just
#    above the exact integer (checked with Python floats), plus values where dividing first in
#    a 28-digit Decimal context lands just above it. Each is passed as a float and as a str.
# ---------------------------------------------------------------------------------------------

FLOAT_TRAP_CASES = [
    # CO 24h (2.2-2)*(100-50)/(4-2)+50 = 55 exactly; float gives 55.00000000000001
    ("2012-daily-CO_24H-2.2", S12, DAILY, "CO_24H", 2.2, 55, 2),
    # same under 2026 (2.2 already has one decimal)
    ("2026-daily-CO_24H-2.2", S26, DAILY, "CO_24H", 2.2, 55, 2),
    # O3 1h (160.8-160)*(100-50)/(200-160)+50 = 0.8*50/40+50 = 51; float 51.000000000000014
    ("2012-daily-O3_1H-160.8", S12, DAILY, "O3_1H", 160.8, 51, 2),
    # O3 1h (196.8-160)*(100-50)/(200-160)+50 = 36.8*1.25+50 = 96; float 96.00000000000001
    ("2012-realtime-O3_1H-196.8", S12, REALTIME, "O3_1H", 196.8, 96, 2),
    # O3 8h (102.4-100)*(100-50)/(160-100)+50 = 2.4*50/60+50 = 52; float 52.00000000000001
    ("2012-realtime-O3_8H-102.4", S12, REALTIME, "O3_8H", 102.4, 52, 2),
    # SO2 24h (2120.8-2100)*(500-400)/(2620-2100)+400 = 20.8*100/520+400 = 404; float 404.00..06
    ("2012-daily-SO2_24H-2120.8", S12, DAILY, "SO2_24H", 2120.8, 404, 6),
    # NO2 24h 35.2*(50-0)/(40-0) = 44; float (multiply first) 44.00000000000001
    ("2012-daily-NO2_24H-35.2", S12, DAILY, "NO2_24H", 35.2, 44, 1),
    # CO 1h (65.4-60)*(300-200)/(90-60)+200 = 5.4*100/30+200 = 218; float 218.00000000000003
    ("2026-realtime-CO_1H-65.4", S26, REALTIME, "CO_1H", 65.4, 218, 5),
    # CO 1h 4.9*(50-0)/(5-0) = 49; float (multiply first) 49.00000000000001
    ("2026-realtime-CO_1H-4.9", S26, REALTIME, "CO_1H", 4.9, 49, 1),
    # PM2.5 14*(50-0)/(35-0) = 20; Decimal (50/35 first, 28 digits)*14 = 20.00...01
    ("2012-daily-PM2_5_24H-14", S12, DAILY, "PM2_5_24H", 14.0, 20, 1),
    # PM2.5 28*50/35 = 40; Decimal divide-first gives 40.00...01
    ("2026-realtime-PM2_5_1H-28", S26, REALTIME, "PM2_5_1H", 28.0, 40, 1),
    # SO2 1h (325-150)*(100-50)/(500-150)+50 = 175/7+50 = 75; Decimal divide-first 75.00...01
    ("2012-realtime-SO2_1H-325", S12, REALTIME, "SO2_1H", 325.0, 75, 2),
    # SO2 1h (269-150)*(100-50)/(500-150)+50 = 119/7+50 = 67; Decimal divide-first 67.00...01
    ("2026-realtime-SO2_1H-269", S26, REALTIME, "SO2_1H", 269.0, 67, 2),
]


@pytest.mark.parametrize("as_type", [float, str], ids=["float", "str"])
@pytest.mark.parametrize(
    SINGLE,
    named(FLOAT_TRAP_CASES),
)
def test_float_trap_values_are_computed_exactly(
    standard, report, key, value, expected, level, as_type
):
    check_single(standard, report, key, as_type(value), expected, level)


# ---------------------------------------------------------------------------------------------
# 7. Input rounding. HJ 633-2026 first rounds µg/m³ to an integer and CO mg/m³ to one decimal,
#    half-to-even on the DECIMAL value (GB/T 8170); floats are read via their repr (Decimal(str)).
#    HJ 633-2012 uses values as given.
# ---------------------------------------------------------------------------------------------

ROUNDING_2026_CASES = [
    # 35.5 -> 36 (half to even); PM2.5 (36-35)*(100-50)/(60-35)+50 = 52 -> 52
    ("2026-daily-PM2_5_24H-str-35.5->36", S26, DAILY, "PM2_5_24H", "35.5", 52, 2),
    # 34.5 -> 34 (half to even); PM2.5 34*50/35 = 48.571 -> 49
    ("2026-daily-PM2_5_24H-str-34.5->34", S26, DAILY, "PM2_5_24H", "34.5", 49, 1),
    ("2026-daily-PM2_5_24H-dec-35.5->36", S26, DAILY, "PM2_5_24H", Decimal("35.5"), 52, 2),
    ("2026-daily-PM2_5_24H-dec-34.5->34", S26, DAILY, "PM2_5_24H", Decimal("34.5"), 49, 1),
    ("2026-realtime-PM2_5_1H-float-35.5->36", S26, REALTIME, "PM2_5_1H", 35.5, 52, 2),
    ("2026-realtime-PM2_5_1H-float-34.5->34", S26, REALTIME, "PM2_5_1H", 34.5, 49, 1),
    # 36.50 -> 36 (half to even, trailing zero); PM2.5 -> 52
    ("2026-daily-PM2_5_24H-str-36.50->36", S26, DAILY, "PM2_5_24H", "36.50", 52, 2),
    # 35.1 -> 35 -> exactly 50: 优 and no primary (2012 gives 51 良, see AQ06)
    ("2026-daily-PM2_5_24H-str-35.1->35", S26, DAILY, "PM2_5_24H", "35.1", 50, 1),
    # 35.49 -> 35 -> 50
    ("2026-daily-PM2_5_24H-str-35.49->35", S26, DAILY, "PM2_5_24H", "35.49", 50, 1),
    # 34.51 -> 35 -> 50
    ("2026-daily-PM2_5_24H-str-34.51->35", S26, DAILY, "PM2_5_24H", "34.51", 50, 1),
    # CO 2.25 -> 2.2 (half to even); CO 24h (2.2-2)*50/2+50 = 55
    ("2026-daily-CO_24H-str-2.25->2.2", S26, DAILY, "CO_24H", "2.25", 55, 2),
    ("2026-daily-CO_24H-dec-2.25->2.2", S26, DAILY, "CO_24H", Decimal("2.25"), 55, 2),
    ("2026-daily-CO_24H-float-2.25->2.2", S26, DAILY, "CO_24H", 2.25, 55, 2),
    # CO 2.35 -> 2.4 (half to even); CO 24h (2.4-2)*50/2+50 = 60
    ("2026-daily-CO_24H-str-2.35->2.4", S26, DAILY, "CO_24H", "2.35", 60, 2),
    ("2026-daily-CO_24H-dec-2.35->2.4", S26, DAILY, "CO_24H", Decimal("2.35"), 60, 2),
    ("2026-daily-CO_24H-float-2.35->2.4", S26, DAILY, "CO_24H", 2.35, 60, 2),
    # CO 2.251 -> 2.3 (above half); (2.3-2)*50/2+50 = 57.5 -> 58
    ("2026-daily-CO_24H-str-2.251->2.3", S26, DAILY, "CO_24H", "2.251", 58, 2),
    # float 0.15 is 0.1499999... in binary; its decimal repr 0.15 -> 0.2; 0.2*50/2 = 5
    # (rounding the binary value would give 0.1 -> 2.5 -> 3)
    ("2026-daily-CO_24H-float-0.15->0.2", S26, DAILY, "CO_24H", 0.15, 5, 1),
    ("2026-daily-CO_24H-str-0.15->0.2", S26, DAILY, "CO_24H", "0.15", 5, 1),
    # float 0.35 is 0.3499999... in binary; decimal 0.35 -> 0.4; 0.4*50/2 = 10 (not 0.3 -> 8)
    ("2026-daily-CO_24H-float-0.35->0.4", S26, DAILY, "CO_24H", 0.35, 10, 1),
    # float 2.45 is 2.4500000000000002 in binary; decimal 2.45 -> 2.4 (even) -> 60 (not 2.5 -> 63)
    ("2026-daily-CO_24H-float-2.45->2.4", S26, DAILY, "CO_24H", 2.45, 60, 2),
    ("2026-daily-CO_24H-str-2.45->2.4", S26, DAILY, "CO_24H", "2.45", 60, 2),
    # CO 1h 2.25 -> 2.2; 2.2*50/5 = 22
    ("2026-realtime-CO_1H-str-2.25->2.2", S26, REALTIME, "CO_1H", "2.25", 22, 1),
    # CO 1h 2.35 -> 2.4; 2.4*50/5 = 24
    ("2026-realtime-CO_1H-str-2.35->2.4", S26, REALTIME, "CO_1H", "2.35", 24, 1),
    # NO2 1h 100.5 -> 100 -> 50 exactly (优)
    ("2026-realtime-NO2_1H-str-100.5->100", S26, REALTIME, "NO2_1H", "100.5", 50, 1),
    # PM10 120.5 -> 120 -> 100 exactly
    ("2026-daily-PM10_24H-str-120.5->120", S26, DAILY, "PM10_24H", "120.5", 100, 2),
    # PM10 121.5 -> 122; (122-120)*(150-100)/(250-120)+100 = 100.769 -> 101
    ("2026-realtime-PM10_1H-str-121.5->122", S26, REALTIME, "PM10_1H", "121.5", 101, 3),
    # SO2 0.5 -> 0 -> 0
    ("2026-daily-SO2_24H-str-0.5->0", S26, DAILY, "SO2_24H", "0.5", 0, 1),
    # SO2 1.5 -> 2 -> 2*50/50 = 2
    ("2026-daily-SO2_24H-str-1.5->2", S26, DAILY, "SO2_24H", "1.5", 2, 1),
    # O3 1h 160.5 -> 160 -> 50 exactly
    ("2026-realtime-O3_1H-str-160.5->160", S26, REALTIME, "O3_1H", "160.5", 50, 1),
    # O3 8h 100.5 -> 100 -> 50 exactly
    ("2026-daily-O3_8H-str-100.5->100", S26, DAILY, "O3_8H", "100.5", 50, 1),
    # O3 8h 101.5 -> 102; (102-100)*(100-50)/(160-100)+50 = 51.667 -> 52
    ("2026-daily-O3_8H-str-101.5->102", S26, DAILY, "O3_8H", "101.5", 52, 2),
]


@pytest.mark.parametrize(
    SINGLE,
    named(ROUNDING_2026_CASES),
)
def test_2026_rounds_inputs_half_to_even_on_the_decimal_value_first(
    standard, report, key, value, expected, level
):
    check_single(standard, report, key, value, expected, level)


AS_GIVEN_2012_CASES = [
    # PM2.5 (35.1-35)*(100-50)/(75-35)+50 = 50.125 -> 51 (no input rounding under 2012)
    ("2012-daily-PM2_5_24H-35.1", S12, DAILY, "PM2_5_24H", "35.1", 51, 2),
    # PM2.5 34.5*50/35 = 49.286 -> 50
    ("2012-daily-PM2_5_24H-34.5", S12, DAILY, "PM2_5_24H", "34.5", 50, 1),
    # PM2.5 (35.5-35)*50/40+50 = 50.625 -> 51
    ("2012-realtime-PM2_5_24H-35.5", S12, REALTIME, "PM2_5_24H", "35.5", 51, 2),
    # PM2.5 0.4*50/35 = 0.571 -> 1 (2026 would round 0.4 -> 0)
    ("2012-realtime-PM2_5_24H-0.4", S12, REALTIME, "PM2_5_24H", "0.4", 1, 1),
    # CO 24h (2.25-2)*50/2+50 = 56.25 -> 57
    ("2012-daily-CO_24H-2.25", S12, DAILY, "CO_24H", "2.25", 57, 2),
    # CO 24h (2.35-2)*50/2+50 = 58.75 -> 59
    ("2012-daily-CO_24H-2.35", S12, DAILY, "CO_24H", "2.35", 59, 2),
    # CO 24h 0.15*50/2 = 3.75 -> 4
    ("2012-daily-CO_24H-0.15", S12, DAILY, "CO_24H", "0.15", 4, 1),
    # CO 1h 2.25*50/5 = 22.5 -> 23
    ("2012-realtime-CO_1H-2.25", S12, REALTIME, "CO_1H", "2.25", 23, 1),
    # PM10 (120.5-50)*(100-50)/(150-50)+50 = 85.25 -> 86
    ("2012-daily-PM10_24H-120.5", S12, DAILY, "PM10_24H", "120.5", 86, 2),
    # NO2 1h (100.5-100)*(100-50)/(200-100)+50 = 50.25 -> 51
    ("2012-realtime-NO2_1H-100.5", S12, REALTIME, "NO2_1H", "100.5", 51, 2),
    # O3 1h (160.5-160)*(100-50)/(200-160)+50 = 50.625 -> 51
    ("2012-realtime-O3_1H-160.5", S12, REALTIME, "O3_1H", "160.5", 51, 2),
]


@pytest.mark.parametrize(
    SINGLE,
    named(AS_GIVEN_2012_CASES),
)
def test_2012_uses_concentrations_as_given_without_rounding(
    standard, report, key, value, expected, level
):
    check_single(standard, report, key, value, expected, level)


# ---------------------------------------------------------------------------------------------
# 8. str, int, float and Decimal inputs give identical results.
# ---------------------------------------------------------------------------------------------

TYPE_CASES = [
    # CO 24h 2.2 -> 55 (float must be read as Decimal("2.2"))
    ("2012-daily-CO_24H-2.2", S12, DAILY, "CO_24H", ["2.2", Decimal("2.2"), 2.2], 55, 2),
    # PM2.5 (2012) (80-75)*(150-100)/(115-75)+100 = 106.25 -> 107
    (
        "2012-daily-PM2_5_24H-80",
        S12,
        DAILY,
        "PM2_5_24H",
        ["80", 80, 80.0, Decimal("80"), Decimal("80.00")],
        107,
        3,
    ),
    # PM2.5 (2026) (80-60)*(150-100)/(115-60)+100 = 118.18 -> 119
    (
        "2026-daily-PM2_5_24H-80",
        S26,
        DAILY,
        "PM2_5_24H",
        ["80", 80, 80.0, Decimal("80"), Decimal("80.00")],
        119,
        3,
    ),
    # O3 8h (102.4-100)*50/60+50 = 52
    (
        "2012-realtime-O3_8H-102.4",
        S12,
        REALTIME,
        "O3_8H",
        ["102.4", Decimal("102.4"), 102.4],
        52,
        2,
    ),
    # CO 1h (65.4-60)*100/30+200 = 218
    ("2026-realtime-CO_1H-65.4", S26, REALTIME, "CO_1H", ["65.4", Decimal("65.4"), 65.4], 218, 5),
    # CO 0.15 -> 0.2 -> 5 under 2026
    ("2026-daily-CO_24H-0.15", S26, DAILY, "CO_24H", ["0.15", Decimal("0.15"), 0.15], 5, 1),
    # PM2.5 34.5 -> 34 -> 48.57 -> 49 under 2026
    ("2026-daily-PM2_5_24H-34.5", S26, DAILY, "PM2_5_24H", ["34.5", Decimal("34.5"), 34.5], 49, 1),
    # PM2.5 35.5 -> 36 -> 52 under 2026
    (
        "2026-realtime-PM2_5_1H-35.5",
        S26,
        REALTIME,
        "PM2_5_1H",
        ["35.5", Decimal("35.5"), 35.5],
        52,
        2,
    ),
    # PM2.5 (2012) 35.1 -> 50.125 -> 51
    ("2012-daily-PM2_5_24H-35.1", S12, DAILY, "PM2_5_24H", ["35.1", Decimal("35.1"), 35.1], 51, 2),
    # NO2 1h on breakpoint 200 -> 100
    (
        "2026-realtime-NO2_1H-200",
        S26,
        REALTIME,
        "NO2_1H",
        ["200", 200, 200.0, Decimal("200"), Decimal("2E+2")],
        100,
        2,
    ),
]


@pytest.mark.parametrize(
    ("standard", "report", "key", "variants", "expected", "level"),
    named(TYPE_CASES),
)
def test_str_int_float_and_decimal_inputs_give_identical_results(
    standard, report, key, variants, expected, level
):
    seen = []
    for value in variants:
        check_single(standard, report, key, value, expected, level)
        result = compute(
            with_zeros(standard, report, **{key: value}), report=report, standard=standard
        )
        seen.append(
            (
                result.aqi,
                dict(result.iaqi),
                frozenset(result.primary_pollutants),
                result.level,
                result.beyond_scale,
            )
        )
    assert all(item == seen[0] for item in seen), seen


def test_whole_worked_day_gives_same_result_for_every_input_type():
    # AQ01 (2012 daily) in four types; expected values as in AQ01.
    base = {
        "SO2_24H": "10",
        "NO2_24H": "45",
        "PM10_24H": "120",
        "CO_24H": "1.2",
        "O3_1H": "150",
        "O3_8H": "130",
        "PM2_5_24H": "80",
    }
    expected_iaqi = {
        "SO2_24H": 10,
        "NO2_24H": 57,
        "PM10_24H": 85,
        "CO_24H": 30,
        "O3_1H": 47,
        "O3_8H": 75,
        "PM2_5_24H": 107,
    }
    for convert in (str, Decimal, float, lambda s: int(s) if "." not in s else Decimal(s)):
        inputs = {key: convert(value) for key, value in base.items()}
        result = compute(inputs, report=DAILY, standard=S12)
        check(result, iaqi=expected_iaqi, aqi=107, level=3, primary={"PM2_5_24H"}, beyond=False)


def test_result_fields_have_the_contract_types():
    result = compute(
        with_zeros(S26, DAILY, PM2_5_24H="80", PM10_24H="150"), report=DAILY, standard=S26
    )
    assert isinstance(result.aqi, int) and not isinstance(result.aqi, bool)
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in result.iaqi.values())
    assert all(isinstance(k, str) for k in result.iaqi)
    assert isinstance(result.primary_pollutants, tuple)
    assert result.primary_pollutants == ("PM2_5_24H",)
    assert isinstance(result.level, int) and result.level == 3
    assert isinstance(result.beyond_scale, bool)


# ---------------------------------------------------------------------------------------------
# 9. Special rules (decision 4).
#    Row: id, standard, report, inputs, expected iaqi (subset), AQI, level, primary.
# ---------------------------------------------------------------------------------------------

SPECIAL_RULE_CASES = [
    # SO2_1H 900 > 800 -> SO2 from SO2_24H 300: (300-150)*(150-100)/(475-150)+100 = 123.08 -> 124
    (
        "2012-realtime-SO2_1H-900-uses-SO2_24H-300",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, SO2_1H="900", SO2_24H="300"),
        {"SO2_1H": 124},
        124,
        3,
        {"SO2_1H"},
    ),
    # SO2_1H exactly 800 is NOT > 800: 1h table, on breakpoint -> 200 (24h would give 124)
    (
        "2012-realtime-SO2_1H-exactly-800-uses-1h-table",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, SO2_1H="800", SO2_24H="300"),
        {"SO2_1H": 200},
        200,
        4,
        {"SO2_1H"},
    ),
    # SO2_1H 800.4 > 800 (2012: no input rounding) -> SO2_24H 300 -> 124
    (
        "2012-realtime-SO2_1H-800.4-uses-SO2_24H",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, SO2_1H="800.4", SO2_24H="300"),
        {"SO2_1H": 124},
        124,
        3,
        {"SO2_1H"},
    ),
    # SO2_1H 801 > 800 -> SO2_24H 100: (100-50)*(100-50)/(150-50)+50 = 75
    (
        "2012-realtime-SO2_1H-801-uses-SO2_24H-100",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, SO2_1H="801", SO2_24H="100"),
        {"SO2_1H": 75},
        75,
        2,
        {"SO2_1H"},
    ),
    # SO2_1H 1000 > 800 -> SO2_24H 475 on breakpoint -> 150
    (
        "2012-realtime-SO2_1H-1000-uses-SO2_24H-475",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, SO2_1H="1000", SO2_24H="475"),
        {"SO2_1H": 150},
        150,
        3,
        {"SO2_1H"},
    ),
    # 2026: SO2_1H 801 > 800 -> IAQI 200 (the 24h mean is not used)
    (
        "2026-realtime-SO2_1H-801-is-200",
        S26,
        REALTIME,
        with_zeros(S26, REALTIME, SO2_1H="801", SO2_24H="300"),
        {"SO2_1H": 200},
        200,
        4,
        {"SO2_1H"},
    ),
    # 2026: SO2_1H 5000 > 800 -> IAQI 200
    (
        "2026-realtime-SO2_1H-5000-is-200",
        S26,
        REALTIME,
        with_zeros(S26, REALTIME, SO2_1H="5000"),
        {"SO2_1H": 200},
        200,
        4,
        {"SO2_1H"},
    ),
    # 2026: SO2_1H exactly 800 -> on breakpoint -> 200
    (
        "2026-realtime-SO2_1H-exactly-800-is-200",
        S26,
        REALTIME,
        with_zeros(S26, REALTIME, SO2_1H="800"),
        {"SO2_1H": 200},
        200,
        4,
        {"SO2_1H"},
    ),
    # AQ07's hour under 2026 realtime (CSV note): SO2_1H 900 -> 200; NO2_1H 80*50/100 = 40;
    # CO_1H 0.8*50/5 = 8; O3_1H 60*50/160 = 18.75 -> 19; PM 1h values absent but 200 > 100.
    (
        "2026-realtime-AQ07-hour-SO2-200",
        S26,
        REALTIME,
        {
            "SO2_1H": "900",
            "SO2_24H": "300",
            "NO2_1H": "80",
            "CO_1H": "0.8",
            "O3_1H": "60",
            "O3_8H": "50",
            "PM10_24H": "60",
            "PM2_5_24H": "40",
        },
        {"SO2_1H": 200, "NO2_1H": 40, "CO_1H": 8, "O3_1H": 19},
        200,
        4,
        {"SO2_1H"},
    ),
    # 2012 daily O3_8H 801 > 800 -> O3 from O3_1H 500: (500-400)*(300-200)/(800-400)+200 = 225;
    # PM2.5 250 on breakpoint -> 300 is the maximum.
    (
        "2012-daily-O3_8H-801-uses-O3_1H-500",
        S12,
        DAILY,
        with_zeros(S12, DAILY, O3_8H="801", O3_1H="500", PM2_5_24H="250"),
        {"O3_8H": 225, "O3_1H": 225, "PM2_5_24H": 300},
        300,
        5,
        {"PM2_5_24H"},
    ),
    # 2012 daily O3_8H exactly 800 is not > 800: 8h table -> 300; O3_1H 500 -> 225
    (
        "2012-daily-O3_8H-exactly-800-uses-8h-table",
        S12,
        DAILY,
        with_zeros(S12, DAILY, O3_8H="800", O3_1H="500"),
        {"O3_8H": 300, "O3_1H": 225},
        300,
        5,
        {"O3_8H"},
    ),
    # 2012 realtime O3_8H 850 -> O3_1H 950: (950-800)*(400-300)/(1000-800)+300 = 375;
    # PM2.5 24h 400: (400-350)*(500-400)/(500-350)+400 = 433.33 -> 434 is the maximum.
    (
        "2012-realtime-O3_8H-850-uses-O3_1H-950",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, O3_8H="850", O3_1H="950", PM2_5_24H="400"),
        {"O3_8H": 375, "O3_1H": 375, "PM2_5_24H": 434},
        434,
        6,
        {"PM2_5_24H"},
    ),
    # 2012 realtime O3_8H 900 -> O3_1H 250: (250-200)*(150-100)/(300-200)+100 = 125 (not 300);
    # SO2 1h 576: (576-500)*(150-100)/(650-500)+100 = 125.33 -> 126 is the maximum.
    (
        "2012-realtime-O3_8H-900-uses-O3_1H-250",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, O3_8H="900", O3_1H="250", SO2_1H="576"),
        {"O3_8H": 125, "O3_1H": 125, "SO2_1H": 126},
        126,
        3,
        {"SO2_1H"},
    ),
    # 2026 daily O3_8H 801 > 800 -> IAQI 300
    (
        "2026-daily-O3_8H-801-is-300",
        S26,
        DAILY,
        with_zeros(S26, DAILY, O3_8H="801"),
        {"O3_8H": 300},
        300,
        5,
        {"O3_8H"},
    ),
    # 2026 daily O3_8H 2000 > 800 -> IAQI 300 (not beyond scale 500)
    (
        "2026-daily-O3_8H-2000-is-300",
        S26,
        DAILY,
        with_zeros(S26, DAILY, O3_8H="2000"),
        {"O3_8H": 300},
        300,
        5,
        {"O3_8H"},
    ),
    # AQ08's day under 2026 daily (CSV note): O3_8H 850 -> 300; PM2.5 (50-35)*50/25+50 = 80;
    # NO2 30*50/40 = 37.5 -> 38; O3_1H is not a 2026 daily indicator.
    (
        "2026-daily-AQ08-day-O3_8H-300",
        S26,
        DAILY,
        {"O3_8H": "850", "O3_1H": "950", "PM2_5_24H": "50", "NO2_24H": "30"},
        {"O3_8H": 300, "PM2_5_24H": 80, "NO2_24H": 38},
        300,
        5,
        {"O3_8H"},
    ),
    # 2012 daily includes O3_1H: O3 1h 250 -> 125 is the maximum; O3 8h 100 -> 50
    (
        "2012-daily-includes-O3_1H",
        S12,
        DAILY,
        with_zeros(S12, DAILY, O3_1H="250", O3_8H="100"),
        {"O3_1H": 125, "O3_8H": 50},
        125,
        3,
        {"O3_1H"},
    ),
]


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "iaqi", "aqi", "level", "primary"),
    named(SPECIAL_RULE_CASES),
)
def test_special_rules_for_so2_1h_and_o3_8h_above_800(
    standard, report, inputs, iaqi, aqi, level, primary
):
    result = compute(inputs, report=report, standard=standard)
    check(result, iaqi=iaqi, aqi=aqi, level=level, primary=primary)


O3_1H_IGNORED_CASES = [
    # O3_1H 1100 would be (1100-1000)*100/200+400 = 450 if used; 2026 daily ignores it -> AQI 0
    ("o3-1h-1100-with-zeros", with_zeros(S26, DAILY, O3_1H="1100"), {}, 0, 1),
    # O3_8H 900 > 800 -> 300; O3_1H 1100 must not raise it to 450
    (
        "o3-8h-900-and-o3-1h-1100",
        with_zeros(S26, DAILY, O3_8H="900", O3_1H="1100"),
        {"O3_8H": 300},
        300,
        5,
    ),
    # AQ02 plus O3_1H 950: unchanged, AQI 119 (PM2.5 (80-60)*50/55+100 = 118.18 -> 119)
    (
        "aq02-plus-o3-1h-950",
        {
            "SO2_24H": "10",
            "NO2_24H": "45",
            "PM10_24H": "120",
            "CO_24H": "1.2",
            "O3_8H": "130",
            "PM2_5_24H": "80",
            "O3_1H": "950",
        },
        {"PM2_5_24H": 119, "O3_8H": 75},
        119,
        3,
    ),
]


@pytest.mark.parametrize(
    ("inputs", "iaqi", "aqi", "level"),
    named(O3_1H_IGNORED_CASES),
)
def test_2026_daily_ignores_o3_1h(inputs, iaqi, aqi, level):
    result = compute(inputs, report=DAILY, standard=S26)
    check(result, iaqi=iaqi, aqi=aqi, level=level)
    assert "O3_1H" not in result.iaqi


def test_2012_realtime_uses_24h_moving_pm_not_1h_values():
    # PM2.5 24h 70: (70-35)*(100-50)/(75-35)+50 = 93.75 -> 94; PM10 24h 90: (90-50)*50/100+50 = 70
    # (the 1h values 300 / 400 would give 350 / 375 if they were used)
    inputs = with_zeros(S12, REALTIME, PM2_5_24H="70", PM2_5_1H="300", PM10_24H="90", PM10_1H="400")
    result = compute(inputs, report=REALTIME, standard=S12)
    check(
        result,
        iaqi={"PM2_5_24H": 94, "PM10_24H": 70},
        aqi=94,
        level=2,
        primary={"PM2_5_24H"},
        beyond=False,
    )


def test_2026_realtime_uses_1h_pm_on_daily_breakpoints():
    # PM2.5 1h 120 on the 2026 daily table: (120-115)*(200-150)/(150-115)+150 = 157.14 -> 158
    # PM10 1h 150 on the 2026 daily table: (150-120)*(150-100)/(250-120)+100 = 111.54 -> 112
    # (the 24h values 20 / 20 must not be used)
    inputs = with_zeros(S26, REALTIME, PM2_5_1H="120", PM10_1H="150", PM2_5_24H="20", PM10_24H="20")
    result = compute(inputs, report=REALTIME, standard=S26)
    check(
        result,
        iaqi={"PM2_5_1H": 158, "PM10_1H": 112},
        aqi=158,
        level=4,
        primary={"PM2_5_1H"},
        beyond=False,
    )


@pytest.mark.parametrize(
    ("key", "value", "expected", "level"),
    [
        # PM10 1h 120 on the 2026 daily table -> 100 (2012 table would give 85)
        pytest.param("PM10_1H", "120", 100, 2, id="PM10_1H-120-is-100"),
        # PM2.5 1h 80: (80-60)*(150-100)/(115-60)+100 = 118.18 -> 119 (2012 table: 107)
        pytest.param("PM2_5_1H", "80", 119, 3, id="PM2_5_1H-80-is-119"),
        # PM2.5 1h 60 on breakpoint -> 100 (2012 table: (60-35)*50/40+50 = 81.25 -> 82)
        pytest.param("PM2_5_1H", "60", 100, 2, id="PM2_5_1H-60-is-100"),
    ],
)
def test_2026_realtime_pm_1h_uses_2026_daily_table(key, value, expected, level):
    check_single(S26, REALTIME, key, value, expected, level)


# ---------------------------------------------------------------------------------------------
# 10. Primary pollutant: only when AQI > 50; ties list every pollutant at the maximum.
# ---------------------------------------------------------------------------------------------

PRIMARY_CASES = [
    # PM2.5 1h 60 -> 100, NO2 1h 200 -> 100, CO 1h 10 -> 100: three-way tie
    (
        "2026-realtime-three-way-tie-at-100",
        S26,
        REALTIME,
        with_zeros(S26, REALTIME, PM2_5_1H="60", NO2_1H="200", CO_1H="10"),
        {"PM2_5_1H": 100, "NO2_1H": 100, "CO_1H": 100},
        100,
        2,
        {"PM2_5_1H", "NO2_1H", "CO_1H"},
    ),
    # tie after ceiling: SO2 24h (51-50)*50/100+50 = 50.5 -> 51; PM10 (2026) (51-50)*50/70+50
    # = 50.71 -> 51; NO2 24h 40 -> 50 (not at the max)
    (
        "2026-daily-tie-at-51-after-ceiling",
        S26,
        DAILY,
        with_zeros(S26, DAILY, SO2_24H="51", PM10_24H="51", NO2_24H="40"),
        {"SO2_24H": 51, "PM10_24H": 51, "NO2_24H": 50},
        51,
        2,
        {"SO2_24H", "PM10_24H"},
    ),
    # O3 1h 300 -> 150, PM10 250 -> 150, SO2 1h 650 -> 150: three-way tie
    (
        "2012-realtime-three-way-tie-at-150",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, O3_1H="300", PM10_24H="250", SO2_1H="650"),
        {"O3_1H": 150, "PM10_24H": 150, "SO2_1H": 150},
        150,
        3,
        {"O3_1H", "PM10_24H", "SO2_1H"},
    ),
    # AQI exactly 50 (PM2.5 35 -> 50, SO2 50 -> 50): no primary pollutant
    (
        "2026-daily-aqi-50-has-no-primary",
        S26,
        DAILY,
        with_zeros(S26, DAILY, PM2_5_24H="35", SO2_24H="50"),
        {"PM2_5_24H": 50, "SO2_24H": 50},
        50,
        1,
        set(),
    ),
    # NO2 24h (40.8-40)*(100-50)/(80-40)+50 = 51 exactly -> AQI 51 > 50: primary; PM10 50 -> 50
    (
        "2012-daily-aqi-51-has-primary",
        S12,
        DAILY,
        with_zeros(S12, DAILY, NO2_24H="40.8", PM10_24H="50"),
        {"NO2_24H": 51, "PM10_24H": 50},
        51,
        2,
        {"NO2_24H"},
    ),
    # PM2.5 (36-35)*50/40+50 = 51.25 -> 52; PM10 (52-50)*50/100+50 = 51: no tie
    (
        "2012-realtime-no-tie-when-ceilings-differ",
        S12,
        REALTIME,
        with_zeros(S12, REALTIME, PM2_5_24H="36", PM10_24H="52"),
        {"PM2_5_24H": 52, "PM10_24H": 51},
        52,
        2,
        {"PM2_5_24H"},
    ),
]


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "iaqi", "aqi", "level", "primary"),
    named(PRIMARY_CASES),
)
def test_primary_pollutants_only_above_50_and_ties_list_all(
    standard, report, inputs, iaqi, aqi, level, primary
):
    result = compute(inputs, report=report, standard=standard)
    check(result, iaqi=iaqi, aqi=aqi, level=level, primary=primary)


# ---------------------------------------------------------------------------------------------
# 11. Missing data (decision 6): compute from what is present; publish only if > 100, else NA
#     (aqi None) with the sub-indices still shown. Level is not asserted for NA.
# ---------------------------------------------------------------------------------------------

MISSING_CASES = [
    # AQ06 as given (3 of 7 indicators): 51 <= 100 -> NA; PM2.5 50.125 -> 51, PM10 30, NO2 25
    (
        "2012-daily-AQ06-partial-51-is-NA",
        S12,
        DAILY,
        {"PM2_5_24H": "35.1", "PM10_24H": "30", "NO2_24H": "20"},
        {"PM2_5_24H": 51, "PM10_24H": 30, "NO2_24H": 25},
        None,
        None,
        None,
    ),
    # AQ09 as given (SO2/CO/O3 missing): 94 <= 100 -> NA
    (
        "2012-realtime-AQ09-partial-94-is-NA",
        S12,
        REALTIME,
        {
            "PM2_5_1H": "120",
            "PM2_5_24H": "70",
            "PM10_1H": "150",
            "PM10_24H": "90",
            "NO2_1H": "60",
        },
        {"PM2_5_24H": 94, "PM10_24H": 70, "NO2_1H": 30},
        None,
        None,
        None,
    ),
    # AQ11 as given (CO only): 55 <= 100 -> NA
    (
        "2012-daily-AQ11-CO-only-55-is-NA",
        S12,
        DAILY,
        {"CO_24H": "2.2"},
        {"CO_24H": 55},
        None,
        None,
        None,
    ),
    # PM2.5 only, exactly on breakpoint 60 -> 100: not > 100 -> NA
    (
        "2026-daily-PM2_5-only-100-is-NA",
        S26,
        DAILY,
        {"PM2_5_24H": "60"},
        {"PM2_5_24H": 100},
        None,
        None,
        None,
    ),
    # PM2.5 only, 61: (61-60)*50/55+100 = 100.91 -> 101 > 100 -> published
    (
        "2026-daily-PM2_5-only-101-is-published",
        S26,
        DAILY,
        {"PM2_5_24H": "61"},
        {"PM2_5_24H": 101},
        101,
        3,
        {"PM2_5_24H"},
    ),
    # PM2.5 only, 80 -> 118.18 -> 119 -> published
    (
        "2026-daily-PM2_5-only-119-is-published",
        S26,
        DAILY,
        {"PM2_5_24H": "80"},
        {"PM2_5_24H": 119},
        119,
        3,
        {"PM2_5_24H"},
    ),
    # PM2.5 24h only, 76: (76-75)*50/40+100 = 101.25 -> 102 -> published
    (
        "2012-realtime-PM2_5_24H-only-102-is-published",
        S12,
        REALTIME,
        {"PM2_5_24H": "76"},
        {"PM2_5_24H": 102},
        102,
        3,
        {"PM2_5_24H"},
    ),
    # AQ01 without O3_1H: 107 > 100 -> published as in AQ01
    (
        "2012-daily-AQ01-without-O3_1H-is-published",
        S12,
        DAILY,
        {
            "SO2_24H": "10",
            "NO2_24H": "45",
            "PM10_24H": "120",
            "CO_24H": "1.2",
            "O3_8H": "130",
            "PM2_5_24H": "80",
        },
        {
            "SO2_24H": 10,
            "NO2_24H": 57,
            "PM10_24H": 85,
            "CO_24H": 30,
            "O3_8H": 75,
            "PM2_5_24H": 107,
        },
        107,
        3,
        {"PM2_5_24H"},
    ),
    # AQ05 without SO2: 43 <= 100 -> NA, sub-indices as in AQ05
    (
        "2026-daily-AQ05-without-SO2-is-NA",
        S26,
        DAILY,
        {"NO2_24H": "20", "PM10_24H": "40", "CO_24H": "0.4", "O3_8H": "60", "PM2_5_24H": "30"},
        {"NO2_24H": 25, "PM10_24H": 40, "CO_24H": 10, "O3_8H": 30, "PM2_5_24H": 43},
        None,
        None,
        None,
    ),
    # AQ09's hour under 2026 realtime (CSV note): PM2.5 1h 120 -> 158, PM10 1h 150 -> 112,
    # NO2 1h 60*50/100 = 30; SO2/CO/O3 missing but 158 > 100 -> published
    (
        "2026-realtime-AQ09-hour-158-is-published",
        S26,
        REALTIME,
        {
            "PM2_5_1H": "120",
            "PM2_5_24H": "70",
            "PM10_1H": "150",
            "PM10_24H": "90",
            "NO2_1H": "60",
        },
        {"PM2_5_1H": 158, "PM10_1H": 112, "NO2_1H": 30},
        158,
        4,
        {"PM2_5_1H"},
    ),
    # 2012 daily, O3_8H 850 > 800 with O3_1H 950 -> 375; SO2/CO/PM missing but 375 > 100
    (
        "2012-daily-o3-only-375-is-published",
        S12,
        DAILY,
        {"O3_8H": "850", "O3_1H": "950"},
        {"O3_8H": 375, "O3_1H": 375},
        375,
        6,
        NonEmptySubsetOf({"O3_1H", "O3_8H"}),
    ),
]


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "iaqi", "aqi", "level", "primary"),
    named(MISSING_CASES),
)
def test_missing_data_publishes_aqi_only_above_100(
    standard, report, inputs, iaqi, aqi, level, primary
):
    # A missing measurement is a key supplied without a value; the report's other indicators
    # are supplied that way here, so the case reads "these were measured, the rest were not".
    unmeasured = {key: None for key in REPORT_INDICATORS[(standard, report)] if key not in inputs}
    result = compute({**inputs, **unmeasured}, report=report, standard=standard)
    check(result, iaqi=iaqi, aqi=aqi, level=level, primary=primary)


# The indicators of each report (the correctness contract of compute_aqi).
REPORT_INDICATORS = {
    (S12, DAILY): ("SO2_24H", "NO2_24H", "CO_24H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S26, DAILY): ("SO2_24H", "NO2_24H", "CO_24H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S12, REALTIME): ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "O3_8H", "PM10_24H", "PM2_5_24H"),
    (S26, REALTIME): ("SO2_1H", "NO2_1H", "CO_1H", "O3_1H", "PM10_1H", "PM2_5_1H"),
}


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "aqi"),
    [
        # aqi_worked_examples.csv gives these with only the pollutants that matter: a key that is
        # not supplied is not part of the calculation, so the AQI is published as the file says.
        pytest.param(
            S12, DAILY, {"PM2_5_24H": "35.1", "PM10_24H": "30", "NO2_24H": "20"}, 51, id="AQ06"
        ),
        pytest.param(
            S12, REALTIME, {"PM2_5_24H": "70", "PM10_24H": "90", "NO2_1H": "60"}, 94, id="AQ09"
        ),
        pytest.param(S12, DAILY, {"CO_24H": "2.2"}, 55, id="AQ11"),
    ],
)
def test_worked_examples_with_fewer_pollutants_publish_as_given(standard, report, inputs, aqi):
    assert compute(inputs, report=report, standard=standard).aqi == aqi


@pytest.mark.parametrize("missing", [None, "", float("nan")], ids=["None", "empty", "NaN"])
def test_a_supplied_key_without_a_value_is_a_missing_measurement(missing):
    # PM2.5 (35.1-35)*50/40+50 = 50.125 -> 51 <= 100 with SO2 unmeasured -> NA, sub-index kept
    result = compute({"PM2_5_24H": "35.1", "SO2_24H": missing}, report=DAILY, standard=S12)
    assert result.aqi is None
    assert dict(result.iaqi) == {"PM2_5_24H": 51}


@pytest.mark.parametrize(
    ("standard", "report"),
    [(S12, DAILY), (S26, DAILY), (S12, REALTIME), (S26, REALTIME)],
    ids=["2012-daily", "2026-daily", "2012-realtime", "2026-realtime"],
)
def test_all_missing_gives_na_and_no_subindices(standard, report):
    result = compute({}, report=report, standard=standard)
    assert result.aqi is None
    assert dict(result.iaqi) == {}


def test_2026_daily_with_only_o3_1h_is_all_missing():
    result = compute({"O3_1H": "300"}, report=DAILY, standard=S26)
    assert result.aqi is None
    assert "O3_1H" not in result.iaqi
    assert dict(result.iaqi) == {}


# ---------------------------------------------------------------------------------------------
# 12. Beyond scale (decision 7): above the IAQI-500 breakpoint -> 500 and beyond_scale True;
#     exactly at it -> 500 and False. 2026 rounds the input first.
#     Row: id, standard, report, key, concentration, beyond_scale (IAQI and AQI 500, level 6).
# ---------------------------------------------------------------------------------------------

BEYOND_CASES = [
    ("2012-daily-SO2_24H-2620-at-500", S12, DAILY, "SO2_24H", "2620", False),
    ("2012-daily-SO2_24H-2621-beyond", S12, DAILY, "SO2_24H", "2621", True),
    ("2026-daily-SO2_24H-2621-beyond", S26, DAILY, "SO2_24H", "2621", True),
    # 2012: 940.4 > 940 -> beyond; 2026: 940.4 -> 940 -> exactly 500
    ("2012-daily-NO2_24H-940.4-beyond", S12, DAILY, "NO2_24H", "940.4", True),
    ("2026-daily-NO2_24H-940.4-rounds-to-940", S26, DAILY, "NO2_24H", "940.4", False),
    ("2026-daily-NO2_24H-941-beyond", S26, DAILY, "NO2_24H", "941", True),
    ("2012-realtime-NO2_1H-3840-at-500", S12, REALTIME, "NO2_1H", "3840", False),
    ("2012-realtime-NO2_1H-3841-beyond", S12, REALTIME, "NO2_1H", "3841", True),
    # 3840.5 -> 3840 (half to even)
    ("2026-realtime-NO2_1H-3840.5-rounds-to-3840", S26, REALTIME, "NO2_1H", "3840.5", False),
    ("2026-daily-CO_24H-60-at-500", S26, DAILY, "CO_24H", "60", False),
    # 60.04 -> 60.0
    ("2026-daily-CO_24H-60.04-rounds-to-60.0", S26, DAILY, "CO_24H", "60.04", False),
    ("2026-daily-CO_24H-60.1-beyond", S26, DAILY, "CO_24H", "60.1", True),
    ("2012-daily-CO_24H-60.01-beyond", S12, DAILY, "CO_24H", "60.01", True),
    ("2026-realtime-CO_1H-150-at-500", S26, REALTIME, "CO_1H", "150", False),
    ("2026-realtime-CO_1H-150.1-beyond", S26, REALTIME, "CO_1H", "150.1", True),
    ("2012-realtime-CO_1H-150-at-500", S12, REALTIME, "CO_1H", "150", False),
    ("2012-daily-O3_1H-1200-at-500", S12, DAILY, "O3_1H", "1200", False),
    ("2012-realtime-O3_1H-1201-beyond", S12, REALTIME, "O3_1H", "1201", True),
    # 1200.5 -> 1200 (half to even); 1201.5 -> 1202 (half to even)
    ("2026-realtime-O3_1H-1200.5-rounds-to-1200", S26, REALTIME, "O3_1H", "1200.5", False),
    ("2026-realtime-O3_1H-1201.5-rounds-to-1202", S26, REALTIME, "O3_1H", "1201.5", True),
    ("2012-daily-PM10_24H-600-at-500", S12, DAILY, "PM10_24H", "600", False),
    ("2012-daily-PM10_24H-600.1-beyond", S12, DAILY, "PM10_24H", "600.1", True),
    ("2012-realtime-PM10_24H-600.5-beyond", S12, REALTIME, "PM10_24H", "600.5", True),
    ("2026-realtime-PM10_1H-600-at-500", S26, REALTIME, "PM10_1H", "600", False),
    ("2026-realtime-PM10_1H-601-beyond", S26, REALTIME, "PM10_1H", "601", True),
    ("2012-realtime-PM2_5_24H-500-at-500", S12, REALTIME, "PM2_5_24H", "500", False),
    ("2012-realtime-PM2_5_24H-500.4-beyond", S12, REALTIME, "PM2_5_24H", "500.4", True),
    # 500.5 -> 500 (half to even); 501.5 -> 502; 500.4 -> 500
    ("2026-daily-PM2_5_24H-500.5-rounds-to-500", S26, DAILY, "PM2_5_24H", "500.5", False),
    ("2026-daily-PM2_5_24H-501.5-rounds-to-502", S26, DAILY, "PM2_5_24H", "501.5", True),
    ("2026-realtime-PM2_5_1H-500.4-rounds-to-500", S26, REALTIME, "PM2_5_1H", "500.4", False),
    ("2012-daily-PM2_5_24H-9999-beyond", S12, DAILY, "PM2_5_24H", "9999", True),
]


@pytest.mark.parametrize(
    ("standard", "report", "key", "value", "beyond"),
    named(BEYOND_CASES),
)
def test_beyond_scale_gives_500_and_flag_only_above_the_500_breakpoint(
    standard, report, key, value, beyond
):
    check_single(standard, report, key, value, 500, 6, beyond=beyond)


@pytest.mark.parametrize(
    ("standard", "report", "inputs", "iaqi", "primary"),
    [
        # SO2_1H 900 > 800 -> SO2_24H 2621 > 2620 -> 500, beyond
        pytest.param(
            S12,
            REALTIME,
            with_zeros(S12, REALTIME, SO2_1H="900", SO2_24H="2621"),
            {"SO2_1H": 500},
            {"SO2_1H"},
            id="2012-realtime-SO2-fallback-to-24h-beyond",
        ),
        # O3_8H 801 > 800 -> O3_1H 1201 > 1200 -> 500, beyond (O3_1H and O3_8H tie)
        pytest.param(
            S12,
            DAILY,
            with_zeros(S12, DAILY, O3_8H="801", O3_1H="1201"),
            {"O3_8H": 500, "O3_1H": 500},
            NonEmptySubsetOf({"O3_1H", "O3_8H"}),
            id="2012-daily-O3-fallback-to-1h-beyond",
        ),
        # CO 24h 61 > 60 -> 500 beyond, alongside an ordinary PM2.5 80 -> 119
        pytest.param(
            S26,
            DAILY,
            with_zeros(S26, DAILY, CO_24H="61", PM2_5_24H="80"),
            {"CO_24H": 500, "PM2_5_24H": 119},
            {"CO_24H"},
            id="2026-daily-CO-beyond-with-other-pollutants",
        ),
    ],
)
def test_beyond_scale_through_fallbacks_and_mixed_inputs(standard, report, inputs, iaqi, primary):
    result = compute(inputs, report=report, standard=standard)
    check(result, iaqi=iaqi, aqi=500, level=6, primary=primary, beyond=True)


# ---------------------------------------------------------------------------------------------
# 13. Invalid input raises ValueError.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("standard", "report", "inputs"),
    [
        pytest.param(S12, DAILY, {"PM2_5_24H": "-1"}, id="2012-daily-negative-str"),
        pytest.param(S26, REALTIME, {"CO_1H": -0.1}, id="2026-realtime-negative-float"),
        pytest.param(S26, DAILY, {"NO2_24H": Decimal("-5")}, id="2026-daily-negative-decimal"),
        pytest.param(S12, REALTIME, {"SO2_1H": -3}, id="2012-realtime-negative-int"),
        pytest.param(
            S12,
            DAILY,
            with_zeros(S12, DAILY, PM10_24H="-0.5"),
            id="2012-daily-negative-among-valid",
        ),
    ],
)
def test_negative_concentration_raises_value_error(standard, report, inputs):
    with pytest.raises(ValueError):
        compute(inputs, report=report, standard=standard)


@pytest.mark.parametrize(
    ("standard", "report", "inputs"),
    [
        pytest.param(S12, DAILY, {"PM25_24H": "10"}, id="2012-daily-PM25_24H"),
        pytest.param(S26, REALTIME, {"NH3_1H": "1"}, id="2026-realtime-NH3_1H"),
        pytest.param(S26, DAILY, {"CO": "1"}, id="2026-daily-CO"),
        pytest.param(
            S12,
            REALTIME,
            with_zeros(S12, REALTIME, PM2_5_8H="3"),
            id="2012-realtime-unknown-among-valid",
        ),
    ],
)
def test_unknown_concentration_key_raises_value_error(standard, report, inputs):
    with pytest.raises(ValueError):
        compute(inputs, report=report, standard=standard)


@pytest.mark.parametrize("standard", ["HJ633-2020", "GB3095-2012", ""])
def test_unknown_standard_raises_value_error(standard):
    with pytest.raises(ValueError):
        compute({"PM2_5_24H": "80"}, report=DAILY, standard=standard)


@pytest.mark.parametrize("report", ["hourly", "annual", ""])
def test_unknown_report_raises_value_error(report):
    with pytest.raises(ValueError):
        compute({"PM2_5_24H": "80"}, report=report, standard=S26)

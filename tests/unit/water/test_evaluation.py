"""Period means, river status (W05, W06), city shares, drinking sources, and the properties that
tie the vectorised classifier to the reference one."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.water import evaluation as ev
from services.water import public
from services.water.classify import classify_sample, classify_sums, evaluated_codes
from services.water.items import GRADES, by_code, items
from services.water.model import below_dl_mask

RIVER = "NMH-02"  # a river section of the registry (target III)
RIVER_B = "NMH-03"
LAKE = "HFH-01"  # a lake vertical and drinking-water source (target II)
LAKE_B = "HFH-02"


def frame(*samples: dict) -> pd.DataFrame:
    """Samples as stored: section_code, sampled_on, item columns (NaN = not measured), below_dl."""
    rows = []
    for s in samples:
        row = {"section_code": s["section"], "sampled_on": s["day"]}
        for item in items():
            row[item.column] = s.get(item.code, np.nan)
        row["below_dl"] = below_dl_mask(set(s.get("below", ())))
        rows.append(row)
    return pd.DataFrame(rows)


def month_of(means: ev.PeriodMeans, section: str) -> int:
    return int(np.flatnonzero(means.section_code == section)[0])


# --- period means --------------------------------------------------------------------------


def test_period_mean_is_exact_where_floats_are_not():
    # (0.1 + 0.2) / 2 is 0.15000000000000002 in floats, which would be class II for NH3-N;
    # the exact mean is 0.15, the class I limit
    data = frame(
        {"section": RIVER, "day": date(2025, 3, 3), "NH3_N": 0.1},
        {"section": RIVER, "day": date(2025, 3, 17), "NH3_N": 0.2},
    )
    means = ev.period_means(data, "month")
    assert len(means) == 1
    assert (0.1 + 0.2) / 2 > 0.15
    assert means.classes.grade[0] == 1
    assert means.detail(0).grade == "I"
    assert means.samples[0] == 2


def test_mean_of_ammonia_over_the_class_iii_limit_gives_class_iv_with_multiple():
    data = frame(
        {"section": RIVER, "day": date(2025, 3, 3), "NH3_N": 0.9},
        {"section": RIVER, "day": date(2025, 3, 10), "NH3_N": 1.5},
    )
    detail = ev.period_means(data, "month").detail(0)
    assert detail.grade == "IV"  # mean 1.2
    assert detail.multiples == {"NH3_N": Fraction(1, 5)}


def test_below_detection_counts_as_half_the_limit_in_a_mean():
    # NH3-N <0.05 and 0.3: mean (0.025 + 0.3) / 2 = 0.1625 -> class II (0.15 < x <= 0.5)
    data = frame(
        {"section": RIVER, "day": date(2025, 4, 1), "NH3_N": 0.05, "below": ["NH3_N"]},
        {"section": RIVER, "day": date(2025, 4, 20), "NH3_N": 0.3},
    )
    means = ev.period_means(data, "month")
    assert means.mean("NH3_N")[0] == pytest.approx(0.1625)
    assert means.detail(0).grade == "II"
    assert not means.below[list(by_code()).index("NH3_N"), 0]


def test_an_item_always_below_detection_meets_every_class():
    # a detection limit of 0.4 halves to 0.2, above the class I limit 0.15; still class I
    data = frame(
        {"section": RIVER, "day": date(2025, 4, 1), "NH3_N": 0.4, "below": ["NH3_N"]},
        {"section": RIVER, "day": date(2025, 4, 20), "NH3_N": 0.4, "below": ["NH3_N"]},
    )
    means = ev.period_means(data, "month")
    assert means.classes.grade[0] == 1
    assert means.detail(0).grade == "I"


def test_periods_group_months_quarters_and_years():
    data = frame(
        *[
            {"section": RIVER, "day": date(2024, m, 10), "COD": 10 + m}  # COD 11..22
            for m in range(1, 13)
        ]
    )
    assert len(ev.period_means(data, "month")) == 12
    quarters = ev.period_means(data, "quarter")
    assert [str(p) for p in quarters.period] == [
        "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01",
    ]  # fmt: skip
    # means 12, 15 (the class I-II limit), 18 (III) and 21 (IV)
    assert [quarters.detail(j).grade for j in range(4)] == ["I", "I", "III", "IV"]
    year = ev.period_means(data, "year")
    assert year.detail(0).grade == "III"  # mean 16.5


def test_lake_verticals_use_the_lake_phosphorus_limits():
    data = frame(
        {"section": RIVER, "day": date(2025, 5, 5), "TP": 0.06},
        {"section": LAKE, "day": date(2025, 5, 5), "TP": 0.06},
    )
    means = ev.period_means(data, "month")
    assert means.detail(month_of(means, RIVER)).grade == "II"
    assert means.detail(month_of(means, LAKE)).grade == "IV"  # W02
    assert means.classes.grade[month_of(means, LAKE)] == 4


# --- river status (W05, W06) ---------------------------------------------------------------


def test_w05_ten_sections_eight_in_i_to_iii_is_good():
    status = ev.status_from_shares(Fraction(8, 10), Fraction(1, 10), heavy_below=75)
    assert public.statuses()[status].zh == "良好"


def test_w06_sixty_percent_with_forty_percent_worst_depends_on_the_reading():
    good, worst = Fraction(12, 20), Fraction(8, 20)
    assert public.statuses()[ev.status_from_shares(good, worst, heavy_below=75)].zh == "重度污染"
    assert ev.status_from_shares(good, worst, heavy_below=60) is None


@pytest.mark.parametrize(
    ("good", "worst", "expected"),
    [
        (Fraction(9, 10), Fraction(0), "优"),
        (Fraction(89, 100), Fraction(0), "良好"),
        (Fraction(3, 4), Fraction(1, 4), "良好"),
        (Fraction(74, 100), Fraction(19, 100), "轻度污染"),
        (Fraction(70, 100), Fraction(20, 100), "中度污染"),
        (Fraction(50, 100), Fraction(39, 100), "中度污染"),
        (Fraction(59, 100), Fraction(40, 100), "重度污染"),
    ],
)
def test_status_thresholds(good, worst, expected):
    assert public.statuses()[ev.status_from_shares(good, worst, heavy_below=75)].zh == expected


def test_a_river_with_five_sections_takes_its_status_from_the_shares():
    codes = ["NMH-01", "NMH-02", "NMH-03", "NMH-04", "NMH-05"]
    ammonia = [0.4, 0.9, 0.9, 1.8, 2.5]  # II, III, III, V, 劣V -> 60 % I-III, 20 % 劣V
    data = frame(*[{"section": c, "day": date(2025, 6, 2), "NH3_N": v}
                   for c, v in zip(codes, ammonia, strict=True)])  # fmt: skip
    means = ev.period_means(data, "month")
    status = ev.water_status(means, range(5), heavy_below=75)
    assert (status.method, status.sections) == ("shares", 5)
    assert status.share_good == Fraction(3, 5) and status.share_worst == Fraction(1, 5)
    assert public.statuses()[status.status].zh == "中度污染"


def test_fewer_than_five_sections_are_averaged_then_classed():
    # NH3-N 0.9 (III) and 1.2 (IV): the mean 1.05 is class IV, limiting NH3-N
    data = frame(
        {"section": RIVER, "day": date(2025, 6, 2), "NH3_N": 0.9},
        {"section": RIVER_B, "day": date(2025, 6, 2), "NH3_N": 1.2},
    )
    means = ev.period_means(data, "month")
    status = ev.water_status(means, range(2), heavy_below=75)
    assert (status.method, status.grade) == ("mean", 4)
    assert status.detail.limiting_items == ("NH3_N",)
    assert status.detail.multiples["NH3_N"] == Fraction(1, 20)
    assert public.statuses()[status.status].zh == "轻度污染"


# --- city shares and drinking sources -------------------------------------------------------


def test_city_shares_count_classes_and_targets():
    data = frame(
        {"section": RIVER, "day": date(2025, 7, 1), "NH3_N": 0.9},  # III, target III
        {"section": RIVER_B, "day": date(2025, 7, 1), "NH3_N": 2.5},  # 劣V
        {"section": LAKE, "day": date(2025, 7, 1), "TP": 0.04},  # lake III, target II
        {"section": LAKE_B, "day": date(2025, 7, 1), "TP": 0.02},  # lake II, target II
    )
    (shares,) = ev.city_shares(ev.period_means(data, "month"))
    assert (shares.sections, shares.good, shares.worst, shares.on_target) == (4, 3, 1, 2)
    assert shares.good_share == Fraction(3, 4)


def test_drinking_source_complies_only_with_table_1_at_iii_and_table_2_limits():
    clean = {"DO": 8, "NH3_N": 0.2, "TP": 0.02, "Mn": 0.05, "Fe": 0.1}
    data = frame(
        {"section": LAKE, "day": date(2025, 8, 4), **clean},
        {"section": LAKE_B, "day": date(2025, 8, 4), **clean, "Mn": 0.2},
    )
    (source,) = ev.drinking_sources(ev.period_means(data, "month"))
    # mean Mn over the two verticals (0.05 + 0.2) / 2 = 0.125 > 0.1
    assert source.verticals == 2
    assert not source.compliant
    assert source.failing == {"Mn": Fraction(1, 8)}

    fine = frame({"section": LAKE, "day": date(2025, 9, 4), **clean})
    (source,) = ev.drinking_sources(ev.period_means(fine, "month"))
    assert source.compliant and source.grade == 2  # TP 0.02 in a lake is class II

    phosphorus = frame({"section": LAKE, "day": date(2025, 9, 4), **clean, "TP": 0.06})
    (source,) = ev.drinking_sources(ev.period_means(phosphorus, "month"))
    assert set(source.failing) == {"TP"} and source.grade == 4


def test_multiple_text_rounds_half_to_even_exactly():
    assert public.multiple_text(Fraction(1, 5)) == "0.2"
    assert public.multiple_text(Fraction(1, 4)) == "0.25"
    assert public.multiple_text(Fraction(1, 8)) == "0.12"  # 0.125 -> 0.12
    assert public.multiple_text(Fraction(3, 8)) == "0.38"  # 0.375 -> 0.38
    assert public.multiple_text(Fraction(2)) == "2"


# --- properties ----------------------------------------------------------------------------

EVALUATED = [by_code()[c] for c in evaluated_codes()]


def _value(item, draw_fraction: Fraction) -> Fraction:
    """Spread values over the item's classes: up to 1.5 x its class V limit (pH 4-10)."""
    if item.code == "pH":
        return 4 + 6 * draw_fraction
    top = Fraction(item.limits[4]) * Fraction(3, 2)
    return (top * draw_fraction).limit_denominator(10**6)


samples = st.lists(
    st.fractions(min_value=0, max_value=1, max_denominator=1000),
    min_size=len(EVALUATED),
    max_size=len(EVALUATED),
)


@settings(max_examples=300, deadline=None)
@given(samples, st.booleans())
def test_the_vectorised_classes_equal_the_reference(draws, lake):
    values = {item.code: _value(item, d) for item, d in zip(EVALUATED, draws, strict=True)}
    waterbody = "lake" if lake else "river"
    reference = classify_sample(values, waterbody=waterbody)
    sums = np.array([[item.scaled(values[item.code])] for item in EVALUATED], dtype=np.int64)
    result = classify_sums(sums, None, lake=np.array([lake]))
    assert GRADES[int(result.grade[0]) - 1] == reference.grade
    assert dict(zip(evaluated_codes(), result.item_class[:, 0].tolist(), strict=True)) == (
        reference.item_classes
    )
    limiting = {c for c, flag in zip(evaluated_codes(), result.limiting[:, 0], strict=True) if flag}
    assert limiting == set(reference.limiting_items)


@settings(max_examples=300, deadline=None)
@given(samples, st.integers(0, len(EVALUATED) - 1), st.fractions(0, 5, max_denominator=100),
       st.booleans())  # fmt: skip
def test_raising_one_item_never_improves_the_class(draws, index, step, lake):
    values = {item.code: _value(item, d) for item, d in zip(EVALUATED, draws, strict=True)}
    item = EVALUATED[index]
    worse = dict(values)
    if item.code == "DO":
        worse["DO"] = max(Fraction(0), values["DO"] - step)  # less oxygen is worse
    elif item.code == "pH":
        # moving pH away from the middle of 6-9 is "more"
        middle = Fraction(15, 2)
        direction = 1 if values["pH"] >= middle else -1
        worse["pH"] = values["pH"] + direction * step
    else:
        worse[item.code] = values[item.code] + step * Fraction(item.limits[4])
    waterbody = "lake" if lake else "river"
    before = classify_sample(values, waterbody=waterbody)
    after = classify_sample(worse, waterbody=waterbody)
    assert after.level >= before.level
    assert after.item_classes[item.code] >= before.item_classes[item.code]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(samples, st.booleans(), st.integers(0, 2**21 - 1)), min_size=1,
                max_size=8))  # fmt: skip
def test_classify_samples_agrees_with_the_reference_row_by_row(rows):
    records, expected = [], []
    for draws, lake, below_bits in rows:
        values = {item.code: _value(item, d) for item, d in zip(EVALUATED, draws, strict=True)}
        below = {item.code for i, item in enumerate(EVALUATED) if below_bits >> i & 1}
        below.discard("pH")
        below.discard("DO")
        section = LAKE if lake else RIVER
        records.append(
            {"section": section, "day": date(2025, 1, 1), "below": below,
             **{c: float(v) for c, v in values.items()}}
        )  # fmt: skip
        reference = classify_sample(
            {c: float(v) for c, v in values.items()},
            waterbody="lake" if lake else "river",
            below_dl=below,
        )
        expected.append(reference.level)
    result = ev.classify_samples(frame(*records))
    assert result.grade.tolist() == expected

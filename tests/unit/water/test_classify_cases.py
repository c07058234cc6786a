"""Hand-derived cases for ``services.water.classify.classify_sample`` (GB 3838-2002).

Every expected class, limiting-item list, exceedance multiple and main-pollutant order below is
typed as a literal, derived by hand from GB 3838-2002 Table 1 (the limits in
``content/standards/gb3838_limits.csv``), the worked examples W01-W04 in
``content/standards/other_worked_examples.csv``, decision 8 of ``content/standards/DECISIONS.md``
and the summary in ``docs/decisions.md``. Nothing is computed from the limits file or from the
implementation; the only thing imported from it is ``classify_sample``.

Limits used (classes I / II / III / IV / V; "<=" unless noted):

    pH 6-9 (every class)           DO >= 7.5 / 6 / 5 / 3 / 2
    CODMn 2 / 4 / 6 / 10 / 15       COD 15 / 15 / 20 / 30 / 40      BOD5 3 / 3 / 4 / 6 / 10
    NH3_N 0.15 / 0.5 / 1.0 / 1.5 / 2.0
    TP river 0.02 / 0.1 / 0.2 / 0.3 / 0.4        TP lake 0.01 / 0.025 / 0.05 / 0.1 / 0.2
    Cu 0.01 / 1.0 / 1.0 / 1.0 / 1.0               Zn 0.05 / 1.0 / 1.0 / 2.0 / 2.0
    F 1.0 / 1.0 / 1.0 / 1.5 / 1.5                 Se 0.01 / 0.01 / 0.01 / 0.02 / 0.02
    As 0.05 / 0.05 / 0.05 / 0.1 / 0.1             Hg 0.00005 / 0.00005 / 0.0001 / 0.001 / 0.001
    Cd 0.001 / 0.005 / 0.005 / 0.005 / 0.01       Cr6 0.01 / 0.05 / 0.05 / 0.05 / 0.1
    Pb 0.01 / 0.01 / 0.05 / 0.05 / 0.1            CN 0.005 / 0.05 / 0.2 / 0.2 / 0.2
    phenol 0.002 / 0.002 / 0.005 / 0.01 / 0.1     petroleum 0.05 / 0.05 / 0.05 / 0.5 / 1.0
    LAS 0.2 / 0.2 / 0.2 / 0.3 / 0.3               sulfide 0.05 / 0.1 / 0.2 / 0.5 / 1.0
    TN and fecal coliform: reported, never part of the class.

A value equal to a limit is in that class; where a limit repeats, the best class applies.
"""

from __future__ import annotations

import pytest

from services.water.classify import classify_sample

RIVER = "river"
LAKE = "lake"
WATERBODIES = (RIVER, LAKE)

# A sample with all 21 evaluated items comfortably inside class I (river and lake alike:
# TP 0.01 is class I in both columns).
CLEAN = {
    "pH": 7.5,
    "DO": 8.0,
    "CODMn": 1.5,
    "COD": 10.0,
    "BOD5": 2.0,
    "NH3_N": 0.1,
    "TP": 0.01,
    "Cu": 0.005,
    "Zn": 0.02,
    "F": 0.5,
    "Se": 0.005,
    "As": 0.01,
    "Hg": 0.00003,
    "Cd": 0.0005,
    "Cr6": 0.004,
    "Pb": 0.005,
    "CN": 0.002,
    "phenol": 0.001,
    "petroleum": 0.02,
    "LAS": 0.1,
    "sulfide": 0.02,
}
assert len(CLEAN) == 21


def clean(**overrides: float | None) -> dict[str, float | None]:
    """The all-class-I sample with some items replaced (or added, e.g. TN)."""
    return {**CLEAN, **overrides}


def same_items(actual, expected) -> bool:
    """Order-insensitive comparison that still catches duplicates."""
    return sorted(actual) == sorted(expected)


# ---------------------------------------------------------------------------------------------
# 1. Worked examples W01-W04 (other_worked_examples.csv)
# ---------------------------------------------------------------------------------------------


def test_w01_river_class_iv_tp_and_nh3n():
    # DO 5.5: 5 <= 5.5 < 6 -> III; CODMn 5: 4 < 5 <= 6 -> III; COD 18: 15 < 18 <= 20 -> III;
    # BOD5 3.5: 3 < 3.5 <= 4 -> III; NH3_N 1.2: 1.0 < 1.2 <= 1.5 -> IV;
    # TP 0.25 (river): 0.2 < 0.25 <= 0.3 -> IV. The other 15 items at class I.
    values = clean(DO=5.5, CODMn=5.0, COD=18.0, BOD5=3.5, NH3_N=1.2, TP=0.25)
    r = classify_sample(values, waterbody=RIVER)
    assert r.grade == "IV"
    assert same_items(r.limiting_items, ("NH3_N", "TP"))
    # TP (0.25 - 0.2) / 0.2 = 0.25; NH3_N (1.2 - 1.0) / 1.0 = 0.20
    assert r.exceedance == pytest.approx({"TP": 0.25, "NH3_N": 0.2})
    # same class -> by multiple: TP (x0.25) before NH3_N (x0.20)
    assert tuple(r.main_pollutants) == ("TP", "NH3_N")


@pytest.mark.parametrize(
    ("waterbody", "grade", "multiple"),
    [
        (RIVER, "II", None),  # 0.02 < 0.06 <= 0.1
        (LAKE, "IV", 0.2),  # 0.05 < 0.06 <= 0.1; (0.06 - 0.05) / 0.05 = 0.2
    ],
)
def test_w02_tp_lake_vs_river(waterbody, grade, multiple):
    r = classify_sample({"TP": 0.06}, waterbody=waterbody)
    assert r.grade == grade
    assert tuple(r.limiting_items) == ("TP",)
    assert r.exceedance == ({} if multiple is None else pytest.approx({"TP": multiple}))


@pytest.mark.parametrize("waterbody", WATERBODIES)
def test_w02_tp_lake_vs_river_in_full_sample(waterbody):
    r = classify_sample(clean(TP=0.06), waterbody=waterbody)
    assert r.grade == {RIVER: "II", LAKE: "IV"}[waterbody]
    assert tuple(r.limiting_items) == ("TP",)


@pytest.mark.parametrize("waterbody", WATERBODIES)
def test_w03_do_direction(waterbody):
    # DO is ">=": 3 <= 4.0 < 5 -> IV; DO never gets a multiple
    r = classify_sample({"DO": 4.0}, waterbody=waterbody)
    assert r.grade == "IV"
    assert tuple(r.limiting_items) == ("DO",)
    assert r.exceedance == {}
    r = classify_sample(clean(DO=4.0), waterbody=waterbody)
    assert r.grade == "IV"
    assert tuple(r.limiting_items) == ("DO",)
    assert r.exceedance == {}


@pytest.mark.parametrize("waterbody", WATERBODIES)
def test_w04_worse_than_v(waterbody):
    # COD 45 > 40 -> 劣V; (45 - 20) / 20 = 1.25
    for values in ({"COD": 45.0}, clean(COD=45.0)):
        r = classify_sample(values, waterbody=waterbody)
        assert r.grade == "劣V"
        assert tuple(r.limiting_items) == ("COD",)
        assert r.exceedance == pytest.approx({"COD": 1.25})
        assert tuple(r.main_pollutants) == ("COD",)


# ---------------------------------------------------------------------------------------------
# 2. Every evaluated item at each distinct class limit and just past it (TP: see section 4)
# ---------------------------------------------------------------------------------------------

ITEM_LIMIT_CASES = [
    # pH (range 6-9, class I inside)
    ("pH", 6.0, "I"),
    ("pH", 5.99, "劣V"),
    ("pH", 9.0, "I"),
    ("pH", 9.01, "劣V"),
    # DO (>=): at the limit in the class, just below it one class worse
    ("DO", 7.5, "I"),
    ("DO", 7.49, "II"),
    ("DO", 6.0, "II"),
    ("DO", 5.99, "III"),
    ("DO", 5.0, "III"),
    ("DO", 4.99, "IV"),
    ("DO", 3.0, "IV"),
    ("DO", 2.99, "V"),
    ("DO", 2.0, "V"),
    ("DO", 1.99, "劣V"),
    # CODMn 2 / 4 / 6 / 10 / 15
    ("CODMn", 2.0, "I"),
    ("CODMn", 2.1, "II"),
    ("CODMn", 4.0, "II"),
    ("CODMn", 4.1, "III"),
    ("CODMn", 6.0, "III"),
    ("CODMn", 6.1, "IV"),
    ("CODMn", 10.0, "IV"),
    ("CODMn", 10.1, "V"),
    ("CODMn", 15.0, "V"),
    ("CODMn", 15.1, "劣V"),
    # COD 15 / 15 / 20 / 30 / 40
    ("COD", 15.0, "I"),
    ("COD", 15.1, "III"),
    ("COD", 20.0, "III"),
    ("COD", 20.1, "IV"),
    ("COD", 30.0, "IV"),
    ("COD", 30.1, "V"),
    ("COD", 40.0, "V"),
    ("COD", 40.1, "劣V"),
    # BOD5 3 / 3 / 4 / 6 / 10
    ("BOD5", 3.0, "I"),
    ("BOD5", 3.1, "III"),
    ("BOD5", 4.0, "III"),
    ("BOD5", 4.1, "IV"),
    ("BOD5", 6.0, "IV"),
    ("BOD5", 6.1, "V"),
    ("BOD5", 10.0, "V"),
    ("BOD5", 10.1, "劣V"),
    # NH3_N 0.15 / 0.5 / 1.0 / 1.5 / 2.0
    ("NH3_N", 0.15, "I"),
    ("NH3_N", 0.16, "II"),
    ("NH3_N", 0.5, "II"),
    ("NH3_N", 0.51, "III"),
    ("NH3_N", 1.0, "III"),
    ("NH3_N", 1.01, "IV"),
    ("NH3_N", 1.5, "IV"),
    ("NH3_N", 1.51, "V"),
    ("NH3_N", 2.0, "V"),
    ("NH3_N", 2.01, "劣V"),
    # Cu 0.01 / 1.0 / 1.0 / 1.0 / 1.0
    ("Cu", 0.01, "I"),
    ("Cu", 0.011, "II"),
    ("Cu", 1.0, "II"),
    ("Cu", 1.01, "劣V"),
    # Zn 0.05 / 1.0 / 1.0 / 2.0 / 2.0
    ("Zn", 0.05, "I"),
    ("Zn", 0.051, "II"),
    ("Zn", 1.0, "II"),
    ("Zn", 1.01, "IV"),
    ("Zn", 2.0, "IV"),
    ("Zn", 2.01, "劣V"),
    # F 1.0 / 1.0 / 1.0 / 1.5 / 1.5
    ("F", 1.0, "I"),
    ("F", 1.01, "IV"),
    ("F", 1.5, "IV"),
    ("F", 1.51, "劣V"),
    # Se 0.01 / 0.01 / 0.01 / 0.02 / 0.02
    ("Se", 0.01, "I"),
    ("Se", 0.011, "IV"),
    ("Se", 0.02, "IV"),
    ("Se", 0.021, "劣V"),
    # As 0.05 / 0.05 / 0.05 / 0.1 / 0.1
    ("As", 0.05, "I"),
    ("As", 0.051, "IV"),
    ("As", 0.1, "IV"),
    ("As", 0.101, "劣V"),
    # Hg 0.00005 / 0.00005 / 0.0001 / 0.001 / 0.001
    ("Hg", 0.00005, "I"),
    ("Hg", 0.00006, "III"),
    ("Hg", 0.0001, "III"),
    ("Hg", 0.00011, "IV"),
    ("Hg", 0.001, "IV"),
    ("Hg", 0.0011, "劣V"),
    # Cd 0.001 / 0.005 / 0.005 / 0.005 / 0.01
    ("Cd", 0.001, "I"),
    ("Cd", 0.0011, "II"),
    ("Cd", 0.005, "II"),
    ("Cd", 0.0051, "V"),
    ("Cd", 0.01, "V"),
    ("Cd", 0.0101, "劣V"),
    # Cr6 0.01 / 0.05 / 0.05 / 0.05 / 0.1
    ("Cr6", 0.01, "I"),
    ("Cr6", 0.011, "II"),
    ("Cr6", 0.05, "II"),
    ("Cr6", 0.051, "V"),
    ("Cr6", 0.1, "V"),
    ("Cr6", 0.101, "劣V"),
    # Pb 0.01 / 0.01 / 0.05 / 0.05 / 0.1
    ("Pb", 0.01, "I"),
    ("Pb", 0.011, "III"),
    ("Pb", 0.05, "III"),
    ("Pb", 0.051, "V"),
    ("Pb", 0.1, "V"),
    ("Pb", 0.101, "劣V"),
    # CN 0.005 / 0.05 / 0.2 / 0.2 / 0.2
    ("CN", 0.005, "I"),
    ("CN", 0.0051, "II"),
    ("CN", 0.05, "II"),
    ("CN", 0.051, "III"),
    ("CN", 0.2, "III"),
    ("CN", 0.201, "劣V"),
    # phenol 0.002 / 0.002 / 0.005 / 0.01 / 0.1
    ("phenol", 0.002, "I"),
    ("phenol", 0.0021, "III"),
    ("phenol", 0.005, "III"),
    ("phenol", 0.0051, "IV"),
    ("phenol", 0.01, "IV"),
    ("phenol", 0.011, "V"),
    ("phenol", 0.1, "V"),
    ("phenol", 0.101, "劣V"),
    # petroleum 0.05 / 0.05 / 0.05 / 0.5 / 1.0
    ("petroleum", 0.05, "I"),
    ("petroleum", 0.051, "IV"),
    ("petroleum", 0.5, "IV"),
    ("petroleum", 0.51, "V"),
    ("petroleum", 1.0, "V"),
    ("petroleum", 1.01, "劣V"),
    # LAS 0.2 / 0.2 / 0.2 / 0.3 / 0.3
    ("LAS", 0.2, "I"),
    ("LAS", 0.21, "IV"),
    ("LAS", 0.3, "IV"),
    ("LAS", 0.31, "劣V"),
    # sulfide 0.05 / 0.1 / 0.2 / 0.5 / 1.0
    ("sulfide", 0.05, "I"),
    ("sulfide", 0.051, "II"),
    ("sulfide", 0.1, "II"),
    ("sulfide", 0.11, "III"),
    ("sulfide", 0.2, "III"),
    ("sulfide", 0.21, "IV"),
    ("sulfide", 0.5, "IV"),
    ("sulfide", 0.51, "V"),
    ("sulfide", 1.0, "V"),
    ("sulfide", 1.01, "劣V"),
]


def _case_id(case) -> str:
    item, value, grade = case
    return f"{item}={value!r}->{grade}"


@pytest.mark.parametrize("waterbody", WATERBODIES)
@pytest.mark.parametrize("case", ITEM_LIMIT_CASES, ids=_case_id)
def test_item_limit_alone(case, waterbody):
    """Only the item under test is measured (all others absent)."""
    item, value, grade = case
    r = classify_sample({item: value}, waterbody=waterbody)
    assert r.grade == grade
    assert tuple(r.limiting_items) == (() if grade == "I" else (item,))


@pytest.mark.parametrize("waterbody", WATERBODIES)
@pytest.mark.parametrize("case", ITEM_LIMIT_CASES, ids=_case_id)
def test_item_limit_in_clean_sample(case, waterbody):
    """The item under test among the other 20 items, all at class I."""
    item, value, grade = case
    r = classify_sample(clean(**{item: value}), waterbody=waterbody)
    assert r.grade == grade
    assert tuple(r.limiting_items) == (() if grade == "I" else (item,))


# ---------------------------------------------------------------------------------------------
# 3. pH and DO edge cases
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ph", "grade"),
    [(6.0, "I"), (9.0, "I"), (7.0, "I"), (5.99, "劣V"), (9.01, "劣V"), (4.0, "劣V"), (10.5, "劣V")],
)
def test_ph_edges(ph, grade):
    r = classify_sample(clean(pH=ph), waterbody=RIVER)
    assert r.grade == grade
    assert tuple(r.limiting_items) == (() if grade == "I" else ("pH",))
    assert "pH" not in r.exceedance  # pH never gets a multiple


def test_ph_inside_range_does_not_limit_a_worse_section():
    # pH 7 (class I) with NH3_N 1.2 (IV): only NH3_N limits
    r = classify_sample(clean(pH=7.0, NH3_N=1.2), waterbody=RIVER)
    assert r.grade == "IV"
    assert tuple(r.limiting_items) == ("NH3_N",)


def test_ph_out_of_range_limits_together_with_other_worst_items():
    # pH 9.5 -> 劣V; COD 45 -> 劣V; NH3_N 1.2 -> IV
    r = classify_sample(clean(pH=9.5, COD=45.0, NH3_N=1.2), waterbody=RIVER)
    assert r.grade == "劣V"
    assert same_items(r.limiting_items, ("pH", "COD"))
    assert r.exceedance == pytest.approx({"COD": 1.25, "NH3_N": 0.2})


@pytest.mark.parametrize(
    ("do", "grade"),
    [
        (9.0, "I"),
        (7.5, "I"),
        (7.49, "II"),
        (6.0, "II"),
        (5.99, "III"),
        (5.0, "III"),
        (4.0, "IV"),
        (3.0, "IV"),
        (2.99, "V"),
        (2.0, "V"),
        (1.99, "劣V"),
        (0.5, "劣V"),
    ],
)
def test_do_edges(do, grade):
    r = classify_sample(clean(DO=do), waterbody=LAKE)
    assert r.grade == grade
    assert tuple(r.limiting_items) == (() if grade == "I" else ("DO",))
    assert r.exceedance == {}  # DO never gets a multiple


# ---------------------------------------------------------------------------------------------
# 4. Total phosphorus: lake column vs river column
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tp", "river", "lake"),
    [
        (0.01, "I", "I"),
        (0.011, "I", "II"),
        (0.02, "I", "II"),
        (0.021, "II", "II"),
        (0.025, "II", "II"),
        (0.026, "II", "III"),
        (0.05, "II", "III"),
        (0.051, "II", "IV"),
        (0.06, "II", "IV"),
        (0.1, "II", "IV"),
        (0.101, "III", "V"),
        (0.2, "III", "V"),
        (0.201, "IV", "劣V"),
        (0.21, "IV", "劣V"),
        (0.3, "IV", "劣V"),
        (0.301, "V", "劣V"),
        (0.4, "V", "劣V"),
        (0.401, "劣V", "劣V"),
        (0.41, "劣V", "劣V"),
    ],
)
@pytest.mark.parametrize("background", ["absent", "clean"])
def test_tp_lake_vs_river(tp, river, lake, background):
    for waterbody, grade in ((RIVER, river), (LAKE, lake)):
        values = {"TP": tp} if background == "absent" else clean(TP=tp)
        r = classify_sample(values, waterbody=waterbody)
        assert r.grade == grade, waterbody
        assert tuple(r.limiting_items) == (() if grade == "I" else ("TP",)), waterbody


@pytest.mark.parametrize(
    ("tp", "waterbody", "multiple"),
    [
        (0.25, RIVER, 0.25),  # (0.25 - 0.2) / 0.2
        (0.3, RIVER, 0.5),  # (0.3 - 0.2) / 0.2
        (0.5, RIVER, 1.5),  # (0.5 - 0.2) / 0.2
        (0.06, LAKE, 0.2),  # (0.06 - 0.05) / 0.05
        (0.1, LAKE, 1.0),  # (0.1 - 0.05) / 0.05
        (0.25, LAKE, 4.0),  # (0.25 - 0.05) / 0.05
    ],
)
def test_tp_multiple_uses_the_waterbody_column(tp, waterbody, multiple):
    r = classify_sample({"TP": tp}, waterbody=waterbody)
    assert r.exceedance == pytest.approx({"TP": multiple})


@pytest.mark.parametrize(("tp", "waterbody"), [(0.2, RIVER), (0.1, RIVER), (0.05, LAKE)])
def test_tp_at_class_iii_or_better_has_no_multiple(tp, waterbody):
    r = classify_sample({"TP": tp}, waterbody=waterbody)
    assert r.exceedance == {}


# ---------------------------------------------------------------------------------------------
# 5. Below the detection limit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("waterbody", WATERBODIES)
def test_below_dl_alone_is_class_i(waterbody):
    # Hg 0.0002 would be class IV, but "<DL" meets every class
    r = classify_sample({"Hg": 0.0002}, waterbody=waterbody, below_dl={"Hg"})
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()
    assert r.exceedance == {}
    assert tuple(r.main_pollutants) == ()


def test_below_dl_in_clean_sample_is_class_i():
    r = classify_sample(clean(Hg=0.0002, Cd=0.02), waterbody=RIVER, below_dl=("Hg", "Cd"))
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()
    assert r.exceedance == {}


def test_below_dl_item_never_limits():
    # NH3_N 0.3 -> II; Cu 0.005 (would be I anyway) and Hg 0.0002 are below the DL
    r = classify_sample(
        clean(NH3_N=0.3, Cu=0.005, Hg=0.0002), waterbody=RIVER, below_dl=["Cu", "Hg"]
    )
    assert r.grade == "II"
    assert tuple(r.limiting_items) == ("NH3_N",)


def test_below_dl_item_has_no_multiple_and_is_no_main_pollutant():
    # NH3_N 1.2 -> IV (x0.2); Hg 0.0003 flagged below DL -> class I, no multiple
    r = classify_sample(clean(NH3_N=1.2, Hg=0.0003), waterbody=RIVER, below_dl=frozenset({"Hg"}))
    assert r.grade == "IV"
    assert tuple(r.limiting_items) == ("NH3_N",)
    assert r.exceedance == pytest.approx({"NH3_N": 0.2})
    assert tuple(r.main_pollutants) == ("NH3_N",)


def test_below_dl_does_not_hide_other_items():
    # the flag applies only to the listed item: COD 45 still 劣V
    r = classify_sample(clean(COD=45.0, Hg=0.0003), waterbody=LAKE, below_dl=("Hg",))
    assert r.grade == "劣V"
    assert tuple(r.limiting_items) == ("COD",)


# ---------------------------------------------------------------------------------------------
# 6. 劣V from different items, several limiting items, class I has none, absent items
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value", "waterbody"),
    [
        ("pH", 5.5, RIVER),
        ("pH", 9.5, LAKE),
        ("DO", 1.5, RIVER),
        ("COD", 45.0, LAKE),
        ("CODMn", 16.0, RIVER),
        ("NH3_N", 2.5, RIVER),
        ("TP", 0.25, LAKE),
        ("Hg", 0.002, RIVER),
        ("CN", 0.25, RIVER),
        ("phenol", 0.2, LAKE),
        ("Cu", 1.5, RIVER),
        ("sulfide", 1.2, LAKE),
    ],
)
def test_worse_than_v_from_one_item(item, value, waterbody):
    r = classify_sample(clean(**{item: value}), waterbody=waterbody)
    assert r.grade == "劣V"
    assert tuple(r.limiting_items) == (item,)


def test_several_items_at_worst_class_all_limit():
    # COD 45 (劣V), NH3_N 2.5 (劣V), Hg 0.002 (劣V), BOD5 5 (IV)
    r = classify_sample(clean(COD=45.0, NH3_N=2.5, Hg=0.002, BOD5=5.0), waterbody=RIVER)
    assert r.grade == "劣V"
    assert same_items(r.limiting_items, ("COD", "NH3_N", "Hg"))


def test_ph_and_do_both_limit():
    # pH 5 (劣V), DO 1 (劣V), NH3_N 1.8 (V)
    r = classify_sample(clean(pH=5.0, DO=1.0, NH3_N=1.8), waterbody=LAKE)
    assert r.grade == "劣V"
    assert same_items(r.limiting_items, ("pH", "DO"))


def test_several_items_at_class_iv_all_limit():
    # CODMn 8 (IV), Zn 1.5 (IV), F 1.2 (IV), LAS 0.25 (IV), COD 18 (III)
    r = classify_sample(clean(CODMn=8.0, Zn=1.5, F=1.2, LAS=0.25, COD=18.0), waterbody=RIVER)
    assert r.grade == "IV"
    assert same_items(r.limiting_items, ("CODMn", "Zn", "F", "LAS"))


def test_several_items_at_class_ii_all_limit():
    # NH3_N 0.3 (II), TP river 0.05 (II), Cd 0.003 (II), CODMn 3 (II)
    r = classify_sample(clean(NH3_N=0.3, TP=0.05, Cd=0.003, CODMn=3.0), waterbody=RIVER)
    assert r.grade == "II"
    assert same_items(r.limiting_items, ("NH3_N", "TP", "Cd", "CODMn"))
    assert r.exceedance == {}
    assert tuple(r.main_pollutants) == ()


def test_do_class_iii_limits_above_class_ii_items():
    # DO 5.5 (III), NH3_N 0.3 (II)
    r = classify_sample(clean(DO=5.5, NH3_N=0.3), waterbody=RIVER)
    assert r.grade == "III"
    assert tuple(r.limiting_items) == ("DO",)


@pytest.mark.parametrize("waterbody", WATERBODIES)
def test_class_i_has_no_limiting_items(waterbody):
    r = classify_sample(CLEAN, waterbody=waterbody)
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()
    assert r.exceedance == {}
    assert tuple(r.main_pollutants) == ()


def test_class_i_at_every_class_i_limit():
    # every item exactly at its class I limit (DO exactly 7.5, pH exactly 6 and 9 elsewhere)
    at_limit = {
        "pH": 6.0,
        "DO": 7.5,
        "CODMn": 2.0,
        "COD": 15.0,
        "BOD5": 3.0,
        "NH3_N": 0.15,
        "TP": 0.02,
        "Cu": 0.01,
        "Zn": 0.05,
        "F": 1.0,
        "Se": 0.01,
        "As": 0.05,
        "Hg": 0.00005,
        "Cd": 0.001,
        "Cr6": 0.01,
        "Pb": 0.01,
        "CN": 0.005,
        "phenol": 0.002,
        "petroleum": 0.05,
        "LAS": 0.2,
        "sulfide": 0.05,
    }
    r = classify_sample(at_limit, waterbody=RIVER)
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()
    # the same values in a lake: TP 0.02 is lake class II (0.01 < 0.02 <= 0.025)
    r = classify_sample(at_limit, waterbody=LAKE)
    assert r.grade == "II"
    assert tuple(r.limiting_items) == ("TP",)


def test_none_and_absent_items_are_not_evaluated():
    r = classify_sample({"COD": 45.0, "NH3_N": None, "Hg": None}, waterbody=RIVER)
    assert r.grade == "劣V"
    assert tuple(r.limiting_items) == ("COD",)
    r = classify_sample({"NH3_N": None, "TP": 0.01, "DO": None, "pH": None}, waterbody=RIVER)
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()


# ---------------------------------------------------------------------------------------------
# 7. TN and fecal coliform never change the class
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("waterbody", WATERBODIES)
@pytest.mark.parametrize(
    "extra",
    [
        {"TN": 25.0},
        {"fecal_coliform": 1_000_000.0},
        {"TN": 8.0, "fecal_coliform": 160_000.0},
    ],
)
def test_tn_and_fecal_coliform_do_not_change_the_class(waterbody, extra):
    r = classify_sample(clean(**extra), waterbody=waterbody)
    assert r.grade == "I"
    assert tuple(r.limiting_items) == ()
    assert tuple(r.main_pollutants) == ()

    # with a class II section: still II, limited by NH3_N only
    r = classify_sample(clean(NH3_N=0.3, **extra), waterbody=waterbody)
    assert r.grade == "II"
    assert tuple(r.limiting_items) == ("NH3_N",)
    assert "TN" not in r.main_pollutants
    assert "fecal_coliform" not in r.main_pollutants

    # with a class IV section: still IV
    r = classify_sample({"NH3_N": 1.2, **extra}, waterbody=waterbody)
    assert r.grade == "IV"
    assert tuple(r.limiting_items) == ("NH3_N",)
    assert tuple(r.main_pollutants) == ("NH3_N",)


# ---------------------------------------------------------------------------------------------
# 8. Exceedance multiples over class III: (C - S) / S
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value", "multiple"),
    [
        ("NH3_N", 1.2, 0.2),  # (1.2 - 1.0) / 1.0
        ("NH3_N", 2.5, 1.5),  # (2.5 - 1.0) / 1.0
        ("COD", 45.0, 1.25),  # (45 - 20) / 20
        ("COD", 25.0, 0.25),  # (25 - 20) / 20
        ("CODMn", 9.0, 0.5),  # (9 - 6) / 6
        ("CODMn", 21.0, 2.5),  # (21 - 6) / 6
        ("BOD5", 5.0, 0.25),  # (5 - 4) / 4
        ("Hg", 0.0003, 2.0),  # (0.0003 - 0.0001) / 0.0001
        ("Hg", 0.002, 19.0),  # (0.002 - 0.0001) / 0.0001
        ("Cu", 2.0, 1.0),  # (2 - 1) / 1
        ("Zn", 1.5, 0.5),  # (1.5 - 1) / 1
        ("F", 1.2, 0.2),  # (1.2 - 1) / 1
        ("Se", 0.03, 2.0),  # (0.03 - 0.01) / 0.01
        ("As", 0.15, 2.0),  # (0.15 - 0.05) / 0.05
        ("Cd", 0.006, 0.2),  # (0.006 - 0.005) / 0.005
        ("Cr6", 0.075, 0.5),  # (0.075 - 0.05) / 0.05
        ("Pb", 0.06, 0.2),  # (0.06 - 0.05) / 0.05
        ("CN", 0.3, 0.5),  # (0.3 - 0.2) / 0.2
        ("phenol", 0.02, 3.0),  # (0.02 - 0.005) / 0.005
        ("petroleum", 0.5, 9.0),  # (0.5 - 0.05) / 0.05
        ("LAS", 0.25, 0.25),  # (0.25 - 0.2) / 0.2
        ("sulfide", 0.3, 0.5),  # (0.3 - 0.2) / 0.2
    ],
)
def test_exceedance_multiple(item, value, multiple):
    r = classify_sample(clean(**{item: value}), waterbody=RIVER)
    assert r.exceedance == pytest.approx({item: multiple})


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("NH3_N", 1.0),  # exactly class III
        ("COD", 20.0),
        ("CODMn", 6.0),
        ("BOD5", 4.0),
        ("Hg", 0.0001),
        ("Pb", 0.05),
        ("CN", 0.2),
        ("phenol", 0.005),
        ("sulfide", 0.2),
        ("Cd", 0.005),  # class II
        ("NH3_N", 0.3),  # class II
    ],
)
def test_no_multiple_at_class_iii_or_better(item, value):
    r = classify_sample(clean(**{item: value}), waterbody=RIVER)
    assert r.exceedance == {}
    assert tuple(r.main_pollutants) == ()


@pytest.mark.parametrize(("item", "value"), [("DO", 4.0), ("DO", 1.0), ("pH", 10.0), ("pH", 5.0)])
def test_ph_and_do_never_get_a_multiple(item, value):
    r = classify_sample(clean(**{item: value}), waterbody=RIVER)
    assert item not in r.exceedance
    assert r.exceedance == {}


def test_exceedance_lists_every_item_worse_than_iii_and_only_those():
    # COD 25 (IV, x0.25), NH3_N 1.9 (V, x0.9), DO 2.5 (V, none), TP 0.15 (river III), Pb 0.03 (III)
    r = classify_sample(clean(COD=25.0, NH3_N=1.9, DO=2.5, TP=0.15, Pb=0.03), waterbody=RIVER)
    assert r.grade == "V"
    assert same_items(r.limiting_items, ("NH3_N", "DO"))
    assert r.exceedance == pytest.approx({"COD": 0.25, "NH3_N": 0.9})


# ---------------------------------------------------------------------------------------------
# 9. Main pollutants
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "waterbody", "expected"),
    [
        pytest.param(
            # same class IV: by multiple CODMn 9 (x0.5) > NH3_N 1.4 (x0.4) > TP 0.25 (x0.25)
            {"TP": 0.25, "NH3_N": 1.4, "CODMn": 9.0},
            RIVER,
            ("CODMn", "NH3_N", "TP"),
            id="same-class-by-multiple",
        ),
        pytest.param(
            # worse class first: COD 35 (V, x0.75); petroleum 0.4 (IV, x7.0); BOD5 5.9 (IV, x0.475)
            {"BOD5": 5.9, "petroleum": 0.4, "COD": 35.0},
            RIVER,
            ("COD", "petroleum", "BOD5"),
            id="worse-class-before-larger-multiple",
        ),
        pytest.param(
            # Pb 0.06 (V, x0.2) vs NH3_N 1.9 (V, x0.9): heavy metal first
            {"NH3_N": 1.9, "Pb": 0.06},
            RIVER,
            ("Pb", "NH3_N"),
            id="heavy-metal-first-smaller-multiple",
        ),
        pytest.param(
            # As 0.08 (IV, x0.6) vs COD 50 (劣V, x1.5): heavy metal first even of a better class
            {"COD": 50.0, "As": 0.08},
            RIVER,
            ("As", "COD"),
            id="heavy-metal-first-better-class",
        ),
        pytest.param(
            # CN 0.25 (劣V, x0.25) vs NH3_N 3.0 (劣V, x2.0): cyanide first
            {"NH3_N": 3.0, "CN": 0.25},
            LAKE,
            ("CN", "NH3_N"),
            id="cyanide-first",
        ),
        pytest.param(
            # priority items among themselves by class: CN 0.25 (劣V), Cd 0.008 (V, x0.6),
            # Hg 0.0003 (IV, x2.0); COD 45 (劣V) is the fourth -> dropped
            {"COD": 45.0, "Hg": 0.0003, "Cd": 0.008, "CN": 0.25},
            RIVER,
            ("CN", "Cd", "Hg"),
            id="priority-items-by-class-then-cut-to-3",
        ),
        pytest.param(
            # priority items in the same class by multiple: Cu 2.0 (劣V, x1.0),
            # Zn 3.0 (劣V, x2.0), Cr6 0.2 (劣V, (0.2 - 0.05) / 0.05 = x3.0)
            {"Cu": 2.0, "Zn": 3.0, "Cr6": 0.2},
            RIVER,
            ("Cr6", "Zn", "Cu"),
            id="priority-items-same-class-by-multiple",
        ),
        pytest.param(
            # five items all 劣V: CODMn 21 (x2.5), BOD5 12 (x2.0), NH3_N 2.5 (x1.5),
            # COD 45 (x1.25), TP 0.42 (x1.1) -> first three
            {"CODMn": 21.0, "BOD5": 12.0, "NH3_N": 2.5, "COD": 45.0, "TP": 0.42},
            RIVER,
            ("CODMn", "BOD5", "NH3_N"),
            id="at-most-three",
        ),
        pytest.param(
            # lake TP 0.15 (V, x2.0) vs COD 38 (V, x0.9) vs NH3_N 1.3 (IV, x0.3)
            {"NH3_N": 1.3, "COD": 38.0, "TP": 0.15},
            LAKE,
            ("TP", "COD", "NH3_N"),
            id="lake-tp-multiple",
        ),
        pytest.param(
            # the same values in a river: TP 0.15 is class III -> not a main pollutant
            {"NH3_N": 1.3, "COD": 38.0, "TP": 0.15},
            RIVER,
            ("COD", "NH3_N"),
            id="river-tp-not-exceeding",
        ),
        pytest.param(
            # DO 2.5 (V) is worse than III: a main pollutant, before NH3_N 1.2 (IV)
            {"NH3_N": 1.2, "DO": 2.5},
            RIVER,
            ("DO", "NH3_N"),
            id="do-worse-class-first",
        ),
        pytest.param(
            # class III section: no main pollutants
            {"NH3_N": 1.0, "TP": 0.2, "COD": 20.0, "DO": 5.0},
            RIVER,
            (),
            id="class-iii-none",
        ),
        pytest.param(
            # class II section: none
            {"NH3_N": 0.5, "Cd": 0.005},
            RIVER,
            (),
            id="class-ii-none",
        ),
    ],
)
def test_main_pollutants(overrides, waterbody, expected):
    r = classify_sample(clean(**overrides), waterbody=waterbody)
    assert tuple(r.main_pollutants) == expected


def test_main_pollutants_without_other_items():
    # only the two items measured: Pb 0.06 (V, x0.2), NH3_N 1.9 (V, x0.9)
    r = classify_sample({"NH3_N": 1.9, "Pb": 0.06}, waterbody=RIVER)
    assert r.grade == "V"
    assert same_items(r.limiting_items, ("NH3_N", "Pb"))
    assert r.exceedance == pytest.approx({"Pb": 0.2, "NH3_N": 0.9})
    assert tuple(r.main_pollutants) == ("Pb", "NH3_N")


def test_main_pollutants_exact_tie_contains_both():
    # NH3_N 1.2 and F 1.2 are both class IV with multiple 0.2: order not specified
    r = classify_sample(clean(NH3_N=1.2, F=1.2), waterbody=RIVER)
    assert r.grade == "IV"
    assert same_items(r.main_pollutants, ("NH3_N", "F"))
    assert r.exceedance == pytest.approx({"NH3_N": 0.2, "F": 0.2})

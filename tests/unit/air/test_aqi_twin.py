"""The vectorised twin agrees with compute_aqi, value for value, on random inputs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.air.aqi import INDICATORS, KEYS, compute_aqi
from services.air.aqi_frame import compute_aqi_frame

COMBINATIONS = [(s, r) for s in ("HJ633-2012", "HJ633-2026") for r in ("daily", "realtime")]
# Values near the interesting places: breakpoints, the 800 special rules, the 2026 rounding ties.
EDGES = [0, 2, 2.2, 4, 14, 34.5, 35, 35.1, 35.5, 60, 75, 115, 150, 160, 200, 250, 500, 600,
         799, 800, 800.5, 801, 1200, 2620, 2621]  # fmt: skip


def concentration(key: str):
    top = 160.0 if key.startswith("CO") else 4000.0
    decimal = st.decimals(
        min_value=0, max_value=top, places=3, allow_nan=False, allow_infinity=False
    ).map(float)
    exotic = st.floats(min_value=0, max_value=top, allow_nan=False)  # more than 6 places too
    return st.one_of(decimal, st.sampled_from(EDGES).map(float), exotic, st.just(np.nan))


def frames(keys: list[str]):
    rows = st.fixed_dictionaries({k: concentration(k) for k in keys})
    return st.lists(rows, min_size=1, max_size=40).map(lambda r: pd.DataFrame(r, columns=keys))


def keys_for(standard: str, report: str) -> list[str]:
    used = [i.key for i in INDICATORS[(standard, report)]]
    return used + [k for k in ("SO2_24H", "O3_1H") if k not in used]  # the 2012 fallbacks


def assert_rows_agree(frame: pd.DataFrame, standard: str, report: str) -> None:
    out = compute_aqi_frame(frame, report=report, standard=standard)
    for index, row in frame.iterrows():
        given_values = {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
        expected = compute_aqi(given_values, report=report, standard=standard)
        got = out.loc[index]
        assert (None if pd.isna(got["aqi"]) else int(got["aqi"])) == expected.aqi, given_values
        for key in {i.key for i in INDICATORS[(standard, report)]}:
            cell = got[f"iaqi_{key}"]
            assert (None if pd.isna(cell) else int(cell)) == expected.iaqi.get(key), (key, row)
        assert got["primary"] == "+".join(expected.primary_pollutants)
        assert int(got["level"]) == expected.level
        assert bool(got["beyond_scale"]) == expected.beyond_scale


@pytest.mark.parametrize(("standard", "report"), COMBINATIONS)
def test_twin_equals_compute_aqi_on_random_frames(standard, report):
    @settings(max_examples=150, deadline=None)
    @given(frames(keys_for(standard, report)))
    def check(frame):
        assert_rows_agree(frame, standard, report)

    check()


def test_twin_handles_the_float_trap_exactly():
    frame = pd.DataFrame({"CO_24H": [2.2, 2.25, 2.35]})
    out = compute_aqi_frame(frame, report="daily", standard="HJ633-2012")
    assert list(out["iaqi_CO_24H"]) == [55, 57, 59]  # 50 + 25*(c-2), rounded up
    out = compute_aqi_frame(frame, report="daily", standard="HJ633-2026")
    assert list(out["iaqi_CO_24H"]) == [55, 55, 60]  # 2.25 -> 2.2, 2.35 -> 2.4 (half to even)


def test_twin_rejects_negative_concentrations():
    with pytest.raises(ValueError):
        compute_aqi_frame(pd.DataFrame({"PM10_24H": [-1.0]}), report="daily", standard="HJ633-2012")


def test_all_contract_keys_are_known_to_the_twin():
    frame = pd.DataFrame({k: [Decimal("10")] for k in KEYS}).astype(float)
    for standard, report in COMBINATIONS:
        assert_rows_agree(frame, standard, report)


def test_published_rounding_is_half_to_even_on_the_decimal_value():
    from services.air.aqi_frame import round_as_published

    values = pd.Series([66.25, 66.5, 67.5, 0.35, 0.25, np.nan, 33.4999999])
    assert list(round_as_published(values, decimals=0).fillna(-1)) == [66, 66, 68, 0, 0, -1, 33]
    assert list(round_as_published(values, decimals=1).fillna(-1)) == [
        66.2,
        66.5,
        67.5,
        0.4,
        0.2,
        -1,
        33.5,
    ]


@settings(max_examples=400, deadline=None)
@given(
    total=st.integers(min_value=-(2**50), max_value=2**50),
    count=st.integers(min_value=1, max_value=200),
    unit=st.sampled_from([1, 10**5, 10**6]),
)
def test_round_mean_is_exact_half_to_even(total, count, unit):
    from services.air.aqi_frame import round_mean

    exact = Fraction(total, count * unit)
    expected = round(exact) * unit  # Python rounds a Fraction half to even
    got = round_mean(np.array([total]), np.array([count]), unit)
    assert int(got[0]) == expected

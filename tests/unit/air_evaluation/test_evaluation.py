"""HJ 663 evaluation: daily statistics, annual evaluation, good-day ratio, composite index."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from services.air.evaluation import (
    annual_evaluation,
    city_daily,
    composite_index,
    daily_grid,
    daily_statistics,
    good_day_ratio,
    monthly_good_day_ratio,
    percentile,
)
from services.core.clock import BEIJING

POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co", "o3")


def hours_of_day(
    day: date,
    *,
    station: str = "S1",
    hours: range | list[int] = range(1, 25),
    valid: bool = True,
    **values: float | list[float],
) -> pd.DataFrame:
    """Hourly rows for one Beijing day; hour h ends at day 00:00 + h hours, stored in UTC."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
    ends = [midnight + timedelta(hours=h) for h in hours]
    frame = pd.DataFrame(
        {
            "station_code": station,
            "observed_at": pd.to_datetime(ends, utc=True),
            "is_valid": valid,
        }
    )
    for pollutant in POLLUTANTS:
        frame[pollutant] = values.get(pollutant, np.nan)
    return frame


def one_day(daily: pd.DataFrame, day: date, station: str = "S1") -> pd.Series:
    rows = daily[(daily["station_code"] == station) & (daily["date"] == pd.Timestamp(day))]
    assert len(rows) == 1
    return rows.iloc[0]


# --- worked examples (content/standards/other_worked_examples.csv) ---------------------------


def test_pc01_percentile_of_a_short_series_is_interpolated():
    assert percentile([3, 4, 8, 2, 5, 4], 90) == 6.5


def test_pc02_o3_mda8_p90():
    assert percentile([100, 120, 130, 140, 150, 160, 170, 180, 190, 200], 90) == 191


def test_pc03_pm25_p95():
    assert percentile([10, 20, 30, 40], 95) == 38.5


def test_percentile_ignores_missing_days_and_agrees_with_numpy_linear():
    values = np.random.default_rng(663).uniform(0, 300, 365).round(1)
    with_gaps = np.concatenate([values, [np.nan] * 20])
    for p in (90, 95, 98):
        assert percentile(with_gaps, p) == pytest.approx(np.percentile(values, p), abs=1e-9)


def test_ci01_composite_index_sums_each_pollutant_over_its_class_two_limit():
    index = composite_index(pm25=21, pm10=39, so2=9, no2=15, o3_p90=192, co_p95="0.7")
    assert round(index, 2) == Decimal("3.06")
    assert round(index, 4) == Decimal("3.0571")


def test_composite_index_uses_the_limits_of_the_requested_phase():
    # GB 3095-2026 transition: PM2.5 annual 30 and PM10 annual 60 instead of 35 and 70
    index = composite_index(
        pm25=21, pm10=39, so2=9, no2=15, o3_p90=192, co_p95="0.7",
        standard="GB3095-2026-transition",
    )  # fmt: skip
    assert index == Decimal(21) / 30 + Decimal(39) / 60 + Decimal("1.9")


def test_gd01_good_day_ratio_is_exact_and_published_rounded_half_up():
    aqi = pd.Series([40] * 51 + [80] * 35 + [120] * 2 + [250] * 3 + [None] * 4)
    ratio = good_day_ratio(aqi)
    assert (ratio.good_days, ratio.valid_days) == (86, 91)
    assert ratio.ratio == Fraction(86, 91)
    assert ratio.percent() == Decimal("94.5")


def test_good_day_ratio_counts_aqi_100_as_good_and_rounds_half_up():
    ratio = good_day_ratio(pd.Series([100, 101, 50, 50, 50, 50, 50, 50]))
    assert ratio.good_days == 7
    assert ratio.percent(decimals=2) == Decimal("87.50")
    assert good_day_ratio(pd.Series([100] * 1 + [101] * 7)).percent(decimals=0) == Decimal("13")
    assert good_day_ratio(pd.Series([1] * 1 + [101] * 15)).percent(decimals=2) == Decimal("6.25")
    assert good_day_ratio(pd.Series([1] * 1 + [101] * 7)).percent(decimals=1) == Decimal("12.5")
    assert good_day_ratio(pd.Series([1] * 1 + [101] * 15)).percent(decimals=1) == Decimal("6.3")


def test_good_day_ratio_without_valid_days_has_no_ratio():
    ratio = good_day_ratio(pd.Series([None, np.nan], dtype="float64"))
    assert ratio.valid_days == 0
    assert ratio.ratio is None
    assert ratio.percent() is None


# --- daily statistics --------------------------------------------------------------------------


def test_daily_mean_is_missing_with_19_valid_hours():
    hourly = hours_of_day(date(2025, 5, 1), hours=range(1, 20), pm25=10.0)
    row = one_day(daily_statistics(hourly), date(2025, 5, 1))
    assert row["pm25_valid_hours"] == 19
    assert np.isnan(row["pm25"])


def test_daily_mean_is_published_with_20_valid_hours():
    values = [float(v) for v in range(1, 21)]  # 1..20, mean 10.5
    hourly = hours_of_day(date(2025, 5, 1), hours=range(1, 21), pm25=values, so2=values)
    row = one_day(daily_statistics(hourly), date(2025, 5, 1))
    assert row["pm25"] == 10.5
    assert row["so2"] == 10.5
    assert np.isnan(row["no2"])


def test_invalid_flagged_hours_are_excluded_from_the_mean_and_the_count():
    day = date(2025, 5, 1)
    good = hours_of_day(day, hours=range(1, 21), pm25=10.0, o3=50.0)
    flagged = hours_of_day(day, hours=range(21, 25), valid=False, pm25=1000.0, o3=900.0)
    row = one_day(daily_statistics(pd.concat([good, flagged])), day)
    assert row["pm25"] == 10.0
    assert row["pm25_valid_hours"] == 20
    assert row["o3_1h_max"] == 50.0

    one_more_flagged = pd.concat([good.iloc[1:], flagged])
    assert np.isnan(one_day(daily_statistics(one_more_flagged), day)["pm25"])


def test_hour_ending_midnight_beijing_belongs_to_the_previous_day():
    day = date(2025, 6, 1)
    values = [10.0] * 23 + [58.0]  # the hour ending 24:00 (00:00 of 2 June) carries 58
    hourly = pd.concat(
        [
            hours_of_day(day, pm25=values),
            hours_of_day(date(2025, 6, 2), hours=[1], pm25=500.0),
        ]
    )
    # stored in UTC: the 24:00 Beijing hour is 16:00 UTC on 1 June
    assert pd.Timestamp("2025-06-01 16:00", tz="UTC") in set(hourly["observed_at"])
    daily = daily_statistics(hourly)
    first = one_day(daily, day)
    assert first["pm25_valid_hours"] == 24
    assert first["pm25"] == 12.0  # (23 * 10 + 58) / 24
    assert one_day(daily, date(2025, 6, 2))["pm25_valid_hours"] == 1


def test_each_station_gets_its_own_days():
    day = date(2025, 5, 1)
    hourly = pd.concat(
        [hours_of_day(day, station="A", co=1.0), hours_of_day(day, station="B", co=2.0)]
    )
    daily = daily_statistics(hourly)
    assert one_day(daily, day, "A")["co"] == 1.0
    assert one_day(daily, day, "B")["co"] == 2.0


def test_daily_rows_name_the_aqi_standard_in_force():
    hourly = pd.concat(
        [hours_of_day(date(2026, 2, 28), pm25=10.0), hours_of_day(date(2026, 3, 1), pm25=10.0)]
    )
    daily = daily_statistics(hourly)
    assert one_day(daily, date(2026, 2, 28))["standard"] == "HJ633-2012"
    assert one_day(daily, date(2026, 3, 1))["standard"] == "HJ633-2026"


def test_o3_8h_window_with_5_valid_hours_is_invalid():
    day = date(2025, 7, 1)
    # hours 4..24 present: the window ending 08:00 has only hours 4-8 (5 hours)
    five = one_day(daily_statistics(hours_of_day(day, hours=range(4, 25), o3=100.0)), day)
    assert five["o3_8h_valid_windows"] == 16
    # hours 3..24 present: that window has 6 hours and counts
    six = one_day(daily_statistics(hours_of_day(day, hours=range(3, 25), o3=100.0)), day)
    assert six["o3_8h_valid_windows"] == 17


def test_o3_daily_max_8h_is_the_highest_window_mean_within_the_day():
    day = date(2025, 7, 1)
    values = [50.0] * 24
    values[12:20] = [150.0, 150.0, 150.0, 150.0, 190.0, 190.0, 190.0, 190.0]  # hours 13-20
    previous_evening = hours_of_day(day - timedelta(days=1), hours=range(17, 25), o3=400.0)
    hourly = pd.concat([previous_evening, hours_of_day(day, o3=values)])
    row = one_day(daily_statistics(hourly), day)
    assert row["o3_8h_max"] == 170.0  # window ending 20:00: (4 * 150 + 4 * 190) / 8
    assert row["o3_1h_max"] == 190.0


def test_o3_day_with_13_valid_windows_is_missing_below_the_limit():
    day = date(2025, 7, 1)
    # hours 1..18 present: windows ending 08:00..20:00 have >= 6 hours, i.e. 13 windows
    row = one_day(daily_statistics(hours_of_day(day, hours=range(1, 19), o3=150.0)), day)
    assert row["o3_8h_valid_windows"] == 13
    assert np.isnan(row["o3_8h_max"])
    at_limit = hours_of_day(day, hours=range(1, 19), o3=160.0)  # equal is not "exceeds"
    assert np.isnan(one_day(daily_statistics(at_limit), day)["o3_8h_max"])


def test_o3_day_with_13_valid_windows_is_kept_when_it_exceeds_160():
    day = date(2025, 7, 1)
    row = one_day(daily_statistics(hours_of_day(day, hours=range(1, 19), o3=170.0)), day)
    assert row["o3_8h_valid_windows"] == 13
    assert row["o3_8h_max"] == 170.0


def test_o3_day_with_14_valid_windows_is_valid_below_the_limit():
    day = date(2025, 7, 1)
    row = one_day(daily_statistics(hours_of_day(day, hours=range(1, 20), o3=150.0)), day)
    assert row["o3_8h_valid_windows"] == 14
    assert row["o3_8h_max"] == 150.0


def test_daily_statistics_reject_naive_timestamps():
    hourly = hours_of_day(date(2025, 5, 1), pm25=10.0)
    hourly["observed_at"] = hourly["observed_at"].dt.tz_localize(None)
    with pytest.raises(ValueError, match="timezone-aware"):
        daily_statistics(hourly)


def test_city_daily_is_the_mean_of_the_listed_stations_only():
    daily = pd.DataFrame(
        {
            "station_code": ["A", "B", "BG"],
            "date": pd.to_datetime(["2025-05-01"] * 3),
            "pm25": [20.0, 40.0, 5.0],
            "o3_8h_max": [100.0, np.nan, 10.0],
        }
    )
    city = city_daily(daily, stations=["A", "B"], city_code="520100")
    row = one_day(city, date(2025, 5, 1), "520100")
    assert row["pm25"] == 30.0
    assert row["o3_8h_max"] == 100.0  # a missing station value is skipped
    assert row["stations_reporting"] == 2
    assert row["standard"] == "HJ633-2012"


# --- annual evaluation -------------------------------------------------------------------------


def daily_year(year: int, *, station: str = "S1", **values: float) -> pd.DataFrame:
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    frame = pd.DataFrame({"station_code": station, "date": dates})
    for column in ("so2", "no2", "pm10", "pm25", "co", "o3_8h_max"):
        frame[column] = values.get(column, 1.0)
    return frame


def statistic(evaluation: pd.DataFrame, name: str) -> pd.Series:
    rows = evaluation[evaluation["statistic"] == name]
    assert len(rows) == 1
    return rows.iloc[0]


def test_non_compliant_statistic_reports_exceedance_multiple():
    evaluation = annual_evaluation(daily_year(2025, pm25=52.5), year=2025)
    annual = statistic(evaluation, "PM2.5 annual mean")
    assert (annual["value"], annual["limit"]) == (52.5, 35.0)
    assert not annual["compliant"]
    assert annual["exceedance_multiple"] == 0.5  # (52.5 - 35) / 35
    p95 = statistic(evaluation, "PM2.5 P95")
    assert (p95["limit"], bool(p95["compliant"]), p95["exceedance_multiple"]) == (75.0, True, 0.0)


def test_percentile_statistics_use_the_daily_series():
    frame = daily_year(2025)
    frame["o3_8h_max"] = np.linspace(100, 200, len(frame))
    o3 = statistic(annual_evaluation(frame, year=2025), "O3 8h P90")
    assert o3["value"] == pytest.approx(np.percentile(frame["o3_8h_max"], 90))
    assert o3["limit"] == 160.0
    assert o3["days"] == 365


def test_annual_evaluation_uses_2012_limits_for_2025_and_2026_limits_for_2027():
    # gb3095_limits.csv: PM2.5 annual class II 35 (GB3095-2012) -> 30 (2026 transition)
    in_2025 = annual_evaluation(daily_year(2025, pm25=32.0), year=2025)
    in_2027 = annual_evaluation(daily_year(2027, pm25=32.0), year=2027)
    pm25_2025 = statistic(in_2025, "PM2.5 annual mean")
    pm25_2027 = statistic(in_2027, "PM2.5 annual mean")
    assert (pm25_2025["limit"], pm25_2025["standard"]) == (35.0, "GB3095-2012")
    assert (pm25_2027["limit"], pm25_2027["standard"]) == (30.0, "GB3095-2026-transition")
    assert pm25_2025["compliant"]
    assert not pm25_2027["compliant"]
    assert statistic(in_2027, "PM10 P95")["limit"] == 120.0  # 24h limit 150 -> 120


def test_class_one_zone_uses_class_one_limits():
    evaluation = annual_evaluation(daily_year(2025), year=2025, zone_class=1)
    assert statistic(evaluation, "PM2.5 annual mean")["limit"] == 15.0


def test_year_2026_is_split_at_the_standard_switch():
    evaluation = annual_evaluation(daily_year(2026, pm25=32.0), year=2026)
    pm25 = evaluation[evaluation["statistic"] == "PM2.5 annual mean"].set_index("standard")
    assert list(pm25.index) == ["GB3095-2012", "GB3095-2026-transition"]
    before, after = pm25.loc["GB3095-2012"], pm25.loc["GB3095-2026-transition"]
    assert (before["period_start"], before["period_end"]) == (date(2026, 1, 1), date(2026, 2, 28))
    assert (after["period_start"], after["period_end"]) == (date(2026, 3, 1), date(2026, 12, 31))
    assert (before["days"], after["days"]) == (59, 306)
    assert (before["limit"], after["limit"]) == (35.0, 30.0)
    assert bool(before["compliant"]) and not bool(after["compliant"])
    assert before["complete"] and after["complete"]


def test_annual_mean_needs_324_days_as_well_as_the_monthly_minimum():
    full = daily_year(2025)
    assert statistic(annual_evaluation(full, year=2025), "SO2 annual mean")["complete"]

    # exactly 27 days in every month, 25 in February: every month passes, but 322 < 324
    day_of_month = full["date"].dt.day
    minimum = full[(day_of_month <= 27) & ~((full["date"].dt.month == 2) & (day_of_month > 25))]
    assert len(minimum) == 322
    thin = statistic(annual_evaluation(minimum, year=2025), "SO2 annual mean")
    assert not thin["complete"]
    assert thin["value"] == 1.0  # still computed

    # 361 days but one month has only 26: incomplete
    short_march = full[~((full["date"].dt.month == 3) & (day_of_month <= 5))]
    assert len(short_march) == 360
    assert not statistic(annual_evaluation(short_march, year=2025), "SO2 annual mean")["complete"]


def test_missing_daily_values_do_not_count_as_days():
    frame = daily_year(2025)
    frame.loc[frame.index[:50], "no2"] = np.nan
    no2 = statistic(annual_evaluation(frame, year=2025), "NO2 annual mean")
    assert no2["days"] == 315
    assert not no2["complete"]
    assert statistic(annual_evaluation(frame, year=2025), "SO2 annual mean")["days"] == 365


# --- monthly good-day ratio --------------------------------------------------------------------


def test_monthly_good_day_ratio_breaks_the_series_at_2026_03_01():
    dates = pd.date_range("2026-01-01", "2026-04-30", freq="D")
    daily = pd.DataFrame(
        {
            "date": dates,
            "aqi": [40 if d.day > 3 else 150 for d in dates],
            "standard": np.where(dates < "2026-03-01", "HJ633-2012", "HJ633-2026"),
        }
    )
    months = monthly_good_day_ratio(daily).set_index("month")
    assert list(months.index) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert list(months["break_in_series"]) == [False, False, True, False]
    assert list(months["standard"]) == ["HJ633-2012", "HJ633-2012", "HJ633-2026", "HJ633-2026"]
    assert (months.loc["2026-02", "good_days"], months.loc["2026-02", "valid_days"]) == (25, 28)
    assert months.loc["2026-01", "ratio_percent"] == Decimal("90.3")  # 28 / 31


def test_a_month_under_two_standards_is_split_not_mixed():
    dates = pd.date_range("2026-03-01", "2026-03-31", freq="D")
    daily = pd.DataFrame(
        {
            "date": dates,
            "aqi": [50] * 10 + [150] * 21,
            "standard": ["HJ633-2012"] * 10 + ["HJ633-2026"] * 21,
        }
    )
    months = monthly_good_day_ratio(daily)
    assert list(months["month"]) == ["2026-03", "2026-03"]
    assert list(months["good_days"]) == [10, 0]
    assert list(months["valid_days"]) == [10, 21]
    assert list(months["break_in_series"]) == [False, True]


def test_a_station_hour_given_twice_counts_once_with_the_mean_of_its_values():
    day = date(2026, 6, 1)
    hours = hours_of_day(day, pm25=20.0)
    twice = hours_of_day(day, hours=[5], pm25=80.0)  # the 05:00 hour again, with another value
    stats = one_day(daily_statistics(pd.concat([hours, twice], ignore_index=True)), day)
    # 23 hours at 20 and the 05:00 hour at (20 + 80) / 2 = 50: (23 * 20 + 50) / 24 = 21.25
    assert stats["pm25"] == pytest.approx(21.25)
    assert stats["pm25_valid_hours"] == 24


def test_days_come_sorted_by_station_and_date_whatever_the_input_order():
    frames = [hours_of_day(date(2026, 6, d), station=s, pm25=10.0) for d in (2, 1) for s in "BA"]
    daily = daily_statistics(pd.concat(frames, ignore_index=True).sample(frac=1, random_state=3))
    assert list(zip(daily["station_code"], daily["date"].dt.day, strict=True)) == [
        ("A", 1), ("A", 2), ("B", 1), ("B", 2)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "published"),
    [
        (1.3, 1.4, 1.4),  # exact mean 1.35: the tie goes to the even 1.4 (a float sum: 1.3499...)
        (1.6, 1.7, 1.6),  # exact mean 1.65: the tie goes to the even 1.6 (a float sum: 1.6500...1)
        (0.9, 1.0, 1.0),  # exact mean 0.95 -> 1.0 (a float sum: 0.9499...8)
    ],
)
def test_a_daily_mean_is_rounded_as_published_from_its_exact_value(low, high, published):
    day = date(2026, 1, 10)
    hourly = hours_of_day(day, co=[low] * 12 + [high] * 12, pm25=[35.0] * 23 + [36.0])
    grid = daily_grid(hourly)
    millionths, have = grid.published()
    co, pm25 = 4, 3  # DAILY_COLUMNS order: so2 no2 pm10 pm25 co o3_1h_max o3_8h_max
    assert have[co, 0, 0] and millionths[co, 0, 0] == round(published * 10**6)
    # (23 * 35 + 36) / 24 = 35.0417 -> 35; and the unrounded mean is exact too
    assert millionths[pm25, 0, 0] == 35 * 10**6
    assert one_day(daily_statistics(hourly), day)["co"] == (low + high) / 2

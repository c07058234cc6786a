"""Air benchmarks (`make bench`): JSON figures in test-artifacts/bench-air.json; a missed target
(tests/bench/targets.py) fails the run after the figures are written.

- the vectorised daily pipeline (hourly rows -> daily means -> daily AQI) on 10 stations x 5
  years, in station-hours per second and as a multiple of a bare numpy pass over the same columns
  (target <= 10x);
- compute_aqi per value against python-aqi's China (MEP) algorithm on the same inputs (a speed
  peer only: python-aqi rounds where HJ 633 rounds up);
- warm AppTest run of the air page on the large over the small sample data (target <= 1.2),
  measured by tests/bench/pages.py.
"""

from __future__ import annotations

import aqi as python_aqi
import numpy as np
import pandas as pd
import pytest

from services import demo
from services.air import demo as air_demo
from services.air.aqi import compute_aqi
from services.air.daily import daily_values_with_aqi
from tests.bench.pages import best_of, paired_ratio, stable_ratio
from tests.bench.samples import UNTIL, demo_url
from tests.bench.targets import judge, settle

pytestmark = pytest.mark.bench


def large_hourly_frame() -> pd.DataFrame:
    """10 stations x 5 years of hourly rows, built in memory by the sample-data generator."""
    parts = []
    for code, stamps, values in air_demo._air_frames(seed=20211, until=UNTIL, days=5 * 365):
        parts.append(
            pd.DataFrame(
                {
                    "station_code": code,
                    "observed_at": pd.to_datetime(stamps, unit="s", utc=True),
                    "is_valid": True,
                    **values,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def daily_pipeline(hourly: pd.DataFrame) -> pd.DataFrame:
    return daily_values_with_aqi(hourly)


def bare_numpy_pass(hourly: pd.DataFrame) -> float:
    """Read every numeric column the pipeline reads, once (station_code, text, is left out)."""
    total = float(hourly["observed_at"].array.asi8.sum())
    total += float(np.count_nonzero(hourly["is_valid"].to_numpy(dtype=bool)))
    for column in ("so2", "no2", "pm10", "pm25", "co", "o3"):
        values = hourly[column].to_numpy()
        total += float(np.nansum(values))
    return total


def test_air_benchmarks(tmp_path):
    figures: dict[str, object] = {}

    hourly = large_hourly_frame()
    for _ in range(5):  # steady state, as in a running portal: caches and allocator warmed up
        daily_pipeline(hourly)
    pipeline = paired_ratio(lambda: daily_pipeline(hourly), lambda: bare_numpy_pass(hourly))
    # a feed with missing rows (1 % of station-hours absent) takes the scatter path
    gappy = hourly.sample(frac=0.99, random_state=5).sort_index()
    with_gaps = paired_ratio(lambda: daily_pipeline(gappy), lambda: bare_numpy_pass(hourly))
    figures["daily_pipeline"] = {
        "station_hours": len(hourly),
        "station_hours_per_second": round(len(hourly) / pipeline.work_seconds),
        **pipeline.figures(),
    }
    judge(figures, "daily_pipeline", pipeline.value)
    figures["daily_pipeline_1pct_missing"] = with_gaps.figures()
    judge(figures, "daily_pipeline_1pct_missing", with_gaps.value)

    rng = np.random.default_rng(7)
    values = [f"{v:.1f}" for v in rng.uniform(0, 480, 5_000)]
    ours = best_of(
        lambda: [
            compute_aqi({"PM2_5_24H": v}, report="daily", standard="HJ633-2012") for v in values
        ],
        runs=3,
    )
    peer = best_of(
        lambda: [
            python_aqi.to_iaqi(python_aqi.POLLUTANT_PM25, v, algo=python_aqi.ALGO_MEP)
            for v in values
        ],
        runs=3,
    )
    figures["compute_aqi_per_value"] = {
        "values": len(values),
        "ours_microseconds": round(ours / len(values) * 1e6, 1),
        "python_aqi_microseconds": round(peer / len(values) * 1e6, 1),
        "ours_over_python_aqi": round(ours / peer, 2),
    }

    small_url, large_url = (demo_url(size, tmp_path) for size in demo.DemoSize)
    ratio = stable_ratio(small_url, large_url, "page", "air/air.py")
    figures["air_page_warm"] = ratio.figures()
    judge(figures, "air_page_warm", ratio.value, ratio.why_none)
    settle(figures, "bench-air.json")

"""Water benchmarks (`make bench`): JSON figures in test-artifacts/bench-water.json; a missed
target (tests/bench/targets.py) fails the run after the figures are written.

- the vectorised classifier on 60 sections x 10 years of monthly samples (7,200 samples, 21
  evaluated items), in samples per second and as a multiple of a bare numpy pass that reads the
  same 21 columns and compares each with its class III limit (target <= 10x);
- monthly period means and classes of the same samples (exact integer sums);
- warm AppTest run of the water page on the large over the small sample data (target <= 1.2),
  measured by tests/bench/pages.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
import pytest

from services import demo
from services.water import evaluation as ev
from services.water.items import evaluated, items
from services.water.sections import sections
from tests.bench.pages import best_of, paired_ratio, stable_ratio
from tests.bench.samples import demo_url
from tests.bench.targets import judge, settle

pytestmark = pytest.mark.bench
SECTIONS, MONTHS = 60, 120


def monthly_samples() -> pd.DataFrame:
    """60 sections (the registry's, reused round-robin) x 120 months, every item measured,
    values spread from 0.2 to 1.6 times the class III limit, 5 % below detection."""
    rng = np.random.default_rng(11)
    codes = [s.code for s in sections()]
    section = np.repeat([codes[i % len(codes)] for i in range(SECTIONS)], MONTHS)
    first_days = pd.date_range("2016-12-01", periods=MONTHS, freq="MS").to_numpy("datetime64[D]")
    columns: dict[str, object] = {
        "section_code": section,
        "sampled_on": np.tile(first_days + 9, SECTIONS),
    }
    for item in items():
        centre = 7.5 if item.direction == "range" else float(item.limits[2])
        columns[item.column] = np.round(rng.uniform(0.2, 1.6, len(section)) * centre, 4)
    below = rng.random((len(items()), len(section))) < 0.05
    columns["below_dl"] = (below * (1 << np.arange(len(items())))[:, None]).sum(axis=0)
    return pd.DataFrame(columns)


def bare_numpy_pass(frame: pd.DataFrame) -> int:
    """Read the 21 evaluated columns once, each compared with its class III limit."""
    total = 0
    for item in evaluated():
        limit = 9.0 if item.direction == "range" else float(item.limits[2])
        total += int(np.count_nonzero(frame[item.column].to_numpy() > limit))
    return total


def test_water_benchmarks(tmp_path):
    figures: dict[str, object] = {}
    frame = monthly_samples()
    for _ in range(5):
        ev.classify_samples(frame)
    classify = paired_ratio(lambda: ev.classify_samples(frame), lambda: bare_numpy_pass(frame),
                            rounds=61)  # fmt: skip
    means = best_of(lambda: ev.period_means(frame, "month").classes, runs=10)
    figures["classify_samples"] = {
        "samples": len(frame),
        "sections": SECTIONS,
        "months": MONTHS,
        "samples_per_second": round(len(frame) / classify.work_seconds),
        "monthly_means_and_classes_seconds": round(means, 4),
        **classify.figures(),
    }
    judge(figures, "classify_samples", classify.value)

    urls = {size.value: demo_url(size, tmp_path) for size in demo.DemoSize}
    ratio = stable_ratio(urls["small"], urls["large"], "page", "water/water.py")
    figures["water_page_warm"] = {
        **{f"{name}_samples": samples(url) for name, url in urls.items()},
        **ratio.figures(),
    }
    judge(figures, "water_page_warm", ratio.value, ratio.why_none)
    settle(figures, "bench-water.json")


def samples(url: str) -> int:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        return connection.execute("SELECT count(*) FROM water_sample").fetchone()[0]

"""Water benchmarks (`make bench`): JSON figures, no timed assertions.

- the vectorised classifier on 60 sections x 10 years of monthly samples (7,200 samples, 21
  evaluated items), in samples per second and as a multiple of a bare numpy pass that reads the
  same 21 columns and compares each with its class III limit (target <= 10x);
- monthly period means and classes of the same samples (exact integer sums);
- warm AppTest run of the water page on the large and the small sample data (target <= 1.2).
"""

from __future__ import annotations

import json
import statistics
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from services import demo
from services.core import db, migrate
from services.core.clock import BEIJING
from services.water import evaluation as ev
from services.water.items import evaluated, items
from services.water.sections import sections
from tests.bench.pages import best_of, rerun_seconds, warm_page
from tests.conftest import reset_process_caches

pytestmark = pytest.mark.bench
ROOT = Path(__file__).resolve().parents[2]
UNTIL = datetime(2026, 11, 1, tzinfo=BEIJING)
OUT = ROOT / "test-artifacts"
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


def test_water_benchmarks(tmp_path, monkeypatch):
    figures: dict[str, object] = {}
    frame = monthly_samples()
    for _ in range(5):
        ev.classify_samples(frame)
    classify = best_of(lambda: ev.classify_samples(frame), runs=20)
    bare = best_of(lambda: bare_numpy_pass(frame), runs=20)
    means = best_of(lambda: ev.period_means(frame, "month").classes, runs=10)
    figures["classify_samples"] = {
        "samples": len(frame),
        "sections": SECTIONS,
        "months": MONTHS,
        "seconds": round(classify, 5),
        "samples_per_second": round(len(frame) / classify),
        "bare_numpy_seconds": round(bare, 6),
        "classify_over_bare_numpy": round(classify / bare, 1),
        "target": "<= 10",
        "monthly_means_and_classes_seconds": round(means, 4),
    }

    page: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for size in (demo.DemoSize.SMALL, demo.DemoSize.LARGE):
        url = f"sqlite:///{tmp_path / f'{size.value}.db'}"
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        rows[size.value] = demo.generate(engine, size=size, until=UNTIL, with_staff=False).parts[
            "water_samples"
        ]
        engine.dispose()
        page[size.value] = rerun_seconds(warm_page(url, "water/water.py", monkeypatch))
    small, large = statistics.median(page["small"]), statistics.median(page["large"])
    figures["water_page_warm"] = {
        "small_samples": rows["small"],
        "large_samples": rows["large"],
        "small_median_ms": round(small * 1000, 1),
        "large_median_ms": round(large * 1000, 1),
        "large_over_small": round(large / small, 3),
        "target": "<= 1.2",
    }
    reset_process_caches()
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    OUT.mkdir(exist_ok=True)
    (OUT / "bench-water.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))

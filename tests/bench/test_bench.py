"""Benchmarks (`make bench`): print JSON figures; they assert nothing about time.

- the demo generator's rows per second, small and large;
- warm AppTest run time of the home page on the large and the small sample data, and their ratio
  (target ≤ 1.2: page cost must not grow with data size), with and without the page's data cache.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from services import demo
from services.core import db, migrate
from services.core.clock import BEIJING
from tests.conftest import reset_process_caches

pytestmark = pytest.mark.bench
ROOT = Path(__file__).resolve().parents[2]
UNTIL = datetime(2026, 11, 1, tzinfo=BEIJING)
RUNS = 15


def build(tmp_path: Path, size: demo.DemoSize) -> tuple[str, demo.DemoResult]:
    url = f"sqlite:///{tmp_path / f'{size.value}.db'}"
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    result = demo.generate(engine, size=size, until=UNTIL, with_staff=False)
    engine.dispose()
    return url, result


def home_run_seconds(url: str, monkeypatch, *, keep_data_cache: bool) -> list[float]:
    monkeypatch.setenv("DATABASE_URL", url)
    reset_process_caches()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=60)
    at.run()  # warm-up: engine, catalogs, caches
    assert not at.exception
    times = []
    for _ in range(RUNS):
        if not keep_data_cache:
            st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return times


def test_home_page_cost_does_not_grow_with_data(tmp_path, monkeypatch):
    small_url, small = build(tmp_path, demo.DemoSize.SMALL)
    large_url, large = build(tmp_path, demo.DemoSize.LARGE)
    figures: dict[str, object] = {
        "generator": {
            size: {
                "rows": r.rows,
                "seconds": round(r.seconds, 2),
                "rows_per_second": round(r.rows_per_second),
            }
            for size, r in (("small", small), ("large", large))
        }
    }
    for label, keep in (("home_warm_cached", True), ("home_warm_uncached_queries", False)):
        small_times = home_run_seconds(small_url, monkeypatch, keep_data_cache=keep)
        large_times = home_run_seconds(large_url, monkeypatch, keep_data_cache=keep)
        small_median, large_median = statistics.median(small_times), statistics.median(large_times)
        figures[label] = {
            "runs": RUNS,
            "small_median_ms": round(small_median * 1000, 1),
            "large_median_ms": round(large_median * 1000, 1),
            "large_over_small": round(large_median / small_median, 3),
            "target": "<= 1.2",
        }
    reset_process_caches()
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "bench-foundation.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))

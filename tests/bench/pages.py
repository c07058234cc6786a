"""Timing helpers for the benchmarks, and a page run warm by AppTest against one database (for
the large/small ratios)."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import reset_process_caches

ROOT = Path(__file__).resolve().parents[2]


def warm_page(url: str, page: str, monkeypatch) -> AppTest:
    """The portal on `url`, switched to `page` (a file in pages/) and run once to warm it."""
    monkeypatch.setenv("DATABASE_URL", url)
    reset_process_caches()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(f"../pages/{page}").run()
    assert not at.exception
    return at


def timings(fn, runs: int) -> list[float]:
    """Seconds of each of `runs` calls of `fn`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def best_of(fn, runs: int) -> float:
    return min(timings(fn, runs))


def rerun_seconds(at: AppTest, runs: int = 10) -> list[float]:
    return timings(at.run, runs)

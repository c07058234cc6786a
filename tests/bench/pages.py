"""Timing helpers for the benchmarks, and the large ÷ small ratio of a warm page (or endpoint).

A ratio is measured on two warm targets, one per database, each kept in its own process (a
Streamlit process shares its caches and engine between scripts, so two databases cannot both be
warm in one). The two are timed interleaved, a batch each in ABBA order, so that load from other
work on the machine falls on both alike; an estimate is the median over rounds of each round's
median large run over its median small run. Estimates are repeated until the last three agree
(each within ±AGREE of the middle of the three); the ratio is then their median, reported with
their min and max. If no three consecutive estimates agree within ATTEMPTS, the ratio is not
measured, which fails its target (tests/bench/targets.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AGREE = 0.1  # every one of three consecutive estimates within ±AGREE of the middle of the three
AGREEING = 3
ATTEMPTS = 8  # estimates at most
ROUNDS = 10  # ABBA rounds per estimate
BATCH = 2  # timed runs per target per turn: each estimate takes ROUNDS * 2 * BATCH runs a side
WARM_UP = 3  # untimed runs of each target before its first estimate
READY_SECONDS = 600


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


@dataclass(frozen=True)
class PairedRatio:
    """How many times longer `work` takes than `baseline`, run side by side in one process."""

    value: float  # the median over rounds of each round's work ÷ baseline
    low: float  # the first and third quartiles of the rounds' ratios: the spread
    high: float
    work_seconds: float  # the median run of each
    baseline_seconds: float

    def figures(self) -> dict[str, float]:
        return {"spread": {"p25": round(self.low, 3), "p75": round(self.high, 3)},
                "seconds": round(self.work_seconds, 5),
                "baseline_seconds": round(self.baseline_seconds, 6)}  # fmt: skip


def paired_ratio(work, baseline, *, rounds: int = 31) -> PairedRatio:
    """`work` and `baseline` timed interleaved (ABBA in each round), so that load from elsewhere
    on the machine falls on both alike; one slow run moves one round's ratio, not the median."""
    ratios, works, bases = [], [], []
    for _ in range(rounds):
        w1, b1, b2, w2 = (timings(fn, 1)[0] for fn in (work, baseline, baseline, work))
        ratios.append((w1 + w2) / (b1 + b2))
        works += [w1, w2]
        bases += [b1, b2]
    quartiles = statistics.quantiles(ratios, n=4)
    return PairedRatio(statistics.median(ratios), quartiles[0], quartiles[2],
                       statistics.median(works), statistics.median(bases))  # fmt: skip


# --- warm targets, one process each ------------------------------------------------------------


def _page_runner(page: str | None) -> Callable[[int], list[float]]:
    """The portal switched to `page` (a file in pages/; None: the start page), run warm."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    at.run()
    if page is not None:
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception, at.exception

    def run(n: int) -> list[float]:
        times = timings(at.run, n)
        assert not at.exception, at.exception
        return times

    return run


def _open311_runner(path: str) -> Callable[[int], list[float]]:
    """GET `path` on the portal's HTTP routes (every answer must be 200)."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from portal import server
    from services.core import ratelimit

    client = TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1")

    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (response.status_code, response.text[:200])

    def run(n: int) -> list[float]:
        ratelimit.limiter.cache_clear()  # untimed: a fresh per-address budget for each batch
        return timings(get, n)

    return run


def _serve(connection, url: str, kind: str, target: str | None) -> None:
    """A warm target in its own process: answers each number n with n timed runs."""
    try:
        os.environ["DATABASE_URL"] = url
        runner = _page_runner(target) if kind == "page" else _open311_runner(target or "/")
        runner(WARM_UP)
        connection.send(("ready", None))
        while (n := connection.recv()) is not None:
            connection.send(("times", runner(n)))
    except Exception:
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


class Warm:
    """A warm page (kind "page", target a file in pages/ or None) or HTTP path (kind "http") on
    the database at `url`, in a process of its own; `times(n)` runs it n times."""

    def __init__(self, url: str, kind: str, target: str | None) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, url, kind, target), daemon=True)
        self._process.start()
        child.close()
        self.label = f"{kind} {target} on {url}"
        self._answer(READY_SECONDS)

    def _answer(self, timeout: float):
        if not self._connection.poll(timeout):
            raise TimeoutError(f"{self.label}: no answer in {timeout:g} s")
        kind, value = self._connection.recv()
        if kind == "error":
            raise RuntimeError(f"{self.label} failed:\n{value}")
        return value

    def times(self, n: int) -> list[float]:
        self._connection.send(n)
        return self._answer(READY_SECONDS)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._connection.send(None)
        self._process.join(30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()


# --- the ratio ---------------------------------------------------------------------------------


@dataclass
class Ratio:
    value: float | None  # median of the agreeing estimates; None if none agreed
    estimates: list[float] = field(default_factory=list)  # every estimate, in order
    small_ms: list[float] = field(default_factory=list)  # each estimate's small median
    large_ms: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, object]:
        agreeing = self.estimates[-AGREEING:] if self.value is not None else []
        return {
            "large_over_small": None if self.value is None else round(self.value, 3),
            "spread": {"min": round(min(agreeing), 3), "max": round(max(agreeing), 3)}
            if agreeing
            else None,
            "estimates": [round(e, 3) for e in self.estimates],
            "small_median_ms": [round(v, 1) for v in self.small_ms],
            "large_median_ms": [round(v, 1) for v in self.large_ms],
            "runs_per_side_per_estimate": ROUNDS * 2 * BATCH,
            "method": f"median over {ROUNDS} ABBA rounds of each round's large ÷ small median; "
            f"repeated until {AGREEING} consecutive estimates lie within ±{AGREE} of their "
            f"middle (at most {ATTEMPTS} estimates)",
        }

    @property
    def why_none(self) -> str:
        return (
            f"no {AGREEING} consecutive estimates agreed within ±{AGREE} in {ATTEMPTS}: "
            f"{[round(e, 3) for e in self.estimates]}"
        )


def agreeing(estimates: list[float]) -> bool:
    """The last AGREEING estimates all lie within ±AGREE of the middle of their range."""
    last = estimates[-AGREEING:]
    return len(last) == AGREEING and max(last) - min(last) <= 2 * AGREE + 1e-9


def estimate(small: Warm, large: Warm) -> tuple[float, float, float]:
    """One estimate: ROUNDS rounds of ABBA (then BAAB) batches. Each round's ratio compares runs
    made within a second or two of each other, so a change of load between rounds cancels out;
    the estimate is the median of the rounds' ratios. Returns it with the medians in ms."""
    runs: dict[str, list[float]] = {"small": [], "large": []}
    ratios = []
    warm = {"small": small, "large": large}
    for round_ in range(ROUNDS):
        a, b = ("small", "large") if round_ % 2 == 0 else ("large", "small")
        this: dict[str, list[float]] = {"small": [], "large": []}
        for side in (a, b, b, a):
            this[side] += warm[side].times(BATCH)
        ratios.append(statistics.median(this["large"]) / statistics.median(this["small"]))
        for side in this:
            runs[side] += this[side]
    return (
        statistics.median(ratios),
        statistics.median(runs["small"]) * 1000,
        statistics.median(runs["large"]) * 1000,
    )


def stable_ratio(small_url: str, large_url: str, kind: str, target: str | None) -> Ratio:
    """Large ÷ small warm time of a page (kind "page") or HTTP path (kind "http")."""
    small = Warm(small_url, kind, target)
    try:
        large = Warm(large_url, kind, target)
        try:
            ratio = Ratio(None)
            for _ in range(ATTEMPTS):
                value, small_ms, large_ms = estimate(small, large)
                ratio.estimates.append(value)
                ratio.small_ms.append(small_ms)
                ratio.large_ms.append(large_ms)
                if agreeing(ratio.estimates):
                    ratio.value = statistics.median(ratio.estimates[-AGREEING:])
                    break
            return ratio
        finally:
            large.close()
    finally:
        small.close()

"""Complaint benchmarks (`make bench`): JSON figures in test-artifacts/bench-complaints.json; a
missed target (tests/bench/targets.py) fails the run after the figures are written.

- intake throughput with 16 concurrent submitters on SQLite and on PostgreSQL: filings per
  second, p50/p95 latency, errors (target 0 on each). PostgreSQL is the `bench` database of the
  local server unless PORTAL_BENCH_DATABASE_URL names another (created when missing; its
  `public` schema is recreated, so never point it at a database that holds anything else);
  an unreachable server misses the target;
- receipt look-up time over a bare Argon2id verify with the same parameters (target <= 1.5);
- warm run of the registry page (AppTest) and of Open311 requests.json with 50,000 cases over
  2,000 cases (target <= 1.2 each), measured by tests/bench/pages.py.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine import make_url

from services.complaints import demo as complaint_demo
from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.core import db, migrate
from services.shared.sealed import receipts
from tests.bench import samples
from tests.bench.pages import stable_ratio, timings
from tests.bench.targets import judge, settle
from tests.conftest import portal_database

pytestmark = pytest.mark.bench
UNTIL = date(2026, 11, 20)
SUBMITTERS, PER_SUBMITTER = 16, 12
# a database of the benchmark's own: its schema is dropped and recreated on every run
PG_URL = os.environ.get(
    "PORTAL_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/bench"
)


def report(i: int) -> intake.Report:
    return intake.Report(
        types=["air.odour", "noise.construction"][i % 2 : i % 2 + 1],
        district=["520102", "520103", "520111"][i % 3],
        location=f"测试路{i}号附近",
        target_name=f"示例测试企业{i % 40}",
        observed_on=workflow.today() - timedelta(days=1),
        description="傍晚时段有明显刺鼻气味，持续一个小时以上，影响附近居民开窗通风。",
        identity_mode=IdentityMode.CONFIDENTIAL if i % 2 else IdentityMode.ANONYMOUS,
        name="示例用户",
        phone="13800000000",
    )


def intake_run(engine) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(SUBMITTERS)

    def submitter(n: int) -> None:
        start.wait()
        for k in range(PER_SUBMITTER):
            began = time.perf_counter()
            try:
                with db.unit_of_work(engine) as session:
                    intake.file_report(session, report(n * PER_SUBMITTER + k))
            except Exception as error:  # counted and reported, never hidden
                with lock:
                    errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
                continue
            with lock:
                latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=submitter, args=(n,)) for n in range(SUBMITTERS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "submitters": SUBMITTERS,
        "filings": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted({e.split(":")[0] for e in errors}),
        "error_messages": sorted(set(errors))[:5],
        "filings_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1) if ordered else None,
    }


def pg_engine():
    """An engine on PG_URL, its database created first when the server does not have it."""
    url = make_url(db.normalise_url(PG_URL))
    server = db.make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    try:
        with server.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if exists is None:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        server.dispose()
    return url.render_as_string(hide_password=False)


def build(url: str, count: int) -> None:
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    complaint_demo.generate_cases(engine, count=count, seed=20211, until=UNTIL)
    engine.dispose()


def cases_url(size: str, into) -> str:
    """A private copy of the sample cases of `size` (built the first time)."""
    count = complaint_demo.CASES[size]
    recipe = f"complaints-{size}|20211|{UNTIL.isoformat()}"
    return samples.sqlite_copy(recipe, lambda url: build(url, count), into)


def test_complaint_benchmarks(tmp_path, monkeypatch):
    figures: dict[str, object] = {}

    with portal_database(f"sqlite:///{tmp_path / 'intake.db'}", monkeypatch) as engine:
        migrate.upgrade(engine)
        figures["intake_sqlite"] = intake_run(engine)
    judge(figures, "intake_sqlite", figures["intake_sqlite"]["errors"])
    try:
        pg_url = pg_engine()
    except Exception as error:  # no server: the target is missed, with the reason
        figures["intake_postgresql"] = {"database": PG_URL}
        judge(figures, "intake_postgresql", None, f"PostgreSQL not reachable: {error!r}"[:300])
    else:
        with portal_database(pg_url, monkeypatch) as engine:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            migrate.upgrade(engine)
            figures["intake_postgresql"] = intake_run(engine)
        judge(figures, "intake_postgresql", figures["intake_postgresql"]["errors"])

    with portal_database(cases_url("large", tmp_path / "receipt"), monkeypatch) as engine:
        with db.unit_of_work(engine) as session:
            filed = intake.file_report(session, report(1))
        typed = receipts.grouped(filed.receipt)

        def lookup() -> None:
            with db.unit_of_work(engine) as session:
                workflow.reporter_case(session, receipts.lookup_key(typed))

        hasher = PasswordHasher(
            time_cost=receipts.ARGON2_TIME_COST,
            memory_cost=receipts.ARGON2_MEMORY_KIB,
            parallelism=receipts.ARGON2_PARALLELISM,
        )
        stored = hasher.hash(filed.receipt)
        lookup()
        ours, bare = [], []
        for _ in range(5):  # interleaved, so load from elsewhere falls on both alike
            ours += timings(lookup, 3)
            bare += timings(lambda: hasher.verify(stored, filed.receipt), 3)
        ours_median, bare_median = statistics.median(ours), statistics.median(bare)
        figures["receipt_lookup"] = {
            "lookup_ms": round(ours_median * 1000, 2),
            "bare_argon2_verify_ms": round(bare_median * 1000, 2),
            "cases_in_database": complaint_demo.CASES["large"] + 1,
        }
        judge(figures, "receipt_lookup", ours_median / bare_median)

    urls = {name: cases_url(name, tmp_path) for name in ("small", "large")}
    for name, kind, target in (
        ("registry_page_warm", "page", "complaints/complaints.py"),
        ("open311_requests_warm", "http", "/open311/v2/requests.json"),
    ):
        ratio = stable_ratio(urls["small"], urls["large"], kind, target)
        figures[name] = {**{f"{n}_cases": complaint_demo.CASES[n] for n in urls}, **ratio.figures()}
        judge(figures, name, ratio.value, ratio.why_none)
    settle(figures, "bench-complaints.json")

"""Complaint benchmarks (`make bench`): JSON figures, no timed assertions.

- intake throughput with 16 concurrent submitters on SQLite and on PostgreSQL (when reachable):
  filings per second, p50/p95 latency, errors (target 0);
- receipt look-up time over a bare Argon2id verify with the same parameters (target <= 1.5);
- warm run of the registry page (AppTest) and of Open311 requests.json with 50,000 cases over
  2,000 cases (target <= 1.3 each).
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.complaints import demo as complaint_demo
from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.core import db, migrate
from services.shared.sealed import receipts
from tests.bench.pages import timings, warm_page
from tests.conftest import portal_database, reset_process_caches

pytestmark = pytest.mark.bench
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
OUT = ROOT / "test-artifacts"
UNTIL = date(2026, 11, 20)
SUBMITTERS, PER_SUBMITTER = 16, 12
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


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
                    errors.append(type(error).__name__)
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
        "error_kinds": sorted(set(errors)),
        "filings_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1) if ordered else None,
    }


def pg_reachable() -> bool:
    try:
        engine = db.make_engine(db.normalise_url(PG_URL))
        ok = db.ping(engine)
        engine.dispose()
        return ok
    except Exception:
        return False


def build(url: str, count: int) -> None:
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    complaint_demo.generate_cases(engine, count=count, seed=20211, until=UNTIL)
    engine.dispose()


def test_complaint_benchmarks(tmp_path, monkeypatch):
    figures: dict[str, object] = {}

    with portal_database(f"sqlite:///{tmp_path / 'intake.db'}", monkeypatch) as engine:
        migrate.upgrade(engine)
        figures["intake_sqlite"] = intake_run(engine)
    if pg_reachable():
        with portal_database(db.normalise_url(PG_URL), monkeypatch) as engine:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            migrate.upgrade(engine)
            figures["intake_postgresql"] = intake_run(engine)
    else:
        figures["intake_postgresql"] = "skipped: no PostgreSQL at PORTAL_TEST_DATABASE_URL"

    sizes = {"small": complaint_demo.CASES["small"], "large": complaint_demo.CASES["large"]}
    urls = {name: f"sqlite:///{tmp_path / f'{name}.db'}" for name in sizes}
    for name, count in sizes.items():
        build(urls[name], count)

    with portal_database(urls["large"], monkeypatch) as engine:
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
        ours = statistics.median(timings(lookup, 15))
        bare = statistics.median(timings(lambda: hasher.verify(stored, filed.receipt), 15))
        figures["receipt_lookup"] = {
            "lookup_ms": round(ours * 1000, 2),
            "bare_argon2_verify_ms": round(bare * 1000, 2),
            "lookup_over_bare_verify": round(ours / bare, 3),
            "cases_in_database": sizes["large"] + 1,
            "target": "<= 1.5",
        }

    page: dict[str, float] = {}
    api: dict[str, float] = {}
    for name in sizes:
        at = warm_page(urls[name], "complaints/complaints.py", monkeypatch)
        page[name] = statistics.median(timings(at.run, 10))
        with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as client:
            get = lambda: client.get("/open311/v2/requests.json")  # noqa: E731
            assert get().status_code == 200
            api[name] = statistics.median(timings(get, 20))
    figures["registry_page_warm"] = {
        "small_cases": sizes["small"],
        "large_cases": sizes["large"],
        "small_median_ms": round(page["small"] * 1000, 1),
        "large_median_ms": round(page["large"] * 1000, 1),
        "large_over_small": round(page["large"] / page["small"], 3),
        "target": "<= 1.3",
    }
    figures["open311_requests_warm"] = {
        "small_median_ms": round(api["small"] * 1000, 2),
        "large_median_ms": round(api["large"] * 1000, 2),
        "large_over_small": round(api["large"] / api["small"], 3),
        "target": "<= 1.3",
    }
    reset_process_caches()
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    OUT.mkdir(exist_ok=True)
    (OUT / "bench-complaints.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))

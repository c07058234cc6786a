"""Hostile input at every public entry point the manifests declare (services/*/manifest.py
`entry_points`: the complaint form, the receipt holder's steps, the file imports) and at every
parameter of every open-data endpoint: each input is stored as accepted (and reads back so) or
refused with a message both catalogs have, with nothing written; no other exception escapes, and
no open-data answer is anything but 200, 400, 404 or 429 in the endpoint's error style.

The examples come from the declarations alone (tests/app/hostile.py), so a capability that
declares an entry point or an endpoint is fuzzed without this file changing
(tests/app/test_toy_hostile.py shows it). Marked `slow`; `make test` runs it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from services import domains
from services.core import settings
from services.shared.capability import EntryPoint
from services.shared.open_data import BadRequest, Endpoint
from services.shared.sealed import receipts
from tests.app import hostile

pytestmark = pytest.mark.slow

# examples per entry point and per endpoint, within about four minutes for the whole file on two
# cores; HOSTILE_EXAMPLES scales them (10 for a long hunt, 0.1 while working on a strategy)
SCALE = float(os.environ.get("HOSTILE_EXAMPLES", "1"))
EXAMPLES = {"complaints.file": 2000, "air.import_hourly": 2000, "water.import_samples": 2000}
OTHER_EXAMPLES = 1000  # the receipt holder's steps and any other entry point
ENDPOINT_EXAMPLES = 300
REPORT: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def examples_and_time(request):
    """After the module: how many examples each entry point and endpoint ran, and how long."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None and REPORT:
        with capture.global_and_fixture_disabled():
            print("\nhostile input:\n  " + "\n  ".join(REPORT))


def examples(count: int) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=max(1, int(count * SCALE)), deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip


@pytest.fixture
def quick_receipts(monkeypatch):
    """Receipts hashed with Argon2id's smallest cost: the same code path, far less time."""
    monkeypatch.setattr(receipts, "ARGON2_MEMORY_KIB", 8)
    monkeypatch.setattr(receipts, "ARGON2_TIME_COST", 1)


def fuzz_entry_point(entry: EntryPoint, engine, *, count: int | None = None) -> Counter:
    """Feed `entry` hostile input; return how many examples were stored and refused."""
    db = hostile.Database(engine, hostile.tables_of(entry))
    good = hostile.prepared(entry, db)
    actor = hostile.actor_for(entry)
    outcomes: Counter = Counter()
    started = time.perf_counter()

    @examples(count or EXAMPLES.get(entry.name, OTHER_EXAMPLES))
    @given(hostile.entry_inputs(entry, good))
    def run(raw) -> None:
        hostile.check_one(entry, db, raw, actor=actor, outcomes=outcomes)

    run()
    REPORT.append(f"{entry.name}: {sum(outcomes.values())} examples ({dict(outcomes)}) in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return outcomes


ENTRY_POINTS = [entry for manifest in domains.domains() for entry in manifest.entry_points]


def test_the_manifests_declare_the_public_entry_points():
    names = {entry.name for entry in ENTRY_POINTS}
    assert {"air.import_hourly", "water.import_samples", "complaints.file",
            "complaints.track.answer", "complaints.track.photos", "complaints.track.rate",
            "complaints.track.review"} <= names  # fmt: skip
    assert len(names) == len(ENTRY_POINTS), "entry point names must be unique"


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e.name)
def test_hostile_input_is_stored_or_refused_never_half_written(entry, engine, clock,
                                                               quick_receipts):  # fmt: skip
    outcomes = fuzz_entry_point(entry, engine)
    assert outcomes["refused"] > 0
    assert outcomes["stored"] > 0, f"{entry.name}: no example was ever accepted"


# --- open data ----------------------------------------------------------------------------------

ENDPOINTS = [endpoint for manifest in domains.domains() for endpoint in manifest.endpoints]


@pytest.fixture
def api(engine, clock, monkeypatch):
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "1000000/minute")
    settings.get_settings.cache_clear()
    # the server's routes behind its open-data path guard, as portal/server.py serves them
    guard = [Middleware(server.OpenDataPaths)]
    with TestClient(Starlette(routes=server.build_routes(), middleware=guard)) as client:
        yield client
    settings.get_settings.cache_clear()


def _path_values(endpoint: Endpoint) -> dict[str, st.SearchStrategy[str]]:
    names = [n for n, _ in _placeholders(endpoint.path)]
    declared = {p.name: hostile.param_values(p) for p in endpoint.params if p.in_path}
    return {name: declared.get(name, hostile.hostile_text).map(_cut) for name in names}


def _cut(value: str) -> str:
    """Servers refuse request lines over a few kilobytes (and httpx, URLs over 64 KiB) before
    any route sees them; a route is fed up to 500 characters per value."""
    return value[:500]


def _placeholders(path: str) -> list[tuple[str, str]]:
    import re

    return re.findall(r"{(\w+)(:\w+)?}", path)


def request_parts(endpoint: Endpoint) -> st.SearchStrategy[tuple[dict, dict]]:
    """Some of the endpoint's query parameters (hostile or good), unknown ones, `format` and
    `lang`; and its path parameters."""
    query = {p.name: hostile.param_values(p).map(_cut) for p in endpoint.params
             if not p.in_path and not p.required}  # fmt: skip
    required = {p.name: hostile.param_values(p).map(_cut) for p in endpoint.params
                if not p.in_path and p.required}  # fmt: skip
    extra = {"format": st.one_of(st.sampled_from(["json", "csv", "geojson", "open311", "atom"]),
                                 hostile.hostile_text),
             "lang": st.one_of(st.sampled_from(["zh_CN", "en"]), hostile.hostile_text),
             "unknown": hostile.hostile_text}  # fmt: skip
    extra = {name: values.map(_cut) for name, values in extra.items()}
    # a required parameter is mostly there (absent sometimes), so a request can pass the checks
    present = st.fixed_dictionaries(required, optional=query | extra)
    chosen = st.one_of(present, present, st.fixed_dictionaries({}, optional=required | query
                                                               | extra))  # fmt: skip
    return st.tuples(chosen, st.fixed_dictionaries(_path_values(endpoint)))


def _url(endpoint: Endpoint, path: dict[str, str]) -> str:
    url = endpoint.path
    for name, converter in _placeholders(endpoint.path):
        # dots encoded too: "." and ".." stay the parameter's value, as a raw request sends them
        value = quote(path[name], safe="").replace(".", "%2E") or "x"
        url = url.replace("{" + name + converter + "}", value)
    return url


def check_answer(endpoint: Endpoint, response) -> None:
    assert response.status_code in (200, 400, 404, 429), (response.status_code, response.text)
    if response.status_code == 200:
        return
    body = response.json()
    if endpoint.errors == "open311":
        assert isinstance(body, list) and len(body) == 1, body
        assert body[0]["code"] == response.status_code and body[0]["description"], body
    else:
        assert isinstance(body, dict) and set(body) == {"error"} and body["error"], body


def fuzz_endpoint(endpoint: Endpoint, client: TestClient, *, count: int = ENDPOINT_EXAMPLES):
    statuses: Counter = Counter()
    started = time.perf_counter()

    @examples(count)
    @given(request_parts(endpoint))
    def run(parts) -> None:
        query, path = parts
        try:  # the declaration itself: parsed, or refused with a translatable message
            endpoint.parse(query, path=path)
        except BadRequest as refused:
            hostile.translatable(refused)
        response = client.get(_url(endpoint, path), params=query)
        statuses[response.status_code] += 1
        check_answer(endpoint, response)

    run()
    REPORT.append(f"{endpoint.path}: {sum(statuses.values())} requests {dict(statuses)} in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return statuses


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_every_open_data_parameter_answers_hostile_text_in_the_declared_style(endpoint, api):
    statuses = fuzz_endpoint(endpoint, api)
    assert 500 not in statuses

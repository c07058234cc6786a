"""A capability's entry points are fuzzed from its manifest alone: a toy capability (the `toy`
fixture of tests/app/test_capabilities.py) that declares a form gets hostile input, and the
harness fails a toy that half-writes a refused input or lets another exception escape."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import func, select

from services import domains, schema
from services.core.messages import N_, UserFacingError
from services.shared.capability import EntryPoint
from services.shared.entry_points import InputField
from tests.app import hostile
from tests.app.test_capabilities import toy  # noqa: F401  (the fixture)
from tests.app.test_hostile_input import ENTRY_POINTS, fuzz_entry_point

pytestmark = pytest.mark.slow
TOO_LONG = N_("Too long: at most {limit} characters.")
EMPTY = N_("Please fill this in.")


def _things():
    return schema.metadata.tables["toy_thing"]


def _name(raw: Mapping[str, Any]) -> str:
    name = "".join(c for c in raw.get("name") or "" if c.isprintable()).strip()
    if not name:
        raise UserFacingError(EMPTY)
    if len(name) > 20:
        raise UserFacingError(TOO_LONG, limit=20)
    return name


def submit(engine, raw: Mapping[str, Any], *, actor=None):
    name = _name(raw)
    with engine.begin() as conn:
        new_id = conn.execute(_things().insert().values(name=name)).inserted_primary_key[0]
    return {"toy_thing": [{"id": new_id, "name": name}]}


def half_writes(engine, raw: Mapping[str, Any], *, actor=None):
    """Stores the row in a transaction of its own, then refuses: a partial write."""
    with engine.begin() as conn:
        conn.execute(_things().insert().values(name=str(raw.get("name"))[:20]))
    return submit(engine, raw)


def crashes(engine, raw: Mapping[str, Any], *, actor=None):
    if "\x00" in (raw.get("name") or ""):
        raise ValueError("NUL")
    return submit(engine, raw)


def read_back(engine, stored):
    wanted = stored["toy_thing"][0]["id"]
    with engine.connect() as conn:
        rows = conn.execute(select(_things()).where(_things().c.id == wanted)).mappings().all()
    return {"toy_thing": [dict(row) for row in rows]}


def _declare(toy_manifest, monkeypatch, submitter) -> EntryPoint:
    entry = EntryPoint("toy.name", "form", submitter, read_back,
                       fields=(InputField("name"),),
                       prepare=lambda _engine: {"name": ["a thing", "界"]})  # fmt: skip
    declared = dataclasses.replace(toy_manifest, entry_points=(entry,))
    monkeypatch.setattr(domains, "DOMAINS", (*domains.DOMAINS[:-1], declared))
    return entry


@pytest.fixture
def toy_db(engine, clock):
    schema.metadata.create_all(engine, tables=[_things()])
    return engine


def test_a_toy_capabilitys_declared_entry_point_is_fuzzed(toy, toy_db, monkeypatch):  # noqa: F811
    entry = _declare(toy, monkeypatch, submit)
    assert entry.name not in {e.name for e in ENTRY_POINTS}  # not known to the suite beforehand
    assert entry in [e for m in domains.domains() for e in m.entry_points]
    outcomes = fuzz_entry_point(entry, toy_db, count=300)
    assert outcomes["stored"] > 0 and outcomes["refused"] > 0
    assert sum(outcomes.values()) == 300
    with toy_db.connect() as conn:  # every accepted example was rolled back to the snapshot
        assert conn.execute(select(func.count()).select_from(_things())).scalar_one() == 0


def test_a_refused_input_that_wrote_a_row_fails_the_suite(toy, toy_db, monkeypatch):  # noqa: F811
    entry = _declare(toy, monkeypatch, half_writes)
    with pytest.raises(AssertionError, match="wrote to the database"):
        fuzz_entry_point(entry, toy_db, count=100)


def test_an_unexpected_exception_fails_the_suite(toy, toy_db, monkeypatch):  # noqa: F811
    entry = _declare(toy, monkeypatch, crashes)
    with pytest.raises(ValueError, match="NUL"):
        fuzz_entry_point(entry, toy_db, count=300)


def test_a_refusal_without_a_catalogued_message_fails_the_suite():
    with pytest.raises(AssertionError, match="catalog"):
        hostile.translatable(UserFacingError("A message no catalog has"))

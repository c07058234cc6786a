"""Run the repository tests again on PostgreSQL when PORTAL_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from services.core import db, migrate
from tests.conftest import portal_database

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/pg/" in str(item.fspath):
            item.add_marker(pytest.mark.pg)


@pytest.fixture
def database_url() -> str:
    if not PG_URL:
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set (CI sets it to the local PostgreSQL)")
    return db.normalise_url(PG_URL)


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An empty public schema, migrated from scratch, for every test."""
    with portal_database(database_url, monkeypatch) as engine:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        yield engine

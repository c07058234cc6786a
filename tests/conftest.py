"""Shared fixtures: a fresh, migrated database per test, and settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from services.core import accounts, db, migrate, ratelimit, settings
from services.core.accounts import Actor, Grant, Role
from services.core.clock import FixedClock, use_clock

STAFF_PASSWORD = "Correct-horse-9"
TEST_SECRET = "test-secret-key-that-is-long-enough-for-signing-0123456789"
TEST_VAULT_KEY = "dGVzdC12YXVsdC1rZXktMzItYnl0ZXMtbG9uZy0wMTI="  # 32 bytes, base64: a Fernet key
CLOCK_START = date(2026, 9, 16)  # 10:00 Beijing time; a plain working day


def reset_process_caches() -> None:
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    ratelimit.limiter.cache_clear()


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """The time every service and model sees in this test; `set` or `advance` it to move it."""
    with use_clock(FixedClock(CLOCK_START)) as fixed:
        yield fixed


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'portal.db'}"


@contextmanager
def portal_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Point the code under test at `url` (DATABASE_URL, a fixed secret) and give its engine."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PORTAL_VAULT_KEY", TEST_VAULT_KEY)
    reset_process_caches()
    engine = db.get_engine()
    try:
        yield engine
    finally:
        engine.dispose()
        reset_process_caches()


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A migrated database that the code under test also finds through DATABASE_URL."""
    with portal_database(database_url, monkeypatch) as engine:
        migrate.upgrade(engine)
        yield engine


def add_staff(
    engine: Engine,
    username: str,
    *roles: Role,
    display_name: str | None = None,
    district: str | None = None,
) -> Actor:
    """A staff account for a test (password STAFF_PASSWORD), created through the service."""
    with db.unit_of_work(engine) as session:
        user = accounts.create_user(
            session,
            actor_name="test",
            username=username,
            display_name=display_name or f"{username.title()} Tester",
            password=STAFF_PASSWORD,
            grants=[Grant(role, district) for role in roles],
        )
        return accounts.actor_for(session, user)

"""Sign-in through the HTTP route: failures from one address slow down and then lock that address
for the account, never the account from another address; every step audited without the address.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from portal.kit import session_cookie
from services.core import accounts, audit
from services.core.accounts import Role
from services.core.settings import get_settings
from tests.conftest import STAFF_PASSWORD, add_staff

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def app(engine, monkeypatch):
    # short waits, so the test is quick; their growth is what is checked
    monkeypatch.setenv("PORTAL_LOGIN_DELAY_SECONDS", "0.05")
    monkeypatch.setenv("PORTAL_LOGIN_DELAY_MAX_SECONDS", "0.4")
    get_settings.cache_clear()
    add_staff(engine, "alice", Role.ADMIN)
    return Starlette(routes=server.routes, middleware=[Middleware(server.SecurityHeaders)])


def client_at(app, address: str) -> TestClient:
    """A client whose requests come from `address` (the TCP peer the server sees)."""
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False,
                      client=(address, 40000))  # fmt: skip


def sign_in(client: TestClient, password: str, username: str = "alice"):
    form = client.get("/staff/login?lang=en")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf": csrf, "lang": "en"},
    )


def entries(engine, action: str) -> list[audit.AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(audit.AuditEntry).where(audit.AuditEntry.action == action)))


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(app, engine):
    with client_at(app, ATTACKER) as attacker, client_at(app, OWNER) as owner:
        for _ in range(7):  # past the threshold of five
            assert sign_in(attacker, "Wrong-password-1").status_code == 401
        assert sign_in(attacker, STAFF_PASSWORD).status_code == 401  # locked from there
        answer = sign_in(owner, STAFF_PASSWORD)
        assert answer.status_code == 303
        assert session_cookie.COOKIE_NAME in answer.headers["set-cookie"]
    assert len(entries(engine, "login.locked")) == 1
    assert len(entries(engine, "login.ok")) == 1


def test_the_wait_before_the_answer_grows_per_failure(app, engine, monkeypatch):
    waits: list[float] = []
    real = accounts.sign_in_delay

    def recorded(username, source):
        waits.append(real(username, source))
        return waits[-1]

    monkeypatch.setattr(server.accounts, "sign_in_delay", recorded)
    took = []
    with client_at(app, ATTACKER) as attacker, client_at(app, OWNER) as owner:
        for _ in range(5):
            started = time.monotonic()
            assert sign_in(attacker, "Wrong-password-1").status_code == 401
            took.append(time.monotonic() - started)
        assert sign_in(owner, STAFF_PASSWORD).status_code == 303
    assert waits == [0, 0.05, 0.1, 0.2, 0.4, 0]  # doubling, capped; the owner does not wait
    assert all(t >= w for t, w in zip(took, waits, strict=False))


def test_failures_and_the_lock_are_audited_without_the_address(app, engine):
    with client_at(app, ATTACKER) as attacker, client_at(app, OWNER) as owner:
        for _ in range(5):
            sign_in(attacker, "Wrong-password-1")
        sign_in(attacker, STAFF_PASSWORD)
        sign_in(owner, "Wrong-password-2")
    failed = entries(engine, "login.failed")
    locked = entries(engine, "login.locked")
    refused = entries(engine, "login.refused_locked")
    sources = [json.loads(e.details)["source"] for e in failed]
    assert len(set(sources[:5])) == 1 and sources[5] != sources[0]  # told apart, not named
    assert [json.loads(e.details)["failures_from_source"] for e in failed] == [1, 2, 3, 4, 5, 1]
    assert len(locked) == 1 and len(refused) == 1
    with Session(engine) as session:
        everything = " ".join(e.details or "" for e in session.exec(select(audit.AuditEntry)))
    assert ATTACKER not in everything and OWNER not in everything

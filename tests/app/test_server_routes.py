"""The HTTP side: health, staff sign-in/out with signed cookies and CSRF, security headers."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from portal.kit import session_cookie
from services.core import accounts
from services.core.accounts import Role
from services.core.db import unit_of_work
from tests.conftest import STAFF_PASSWORD, add_staff

PASSWORD = STAFF_PASSWORD


@pytest.fixture
def client(engine):
    add_staff(engine, "alice", Role.ADMIN)
    app = Starlette(routes=server.routes, middleware=[Middleware(server.SecurityHeaders)])
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as test_client:
        yield test_client


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)


def sign_in(client, username="alice", password=PASSWORD, lang="en"):
    form = client.get(f"/staff/login?lang={lang}")
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf": csrf_of(form), "lang": lang},
    )


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_fails_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(server.db, "ping", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_every_response_carries_the_security_headers(client):
    headers = client.get("/staff/login").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_login_form_is_translated(client):
    assert "工作人员登录" in client.get("/staff/login").text
    assert "Staff sign-in" in client.get("/staff/login?lang=en").text


def test_sign_in_sets_a_signed_httponly_samesite_cookie_with_an_expiry(client):
    response = sign_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff?lang=en"
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith(session_cookie.COOKIE_NAME + "=")
    )
    attributes = cookie.lower()
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "max-age=28800" in attributes  # PORTAL_SESSION_HOURS default: 8 h
    value = cookie.split(";")[0].split("=", 1)[1].strip('"')
    token = session_cookie.unsign(value)
    with unit_of_work() as session:
        assert accounts.actor_for_token(session, token=token).username == "alice"


def test_a_cookie_signed_with_another_key_is_rejected():
    from itsdangerous import TimestampSigner

    forged = TimestampSigner("another-key", salt="portal.staff-session").sign("x").decode()
    assert session_cookie.unsign(forged) is None


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    wrong = sign_in(client, password="Wrong-password-1")
    unknown = sign_in(client, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    message = "Username or password is incorrect, or the account is temporarily locked."
    assert message in wrong.text and message in unknown.text
    assert session_cookie.COOKIE_NAME not in wrong.headers.get("set-cookie", "")


def test_failed_sign_in_keeps_the_username_but_not_the_password(client):
    response = sign_in(client, password="Wrong-password-1")
    assert 'value="alice"' in response.text
    assert "Wrong-password-1" not in response.text


def test_sign_in_without_the_form_token_is_refused(client):
    response = client.post(
        "/staff/login", data={"username": "alice", "password": PASSWORD, "csrf": "made-up"}
    )
    assert response.status_code == 400
    assert session_cookie.COOKIE_NAME not in response.headers.get("set-cookie", "")


def test_sign_in_attempts_are_rate_limited_per_address(client):
    statuses = [sign_in(client, username="nobody").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_sign_out_revokes_the_session(client):
    signed_in = sign_in(client)
    value = client.cookies.get(session_cookie.COOKIE_NAME)
    assert signed_in.status_code == 303 and value
    confirm = client.get("/staff/logout?lang=en")
    response = client.post("/staff/logout", data={"csrf": csrf_of(confirm), "lang": "en"})
    assert response.status_code == 303
    assert response.headers["location"] == "/?lang=en"
    token = session_cookie.unsign(value.strip('"'))
    with unit_of_work() as session:
        assert accounts.actor_for_token(session, token=token) is None

"""Clients behind a trusted reverse proxy each get their own budget (PORTAL_TRUSTED_PROXIES);
a header from anyone else is ignored. The open-data routes and the staff sign-in, over HTTP."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from services.core import ratelimit
from services.core.accounts import Role
from tests.conftest import STAFF_PASSWORD, add_staff, reset_process_caches

API = "/open311/v2/services.json"
PROXY = "127.0.0.1"


@pytest.fixture
def configure(engine, monkeypatch):
    """Set the proxy setting and a small API budget; the limiter starts empty (in memory)."""

    def apply(trusted: str | None) -> None:
        if trusted is None:
            monkeypatch.delenv("PORTAL_TRUSTED_PROXIES", raising=False)
        else:
            monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", trusted)
        monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "3/minute")
        monkeypatch.setenv("PORTAL_LOGIN_DELAY_SECONDS", "0")  # no wait between sign-ins
        monkeypatch.delenv("REDIS_URL", raising=False)
        reset_process_caches()

    return apply


def client_from(peer: str) -> TestClient:
    app = Starlette(routes=server.routes, middleware=[Middleware(server.SecurityHeaders)])
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=(peer, 1))


def api_statuses(client: TestClient, forwarded: str | None, times: int) -> list[int]:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return [client.get(API, headers=headers).status_code for _ in range(times)]


@pytest.mark.parametrize("peer", [PROXY, "::ffff:127.0.0.1"])
def test_two_clients_behind_one_proxy_each_get_their_own_api_budget(configure, peer):
    configure(PROXY)
    with client_from(peer) as proxy:
        assert api_statuses(proxy, "203.0.113.1", 4) == [200, 200, 200, 429]
        assert api_statuses(proxy, "203.0.113.2", 3) == [200, 200, 200]
        # what a client writes to the left of the proxy's entry is not believed
        assert api_statuses(proxy, "203.0.113.9, 203.0.113.1", 1) == [429]


def test_without_the_setting_the_header_is_ignored(configure):
    configure(None)
    with client_from(PROXY) as proxy:
        assert api_statuses(proxy, "203.0.113.1", 3) == [200, 200, 200]
        assert api_statuses(proxy, "203.0.113.2", 1) == [429]


def test_a_forged_header_from_an_untrusted_peer_is_ignored(configure):
    configure(PROXY)
    with client_from("198.51.100.7") as stranger:
        statuses = [
            stranger.get(API, headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code
            for n in range(4)
        ]
    assert statuses == [200, 200, 200, 429]


def _sign_in(client: TestClient, forwarded: str, username: str, password: str) -> int:
    headers = {"x-forwarded-for": forwarded}
    form = client.get("/staff/login?lang=en", headers=headers)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    data = {"username": username, "password": password, "csrf": csrf, "lang": "en"}
    return client.post("/staff/login", data=data, headers=headers).status_code


def test_the_sign_in_limit_keys_on_the_forwarded_address(engine, configure):
    configure(PROXY)
    add_staff(engine, "alice", Role.ADMIN)
    with client_from(PROXY) as proxy:
        wrong = [_sign_in(proxy, "203.0.113.5", "nobody", "Wrong-password-1") for _ in range(11)]
        assert wrong[:10] == [401] * 10 and wrong[10] == 429
        # another client behind the same proxy still signs in with the right password
        assert _sign_in(proxy, "203.0.113.6", "alice", STAFF_PASSWORD) == 303
    storage = ratelimit.limiter().storage
    keys = [str(key) for key in (*storage.events, *storage.storage)]
    assert any(ratelimit.address_key("203.0.113.5") in key for key in keys)
    assert not any(ratelimit.address_key(PROXY) in key for key in keys)

"""Rate limits: in memory by default, shared through Redis when REDIS_URL is set."""

from __future__ import annotations

import os
import uuid

import pytest

from services.core import ratelimit
from tests.conftest import reset_process_caches

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
def storage(request, monkeypatch):
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("PORTAL_TEST_REDIS_URL is not set (CI sets it to the local Redis)")
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    reset_process_caches()
    yield request.param
    reset_process_caches()


def test_the_limit_allows_up_to_its_count_then_refuses(storage):
    key = f"test-{uuid.uuid4()}"
    results = [ratelimit.allow("3/minute", "login", key) for _ in range(4)]
    assert results == [True, True, True, False]


def test_limits_are_counted_per_key(storage):
    first, second = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    assert all(ratelimit.allow("2/minute", "login", first) for _ in range(2))
    assert ratelimit.allow("2/minute", "login", second)
    assert not ratelimit.allow("2/minute", "login", first)


@pytest.mark.parametrize("storage", ["redis"], indirect=True)
def test_redis_counters_are_shared_between_limiters(storage):
    key = f"shared-{uuid.uuid4()}"
    assert ratelimit.allow("2/minute", "login", key)
    reset_process_caches()  # a second process would build its own limiter
    assert ratelimit.allow("2/minute", "login", key)
    assert not ratelimit.allow("2/minute", "login", key)


def test_available_and_used_do_not_count_but_count_does(storage):
    key = f"peek-{uuid.uuid4()}"
    assert (
        ratelimit.available("2/minute", "receipt", key)
        and ratelimit.used("2/minute", "receipt", key) == 0
    )
    ratelimit.count("2/minute", "receipt", key)
    assert ratelimit.used("2/minute", "receipt", key) == 1
    assert ratelimit.available("2/minute", "receipt", key)
    ratelimit.count("2/minute", "receipt", key)
    assert not ratelimit.available("2/minute", "receipt", key)


def test_one_ipv6_subscriber_cannot_rotate_addresses_for_new_budgets(storage):
    # an IPv6 subscriber holds a /64: every address in it is one key
    assert ratelimit.address_key("2001:db8:1:2::1") == ratelimit.address_key("2001:db8:1:2:ffff::9")
    assert ratelimit.address_key("2001:db8:1:2::1") != ratelimit.address_key("2001:db8:1:3::1")
    assert ratelimit.address_key("::ffff:192.0.2.1") == ratelimit.address_key("192.0.2.1")
    assert ratelimit.address_key("192.0.2.1") != ratelimit.address_key("192.0.2.2")


def test_sessions_and_addresses_are_different_keys(storage):
    assert ratelimit.session_key("abc") != ratelimit.address_key("abc")
    assert ratelimit.session_key("abc") != ratelimit.session_key("abd")

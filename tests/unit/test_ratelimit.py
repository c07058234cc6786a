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

"""Rate limits with the `limits` library: in memory by default, Redis when REDIS_URL is set."""

from __future__ import annotations

from functools import cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.settings import get_settings

LOGIN_PER_ADDRESS = "10/minute"


@cache
def limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url or "memory://"
    return MovingWindowRateLimiter(storage_from_string(url))


@cache
def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def allow(rule: str, *keys: str) -> bool:
    """Count one hit against `rule` for these keys; False once the limit is reached."""
    return limiter().hit(_item(rule), *keys)

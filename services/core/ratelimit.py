"""Rate limits with the `limits` library: in memory by default, Redis when REDIS_URL is set."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.core.settings import get_settings

LOGIN_PER_ADDRESS = "10/minute"
COMPLAINT_FILING_PER_ADDRESS = "5/hour"  # a resident rarely files more; floods stop here
RECEIPT_LOOKUP_PER_ADDRESS = "10/10minutes"  # 20-digit receipts cannot be guessed at this pace


@cache
def limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url or "memory://"
    return MovingWindowRateLimiter(storage_from_string(url))


@cache
def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def address_key(address: str | None) -> str:
    """A client address as a counter key: keyed hash, so no address is ever stored or logged."""
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:24]


def allow(rule: str, *keys: str) -> bool:
    """Count one hit against `rule` for these keys; False once the limit is reached."""
    return limiter().hit(_item(rule), *keys)

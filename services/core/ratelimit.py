"""Rate limits with the `limits` library: in memory by default, Redis when REDIS_URL is set.

Counters are keyed by a keyed hash of the client's address (`services/core/client_address.py`
finds it behind trusted proxies) and, for the public forms, of the browser session as well: one
visitor gets a session allowance, everyone behind one address (an office, a campus, a mobile
carrier's NAT) shares a higher ceiling, so no single visitor can use up a shared address's budget.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.core.client_address import parse_ip
from services.core.settings import get_settings

LOGIN_PER_ADDRESS = "10/minute"
# Filings that pass validation and are attempted; a refused form or photo is not counted.
COMPLAINT_FILING_PER_SESSION = "5/hour"  # a resident rarely files more; floods stop here
COMPLAINT_FILING_PER_ADDRESS = "30/hour"  # six such visitors behind one address
# Failed receipt look-ups only: a right receipt is never counted (portal/complaints/track.py).
RECEIPT_FAILURES_PER_SESSION = "10/10minutes"  # 20-digit receipts cannot be guessed at this pace
RECEIPT_FAILURES_PER_ADDRESS = "60/10minutes"
IPV6_PREFIX = 64  # one IPv6 subscriber holds a /64 and could rotate addresses inside it


@cache
def limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url or "memory://"
    return MovingWindowRateLimiter(storage_from_string(url))


@cache
def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def _keyed(kind: str, value: str) -> str:
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:24]


def address_key(address: str | None) -> str:
    """A client address as a counter key: keyed hash, so no address is ever stored or logged.

    IPv6 addresses count by their /64 network; anything that is not an address counts as given.
    """
    ip = parse_ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        subject = str(ipaddress.ip_network((ip, IPV6_PREFIX), strict=False))
    else:
        subject = str(ip) if ip is not None else (address or "unknown")
    return hmac.new(
        get_settings().secret_key.get_secret_value().encode(), subject.encode(), hashlib.sha256
    ).hexdigest()[:24]


def session_key(session_id: str) -> str:
    """A browser session (a random id the page keeps) as a counter key."""
    return _keyed("session", session_id)


def allow(rule: str, *keys: str) -> bool:
    """Count one hit against `rule` for these keys; False once the limit is reached."""
    return limiter().hit(_item(rule), *keys)


def available(rule: str, *keys: str) -> bool:
    """Whether one more hit would be allowed, without counting it."""
    return limiter().test(_item(rule), *keys)


def used(rule: str, *keys: str) -> int:
    """Hits counted against `rule` for these keys in the current window."""
    item = _item(rule)
    return item.amount - limiter().get_window_stats(item, *keys).remaining


def count(rule: str, *keys: str) -> None:
    """Count one hit whatever the limit says (an event that has already happened)."""
    limiter().hit(_item(rule), *keys)

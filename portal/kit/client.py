"""The client behind an HTTP request (open-data routes, staff sign-in), for rate limits.

The TCP peer, unless it is a trusted proxy (PORTAL_TRUSTED_PROXIES): then X-Forwarded-For by the
rule in `services/core/client_address.py`. Pages use `portal/kit/visitor.py` instead.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from services.core import client_address, ratelimit
from services.core.settings import get_settings


def address(request: HTTPConnection) -> str | None:
    peer = request.client.host if request.client else None
    forwarded = request.headers.getlist("x-forwarded-for")
    return client_address.client_address(peer, forwarded, get_settings().trusted_proxies)


def address_key(request: HTTPConnection) -> str:
    """The client's address as a rate-limit key (a keyed hash, never the address)."""
    return ratelimit.address_key(address(request))

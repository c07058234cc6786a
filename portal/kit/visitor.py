"""The visitor behind a page run, as far as rate limits need to know (keyed hashes, never an IP).

The address is the WebSocket's peer, or behind a trusted proxy (PORTAL_TRUSTED_PROXIES) the
client named in the handshake's X-Forwarded-For (`services/core/client_address.py`); the
session is a random id kept in this browser session's state.
"""

from __future__ import annotations

import secrets

import streamlit as st

from services.core import client_address, ratelimit
from services.core.settings import get_settings

SESSION_ID = "_visitor_session"
LOOPBACK = ("127.0.0.1", "::1")


def address() -> str | None:
    peer = getattr(st.context, "ip_address", None)
    headers = st.context.headers
    if not isinstance(peer, str):
        if not headers:
            return None  # no connection (a script run without a browser)
        # Streamlit reports a loopback peer (127.0.0.1 or ::1) as None: a proxy on this host
        trusted = get_settings().trusted_proxies
        peer = next(
            (p for p in LOOPBACK if client_address.is_trusted(client_address.parse_ip(p), trusted)),
            LOOPBACK[0],
        )
    forwarded = headers.get_all("x-forwarded-for") if headers else []
    return client_address.client_address(peer, forwarded, get_settings().trusted_proxies)


def address_key() -> str:
    return ratelimit.address_key(address())


def session_key() -> str:
    """This browser session (one tab; a reload starts a new one) as a rate-limit key."""
    session_id = st.session_state.get(SESSION_ID)
    if not isinstance(session_id, str):
        session_id = st.session_state[SESSION_ID] = secrets.token_urlsafe(16)
    return ratelimit.session_key(session_id)

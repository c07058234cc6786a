"""The visitor behind a page run, as far as rate limits need to know (a keyed hash, never an IP)."""

from __future__ import annotations

import streamlit as st

from services.core import ratelimit


def address_key() -> str:
    address = getattr(st.context, "ip_address", None)
    return ratelimit.address_key(address if isinstance(address, str) else None)

"""Cached read-side helpers for the home page (small results, keyed on nothing large)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from portal import data
from services import demo_meta, overview


@st.cache_data(ttl=60, show_spinner=False)
def home_overview() -> overview.HomeOverview:
    with data.unit_of_work() as session:
        return overview.home_overview(session)


@st.cache_data(ttl=60, show_spinner=False)
def cached_demo_time() -> datetime | None:
    with data.unit_of_work() as session:
        demo = demo_meta.current(session)
        return demo.generated_at if demo else None

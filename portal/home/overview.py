"""Cached read-side helpers for the home page (small results, keyed on nothing large)."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

import streamlit as st

from portal.kit import data
from services import domains
from services.core import demo_meta
from services.home import overview


@st.cache_data(ttl=60, show_spinner=False)
def home_overview() -> overview.HomeOverview:
    with data.unit_of_work() as session:
        return overview.home_overview(session)


@st.cache_data(ttl=60, show_spinner=False)
def tile_summaries() -> dict[str, Any]:
    """Each capability's home-tile summary, by capability name (one session for all)."""
    with data.unit_of_work() as session:
        return {m.name: tile.summary(session) for m, tile in domains.home_tiles()}


def draw_tiles() -> None:
    """One column per capability tile, drawn by `portal.<name>.tile.render(summary)`."""
    tiles = domains.home_tiles()
    summaries = tile_summaries()
    for column, (manifest, _tile) in zip(st.columns(len(tiles)), tiles, strict=True):
        with column:
            importlib.import_module(f"{manifest.portal_package}.tile").render(
                summaries[manifest.name]
            )


@st.cache_data(ttl=60, show_spinner=False)
def cached_demo_time() -> datetime | None:
    with data.unit_of_work() as session:
        demo = demo_meta.current(session)
        return demo.generated_at if demo else None

"""Cached reads for the water page, keyed on the data version (any import changes it)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from portal.kit import data
from services.core.settings import get_settings
from services.water import evaluation as ev
from services.water import public

Version = tuple[datetime | None, int]


def heavy_below() -> int:
    return get_settings().water_heavy_below


def data_version() -> Version:
    with data.unit_of_work() as session:
        return public.version(session)


@st.cache_resource(ttl=3600, max_entries=2, show_spinner=False)
def evaluated(version: Version) -> public.Evaluated:
    """Every section's monthly, quarterly and yearly classes; shared by all sessions (read-only)."""
    with data.unit_of_work() as session:
        return public.evaluate(public.read_samples(session))


@st.cache_data(ttl=3600, show_spinner=False)
def water_statuses(water_zh: str, version: Version) -> list[tuple[date, ev.WaterStatus]]:
    return public.water_statuses(evaluated(version).month, water_zh, heavy_below=heavy_below())


@st.cache_data(ttl=3600, show_spinner=False)
def water_year_statuses(water_zh: str, version: Version) -> list[tuple[int, int, ev.WaterStatus]]:
    result = evaluated(version)
    return public.water_year_statuses(
        result.year, result.month, water_zh, heavy_below=heavy_below()
    )


@st.cache_data(ttl=3600, show_spinner=False)
def headline(version: Version) -> public.Headline | None:
    return public.headline(evaluated(version).month)


@st.cache_data(ttl=3600, show_spinner=False)
def drinking(period: ev.Period, version: Version) -> list[ev.SourceCompliance]:
    return public.drinking_summary(evaluated(version).of(period))


@st.cache_data(ttl=3600, show_spinner=False)
def shares(period: ev.Period, version: Version) -> pd.DataFrame:
    return public.city_share_frame(evaluated(version).of(period))


@st.cache_data(ttl=3600, show_spinner=False)
def section_export(code: str, version: Version) -> list[dict[str, object]]:
    month = evaluated(version).month
    columns = (month.section_code == code).nonzero()[0]
    return public.class_rows(month, columns, period="month", with_means=True)

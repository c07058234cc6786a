"""Cached reads for the air page, keyed on small values and the newest data hour."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from sqlmodel import func, select

from portal.kit import data
from services.air import public
from services.air.now import AirNow
from services.air.observations import AirHourly


def data_version() -> datetime | None:
    """The newest observation hour: any import changes it, and with it every cache key below."""
    with data.unit_of_work() as session:
        return session.exec(select(func.max(AirHourly.observed_at))).one()


@st.cache_data(ttl=600, show_spinner=False)
def now(version: datetime | None) -> dict[str, AirNow]:
    with data.unit_of_work() as session:
        return public.now(session)


@st.cache_data(ttl=600, show_spinner=False)
def hourly(place: str, version: datetime | None) -> pd.DataFrame:
    with data.unit_of_work() as session:
        return public.hourly_series(session, place=place)


@st.cache_data(ttl=600, show_spinner=False)
def recent_days(place: str, days: int, version: datetime | None) -> pd.DataFrame:
    with data.unit_of_work() as session:
        return public.daily_window(session, place=place, days=days)


@st.cache_data(ttl=600, show_spinner=False)
def year_days(place: str, year: int, version: datetime | None) -> pd.DataFrame:
    with data.unit_of_work() as session:
        return public.year_days(session, place=place, year=year)


@st.cache_data(ttl=600, show_spinner=False)
def years(version: datetime | None) -> list[int]:
    with data.unit_of_work() as session:
        return public.years(session)


@st.cache_data(ttl=600, show_spinner=False)
def annual_table(place: str, year: int, version: datetime | None) -> pd.DataFrame:
    return public.annual_table(year_days(place, year, version), year=year)


@st.cache_data(ttl=600, show_spinner=False)
def district_ranking(year: int, version: datetime | None) -> list[public.DistrictScore]:
    with data.unit_of_work() as session:
        return public.district_ranking(session, year=year)

"""Process-wide resources for the Streamlit side: the engine, created once per process."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from services.core import db


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return db.get_engine()


def unit_of_work():
    return db.unit_of_work(engine())

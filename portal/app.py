"""Streamlit entrypoint: language, who is signed in, then only the pages that reader may open."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from portal import navigation
from portal.home.overview import cached_demo_time
from portal.kit import auth, i18n, ui
from portal.kit.i18n import _

FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

st.set_page_config(
    page_title="贵阳市生态环境公众服务门户 · Guiyang Eco-Environment Portal",
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="auto",
)

lang = i18n.select_language()
actor = auth.resolve_actor()

page = st.navigation(navigation.build(actor), position="sidebar")

with st.sidebar:
    st.markdown("**" + _("Guiyang Eco-Environment Public Portal") + "**")
    ui.language_switch()
    ui.staff_badge(actor)
    i18n.mark_page_language()

ui.demo_banner(cached_demo_time())
page.run()

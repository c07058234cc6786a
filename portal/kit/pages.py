"""Streamlit pages from their declarations, for navigation and for links between pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from portal.kit.i18n import _
from services.shared.capability import PageDecl

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


def page(decl: PageDecl) -> st.Page:
    return st.Page(
        PAGES_DIR / decl.file,
        title=_(decl.title),
        icon=decl.icon,
        url_path=None if decl.default else decl.url_path,
        default=decl.default,
    )


def link(decl: PageDecl, label: str) -> None:
    st.page_link(page(decl), label=label)

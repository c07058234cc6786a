"""Which pages exist, who may see them, and how they are grouped in the sidebar.

The pages are those the capability manifests declare (services/domains.py); nothing is listed here.
"""

from __future__ import annotations

import streamlit as st

from portal.kit import pages as kit_pages
from portal.kit.i18n import _
from services import domains
from services.core.accounts import Actor
from services.shared.capability import PageDecl


def visible_pages(actor: Actor | None) -> list[PageDecl]:
    return [p for p in domains.pages() if p.visible_to(actor)]


def build(actor: Actor | None) -> dict[str, list[st.Page]]:
    """The st.navigation mapping for this reader: public pages, plus staff pages they may open."""
    sections: dict[str, list[st.Page]] = {}
    for decl in visible_pages(actor):
        section = _("Staff") if decl.staff else _("Public")
        sections.setdefault(section, []).append(kit_pages.page(decl))
    return sections

"""About the portal, the privacy notice and how figures are computed, per language."""

import streamlit as st

from portal.kit import i18n, ui
from portal.kit.i18n import _
from services.core.content import markdown_page

lang = i18n.current_lang()
ui.page_header(_("About, privacy and methods"))

about, privacy, methods = st.tabs([_("About"), _("Privacy"), _("How we compute")])
with about:
    st.markdown(markdown_page("about", lang))
with privacy:
    st.markdown(markdown_page("privacy", lang))
with methods:
    st.markdown(markdown_page("methods", lang))

"""Home: the city's environment at a glance, with where every figure comes from."""

import streamlit as st

from portal.home import overview
from portal.kit import i18n, ui
from portal.kit.i18n import _
from services.core.plan import PLAN_SOURCE_EN, PLAN_SOURCE_ZH

lang = i18n.current_lang()
view = overview.home_overview()

ui.page_header(
    _("Guiyang Eco-Environment Public Portal"),
    _(
        "Air and water quality, contaminated sites, open days at treatment plants, complaints "
        "and their follow-up, and how the city is doing against its five-year plan."
    ),
)

overview.draw_tiles()

with st.container(border=True):
    st.markdown("#### " + _("Have your say"))
    st.markdown(
        _(
            "The bureau asks residents every year how satisfied they are with the city's "
            "ecological and environmental work. The survey opens here when it is published."
        )
    )

st.subheader(_("Five-year plan targets"))
st.dataframe(
    [
        {
            _("No."): item.number,
            _("Indicator"): item.name(lang),
            _("Unit"): item.unit,
            _("2020 baseline"): item.baseline_2020,
            _("2025 target"): item.target(lang),
            _("Type"): _("Binding") if item.binding else _("Expected"),
        }
        for item in view.plan_highlights
    ],
    hide_index=True,
    width="stretch",
)
ui.source_line(PLAN_SOURCE_EN if lang == "en" else PLAN_SOURCE_ZH)

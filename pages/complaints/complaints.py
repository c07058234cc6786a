"""Case registry (the NGO view): every published case, its timeline, deadlines and outcome."""

import streamlit as st

from portal.complaints import registry as registry_ui
from portal.kit import data, ui
from portal.kit.i18n import _
from services.complaints import registry

with data.unit_of_work() as session:
    version = registry.version(session)

ui.page_header(
    _("Complaint case registry"),
    _(
        "Every published complaint with its status, deadlines and outcome. Summaries and "
        "locations are moderated; reporters' identities, contacts, exact locations and "
        "original photos are never shown."
    ),
)

number = st.query_params.get("case")
if number:
    registry_ui.case_page(version, number)
    st.stop()

cases_tab, map_tab, stats_tab, follow_tab = st.tabs(
    [_("Cases"), _("Map"), _("Statistics"), _("Follow and download")]
)
with cases_tab:
    registry_ui.cases_list(version)
with map_tab:
    registry_ui.district_map(version)
with stats_tab:
    registry_ui.statistics(version)
with follow_tab:
    registry_ui.follow()

"""Complaint desk (handlers and supervisors): queues by deadline, the case file, every action."""

import streamlit as st

from portal.complaints import desk as desk_ui
from portal.complaints import ui as cui
from portal.kit import auth, ui
from portal.kit.i18n import _
from services.core.accounts import Role

actor = auth.require_role(Role.COMPLAINT_HANDLER, Role.COMPLAINT_SUPERVISOR)
ui.page_header(
    _("Complaint desk"),
    _("Queues are ordered overdue first, then by the nearest deadline."),
)
cui.deadline_rules_caption()

queue_tab, case_tab, enter_tab = st.tabs([_("Queues"), _("Case"), _("Enter a report")])
with queue_tab:
    desk_ui.queue_view(actor)
with case_tab:
    desk_ui.case_view(actor)
with enter_tab:
    desk_ui.entry_view(actor)

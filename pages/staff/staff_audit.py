"""Audit log (administrators): every staff write, sign-in and sealed-data access."""

import streamlit as st

from portal.kit import auth, data, i18n, ui
from portal.kit.i18n import _
from services.core import accounts
from services.core.accounts import Role
from services.domains import audit_labels

actor = auth.require_role(Role.ADMIN)
ui.page_header(
    _("Audit log"),
    _("Append-only: entries can be read but never changed or deleted. Reading is recorded too."),
)

with data.unit_of_work() as session:
    actions = accounts.audit_actions(session, actor=actor)

labels = audit_labels()
event_names = {None: _("All events")} | {a: _(labels.get(a, a)) for a in actions}
action_col, actor_col = st.columns(2)
action = action_col.selectbox(_("Event"), list(event_names), format_func=event_names.get)
who = actor_col.text_input(_("Staff username"), max_chars=32)

with data.unit_of_work() as session:
    entries = accounts.read_audit_log(session, actor=actor, action=action, actor_name=who or None)

ui.data_table(
    [
        {
            _("Time (Beijing)"): i18n.fmt_datetime(e.at),
            _("Who"): e.actor,
            _("Event"): _(labels.get(e.action, e.action)),
            _("Object"): f"{e.object_type} {e.object_id}".strip(),
            _("Details"): e.details,
        }
        for e in entries
    ],
    hide_index=True,
    width="stretch",
)
st.caption(_("Showing the newest {n} entries.").format(n=i18n.fmt_number(len(entries))))

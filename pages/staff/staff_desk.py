"""Staff desk: who you are, what you may do, and your own recent account activity."""

import streamlit as st

from portal import navigation
from portal.kit import auth, data, i18n, pages, ui
from portal.kit.i18n import _
from services.core import accounts
from services.core.accounts import ROLE_LABELS
from services.domains import audit_labels

actor = auth.require_role()
ui.page_header(_("Staff desk"), _("Welcome, {name}.").format(name=ui.literal(actor.display_name)))

st.subheader(_("Your roles"))
for grant in actor.grants:
    scope = grant.district_code and _("district {code}").format(code=grant.district_code)
    st.markdown(f"- {_(ROLE_LABELS[grant.role])}" + (f" ({scope})" if scope else ""))

st.subheader(_("Your pages"))
for spec in navigation.visible_pages(actor):
    if spec.staff:
        st.page_link(pages.page(spec))

st.subheader(_("Your recent account activity"))
with data.unit_of_work() as session:
    activity = accounts.my_activity(session, actor=actor)
labels = audit_labels()
st.dataframe(
    [
        {
            _("Time (Beijing)"): i18n.fmt_datetime(entry.at),
            _("Event"): _(labels.get(entry.action, entry.action)),
        }
        for entry in activity
    ],
    hide_index=True,
    width="stretch",
)
st.caption(_("If you see a sign-in you do not recognise, tell an administrator at once."))

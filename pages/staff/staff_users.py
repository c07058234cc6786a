"""Staff accounts (administrators): create accounts, set roles, unlock, reset, deactivate."""

import streamlit as st

from portal.kit import auth, data, forms, i18n, ui
from portal.kit.i18n import _
from services.core import accounts, geography
from services.core.accounts import ROLE_LABELS, Grant, Role
from services.core.messages import UserFacingError

actor = auth.require_role(Role.ADMIN)
lang = i18n.current_lang()
ui.page_header(_("Staff accounts"))

CITY_WIDE = ""
district_names = {CITY_WIDE: _("Whole city")} | {d.key: d.name(lang) for d in geography.districts()}
district_options = list(district_names)
role_names = {role: _(ROLE_LABELS[role]) for role in Role}


def grants_from(roles: list[Role], district: str) -> list[Grant]:
    return [Grant(role, district or None) for role in roles]


with data.unit_of_work() as session:
    users = accounts.list_users(session, actor=actor)

ui.data_table(
    [
        {
            _("Username"): u.username,
            _("Name"): u.display_name,
            _("Roles"): ", ".join(role_names[g.role] for g in u.grants),
            _("Active"): u.is_active,
            _("Locked"): u.locked,
            _("Sample account"): u.is_demo,
        }
        for u in users
    ],
    hide_index=True,
    width="stretch",
)

with (
    st.expander(_("Add a staff account"), icon=":material/person_add:"),
    st.form("add_user", clear_on_submit=False),
):
    username = st.text_input(_("Username"), max_chars=32)
    display_name = st.text_input(_("Display name"), max_chars=64)
    password = st.text_input(
        _("Initial password"),
        type="password",
        max_chars=128,
        help=_("At least 12 characters, mixing three of: lower case, upper case, digits, symbols."),
    )
    roles = st.multiselect(_("Roles"), list(Role), format_func=role_names.get)
    district = st.selectbox(
        _("District (complaint handlers only)"), district_options, format_func=district_names.get
    )
    if st.form_submit_button(_("Create account"), type="primary"):
        try:
            with data.unit_of_work() as session:
                accounts.add_user(
                    session,
                    actor=actor,
                    username=username,
                    display_name=display_name,
                    password=password,
                    grants=grants_from(roles, district),
                )
            st.success(
                _("Account {username} created.").format(username=ui.literal(username.lower()))
            )
        except UserFacingError as error:
            forms.show_error(error)

if users:
    st.subheader(_("Change an account"))
    chosen = st.selectbox(
        _("Account"), users, format_func=lambda u: ui.literal(f"{u.username} · {u.display_name}")
    )
    with st.form("edit_roles"):
        district_now = next((g.district_code for g in chosen.grants if g.district_code), None)
        new_roles = st.multiselect(
            _("Roles"),
            list(Role),
            default=[g.role for g in chosen.grants],
            format_func=role_names.get,
        )
        new_district = st.selectbox(
            _("District (complaint handlers only)"),
            district_options,
            index=district_options.index(district_now or CITY_WIDE),
            format_func=district_names.get,
        )
        if st.form_submit_button(_("Save roles")):
            try:
                with data.unit_of_work() as session:
                    accounts.set_grants(
                        session,
                        actor=actor,
                        user_id=chosen.id,
                        grants=grants_from(new_roles, new_district),
                    )
                st.success(_("Roles saved."))
            except UserFacingError as error:
                forms.show_error(error)

    with st.form("reset_password"):
        new_password = st.text_input(_("New password"), type="password", max_chars=128)
        if st.form_submit_button(_("Reset password")):
            try:
                with data.unit_of_work() as session:
                    accounts.reset_password(
                        session, actor=actor, user_id=chosen.id, new_password=new_password
                    )
                st.success(_("Password reset. The account's open sessions were ended."))
            except UserFacingError as error:
                forms.show_error(error)

    actions = st.container(horizontal=True)
    if chosen.locked and actions.button(_("Unlock account")):
        with data.unit_of_work() as session:
            accounts.unlock(session, actor=actor, user_id=chosen.id)
        st.rerun()
    toggle_label = _("Deactivate account") if chosen.is_active else _("Activate account")
    if actions.button(toggle_label, type="secondary"):
        try:
            with data.unit_of_work() as session:
                accounts.set_active(
                    session, actor=actor, user_id=chosen.id, active=not chosen.is_active
                )
            st.rerun()
        except UserFacingError as error:
            forms.show_error(error)

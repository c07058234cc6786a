"""Who is looking at the page: the staff actor behind the session cookie, or nobody."""

from __future__ import annotations

import streamlit as st

from portal.kit import data, session_cookie
from services.core import accounts
from services.core.accounts import Actor, Role

_ACTOR_KEY = "portal_actor"


def session_cookie_value() -> str | None:
    """The raw cookie from the browser's request (AppTest cannot send cookies; tests patch this)."""
    return st.context.cookies.get(session_cookie.COOKIE_NAME)


def resolve_actor() -> Actor | None:
    """Verify the cookie and look its session up; the entrypoint calls this once per run."""
    token = session_cookie.unsign(session_cookie_value())
    actor = None
    if token:
        with data.unit_of_work() as session:
            actor = accounts.actor_for_token(session, token=token)
    st.session_state[_ACTOR_KEY] = actor
    return actor


def current_actor() -> Actor | None:
    return st.session_state.get(_ACTOR_KEY)


def require_role(*roles: Role) -> Actor:
    """Stop the page unless a staff member (with one of the roles, if given) is signed in."""
    from portal.kit.i18n import _

    actor = current_actor()
    if actor is None or (roles and not any(actor.has(role) for role in roles)):
        st.error(_("You do not have permission to view this page."))
        st.stop()
    return actor

"""Sign-in failures: one generic message, lockout after five wrong passwords, audited.

A module (and so a server) of its own: it sends seven sign-in POSTs, and the per-address limit
of ten a minute is shared by every test talking to the same server.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .portal_e2e import (
    HOME_H1,
    LOCKOUT_THRESHOLD,
    LOGIN_FAILED,
    LOGIN_H1,
    PortalServer,
    h1,
    login_error,
    open_streamlit,
    staff_cookie,
    staff_headings,
    submit_login,
)

pytestmark = pytest.mark.e2e


def failed_sign_in(page: Page, portal: PortalServer, username: str, password: str) -> str:
    """Submit the form, check it was refused on the login page, return the error shown."""
    response = submit_login(page, portal, username, password)
    assert response.status == 401, f"{username}: HTTP {response.status}"
    expect(h1(page)).to_have_text(LOGIN_H1["zh_CN"])
    expect(login_error(page)).to_be_visible()
    return login_error(page).inner_text().strip()


def test_lockout_after_five_wrong_passwords_with_one_generic_message(
    context: BrowserContext, page: Page, portal: PortalServer
) -> None:
    victim = portal.accounts["victim"]
    victim_id = portal.user_id(victim.username)
    generic = LOGIN_FAILED["zh_CN"]

    unknown_user_error = failed_sign_in(page, portal, "e2e.nobody", victim.password)
    assert unknown_user_error == generic

    for attempt in range(1, LOCKOUT_THRESHOLD + 1):
        wrong_password_error = failed_sign_in(
            page, portal, victim.username, f"Wrong-password-{attempt}!"
        )
        # Same words whether or not the username exists: nothing to enumerate accounts with.
        assert wrong_password_error == unknown_user_error, attempt
        # The username is kept in the form, the password never is.
        expect(page.get_by_label("用户名", exact=True)).to_have_value(victim.username)
        expect(page.get_by_label("密码", exact=True)).to_have_value("")
        locked = portal.audit_entries(action="staff.locked", object_id=victim_id)
        assert len(locked) == (1 if attempt == LOCKOUT_THRESHOLD else 0), attempt

    # Now even the right password is refused, with the very same message.
    locked_error = failed_sign_in(page, portal, victim.username, victim.password)
    assert locked_error == unknown_user_error
    assert staff_cookie(context) is None

    locked = portal.audit_entries(action="staff.locked", object_id=victim_id)
    assert len(locked) == 1, [e.details for e in locked]
    assert locked[0].actor == "system"
    assert f'"threshold": {LOCKOUT_THRESHOLD}' in locked[0].details
    assert len(portal.audit_entries(action="login.failed", object_id=victim_id)) == (
        LOCKOUT_THRESHOLD
    )
    assert len(portal.audit_entries(action="login.refused_locked", object_id=victim_id)) == 1
    assert portal.audit_entries(action="login.ok", object_id=victim_id) == []

    # And the refused sign-in opened nothing.
    open_streamlit(page, portal.url("/staff"), expect_h1=HOME_H1["zh_CN"])
    expect(staff_headings(page)).to_have_count(0)

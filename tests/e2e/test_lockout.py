"""Sign-in failures: one generic message, a growing wait, then a lock of the account from that
address only (the owner still signs in from another address); all audited.

A module (and so a server) of its own: it sends seven sign-in POSTs, and the per-address limit
of ten a minute is shared by every test talking to the same server.
"""

from __future__ import annotations

import re
import time

import httpx
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


def sign_in_from(portal: PortalServer, local_address: str, username: str, password: str):
    """Sign in with a plain HTTP client whose connections leave from `local_address` (another
    loopback address: the server sees another client address)."""
    transport = httpx.HTTPTransport(local_address=local_address)
    with httpx.Client(transport=transport, follow_redirects=False, timeout=60) as client:
        form = client.get(portal.url("/staff/login?lang=en"))
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        data = {"username": username, "password": password, "csrf": csrf, "lang": "en"}
        return client.post(portal.url("/staff/login"), data=data)


def test_lockout_after_five_wrong_passwords_with_one_generic_message(
    context: BrowserContext, page: Page, portal: PortalServer
) -> None:
    victim = portal.accounts["victim"]
    victim_id = portal.user_id(victim.username)
    generic = LOGIN_FAILED["zh_CN"]

    unknown_user_error = failed_sign_in(page, portal, "e2e.nobody", victim.password)
    assert unknown_user_error == generic

    for attempt in range(1, LOCKOUT_THRESHOLD + 1):
        started = time.monotonic()
        wrong_password_error = failed_sign_in(
            page, portal, victim.username, f"Wrong-password-{attempt}!"
        )
        if attempt > 1:  # the wait doubles from 0.5 s (PORTAL_LOGIN_DELAY_SECONDS) per failure
            assert time.monotonic() - started >= 0.5 * 2 ** (attempt - 2), attempt
        # Same words whether or not the username exists: nothing to enumerate accounts with.
        assert wrong_password_error == unknown_user_error, attempt
        # The username is kept in the form, the password never is.
        expect(page.get_by_label("用户名", exact=True)).to_have_value(victim.username)
        expect(page.get_by_label("密码", exact=True)).to_have_value("")
        locked = portal.audit_entries(action="login.locked", object_id=victim_id)
        assert len(locked) == (1 if attempt == LOCKOUT_THRESHOLD else 0), attempt

    # Now even the right password is refused from this address, with the very same message.
    locked_error = failed_sign_in(page, portal, victim.username, victim.password)
    assert locked_error == unknown_user_error
    assert staff_cookie(context) is None

    locked = portal.audit_entries(action="login.locked", object_id=victim_id)
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

    # The lock holds the address, not the account: its owner signs in from elsewhere at once.
    elsewhere = sign_in_from(portal, "127.0.0.2", victim.username, victim.password)
    assert elsewhere.status_code == 303, elsewhere.status_code
    assert "portal_staff" in elsewhere.cookies
    assert len(portal.audit_entries(action="login.ok", object_id=victim_id)) == 1
    # ...while this address stays locked.
    assert failed_sign_in(page, portal, victim.username, victim.password) == generic

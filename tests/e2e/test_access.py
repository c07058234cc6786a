"""Who sees which pages: anonymous visitors, admins, complaint handlers; sign-in, out, expiry."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import update

from portal import navigation
from services.core.accounts import StaffSession
from services.core.clock import utcnow

from .portal_e2e import (
    HOME_H1,
    LOGOUT_BUTTON,
    SESSION_HOURS,
    STAFF_AUDIT_H1,
    STAFF_DESK_H1,
    STAFF_USERS_H1,
    PortalServer,
    app_idle,
    h1,
    open_streamlit,
    sign_in,
    staff_cookie,
    staff_headings,
)

pytestmark = pytest.mark.e2e

# The staff pages' URL paths under st.navigation, and the paths Streamlit's legacy `pages/`
# multipage mode would have derived from the file names in pages/.
STAFF_PATHS = ("/staff", "/staff-users", "/staff-audit", "/staff-air-data", "/staff-water-data")
LEGACY_PATHS = (
    "/staff_desk", "/staff_users", "/staff_audit", "/staff_air_data", "/staff_water_data",
)  # fmt: skip


def assert_public_home(page: Page) -> None:
    expect(h1(page)).to_have_text(HOME_H1["zh_CN"])
    expect(staff_headings(page)).to_have_count(0)
    assert not urlsplit(page.url).path.startswith("/staff"), page.url


def test_anonymous_visitor_never_gets_a_staff_page(page: Page, portal: PortalServer) -> None:
    # First test of the module: the server has just started and nobody has signed in yet.
    for path in STAFF_PATHS + LEGACY_PATHS:
        open_streamlit(page, portal.url(path), expect_h1=HOME_H1["zh_CN"])
        assert_public_home(page)
        # The sidebar offers public pages only.
        nav = page.get_by_test_id("stSidebarNav")
        # home, air quality, report, track, registry, about
        expect(nav.get_by_role("link")).to_have_count(len(navigation.visible_pages(None)))
        for staff_path in STAFF_PATHS:
            expect(nav.locator(f'a[href$="{staff_path}"]')).to_have_count(0)
        expect(page.get_by_text(STAFF_DESK_H1["zh_CN"], exact=True)).to_have_count(0)


def test_staff_login_survives_reload_and_logout_ends_it(
    context: BrowserContext, page: Page, portal: PortalServer
) -> None:
    admin = portal.accounts["admin"]
    signed_in_at = time.time()
    sign_in(page, portal, admin)
    expect(page.get_by_text(admin.display_name).first).to_be_visible()

    cookie = staff_cookie(context)
    assert cookie is not None, context.cookies()
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    # A persistent cookie that lasts the configured session (8 hours), not a browser session.
    lifetime = cookie["expires"] - signed_in_at
    assert cookie["expires"] > 0, cookie
    assert SESSION_HOURS * 3600 - 120 <= lifetime <= SESSION_HOURS * 3600 + 120, lifetime
    # The signed-in page can't read it from script.
    assert "portal_staff" not in page.evaluate("document.cookie")

    page.reload()
    expect(h1(page)).to_have_text(STAFF_DESK_H1["zh_CN"])
    app_idle(page)
    expect(h1(page)).to_have_text(STAFF_DESK_H1["zh_CN"])

    open_streamlit(page, portal.url("/staff-users"), expect_h1=STAFF_USERS_H1["zh_CN"])
    open_streamlit(page, portal.url("/staff-audit"), expect_h1=STAFF_AUDIT_H1["zh_CN"])

    page.goto(portal.url("/staff/logout?lang=zh_CN"))
    expect(h1(page)).to_have_text(LOGOUT_BUTTON["zh_CN"])
    page.get_by_role("button", name=LOGOUT_BUTTON["zh_CN"], exact=True).click()
    expect(h1(page)).to_have_text(HOME_H1["zh_CN"])
    app_idle(page)
    assert staff_cookie(context) is None, context.cookies()
    row = portal.session_row(cookie["value"])
    assert row is not None and row.revoked_at is not None, "logout must revoke the session"

    open_streamlit(page, portal.url("/staff"), expect_h1=HOME_H1["zh_CN"])
    assert_public_home(page)

    # Even the old cookie, replayed, no longer opens the staff desk.
    context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    open_streamlit(page, portal.url("/staff"), expect_h1=HOME_H1["zh_CN"])
    assert_public_home(page)


def test_expired_session_falls_back_to_public_home(
    context: BrowserContext, page: Page, portal: PortalServer
) -> None:
    sign_in(page, portal, portal.accounts["expiry"])
    cookie = staff_cookie(context)
    assert cookie is not None
    row = portal.session_row(cookie["value"])
    assert row is not None and row.expires_at > utcnow()

    with portal.engine.begin() as connection:
        result = connection.execute(
            update(StaffSession)
            .where(StaffSession.id == row.id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        assert result.rowcount == 1
    # The browser still holds and sends the cookie: only the server side says it is over.
    assert staff_cookie(context) is not None

    page.reload()
    expect(h1(page)).to_have_text(HOME_H1["zh_CN"])
    app_idle(page)
    assert_public_home(page)


def test_complaint_handler_gets_the_desk_but_not_admin_pages(
    page: Page, portal: PortalServer
) -> None:
    handler = portal.accounts["handler"]
    sign_in(page, portal, handler)
    expect(page.get_by_text(handler.display_name).first).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.locator('a[href$="/staff"]')).to_have_count(1)
    expect(nav.locator('a[href$="/staff-users"]')).to_have_count(0)
    expect(nav.locator('a[href$="/staff-audit"]')).to_have_count(0)

    for path in ("/staff-users", "/staff-audit"):
        open_streamlit(page, portal.url(path), expect_h1=HOME_H1["zh_CN"])
        expect(page.get_by_role("heading", name=STAFF_USERS_H1["zh_CN"])).to_have_count(0)
        expect(page.get_by_role("heading", name=STAFF_AUDIT_H1["zh_CN"])).to_have_count(0)

    # Still signed in: the desk is still there for them.
    open_streamlit(page, portal.url("/staff"), expect_h1=STAFF_DESK_H1["zh_CN"])

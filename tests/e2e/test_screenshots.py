"""Full-page screenshots of the main screens, both languages, desktop and mobile.

Written to <repo>/test-artifacts/screenshots/ (git-ignored) for people to look at; the test
checks each screen shows the right heading first, and that each file is a real PNG of the
expected width.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .portal_e2e import (
    ABOUT_H1,
    DESKTOP,
    HOME_H1,
    LOGIN_H1,
    MOBILE,
    SCREENSHOT_DIR,
    STAFF_AUDIT_H1,
    STAFF_DESK_H1,
    STAFF_USERS_H1,
    PortalServer,
    h1,
    open_streamlit,
    sign_in,
)

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}
LANGS = ("zh_CN", "en")


@pytest.fixture(scope="module")
def staff_state(browser: Browser, portal: PortalServer) -> Iterator[dict]:
    """One real sign-in for the module; its cookies are reused by the screenshot contexts."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        sign_in(context.new_page(), portal, portal.accounts["admin"])
        yield context.storage_state()
    finally:
        context.close()


def new_context(browser: Browser, viewport: str, storage_state: dict | None = None):
    size = VIEWPORTS[viewport]
    return browser.new_context(
        viewport=size,
        is_mobile=viewport == "mobile",
        has_touch=viewport == "mobile",
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        storage_state=storage_state,
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def full_page_png(page: Page, name: str, *, streamlit: bool) -> None:
    """Save a full-page screenshot.

    Streamlit scrolls inside its main container, not the document, so Playwright's full_page
    alone would stop at the viewport: grow the viewport to the content height first.
    """
    size = dict(page.viewport_size or DESKTOP)
    page.evaluate("document.fonts.ready.then(() => true)")
    if streamlit:
        height = size["height"]
        for _ in range(3):
            content = page.evaluate(
                """() => Math.max(...[
                    document.documentElement.scrollHeight,
                    document.querySelector('[data-testid="stMain"]')?.scrollHeight ?? 0,
                    document.querySelector('[data-testid="stSidebarContent"]')?.scrollHeight ?? 0,
                ])"""
            )
            if content <= height:
                break
            height = content
            page.set_viewport_size({"width": size["width"], "height": height})
            page.wait_for_timeout(300)  # let the layout settle at the new height
    path = SCREENSHOT_DIR / f"{name}.png"
    data = page.screenshot(path=path, full_page=True, animations="disabled")
    page.set_viewport_size(size)
    width, height = png_size(path.read_bytes())
    assert data and width == size["width"] and height >= size["height"], (name, width, height)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_screenshots(
    browser: Browser, portal: PortalServer, staff_state: dict, viewport: str, lang: str
) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    suffix = f"{lang}_{viewport}"

    anonymous: BrowserContext = new_context(browser, viewport)
    try:
        page = anonymous.new_page()
        open_streamlit(page, portal.url(f"/?lang={lang}"), expect_h1=HOME_H1[lang])
        full_page_png(page, f"home_{suffix}", streamlit=True)
        open_streamlit(page, portal.url(f"/about?lang={lang}"), expect_h1=ABOUT_H1[lang])
        full_page_png(page, f"about_{suffix}", streamlit=True)
        page.goto(portal.url(f"/staff/login?lang={lang}"))
        expect(h1(page)).to_have_text(LOGIN_H1[lang])
        full_page_png(page, f"login_{suffix}", streamlit=False)
    finally:
        anonymous.close()

    staff = new_context(browser, viewport, staff_state)
    try:
        page = staff.new_page()
        open_streamlit(page, portal.url(f"/staff?lang={lang}"), expect_h1=STAFF_DESK_H1[lang])
        full_page_png(page, f"staff_desk_{suffix}", streamlit=True)
        open_streamlit(
            page, portal.url(f"/staff-users?lang={lang}"), expect_h1=STAFF_USERS_H1[lang]
        )
        full_page_png(page, f"staff_users_{suffix}", streamlit=True)
        open_streamlit(
            page, portal.url(f"/staff-audit?lang={lang}"), expect_h1=STAFF_AUDIT_H1[lang]
        )
        full_page_png(page, f"staff_audit_{suffix}", streamlit=True)
    finally:
        staff.close()

    for screen in ("home", "about", "login", "staff_desk", "staff_users", "staff_audit"):
        assert (SCREENSHOT_DIR / f"{screen}_{suffix}.png").stat().st_size > 10_000, screen

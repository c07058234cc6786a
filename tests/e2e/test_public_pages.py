"""Public pages: the language switch, and that nothing leaves the machine or breaks the CSP."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .portal_e2e import ABOUT_H1, HOME_H1, PortalServer, app_idle, h1, open_streamlit

pytestmark = pytest.mark.e2e


def language_switch(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role(
        "radiogroup", name=re.compile("语言|Language")
    )


def test_language_switch_writes_the_url_and_survives_reload(
    page: Page, portal: PortalServer
) -> None:
    open_streamlit(page, portal.url("/"), expect_h1=HOME_H1["zh_CN"])
    expect(page).to_have_url(re.compile(r"[?&]lang=zh_CN(&|$)"))
    switch = language_switch(page)
    expect(switch.get_by_role("radio", name="中文")).to_have_attribute("aria-checked", "true")

    switch.get_by_role("radio", name="English").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(h1(page)).to_have_text(HOME_H1["en"])
    app_idle(page)
    expect(h1(page)).to_have_text(HOME_H1["en"])
    expect(page.get_by_test_id("stSidebar").get_by_text("Language", exact=True)).to_be_visible()

    page.reload()
    expect(h1(page)).to_have_text(HOME_H1["en"])
    app_idle(page)
    expect(h1(page)).to_have_text(HOME_H1["en"])
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(language_switch(page).get_by_role("radio", name="English")).to_have_attribute(
        "aria-checked", "true"
    )

    # And back again.
    language_switch(page).get_by_role("radio", name="中文").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=zh_CN(&|$)"))
    expect(h1(page)).to_have_text(HOME_H1["zh_CN"])
    app_idle(page)

    open_streamlit(page, portal.url("/about?lang=en"), expect_h1=ABOUT_H1["en"])
    expect(page).to_have_url(re.compile(r"/about\?lang=en$"))
    open_streamlit(page, portal.url("/about?lang=zh_CN"), expect_h1=ABOUT_H1["zh_CN"])


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


CSP_WORDS = re.compile(r"content security policy|content-security-policy|refused to", re.I)
# Registered before any page script runs; collects violations that never reach the console.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_no_request_leaves_loopback_and_no_csp_violations(page: Page, portal: PortalServer) -> None:
    requests: list[str] = []
    sockets: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(CSP_LISTENER)

    for path, title in (
        ("/?lang=zh_CN", HOME_H1["zh_CN"]),
        ("/?lang=en", HOME_H1["en"]),
        ("/about?lang=zh_CN", ABOUT_H1["zh_CN"]),
        ("/about?lang=en", ABOUT_H1["en"]),
    ):
        response = open_streamlit(page, portal.url(path), expect_h1=title)
        assert response is not None and response.status == 200
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
        if path.startswith("/about"):
            for tab in page.get_by_role("tab").all():  # every tab's content, images included
                tab.click()
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{path}: {violations}"

    assert requests, "the listener saw no requests at all"
    assert sockets and all(_is_local(url) for url in sockets), sockets
    outside = sorted({url for url in requests if not _is_local(url)})
    assert outside == [], f"requests left the machine: {outside}"
    csp_messages = [line for line in console if CSP_WORDS.search(line)]
    assert csp_messages == [], csp_messages


def test_clicking_the_active_language_keeps_it_selected(page: Page, portal: PortalServer) -> None:
    open_streamlit(page, portal.url("/?lang=en"), expect_h1=HOME_H1["en"])
    english = language_switch(page).get_by_role("radio", name="English")
    expect(english).to_have_attribute("aria-checked", "true")
    english.click()
    app_idle(page)
    expect(h1(page)).to_have_text(HOME_H1["en"])
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(english).to_have_attribute("aria-checked", "true", timeout=2_000)

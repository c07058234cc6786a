"""Real-browser end-to-end fixtures: one portal server per test module, system Chromium.

Each test module gets its own freshly prepared SQLite database and its own
`streamlit run portal/server.py` process on a free loopback port, started the way deployment
starts it. The browser is shared by the session; every test gets a fresh browser context (no
cookies or storage carried over). A server per module also keeps each module well under the
sign-in rate limit (10 POSTs a minute per address, counted in the server's memory).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from .portal_e2e import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    DESKTOP,
    E2E_DIR,
    REPO,
    PortalServer,
    start_server,
    stop_server,
)

# Playwright's auto-waiting assertions: a Streamlit page needs a WebSocket round trip or two.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every e2e test, before any server starts, when the system browser is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


def compile_catalogs() -> None:
    """What `make catalogs` runs, without make's venv re-install when pyproject.toml changed."""
    locales = REPO / "portal" / "locales"
    if all((d / "LC_MESSAGES" / "messages.mo").exists() for d in locales.iterdir() if d.is_dir()):
        return
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "compile", "-d", str(locales), "-D", "messages"], check=True, cwd=REPO
    )


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """A freshly prepared database and a portal server on it, for one test module."""
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    compile_catalogs()
    server = start_server(tmp_path_factory.mktemp("portal"))
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context per test: no cookies, storage or cache from other tests."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()

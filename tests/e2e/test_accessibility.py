"""Accessibility in a real browser: axe-core on every public page in both languages, and the page
language.

Every public page navigation registers (tests/e2e/a11y_pages.py, so a new capability's pages join
by themselves) is opened in Chinese and in English, each of its tabs shown in turn, and axe-core
(axe-playwright-python) run on it. No serious or critical violation may remain in the portal's own
content. What sits inside Streamlit's own markup, which the portal cannot change, is listed in
KNOWN_STREAMLIT_ISSUES by rule and by the CSS selector of the Streamlit part it lies in, each with
its upstream issue (README.md, Accessibility, lists them too). A violation is allowed only when
every node it flags lies inside such a part.

The per-page counts by impact are printed at the end of the run and written to
test-artifacts/accessibility/axe-summary.json; each page's full violations (allowed ones
included) to test-artifacts/accessibility/<page>-<lang>.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .a11y_pages import HTML_LANG, LANGS, PublicPage, public_pages
from .portal_e2e import REPO, PortalServer, app_idle, h1
from .test_public_pages import language_switch

pytestmark = pytest.mark.e2e

ARTIFACTS = REPO / "test-artifacts" / "accessibility"
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass(frozen=True)
class KnownIssue:
    """A violation inside Streamlit's own markup: `rule` on nodes within `inside` (a selector)."""

    rule: str
    inside: str
    upstream: str
    what: str


KNOWN_STREAMLIT_ISSUES = (
    KnownIssue(
        "list",
        '[data-testid="stSidebarNavItems"]',
        "streamlit/streamlit#8399",
        "the sidebar navigation puts a section's header and links in a <div> directly inside "
        "its <ul>",
    ),
    KnownIssue(
        "listitem",
        '[data-testid="stSidebarNavItems"]',
        "streamlit/streamlit#8399",
        "so the navigation's <li> elements sit in that <div>, not in the <ul>",
    ),
    KnownIssue(
        "presentation-role-conflict",
        '[data-testid="stFileUploaderDropzone"]',
        "streamlit/streamlit#15921",
        "the file uploader's drop zone is role=presentation yet carries an aria-label "
        "(the fix for the issue took it out of the tab order, PR streamlit/streamlit#15928)",
    ),
)

# Whether a node (its axe target selector) lies inside one of the given Streamlit parts.
_INSIDE = """([target, selectors]) => {
  const node = document.querySelector(target);
  return !!node && selectors.some((s) => node.closest(s) !== null);
}"""


def _known(violation: dict, page: Page) -> KnownIssue | None:
    issues = [k for k in KNOWN_STREAMLIT_ISSUES if k.rule == violation["id"]]
    if not issues:
        return None
    for node in violation["nodes"]:
        target = node["target"][-1]
        if not isinstance(target, str) or not page.evaluate(
            _INSIDE, [target, [k.inside for k in issues]]
        ):
            return None
    return issues[0]


def _settle(page: Page) -> None:
    """The script run has finished and every chart on show has drawn."""
    app_idle(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every((c) => !c.checkVisibility() || c.querySelector('canvas, svg'))"""
    )


def _open(page: Page, portal: PortalServer, public: PublicPage, lang: str) -> None:
    page.goto(portal.url(public.url(lang)))
    expect(h1(page)).to_be_visible()
    _settle(page)


@dataclass
class PageResult:
    page: str
    lang: str
    views: int = 0
    counts: dict[str, int] | None = None
    allowed: list[str] | None = None
    blocking: list[str] | None = None


@pytest.fixture(scope="module")
def summary(request: pytest.FixtureRequest) -> Iterator[list[PageResult]]:
    results: list[PageResult] = []
    yield results
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-summary.json").write_text(
        json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    lines = ["", "axe-core violations per page (distinct nodes by impact; allowed: Streamlit's)"]
    for r in results:
        counts = " ".join(f"{k}={(r.counts or {}).get(k, 0)}" for k in IMPACTS)
        lines.append(
            f"  {r.page:<12} {r.lang:<6} views={r.views} {counts} "
            f"allowed={sorted(set(r.allowed or []))} blocking={len(r.blocking or [])}"
        )
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print("\n".join(lines))
        return
    with capture.global_and_fixture_disabled():
        print("\n".join(lines))


def _views(page: Page) -> Iterator[str]:
    """The page as loaded, then each of its main tabs shown in turn."""
    yield "page"
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
            expect(tab).to_have_attribute("aria-selected", "true")
            _settle(page)
        yield f"tab {index + 1}: {tab.inner_text().strip()}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("public", public_pages(), ids=lambda p: p.name)
def test_no_serious_or_critical_violation_in_the_portals_own_content(
    page: Page, portal: PortalServer, public: PublicPage, lang: str, summary: list[PageResult]
) -> None:
    _open(page, portal, public, lang)
    assert page.evaluate("document.documentElement.lang") == HTML_LANG[lang]
    axe = Axe()
    result = PageResult(public.name, lang, counts={k: 0 for k in IMPACTS}, allowed=[], blocking=[])
    found: list[dict] = []
    seen: set[tuple[str, str]] = set()  # (rule, node): the sidebar is in every view
    for view in _views(page):
        result.views += 1
        for violation in axe.run(page).response["violations"]:
            impact = violation.get("impact") or "minor"
            assert result.counts is not None and result.allowed is not None
            nodes = {(violation["id"], json.dumps(n["target"])) for n in violation["nodes"]}
            result.counts[impact] = result.counts.get(impact, 0) + len(nodes - seen)
            seen |= nodes
            known = _known(violation, page)
            found.append({"view": view, "known": known and known.upstream, **violation})
            if known is not None:
                result.allowed.append(f"{violation['id']} ({known.upstream})")
            elif impact in BLOCKING:
                nodes = "; ".join(n["html"][:160] for n in violation["nodes"][:3])
                assert result.blocking is not None
                result.blocking.append(f"[{view}] {violation['id']} ({impact}): {nodes}")
    summary.append(result)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{public.name}-{lang}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert result.blocking == [], "\n".join(result.blocking or [])


def test_the_known_issues_are_in_the_readme() -> None:
    """Every allowed Streamlit issue is named, with its number, in README.md's Accessibility."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Accessibility", 1)[1].split("\n## ", 1)[0]
    for known in KNOWN_STREAMLIT_ISSUES:
        number = known.upstream.split("#")[1]
        assert f"#{number}" in section and f"`{known.rule}`" in section, known


# --- page language -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_declares_its_language_when_loaded(
    page: Page, portal: PortalServer, lang: str
) -> None:
    for public in public_pages()[:3]:
        response = page.goto(portal.url(public.url(lang)))
        assert response is not None and response.status == 200
        # The shell as served, before any script runs, already says it.
        shell = response.text()
        assert f'<html lang="{HTML_LANG[lang]}">' in shell, shell[:400]
        expect(h1(page)).to_be_visible()
        _settle(page)
        assert page.evaluate("document.documentElement.lang") == HTML_LANG[lang]


def test_a_page_without_lang_in_the_url_is_chinese(page: Page, portal: PortalServer) -> None:
    response = page.goto(portal.url("/about"))
    assert response is not None and '<html lang="zh-CN">' in response.text()


def test_switching_language_in_the_app_updates_the_page_language(
    page: Page, portal: PortalServer
) -> None:
    _open(page, portal, public_pages()[0], "zh_CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    switch = language_switch(page)
    switch.get_by_role("radio", name="English").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    app_idle(page)
    language_switch(page).get_by_role("radio", name="中文").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=zh_CN(&|$)"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    # And after moving to another page in the app (no reload), it stays.
    page.get_by_test_id("stSidebarNav").get_by_role("link").nth(1).click()
    app_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_a_cached_shell_never_carries_the_other_language(page: Page, portal: PortalServer) -> None:
    """The browser revalidates the shell; a 304 would reuse the copy in the other language."""
    first = page.goto(portal.url("/about?lang=zh_CN"))
    assert first is not None and '<html lang="zh-CN">' in first.text()
    app_idle(page)
    again = page.goto(portal.url("/about?lang=en"))
    assert again is not None and again.status == 200 and '<html lang="en">' in again.text()
    expect(page.locator("html")).to_have_attribute("lang", "en")

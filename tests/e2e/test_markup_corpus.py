"""Markup typed by a person stays text on every page: a corpus of HTML, Markdown and Streamlit
directives in every free-text field of two complaints, then every page the navigation lists
(public and staff, both languages), the cases' registry pages, the reporter's view and the
complaint desk, opened in Chromium.

The texts go in through the services, as the complaint form, the tracking page and the staff
desk send them: the form's fields (place, enterprise, its address, description, wishes), the
reporter's answer, rating comment and review request, and the bureau's public texts (summary,
place, target, site-check note, outcome, review answer, remediation), its reply, question and
acceptance message; a staff display name carries the corpus too. A page holds no element made
from the corpus (script, image, link, Material icon, emoji, KaTeX, coloured text) and, where it
shows one of the texts, shows it literally, brackets and dollars included.

The pages come from portal/navigation.py `visible_pages` and the routes from the manifests
(services/domains.py), so a new capability's pages and routes join the crawl without an edit
here (tests/app/test_toy_markup.py checks that with a toy capability).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal import navigation
from services import domains
from services.complaints import intake, workflow
from services.complaints.catalog import Finding, IdentityMode, Rating
from services.complaints.model import ComplaintCase
from services.core import accounts, db
from services.core.accounts import Actor, Grant, Role
from services.core.settings import get_settings
from services.shared.sealed import receipts

from .portal_e2e import PortalServer, StaffAccount, app_idle, sign_in
from .test_complaints import t

pytestmark = pytest.mark.e2e

LANGS = ("zh_CN", "en")
DISTRICT = "520103"

# Two halves, each short enough for the 120-character fields (the public target, the name).
CORPUS = (
    '<script>window.__corpus=1</script> <img src=x onerror="window.__corpus=2"> '
    "[corpus-link](javascript:window.__corpus=3)",
    ":material/pets: :red[RED-CORPUS] $$E=mc^2$$ "
    "![corpus-pic](http://evil.example/corpus.png) :smile: www.evil.example",
)
DISPLAY_NAME = ":material/pets: :red[RED-NAME] :smile: https://evil.example"  # 64 at most
ICON = "pets"  # no page of the portal uses this Material icon
WORD_JOINER = "\u2060"  # portal/kit/ui.py literal() puts it after ':' and '@'
ALL_ROLES = tuple(Grant(role) for role in Role)


# --- what is crawled: the pages and routes the capabilities declare ----------------------------


def crawl_actor(user_id: int = 0, username: str = "e2e.corpus") -> Actor:
    """A member of staff holding every role: the crawl sees every staff page."""
    return Actor(user_id=user_id, username=username, display_name=DISPLAY_NAME, grants=ALL_ROLES)


def crawled_pages(actor: Actor | None) -> list[str]:
    """The paths of the pages `actor` may open (None: the public), from the navigation."""
    return [
        "/" + ("" if decl.default else decl.url_path) for decl in navigation.visible_pages(actor)
    ]


def crawled_routes(number: str) -> list[str]:
    """The manifests' open-data routes, a case's number in place of `{number}`; routes with
    another path parameter are left out (they take codes the corpus cannot reach)."""
    paths = [e.path.replace("{number}", number) for m in domains.domains() for e in m.endpoints]
    return [p for p in paths if "{" not in p]


# --- the corpus, filed and handled -------------------------------------------------------------


def _staff(portal: PortalServer, key: str) -> Actor:
    account = portal.accounts[key]
    return Actor(portal.user_id(account.username), account.username, account.display_name,
                 account.grants)  # fmt: skip


def _act(portal: PortalServer, fn, actor: Actor, case_id: int, **params) -> None:
    with db.unit_of_work(portal.engine) as session:
        version = session.get(ComplaintCase, case_id).version
        fn(session, actor=actor, case_id=case_id, version=version, **params)


def _as_reporter(portal: PortalServer, receipt: str, fn, *args) -> None:
    with db.unit_of_work(portal.engine) as session:
        fn(session, workflow.reporter_case(session, receipts.lookup_key(receipt)), *args)


def file_corpus_case(portal: PortalServer, text: str) -> dict[str, str]:
    """A report with `text` in every field, taken through every step that writes text."""
    report = intake.Report(
        types=["air.odour"], district=DISTRICT, location=text, target_name=text,
        target_address=text, observed_on=workflow.today() - timedelta(days=1), ongoing=True,
        description=text, wishes=text, identity_mode=IdentityMode.ANONYMOUS,
    )  # fmt: skip
    with db.unit_of_work(portal.engine) as session:
        filed = intake.file_report(session, report)
    handler = _staff(portal, "handler")
    case_id, receipt = filed.case_id, filed.receipt
    public = {"confirmed_no_personal_data": True}
    _act(portal, workflow.moderate, handler, case_id, summary=text, location=text, target=text,
         **public)  # fmt: skip
    _act(portal, workflow.accept, handler, case_id, message=text)
    _act(portal, workflow.take_up, handler, case_id)
    _act(portal, workflow.ask_reporter, handler, case_id, question=text)
    _as_reporter(portal, receipt, workflow.reporter_answer, text)
    _act(portal, workflow.record_site_check, handler, case_id, note=text, public_note=text,
         **public)  # fmt: skip
    _act(portal, workflow.close, handler, case_id, finding=Finding.SUBSTANTIATED.value, reply=text,
         public_outcome=text, **public)  # fmt: skip
    _as_reporter(portal, receipt, workflow.reporter_rate, Rating.DISSATISFIED.value, text)
    _as_reporter(portal, receipt, workflow.reporter_request_review, text)
    _act(portal, workflow.answer_review, handler, case_id, reply=text, **public)
    _act(portal, workflow.edit_public, handler, case_id, summary=text, location=text,
         remediation=text, **public)  # fmt: skip
    return {"number": filed.number, "receipt": receipt, "text": text}


def _server_secret(portal: PortalServer) -> str:
    """The server's PORTAL_SECRET_KEY (receipts are keyed with it), read from its environment."""
    environ = Path(f"/proc/{portal.process.pid}/environ").read_bytes().split(b"\0")
    values = dict(item.decode().partition("=")[::2] for item in environ if b"=" in item)
    return values["PORTAL_SECRET_KEY"]


@pytest.fixture(scope="module")
def corpus_cases(portal: PortalServer) -> Iterator[list[dict[str, str]]]:
    """The two corpus cases, filed with the server's secret so its receipts open them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_SECRET_KEY", _server_secret(portal))
        get_settings.cache_clear()
        try:
            cases = [file_corpus_case(portal, text) for text in CORPUS]
        finally:
            get_settings.cache_clear()
    yield cases
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def crawler(portal: PortalServer) -> dict:
    """A staff account with every role, its display name from the corpus, and its password."""
    handler = portal.accounts["handler"]
    password = handler.password + "Zz"
    with db.unit_of_work(portal.engine) as session:
        user = accounts.create_user(session, actor_name="cli", username="e2e.corpus",
                                    display_name=DISPLAY_NAME, password=password,
                                    grants=list(ALL_ROLES))  # fmt: skip
        user_id = user.id or 0
    account = StaffAccount("e2e.corpus", password, DISPLAY_NAME, ALL_ROLES)
    return {"account": account, "actor": crawl_actor(user_id)}


@pytest.fixture(scope="module")
def staff_state(browser: Browser, portal: PortalServer, crawler: dict) -> Iterator[dict]:
    """One real sign-in of the every-role account; its cookies are reused by each test."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        sign_in(context.new_page(), portal, crawler["account"])
        yield context.storage_state()
    finally:
        context.close()


# --- what a page must (not) show ---------------------------------------------------------------

_MADE_FROM_CORPUS = """(icon) => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  return {
    scripts: all('script').filter(s => s.textContent.includes('__corpus')).length,
    onerror: all('[onerror]').length,
    images: all('img').filter(i => (i.getAttribute('src') || '').includes('evil.example')
                                  || i.getAttribute('src') === 'x').length,
    links: all('a').filter(a => /^\\s*javascript:/i.test(a.getAttribute('href') || '')
                               || (a.getAttribute('href') || '').includes('evil')
                               || a.textContent.includes('corpus-link')).length,
    icons: all('span[role=img]').filter(s => s.textContent.trim() === icon).length,
    katex: all('.katex, .katex-display, math').length,
    coloured: all('.stMarkdownColoredText, .stMarkdownColoredBackground')
      .filter(s => /RED-(CORPUS|NAME)/.test(s.textContent) || !s.textContent.trim()).length,
    executed: window.__corpus || 0,
  };
}"""


def _settled(page: Page) -> None:
    """The script run done and no Markdown still waiting for a lazily loaded plugin (emoji,
    KaTeX): an element made from the corpus would be on the page by then."""
    app_idle(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    page.wait_for_timeout(300)


def visible_text(page: Page) -> str:
    """The page's text as a reader sees it (the invisible word joiners dropped, spaces folded)."""
    text = page.locator("body").inner_text().replace(WORD_JOINER, "")
    return " ".join(text.split())


def assert_inert(page: Page, where: str) -> None:
    made = page.evaluate(_MADE_FROM_CORPUS, ICON)
    assert not any(made.values()), f"{where}: elements made from the corpus: {made}"
    text = visible_text(page)
    assert "😄" not in text, f"{where}: an emoji shortcode from the corpus was rendered"


def assert_shows(page: Page, where: str, *texts: str) -> None:
    shown = visible_text(page)
    for text in texts:
        assert " ".join(text.split()) in shown, f"{where}: {text!r} not shown literally"


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    _settled(page)


# --- the crawl ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_is_inert(
    page: Page, portal: PortalServer, corpus_cases: list[dict], lang: str
) -> None:
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    paths = crawled_pages(None)
    assert "/complaints" in paths and "/track" in paths
    for path in paths:
        open_page(page, portal.url(f"{path}?lang={lang}"))
        assert_inert(page, f"{path} ({lang})")


@pytest.mark.parametrize("lang", LANGS)
def test_case_pages_show_the_corpus_literally(
    page: Page, portal: PortalServer, corpus_cases: list[dict], lang: str
) -> None:
    for case in corpus_cases:
        where = f"/complaints?case={case['number']} ({lang})"
        open_page(page, portal.url(f"/complaints?case={case['number']}&lang={lang}"))
        expect(page.get_by_role("heading", name=case["number"], exact=True)).to_be_visible()
        assert_inert(page, where)
        assert_shows(page, where, case["text"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_reporters_view_shows_the_corpus_literally(
    page: Page, portal: PortalServer, corpus_cases: list[dict], lang: str
) -> None:
    for case in corpus_cases:
        where = f"/track {case['number']} ({lang})"
        open_page(page, portal.url(f"/track?lang={lang}"))
        page.get_by_label(t(lang, "Receipt"), exact=True).fill(case["receipt"])
        page.get_by_role("button", name=t(lang, "Open my report"), exact=True).click()
        expect(page.get_by_role("heading", name=t(lang, "Messages"), exact=True)).to_be_visible()
        _settled(page)
        assert_inert(page, where)
        assert_shows(page, where, case["text"])


@pytest.mark.parametrize("lang", LANGS)
def test_every_staff_page_and_the_desk_are_inert(
    browser: Browser,
    portal: PortalServer,
    corpus_cases: list[dict],
    crawler: dict,
    staff_state: dict,
    lang: str,
) -> None:
    context = browser.new_context(storage_state=staff_state, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")  # fmt: skip
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
        paths = crawled_pages(crawler["actor"])
        assert "/staff-complaints" in paths and "/staff-users" in paths
        for path in paths:
            open_page(page, portal.url(f"{path}?lang={lang}"))
            assert_inert(page, f"{path} ({lang}, staff)")
            assert_shows(page, f"{path} ({lang}, staff)", DISPLAY_NAME)  # "Signed in as"
        for case in corpus_cases:
            where = f"desk {case['number']} ({lang})"
            open_page(page, portal.url(f"/staff-complaints?lang={lang}"))
            tab = page.get_by_role("tab", name=t(lang, "Case"), exact=True)
            tab.click()
            panel = page.get_by_role("tabpanel")
            field = panel.get_by_label(t(lang, "Case number"), exact=True)
            field.fill(case["number"])
            field.press("Enter")
            expect(
                panel.get_by_text(t(lang, "Description (as written by the reporter)"))
            ).to_be_visible()
            _settled(page)
            assert_inert(page, where)
            assert_shows(page, where, case["text"])
    finally:
        context.close()


def test_every_route_answers_the_corpus_as_data(
    portal: PortalServer, corpus_cases: list[dict]
) -> None:
    """Feeds stay XML with the corpus as text, JSON stays JSON, CSV cells stay inert."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for case in corpus_cases:
        for path in crawled_routes(case["number"]):
            try:
                with opener.open(portal.url(path), timeout=30) as response:
                    kind, body = response.headers.get_content_type(), response.read()
            except urllib.error.HTTPError as error:  # a route that needs parameters: its 400
                kind, body = error.headers.get_content_type(), error.read()
            if kind.endswith("xml"):
                root = ET.fromstring(body)
                tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
                assert not tags & {"script", "img", "a"}, f"{path}: markup elements {tags}"
                for content in root.iter("{http://www.w3.org/2005/Atom}content"):
                    assert content.get("type", "text") == "text", f"{path}: HTML content"
            elif kind == "application/json":
                json.loads(body)
            elif kind == "text/csv":
                for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
                    live = [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
                    assert not live, f"{path}: formula cells {live}"
            else:
                assert "<script" not in body.decode(errors="replace"), f"{path}: {kind}"


def test_the_corpus_reached_the_public_plane(portal: PortalServer, corpus_cases: list) -> None:
    """The crawl is only as good as its data: the public registry holds the corpus."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for case in corpus_cases:
        with opener.open(portal.url(f"/open311/v2/requests/{case['number']}.json")) as response:
            request = json.loads(response.read())[0]
        assert request["description"] == case["text"]

"""The page shell declares the page's language (portal/server.py, PageLanguage): Streamlit serves
one index.html saying `<html lang="en">` for every page; the portal's middleware rewrites it from
`?lang=` (Chinese without it), never compressed and never answered with a 304 that would reuse a
copy in the other language. Other responses pass untouched. In the browser:
tests/e2e/test_accessibility.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from portal import server

SHELL = Path(streamlit.__file__).parent / "static" / "index.html"
PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _shell(_request):
    return FileResponse(SHELL)  # as Streamlit's static files answer a page path: ETag and all


def _other_html(_request):
    return HTMLResponse('<!doctype html><html lang="en"><body><p>form</p></body></html>')


def _json(_request):
    return JSONResponse({"html": '<html lang="en"><div id="root"></div>'})


@pytest.fixture
def client():
    app = Starlette(
        routes=[Route("/air", _shell), Route("/form", _other_html), Route("/api", _json)],
        middleware=[Middleware(server.PageLanguage), Middleware(GZipMiddleware, minimum_size=10)],
    )
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_the_shell_is_streamlits_with_lang_en() -> None:
    text = SHELL.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and '<div id="root"></div>' in text


@pytest.mark.parametrize(
    ("query", "tag"),
    [("?lang=en", "en"), ("?lang=zh_CN", "zh-CN"), ("", "zh-CN"), ("?lang=zh-TW", "zh-CN")],
)
def test_the_shell_says_the_pages_language(client, query: str, tag: str) -> None:
    response = client.get(f"/air{query}", headers=PAGE)
    assert response.status_code == 200
    assert f'<html lang="{tag}">' in response.text
    assert response.text.count("<html") == 1
    assert int(response.headers["content-length"]) == len(response.content)


def test_a_revalidation_gets_the_shell_again_not_a_304(client) -> None:
    first = client.get("/air?lang=zh_CN", headers=PAGE)
    validators = {
        "if-none-match": first.headers.get("etag") or '"x"',
        "if-modified-since": first.headers.get("last-modified") or "Mon, 07 Dec 2026 00:00:00 GMT",
    }
    again = client.get("/air?lang=en", headers={**PAGE, **validators})
    assert again.status_code == 200 and '<html lang="en">' in again.text
    assert "etag" not in again.headers and "last-modified" not in again.headers


def test_the_shell_is_sent_uncompressed_and_rewritten(client) -> None:
    response = client.get("/air?lang=en", headers={**PAGE, "accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert '<html lang="en">' in response.text


def test_other_responses_pass_untouched(client) -> None:
    form = client.get("/form?lang=zh_CN", headers=PAGE)
    assert '<html lang="en">' in form.text  # not Streamlit's shell: its own template decides
    data = client.get("/api?lang=zh_CN", headers={"accept": "application/json"})
    assert data.json() == {"html": '<html lang="en"><div id="root"></div>'}
    compressed = client.get(
        "/api", headers={"accept": "application/json", "accept-encoding": "gzip"}
    )
    assert compressed.headers.get("content-encoding") == "gzip"


def test_the_portal_app_registers_it() -> None:
    registered = [m.cls for m in server.app._user_middleware]
    assert server.PageLanguage in registered


def _html_bodies(node: object) -> list[str]:
    found = []
    proto = getattr(node, "proto", None)
    if getattr(node, "type", "") == "html" and proto is not None and proto.unsafe_allow_javascript:
        found.append(proto.body)
    for kid in (getattr(node, "children", None) or {}).values():
        found += _html_bodies(kid)
    return found


@pytest.mark.parametrize(("lang", "tag"), [("zh_CN", "zh-CN"), ("en", "en")])
def test_every_run_sets_the_language_in_the_browser(open_portal, lang: str, tag: str) -> None:
    """After a switch in the app the page is not loaded again; the run sets `<html lang>`."""
    at = open_portal(lang=lang)
    scripts = _html_bodies(at._tree)
    assert any(f'documentElement.lang="{tag}"' in body for body in scripts), scripts

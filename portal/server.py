"""The ASGI application: Streamlit plus health, staff sign-in/out and security headers.

Run with `streamlit run portal/server.py` (or `uvicorn portal.server:app`).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.path_security import is_unsafe_path_pattern

from portal.kit import client, http, i18n, session_cookie
from services import domains
from services.core import accounts, db, migrate, ratelimit
from services.core.settings import get_settings
from services.shared import openapi
from services.shared.open_data import ErrorStyle

log = logging.getLogger("portal.server")
HERE = Path(__file__).resolve().parent
CSRF_COOKIE = "portal_csrf"

# Streamlit's front end needs inline styles and eval (Vega charts); nothing loads from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",  # CSP3: 'self' covers same-origin ws:/wss:
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(self)"),
)
# Sent only when the portal is configured for HTTPS (PORTAL_COOKIE_SECURE=true): it makes browsers
# refuse plain HTTP to the host and its subdomains for a year.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
# The shell's catch-alls: any other path under these prefixes is a 404 in the prefix's error
# style, never Streamlit's HTML page; they come after every served route (build_routes).
OPEN_DATA_PREFIXES: tuple[tuple[str, ErrorStyle], ...] = (
    ("/api/", "plain"),
    ("/open311/", "open311"),
    ("/feeds/", "plain"),  # a feed's path parameter with a "/" or a dot segment
)


class SecurityHeaders:
    """Pure ASGI middleware (leaves the WebSocket alone) adding security headers to responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        wanted = SECURITY_HEADERS + ((HSTS,) if get_settings().cookie_secure else ())

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {header[0].lower() for header in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in wanted if name not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class OpenDataPaths:
    """Pure ASGI middleware: a path under an open-data prefix that Streamlit's path check would
    refuse with a bare 400 (a NUL or other control character, `..`, a drive or UNC form) gets the
    prefix's 404 instead, in the format its clients parse."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        for prefix, style in OPEN_DATA_PREFIXES:
            if path.startswith(prefix) and _unsafe(path):
                request = Request(scope)
                response = http.error(request, style=style, status=404, msgid=http.NO_ENDPOINT)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class PageLanguage:
    """Pure ASGI middleware: Streamlit serves one HTML shell declaring `<html lang="en">` for every
    page; a GET for a page gets it with the language the page will be drawn in (`?lang=`, as
    `portal/kit/i18n.py` chooses it, else Chinese), so a screen reader reads it in the right voice.
    After a switch in the app, `i18n.mark_page_language` updates the attribute in the browser.

    The shell is rewritten uncompressed (the request's Accept-Encoding is dropped for a page
    load) and never answered with a 304: a cached copy may carry the other language."""

    SHELL_TAG = b'<html lang="en">'
    SHELL_MARK = b'<div id="root"></div>'

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        accept = b" ".join(value for name, value in headers if name.lower() == b"accept")
        if b"text/html" not in accept:
            await self.app(scope, receive, send)
            return
        dropped = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
        scope = dict(scope, headers=[(n, v) for n, v in headers if n.lower() not in dropped])
        tag = f'<html lang="{i18n.html_lang(_lang(Request(scope)))}">'.encode()
        start: Message | None = None
        body = b""

        async def rewrite(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                kind = dict((n.lower(), v) for n, v in message.get("headers", []))
                if not kind.get(b"content-type", b"").startswith(b"text/html"):
                    await send(message)
                    return
                start = message  # held until the whole body is here
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body += message.get("body", b"")
            if message.get("more_body", False):
                return
            if self.SHELL_MARK in body:
                body = body.replace(self.SHELL_TAG, tag, 1)
            skip = {b"content-length", b"etag", b"last-modified"}
            kept = [(n, v) for n, v in start.get("headers", []) if n.lower() not in skip]
            length = (b"content-length", str(len(body)).encode())
            await send(dict(start, headers=[*kept, length]))
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, rewrite)


def _unsafe(path: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in path) or is_unsafe_path_pattern(path[1:])


# --- health --------------------------------------------------------------------------------


async def healthz(_request: Request) -> JSONResponse:
    ok = await run_in_threadpool(db.ping)
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}
    return JSONResponse(body, status_code=200 if ok else 503, headers={"cache-control": "no-store"})


async def openapi_document(_request: Request) -> JSONResponse:
    """The OpenAPI 3.1 document of the open-data routes, from the manifests (services/shared)."""
    body = openapi.document(domains.domains())
    return JSONResponse(body, headers={"cache-control": "public, max-age=300"})


# --- staff sign-in and sign-out ----------------------------------------------------------------

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
)


def _lang(request: Request, form_lang: str | None = None) -> str:
    return i18n.normalise(form_lang or request.query_params.get("lang")) or i18n.DEFAULT_LANG


def _form_page(
    request: Request,
    *,
    lang: str,
    login: bool,
    error: str = "",
    username: str = "",
    status: int = 200,
) -> HTMLResponse:
    _ = i18n.translations(lang).gettext
    other = "en" if lang == "zh_CN" else "zh_CN"
    path = "/staff/login" if login else "/staff/logout"
    csrf = secrets.token_urlsafe(24)
    html = _templates.get_template("staff_form.html").render(
        html_lang="zh-CN" if lang == "zh_CN" else "en",
        lang=lang,
        portal_name=_("Guiyang Eco-Environment Public Portal"),
        title=_("Staff sign-in") if login else _("Sign out"),
        action=path,
        csrf=csrf,
        login=login,
        error=error,
        username=username,
        t_username=_("Username"),
        t_password=_("Password"),
        t_submit=_("Sign in") if login else _("Sign out"),
        t_confirm=_("Sign out of the staff side of the portal on this browser?"),
        t_back=_("Back to the portal"),
        other_lang_href=f"{path}?lang={other}",
        other_lang_name=i18n.LANG_NAMES[other],
    )
    response = HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        httponly=True,
        samesite="strict",
        secure=get_settings().cookie_secure,
        path="/staff",
    )
    return response


def _csrf_ok(request: Request, form_value: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return (
        bool(cookie) and isinstance(form_value, str) and secrets.compare_digest(cookie, form_value)
    )


async def login_page(request: Request) -> Response:
    lang = _lang(request)
    if request.method == "GET":
        return _form_page(request, lang=lang, login=True)

    form = await request.form()
    lang = _lang(request, str(form.get("lang") or ""))
    _ = i18n.translations(lang).gettext
    username = str(form.get("username") or "")[:32]
    password = str(form.get("password") or "")[:128]
    if not _csrf_ok(request, form.get("csrf")):
        return _form_page(
            request,
            lang=lang,
            login=True,
            username=username,
            status=400,
            error=_("The form expired. Please sign in again."),
        )
    address = client.address_key(request)
    if not ratelimit.allow(ratelimit.LOGIN_PER_ADDRESS, "login", address):
        return _form_page(
            request,
            lang=lang,
            login=True,
            username=username,
            status=429,
            error=_("Too many sign-in attempts from this address. Wait a minute and try again."),
        )
    if not username.strip() or not password:
        return _form_page(
            request,
            lang=lang,
            login=True,
            username=username,
            status=400,
            error=_("Enter your username and password."),
        )
    # Slower after each failure for this account from this address (capped), without holding a
    # thread; other addresses are not slowed (services/core/accounts.py).
    delay = await run_in_threadpool(accounts.sign_in_delay, username, address)
    if delay > 0:
        await asyncio.sleep(delay)
    try:
        new_session = await run_in_threadpool(_sign_in, username, password, address)
    except accounts.LoginFailed as failure:
        return _form_page(
            request,
            lang=lang,
            login=True,
            username=username,
            status=401,
            error=_(failure.msgid),  # a msgid carried by the service
        )
    response = RedirectResponse(f"/staff?lang={lang}", status_code=303)
    response.set_cookie(
        session_cookie.COOKIE_NAME,
        session_cookie.sign(new_session.token),
        max_age=session_cookie.max_age_seconds(),
        httponly=True,
        samesite="lax",
        secure=get_settings().cookie_secure,
        path="/",
    )
    response.delete_cookie(CSRF_COOKIE, path="/staff")
    return response


def _sign_in(username: str, password: str, source: str) -> accounts.NewSession:
    # Failed attempts and the locks they cause are audited, so commit before raising.
    with db.unit_of_work() as session:
        try:
            user = accounts.authenticate(
                session, username=username, password=password, source=source
            )
        except accounts.LoginFailed as failure:
            session.commit()
            raise failure from None
        return accounts.open_session(session, user=user)


async def logout_page(request: Request) -> Response:
    lang = _lang(request)
    if request.method == "GET":
        return _form_page(request, lang=lang, login=False)
    form = await request.form()
    lang = _lang(request, str(form.get("lang") or ""))
    if not _csrf_ok(request, form.get("csrf")):
        return _form_page(request, lang=lang, login=False, status=400)
    token = session_cookie.unsign(request.cookies.get(session_cookie.COOKIE_NAME))
    if token:
        await run_in_threadpool(_sign_out, token)
    response = RedirectResponse(f"/?lang={lang}", status_code=303)
    response.delete_cookie(session_cookie.COOKIE_NAME, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/staff")
    return response


def _sign_out(token: str) -> None:
    with db.unit_of_work() as session:
        accounts.close_session(session, token=token)


@asynccontextmanager
async def lifespan(_app: object):
    if get_settings().auto_migrate:
        await run_in_threadpool(migrate.upgrade)
    yield


def domain_routes() -> list[Route]:
    """The HTTP routes of every capability that declares some, from `portal.<name>.routes`."""
    found: list[Route] = []
    for manifest in domains.domains():
        if manifest.routes:
            found += importlib.import_module(f"{manifest.portal_package}.routes").routes
    return found


def catch_alls() -> list[Route]:
    """Unknown paths under the open-data prefixes: a 404 in their format, not the HTML page."""
    return [http.not_found(f"{prefix}{{rest:path}}", style=style)
            for prefix, style in OPEN_DATA_PREFIXES]  # fmt: skip


def build_routes() -> list[Route]:
    """The served routes, then the catch-alls: last, so they never shadow a route."""
    served = [
        Route("/healthz", healthz, methods=["GET"]),
        Route(openapi.PATH, openapi_document, methods=["GET"]),
        Route("/staff/login", login_page, methods=["GET", "POST"]),
        Route("/staff/logout", logout_page, methods=["GET", "POST"]),
        *domain_routes(),
    ]
    return served + catch_alls()


routes = build_routes()

app = st.App(
    HERE / "app.py",
    routes=routes,
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(OpenDataPaths),
        Middleware(PageLanguage),
    ],
    lifespan=lifespan,
)

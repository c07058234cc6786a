"""Staff over plain HTTP: routes outside Streamlit (a download, a file) that only staff may use.

`staff_actor(request)` is the staff member behind the signed session cookie, checked the way the
pages check it (portal/kit/auth.py): signature and age (portal/kit/session_cookie.py), then the
live server-side session (services.core.accounts.actor_for_token). The route still leaves the
role check to the service it calls; `refusal` answers 401, 403 and 404 the same plain way, never
cached.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from portal.kit import i18n, session_cookie
from services.core import accounts, db
from services.core.accounts import Actor

NO_STORE = "no-store"


def staff_actor(request: Request) -> Actor | None:
    """The signed-in staff member, or None (no cookie, a forged or old one, a closed session,
    a deactivated account). Reads the database: call it through run_in_threadpool."""
    token = session_cookie.unsign(request.cookies.get(session_cookie.COOKIE_NAME))
    if not token:
        return None
    with db.unit_of_work() as session:
        return accounts.actor_for_token(session, token=token)


def lang_of(request: Request) -> str:
    return i18n.normalise(request.query_params.get("lang")) or i18n.DEFAULT_LANG


def refusal(request: Request, status: int) -> PlainTextResponse:
    """401 (not signed in), 403 (no permission) or 404, as one line of text in the reader's
    language; nothing about what was asked for."""
    _ = i18n.translations(lang_of(request)).gettext
    text = {
        401: _("Sign in as staff to open this file."),
        403: _("You do not have permission for this action."),
    }.get(status, _("This file does not exist."))
    return PlainTextResponse(
        text,
        status_code=status,
        headers={"cache-control": NO_STORE, "x-content-type-options": "nosniff"},
    )

"""The open-data HTTP layer: one route per declared endpoint (services/shared/open_data.py).

`route` rate-limits by address, parses the request against the endpoint's declaration, calls
the handler (in a database session unless `with_db=False`) and renders its rows as JSON
(`{"count": n, "rows": [...]}`), CSV, GeoJSON, an Open311 list or an Atom document. Errors are
translated (`?lang=zh_CN|en`, English by default) and never cached: `{"error": "..."}`, or
GeoReport v2's `[{"code": …, "description": …}]` for an endpoint declared with that style.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.kit import client, i18n
from services.core import db, ratelimit
from services.core.messages import N_, UserFacingError
from services.core.settings import get_settings
from services.shared.open_data import Endpoint, ErrorStyle, Row, csv_bytes, feature_collection

CACHE = {"cache-control": "public, max-age=300"}
NO_STORE = {"cache-control": "no-store"}
CSV = "text/csv; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
GEOJSON = "application/geo+json"
TOO_MANY = N_("Too many requests from this address. Wait a minute and try again.")
NO_ENDPOINT = N_("Not found: no open-data endpoint has this address.")

Handler = Callable[..., Any]  # (session, **values) or (**values): rows, an Atom document or None
Context = Callable[[Request], dict[str, Any]]  # more keyword arguments taken from the request


def route(
    endpoint: Endpoint, handler: Handler, *, with_db: bool = True, context: Context | None = None
) -> Route:
    """The Starlette route that serves `endpoint` with `handler`."""

    async def serve(request: Request) -> Response:
        if not _allowed(request):
            return error(request, style=endpoint.errors, status=429, msgid=TOO_MANY)
        try:
            values = endpoint.parse(request.query_params, path=request.path_params)
            values.update(context(request) if context else {})
            if with_db:
                result = await run_in_threadpool(_in_session, handler, values)
            else:
                result = handler(**values)
        except UserFacingError as refused:
            return error(request, style=endpoint.errors, status=400, msgid=refused.msgid,
                         params=refused.params)  # fmt: skip
        if result is None:
            return error(request, style=endpoint.errors, status=404, msgid=endpoint.not_found)
        return render(endpoint, result, wanted=request.query_params.get("format"))

    return Route(endpoint.path, serve, methods=["GET"])


def not_found(path: str, *, style: ErrorStyle) -> Route:
    """A route answering whatever matches `path` (a catch-all) with a 404 in `style`."""

    async def serve(request: Request) -> Response:
        return error(request, style=style, status=404, msgid=NO_ENDPOINT)

    return Route(path, serve, methods=["GET"])


def render(endpoint: Endpoint, result: Any, *, wanted: str | None = None) -> Response:
    """The handler's result in the format asked for (or the endpoint's default)."""
    chosen = endpoint.choose(wanted)
    if chosen == "atom":
        return Response(result, media_type=ATOM, headers=CACHE)
    rows, headers = _capped(endpoint, list(result))
    if chosen == "csv":
        name = endpoint.name or "data"
        headers["content-disposition"] = f'attachment; filename="{name}.csv"'
        return Response(csv_bytes(rows, columns=endpoint.columns), media_type=CSV, headers=headers)
    if chosen == "geojson":
        return JSONResponse(feature_collection(rows), media_type=GEOJSON, headers=headers)
    if chosen == "open311":
        return JSONResponse(rows, headers=headers)
    return JSONResponse({"count": len(rows), "rows": rows}, headers=headers)


def error(
    request: Request,
    *,
    style: ErrorStyle,
    status: int,
    msgid: str,
    params: dict[str, object] | None = None,
) -> JSONResponse:
    """A translated error in the endpoint's style, never cached."""
    message = _message(request, msgid, params or {})
    body: object = (
        [{"code": status, "description": message}] if style == "open311" else {"error": message}
    )
    return JSONResponse(body, status_code=status, headers=NO_STORE)


def _capped(endpoint: Endpoint, rows: list[Row]) -> tuple[list[Row], dict[str, str]]:
    """At most `endpoint.max_rows` rows; when more matched, a header says where they were cut."""
    headers = dict(CACHE)
    cap = endpoint.max_rows
    if cap is not None and len(rows) > cap:  # narrow the filters to get the rest
        headers["x-rows-capped-at"] = str(cap)
        rows = rows[:cap]
    return rows, headers


def _message(request: Request, msgid: str, params: dict[str, object]) -> str:
    lang = i18n.normalise(request.query_params.get("lang")) or "en"
    text = i18n.translations(lang).gettext(msgid)
    return text.format(**params) if params else text


def _allowed(request: Request) -> bool:
    address = client.address_key(request)  # behind PORTAL_TRUSTED_PROXIES, the forwarded client
    return ratelimit.allow(get_settings().api_rate_limit, "api", address)  # PORTAL_API_RATE_LIMIT


def _in_session(handler: Handler, values: dict[str, Any]) -> Any:
    with db.unit_of_work() as session:
        return handler(session, **values)

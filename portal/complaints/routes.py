"""Complaint open data over HTTP: Open311 GeoReport v2 (JSON only), Atom feeds and a CSV export.

- /open311/v2/services.json, /open311/v2/requests.json, /open311/v2/requests/{number}.json
  (anything else under /open311/v2/, `.xml` included, is an Open311-style 404);
- /feeds/complaints.atom (?district, ?type, ?target) and /feeds/complaints/{number}.atom;
- /api/v1/complaints.csv (the requests.json filters plus ?q and a detailed ?status).

The work is done in services.complaints.open_data over the public registry (published cases,
public-plane fields only); this module picks the parameters, rate-limits like portal/api.py (the
same per-address budget) and serialises. Errors are translated (?lang=zh_CN; English by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.kit import http as api
from portal.kit import i18n
from services.complaints import open_data, registry
from services.core import db, ratelimit
from services.core.messages import N_

ATOM = "application/atom+xml; charset=utf-8"
CSV = "text/csv; charset=utf-8"
TOO_MANY = N_("Too many requests from this address. Wait a minute and try again.")
NO_CASE = N_("No published case has this number.")
OPEN311_ONLY_JSON = N_(
    "Not found. This server answers GeoReport v2 in JSON only: services.json, requests.json and "
    "requests/<number>.json."
)
T = TypeVar("T")


def _message(request: Request, msgid: str, params: dict[str, Any]) -> str:
    lang = i18n.normalise(request.query_params.get("lang")) or "en"
    text = i18n.translations(lang).gettext(msgid)
    return text.format(**params) if params else text


def _open311_error(request: Request, status: int, msgid: str, **params: Any) -> JSONResponse:
    """GeoReport v2 errors are a list of {code, description}."""
    body = [{"code": status, "description": _message(request, msgid, params)}]
    return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _error(request: Request, status: int, msgid: str, **params: Any) -> JSONResponse:
    """The feeds' and the export's errors, shaped like portal/api.py's."""
    body = {"error": _message(request, msgid, params)}
    return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _allowed(request: Request) -> bool:
    address = request.client.host if request.client else "unknown"
    return ratelimit.allow(api.API_PER_ADDRESS, "api", address)


def _in_session(work: Callable[..., T], *args: Any) -> T:
    with db.unit_of_work() as session:
        return work(session, *args)


def _zh(message: str) -> str:
    return i18n.translations("zh_CN").gettext(message)


# --- Open311 GeoReport v2 ----------------------------------------------------------------------


async def services_json(request: Request) -> Response:
    if not _allowed(request):
        return _open311_error(request, 429, TOO_MANY)
    return JSONResponse(open_data.open311_services(_zh), headers=api.CACHE)


async def requests_json(request: Request) -> Response:
    if not _allowed(request):
        return _open311_error(request, 429, TOO_MANY)
    try:
        query = open_data.parse_query(request.query_params)
    except open_data.BadParameter as error:
        return _open311_error(request, 400, error.msgid, **error.params)
    cases = await run_in_threadpool(_in_session, open_data.find, query)
    return JSONResponse([open_data.open311_request(c) for c in cases], headers=api.CACHE)


async def request_json(request: Request) -> Response:
    if not _allowed(request):
        return _open311_error(request, 429, TOO_MANY)
    case = await run_in_threadpool(_in_session, registry.get, request.path_params["number"])
    if case is None:
        return _open311_error(request, 404, NO_CASE)
    return JSONResponse([open_data.open311_request(case)], headers=api.CACHE)


async def open311_not_found(request: Request) -> Response:
    return _open311_error(request, 404, OPEN311_ONLY_JSON)


# --- Atom feeds --------------------------------------------------------------------------------


def _feed_url(request: Request, query: open_data.Query) -> str:
    """The feed's own URL with its filters in a fixed order (and the target normalised), so
    the same feed keeps the same id however its query string was written."""
    filters = {"district": query.district, "type": query.main_type, "target": query.target}
    params = urlencode({k: v for k, v in filters.items() if v})
    url = str(request.url.replace(query=""))
    return f"{url}?{params}" if params else url


async def complaints_feed(request: Request) -> Response:
    if not _allowed(request):
        return _error(request, 429, TOO_MANY)
    try:
        query = open_data.parse_feed_query(request.query_params)
    except open_data.BadParameter as error:
        return _error(request, 400, error.msgid, **error.params)
    cases = await run_in_threadpool(_in_session, open_data.find, query)
    body = open_data.cases_feed(
        cases,
        base_url=str(request.base_url),
        feed_url=_feed_url(request, query),
        query=query,
        translate=_zh,
    )
    return Response(body, media_type=ATOM, headers=api.CACHE)


def _case_and_timeline(session, number: str):
    case = registry.get(session, number)
    return (case, registry.timeline(session, case)) if case is not None else None


async def case_feed(request: Request) -> Response:
    if not _allowed(request):
        return _error(request, 429, TOO_MANY)
    found = await run_in_threadpool(_in_session, _case_and_timeline, request.path_params["number"])
    if found is None:
        return _error(request, 404, NO_CASE)
    case, events = found
    body = open_data.case_feed(
        case,
        events,
        base_url=str(request.base_url),
        feed_url=str(request.url.replace(query="")),
        translate=_zh,
    )
    return Response(body, media_type=ATOM, headers=api.CACHE)


# --- CSV export --------------------------------------------------------------------------------


def _export(session, query: open_data.Query) -> tuple[bytes, bool]:
    cases, truncated = open_data.export(session, query)
    return open_data.csv_bytes(cases), truncated


async def complaints_csv(request: Request) -> Response:
    if not _allowed(request):
        return _error(request, 429, TOO_MANY)
    try:
        query = open_data.parse_query(request.query_params, export=True)
    except open_data.BadParameter as error:
        return _error(request, 400, error.msgid, **error.params)
    body, truncated = await run_in_threadpool(_in_session, _export, query)
    headers = {**api.CACHE, "content-disposition": 'attachment; filename="complaints.csv"'}
    if truncated:  # more cases matched than one export holds: narrow the filters
        headers["x-rows-capped-at"] = str(open_data.CSV_MAX_ROWS)
    return Response(body, media_type=CSV, headers=headers)


routes = [
    Route("/open311/v2/services.json", services_json, methods=["GET"]),
    Route("/open311/v2/requests.json", requests_json, methods=["GET"]),
    Route("/open311/v2/requests/{number}.json", request_json, methods=["GET"]),
    Route("/open311/v2/{rest:path}", open311_not_found, methods=["GET"]),  # .xml and the rest
    Route("/feeds/complaints.atom", complaints_feed, methods=["GET"]),
    Route("/feeds/complaints/{number}.atom", case_feed, methods=["GET"]),
    Route("/api/v1/complaints.csv", complaints_csv, methods=["GET"]),
]

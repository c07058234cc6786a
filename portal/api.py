"""Open-data HTTP routes (/api/v1/...): JSON by default, CSV with ?format=csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal import i18n
from services import db, ratelimit
from services.air import api as air_api
from services.messages import UserFacingError
from services.water import api as water_api

API_PER_ADDRESS = "120/minute"
CACHE = {"cache-control": "public, max-age=300"}


def _rows_response(rows: list[dict[str, object]], *, request: Request, name: str) -> Response:
    if request.query_params.get("format") == "csv":
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        headers = {**CACHE, "content-disposition": f'attachment; filename="{name}.csv"'}
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse({"count": len(rows), "rows": rows}, headers=CACHE)


def _error(request: Request, error: UserFacingError, status: int = 400) -> JSONResponse:
    lang = i18n.normalise(request.query_params.get("lang")) or "en"
    message = i18n.translations(lang).gettext(error.msgid).format(**error.params)
    return JSONResponse({"error": message}, status_code=status)


AIR_PARAMS = {"station": "station", "from": "start", "to": "end"}
WATER_PARAMS = {"section": "section", "from": "start", "to": "end"}


def _endpoint(
    handler: Callable[..., list[dict[str, object]]],
    name: str,
    *,
    with_db: bool,
    query: dict[str, str] | None = None,
):
    """`query`: query parameter → the handler's keyword argument."""
    names = AIR_PARAMS if query is None else query

    async def endpoint(request: Request) -> Response:
        address = request.client.host if request.client else "unknown"
        if not ratelimit.allow(API_PER_ADDRESS, "api", address):
            return JSONResponse({"error": "too many requests"}, status_code=429)
        params = {arg: request.query_params.get(key) for key, arg in names.items()}
        try:
            if with_db:
                rows = await run_in_threadpool(_with_session, handler, params)
            else:
                rows = handler()
        except UserFacingError as error:
            return _error(request, error)
        return _rows_response(rows, request=request, name=name)

    return endpoint


def _with_session(
    handler: Callable[..., list[dict[str, object]]], params: dict[str, str | None]
) -> list[dict[str, object]]:
    with db.unit_of_work() as session:
        return handler(session, **params)


routes = [
    Route("/api/v1/air/stations", _endpoint(air_api.stations, "air-stations", with_db=False)),
    Route("/api/v1/air/hourly", _endpoint(air_api.hourly, "air-hourly", with_db=True)),
    Route("/api/v1/air/daily", _endpoint(air_api.daily, "air-daily", with_db=True)),
    Route("/api/v1/water/sections", _endpoint(water_api.sections, "water-sections", with_db=False)),
    Route(
        "/api/v1/water/samples",
        _endpoint(water_api.samples, "water-samples", with_db=True, query=WATER_PARAMS),
    ),
    Route(
        "/api/v1/water/classes",
        _endpoint(
            water_api.classes,
            "water-classes",
            with_db=True,
            query={**WATER_PARAMS, "period": "period"},
        ),
    ),
]

"""The open-data HTTP layer: rate limit, parameters, a session, errors; JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from portal.kit import i18n
from services.core import db, ratelimit
from services.core.messages import UserFacingError

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


def endpoint(
    handler: Callable[..., list[dict[str, object]]],
    name: str,
    *,
    with_db: bool,
    query: dict[str, str] | None = None,
):
    """`query`: query parameter → the handler's keyword argument."""
    names = query or {}

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

"""Complaint open data over HTTP: Open311 GeoReport v2 (JSON only), Atom feeds and a CSV export.

- /open311/v2/services.json, /open311/v2/requests.json, /open311/v2/requests/{number}.json
  (anything else under /open311/v2/, `.xml` included, is an Open311-style 404);
- /feeds/complaints.atom (?district, ?type, ?target) and /feeds/complaints/{number}.atom;
- /api/v1/complaints.csv (the requests.json filters plus ?q and a detailed ?status).

The endpoints and their handlers are in services.complaints.open_data (published cases,
public-plane fields only); portal/kit/http.py serves them like every other open-data route.

One staff route, not open data: GET /staff/complaints/evidence/{id}/original, the sealed
original of a photo for a complaint supervisor (services.complaints.desk.open_original checks
the role and audits every download), sent as an attachment that is never stored by a cache.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal.kit import i18n, staff_http
from portal.kit.http import route
from services.complaints import desk, open_data
from services.complaints.workflow import CaseNotFound
from services.core import db
from services.core.accounts import PermissionDenied


def _zh(message: str) -> str:
    return i18n.translations("zh_CN").gettext(message)


def _feed_context(request: Request) -> dict[str, Any]:
    """What a feed needs besides its filters: where it is served, and Chinese labels."""
    url = str(request.url.replace(query=""))
    return {"base_url": str(request.base_url), "url": url, "translate": _zh}


def _services() -> list[dict[str, object]]:
    return open_data.open311_services(_zh)


def _nothing() -> None:
    return None


def original_url(evidence_id: int, lang: str) -> str:
    """Where the complaint desk links for a photo's sealed original."""
    path = desk.ORIGINAL_ROUTE.replace("{evidence_id:int}", str(int(evidence_id)))
    return f"{path}?lang={lang}"


async def original_evidence(request: Request) -> Response:
    """The sealed original, to a signed-in complaint supervisor only; each download audited.

    A GET, so that the desk can link to it: it changes nothing but the audit log. The session
    cookie is SameSite=Lax, so another site's images and scripts cannot make it send a request
    with the cookie; a cross-site navigation (Sec-Fetch-Site) is refused before anything is read.
    """
    if request.headers.get("sec-fetch-site") == "cross-site":
        return staff_http.refusal(request, 403)
    return await run_in_threadpool(_original_response, request)


def _original_response(request: Request) -> Response:
    actor = staff_http.staff_actor(request)
    if actor is None:
        return staff_http.refusal(request, 401)
    try:
        with db.unit_of_work() as session:  # commits the audit entry with the read
            original = desk.open_original(
                session, actor=actor, evidence_id=request.path_params["evidence_id"]
            )
    except PermissionDenied:  # checked before the file is looked up: no existence oracle
        return staff_http.refusal(request, 403)
    except CaseNotFound:
        return staff_http.refusal(request, 404)
    return Response(
        original.data,
        media_type=original.content_type,
        headers={
            "content-disposition": f'attachment; filename="{original.file_name}"',
            "cache-control": staff_http.NO_STORE,
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; sandbox",
            "referrer-policy": "no-referrer",
        },
    )


routes = [
    route(open_data.SERVICES, _services, with_db=False),
    route(open_data.REQUESTS, open_data.requests_rows),
    route(open_data.REQUEST, open_data.request_rows),
    route(open_data.OPEN311_OTHER, _nothing, with_db=False),  # .xml and the rest: a 404
    route(open_data.CASES_FEED, open_data.cases_feed_document, context=_feed_context),
    route(open_data.CASE_FEED, open_data.case_feed_document, context=_feed_context),
    route(open_data.EXPORT, open_data.export_rows),
    Route(desk.ORIGINAL_ROUTE, original_evidence, methods=["GET"]),  # staff only, not open data
]

"""Complaint open data over HTTP: Open311 GeoReport v2 (JSON only), Atom feeds and a CSV export.

- /open311/v2/services.json, /open311/v2/requests.json, /open311/v2/requests/{number}.json
  (anything else under /open311/v2/, `.xml` included, is an Open311-style 404);
- /feeds/complaints.atom (?district, ?type, ?target) and /feeds/complaints/{number}.atom;
- /api/v1/complaints.csv (the requests.json filters plus ?q and a detailed ?status).

The endpoints and their handlers are in services.complaints.open_data (published cases,
public-plane fields only); portal/kit/http.py serves them like every other open-data route.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from portal.kit import i18n
from portal.kit.http import route
from services.complaints import open_data


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


routes = [
    route(open_data.SERVICES, _services, with_db=False),
    route(open_data.REQUESTS, open_data.requests_rows),
    route(open_data.REQUEST, open_data.request_rows),
    route(open_data.OPEN311_OTHER, _nothing, with_db=False),  # .xml and the rest: a 404
    route(open_data.CASES_FEED, open_data.cases_feed_document, context=_feed_context),
    route(open_data.CASE_FEED, open_data.case_feed_document, context=_feed_context),
    route(open_data.EXPORT, open_data.export_rows),
]

"""Water open data: /api/v1/water/sections, /samples and /classes (services/water/api.py)."""

from starlette.routing import Route

from portal.kit.http import endpoint
from services.water import api

PARAMS = {"section": "section", "from": "start", "to": "end"}

routes = [
    Route("/api/v1/water/sections", endpoint(api.sections, "water-sections", with_db=False)),
    Route(
        "/api/v1/water/samples",
        endpoint(api.samples, "water-samples", with_db=True, query=PARAMS),
    ),
    Route(
        "/api/v1/water/classes",
        endpoint(api.classes, "water-classes", with_db=True, query={**PARAMS, "period": "period"}),
    ),
]

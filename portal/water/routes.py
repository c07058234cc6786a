"""Water open data: /api/v1/water/sections, /samples and /classes (services/water/api.py)."""

from portal.kit.http import route
from services.water import api

routes = [
    route(api.SECTIONS, api.sections, with_db=False),
    route(api.SAMPLES, api.samples),
    route(api.CLASSES, api.classes),
]

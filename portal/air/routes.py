"""Air open data: /api/v1/air/stations, /hourly and /daily (declared in services/air/api.py)."""

from portal.kit.http import route
from services.air import api

routes = [
    route(api.STATIONS, api.stations, with_db=False),
    route(api.HOURLY, api.hourly),
    route(api.DAILY, api.daily),
]

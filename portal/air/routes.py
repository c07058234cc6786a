"""Air open data: /api/v1/air/stations, /hourly and /daily (services/air/api.py)."""

from starlette.routing import Route

from portal.kit.http import endpoint
from services.air import api

PARAMS = {"station": "station", "from": "start", "to": "end"}

routes = [
    Route("/api/v1/air/stations", endpoint(api.stations, "air-stations", with_db=False)),
    Route("/api/v1/air/hourly", endpoint(api.hourly, "air-hourly", with_db=True, query=PARAMS)),
    Route("/api/v1/air/daily", endpoint(api.daily, "air-daily", with_db=True, query=PARAMS)),
]

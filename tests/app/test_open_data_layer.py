"""The open-data layer over HTTP: GeoJSON station and section lists, cache headers on data and
errors, the same rate limit for every open-data route."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.core import settings


@pytest.fixture
def client(portal_db):
    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/api/v1/air/stations", "/api/v1/water/sections"])
def test_geojson_has_one_feature_per_row_at_its_coordinates(client, path):
    rows = client.get(path).json()["rows"]
    response = client.get(f"{path}?format=geojson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    assert response.headers["cache-control"] == "public, max-age=300"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(rows) > 0
    by_code = {f["properties"]["code"]: f["geometry"] for f in features}
    assert by_code == {
        r["code"]: {"type": "Point", "coordinates": [r["lon"], r["lat"]]} for r in rows
    }
    assert {k for k in rows[0] if k not in ("lat", "lon")} == set(features[0]["properties"])


def test_errors_are_not_cached(client):
    response = client.get("/api/v1/air/hourly?station=XXXX&from=2026-06-01&to=2026-06-02")
    assert response.status_code == 400
    assert response.headers["cache-control"] == "no-store"


def test_every_open_data_route_shares_one_budget_per_address(client, monkeypatch):
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "2/minute")
    settings.get_settings.cache_clear()
    assert [client.get("/api/v1/air/stations").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/water/sections?lang=zh_CN")
    assert refused.status_code == 429
    assert refused.json() == {"error": "该地址的请求过多，请一分钟后再试。"}
    open311 = client.get("/open311/v2/services.json")
    assert open311.status_code == 429 and open311.json()[0]["code"] == 429

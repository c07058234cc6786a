"""The open-data air API: rows with units and the standard per row, JSON and CSV, clear errors."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server


@pytest.fixture
def client(portal_db):
    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_stations_lists_the_ten_national_stations(client):
    body = client.get("/api/v1/air/stations").json()
    assert body["count"] == 10
    codes = {row["code"] for row in body["rows"]}
    assert {"1439A", "1552A"} <= codes
    assert [r["kind"] for r in body["rows"] if r["code"] == "1552A"] == ["background"]


def test_daily_rows_carry_the_standard_of_their_day(client):
    body = client.get("/api/v1/air/daily?station=CITY&from=2026-02-27&to=2026-03-02").json()
    assert [(r["day"], r["standard"]) for r in body["rows"]] == [
        ("2026-02-27", "HJ633-2012"),
        ("2026-02-28", "HJ633-2012"),
        ("2026-03-01", "HJ633-2026"),
        ("2026-03-02", "HJ633-2026"),
    ]
    assert {"pm25_ug/m3", "co_mg/m3", "o3_8h_max_ug/m3", "aqi"} <= set(body["rows"][0])


def test_daily_csv_has_a_header_and_one_line_per_day(client):
    response = client.get(
        "/api/v1/air/daily?station=1441A&from=2026-06-01&to=2026-06-30&format=csv"
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert rows[0]["station"] == "1441A" and rows[0]["standard"] == "HJ633-2026"


def test_hourly_rows_are_in_beijing_time(client):
    body = client.get("/api/v1/air/hourly?station=1441A&from=2026-06-01&to=2026-06-01").json()
    hours = [r["hour_ending"] for r in body["rows"]]
    assert len(hours) == 24
    assert hours[0] == "2026-06-01T01:00:00+08:00"
    assert hours[-1] == "2026-06-02T00:00:00+08:00"  # the hour ending at midnight closes the day


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("station=XXXX&from=2026-06-01&to=2026-06-02", "Unknown station: XXXX."),
        ("station=1441A&from=June&to=2026-06-02", "from must be a date like 2026-03-01."),
        ("station=1441A&from=2026-06-05&to=2026-06-01", "'to' must not be before 'from'."),
        ("station=1441A&from=2026-01-01&to=2026-06-01", "Ask for at most 31 days at a time."),
    ],
)
def test_bad_requests_are_explained(client, query, message):
    response = client.get(f"/api/v1/air/hourly?{query}")
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_errors_follow_the_requested_language(client):
    response = client.get(
        "/api/v1/air/daily?station=nowhere&from=2026-01-01&to=2026-01-02&lang=zh_CN"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "未知站点：nowhere。"


def test_the_city_is_not_an_hourly_station(client):
    assert (
        client.get("/api/v1/air/hourly?station=CITY&from=2026-06-01&to=2026-06-01").status_code
        == 400
    )

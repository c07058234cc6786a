"""The open-data water API: the section registry, stored samples, period classes; JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.core.db import unit_of_work
from services.water import public
from services.water.model import water_sample
from services.water.sections import sections


@pytest.fixture
def client(portal_db):
    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_sections_list_the_registry_with_target_and_role(client):
    body = client.get("/api/v1/water/sections").json()
    assert body["count"] == len(sections())
    first = body["rows"][0]
    assert first["code"] == sections()[0].code
    assert {"waterbody", "target_class", "drinking_water_source", "location_note"} <= set(first)
    sources = {r["water_zh"] for r in body["rows"] if r["drinking_water_source"]}
    assert {"红枫湖", "百花湖", "阿哈水库"} <= sources


def test_samples_are_the_stored_values_with_units_and_detection_limits(client, portal_db):
    with unit_of_work(portal_db) as session:
        stored = session.execute(
            water_sample.select()
            .where(water_sample.c.section_code == "HFH-01")
            .where(water_sample.c.sampled_on >= date(2026, 1, 1))
            .order_by(water_sample.c.sampled_on)
        ).all()
    body = client.get("/api/v1/water/samples?section=HFH-01&from=2026-01-01").json()
    assert body["count"] == len(stored)
    row, first = body["rows"][0], stored[0]
    assert row["sampled_on"] == first.sampled_on.isoformat()
    assert row["NH3_N_mg/L"] == first.v_nh3_n
    assert row["pH"] == first.v_ph
    assert row["fecal_coliform_count/L"] == first.v_fecal_coliform
    assert row["standard"] == "GB 3838-2002"
    below = [r for r in body["rows"] if r["below_detection_limit"]]
    assert below, "the demo's trace metals are mostly below detection"
    assert all(
        set(r["below_detection_limit"].split(";")) <= set(public.item_codes()) for r in below
    )


def test_monthly_classes_match_the_evaluation(client, portal_db):
    with unit_of_work(portal_db) as session:
        evaluated = public.evaluate(public.read_samples(session, section_codes=["XHH-01"]))
    body = client.get("/api/v1/water/classes?section=XHH-01").json()
    assert body["count"] == len(evaluated.month)
    by_month = {r["period_start"]: r for r in body["rows"]}
    for j in range(len(evaluated.month)):
        detail = evaluated.month.detail(j)
        row = by_month[str(evaluated.month.period[j])]
        assert row["class"] == detail.grade
        assert row["main_pollutants"] == ";".join(detail.main_pollutants)
        assert row["method"] == "环办〔2011〕22号"


def test_yearly_classes_in_csv(client):
    response = client.get("/api/v1/water/classes?section=NMH-05&period=year&format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 11  # ten years of monthly samples touch eleven calendar years
    assert {r["period"] for r in rows} == {"year"}
    assert all(r["class"] in {"I", "II", "III", "IV", "V", "劣V"} for r in rows)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/water/samples", "Give a section code (see /api/v1/water/sections)."),
        ("/api/v1/water/samples?section=NOPE", "Unknown section: NOPE."),
        ("/api/v1/water/samples?section=NMH-01&from=May", "from must be a date like 2026-03-01."),
        (
            "/api/v1/water/classes?section=NMH-01&from=2026-05-01&to=2026-01-01",
            "'to' must not be before 'from'.",
        ),
        ("/api/v1/water/classes?period=week", "period must be one of: month, quarter, year."),
    ],
)
def test_bad_requests_are_explained(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_errors_follow_the_requested_language(client):
    response = client.get("/api/v1/water/samples?section=NOPE&lang=zh_CN")
    assert response.json()["error"] == "未知断面：NOPE。"

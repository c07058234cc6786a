"""The public water page: headline figures, map table, river profile, section panel, downloads."""

from __future__ import annotations

import json

import pytest

from services.db import unit_of_work
from services.water import public


def texts(at) -> str:
    return " ".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


@pytest.fixture
def evaluated(portal_db):
    with unit_of_work(portal_db) as session:
        return public.evaluate(public.read_samples(session))


def test_headline_tiles_match_the_newest_month(open_portal, evaluated):
    at = open_portal("water.py", lang="en")
    assert not at.exception
    shares = public.city_share_frame(evaluated.month).iloc[-1]
    month = shares["period"].strftime("%Y-%m")
    body = texts(at)
    assert (
        f"{month}: {shares['good']} of {shares['sections']} sections. Plan target: at least 95%."
        in (body)
    )
    assert "GB 3838-2002" in body and "Newest sample" in body


def test_the_page_is_in_chinese_with_chinese_class_words(open_portal):
    at = open_portal("water.py", lang="zh_CN")
    assert not at.exception
    assert at.title[0].value == "水质"
    frames = [d.value for d in at.dataframe]
    section_table = frames[0]
    assert "断面" in section_table.columns
    assert set(section_table["类别"]) <= {"Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"}


def test_choosing_a_river_and_a_section_shows_its_facts_and_export(open_portal, evaluated):
    at = open_portal("water.py", lang="en")
    at.selectbox(key="water_river").set_value("小黄河").run()
    at.selectbox(key="water_section").set_value("XHH-02").run()
    assert not at.exception
    series = evaluated.series("XHH-02")
    newest = evaluated.month.detail(int(series.iloc[-1]["column"]))
    body = texts(at)
    assert f"{series.iloc[-1]['period']:%Y-%m}" in body
    expected_class = ("Class " + newest.grade) if newest.grade != "劣V" else "Worse than class V"
    assert expected_class in body
    button = at.get("download_button")
    assert button, "the section's monthly CSV and JSON are offered"


def test_the_section_export_has_one_row_per_month_with_class_and_means(portal_db, evaluated):
    month = evaluated.month
    rows = public.class_rows(
        month, (month.section_code == "NMH-02").nonzero()[0], period="month", with_means=True
    )
    assert len(rows) == 120
    first = rows[0]
    assert first["standard"] == "GB 3838-2002"
    assert {"class", "status_zh", "status_en", "mean_NH3_N_mg/L", "mean_pH"} <= set(first)
    json.dumps(rows)  # serialisable as published

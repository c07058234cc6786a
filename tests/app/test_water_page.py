"""The public water page: headline figures, map table, river profile, section panel, downloads."""

from __future__ import annotations

import json

import pytest

from services.core.db import unit_of_work
from services.water import public
from services.water.items import by_code


def texts(at) -> str:
    return " ".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


@pytest.fixture
def evaluated(portal_db):
    with unit_of_work(portal_db) as session:
        return public.evaluate(public.read_samples(session))


def test_headline_tiles_match_the_newest_month(open_portal, evaluated):
    at = open_portal("water/water.py", lang="en")
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
    at = open_portal("water/water.py", lang="zh_CN")
    assert not at.exception
    assert at.title[0].value == "水质"
    frames = [d.value for d in at.dataframe]
    section_table = frames[0]
    assert "断面" in section_table.columns
    assert set(section_table["类别"]) <= {"Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"}


def test_choosing_a_river_and_a_section_shows_its_facts_and_export(open_portal, evaluated):
    at = open_portal("water/water.py", lang="en")
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


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh_CN",
            [
                "总磷超过Ⅲ类标准0.25倍（高出25%）",
                "氨氮超过Ⅲ类标准0.2倍（高出20%）",
                "溶解氧低于Ⅲ类标准",
                "pH值超出6～9的范围",
            ],
        ),
        (
            "en",
            [
                "Total phosphorus exceeds the class III limit by 0.25 times (25% above it)",
                "Ammonia nitrogen (NH3-N) exceeds the class III limit by 0.2 times (20% above it)",
                "Dissolved oxygen (DO) is below the class III minimum",
                "pH is outside the range 6–9",
            ],
        ),
    ],
)
def test_exceedances_in_plain_words(monkeypatch, lang, expected):
    from portal.kit import i18n
    from portal.water import ui as water_ui
    from services.water.classify import classify_sample

    monkeypatch.setattr(i18n, "current_lang", lambda: lang)
    # W01 (TP x0.25 and NH3-N x0.20, both class IV), plus DO 4 (class IV) and pH 9.5 (劣V)
    detail = classify_sample(
        {"DO": 4.0, "CODMn": 5, "COD": 18, "BOD5": 3.5, "NH3_N": 1.2, "TP": 0.25, "pH": 9.5},
        waterbody="river",
    )
    assert detail.grade == "劣V" and detail.main_pollutants == ("pH", "TP", "NH3_N")
    lines = water_ui.exceedance_lines(detail, lang=lang)
    # main pollutants first (pH, the worst class), then the rest by class and multiple
    assert lines == [expected[3], expected[0], expected[1], expected[2]]


def test_an_earlier_month_of_a_section_lists_its_exceedances(open_portal, evaluated):
    series = evaluated.series("XHH-02")
    worst = series.loc[series["grade"].idxmax()]
    detail = evaluated.month.detail(int(worst["column"]))
    assert detail.level >= 4, "the demo's tributary starts polluted"
    at = open_portal("water/water.py", lang="zh_CN")
    at.selectbox(key="water_river").set_value("小黄河").run()
    at.selectbox(key="water_section").set_value("XHH-02").run()
    at.selectbox(key="water_month").set_value(worst["period"].date()).run()
    assert not at.exception
    body = texts(at)
    month = worst["period"].date()
    assert f"**{month.year}年{month.month}月**" in body
    first = detail.main_pollutants[0]
    assert f"主要污染指标：{by_code()[first].zh}" in body
    if first in detail.multiples:
        assert (
            f"{by_code()[first].zh}超过Ⅲ类标准{public.multiple_text(detail.multiples[first])}倍"
            in body
        )

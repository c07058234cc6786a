"""The public water page: headline figures, map table, river profile, section panel, downloads."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from sqlalchemy import insert

from services.core.db import unit_of_work
from services.core.settings import get_settings
from services.water import public
from services.water.items import by_code
from services.water.model import water_sample
from services.water.sections import sections

SOURCES_KEPT = ("红枫湖", "百花湖", "阿哈水库")


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
        f"{shares['sections']} of 39 sections sampled in {month}; {shares['good']} of them at "
        "class III or better. Plan target: at least 95%."
    ) in body
    assert "GB 3838-2002" in body and "Newest sample" in body


def add_month(engine, day: date, codes: list[str]) -> None:
    """Copy each section's newest sample to `day` (a new, partly sampled month)."""
    with unit_of_work(engine) as session:
        rows = public.read_samples(session, section_codes=codes)
        newest = rows.sort_values("sampled_on").groupby("section_code").tail(1)
        records = newest.drop(columns=["id"]).assign(
            sampled_on=day, updated_at=datetime.now(UTC), source="import"
        )
        records = records.astype(object).where(records.notna(), None)
        session.execute(insert(water_sample), records.to_dict("records"))


def test_the_headline_says_how_many_sections_and_sources_were_sampled(open_portal, evaluated):
    at = open_portal("water/water.py", lang="en")
    month = public.city_share_frame(evaluated.month).iloc[-1]["period"].strftime("%Y-%m")
    body = texts(at)
    assert f"39 of 39 sections sampled in {month}" in body
    assert f"5 of 5 sources sampled in {month}" in body
    assert "Not sampled" not in body and "no sample in" not in body


def test_a_partly_sampled_newest_month_does_not_stand_for_the_city(open_portal, portal_db):
    # November 2026: 18 of 39 sections so far, 3 of them drinking-water sources
    rivers = [s.code for s in sections() if not s.drinking_source][:15]
    lakes = ["HFH-01", "BHH-01", "AHA-01"]
    add_month(portal_db, date(2026, 11, 3), rivers + lakes)
    at = open_portal("water/water.py", lang="en")
    assert not at.exception
    body = texts(at)
    assert "39 of 39 sections sampled in 2026-10" in body  # the headline stays on October
    assert "2026-11: only 18 of 39 sections sampled so far" in body
    assert "of 18 sections" not in body  # no share of the 18 stands for the city


def test_the_home_tile_uses_the_headline_month(portal_db):
    rivers = [s.code for s in sections() if not s.drinking_source][:15]
    add_month(portal_db, date(2026, 11, 3), rivers)
    with unit_of_work(portal_db) as session:
        shares = public.latest_month_shares(session)
    assert shares is not None
    assert (shares.period, shares.sections) == (date(2026, 10, 1), 39)  # not 2026-11's 15


def test_a_headline_month_with_sources_missing_names_them(open_portal, portal_db):
    # November 2026: every river section and 3 of the 5 sources (31 of 39: most sections)
    codes = [s.code for s in sections() if not s.drinking_source or s.water_zh in SOURCES_KEPT]
    add_month(portal_db, date(2026, 11, 3), codes)
    at = open_portal("water/water.py", lang="en")
    body = texts(at)
    n = len(codes)
    assert f"{n} of 39 sections sampled in 2026-11" in body
    assert "3 of 5 sources sampled in 2026-11" in body
    missing = [
        next(s for s in sections() if s.water_zh == w).water("en")
        for w in ("花溪水库", "松柏山水库")
    ]  # fmt: skip
    assert f"Not sampled: {', '.join(missing)}." in body
    assert f"{39 - n} of 39 sections have no sample in 2026-11." in body
    tile = next(m.value for m in at.markdown if m.value.startswith("###") and "/" in m.value)
    assert tile.endswith("/ 3")


def test_the_status_column_has_a_water_word_not_a_complaint_word(open_portal):
    zh = open_portal("water/water.py", lang="zh_CN")
    columns = list(zh.dataframe[0].value.columns)
    assert "办理状态" not in columns  # the complaints' "case status"
    en = open_portal("water/water.py", lang="en")
    columns = list(en.dataframe[0].value.columns)
    assert "Water status" in columns and "Status" not in columns


def test_a_river_has_a_verdict_for_the_year_beside_its_profile(open_portal, evaluated):
    statuses = public.water_year_statuses(
        evaluated.year, evaluated.month, "南明河", heavy_below=get_settings().water_heavy_below
    )
    (year, months, status), (whole, twelve, whole_status) = statuses[0], statuses[1]
    assert (year, months, whole, twelve) == (2026, 10, 2025, 12)
    at = open_portal("water/water.py", lang="en")
    at.selectbox(key="water_river").set_value("南明河").run()
    body = texts(at)
    word = public.statuses()[status.status].en
    assert f"**2026** (year to date, 10 of 12 months, annual means): {word}." in body
    word = public.statuses()[whole_status.status].en
    assert f"**2025** (whole year, annual means): {word}." in body


def test_the_profile_has_readable_cells_and_grows_with_the_sections(open_portal):
    at = open_portal("water/water.py", lang="en")
    at.selectbox(key="water_river").set_value("南明河").run()
    charts = [(json.loads(c.proto.spec), c.proto.datasets) for c in at.get("vega_lite_chart")]
    spec, datasets = next(
        (s, d) for s, d in charts if any(x.get("mark", {}).get("type") == "text"
                                        for x in s.get("layer", []))
    )  # fmt: skip
    assert spec["height"] >= 9 * 36  # 9 sections, 36 px a row
    assert spec["autosize"]["type"] == "fit-x"  # the month labels do not eat into the rows
    text = next(x for x in spec["layer"] if x["mark"]["type"] == "text")
    assert text["mark"]["fontSize"] >= 12
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] <= 120
    data = pa.ipc.open_stream(datasets[0].data.data).read_pandas()
    assert data["month"].nunique() <= 12  # about 20 px a month even on a 390 px phone


def test_a_year_with_too_few_months_gets_no_verdict(open_portal, evaluated):
    assert evaluated.months[2016] == 2 and evaluated.months[2025] == 12
    at = open_portal("water/water.py", lang="en")
    years = next(d.value for d in at.dataframe if "Plan targets met" in d.value.columns)
    verdict = dict(zip(years["Year"], years["Plan targets met"], strict=True))
    assert verdict["2016"] == "Incomplete: 2 of 12 months"  # was "No"
    assert verdict["2026"] == "Incomplete: 10 of 12 months"
    assert verdict["2025"] in {"Yes", "No"}
    drinking = next(
        d.value for d in at.dataframe if "Compliant" in d.value.columns
        and d.value["Period"].str.len().eq(4).all()
    )  # fmt: skip
    rows = drinking[drinking["Period"] == "2016"]
    assert len(rows) and set(rows["Compliant"]) == {"Incomplete: 2 of 12 months"}


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

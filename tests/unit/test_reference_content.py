"""Geography, plan targets and long-form pages read from content/."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from services.core import content, geography, plan


def test_the_ten_county_level_units_and_guian_core_area():
    units = geography.districts()
    names = {d.name_zh for d in units}
    assert names == {
        "云岩区",
        "南明区",
        "花溪区",
        "白云区",
        "观山湖区",
        "乌当区",
        "息烽县",
        "开阳县",
        "修文县",
        "清镇市",
        "贵安新区",
    }
    codes = {d.key for d in units if d.has_boundary}
    assert codes == {
        "520102",
        "520103",
        "520111",
        "520112",
        "520113",
        "520115",
        "520121",
        "520122",
        "520123",
        "520181",
    }
    assert geography.district_by_key(geography.GUIAN_KEY).has_boundary is False


def test_boundaries_cover_exactly_the_coded_units():
    features = geography.district_boundaries()["features"]
    assert {f["properties"]["code"] for f in features} == {
        d.key for d in geography.districts() if d.has_boundary
    }


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_each_national_air_station_lies_in_its_district():
    by_name = {
        f["properties"]["name_zh"]: f["geometry"]
        for f in geography.district_boundaries()["features"]
    }
    stations = geography.air_stations()
    assert len(stations) == 10
    assert sum(s.is_background for s in stations) == 1
    for station in stations:
        geometry = by_name[station.district_zh]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert any(_inside(station.lon, station.lat, poly[0]) for poly in polygons), station.code


def test_plan_table_2_1_has_22_indicators_with_their_targets():
    items = {i.number: i for i in plan.indicators()}
    assert sorted(items) == list(range(1, 23))
    assert (items[1].baseline_2020, items[1].target_2025, items[1].binding) == ("98.9", "≥95", True)
    assert (items[22].baseline_2020, items[22].binding) == ("92.59", False)
    assert items[3].higher_is_better is False
    assert [i.number for i in plan.highlights()] == [1, 2, 3, 22]


def test_plan_targets_have_english_text():
    for item in plan.indicators():
        assert item.name_en and item.target("en")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in item.target("en")), item.number


@pytest.mark.parametrize("name", content.PAGE_NAMES)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_long_form_page_exists_in_both_languages(name, lang):
    text = content.markdown_page(name, lang)
    has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert text.startswith("### ")
    assert has_chinese == (lang == "zh_CN")


def test_unknown_content_page_is_refused():
    with pytest.raises(KeyError):
        content.markdown_page("../settings", "en")


def test_map_outlines_are_light_and_still_hold_every_station():
    import json

    outlines = geography.district_outlines()
    assert len(json.dumps(list(outlines))) < 30_000
    by_name = {f["properties"]["name_zh"]: f["geometry"] for f in outlines}
    assert len(by_name) == 10
    for station in geography.air_stations():
        geometry = by_name[station.district_zh]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert any(_inside(station.lon, station.lat, poly[0]) for poly in polygons), station.code


def test_plan_goals_are_typed_where_table_2_1_gives_a_number():
    goals = {i.number: i.goal for i in plan.indicators()}
    assert goals[1] == plan.Goal(plan.Comparison.AT_LEAST, Decimal("95"), "%")
    assert goals[2] == plan.Goal(plan.Comparison.AT_LEAST, Decimal("95"), "%")
    assert goals[3] == plan.Goal(plan.Comparison.AT_MOST, Decimal("0"), "%")
    assert goals[22] == plan.Goal(plan.Comparison.MORE_THAN, Decimal("90"), "%")  # 稳定在90%以上
    assert goals[4] is None  # "达到省下达的目标要求": words, not a number


def test_a_plan_goal_is_met_exactly_at_its_boundary():
    at_least_95 = plan.goal(plan.WATER_CLASS_I_III)
    assert at_least_95.share_met(Fraction(19, 20)) and not at_least_95.share_met(Fraction(94, 100))
    none_worse = plan.goal(plan.WATER_WORSE_THAN_V)
    assert none_worse.share_met(Fraction(0)) and not none_worse.share_met(Fraction(1, 39))
    above_90 = plan.goal(22)
    assert not above_90.met(90) and above_90.met(Decimal("90.1"))

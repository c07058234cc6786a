"""Every chart comes with its figures as a table: on every public page navigation registers (a new
capability's pages join by themselves), each chart is followed, before the next chart, by a
dataframe or table, directly or in an expander (`portal.kit.charts.show` draws both). A chart
that is an input (a click-to-pin map) is a widget with its own fields, not a figure."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portal import navigation
from portal.kit import charts

CHART_TYPES = {"vega_lite_chart", "arrow_vega_lite_chart", "deck_gl_json_chart", "map"}
TABLE_TYPES = {"dataframe", "arrow_data_frame", "table", "arrow_table"}


def _type(node: object) -> str:
    return str(getattr(node, "type", type(node).__name__))


def _children(node: object) -> list[object]:
    kids = getattr(node, "children", None)
    return [kids[k] for k in sorted(kids)] if isinstance(kids, dict) else []


def _has_table(node: object) -> bool:
    return _type(node) in TABLE_TYPES or any(_has_table(kid) for kid in _children(node))


def _is_input(node: object) -> bool:
    proto = getattr(node, "proto", None)
    return bool(proto is not None and list(getattr(proto, "selection_mode", [])))


def charts_without_table(root: object, where: str = "") -> list[str]:
    """Paths of the charts with no table after them (before the next chart) in their block."""
    missing: list[str] = []
    kids = _children(root)
    for index, kid in enumerate(kids):
        path = f"{where}/{_type(kid)}[{index}]"
        if _type(kid) in CHART_TYPES and not _is_input(kid):
            after = []
            for later in kids[index + 1 :]:
                if _type(later) in CHART_TYPES:
                    break
                after.append(later)
            if not any(_has_table(later) for later in after):
                missing.append(path)
        missing += charts_without_table(kid, path)
    return missing


def _count(root: object, types: set[str]) -> int:
    return (_type(root) in types) + sum(_count(kid, types) for kid in _children(root))


@pytest.mark.parametrize(
    "decl", navigation.visible_pages(None), ids=lambda decl: decl.url_path or "home"
)
def test_every_chart_on_a_public_page_has_a_table(open_portal, decl) -> None:
    at = open_portal(None if decl.default else decl.file, lang="en")
    assert not at.exception, at.exception
    assert charts_without_table(at._tree) == []


def test_the_air_and_water_pages_do_draw_charts(open_portal) -> None:
    """The check above looks at real charts: the pages with the most of them have them."""
    for file in ("air/air.py", "water/water.py"):
        at = open_portal(file, lang="en")
        assert _count(at._tree, CHART_TYPES) >= 3, file


def _chart_page(with_table: bool) -> None:
    import altair as alt
    import pandas as pd
    import streamlit as st

    from portal.kit import charts

    frame = pd.DataFrame({"x": [1, 2, 3], "y": [2.0, 4.0, 8.0]})
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(x="x:Q", y=alt.Y("y:Q", title="Y"), tooltip=["x:Q", "y:Q"])
    )
    if with_table:
        charts.show(chart)
    else:
        st.altair_chart(chart)
        st.markdown("a caption is not a table")


@pytest.mark.parametrize("with_table", [False, True])
def test_the_check_finds_a_bare_chart(with_table: bool) -> None:
    at = AppTest.from_function(_chart_page, kwargs={"with_table": with_table}).run()
    assert not at.exception, at.exception
    assert bool(charts_without_table(at._tree)) is not with_table


def test_the_table_holds_the_charts_figures_under_their_titles() -> None:
    series = pd.DataFrame(
        {"time": pd.to_datetime(["2026-01-01", "2026-01-02"]), "value": [3.0, 5.5]}
    )
    chart = charts.trend_chart(series, value_title="PM2.5 (µg/m³)", limit=4.0, limit_title="L")
    table = charts.chart_table(chart)
    assert list(table.columns)[1] == "PM2.5 (µg/m³)"
    assert table.iloc[:, 1].tolist() == [3.0, 5.5]
    assert len(table) == 2

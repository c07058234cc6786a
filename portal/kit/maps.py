"""Offline orientation maps: the official district outlines (content/geo), no base-map tiles."""

from __future__ import annotations

import altair as alt
import pandas as pd

from portal.kit.i18n import _
from services.core import geography


def outlines(
    *, district: str | None = None, lang: str | None = None, stroke: str = "#8fa9a0",
    width: float = 0.8,
) -> alt.Chart:  # fmt: skip
    """The districts (or one of them) as shapes; with `lang`, a tooltip names each district."""
    features = [
        f for f in geography.district_outlines() if district in (None, f["properties"]["code"])
    ]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape(
        fill="#eef4f1", stroke=stroke, strokeWidth=width
    )
    if lang is None:
        return chart
    name = "properties.name_en" if lang == "en" else "properties.name_zh"
    return chart.encode(tooltip=[alt.Tooltip(f"{name}:N", title=_("District"))])


def map_chart(*layers: alt.Chart, height: int) -> alt.LayerChart:
    """Layers over the outlines, in the Mercator projection, without a frame."""
    return (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(height=height)
        .configure_view(stroke=None)
    )


def coloured_points(
    points: pd.DataFrame, *, size: int, tooltip: list[tuple[str, str]]
) -> alt.Chart:
    """One dot per row at its lon/lat, filled with the row's `colour` (a category's colour, always
    named beside it in the tooltip and a table); `tooltip`: (column, title) pairs."""
    return (
        alt.Chart(points)
        .mark_circle(size=size, stroke="#1f2d2a", strokeWidth=1, opacity=0.95)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color("colour:N", scale=None),
            tooltip=[alt.Tooltip(f"{column}:N", title=title) for column, title in tooltip],
        )
    )

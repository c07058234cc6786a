"""Charts every capability draws the same way."""

from __future__ import annotations

import altair as alt
import pandas as pd

from portal.kit.i18n import _


def trend_chart(
    series: pd.DataFrame,
    *,
    value_title: str,
    limit: float | None,
    limit_title: str,
    time_format: str = "%Y-%m-%d",
):
    """`series` columns: time, value. The standard's limit, when given, as a dashed rule."""
    line = (
        alt.Chart(series)
        .mark_line(point=len(series) <= 60, color="#1a5d8f")
        .encode(
            x=alt.X("time:T", title=None, axis=alt.Axis(format=time_format)),
            y=alt.Y("value:Q", title=value_title),
            tooltip=[alt.Tooltip("time:T", title=_("Time")), alt.Tooltip("value:Q", format=".1f")],
        )
    )
    if limit is None:
        return line.properties(height=280)
    rule = (
        alt.Chart(pd.DataFrame({"limit": [limit], "label": [limit_title]}))
        .mark_rule(color="#b5651d", strokeDash=[6, 4])
        .encode(y="limit:Q", tooltip=["label:N", "limit:Q"])
    )
    return alt.layer(line, rule).properties(height=280)

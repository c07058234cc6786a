"""Charts every capability draws the same way, each with its figures as a table, and the text
colour that stays readable on a category's colour."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from portal.kit.i18n import _

# The theme's text colour (.streamlit/config.toml) and white: text on a coloured background takes
# whichever contrasts more, and every category colour reaches 4.5:1 with one of them
# (tests/app/test_colour_contrast.py).
DARK_TEXT = "#0b1512"
LIGHT_TEXT = "#ffffff"
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """The text colour (dark or white) that contrasts more with `background`."""
    dark, light = contrast_ratio(DARK_TEXT, background), contrast_ratio(LIGHT_TEXT, background)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def show(chart: alt.TopLevelMixin, *, table: pd.DataFrame | None = None, where=None) -> None:
    """Draw `chart` and, in an expander under it, its figures as a table (`table`, or the rows of
    the chart's data layer with the columns its tooltip names), so that nothing is in the
    picture alone. `where`: a column or container (default: the page)."""
    where = st if where is None else where
    where.altair_chart(chart, width="stretch")
    frame = chart_table(chart) if table is None else table
    with where.expander(_("Data table"), icon=":material/table:"):
        st.dataframe(frame, hide_index=True, width="stretch")


def chart_table(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The rows of the first layer holding a data frame and a tooltip, one column per tooltip
    field under its title (or the axis title); month fields as YYYY-MM."""
    for layer in _layers(chart):
        data = layer.data
        tooltip = _encoding(layer, "tooltip")
        if not isinstance(data, pd.DataFrame) or not isinstance(tooltip, list):
            continue
        columns: dict[str, pd.Series] = {}
        for tip in tooltip:
            spec = alt.utils.parse_shorthand(tip) if isinstance(tip, str) else tip.to_dict()
            field = spec.get("field")
            if not field or field not in data.columns:
                continue
            title = spec.get("title") or _axis_title(layer, field) or field
            values = data[field]
            if "month" in str(spec.get("timeUnit", "")):
                values = pd.to_datetime(values).dt.strftime("%Y-%m")
            columns.setdefault(str(title), values.reset_index(drop=True))
        if columns:
            return pd.DataFrame(columns)
    return pd.DataFrame()


def _layers(chart: alt.TopLevelMixin) -> list[alt.Chart]:
    layers = getattr(chart, "layer", None)
    if isinstance(layers, list):
        return [inner for layer in layers for inner in _layers(layer)]
    return [chart]


def _encoding(layer: alt.Chart, channel: str) -> object:
    encoding = getattr(layer, "encoding", alt.Undefined)
    return alt.Undefined if encoding is alt.Undefined else getattr(encoding, channel, alt.Undefined)


def _axis_title(layer: alt.Chart, field: str) -> str | None:
    for channel in ("y", "x"):
        encoded = _encoding(layer, channel)
        if encoded is alt.Undefined or isinstance(encoded, str):
            continue
        spec = encoded.to_dict()
        if spec.get("field") == field and isinstance(spec.get("title"), str):
            return spec["title"]
    return None


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

"""Air-quality pieces of the screen: AQI badge, offline station map, trend, calendar, good days.

Colours always come with the category word beside them, so nothing depends on colour alone.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from portal.kit import charts, i18n, maps
from portal.kit.i18n import _
from services.air import public
from services.air.now import AirNow
from services.air.standards import categories
from services.core import geography
from services.core.messages import N_

NO_DATA_COLOUR = "#c7cfcc"


def level_colours(standard: str) -> tuple[list[int], list[str]]:
    cats = categories(standard)  # type: ignore[arg-type]
    return [c.level for c in cats], [c.colour for c in cats]


def aqi_badge(aqi: int | None, *, level: int, colour: str, word: str) -> None:
    value = "NA" if aqi is None else str(aqi)
    background = NO_DATA_COLOUR if aqi is None else colour
    text = charts.text_on(background)
    st.html(
        f'<div class="aqi-badge" style="display:flex;gap:1rem;align-items:center;'
        f'background:{background};color:{text};border-radius:0.75rem;padding:0.8rem 1.2rem;">'
        f'<span style="font-size:2.6rem;font-weight:700;line-height:1">{html.escape(value)}</span>'
        f'<span style="font-size:1.3rem;font-weight:600">{html.escape(word)}</span></div>'
    )


def station_map(points: pd.DataFrame, *, lang: str) -> alt.LayerChart:
    """District outlines from content/geo (no base-map tiles) and stations coloured by AQI.

    `points` columns: name, lat, lon, aqi_text, category, colour.
    """
    stations = maps.coloured_points(
        points,
        size=260,
        tooltip=[("name", _("Station")), ("aqi_text", "AQI"), ("category", _("Category"))],
    )
    return maps.map_chart(maps.outlines(lang=lang), stations, height=460)


def calendar_heatmap(days: pd.DataFrame, *, weekdays: list[str]):
    """`days` columns: day, week, weekday, aqi_text, category, colour (one row per day)."""
    return (
        alt.Chart(days)
        .mark_rect(stroke="#ffffff", strokeWidth=1.5)
        .encode(
            x=alt.X("week:O", title=None, axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y("weekday:O", title=None, sort=weekdays),
            color=alt.Color("colour:N", scale=None),
            tooltip=[
                alt.Tooltip("day:T", title=_("Date")),
                alt.Tooltip("aqi_text:N", title="AQI"),
                alt.Tooltip("category:N", title=_("Category")),
            ],
        )
        .properties(height=190)
    )


def good_day_bars(months: pd.DataFrame, *, target: float, break_label: str):
    """`months` columns: month (date), percent, label, standard, break_in_series."""
    bars = (
        alt.Chart(months)
        .mark_bar(color="#1d6b52")
        .encode(
            x=alt.X("month:T", title=None, timeUnit="yearmonth", axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("percent:Q", title=_("Good days (%)"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("month:T", timeUnit="yearmonth", title=_("Month")),
                alt.Tooltip("label:N", title=_("Good days")),
                alt.Tooltip("standard:N", title=_("Standard")),
            ],
        )
    )
    target_rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color="#b5651d", strokeDash=[6, 4])
        .encode(y="target:Q")
    )
    layers = [bars, target_rule]
    breaks = months[months["break_in_series"]]
    if not breaks.empty:
        marker = (
            alt.Chart(breaks.assign(note=break_label))
            .mark_rule(color="#6b4c9a", strokeWidth=2)
            .encode(x=alt.X("month:T", timeUnit="yearmonth"), tooltip=["note:N"])
        )
        layers.append(marker)
    return alt.layer(*layers).properties(height=280)


def legend(standard: str, *, lang: str) -> None:
    """The six categories as words on their colours, with the AQI range of each."""
    cells = []
    for cat in categories(standard):  # type: ignore[arg-type]
        span = f"{cat.aqi_min}–{cat.aqi_max}" if cat.aqi_max is not None else f"> {cat.aqi_min - 1}"
        text = charts.text_on(cat.colour)
        cells.append(
            f'<span style="background:{cat.colour};color:{text};padding:0.2rem 0.5rem;'
            f'border-radius:0.3rem;white-space:nowrap">{html.escape(cat.name(lang))} {span}</span>'
        )
    st.html('<div style="display:flex;flex-wrap:wrap;gap:0.4rem">' + "".join(cells) + "</div>")


# --- panels -------------------------------------------------------------------------------

STANDARD_LABELS = {"HJ633-2012": "HJ 633-2012", "HJ633-2026": "HJ 633-2026"}
PHASE_LABELS = {
    "GB3095-2012": N_("GB 3095-2012"),
    "GB3095-2026-transition": N_("GB 3095-2026 (transition limits)"),
    "GB3095-2026-final": N_("GB 3095-2026 (final limits)"),
}
STATISTIC_LABELS = {
    "SO2 annual mean": N_("SO2 annual mean"),
    "SO2 P98": N_("SO2 daily mean, 98th percentile"),
    "NO2 annual mean": N_("NO2 annual mean"),
    "NO2 P98": N_("NO2 daily mean, 98th percentile"),
    "PM10 annual mean": N_("PM10 annual mean"),
    "PM10 P95": N_("PM10 daily mean, 95th percentile"),
    "PM2.5 annual mean": N_("PM2.5 annual mean"),
    "PM2.5 P95": N_("PM2.5 daily mean, 95th percentile"),
    "CO P95": N_("CO daily mean, 95th percentile"),
    "O3 8h P90": N_("O3 daily maximum 8-hour mean, 90th percentile"),
}


def now_card(reading: AirNow, *, place_name: str, lang: str) -> None:
    result = reading.result
    badge, details = st.columns([1, 2], vertical_alignment="center")
    with badge:
        aqi_badge(
            result.aqi,
            level=result.level,
            colour=result.category.colour,
            word=_("Not available") if result.aqi is None else result.category.name(lang),
        )
    with details:
        st.markdown("**" + place_name + "**")
        if result.aqi is None:
            st.markdown(
                _(
                    "Some pollutants were not measured this hour and the others stay at or "
                    "below 100, so no AQI is published (NA). The sub-indices that could be "
                    "computed are listed below."
                )
            )
        else:
            primary = public.pollutant_names(result.primary_pollutants)
            st.markdown(
                _("Primary pollutant: {names}").format(names=", ".join(primary))
                if primary
                else _("No primary pollutant (AQI 50 or below).")
            )
            st.markdown(_("Health effect: {text}").format(text=result.category.health(lang)))
            st.markdown(_("Advice: {text}").format(text=result.category.advice(lang)))
        if result.beyond_scale:
            st.warning(
                _(
                    "A concentration is beyond the top of the AQI scale; "
                    "its sub-index is shown as 500."
                )
            )
    sub_indices = ", ".join(
        f"{public.pollutant_names((k,))[0]} {v}" for k, v in result.iaqi.items()
    )
    st.caption(
        _(
            "Real-time report under {standard}, hour ending {time} (Beijing time). "
            "Sub-indices: {sub_indices}."
        ).format(
            standard=STANDARD_LABELS[reading.standard],
            time=i18n.fmt_datetime(reading.observed_at),
            sub_indices=sub_indices or "—",
        )
    )


def map_points(readings: dict[str, AirNow], *, lang: str) -> pd.DataFrame:
    rows = []
    for station in geography.air_stations():
        reading = readings.get(station.code)
        result = reading.result if reading else None
        published = result is not None and result.aqi is not None
        rows.append(
            {
                "name": station.name(lang),
                "lat": station.lat,
                "lon": station.lon,
                "aqi_text": str(result.aqi) if published else "NA",
                "category": result.category.name(lang) if published else _("Not available"),
                "colour": result.category.colour if published else NO_DATA_COLOUR,
            }
        )
    return pd.DataFrame(rows)


def calendar_frame(days: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    def describe(row: pd.Series) -> tuple[str, str, str]:
        if pd.isna(row["aqi"]):
            return "NA", _("Not available"), NO_DATA_COLOUR
        cat = categories(row["standard"])[int(row["level"]) - 1]
        return str(int(row["aqi"])), cat.name(lang), cat.colour

    described = days.apply(describe, axis=1, result_type="expand")
    described.columns = ["aqi_text", "category", "colour"]
    weekday_names = weekday_labels(lang)
    return days.assign(**described, weekday=days["weekday"].map(lambda d: weekday_names[d]))


def weekday_labels(lang: str) -> list[str]:
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=i18n.babel_locale(lang))
    return [names[i] for i in range(7)]


def evaluation_frame(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Period"): [
                f"{s} – {e}"
                for s, e in zip(table["period_start"], table["period_end"], strict=True)
            ],
            _("Statistic"): [_(STATISTIC_LABELS.get(s, s)) for s in table["statistic"]],
            _("Value"): table["value"].round(1),
            _("Limit"): table["limit"].astype(float),
            _("Meets the limit"): [
                "—" if pd.isna(c) else (_("Yes") if c else _("No")) for c in table["compliant"]
            ],
            _("Exceedance multiple"): table["exceedance_multiple"].astype(float).round(2),
            _("Valid days"): table["days"],
            _("Complete"): [_("Yes") if c else _("No") for c in table["complete"]],
            _("Limits"): [_(PHASE_LABELS.get(p, p)) for p in table["standard"]],
        }
    )


def good_day_months(months: pd.DataFrame) -> pd.DataFrame:
    if months.empty:
        return pd.DataFrame(columns=["month", "percent", "label", "standard", "break_in_series"])
    return months.assign(
        month=pd.to_datetime(months["month"] + "-01"),
        percent=months["ratio_percent"].astype(float),
        label=[f"{g}/{v}" for g, v in zip(months["good_days"], months["valid_days"], strict=True)],
        standard=months["standard"].map(STANDARD_LABELS),
    )


def station_table(points: pd.DataFrame) -> pd.DataFrame:
    """The map's stations as text: readable without colour and without hovering."""
    return pd.DataFrame(
        {
            _("Station"): points["name"],
            "AQI": points["aqi_text"],
            _("Category"): points["category"],
        }
    )


def ranking_frame(ranking: list[public.DistrictScore], *, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Rank"): range(1, len(ranking) + 1),
            _("Area"): [score.place.name(lang) for score in ranking],
            _("Composite index"): [f"{score.index:.2f}" for score in ranking],
            _("Period"): [f"{s.period_start} – {s.period_end}" for s in ranking],
            _("Limits"): [_(PHASE_LABELS.get(s.phase, s.phase)) for s in ranking],
        }
    )

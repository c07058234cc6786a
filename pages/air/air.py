"""Air quality: the AQI now, a station map, trends, the year's calendar and its evaluation."""

import streamlit as st

from portal.air import data as air_data
from portal.air import ui as air_ui
from portal.kit import charts, downloads, i18n, ui
from portal.kit.i18n import _
from services.air import public
from services.air.public import GOOD_DAYS_GOAL

lang = i18n.current_lang()
version = air_data.data_version()
ui.page_header(
    _("Air quality"),
    _("Hourly readings from the ten national monitoring stations, and how the year is going."),
)
if version is None:
    st.info(_("No station measurements have been loaded."))
    st.stop()

places = {p.code: p for p in public.places()}
place = st.selectbox(
    _("City or station"), list(places), format_func=lambda c: places[c].name(lang), key="air_place"
)
readings = air_data.now(version)
if place in readings:
    air_ui.now_card(readings[place], place_name=places[place].name(lang), lang=lang)
else:
    st.info(_("This station did not report in the latest hour."))
air_ui.legend(readings[next(iter(readings))].standard, lang=lang)

map_tab, trend_tab, year_tab, evaluation_tab = st.tabs(
    [_("Station map"), _("Trends"), _("Calendar and good days"), _("Annual evaluation")]
)

with map_tab:
    points = air_ui.map_points(readings, lang=lang)
    st.altair_chart(air_ui.station_map(points, lang=lang))
    st.dataframe(air_ui.station_table(points), hide_index=True, width="stretch")
    st.caption(_("District outlines for orientation only; they are not legal boundaries."))

with trend_tab:
    window_col, pollutant_col = st.columns(2)
    window = window_col.segmented_control(
        _("Period"),
        list(public.TREND_WINDOWS),
        default="24h",
        required=True,
        format_func=lambda w: _(public.TREND_WINDOWS[w]),
        key="air_window",
    )
    pollutant = public.POLLUTANT_BY_KEY[
        pollutant_col.selectbox(
            _("Pollutant"),
            list(public.POLLUTANT_BY_KEY),
            format_func=lambda k: public.POLLUTANT_BY_KEY[k].name,
            key="air_pollutant",
        )
    ]
    if window == "24h":
        series = air_data.hourly(place, version).rename(columns={pollutant.column: "value"})
        averaging = pollutant.hourly_limit
    else:
        days = air_data.recent_days(place, 30 if window == "30d" else 365, version)
        series = days.rename(columns={"day": "time", pollutant.daily_column: "value"})
        averaging = pollutant.daily_limit
    limit = public.limit(pollutant, averaging=averaging, on=series["time"].max().date())
    charts.show(
        charts.trend_chart(
            series[["time", "value"]],
            value_title=f"{pollutant.name} ({pollutant.unit})",
            limit=limit,
            limit_title=_("GB 3095 class II limit"),
            time_format="%H:%M" if window == "24h" else "%Y-%m-%d",
        )
    )
    st.caption(
        _(
            "Dashed line: GB 3095 class II limit in force at the end of the period ({value})."
        ).format(value=f"{i18n.fmt_number(limit)} {pollutant.unit}")
        if limit is not None
        else _("GB 3095 sets no one-hour limit for this pollutant; see the daily view.")
    )

with year_tab:
    years = air_data.years(version)
    year = st.selectbox(_("Year"), years, key="air_year")
    days = air_data.year_days(place, year, version)
    charts.show(
        air_ui.calendar_heatmap(
            air_ui.calendar_frame(days, lang=lang), weekdays=air_ui.weekday_labels(lang)
        )
    )
    for summary in public.good_days_by_standard(days):
        st.markdown(
            _(
                "Good days (AQI ≤ 100) from {start} to {end} under {standard}: **{percent}** "
                "({good} of {valid} days with a valid AQI). Plan target: {target}."
            ).format(
                target=ui.goal_text(GOOD_DAYS_GOAL),
                start=i18n.fmt_date(summary.first_day),
                end=i18n.fmt_date(summary.last_day),
                standard=air_ui.STANDARD_LABELS[summary.standard],
                percent=i18n.fmt_percent(float(summary.ratio.ratio or 0)),
                good=summary.ratio.good_days,
                valid=summary.ratio.valid_days,
            )
        )
    months = air_ui.good_day_months(public.monthly_good_days(days))
    charts.show(
        air_ui.good_day_bars(
            months,
            target=float(GOOD_DAYS_GOAL.value),
            break_label=_("New standard from this month"),
        )
    )
    st.caption(_("Daily AQI from 24-hour means; a series is never mixed across standards."))
    downloads.table_downloads(
        public.export_frame(days, place=place), file_stem=f"air-daily-{place}-{year}", key="air"
    )

with evaluation_tab:
    table = air_data.annual_table(place, year, version)
    if table.empty:
        st.info(_("No daily values for this year."))
    else:
        st.dataframe(air_ui.evaluation_frame(table), hide_index=True, width="stretch")
        st.caption(_("HJ 663 annual evaluation against the GB 3095 class II limits in force."))
    ranking = air_data.district_ranking(year, version)
    if ranking:
        st.subheader(_("Districts by composite index"))
        st.dataframe(air_ui.ranking_frame(ranking, lang=lang), hide_index=True, width="stretch")
        st.caption(
            _(
                "Composite index: the sum of each pollutant's statistic over its class II limit "
                "(HJ 663); lower is cleaner. Only districts with a national station are ranked."
            )
        )

"""Water quality: section classes on a map, rivers upstream to downstream, each section's
trends and monthly classes, the city against the plan targets, and drinking-water sources."""

import streamlit as st

from portal.kit import charts, i18n, ui
from portal.kit.i18n import _
from portal.water import data as water_data
from portal.water import ui as water_ui
from services.water.sections import waters

lang = i18n.current_lang()
version = water_data.data_version()
ui.page_header(
    _("Water quality"),
    _(
        "Monthly classes of the river sections and lake verticals under GB 3838-2002, how each "
        "river changes from upstream to downstream, and the drinking-water sources."
    ),
)
if version[1] == 0:
    st.info(_("No water samples have been loaded."))
    st.stop()

result = water_data.evaluated(version)
monthly_shares = water_data.shares("month", version)
drinking = water_data.drinking("month", version)
st.caption(water_ui.provenance(result))
headline = water_data.headline(version)
if headline is not None:
    water_ui.summary(headline, last_day=result.last_day, lang=lang)

map_tab, river_tab, city_tab, drinking_tab = st.tabs(
    [_("Section map"), _("Rivers and sections"), _("City and plan targets"),
     _("Drinking-water sources")]
)  # fmt: skip

with map_tab:
    points = water_ui.map_points(result, lang=lang)
    water_ui.legend(lang=lang)
    st.altair_chart(water_ui.section_map(points, lang=lang))
    st.caption(
        _(
            "Each section's newest month. Status colours follow common practice; the colour "
            "table of the assessment method is not verified, so every class is also written out. "
            "Positions are approximate; district outlines for orientation only."
        )
    )
    st.markdown("**" + _("Newest class of each section") + "**")
    st.dataframe(water_ui.section_table(points), hide_index=True, width="stretch")

with river_tab:
    groups = waters()
    water = st.selectbox(
        _("River or lake"), list(groups), format_func=lambda w: water_ui.water_name(w, lang),
        key="water_river",
    )  # fmt: skip
    year_statuses = water_data.water_year_statuses(water, version)
    for line in water_ui.river_year_lines(year_statuses, lang=lang):
        st.markdown(line)
    water_ui.river_status_line(water_data.water_statuses(water, version), lang=lang)
    charts.show(
        water_ui.profile_chart(result.profile(water, months=water_ui.PROFILE_MONTHS), lang=lang)
    )
    st.caption(_("Each section's class in the newest {n} months.").format(
        n=water_ui.PROFILE_MONTHS
    ))  # fmt: skip
    st.caption(
        _(
            "Upstream at the top. A river's status word needs 5 or more sections for the shares "
            "rule; the share of class I-III below which a river is heavily polluted is not "
            "verified (set to {threshold} %)."
        ).format(threshold=water_data.heavy_below())
    )

    members = {s.code: s for s in groups[water]}
    code = st.selectbox(
        _("Section"), list(members), format_func=lambda c: members[c].name(lang),
        key="water_section",
    )  # fmt: skip
    section = members[code]
    series = result.series(code)
    if series.empty:
        st.info(_("No samples for this section yet."))
    else:
        months = {row.period.date(): int(row.column) for row in series.iloc[::-1].itertuples()}
        month = st.selectbox(
            _("Month"), list(months), format_func=lambda d: water_ui.month_text(d, lang),
            key="water_month",
        )  # fmt: skip
        water_ui.section_facts(result.month.detail(months[month]), month, lang=lang)
        item = st.selectbox(
            _("Item"), water_ui.KEY_ITEMS, format_func=lambda c: water_ui.item_name(c, lang),
            key="water_item",
        )  # fmt: skip
        chart, limit = water_ui.trend_chart(series, item, section)
        charts.show(chart)
        st.caption(water_ui.limit_caption(item, limit))
        st.markdown("**" + _("Monthly class") + "**")
        table = water_ui.class_table(series, lang=lang)
        st.dataframe(table, width="stretch", height=ui.table_height(len(table.data.index)))
        water_ui.downloads(water_data.section_export(code, version), code=code)
        st.caption(
            _("Monthly means and classes of this section. All samples: [{url}]({url})").format(
                url=f"/api/v1/water/samples?section={code}"
            )
        )

with city_tab:
    charts.show(water_ui.shares_chart(monthly_shares))
    st.caption(water_ui.shares_caption(monthly_shares, last_day=result.last_day, lang=lang))
    st.markdown("**" + _("By year (classes from annual means)") + "**")
    years = water_ui.yearly_shares(water_data.shares("year", version), months=result.months)
    st.dataframe(years, hide_index=True, width="stretch", height=ui.table_height(len(years)))
    st.caption(
        _(
            "A year is judged against the plan targets only when all 12 months were sampled; a "
            "year with fewer months (the first year of the records, the current year) is marked "
            "incomplete and gets no verdict."
        )
    )

with drinking_tab:
    newest = [s for s in drinking if s.period == drinking[0].period] if drinking else []
    if not newest:
        st.info(_("No samples from drinking-water sources yet."))
    else:
        st.markdown("**" + water_ui.month_text(newest[0].period, lang) + "**")
        st.dataframe(water_ui.drinking_table(newest, lang=lang), hide_index=True, width="stretch")
        yearly = water_data.drinking("year", version)
        st.markdown("**" + _("By year (annual means)") + "**")
        st.dataframe(water_ui.drinking_table(yearly, lang=lang, yearly=True, months=result.months),
                     hide_index=True, width="stretch")  # fmt: skip
    st.caption(
        _(
            "A source complies when the mean over its verticals meets class III for the Table 1 "
            "items (lake limits for total phosphorus) and the Table 2 limits for sulfate, "
            "chloride, nitrate, iron and manganese. Sources are counted, not weighted by volume."
        )
    )

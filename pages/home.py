"""Home: the city's environment at a glance, with where every figure comes from."""

import streamlit as st

from portal import i18n, navigation, ui
from portal.i18n import _
from portal.overview import home_overview
from services.plan import PLAN_SOURCE_EN, PLAN_SOURCE_ZH

lang = i18n.current_lang()
view = home_overview()

ui.page_header(
    _("Guiyang Eco-Environment Public Portal"),
    _(
        "Air and water quality, contaminated sites, open days at treatment plants, complaints "
        "and their follow-up, and how the city is doing against its five-year plan."
    ),
)

air, water, cases, open_days = st.columns(4)
with air:
    city = view.city_now
    if city is None or city.result.aqi is None:
        reason = (
            _("No station measurements have been loaded.")
            if view.air_latest is None
            else _("No AQI can be published for the latest hour.")
        )
        ui.no_data_tile(_("Air quality now"), reason=reason)
    else:
        ui.tile(
            _("Air quality now"),
            f"AQI {city.result.aqi} · {city.result.category.name(lang)}",
            caption=_(
                "City mean of {reporting} stations, hour ending {time} (Beijing time), {standard}."
            ).format(
                reporting=i18n.fmt_number(city.stations_reporting),
                time=i18n.fmt_datetime(city.observed_at),
                standard=city.standard.replace("HJ633", "HJ 633"),
            ),
        )
        st.page_link(navigation.page(navigation.spec_for("air.py")), label=_("Air quality details"))
with water:
    shares = view.water_latest
    if shares is None:
        ui.no_data_tile(_("Surface water"), reason=_("No section results have been published yet."))
    else:
        ui.tile(
            _("Surface water"),
            _("{percent} at class III or better").format(
                percent=i18n.fmt_percent(float(shares.good_share))
            ),
            caption=_(
                "{good} of {n} sections in {month} (monthly means), GB 3838-2002. "
                "Plan target: at least 95%."
            ).format(good=shares.good, n=shares.sections, month=shares.period.strftime("%Y-%m")),
        )
        st.page_link(
            navigation.page(navigation.spec_for("water.py")), label=_("Water quality details")
        )
with cases:
    ui.no_data_tile(
        _("Complaints and on-time rate"), reason=_("No complaint cases have been filed yet.")
    )
with open_days:
    ui.no_data_tile(_("Upcoming open days"), reason=_("No open days have been scheduled yet."))

with st.container(border=True):
    st.markdown("#### " + _("Have your say"))
    st.markdown(
        _(
            "The bureau asks residents every year how satisfied they are with the city's "
            "ecological and environmental work. The survey opens here when it is published."
        )
    )

st.subheader(_("Five-year plan targets"))
st.dataframe(
    [
        {
            _("No."): item.number,
            _("Indicator"): item.name(lang),
            _("Unit"): item.unit,
            _("2020 baseline"): item.baseline_2020,
            _("2025 target"): item.target(lang),
            _("Type"): _("Binding") if item.binding else _("Expected"),
        }
        for item in view.plan_highlights
    ],
    hide_index=True,
    width="stretch",
)
ui.source_line(PLAN_SOURCE_EN if lang == "en" else PLAN_SOURCE_ZH)

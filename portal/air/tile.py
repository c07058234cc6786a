"""The air tile on the home page: the city's AQI now, with its hour and standard."""

from portal.kit import i18n, pages, ui
from portal.kit.i18n import _
from services.air.manifest import PAGE
from services.air.public import HomeSummary


def render(summary: HomeSummary) -> None:
    city = summary.city
    if city is None or city.result.aqi is None:
        reason = (
            _("No station measurements have been loaded.")
            if summary.latest is None
            else _("No AQI can be published for the latest hour.")
        )
        ui.no_data_tile(_("Air quality now"), reason=reason)
        return
    ui.tile(
        _("Air quality now"),
        f"AQI {city.result.aqi} · {city.result.category.name(i18n.current_lang())}",
        caption=_(
            "City mean of {reporting} stations, hour ending {time} (Beijing time), {standard}."
        ).format(
            reporting=i18n.fmt_number(city.stations_reporting),
            time=i18n.fmt_datetime(city.observed_at),
            standard=city.standard.replace("HJ633", "HJ 633"),
        ),
    )
    pages.link(PAGE, _("Air quality details"))

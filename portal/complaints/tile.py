"""The complaints tile on the home page: this year's cases, closed on time, overdue now."""

from portal.kit import i18n, pages, ui
from portal.kit.i18n import _
from services.complaints.manifest import REGISTRY_PAGE
from services.complaints.registry import HomeSummary


def render(summary: HomeSummary) -> None:
    if summary.cases == 0 and summary.overdue == 0:
        ui.no_data_tile(
            _("Complaints and on-time rate"),
            reason=_("No complaint case has been published this year yet."),
        )
    else:
        rate = summary.on_time_rate
        ui.tile(
            _("Complaints and on-time rate"),
            _("{cases} cases in {year}").format(
                cases=i18n.fmt_number(summary.cases), year=summary.year
            ),
            caption=_(
                "Closed on time: {rate} ({on_time} of {closed} closed cases). Overdue now: "
                "{overdue}. Published cases in the registry, as of {day} (Beijing)."
            ).format(
                rate=i18n.fmt_percent(rate) if rate is not None else "—",
                on_time=i18n.fmt_number(summary.closed_on_time),
                closed=i18n.fmt_number(summary.closed),
                overdue=i18n.fmt_number(summary.overdue),
                day=i18n.fmt_date(summary.as_of),
            ),
        )
    pages.link(REGISTRY_PAGE, _("Case registry"))

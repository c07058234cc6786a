"""The water tile on the home page: the newest month's share of sections at class III or better."""

from portal.kit import i18n, pages, ui
from portal.kit.i18n import _
from services.water.evaluation import CityShares
from services.water.manifest import PAGE
from services.water.public import PLAN_GOOD


def render(shares: CityShares | None) -> None:
    if shares is None:
        ui.no_data_tile(_("Surface water"), reason=_("No section results have been published yet."))
        return
    ui.tile(
        _("Surface water"),
        _("{percent} at class III or better").format(
            percent=i18n.fmt_percent(float(shares.good_share))
        ),
        caption=_(
            "{good} of {n} sections in {month} (monthly means), GB 3838-2002. "
            "Plan target: {target}."
        ).format(
            good=shares.good,
            n=shares.sections,
            month=shares.period.strftime("%Y-%m"),
            target=ui.goal_text(PLAN_GOOD),
        ),
    )
    pages.link(PAGE, _("Water quality details"))

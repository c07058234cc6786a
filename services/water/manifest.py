"""Water quality: the water page, section open data, the data editors' import."""

from services.core.accounts import Role
from services.core.messages import N_
from services.shared.capability import DemoPart, HomeTile, Manifest, PageDecl
from services.water import api, demo, model, public  # noqa: F401  (their tables)
from services.water.entry_points import SAMPLE_IMPORT
from services.water.use_cases import USE_CASES

PAGE = PageDecl("water/water.py", N_("Water quality"), ":material/water:", "water", order=20)
DATA_PAGE = PageDecl("water/staff_water_data.py", N_("Water data"), ":material/water_drop:",
                     "staff-water-data", staff=True, roles=(Role.DATA_EDITOR,),
                     order=110)  # fmt: skip

MANIFEST = Manifest(
    name="water",
    title=N_("Water quality"),
    pages=(PAGE, DATA_PAGE),
    tables=("water_sample",),
    endpoints=(api.SECTIONS, api.SAMPLES, api.CLASSES),
    demo=(
        DemoPart(demo.PART, demo.generate, demo.expected_rows, demo.has_rows, order=20),
    ),
    audit_actions={"water.import": N_("Water samples imported")},
    home_tile=HomeTile(N_("Surface water"), public.latest_month_shares, order=20),
    entry_points=(SAMPLE_IMPORT,),
    use_cases=USE_CASES,
)

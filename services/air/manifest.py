"""Air quality: the air page, hourly and daily open data, the data editors' import."""

from services.air import api, daily, demo, observations, public  # noqa: F401  (their tables)
from services.air.entry_points import HOURLY_IMPORT
from services.air.use_cases import USE_CASES
from services.core.accounts import Role
from services.core.messages import N_
from services.shared.capability import DemoPart, HomeTile, Manifest, PageDecl

PAGE = PageDecl("air/air.py", N_("Air quality"), ":material/air:", "air", order=10)
DATA_PAGE = PageDecl("air/staff_air_data.py", N_("Air data"), ":material/upload_file:",
                     "staff-air-data", staff=True, roles=(Role.DATA_EDITOR,),
                     order=100)  # fmt: skip

MANIFEST = Manifest(
    name="air",
    title=N_("Air quality"),
    pages=(PAGE, DATA_PAGE),
    tables=("air_hourly", "air_daily"),
    endpoints=(api.STATIONS, api.HOURLY, api.DAILY),
    demo=(
        DemoPart("air_hourly", demo.generate_hours, demo.expected_rows, demo.has_rows, order=10),
        DemoPart("air_daily", demo.generate_daily, lambda _size: 1, order=11),
    ),
    audit_actions={
        "air.import": N_("Air data imported"),
        "air.flag_invalid": N_("Air hours flagged invalid"),
    },
    home_tile=HomeTile(N_("Air quality now"), public.home_summary, order=10),
    entry_points=(HOURLY_IMPORT,),
    use_cases=USE_CASES,
)

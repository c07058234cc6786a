"""Open-data handlers for water quality: plain rows, each saying which standard and method it uses.

The endpoints are declared here (services/shared/open_data.py); portal/water/routes.py serves
them through portal/kit/http.py, which parses the request, calls one of these and renders the rows.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from services.core.messages import N_
from services.shared.open_data import Endpoint, Param, Row, from_to
from services.water import public
from services.water.evaluation import PERIODS, Period
from services.water.items import items
from services.water.model import below_dl_codes
from services.water.sections import by_code as section_by_code
from services.water.sections import sections as all_sections

MAX_SAMPLE_DAYS = 366 * 10


def _section(description: str, *, required: bool) -> Param:
    return Param("section", description, kind="choice", required=required,
                 choices=lambda: section_by_code().keys(),
                 invalid=N_("Unknown section: {section}."),
                 missing=N_("Give a section code (see /api/v1/water/sections)."))  # fmt: skip


DAYS, SPAN = from_to(max_days=MAX_SAMPLE_DAYS, required=False)
PERIOD = Param("period", "The period classes are evaluated over", kind="choice", default="month",
               choices=PERIODS, invalid=N_("period must be one of: {choices}."))  # fmt: skip
SECTIONS = Endpoint(
    "/api/v1/water/sections",
    "The section registry: code, names, river or lake, level, district, lat/lon, target class",
    formats=("json", "csv", "geojson"),
    name="water-sections",
)
SAMPLES = Endpoint(
    "/api/v1/water/samples",
    "The stored samples of one section, every item with its unit in the field name",
    params=(_section("A section code, like NMH-05", required=True), *DAYS),
    spans=(SPAN,),
    name="water-samples",
)
CLASSES = Endpoint(
    "/api/v1/water/classes",
    "Period classes of one section (or every section) from period means",
    params=(_section("A section code; without one, every section", required=False), PERIOD, *DAYS),
    spans=(SPAN,),
    name="water-classes",
)


def sections() -> list[Row]:
    return [
        {
            "code": s.code,
            "name_zh": s.name_zh,
            "name_en": s.name_en,
            "waterbody": s.waterbody,
            "water_zh": s.water_zh,
            "water_en": s.water_en,
            "km_from_upper_end": s.km,
            "level": s.level,
            "district": s.district,
            "lat": s.lat,
            "lon": s.lon,
            "target_class": s.target,
            "drinking_water_source": s.drinking_source,
            "sampling": s.sampling,
            "location_note": s.location_note,
        }
        for s in all_sections()
    ]


def samples(session: Session, *, section: str, start: date | None, end: date | None) -> list[Row]:
    """The samples of one section as stored: a value below the detection limit is the limit,
    listed in `below_detection_limit`."""
    frame = public.read_samples(session, section_codes=[section], start=start, end=end)
    rows = []
    for record in frame.to_dict("records"):
        row: dict[str, object] = {
            "section": record["section_code"],
            "sampled_on": record["sampled_on"].isoformat(),
        }
        for item in items():
            value = record[item.column]
            row[item.field] = None if value != value else value  # NaN → null
        row["below_detection_limit"] = ";".join(below_dl_codes(int(record["below_dl"])))
        row["standard"] = public.STANDARD
        rows.append(row)
    return rows


def classes(
    session: Session,
    *,
    section: str | None,
    start: date | None,
    end: date | None,
    period: Period = "month",
) -> list[Row]:
    """Period classes (from period means) of one section, or of every section without one."""
    frame = public.read_samples(
        session, section_codes=[section] if section else None, start=start, end=end
    )
    means = public.evaluate(frame).of(period)
    return public.class_rows(means, range(len(means)), period=period, with_means=False)

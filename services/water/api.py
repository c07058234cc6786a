"""Open-data handlers for water quality: plain rows, each saying which standard and method it uses.

The HTTP layer (portal/api.py) parses the request, calls one of these and serialises JSON or CSV.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from services.core.messages import N_, UserFacingError
from services.water import public
from services.water.evaluation import PERIODS
from services.water.items import items
from services.water.model import below_dl_codes
from services.water.sections import by_code as section_by_code
from services.water.sections import sections as all_sections

MAX_SAMPLE_DAYS = 366 * 10


class BadRequest(UserFacingError):
    pass


def sections() -> list[dict[str, object]]:
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


def _section(code: str | None, *, required: bool) -> str | None:
    if not code:
        if required:
            raise BadRequest(N_("Give a section code (see /api/v1/water/sections)."))
        return None
    if code not in section_by_code():
        raise BadRequest(N_("Unknown section: {section}."), section=code)
    return code


def _day(text: str | None, name: str, default: date | None = None) -> date | None:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(N_("{name} must be a date like 2026-03-01."), name=name) from None


def _range(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    first, last = _day(start, "from"), _day(end, "to")
    if first and last and last < first:
        raise BadRequest(N_("'to' must not be before 'from'."))
    if first and last and (last - first).days + 1 > MAX_SAMPLE_DAYS:
        raise BadRequest(N_("Ask for at most {days} days at a time."), days=MAX_SAMPLE_DAYS)
    return first, last


def samples(
    session: Session, *, section: str | None, start: str | None, end: str | None, **_: object
) -> list[dict[str, object]]:
    """The samples of one section as stored: a value below the detection limit is the limit,
    listed in `below_detection_limit`."""
    code = _section(section, required=True)
    first, last = _range(start, end)
    frame = public.read_samples(session, section_codes=[code], start=first, end=last)
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
    start: str | None,
    end: str | None,
    period: str | None = None,
    **_: object,
) -> list[dict[str, object]]:
    """Period classes (from period means) of one section, or of every section without one."""
    code = _section(section, required=False)
    chosen = period or "month"
    if chosen not in PERIODS:
        raise BadRequest(N_("period must be one of: {choices}."), choices=", ".join(PERIODS))
    first, last = _range(start, end)
    frame = public.read_samples(
        session, section_codes=[code] if code else None, start=first, end=last
    )
    evaluated = public.evaluate(frame)
    means = evaluated.of(chosen)  # type: ignore[arg-type]
    return public.class_rows(means, range(len(means)), period=chosen, with_means=False)

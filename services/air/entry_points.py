"""The air capability's public ways in for input: the data editors' hourly CSV import.

Declared in services/air/manifest.py (services/shared/entry_points.py says what that means).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from services.air import importer
from services.air.observations import POLLUTANTS, AirHourly
from services.core import geography
from services.core.accounts import Actor, Role
from services.core.clock import BEIJING, utcnow
from services.core.db import unit_of_work
from services.shared.capability import EntryPoint
from services.shared.entry_points import InputField, Rows, accepted_or_refused

STORED = ("station_code", "observed_at", *POLLUTANTS)


def submit_hourly(engine: Engine, data: bytes, *, actor: Actor | None) -> Rows:
    """As pages/air/staff_air_data.py does: one unit of work, whatever the report says."""
    with unit_of_work(engine) as session:
        report = importer.import_hourly(session, actor=actor, data=data, file_name="upload.csv")
    accepted_or_refused(report)
    return {"air_hourly": [{name: row[name] for name in STORED} for row in report.rows]}


def read_back_hourly(engine: Engine, stored: Rows) -> Rows:
    keys = [(row["station_code"], row["observed_at"]) for row in stored["air_hourly"]]
    with Session(engine) as session:
        found = {
            (r.station_code, r.observed_at): r
            for r in session.exec(
                select(AirHourly).where(
                    tuple_(col(AirHourly.station_code), col(AirHourly.observed_at)).in_(keys)
                )
            )
        }
    return {"air_hourly": [{name: getattr(found[key], name) for name in STORED}
                           for key in keys if key in found]}  # fmt: skip


def known_good(_engine: Engine) -> Mapping[str, Sequence[Any]]:
    """Values each column accepts: the stations, hours of the last two days, concentrations."""
    last = utcnow().astimezone(BEIJING).replace(minute=0, second=0, microsecond=0)
    hours = [last - timedelta(hours=n) for n in range(48)]
    values = ["0", "12", "35.5", "1.2", ""]
    return {
        "station_code": [s.code for s in geography.air_stations()],
        "hour_ending": [h.isoformat() for h in hours]
        + [h.strftime("%Y-%m-%d %H:%M") for h in hours],
        **{column: values for column in importer.EXPECTED_HEADER[2:]},
    }


HOURLY_IMPORT = EntryPoint(
    name="air.import_hourly",
    kind="import",
    submit=submit_hourly,
    read_back=read_back_hourly,
    columns=tuple(importer.EXPECTED_HEADER),
    fields=(
        InputField("station_code", "choice", lambda: [s.code for s in geography.air_stations()]),
        InputField("hour_ending", "datetime"),
        *[InputField(column, "number") for column in importer.EXPECTED_HEADER[2:]],
    ),
    roles=(Role.DATA_EDITOR,),
    prepare=known_good,
)

"""The water capability's public ways in for input: the data editors' sample CSV import.

Declared in services/water/manifest.py (services/shared/entry_points.py says what that means).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from services.core.accounts import Actor, Role
from services.core.clock import today
from services.shared.capability import EntryPoint
from services.shared.entry_points import InputField, Rows, accepted_or_refused
from services.water import importer, sections
from services.water.items import by_code
from services.water.model import below_dl_codes, water_sample

STORED = ("section_code", "sampled_on", "item", "value", "below_dl")


def submit_samples(engine: Engine, data: bytes, *, actor: Actor | None) -> Rows:
    """As pages/water/staff_water_data.py does: the import runs its own transaction."""
    report = importer.import_samples(engine, actor=actor, data=data, file_name="upload.csv")
    accepted_or_refused(report)
    return {"water_sample": [{name: row[name] for name in STORED} for row in report.rows]}


def read_back_samples(engine: Engine, stored: Rows) -> Rows:
    """Each accepted line as its sample holds it: the item's value and its below-DL bit."""
    t = water_sample.c
    found = []
    with engine.connect() as conn:
        for row in stored["water_sample"]:
            sample = conn.execute(
                select(water_sample).where(t.section_code == row["section_code"],
                                           t.sampled_on == row["sampled_on"])
            ).mappings().first()  # fmt: skip
            if sample is None:
                continue
            item = by_code()[str(row["item"])]
            found.append({"section_code": sample["section_code"],
                          "sampled_on": sample["sampled_on"], "item": item.code,
                          "value": sample[item.column],
                          "below_dl": item.code in below_dl_codes(sample["below_dl"])})  # fmt: skip
    return {"water_sample": found}


def known_good(_engine: Engine) -> Mapping[str, Sequence[Any]]:
    """Values each column accepts, and whole lines that are valid together."""
    codes = [s.code for s in sections.sections()[:5]]
    days = [(today() - timedelta(days=n)).isoformat() for n in range(1, 30)]
    lines = [
        {"section_code": code, "sampled_on": day, "item": item, "value": value, "unit": unit}
        for code in codes[:2]
        for day in days[:3]
        for item, value, unit in (("pH", "7.6", ""), ("NH3_N", "0.32", "mg/L"),
                                  ("TP", "<0.01", "mg/L"), ("DO", "8.1", "mg/L"))
    ]  # fmt: skip
    return {
        "section_code": codes,
        "sampled_on": days,
        "item": sorted(by_code()),
        "value": ["0", "0.5", "<0.01", "7.2", "1e2"],
        "unit": ["mg/L", "", "count/L", "个/L", "无量纲"],
        "lines": lines,
    }


SAMPLE_IMPORT = EntryPoint(
    name="water.import_samples",
    kind="import",
    submit=submit_samples,
    read_back=read_back_samples,
    columns=tuple(importer.EXPECTED_HEADER),
    fields=(
        InputField("section_code", "choice", lambda: [s.code for s in sections.sections()]),
        InputField("sampled_on", "date"),
        InputField("item", "choice", lambda: list(by_code())),
        InputField("value", "number"),
        InputField("unit", "choice", [u for units in importer.UNIT_SPELLINGS.values()
                                      for u in units]),
    ),
    roles=(Role.DATA_EDITOR,),
    prepare=known_good,
)

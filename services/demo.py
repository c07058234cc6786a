"""Deterministic, clearly labelled sample data for demos, tests and benchmarks.

`generate(size=...)` fills an empty database with every capability's demo part (declared in its
manifest), in their order. The same seed and end time give the same rows.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import cast, func, literal
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from services import domains
from services.core import audit
from services.core.clock import BEIJING, utcnow
from services.core.db import unit_of_work
from services.core.demo_meta import DemoDataset
from services.shared.capability import DemoContext, Progress


class DemoSize(StrEnum):
    SMALL = "small"
    LARGE = "large"


@dataclass(frozen=True)
class DemoResult:
    rows: int
    seconds: float
    staff_password: str | None
    parts: dict[str, int]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


class DatabaseNotEmpty(RuntimeError):
    pass


def default_until() -> datetime:
    """The end of the sample period: the start of the current hour, Beijing time."""
    return utcnow().astimezone(BEIJING).replace(minute=0, second=0, microsecond=0)


def is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        if session.exec(select(DemoDataset.id).limit(1)).first() is not None:
            return False
        return not any(
            part.has_rows(session) for part in domains.demo_parts() if part.has_rows is not None
        )


def expected_rows(size: DemoSize) -> dict[str, int]:
    """Rows per part, for the progress bar; a part may report a better total as it goes."""
    return {part.name: part.expected_rows(size.value) for part in domains.demo_parts()}


def generate(
    engine: Engine,
    *,
    size: DemoSize = DemoSize.SMALL,
    seed: int = 20211,
    until: datetime | None = None,
    progress: Progress | None = None,
    with_staff: bool = True,
) -> DemoResult:
    """Fill an empty database with sample data. Refuses to touch a database that has data."""
    if not is_empty(engine):
        raise DatabaseNotEmpty("the database already holds data or sample data")
    started = time.perf_counter()
    until = until or default_until()
    password = "Demo-" + secrets.token_urlsafe(12) if with_staff else None
    context = DemoContext(
        engine=engine,
        size=size.value,
        seed=seed,
        until=until,
        progress=progress or (lambda _part, _done, _total: None),
        staff_password=password,
    )
    written = {part.name: part.generate(context) for part in domains.demo_parts()}
    advance_sequences(engine)
    parts = {name: rows for name, rows in written.items() if rows is not None}
    rows = sum(parts.values())
    with unit_of_work(engine) as session:
        session.add(DemoDataset(size=size.value, seed=seed, rows=rows))
        audit.record(
            session,
            actor="seed-demo",
            action="demo.seed",
            object_type="demo_dataset",
            details={
                "size": size.value,
                "seed": seed,
                "rows": parts,
                "until": until.isoformat(timespec="minutes"),
            },
        )
    return DemoResult(
        rows=rows, seconds=time.perf_counter() - started, staff_password=password, parts=parts
    )


def advance_sequences(engine: Engine) -> None:
    """Move every key sequence of every capability's tables past the table's highest id.

    Demo parts may write rows with their ids (the sample complaints do, to link one case to
    another), which leaves a PostgreSQL sequence behind: the next row the portal writes would get
    an id already taken. A sequence never moves back. SQLite needs nothing: an INTEGER PRIMARY KEY
    without AUTOINCREMENT (all of ours) takes the highest rowid plus one.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for name in sorted({table for m in domains.domains() for table in m.tables}):
            table = SQLModel.metadata.tables[name]
            for column in table.primary_key.columns:
                sequence = conn.execute(
                    select(func.pg_get_serial_sequence(table.fullname, column.name))
                ).scalar()
                if sequence is None:  # not a serial or identity column
                    continue
                regclass = cast(literal(sequence), REGCLASS)
                highest = func.greatest(
                    func.coalesce(select(func.max(column)).scalar_subquery(), 0),
                    func.coalesce(func.pg_sequence_last_value(regclass), 0),
                )
                conn.execute(select(func.setval(regclass, highest + 1, False)))

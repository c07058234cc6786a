"""Data editors' CSV import of section samples: validate everything, then import all or none.

The file is long: one line per item of one sample, header
``section_code,sampled_on,item,value,unit``. ``sampled_on`` is the sampling day (ISO date,
Beijing). ``item`` is a portal item code (``NH3_N``, ``pH``, ``fecal_coliform``…, see
services.water.items). ``value`` is a number, or ``<`` and the detection limit for a result below
it (stored as the limit, with the item's ``below_dl`` bit set). The unit must be the item's:
mg/L; count/L (or 个/L) for fecal coliform; none (empty, "dimensionless" or 无量纲) for pH.

Lines of one section and day make one ``water_sample`` row. Items may be added to a stored
sample, but a stored value is never overwritten: a file that repeats one is refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.core import accounts, audit
from services.core.accounts import Actor, Role
from services.core.clock import beijing, utcnow
from services.core.messages import N_
from services.shared.imports import UNREADABLE_LINE, Problem, ValidationReport
from services.water import sections
from services.water.items import Item, by_code, items
from services.water.model import below_dl_mask, water_sample

EXPECTED_HEADER = ["section_code", "sampled_on", "item", "value", "unit"]
# accepted spellings of each item unit (compared case-insensitively)
UNIT_SPELLINGS = {
    "mg/L": ("mg/L",),
    "count/L": ("count/L", "个/L"),
    "": ("", "dimensionless", "无量纲"),
}
# Plausibility ceilings per unit: far above anything measured, below a unit mix-up.
MAXIMA = {"mg/L": Decimal(10_000), "count/L": Decimal(10**9)}
PH_RANGE = (Decimal(0), Decimal(14))
DO_MAX = Decimal(25)  # mg/L; supersaturation in algal blooms stays well below this
NO_BELOW_DL = frozenset({"pH", "DO"})  # measured by electrode or probe: always a value
EARLIEST = date(2000, 1, 1)
MAX_ROWS = 200_000
BATCH = 5_000
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

SampleKey = tuple[str, date]  # (section code, sampling day)


@dataclass
class Sample:
    """The lines of one section and day: item column -> value, and the below-DL item codes."""

    values: dict[str, float] = field(default_factory=dict)
    below_dl: set[str] = field(default_factory=set)


class _Conflict(Exception):
    """A stored value appeared between validation and import."""


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    missing = [c for c in EXPECTED_HEADER if c not in header]
    if missing:
        problems.append(
            Problem(0, "", N_("Missing columns: {columns}."), {"columns": ", ".join(missing)})
        )
    extra = [c for c in header if c not in EXPECTED_HEADER]
    repeated = sorted({c for c in header if c in EXPECTED_HEADER and header.count(c) > 1})
    if extra or repeated:
        problems.append(
            Problem(0, "", N_("Unexpected columns: {columns}. The header must be {header}."),
                    {"columns": ", ".join(extra + repeated), "header": ",".join(EXPECTED_HEADER)})
        )  # fmt: skip
    return problems


def _parse_day(text: str, today: date) -> tuple[date | None, str | None]:
    if not _ISO_DATE.fullmatch(text):
        return None, N_("Not a date (YYYY-MM-DD): {value}.")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, N_("Not a date (YYYY-MM-DD): {value}.")
    if day > today:
        return None, N_("The date is in the future: {value}.")
    if day < EARLIEST:
        return None, N_("The date is before 2000: {value}.")
    return day, None


def _unit_problem(item: Item, unit: str) -> tuple[str, dict[str, object]] | None:
    accepted = {spelling.casefold() for spelling in UNIT_SPELLINGS[item.unit]}
    if unit.casefold() in accepted:
        return None
    if item.unit == "":
        return N_("pH has no unit; leave the unit empty: {unit}."), {"unit": unit}
    return (
        N_("{item} must be given in {expected}, not {unit}."),
        {"item": item.code, "expected": item.unit, "unit": unit or "—"},
    )


def _value_problem(item: Item, value: Decimal, below: bool) -> str | None:
    """The msgid of what is wrong with a parsed value (params: value, item, unit), or None."""
    if below and item.code in NO_BELOW_DL:
        return N_("{item} cannot be below the detection limit: {value}.")
    if item.code == "pH":
        inside = PH_RANGE[0] <= value <= PH_RANGE[1]
        return None if inside else N_("A pH must be between 0 and 14: {value}.")
    if value < 0:
        return N_("A concentration cannot be negative: {value}.")
    if below and value == 0:
        return N_("A detection limit must be greater than zero: {value}.")
    if item.code == "DO" and value > DO_MAX:
        return N_("Dissolved oxygen cannot exceed 25 mg/L: {value}.")
    if item.unit in MAXIMA and value > MAXIMA[item.unit]:
        return N_("{value} {unit} is beyond the plausible range; check the units.")
    return None


def _parse_value(text: str) -> tuple[Decimal | None, bool, str | None]:
    """(number, below the detection limit, msgid of a problem)."""
    below = text.startswith("<")
    number = text[1:].strip() if below else text
    if text == "":
        return None, False, N_("The value is missing.")
    if not _NUMBER.fullmatch(number):
        return None, below, N_("Not a number: {value}.")
    return Decimal(number), below, None


def validate_csv(data: bytes, *, session: Session) -> ValidationReport:
    """Every problem in the file, by line; the parsed rows only matter when there are none.

    A row is one line: section_code, sampled_on (date), item (code), value (float), below_dl.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ValidationReport([], [Problem(0, "", N_("The file is not UTF-8 text."))])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error:
        return ValidationReport([], [Problem(1, "", UNREADABLE_LINE)])
    problems = _header_problems(header)
    if problems:
        return ValidationReport([], problems)
    reader.fieldnames = header
    known_sections = sections.by_code()
    known_items = by_code()
    today = beijing(utcnow()).date()
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, date, str], int] = {}
    lines = 0
    for record in _records(reader, problems):
        line = reader.line_num
        cell = {name: (record.get(name) or "").strip() for name in EXPECTED_HEADER}
        if not any(cell.values()) and None not in record:
            continue  # an empty line (spreadsheets leave ",,,," behind)
        lines += 1
        if lines > MAX_ROWS:
            problems.append(
                Problem(line, "", N_("The file has more than {n} rows."), {"n": MAX_ROWS})
            )
            break
        found: list[Problem] = []
        if None in record:
            found.append(Problem(line, "", N_("This line has more fields than the header.")))
        code = cell["section_code"]
        if code not in known_sections:
            found.append(
                Problem(line, "section_code", N_("Unknown section: {section}."), {"section": code})
            )
        day, error = _parse_day(cell["sampled_on"], today)
        if error:
            found.append(Problem(line, "sampled_on", error, {"value": cell["sampled_on"]}))
        item = known_items.get(cell["item"])
        if item is None:
            found.append(_unknown_item(line, cell["item"]))
        else:
            unit_problem = _unit_problem(item, cell["unit"])
            if unit_problem:
                found.append(Problem(line, "unit", *unit_problem))
        value, below, error = _parse_value(cell["value"])
        if not error and item is not None and value is not None:
            error = _value_problem(item, value, below)
        if error:
            unit = item.unit if item is not None and item.unit else cell["unit"]
            params = {"value": cell["value"], "item": cell["item"], "unit": unit}
            found.append(Problem(line, "value", error, params))
        if day is not None and item is not None and code in known_sections:
            earlier = seen.setdefault((code, day, item.code), line)
            if earlier != line:
                found.append(
                    Problem(line, "item", N_("Duplicate of line {line}."), {"line": earlier})
                )
        problems.extend(found)
        if not found and item is not None and value is not None:
            rows.append({"section_code": code, "sampled_on": day, "item": item.code,
                         "value": float(value), "below_dl": below, "line": line})  # fmt: skip
    problems.extend(_already_stored(session, seen))
    problems.sort(key=lambda p: p.row)  # stable: a line's problems keep their column order
    return ValidationReport(rows, problems)


def _records(reader: csv.DictReader, problems: list[Problem]) -> Iterator[dict[str, str]]:
    """The reader's records until one cannot be read; that one is a problem at its line."""
    try:
        yield from reader
    except csv.Error:
        problems.append(Problem(reader.line_num + 1, "", UNREADABLE_LINE))


def _unknown_item(line: int, code: str) -> Problem:
    close = [c for c in by_code() if c.casefold() == code.casefold()]
    if close:
        return Problem(line, "item", N_("Unknown item: {item}. Did you mean {code}?"),
                       {"item": code, "code": close[0]})  # fmt: skip
    return Problem(line, "item", N_("Unknown item: {item}."), {"item": code})


def _stored(conn: Connection, keys: set[SampleKey]) -> dict[SampleKey, dict]:
    """Stored samples for these section-days: key -> row mapping (id and item columns)."""
    if not keys:
        return {}
    days = [day for _, day in keys]
    codes = sorted({code for code, _ in keys})
    t = water_sample.c
    found: dict[SampleKey, dict] = {}
    for start in range(0, len(codes), 500):
        query = select(water_sample).where(
            t.sampled_on >= min(days), t.sampled_on <= max(days),
            t.section_code.in_(codes[start : start + 500]),
        )  # fmt: skip
        for row in conn.execute(query).mappings():
            key = (row["section_code"], row["sampled_on"])
            if key in keys:
                found[key] = dict(row)
    return found


def _already_stored(session: Session, seen: dict[tuple[str, date, str], int]) -> list[Problem]:
    stored = _stored(session.connection(), {(code, day) for code, day, _ in seen})
    problems = []
    for (code, day, item_code), line in seen.items():
        row = stored.get((code, day))
        if row is not None and row[by_code()[item_code].column] is not None:
            problems.append(
                Problem(line, "item",
                        N_("This section already has a stored {item} value for this day."),
                        {"item": item_code})
            )  # fmt: skip
    return problems


def group(rows: list[dict[str, object]]) -> dict[SampleKey, Sample]:
    """The validated lines as samples, one per section and day."""
    samples: dict[SampleKey, Sample] = {}
    for row in rows:
        key = (str(row["section_code"]), row["sampled_on"])
        sample = samples.setdefault(key, Sample())  # type: ignore[arg-type]
        item = by_code()[str(row["item"])]
        sample.values[item.column] = float(row["value"])  # type: ignore[arg-type]
        if row["below_dl"]:
            sample.below_dl.add(item.code)
    return samples  # type: ignore[return-value]


def _write(conn: Connection, samples: dict[SampleKey, Sample], progress, now: datetime) -> None:
    """Insert new samples, add items to stored ones; _Conflict if a value is stored meanwhile."""
    stored = _stored(conn, set(samples))
    blank = {item.column: None for item in items()}
    t = water_sample.c
    new = [
        {**blank, **sample.values, "section_code": key[0], "sampled_on": key[1],
         "below_dl": below_dl_mask(sample.below_dl), "source": "import", "updated_at": now}
        for key, sample in samples.items()
        if key not in stored
    ]  # fmt: skip
    done, total, reported = 0, len(samples), [0]

    def report(count: int) -> None:
        if progress and count != reported[0]:
            progress(count, total)
            reported[0] = count

    for key, sample in samples.items():
        if key not in stored:
            continue
        still_empty = and_(*[t[column].is_(None) for column in sample.values])
        result = conn.execute(
            update(water_sample)
            .where(t.id == stored[key]["id"], still_empty)
            .values(**sample.values, updated_at=now,
                    below_dl=t.below_dl.op("|")(below_dl_mask(sample.below_dl)))
        )  # fmt: skip
        if result.rowcount != 1:
            raise _Conflict
        done += 1
        if done % BATCH == 0:
            report(done)
    for start in range(0, len(new), BATCH):
        try:
            conn.execute(insert(water_sample), new[start : start + BATCH])
        except IntegrityError as error:
            raise _Conflict from error
        done += len(new[start : start + BATCH])
        report(done)
    report(done)


def import_samples(
    engine: Engine,
    *,
    actor: Actor,
    data: bytes,
    file_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate, then import every line or none, in one transaction with its audit entry."""
    accounts.require(actor, Role.DATA_EDITOR)
    with Session(engine) as session:
        report = validate_csv(data, session=session)
    if not report.ok:
        return report
    samples = group(report.rows)
    try:
        with engine.begin() as conn:  # one transaction: all or nothing, audit entry included
            _write(conn, samples, progress, utcnow())
            with Session(bind=conn) as session:
                audit.record(
                    session, actor=actor.username, action="water.import",
                    object_type="water_sample",
                    details={"file": file_name, "lines": len(report.rows),
                             "samples": len(samples)},
                )  # fmt: skip
                session.flush()
    except _Conflict:  # someone stored values meanwhile: nothing was written; say which
        with Session(engine) as session:
            report = validate_csv(data, session=session)
        if report.ok:
            changed = N_("The stored data changed during the import; upload the file again.")
            report.problems.append(Problem(0, "", changed))
    return report


def template_csv() -> str:
    """A small valid file: three items of one sample at the first registered section."""
    code = sections.sections()[0].code
    day = (beijing(utcnow()) - timedelta(days=1)).date().isoformat()
    return (
        ",".join(EXPECTED_HEADER) + "\n"
        f"{code},{day},pH,7.6,\n"
        f"{code},{day},NH3_N,0.32,mg/L\n"
        f"{code},{day},TP,<0.01,mg/L\n"
    )

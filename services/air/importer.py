"""Data editors' CSV import of hourly station data: validate everything, then import all or none.

Expected header (units are part of the column names, so a file in the wrong units is refused):
``station_code,hour_ending,so2_ug/m3,no2_ug/m3,pm10_ug/m3,pm25_ug/m3,co_mg/m3,o3_ug/m3``.
``hour_ending`` is the end of the hour, ISO 8601; without an offset it is Beijing time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import insert
from sqlmodel import Session, col, select

from services.air.daily import refresh_daily
from services.air.observations import AirHourly
from services.core import accounts, audit, geography
from services.core.accounts import Actor, Role
from services.core.clock import BEIJING, utcnow
from services.core.messages import N_, UserFacingError
from services.shared.imports import UNREADABLE_LINE, Problem, ValidationReport

COLUMNS = {"so2": "ug/m3", "no2": "ug/m3", "pm10": "ug/m3", "pm25": "ug/m3", "co": "mg/m3",
           "o3": "ug/m3"}  # fmt: skip
EXPECTED_HEADER = ["station_code", "hour_ending", *[f"{p}_{u}" for p, u in COLUMNS.items()]]
# Plausibility ceilings: far above anything measured in Guiyang, below a unit mix-up (x1000).
MAXIMA = {"so2": 3000, "no2": 4000, "pm10": 2000, "pm25": 1500, "co": 150, "o3": 1500}
MAX_ROWS = 200_000
# the first hour of 2000 ends at 01:00; no open data is older (services/shared/open_data.py), and
# an hour near year 1 overflows the time-zone arithmetic of storing and daily values
EARLIEST_HOUR_ENDING = datetime(2000, 1, 1, 1, tzinfo=BEIJING)
BATCH = 5_000


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    for name in header:
        pollutant = name.partition("_")[0]
        if pollutant in COLUMNS and name not in EXPECTED_HEADER:
            problems.append(
                Problem(0, name, N_("Column {column} must be in {unit}."),
                        {"column": name, "unit": COLUMNS[pollutant]})
            )  # fmt: skip
    missing = [c for c in EXPECTED_HEADER if c not in header]
    if missing and not problems:
        problems.append(
            Problem(0, "", N_("Missing columns: {columns}."), {"columns": ", ".join(missing)})
        )
    return problems


def _parse_hour(text: str, now: datetime) -> tuple[datetime | None, str | None]:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, N_("Not a date and time: {value}.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    if (moment.minute, moment.second, moment.microsecond) != (0, 0, 0):
        return None, N_("The time must be on the hour: {value}.")
    if moment > now:
        return None, N_("The time is in the future: {value}.")
    if moment < EARLIEST_HOUR_ENDING:
        return None, N_("The date is before 2000: {value}.")
    return moment, None


def _parse_value(text: str) -> tuple[float | None, str | None]:
    text = text.strip()
    if text == "":
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, N_("Not a number: {value}.")
    if not value.is_finite():
        return None, N_("Not a number: {value}.")
    if value < 0:
        return None, N_("A concentration cannot be negative: {value}.")
    return float(value), None


def validate_csv(data: bytes, *, session: Session) -> ValidationReport:
    """Every problem in the file, by line; the parsed rows only matter when there are none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ValidationReport([], [Problem(0, "", N_("The file is not UTF-8 text."))])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        problems = _header_problems(reader.fieldnames or [])
    except csv.Error:
        return ValidationReport([], [Problem(1, "", UNREADABLE_LINE)])
    if problems:
        return ValidationReport([], problems)
    stations = {s.code for s in geography.air_stations()}
    now = utcnow()
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, datetime], int] = {}
    for line, record in enumerate(_records(reader, problems), start=2):
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(
                Problem(line, "", N_("The file has more than {n} rows."), {"n": MAX_ROWS})
            )
            break
        row_problems: list[Problem] = []
        code = (record.get("station_code") or "").strip()
        if code not in stations:
            row_problems.append(
                Problem(line, "station_code", N_("Unknown station: {station}."), {"station": code})
            )
        hour, error = _parse_hour(record.get("hour_ending") or "", now)
        if error:
            row_problems.append(
                Problem(line, "hour_ending", error, {"value": record.get("hour_ending")})
            )
        values: dict[str, float | None] = {}
        for pollutant, unit in COLUMNS.items():
            name = f"{pollutant}_{unit}"
            value, error = _parse_value(record.get(name) or "")
            if error:
                row_problems.append(Problem(line, name, error, {"value": record.get(name)}))
            elif value is not None and value > MAXIMA[pollutant]:
                message = N_("{value} {unit} is beyond the plausible range; check the units.")
                params = {"value": record.get(name), "unit": unit}
                row_problems.append(Problem(line, name, message, params))
            values[pollutant] = value
        if hour is not None and code in stations:
            earlier = seen.get((code, hour))
            if earlier:
                row_problems.append(
                    Problem(line, "hour_ending", N_("Duplicate of line {line}."), {"line": earlier})
                )
            seen.setdefault((code, hour), line)
        problems.extend(row_problems)
        if not row_problems:
            rows.append({"station_code": code, "observed_at": hour, **values})
    problems.extend(_already_stored(session, seen))
    return ValidationReport(rows, problems)


def _records(reader: csv.DictReader, problems: list[Problem]) -> Iterator[dict[str, str]]:
    """The reader's records until one cannot be read; that one is a problem at its line."""
    try:
        yield from reader
    except csv.Error:
        problems.append(Problem(reader.line_num + 1, "", UNREADABLE_LINE))


def _already_stored(session: Session, seen: dict[tuple[str, datetime], int]) -> list[Problem]:
    if not seen:
        return []
    hours = [hour for _, hour in seen]
    stored = session.exec(
        select(AirHourly.station_code, AirHourly.observed_at).where(
            col(AirHourly.observed_at) >= min(hours), col(AirHourly.observed_at) <= max(hours)
        )
    ).all()
    clashes = {(code, moment) for code, moment in stored} & set(seen)
    return [
        Problem(seen[key], "hour_ending", N_("This station already has data for this hour."))
        for key in sorted(clashes, key=seen.__getitem__)
    ]


def beijing_day(hour_ending: datetime) -> date:
    """The Beijing day an hour belongs to (the hour ending 00:00 closes the previous day)."""
    return (hour_ending - timedelta(hours=1)).astimezone(BEIJING).date()


def import_hourly(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    file_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate, then import every row or none, in the caller's unit of work: the rows, the
    rebuilt daily values and the audit entry are saved together or not at all."""
    accounts.require(actor, Role.DATA_EDITOR)
    report = validate_csv(data, session=session)
    if not report.ok:
        return report
    _insert_rows(session, report.rows, progress)
    first_hour = min(row["observed_at"] for row in report.rows)  # type: ignore[type-var]
    refresh_daily(session, since_day=beijing_day(first_hour))  # type: ignore[arg-type]
    audit.record(
        session, actor=actor.username, action="air.import", object_type="air_hourly",
        details={"file": file_name, "rows": len(report.rows)},
    )  # fmt: skip
    session.flush()
    return report


def _insert_rows(
    session: Session, rows: list[dict[str, object]], progress: Callable[[int, int], None] | None
) -> None:
    conn, total = session.connection(), len(rows)
    for start in range(0, total, BATCH):
        chunk = rows[start : start + BATCH]
        batch = [{**row, "is_valid": True, "source": "import"} for row in chunk]
        conn.execute(insert(AirHourly), batch)
        if progress:
            progress(min(start + BATCH, total), total)


def flag_invalid(
    session: Session, *, actor: Actor, station: str, hour_ending: datetime, reason: str
) -> bool:
    """Mark one station-hour invalid (kept, but excluded from every statistic); audited. Runs in
    the caller's unit of work, with the daily values it changes."""
    accounts.require(actor, Role.DATA_EDITOR)
    reason = reason.strip()
    if not reason:
        raise UserFacingError(N_("Give a reason for flagging the hour."))
    row = session.exec(
        select(AirHourly).where(
            AirHourly.station_code == station, AirHourly.observed_at == hour_ending
        )
    ).first()
    if row is None:
        return False
    row.is_valid = False
    session.add(row)
    audit.record(
        session, actor=actor.username, action="air.flag_invalid", object_type="air_hourly",
        object_id=row.id or "",
        details={"station": station, "hour_ending": hour_ending.isoformat(), "reason": reason},
    )  # fmt: skip
    refresh_daily(session, since_day=beijing_day(hour_ending))
    session.flush()
    return True

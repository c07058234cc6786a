"""The open-data layer: endpoints and their parameters as plain data, one parser per kind of
parameter, one error type, formula-safe CSV and GeoJSON.

A capability declares its endpoints (`Endpoint`, `Param`, `Span`) next to its handlers
(services/air/api.py, services/water/api.py, services/complaints/open_data.py). The HTTP layer
(portal/kit/http.py) parses a request with `Endpoint.parse`, calls the handler with the parsed
values and renders the rows. The declarations hold only names, kinds, bounds, descriptions and
message ids, so an OpenAPI document can be written from them (`Param.schema`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from services.core.clock import BEIJING
from services.core.messages import N_, UserFacingError

Kind = Literal["text", "date", "integer", "choice"]
Format = Literal["json", "csv", "geojson", "open311", "atom"]
ErrorStyle = Literal["plain", "open311"]  # {"error": …} or GeoReport v2's [{code, description}]
Row = dict[str, Any]
Choices = Collection[str] | Callable[[], Collection[str]]

SHOWN_CHARS = 40  # a refused value is echoed in the error cut to this length
# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheets
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

NOT_A_DATE = N_("{name} must be a date like 2026-03-01.")
NOT_A_WHOLE_NUMBER = N_("{name} must be a whole number from {low} to {high}.")
NOT_A_CHOICE = N_("{name} must be one of: {choices}.")
SPAN_TOO_LONG = N_("Ask for at most {days} days at a time.")
TO_BEFORE_FROM = N_("'to' must not be before 'from'.")
NOT_VALID = N_("Not a valid {name}: {value}.")
BEFORE_2000 = N_("The date is before 2000: {value}.")
# no open data is older than EARLIEST; days far out overflow the time-zone arithmetic
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)


class BadRequest(UserFacingError):
    """A refused open-data request: a msgid and its params, answered with 400."""


# --- declarations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of an endpoint, in the query string or (`in_path`) in the path."""

    name: str
    description: str
    kind: Kind = "text"
    required: bool = False
    arg: str = ""  # the handler's keyword argument; "" means `name`
    default: Any = None  # when absent (a `many` parameter absent is an empty tuple)
    in_path: bool = False
    many: bool = False  # comma-separated values, repeats dropped, as a tuple
    max_items: int | None = None  # with `many`
    choices: Choices = ()  # kind "choice": the known values, or a function giving them
    low: int | None = None  # kind "integer"
    high: int | None = None
    pattern: str = ""  # kind "text": every value must match this regular expression
    max_length: int | None = None  # kind "text": longer text is cut to this
    times: bool = False  # kind "date": a date-time is taken as the Beijing day it falls on
    invalid: str = ""  # msgid for a value that is not allowed; "" means the kind's own
    missing: str = ""  # msgid for a required parameter left out; "" means `invalid`
    too_many: str = ""  # msgid, with {count}, for more than `max_items` values

    @property
    def key(self) -> str:
        return self.arg or self.name

    def allowed(self) -> Collection[str]:
        return self.choices() if callable(self.choices) else self.choices

    def parse(self, text: str | None) -> Any:
        """The parsed value of the parameter's text (None or "" when absent)."""
        text = (text or "").strip()
        if not self.many:
            return self._one(text) if text else self._absent()
        values = tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
        if not values:
            return self._absent(empty=())
        if self.max_items is not None and len(values) > self.max_items:
            raise self.error(self.too_many or self.invalid, text, count=self.max_items)
        return tuple(self._one(v) for v in values)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the parameter's value, as an OpenAPI parameter object holds it."""
        one: dict[str, Any] = {"type": "integer" if self.kind == "integer" else "string"}
        if self.kind == "date":
            one["format"] = "date"
        if self.kind == "choice":
            one["enum"] = _ordered(self.allowed())
        pattern = f"^(?:{self.pattern})$" if self.pattern else None  # the parser's fullmatch
        bounds = {"minimum": self.low, "maximum": self.high, "pattern": pattern,
                  "maxLength": self.max_length, "default": self.default}  # fmt: skip
        one.update({k: v for k, v in bounds.items() if v is not None})
        if not self.many:
            return one
        many = {"type": "array", "items": one, "maxItems": self.max_items}
        return {k: v for k, v in many.items() if v is not None}  # no maxItems: any number

    def error(self, msgid: str, value: str, **params: object) -> BadRequest:
        """The refusal of `value`: the params carry it as `value` and under the parameter's name."""
        shown = value[:SHOWN_CHARS]
        return BadRequest(msgid or _INVALID[self.kind], **{"name": self.name, "value": shown,
                                                           self.name: shown, **params})  # fmt: skip

    def _absent(self, empty: Any = None) -> Any:
        if self.required:
            raise self.error(self.missing or self.invalid, "")
        return empty if self.default is None else self.default

    def _one(self, text: str) -> Any:
        return _PARSERS[self.kind](self, text)


@dataclass(frozen=True)
class Span:
    """Two date parameters that make a range: `end` not before `start`, at most `max_days`."""

    start: str  # the parameters' names
    end: str
    order: str = TO_BEFORE_FROM  # msgid when the end is before the start
    max_days: int | None = None

    def check(self, first: date | None, last: date | None) -> None:
        if first is None or last is None:
            return
        if last < first:
            raise BadRequest(self.order, start=self.start, end=self.end)
        if self.max_days is not None and (last - first).days + 1 > self.max_days:
            raise BadRequest(SPAN_TOO_LONG, days=self.max_days)


@dataclass(frozen=True)
class Endpoint:
    """One open-data route: what it is, what it takes and how it answers."""

    path: str
    summary: str
    params: tuple[Param, ...] = ()
    spans: tuple[Span, ...] = ()
    formats: tuple[Format, ...] = ("json", "csv")  # the first is the default; `?format=` picks
    name: str = ""  # a download's file name, without the extension
    columns: tuple[str, ...] = ()  # a fixed CSV header, written even when there are no rows
    max_rows: int | None = None  # more rows than this are cut, and the response says so
    errors: ErrorStyle = "plain"
    not_found: str = ""  # msgid of the 404 when the handler finds nothing

    def parse(
        self, query: Mapping[str, str], *, path: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The handler's keyword arguments from the request, or BadRequest."""
        where = path or {}
        values = {p.name: p.parse(where.get(p.name) if p.in_path else query.get(p.name))
                  for p in self.params}  # fmt: skip
        for span in self.spans:
            span.check(values[span.start], values[span.end])
        return {p.key: values[p.name] for p in self.params}

    def choose(self, wanted: str | None) -> Format:
        """The response format asked for, or the default one."""
        return next((f for f in self.formats if f == wanted), self.formats[0])


def from_to(*, max_days: int, required: bool) -> tuple[tuple[Param, Param], Span]:
    """`from` and `to` (the handler's `start` and `end`): Beijing days, inclusive."""
    first = Param("from", "First day, like 2026-06-01 (Beijing time)", kind="date",
                  required=required, arg="start")  # fmt: skip
    last = Param("to", "Last day, inclusive (Beijing time)", kind="date", required=required,
                 arg="end")  # fmt: skip
    return (first, last), Span("from", "to", max_days=max_days)


# --- parsers -----------------------------------------------------------------------------------


def _text(param: Param, text: str) -> str:
    if param.pattern and not re.fullmatch(param.pattern, text):
        raise param.error(param.invalid, text)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):  # PostgreSQL refuses NUL
        raise param.error(param.invalid or NOT_VALID, text)
    return text[: param.max_length] if param.max_length is not None else text


def _date(param: Param, text: str) -> date:
    try:
        if not param.times or len(text) == 10:
            day = date.fromisoformat(text)
        else:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=BEIJING)
            day = moment.astimezone(BEIJING).date()
    except (ValueError, OverflowError):  # OverflowError: a date-time at the end of the calendar
        raise param.error(param.invalid, text) from None
    if day < EARLIEST:
        raise param.error(BEFORE_2000, text)
    if day > LATEST:
        raise param.error(param.invalid, text)
    return day


def _integer(param: Param, text: str) -> int:
    low = param.low if param.low is not None else 0
    high = param.high if param.high is not None else 2**31 - 1
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise param.error(param.invalid, text, low=low, high=high)
    return int(text)


def _choice(param: Param, text: str) -> str:
    allowed = param.allowed()
    if text not in allowed:
        raise param.error(param.invalid, text, choices=", ".join(_ordered(allowed)))
    return text


def _ordered(values: Collection[str]) -> list[str]:
    return list(values) if isinstance(values, Sequence) else sorted(values)


_PARSERS: dict[str, Callable[[Param, str], Any]] = {
    "text": _text, "date": _date, "integer": _integer, "choice": _choice,
}  # fmt: skip
_INVALID = {"text": NOT_VALID, "date": NOT_A_DATE, "integer": NOT_A_WHOLE_NUMBER,
            "choice": NOT_A_CHOICE}  # fmt: skip


# --- CSV and GeoJSON ---------------------------------------------------------------------------


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
    injection guidance); other text and non-text values (numbers, booleans) are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Row], *, columns: Sequence[str] = ()) -> bytes:
    """Rows as CSV, every cell through `safe_cell`; the header is `columns`, or the first row's
    keys. UTF-8 with a byte-order mark: without it Excel reads a CSV in the system code page and
    shows Chinese text as mojibake."""
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    if columns:
        writer = csv.DictWriter(buffer, fieldnames=list(columns))
        writer.writeheader()
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def feature_collection(rows: Iterable[Row], *, lat: str = "lat", lon: str = "lon") -> Row:
    """A GeoJSON FeatureCollection: one Point feature per row (no geometry without both
    coordinates), the row's other fields as its properties."""
    return {"type": "FeatureCollection", "features": [_feature(r, lat, lon) for r in rows]}


def _feature(row: Row, lat: str, lon: str) -> Row:
    y, x = row.get(lat), row.get(lon)
    point = None if x is None or y is None else {"type": "Point", "coordinates": [x, y]}
    properties = {k: v for k, v in row.items() if k not in (lat, lon)}
    return {"type": "Feature", "geometry": point, "properties": properties}

"""Hostile input for every declared entry point and open-data parameter: the strategies, derived
from the declarations alone (services/shared/entry_points.py, services/shared/open_data.py), and
the harness that submits an example and checks what became of it."""

from __future__ import annotations

import codecs
import csv
import io
import sqlite3
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from PIL import Image
from sqlalchemy.engine import Engine

from portal.kit import i18n
from services import domains
from services.core.accounts import Actor, Grant
from services.core.clock import today
from services.core.messages import UserFacingError
from services.shared.capability import EntryPoint
from services.shared.entry_points import InputField, Refused
from services.shared.open_data import Param

# --- text ----------------------------------------------------------------------------------------

CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028",
            "\u2029", "\u200b", "\u200e", "\u202e", "\ufeff", "\ufffe", "\uffff"]  # fmt: skip
CONFUSABLES = ["１２３", "٣٤", "²", "Ⅻ", "ｓｅｌｅｃｔ", "раураl", "İ", "ß", "ﬁ", "e\u0301",
               "\U0001f4a9", "𝟏𝟐", "〇", "一二三"]  # fmt: skip
INJECTION = ["' OR '1'='1", "'; DROP TABLE complaint_case; --", "%", "_", "%_%", "\\", "\\x00",
             "<script>alert(1)</script>", "]]>", "<![CDATA[x]]>", "&amp;&#0;", "{}", "{0}",
             "{name}", "{value!r}", "%s%s%n", "=cmd|' /C calc'!A0", "+1+1", "-1", "@SUM(A1)",
             "\t=1", "../../etc/passwd", "%00", "%2e%2e%2f", "\u202egnp.exe", "null", "None",
             "true", "[]", '{"a":1}', "?", "#", "&", "=", ";", ",", ",,,", '"', '""',
             "'"]  # fmt: skip
NUMBERS = ["0", "-0", "+0", "00", "1e309", "-1e309", "1e-999999", "1e999999", "NaN", "nan",
           "inf", "-Infinity", "0x1F", "1_000", "1,000", " 1 ", "1.", ".5", "12.5.3", "-1",
           "2147483648", "99999999999999999999999", "3001", "1501", "10001", "1e10", "<", "<0",
           "<-1", "< 0.01", "<<1", "１２"]  # fmt: skip
DATES = ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00",
         "0001-01-01T00:00:00+00:00", "0001-01-01T01:00", "9999-12-31T23:00", "1999-12-31",
         "2000-01-01", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "20260101",
         "2026-W01-1", "2026-09-16T24:00", "2026-09-16T10:00:00.000001", "2026-09-16T10:30",
         "2026-09-16 10:00+08:00", "2026-09-16T10:00Z", "2026-9-6", "16/09/2026", "now",
         "2026-09-16T10:00:00+99:00"]  # fmt: skip
HUGE = ["x" * 5_000, "界" * 20_000, "a" * 140_000, "1," * 50_000, "\x00" * 10_000]
HOSTILE = CONTROLS + CONFUSABLES + INJECTION + NUMBERS + DATES + ["", " ", "\r\n", "\r", "\n"]


def _mix(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A value with hostile text before, inside or after it."""
    return st.tuples(base, st.sampled_from(CONTROLS + INJECTION + CONFUSABLES),
                     st.sampled_from(["prefix", "suffix", "inside", "case", "spaces"])).map(
        lambda t: {"prefix": t[1] + t[0], "suffix": t[0] + t[1],
                   "inside": t[0][: len(t[0]) // 2] + t[1] + t[0][len(t[0]) // 2 :],
                   "case": t[0].swapcase(), "spaces": f"  {t[0]}\t"}[t[2]])  # fmt: skip


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Co"]), max_size=12),
    _mix(st.text(min_size=1, max_size=30)),
    st.sampled_from(HUGE),
)


def text_like(good: Sequence[str]) -> st.SearchStrategy[str]:
    """Known-good values, hostile ones, and the good ones with hostile text mixed in."""
    if not good:
        return hostile_text
    return st.one_of(st.sampled_from(list(good)), hostile_text, _mix(st.sampled_from(list(good))))


# --- uploads ------------------------------------------------------------------------------------


def _image(fmt: str, size=(8, 6), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 100)).save(out, fmt)
    return out.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares huge dimensions (CRC correct, the data does not match)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG with its frame header rewritten to declare other dimensions."""
    data = bytearray(_image("JPEG"))
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


PNG, JPEG, WEBP = _image("PNG"), _image("JPEG"), _image("WEBP")
GOOD_UPLOADS = [PNG, JPEG, WEBP, _image("PNG", mode="RGBA"), _image("JPEG", (40, 30))]
BAD_UPLOADS = [
    b"", PNG[: len(PNG) // 2], JPEG[:200], b"\x89PNG\r\n\x1a\n", b"GIF89a" + PNG[6:],
    _image("GIF"), _image("BMP"), b"<html><script>alert(1)</script></html>", b"\x00" * 100,
    _png_declaring(30_000, 30_000), _png_declaring(2**31 - 1, 1), _png_declaring(0, 0),
    _png_declaring(5_000, 4_000), _jpeg_declaring(65_000, 65_000), _jpeg_declaring(0, 10),
    b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
    b"\x00" * (10 * 1024 * 1024 + 1),
]  # fmt: skip


@st.composite
def _flipped(draw) -> bytes:
    """A valid image with a few bytes changed: broken chunks, lengths, markers."""
    data = bytearray(draw(st.sampled_from(GOOD_UPLOADS)))
    for _ in range(draw(st.integers(1, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


one_upload = st.one_of(st.sampled_from(GOOD_UPLOADS), st.sampled_from(BAD_UPLOADS), _flipped(),
                       st.binary(max_size=64))  # fmt: skip
uploads = st.one_of(st.just([]), st.lists(st.sampled_from(GOOD_UPLOADS), min_size=1, max_size=2),
                    st.lists(one_upload, max_size=8))  # fmt: skip


# --- forms ----------------------------------------------------------------------------------------


def _choice_like(allowed: Sequence[str], good: Sequence[Any]) -> st.SearchStrategy[str]:
    known = list(good) or list(allowed)
    return st.one_of(st.sampled_from(known), st.sampled_from(list(allowed) or [""]),
                     hostile_text, _mix(st.sampled_from(known or [""])))  # fmt: skip


def _dates(good: Sequence[Any]) -> st.SearchStrategy[date | None]:
    now = today()
    edges = [date.min, date.max, now, now + timedelta(days=1), now - timedelta(days=730),
             now - timedelta(days=731), date(2000, 1, 1)]  # fmt: skip
    return st.one_of(st.none(), st.dates(), st.sampled_from(edges + list(good)))


def _numbers(good: Sequence[Any]) -> st.SearchStrategy[float | None]:
    edges = [26.0, 27.5, 106.0, 107.4, 25.999999, 107.400001, -0.0, 0.0, 1e308, -1e308,
             5e-324]  # fmt: skip
    return st.one_of(st.none(), st.floats(), st.sampled_from(edges + list(good)),
                     st.floats(26.0, 27.5), st.floats(106.0, 107.4))  # fmt: skip


def _receipts(good: Sequence[str]) -> st.SearchStrategy[str]:
    digits = st.text("0123456789", min_size=19, max_size=21)
    if not good:
        return st.one_of(digits, hostile_text)
    known = st.sampled_from(list(good))
    spaced = known.map(lambda r: " ".join(r[i : i + 4] for i in range(0, 20, 4)))
    dashed = known.map(lambda r: "-".join(r[i : i + 5] for i in range(0, 20, 5)))
    wide = known.map(lambda r: r.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}))
    return st.one_of(known, spaced, dashed, wide, digits, hostile_text, _mix(known))


def field_values(field: InputField, good: Sequence[Any]) -> st.SearchStrategy[Any]:
    """What a page could hand over for `field`, good and hostile."""
    kind = field.kind
    if kind == "text":
        return text_like([g for g in good if isinstance(g, str)])
    if kind == "choice":
        return _choice_like(field.allowed(), good)
    if kind == "choices":
        one = _choice_like(field.allowed(), [v for g in good for v in g])
        return st.one_of(st.sampled_from(list(good)) if good else st.just([]),
                         st.lists(one, max_size=6))  # fmt: skip
    if kind == "date":
        return _dates(good)
    if kind == "number":
        return _numbers(good)
    if kind == "flag":
        return st.booleans()
    if kind == "files":
        return uploads
    if kind == "receipt":
        return _receipts(good)
    raise AssertionError(f"no strategy for a {kind} field")


def form_inputs(entry: EntryPoint, good: Mapping[str, Sequence[Any]]) -> st.SearchStrategy[dict]:
    """Mostly known-good forms with one or two hostile fields, and wholly hostile ones."""
    hostile = {f.name: field_values(f, good.get(f.name, ())) for f in entry.fields}
    known = {f.name: st.sampled_from(list(good[f.name])) if good.get(f.name) else hostile[f.name]
             for f in entry.fields}  # fmt: skip

    @st.composite
    def some_hostile(draw) -> dict:
        names = [f.name for f in entry.fields]
        spoiled = set(draw(st.lists(st.sampled_from(names), max_size=2)))
        return {name: draw(hostile[name] if name in spoiled else known[name]) for name in names}

    return st.one_of(some_hostile(), st.fixed_dictionaries(hostile))


# --- file imports ---------------------------------------------------------------------------------


OFFSETS = ["", "", "+08:00", "Z", "+00:00", "-14:00", "+14:00", "+08:30"]


def cell_text(field: InputField, good: Sequence[str]) -> st.SearchStrategy[str]:
    """The text of one cell of an imported file: good, hostile, and hostile for its kind."""
    if field.kind == "date":
        typed = st.one_of(st.sampled_from(DATES), st.dates().map(date.isoformat))
    elif field.kind == "datetime":
        typed = st.one_of(st.sampled_from(DATES), st.tuples(st.datetimes(), st.sampled_from(
            OFFSETS)).map(lambda t: t[0].isoformat(timespec="minutes") + t[1]))  # fmt: skip
    elif field.kind == "number":
        typed = st.one_of(st.sampled_from(NUMBERS), st.floats().map(repr),
                          st.decimals().map(str))  # fmt: skip
    elif field.kind == "choice":
        return _choice_like(field.allowed(), good)
    else:
        return text_like(good)
    known = [st.sampled_from(list(good))] if good else []
    return st.one_of(*known, typed, hostile_text)


def csv_files(columns: Sequence[str], good: Mapping[str, Sequence[Any]],
              fields: Sequence[InputField] = ()) -> st.SearchStrategy:  # fmt: skip
    """A CSV file built from the importer's own header: good and spoiled headers, lines and
    cells, quoting, line ends, byte-order marks, encodings, NUL bytes, huge lines."""
    columns = list(columns)
    headers = st.one_of(
        st.just(columns), st.permutations(columns),
        st.lists(st.sampled_from(columns), max_size=len(columns) + 2),
        st.just(columns).map(lambda c: [x.upper() for x in c]),
        st.just(columns).map(lambda c: [f" {x} " for x in c]),
        st.tuples(st.just(columns), text_like(columns)).map(lambda t: [*t[0], t[1]]),
        st.just(columns).map(lambda c: c[:-1]), st.just([]),
    )  # fmt: skip
    kinds = {f.name: f for f in fields}
    cells = {c: cell_text(kinds.get(c, InputField(c)), [str(v) for v in good.get(c, ())])
             for c in columns}  # fmt: skip
    if good.get("lines"):
        known_line = st.sampled_from(list(good["lines"]))
    else:
        known_line = st.fixed_dictionaries(
            {c: st.sampled_from([str(v) for v in good[c]]) if good.get(c) else cells[c]
             for c in columns})  # fmt: skip
    spoiled = {n: st.lists(st.sampled_from(columns), max_size=n) for n in (1, 2)}

    @st.composite
    def line(draw, header: list[str], clean: bool) -> list[str]:
        base = dict(draw(known_line))
        for name in draw(spoiled[1 if clean else 2]):
            base[name] = draw(cells[name])
        row = [str(base.get(name, "")) for name in header]
        if not clean and draw(st.integers(0, 9)) == 0:
            row.append(draw(hostile_text))  # more fields than the header
        return row

    @st.composite
    def files(draw) -> bytes:
        clean = draw(st.integers(0, 2)) == 0  # a third of the files: only the cells are hostile
        header = columns if clean else draw(headers)
        return _csv_text(draw, header, draw(st.lists(line(header, clean), min_size=int(clean),
                                                     max_size=6)), clean)  # fmt: skip

    return files()


def _csv_text(draw, header: list[str], rows: list[list[str]], clean: bool) -> bytes:
    if rows and not clean and draw(st.booleans()):
        rows.append(rows[0])  # a duplicate line
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        writer = csv.writer(buffer, lineterminator=newline, quoting=quoting)
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # joined by hand: commas, quotes and line breaks inside cells break the lines
        text = newline.join(",".join(r) for r in [header, *rows]) + newline
    if clean:
        return text.encode("utf-8")
    text += draw(st.sampled_from(["", newline * 3, ",,,,,,," + newline, "\x00"]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030",
                                     "utf-16", "latin-1", "cp1252"]))  # fmt: skip
    data = text.encode(encoding, errors="replace")
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "nul", "bom"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "bom":
        data = codecs.BOM_UTF8 * 2 + data
    return data


def entry_inputs(entry: EntryPoint, good: Mapping[str, Sequence[Any]]) -> st.SearchStrategy:
    if entry.kind == "import":
        return csv_files(entry.columns, good, entry.fields)
    return form_inputs(entry, good)


# --- open-data parameters -------------------------------------------------------------------------


def param_values(param: Param) -> st.SearchStrategy[str]:
    """The text of one query or path parameter, good and hostile, for its kind."""
    if param.kind == "choice":
        allowed = sorted(param.allowed())
        one = _choice_like(allowed, allowed)
    elif param.kind == "date":
        recent = [(today() - timedelta(days=n)).isoformat() for n in range(0, 40, 3)]
        one = st.one_of(st.sampled_from(recent), st.dates().map(date.isoformat),
                        st.sampled_from(DATES), hostile_text,
                        st.datetimes().map(lambda d: d.isoformat()))  # fmt: skip
    elif param.kind == "integer":
        low, high = param.low or 0, param.high or 2**31 - 1
        one = st.one_of(st.integers(low, high).map(str), st.integers(-(2**70), 2**70).map(str),
                        st.sampled_from(NUMBERS), hostile_text)  # fmt: skip
    else:
        one = hostile_text
    if not param.many:
        return one
    count = (param.max_items or 5) + 1
    return st.one_of(one, st.lists(one, max_size=count + 1).map(",".join))


# --- the harness ----------------------------------------------------------------------------------


def tables_of(entry: EntryPoint) -> tuple[str, ...]:
    """The tables of the capability that declares `entry`, and the audit log."""
    owner = next(m for m in domains.domains() if entry in m.entry_points)
    return (*owner.tables, "audit_log")


def actor_for(entry: EntryPoint) -> Actor | None:
    if not entry.roles:
        return None
    return Actor(1, "hostile", "Hostile input", tuple(Grant(role) for role in entry.roles))


def translatable(error: UserFacingError) -> None:
    """A refusal says why in words the portal has in both languages, with its params filled."""
    problems = error.problems if isinstance(error, Refused) else []
    messages = [(p.msgid, p.params) for p in problems] or [(error.msgid, error.params)]
    catalog = i18n.translations("zh_CN")
    for msgid, params in messages:
        assert msgid, f"a refusal without a message: {error!r}"
        assert msgid in getattr(catalog, "_catalog", {}), f"not in the zh_CN catalog: {msgid!r}"
        for lang in i18n.LANGS:
            i18n.translations(lang).gettext(msgid).format(**params)


class Database:
    """The test database: every write to the watched tables counted (by triggers, so a refused
    input that wrote anything shows, inserts, updates and deletes alike), and a snapshot to go
    back to after an accepted input."""

    def __init__(self, engine: Engine, tables: Sequence[str] = ()) -> None:
        self.engine = engine
        self.path = engine.url.database
        declared = sorted(set(tables) or {t for m in domains.domains() for t in m.tables})
        with engine.begin() as conn:
            existing = set(engine.dialect.get_table_names(conn))
            self.tables = [name for name in declared if name in existing]
            conn.exec_driver_sql("CREATE TABLE hostile_writes (tbl TEXT PRIMARY KEY, n INTEGER)")
            for name in self.tables:
                conn.exec_driver_sql(f"INSERT INTO hostile_writes VALUES ('{name}', 0)")
                for op in ("INSERT", "UPDATE", "DELETE"):
                    conn.exec_driver_sql(
                        f"CREATE TRIGGER hostile_{name}_{op.lower()} AFTER {op} ON {name} "
                        f"BEGIN UPDATE hostile_writes SET n = n + 1 WHERE tbl = '{name}'; END"
                    )
        self.snapshot: sqlite3.Connection | None = None

    def fingerprint(self) -> dict[str, int]:
        """Per watched table: how many rows were ever written to it (committed)."""
        with self.engine.connect() as conn:
            return dict(conn.exec_driver_sql("SELECT tbl, n FROM hostile_writes").all())

    def save(self) -> None:
        self.engine.dispose()
        source, self.snapshot = sqlite3.connect(self.path), sqlite3.connect(":memory:")
        source.backup(self.snapshot)
        source.close()

    def restore(self) -> None:
        assert self.snapshot is not None
        self.engine.dispose()
        target = sqlite3.connect(self.path)
        target.execute("PRAGMA synchronous=OFF")  # a test database: no fsync per restore
        self.snapshot.backup(target)
        target.close()


def check_one(entry: EntryPoint, db: Database, raw: Any, *, actor: Actor | None,
              outcomes: Counter) -> None:  # fmt: skip
    """Stored and read back as accepted, or refused with a message and nothing written; any
    other exception fails the example."""
    before = db.fingerprint()
    try:
        stored = entry.submit(db.engine, raw, actor=actor)
    except UserFacingError as refused:
        translatable(refused)
        assert db.fingerprint() == before, f"{entry.name}: a refused input wrote to the database"
        outcomes["refused"] += 1
        return
    assert entry.read_back(db.engine, stored) == stored, f"{entry.name}: stored differently"
    outcomes["stored"] += 1
    db.restore()


def prepared(entry: EntryPoint, db: Database) -> Mapping[str, Sequence[Any]]:
    """The entry point's known-good values; the database is saved after it made them."""
    good = entry.prepare(db.engine) if entry.prepare else {}
    db.save()
    return good


Submit = Callable[[Any], None]

"""CSV import of section samples: all or nothing, every problem reported by line, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlmodel
from sqlalchemy import func, insert, select
from sqlmodel import Session

from services.core import accounts, audit
from services.core.accounts import Role
from services.water import importer, sections
from services.water.model import below_dl_codes, water_sample
from tests.conftest import add_staff

HEADER = "section_code,sampled_on,item,value,unit\n"
DAY = "2026-06-01"
DAY2 = "2026-06-02"


@pytest.fixture
def db(engine):
    return engine


@pytest.fixture
def codes() -> list[str]:
    """Two section codes from the registry."""
    found = [s.code for s in sections.sections()]
    assert len(found) >= 2
    return found[:2]


def editor(engine, role=Role.DATA_EDITOR):
    """The test's staff member "editor", created on first use."""
    with Session(engine) as session:
        query = sqlmodel.select(accounts.StaffUser).where(accounts.StaffUser.username == "editor")
        user = session.exec(query).first()
        if user is not None:
            return accounts.actor_for(session, user)
    return add_staff(engine, "editor", role)


def run(engine, body: str, *, actor=None, header: str = HEADER, **kwargs):
    return importer.import_samples(
        engine, actor=actor or editor(engine), data=(header + body).encode(), file_name="w.csv",
        **kwargs,
    )  # fmt: skip


def stored(engine) -> list[dict]:
    with engine.connect() as conn:
        query = select(water_sample).order_by(
            water_sample.c.section_code, water_sample.c.sampled_on
        )
        return [dict(row) for row in conn.execute(query).mappings()]


def count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(water_sample)).scalar_one()


def test_a_valid_file_is_imported_as_one_row_per_section_and_day(db, codes):
    a, b = codes
    body = (
        f"{a},{DAY},pH,7.6,\n"
        f"{a},{DAY},DO,8.1,mg/L\n"
        f"{a},{DAY},NH3_N,0.32,mg/L\n"
        f"{a},{DAY},TP,<0.01,mg/L\n"
        f"{a},{DAY},fecal_coliform,2400,个/L\n"
        f"{b},{DAY},CODMn,3.1,mg/L\n"
    )
    progress = []
    report = run(db, body, progress=lambda done, total: progress.append((done, total)))
    assert report.ok and len(report.rows) == 6
    assert progress[-1] == (2, 2)
    first, second = stored(db)
    assert (first["section_code"], first["sampled_on"]) == (a, date(2026, 6, 1))
    assert (first["v_ph"], first["v_do"], first["v_nh3_n"], first["v_tp"]) == (7.6, 8.1, 0.32, 0.01)
    assert first["v_fecal_coliform"] == 2400 and first["v_codmn"] is None
    assert below_dl_codes(first["below_dl"]) == ["TP"]
    assert first["source"] == "import" and first["updated_at"] is not None
    assert (second["section_code"], second["v_codmn"], second["below_dl"]) == (b, 3.1, 0)
    with Session(db) as session:
        entry = session.exec(
            sqlmodel.select(audit.AuditEntry).where(audit.AuditEntry.action == "water.import")
        ).one()
    assert entry.actor == "editor" and entry.object_type == "water_sample"
    assert json.loads(entry.details) == {"file": "w.csv", "lines": 6, "samples": 2}


@pytest.mark.parametrize(
    ("item", "unit"),
    [("pH", ""), ("pH", "dimensionless"), ("pH", "无量纲"), ("fecal_coliform", "count/L"),
     ("fecal_coliform", "个/L"), ("COD", "mg/L"), ("COD", "mg/l")],
)  # fmt: skip
def test_the_accepted_spellings_of_each_unit(db, codes, item, unit):
    assert run(db, f"{codes[0]},{DAY},{item},7,{unit}\n").ok


def test_a_bad_file_imports_nothing_and_lists_each_problem_by_line(db, codes):
    a, b = codes
    assert run(db, f"{a},2026-05-01,NH3_N,0.5,mg/L\n").ok  # stored before
    before = stored(db)
    body = (
        f"{a},2026-05-01,TP,0.1,mg/L\n"  # line 2: fine (a new item of the stored sample)
        f"X-NOT-A-SECTION,{DAY},COD,12,mg/L\n"  # line 3: unknown section
        f"{a},{DAY},NH4,0.5,mg/L\n"  # line 4: unknown item
        f"{a},{DAY},Hg,0.05,ug/L\n"  # line 5: wrong unit
        f"{a},{DAY},COD,-1,mg/L\n"  # line 6: negative
        f"{a},{DAY},pH,14.5,\n"  # line 7: pH above 14
        f"{a},{DAY},DO,30,mg/L\n"  # line 8: DO above 25 mg/L
        f"{a},{DAY2},pH,<6,\n"  # line 9: pH below the detection limit
        f"{a},{DAY},TN,n.d.,mg/L\n"  # line 10: not a number
        f"{a},2099-01-01,TN,1.2,mg/L\n"  # line 11: in the future
        f"{b},{DAY},TP,0.02,mg/L\n"  # line 12: fine
        f"{b},{DAY},TP,0.03,mg/L\n"  # line 13: duplicate of line 12
        f"{a},2026-05-01,NH3_N,0.6,mg/L\n"  # line 14: already stored
        f"{a},{DAY2},COD,20000,mg/L\n"  # line 15: beyond the plausible range
        f"{a},1999-12-31,COD,12,mg/L\n"  # line 16: before 2000
        f"{a},{DAY2},TN,NaN,mg/L\n"  # line 17: not a finite number
        f"{a},{DAY},fecal_coliform,2e9,count/L\n"  # line 18: beyond the plausible range
        f"{a},{DAY2},DO,<0.5,mg/L\n"  # line 19: DO below the detection limit
        f"{a},2026-02-30,COD,12,mg/L\n"  # line 20: no such day
    )
    report = run(db, body)
    found = [(p.row, p.column, p.msgid) for p in report.problems]
    assert found == [
        (3, "section_code", "Unknown section: {section}."),
        (4, "item", "Unknown item: {item}."),
        (5, "unit", "{item} must be given in {expected}, not {unit}."),
        (6, "value", "A concentration cannot be negative: {value}."),
        (7, "value", "A pH must be between 0 and 14: {value}."),
        (8, "value", "Dissolved oxygen cannot exceed 25 mg/L: {value}."),
        (9, "value", "{item} cannot be below the detection limit: {value}."),
        (10, "value", "Not a number: {value}."),
        (11, "sampled_on", "The date is in the future: {value}."),
        (13, "item", "Duplicate of line {line}."),
        (14, "item", "This section already has a stored {item} value for this day."),
        (15, "value", "{value} {unit} is beyond the plausible range; check the units."),
        (16, "sampled_on", "The date is before 2000: {value}."),
        (17, "value", "Not a number: {value}."),
        (18, "value", "{value} {unit} is beyond the plausible range; check the units."),
        (19, "value", "{item} cannot be below the detection limit: {value}."),
        (20, "sampled_on", "Not a date (YYYY-MM-DD): {value}."),
    ]
    params = {p.row: p.params for p in report.problems}
    assert params[5] == {"item": "Hg", "expected": "mg/L", "unit": "ug/L"}
    assert params[13] == {"line": 12}
    assert params[14] == {"item": "NH3_N"}
    assert params[15]["unit"] == "mg/L"
    assert stored(db) == before  # neither the new item on line 2 nor line 12 was written


def test_a_line_can_have_several_problems_and_empty_lines_keep_the_numbering(db, codes):
    body = f"\n{codes[0]},someday,nh3_n,,mg/L\n,,,,\n{codes[0]},{DAY},COD,1,mg/L,extra\n"
    report = run(db, body)
    assert [(p.row, p.column, p.msgid) for p in report.problems] == [
        (3, "sampled_on", "Not a date (YYYY-MM-DD): {value}."),
        (3, "item", "Unknown item: {item}. Did you mean {code}?"),
        (3, "value", "The value is missing."),
        (5, "", "This line has more fields than the header."),
    ]
    assert report.problems[1].params == {"item": "nh3_n", "code": "NH3_N"}
    assert count(db) == 0


def test_adding_items_to_a_stored_sample_updates_that_row(db, codes):
    a = codes[0]
    assert run(db, f"{a},{DAY},NH3_N,<0.025,mg/L\n{a},{DAY},pH,7.2,\n").ok
    (first,) = stored(db)
    report = run(db, f"{a},{DAY},TP,<0.01,mg/L\n{a},{DAY},COD,12,mg/L\n")
    assert report.ok
    (row,) = stored(db)
    assert row["id"] == first["id"]
    assert (row["v_nh3_n"], row["v_ph"], row["v_tp"], row["v_cod"]) == (0.025, 7.2, 0.01, 12)
    assert below_dl_codes(row["below_dl"]) == ["NH3_N", "TP"]
    assert row["updated_at"] >= first["updated_at"]


def test_a_value_stored_during_the_import_rolls_the_whole_file_back(db, codes, monkeypatch):
    a = codes[0]
    assert run(db, f"{a},2026-05-01,NH3_N,0.5,mg/L\n").ok
    validate = importer.validate_csv

    def validate_then_someone_stores(data, *, session):
        report = validate(data, session=session)
        with db.begin() as conn:  # another editor, between the check and the import
            conn.execute(insert(water_sample).values(
                section_code=a, sampled_on=date(2026, 6, 1), v_cod=9.0, below_dl=0,
                source="import", updated_at=importer.utcnow(),
            ))  # fmt: skip
        monkeypatch.setattr(importer, "validate_csv", validate)
        return report

    monkeypatch.setattr(importer, "validate_csv", validate_then_someone_stores)
    body = f"{a},2026-05-01,TP,0.1,mg/L\n{a},{DAY},COD,12,mg/L\n"  # an update, then an insert
    report = run(db, body)
    assert [(p.row, p.params) for p in report.problems] == [(3, {"item": "COD"})]
    rows = stored(db)
    assert rows[0]["v_tp"] is None and rows[1]["v_cod"] == 9.0  # the update was rolled back


def test_only_data_editors_may_import(db, codes):
    with pytest.raises(accounts.PermissionDenied):
        run(db, f"{codes[0]},{DAY},COD,12,mg/L\n", actor=editor(db, Role.SITE_OFFICER))
    assert count(db) == 0


def test_a_byte_order_mark_is_accepted(db, codes):
    data = ("\ufeff" + HEADER + f"{codes[0]},{DAY},COD,12,mg/L\r\n").encode()
    report = importer.import_samples(db, actor=editor(db), data=data, file_name="excel.csv")
    assert report.ok and stored(db)[0]["v_cod"] == 12


@pytest.mark.parametrize(
    ("header", "params"),
    [
        ("section_code,sampled_on,item,value\n", {"columns": "unit"}),
        ("section,sampled_on,item,value,unit\n", {"columns": "section_code"}),
    ],
)
def test_a_missing_column_refuses_the_whole_file(db, codes, header, params):
    report = run(db, f"{codes[0]},{DAY},COD,12\n", header=header)
    first = report.problems[0]  # a renamed column is also reported as unexpected
    assert (first.row, first.msgid, first.params) == (0, "Missing columns: {columns}.", params)
    assert count(db) == 0


def test_an_extra_column_refuses_the_whole_file(db, codes):
    report = run(db, f"{codes[0]},{DAY},COD,12,mg/L,x\n", header=HEADER.strip() + ",note\n")
    assert [(p.row, p.params["columns"]) for p in report.problems] == [(0, "note")]


def test_a_file_that_is_not_utf8_is_refused(db):
    report = importer.import_samples(
        db, actor=editor(db), data="站,日期\n".encode("gbk"), file_name="gbk.csv"
    )
    assert [p.msgid for p in report.problems] == ["The file is not UTF-8 text."]


def test_too_many_lines_are_refused(db, codes, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    body = "".join(f"{codes[0]},{DAY},{item},1,mg/L\n" for item in ("COD", "TP", "TN"))
    report = run(db, body)
    assert [(p.row, p.params) for p in report.problems] == [(4, {"n": 2})]
    assert count(db) == 0


def test_an_empty_file_imports_nothing(db):
    report = run(db, "")
    assert not report.ok and report.problems == [] and count(db) == 0


def test_the_template_is_a_valid_file(db):
    with Session(db) as session:
        report = importer.validate_csv(importer.template_csv().encode(), session=session)
    assert report.problems == [] and 2 <= len(report.rows) <= 3


def test_imported_samples_read_back_and_class_as_entered(db, codes):
    from services.water import public

    a, _ = codes
    body = (
        f"{a},2026-05-06,NH3_N,1.2,mg/L\n"
        f"{a},2026-05-06,TP,0.25,mg/L\n"
        f"{a},2026-05-06,DO,5.5,mg/L\n"
        f"{a},2026-05-20,NH3_N,<0.025,mg/L\n"
        f"{a},2026-05-20,TP,0.15,mg/L\n"
    )
    assert run(db, body).ok
    with Session(db) as session:
        evaluated = public.evaluate(public.read_samples(session, section_codes=[a]))
    # May means: NH3-N (1.2 + 0.0125) / 2 = 0.60625 (class III), TP (0.25 + 0.15) / 2 = 0.2 (III)
    detail = evaluated.month.detail(0)
    assert detail.grade == "III"
    assert set(detail.limiting_items) == {"NH3_N", "TP", "DO"}
    assert evaluated.month.mean("NH3_N")[0] == pytest.approx(0.60625)


def test_an_import_whose_audit_entry_fails_leaves_nothing_written(db, codes, monkeypatch):
    a, b = codes
    assert run(db, f"{a},{DAY},NH3_N,0.5,mg/L\n").ok
    before = stored(db)

    def refuse(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", refuse)  # after the update and the insert are written
    with pytest.raises(RuntimeError):
        run(db, f"{a},{DAY},TP,0.1,mg/L\n{b},{DAY},COD,12,mg/L\n")
    assert stored(db) == before

"""Engine set-up, migrations and the append-only audit log (SQLite here, PostgreSQL in tests/pg)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from services.core import audit, db, migrate
from services.schema import metadata


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == db.SQLITE_BUSY_TIMEOUT_MS


def test_postgres_urls_are_normalised_to_psycopg3():
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_reach_head_and_match_the_models(engine):
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(engine):
    migrate.downgrade_to_base(engine)
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_unit_of_work_rolls_back_on_error(engine):
    with pytest.raises(RuntimeError), db.unit_of_work(engine) as session:
        audit.record(session, actor="t", action="x", object_type="y")
        session.flush()
        raise RuntimeError("boom")
    with db.unit_of_work(engine) as session:
        assert session.exec(select(audit.AuditEntry)).all() == []


def test_audit_entries_cannot_be_changed_through_the_orm(engine):
    with db.unit_of_work(engine) as session:
        audit.record(session, actor="t", action="x", object_type="y", details={"k": "值"})
    with pytest.raises(audit.AuditLogIsAppendOnly), db.unit_of_work(engine) as session:
        entry = session.exec(select(audit.AuditEntry)).one()
        entry.actor = "someone else"
        session.add(entry)
        session.flush()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_audit_entries_cannot_be_changed_in_the_database(engine, statement):
    with db.unit_of_work(engine) as session:
        audit.record(session, actor="t", action="x", object_type="y")
    with pytest.raises(DatabaseError), engine.begin() as conn:
        conn.execute(text(statement))
    with db.unit_of_work(engine) as session:
        assert [e.actor for e in session.exec(select(audit.AuditEntry))] == ["t"]


def test_audit_details_keep_chinese_text_readable(engine):
    with db.unit_of_work(engine) as session:
        audit.record(session, actor="t", action="x", object_type="y", details={"区": "云岩区"})
    with db.unit_of_work(engine) as session:
        assert "云岩区" in session.exec(select(audit.AuditEntry)).one().details

"""The `portal` command, run the way an operator runs it."""

from __future__ import annotations

from sqlmodel import select
from typer.testing import CliRunner

from portal.cli import app
from services.core import accounts, demo_meta, migrate
from services.core.db import unit_of_work

runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input)
    return result


def test_migrate_reports_the_revision(engine):
    result = invoke("migrate")
    assert result.exit_code == 0, result.output
    assert f"database at revision {migrate.head_revision()}" in result.output
    assert migrate.head_revision() == "0006"  # staff sign-in counted per account and address


def test_seed_demo_fills_an_empty_database_once(engine):
    first = invoke("seed-demo", "--size", "small", "--until", "2026-11-01T00:00:00")
    assert first.exit_code == 0, first.output
    assert "rows/s" in first.output
    assert "shown only now" in first.output
    again = invoke("seed-demo", "--if-empty")
    assert again.exit_code == 0
    assert "already holds data" in again.output
    refused = invoke("seed-demo")
    assert refused.exit_code == 1
    with unit_of_work(engine) as session:
        assert demo_meta.current(session).size == "small"


def test_create_staff_makes_the_first_admin(engine):
    result = invoke(
        "create-staff", "chief", "--name", "Chief Admin", input="Correct-horse-9\nCorrect-horse-9\n"
    )
    assert result.exit_code == 0, result.output
    with unit_of_work(engine) as session:
        user = session.exec(select(accounts.StaffUser)).one()
        assert accounts.actor_for(session, user).roles == {accounts.Role.ADMIN}


def test_create_staff_explains_a_weak_password(engine):
    result = invoke("create-staff", "chief", "--name", "Chief", input="weak\nweak\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_backup_and_restore_round_trip(engine, tmp_path):
    assert (
        invoke("create-staff", "chief", "--name", "C", input="Correct-horse-9\n" * 2).exit_code == 0
    )
    target = tmp_path / "portal.sqlite3"
    result = invoke("backup", str(target))
    assert result.exit_code == 0, result.output
    assert (
        invoke("create-staff", "second", "--name", "S", input="Correct-horse-9\n" * 2).exit_code
        == 0
    )
    assert invoke("restore", str(target), "--yes").exit_code == 0
    with unit_of_work(engine) as session:
        names = [u.username for u in session.exec(select(accounts.StaffUser))]
    assert names == ["chief"]


def test_check_passes_on_a_migrated_install(engine):
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output


def test_check_fails_on_an_unmigrated_database(tmp_path, monkeypatch):
    from tests.conftest import reset_process_caches

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    reset_process_caches()
    result = invoke("check")
    reset_process_caches()
    assert result.exit_code == 1
    assert "run `portal migrate`" in result.output

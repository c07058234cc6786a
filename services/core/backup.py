"""Backups: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from services.core import audit
from services.core.db import unit_of_work


class BackupError(RuntimeError):
    pass


def _pg_env_and_args(engine: Engine) -> tuple[dict[str, str], list[str]]:
    url = make_url(engine.url.render_as_string(hide_password=False))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    return env, [*args, "--dbname", url.database or ""]


def backup(engine: Engine, target: Path, *, actor: str = "cli") -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(engine.url.database or "")
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
        source.close()
    else:
        pg_dump = shutil.which("pg_dump")
        if not pg_dump:
            raise BackupError("pg_dump is not installed")
        env, args = _pg_env_and_args(engine)
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [pg_dump, "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            check=True,
        )
    with unit_of_work(engine) as session:
        audit.record(
            session,
            actor=actor,
            action="backup.create",
            object_type="database",
            details={"file": target.name, "bytes": target.stat().st_size},
        )
    return target


def restore(engine: Engine, source: Path) -> None:
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if engine.dialect.name == "sqlite":
        engine.dispose()
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(engine.url.database or "")
        with live:
            backup_db.backup(live)
        live.close()
        backup_db.close()
    else:
        pg_restore = shutil.which("pg_restore")
        if not pg_restore:
            raise BackupError("pg_restore is not installed")
        env, args = _pg_env_and_args(engine)
        engine.dispose()
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [pg_restore, "--clean", "--if-exists", "--no-owner", *args, str(source)],
            env=env,
            check=True,
        )

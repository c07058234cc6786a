"""Sample databases for the benchmarks, built once and kept in var/bench-cache/.

A database is kept under a key made of its recipe (what is generated, the seed and end date) and
the bytes of the generator (every demo module under services/), the models and migrations, and
content/, so a change to any of them builds it again (`rm -r var/bench-cache` forces it). The
benchmarks work on a copy (a page or a filing may write), never on the kept file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

from services import demo
from services.core import db, migrate
from services.core.clock import BEIJING

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "var" / "bench-cache"
UNTIL = datetime(2026, 11, 1, tzinfo=BEIJING)  # the end of the sample data


@cache
def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in (ROOT / "services").rglob("*.py") if _shapes_data(p)) + sorted(
        p for p in (ROOT / "content").rglob("*") if p.is_file()
    ):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _shapes_data(path: Path) -> bool:
    """The generator (every demo module), the tables (models, schema, migrations)."""
    relative = path.relative_to(ROOT / "services")
    return (
        "demo" in str(relative)
        or relative.parts[0] == "migrations"
        or relative.name.startswith("model")
        or relative.name in ("schema.py", "domains.py")
    )


def _kept(recipe: str) -> Path:
    name = hashlib.sha256(f"{recipe}|{_sources_digest()}".encode()).hexdigest()[:16]
    return CACHE_DIR / f"{recipe.split('|')[0]}-{name}.db"


def _install(partial: Path, kept: Path) -> None:
    """Move a finished build into place, dropping the stale builds of the same recipe."""
    for old in CACHE_DIR.glob(f"{kept.name.rsplit('-', 1)[0]}-*.db"):
        old.unlink(missing_ok=True)
    os.replace(partial, kept)


def keep(recipe: str, built: Path) -> None:
    """Keep a database that a benchmark built anyway (the generator's own timing run)."""
    kept = _kept(recipe)
    if not kept.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        _checkpoint(built)
        partial = kept.with_suffix(f".{os.getpid()}.partial")
        shutil.copyfile(built, partial)
        _install(partial, kept)


def sqlite_copy(recipe: str, build: Callable[[str], None], into: Path) -> str:
    """A SQLite URL of a private copy (in `into`) of the database `recipe` names, built by
    `build(url)` on an empty file the first time."""
    kept = _kept(recipe)
    if not kept.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        build(f"sqlite:///{partial}")
        _checkpoint(partial)
        _install(partial, kept)
    into.mkdir(parents=True, exist_ok=True)
    copy = into / kept.name
    shutil.copyfile(kept, copy)
    return f"sqlite:///{copy}"


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so the single file is the whole database."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- the demo sample data the home, air and water benchmarks share -----------------------------


def demo_recipe(size: demo.DemoSize) -> str:
    return f"demo-{size.value}|20211|{UNTIL.isoformat()}|no-staff"


def generate(url: str, size: demo.DemoSize) -> demo.DemoResult:
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    result = demo.generate(engine, size=size, until=UNTIL, with_staff=False)
    engine.dispose()
    return result


def demo_url(size: demo.DemoSize, into: Path) -> str:
    """A private copy of the sample data of `size` (built the first time)."""
    return sqlite_copy(demo_recipe(size), lambda url: generate(url, size), into)

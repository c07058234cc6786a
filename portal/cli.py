"""The `portal` command: migrate, seed-demo, create-staff, backup, restore, check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from services import demo
from services.core import accounts, db
from services.core import backup as backups
from services.core import migrate as migrations
from services.core.accounts import Grant, Role
from services.core.messages import UserFacingError
from services.core.settings import VAR_DIR, get_settings
from services.staff import demo as staff_demo

app = typer.Typer(help="Guiyang Eco-Environment Public Portal: operations.", no_args_is_help=True)
console = Console()


@app.command()
def migrate() -> None:
    """Apply all database migrations (Alembic)."""
    migrations.upgrade(db.get_engine())
    console.print(f"database at revision {migrations.current_revision(db.get_engine())}")


@app.command("seed-demo")
def seed_demo(
    size: Annotated[
        demo.DemoSize, typer.Option(help="small: quick start and tests; large: benchmarks")
    ] = demo.DemoSize.SMALL,
    seed: Annotated[
        int, typer.Option(help="random seed; the same seed gives the same data")
    ] = 20211,
    until: Annotated[
        datetime | None, typer.Option(help="end of the sample period (Beijing time); default: now")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing (and succeed) when data is present")
    ] = False,
) -> None:
    """Generate deterministic, clearly labelled sample data into an empty database."""
    engine = db.get_engine()
    migrations.upgrade(engine)
    if not demo.is_empty(engine):
        if if_empty:
            console.print("database already holds data: sample data not generated")
            return
        console.print("[red]the database already holds data; use an empty database[/red]")
        raise typer.Exit(1)
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=demo.BEIJING)
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(part: str, done: int, total: int) -> None:
            if part not in tasks:
                tasks[part] = bar.add_task(part, total=total)
            bar.update(tasks[part], completed=done)

        result = demo.generate(engine, size=size, seed=seed, until=until, progress=report)
    console.print(
        f"generated {result.rows:,} rows in {result.seconds:.1f} s "
        f"({result.rows_per_second:,.0f} rows/s)"
    )
    if result.staff_password:
        names = ", ".join(username for username, _name, _grants in staff_demo.DEMO_STAFF)
        console.print(
            f"sample staff accounts ({names})\n"
            f"share this password, shown only now: [bold]{result.staff_password}[/bold]"
        )


@app.command("create-staff")
def create_staff(
    username: Annotated[str, typer.Argument(help="3-32 lower-case letters, digits, . _ -")],
    name: Annotated[str, typer.Option("--name", help="display name")],
    role: Annotated[list[Role], typer.Option("--role", help="repeat for several roles")] = [  # noqa: B006
        Role.ADMIN
    ],
    district: Annotated[
        str | None, typer.Option(help="district code for a complaint handler (default: whole city)")
    ] = None,
) -> None:
    """Create a staff account (the first admin, typically). Asks for the password twice."""
    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    engine = db.get_engine()
    migrations.upgrade(engine)
    try:
        with db.unit_of_work(engine) as session:
            accounts.create_user(
                session,
                actor_name="cli",
                username=username,
                display_name=name,
                password=password,
                grants=[Grant(r, district) for r in role],
            )
    except UserFacingError as error:
        for problem in error.params.get("problems") or [error.msgid]:  # type: ignore[union-attr]
            console.print(f"[red]{problem}[/red]")
        raise typer.Exit(1) from None
    console.print(f"created {username.lower()} with roles {', '.join(r.value for r in role)}")


@app.command()
def backup(
    target: Annotated[Path | None, typer.Argument(help="file to write")] = None,
) -> None:
    """Back up the database (SQLite online backup, or pg_dump for PostgreSQL)."""
    engine = db.get_engine()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if engine.dialect.name == "sqlite" else "pgdump"
    path = backups.backup(engine, target or VAR_DIR / "backups" / f"portal-{stamp}.{suffix}")
    console.print(f"backup written to {path}")


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="a file written by `portal backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Replace the database's contents with a backup."""
    if not yes and not typer.confirm(f"replace the current database with {source}?"):
        raise typer.Exit(1)
    backups.restore(db.get_engine(), source)
    console.print("restored")


@app.command()
def check() -> None:
    """Check the installation: database reachable and migrated, catalogs compiled."""
    from portal.kit.i18n import LANGS, LOCALES_DIR

    problems: list[str] = []
    engine = db.get_engine()
    if not db.ping(engine):
        problems.append("database unreachable")
    else:
        current = migrations.current_revision(engine)
        head = migrations.head_revision()
        if current != head:
            problems.append(f"database at {current}, code expects {head}: run `portal migrate`")
    for lang in LANGS:
        if not (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo").exists():
            problems.append(f"catalog {lang} not compiled: run `make catalogs`")
    settings = get_settings()
    console.print(f"database: {engine.url.render_as_string(hide_password=True)}")
    console.print(f"rate-limit storage: {'redis' if settings.redis_url else 'memory'}")
    for problem in problems:
        console.print(f"[red]✗ {problem}[/red]")
    if problems:
        raise typer.Exit(1)
    console.print("[green]✓ all checks passed[/green]")


def main() -> None:
    app()

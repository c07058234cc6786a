"""What a capability declares about itself, so the shell can plug it in without a central list.

Each capability package has a `manifest.py` with one `Manifest`; `services/domains.py` lists them.
Navigation, the server's routes, the database schema, `portal seed-demo`, the audit page and the
home page all loop over that list (docs/adding-a-capability.md walks through one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.core.accounts import Actor, PermissionDenied, Role
from services.core.clock import BEIJING
from services.shared.entry_points import EntryKind, InputField, Rows
from services.shared.open_data import Endpoint

Progress = Callable[[str, int, int], None]  # part name, rows done, rows in the part


@dataclass(frozen=True)
class PageDecl:
    """One Streamlit page: its file under `pages/`, its title (a msgid) and who may open it."""

    file: str
    title: str
    icon: str
    url_path: str
    staff: bool = False
    roles: tuple[Role, ...] = ()  # on a staff page: any of these; none means any staff member
    default: bool = False  # the home page, served at /
    order: int = 100  # place in its sidebar section

    def visible_to(self, actor: Actor | None) -> bool:
        if not self.staff:
            return True
        return actor is not None and (not self.roles or any(actor.has(r) for r in self.roles))


@dataclass(frozen=True)
class DemoContext:
    """What every sample-data part is given: the same seed and end time for all of them."""

    engine: Engine
    size: str  # "small" or "large"
    seed: int
    until: datetime  # the start of the last whole hour, Beijing time
    progress: Progress
    staff_password: str | None = None  # the sample staff accounts' password, if they are made

    @property
    def last_day(self) -> date:
        """The Beijing day of the last whole hour (`until` at 00:00 ends the day before)."""
        return (self.until - timedelta(microseconds=1)).astimezone(BEIJING).date()


@dataclass(frozen=True)
class DemoPart:
    """A capability's share of `portal seed-demo`: rows it writes and how to tell it has data."""

    name: str
    generate: Callable[[DemoContext], int | None]  # the rows written; None: not this time
    expected_rows: Callable[[str], int]  # by size, for the progress bar
    # whether the part's data is there (a database with any is not empty); None: never counts,
    # like staff accounts, which a real installation has before any data
    has_rows: Callable[[Session], bool] | None = None
    order: int = 100  # parts run in this order (accounts before the cases that name them)


@dataclass(frozen=True)
class HomeTile:
    """A tile on the home page: a cheap summary from the service, drawn by `portal.<name>.tile`."""

    title: str  # msgid
    summary: Callable[[Session], Any]
    order: int = 100


@dataclass(frozen=True)
class UseCase:
    """One staff use case and who may run it, with a probe that runs it for real.

    `run(session, actor)` writes the use case's preconditions itself, as rows (no other use case,
    so no role is needed for them), then calls the real service function as `actor` and raises
    what it raises. tests/app/test_role_matrix.py runs every probe as every role, a staff member
    with no role and no one, each on a fresh database: an actor holding one of `roles` must get
    through, and every other must get `PermissionDenied` from the service.
    """

    name: str  # "<capability>.<action>", unique across the portal
    label: str  # msgid
    roles: tuple[Role, ...]  # any one of them may run it
    run: Callable[[Session, Actor | None], object]
    audits: tuple[str, ...] = ()  # the audit actions a run records, under the actor's username
    # the district the probe's data lies in, when the service honours district-scoped grants: a
    # grant scoped to another district is refused with `out_of_district` (a read may answer "not
    # found" rather than reveal that the case exists)
    district: str | None = None
    out_of_district: type[Exception] = PermissionDenied


@dataclass(frozen=True)
class EntryPoint:
    """A public way in for input: a form or a file import (services/shared/entry_points.py).

    `submit(engine, raw, actor=…)` takes the raw input as the page hands it over (a form: a dict
    of its `fields`' values; an import: the file's bytes) and stores it in its own transaction,
    the way the page does. It returns what it stored, as rows per table, normalised; it refuses
    by raising UserFacingError (an import: `Refused`, with every problem). `read_back(engine,
    stored)` reads those rows back from the database. `prepare(engine)` makes what valid input
    needs (a case to hold a receipt) and gives known-good values by field or column name.
    tests/app/test_hostile_input.py feeds every declared entry point hostile input.
    """

    name: str  # "<capability>.<what>", unique across the portal
    kind: EntryKind
    submit: Callable[..., Rows]
    read_back: Callable[[Engine, Rows], Rows]
    fields: tuple[InputField, ...] = ()  # a form's inputs; an import's columns, by kind
    columns: tuple[str, ...] = ()  # an import's header
    roles: tuple[Role, ...] = ()  # the roles it needs (none: the public)
    prepare: Callable[[Engine], Mapping[str, Sequence[Any]]] | None = None


@dataclass(frozen=True)
class Manifest:
    """Everything the shell needs to know about one capability."""

    name: str  # the package name in services/, portal/ and pages/
    title: str  # msgid, for lists of capabilities
    pages: tuple[PageDecl, ...] = ()
    tables: tuple[str, ...] = ()  # the tables its models define (imported with the manifest)
    endpoints: tuple[Endpoint, ...] = ()  # open data, served by `portal.<name>.routes`
    # staff-only HTTP paths under /staff/ (signed-in, role-checked, audited), served by
    # `portal.<name>.routes` after the endpoints; never open data, never in the OpenAPI document
    staff_routes: tuple[str, ...] = ()
    demo: tuple[DemoPart, ...] = ()
    audit_actions: Mapping[str, str] = field(default_factory=dict)  # action → label msgid
    home_tile: HomeTile | None = None
    entry_points: tuple[EntryPoint, ...] = ()  # forms and imports that take public input
    use_cases: tuple[UseCase, ...] = ()  # every role-checked staff action and read
    # audit actions that no staff use case records (sign-in, the command line, the system)
    audited_elsewhere: tuple[str, ...] = ()

    @property
    def routes(self) -> tuple[str, ...]:
        """The HTTP paths it serves: its open-data endpoints, then its staff routes."""
        return tuple(endpoint.path for endpoint in self.endpoints) + self.staff_routes

    @property
    def portal_package(self) -> str:
        return f"portal.{self.name}"

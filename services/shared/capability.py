"""What a capability declares about itself, so the shell can plug it in without a central list.

Each capability package has a `manifest.py` with one `Manifest`; `services/domains.py` lists them.
Navigation, the server's routes, the database schema, `portal seed-demo`, the audit page and the
home page all loop over that list (docs/adding-a-capability.md walks through one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.core.accounts import Actor, Role
from services.core.clock import BEIJING
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
class Manifest:
    """Everything the shell needs to know about one capability."""

    name: str  # the package name in services/, portal/ and pages/
    title: str  # msgid, for lists of capabilities
    pages: tuple[PageDecl, ...] = ()
    tables: tuple[str, ...] = ()  # the tables its models define (imported with the manifest)
    endpoints: tuple[Endpoint, ...] = ()  # open data, served by `portal.<name>.routes`
    demo: tuple[DemoPart, ...] = ()
    audit_actions: Mapping[str, str] = field(default_factory=dict)  # action → label msgid
    home_tile: HomeTile | None = None

    @property
    def routes(self) -> tuple[str, ...]:
        """The HTTP paths of its endpoints."""
        return tuple(endpoint.path for endpoint in self.endpoints)

    @property
    def portal_package(self) -> str:
        return f"portal.{self.name}"

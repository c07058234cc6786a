"""The capabilities of the portal, in one list. Adding a capability adds one line here.

Everything that loops over capabilities (navigation, server routes, schema, sample data, audit
labels, home tiles and the shared checks) reads `DOMAINS` through the functions below, so a test
can register a capability of its own by replacing `DOMAINS`.
"""

from __future__ import annotations

from services.air.manifest import MANIFEST as AIR
from services.complaints.manifest import MANIFEST as COMPLAINTS
from services.home.manifest import MANIFEST as HOME
from services.shared.capability import DemoPart, HomeTile, Manifest, PageDecl
from services.staff.manifest import MANIFEST as STAFF
from services.water.manifest import MANIFEST as WATER

DOMAINS: tuple[Manifest, ...] = (HOME, AIR, WATER, COMPLAINTS, STAFF)


def domains() -> tuple[Manifest, ...]:
    return DOMAINS


def pages() -> list[PageDecl]:
    """Every page, in sidebar order (public before staff, then by `order`)."""
    declared = [page for manifest in DOMAINS for page in manifest.pages]
    return sorted(declared, key=lambda page: (page.staff, page.order))


def audit_labels() -> dict[str, str]:
    return {action: label for m in DOMAINS for action, label in m.audit_actions.items()}


def demo_parts() -> list[DemoPart]:
    return sorted((part for m in DOMAINS for part in m.demo), key=lambda part: part.order)


def home_tiles() -> list[tuple[Manifest, HomeTile]]:
    tiles = [(m, m.home_tile) for m in DOMAINS if m.home_tile is not None]
    return sorted(tiles, key=lambda pair: pair[1].order)

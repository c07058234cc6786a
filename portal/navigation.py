"""Which pages exist, who may see them, and how they are grouped in the sidebar."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from portal.i18n import _
from services.accounts import Actor, Role
from services.messages import N_

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str  # msgid
    icon: str
    url_path: str
    staff: bool = False
    role: Role | tuple[Role, ...] | None = None  # None on a staff page: any staff member
    default: bool = False  # the home page, served at /

    def visible_to(self, actor: Actor | None) -> bool:
        if not self.staff:
            return True
        return actor is not None and (
            self.role is None or any(actor.has(role) for role in self.roles)
        )

    @property
    def roles(self) -> tuple[Role, ...]:
        if self.role is None:
            return ()
        return self.role if isinstance(self.role, tuple) else (self.role,)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home.py", N_("Home"), ":material/home:", "home", default=True),
    PageSpec("air.py", N_("Air quality"), ":material/air:", "air"),
    PageSpec("water.py", N_("Water quality"), ":material/water:", "water"),
    PageSpec("complaint_file.py", N_("Report a problem"), ":material/campaign:", "report"),
    PageSpec("complaint_track.py", N_("Track my report"), ":material/key:", "track"),
    PageSpec("complaints.py", N_("Case registry"), ":material/fact_check:", "complaints"),
    PageSpec("about.py", N_("About, privacy and methods"), ":material/info:", "about"),
    PageSpec("staff_desk.py", N_("Staff desk"), ":material/badge:", "staff", staff=True),
    PageSpec(
        "staff_complaints.py",
        N_("Complaint desk"),
        ":material/inbox:",
        "staff-complaints",
        staff=True,
        role=(Role.COMPLAINT_HANDLER, Role.COMPLAINT_SUPERVISOR),
    ),
    PageSpec(
        "staff_air_data.py",
        N_("Air data"),
        ":material/upload_file:",
        "staff-air-data",
        staff=True,
        role=Role.DATA_EDITOR,
    ),
    PageSpec(
        "staff_water_data.py",
        N_("Water data"),
        ":material/water_drop:",
        "staff-water-data",
        staff=True,
        role=Role.DATA_EDITOR,
    ),
    PageSpec(
        "staff_users.py",
        N_("Staff accounts"),
        ":material/group:",
        "staff-users",
        staff=True,
        role=Role.ADMIN,
    ),
    PageSpec(
        "staff_audit.py",
        N_("Audit log"),
        ":material/history:",
        "staff-audit",
        staff=True,
        role=Role.ADMIN,
    ),
)


def spec_for(file: str) -> PageSpec:
    return next(p for p in PAGES if p.file == file)


def visible_pages(actor: Actor | None) -> list[PageSpec]:
    return [p for p in PAGES if p.visible_to(actor)]


def page(spec: PageSpec) -> st.Page:
    return st.Page(
        PAGES_DIR / spec.file,
        title=_(spec.title),
        icon=spec.icon,
        url_path=None if spec.default else spec.url_path,
        default=spec.default,
    )


def build(actor: Actor | None) -> dict[str, list[st.Page]]:
    """The st.navigation mapping for this reader: public pages, plus staff pages they may open."""
    sections: dict[str, list[st.Page]] = {}
    for spec in visible_pages(actor):
        section = _("Staff") if spec.staff else _("Public")
        sections.setdefault(section, []).append(page(spec))
    return sections

"""The role matrix: every staff use case the manifests declare, run for real in the service as every
role, a staff member without a role and no one, each on a fresh database.

An actor holding one of the use case's roles gets through and the audit log holds exactly the
actions the use case declares, under the actor's name; every other actor gets PermissionDenied
from the service itself and leaves nothing in the audit log. Where a use case names the district
its data lies in, a grant scoped to that district gets through and one scoped to another is
refused. The checks below make the matrix complete: every staff page's roles, every audit action
and every service function that takes an actor are covered by some use case, so a capability
that adds a staff action without declaring it fails here (docs/adding-a-capability.md).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

import services
from services import domains
from services.core import accounts, audit, geography, migrate
from services.core.accounts import Actor, Grant, PermissionDenied, Role
from services.shared.capability import Manifest, UseCase
from tests.conftest import STAFF_PASSWORD, portal_database

ANONYMOUS = "anonymous"
NO_ROLE = "no-role"
WHO: tuple[str, ...] = (ANONYMOUS, NO_ROLE, *(role.value for role in Role))
# Service functions that take an actor but are no role-checked use case, and why.
NOT_USE_CASES = {
    "services.core.accounts.my_activity": "a signed-in member's own recent entries; no role",
}
# Modules that declare rather than serve: the probes themselves and the entry points' adapters.
DECLARATIONS = re.compile(r"\.(use_cases|entry_points)$")


def use_cases(manifests: Iterable[Manifest] | None = None) -> list[UseCase]:
    return [uc for m in (domains.domains() if manifests is None else manifests)
            for uc in m.use_cases]  # fmt: skip


def matrix(manifests: Iterable[Manifest] | None = None) -> list[tuple[UseCase, str]]:
    """Every use case × every role, a staff member without a role and no one."""
    return [(uc, who) for uc in use_cases(manifests) for who in WHO]


def username(who: str) -> str:
    return "m." + who.replace("_", "-")


def build_template(path: Path) -> None:
    """A migrated database with one account per role and one whose roles were all taken away."""
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        portal_database(f"sqlite:///{path}", monkeypatch) as engine,
    ):
        migrate.upgrade(engine)
        with Session(engine) as session:
            for who in WHO[1:]:
                role = Role.ADMIN if who == NO_ROLE else Role(who)
                accounts.create_user(session, actor_name="test", username=username(who),
                                     display_name=who, password=STAFF_PASSWORD,
                                     grants=[Grant(role)])  # fmt: skip
            session.flush()
            user = session.exec(select(accounts.StaffUser).where(
                accounts.StaffUser.username == username(NO_ROLE))).one()  # fmt: skip
            for grant in session.exec(select(accounts.StaffRole).where(
                    accounts.StaffRole.user_id == user.id)):  # fmt: skip
                session.delete(grant)
            session.commit()
    with sqlite3.connect(path) as conn:  # everything in the main file, so a copy is complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="session")
def matrix_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("matrix") / "portal.db"
    build_template(path)
    return path


@pytest.fixture
def fresh(matrix_template, tmp_path, monkeypatch, clock) -> Iterator:
    """A copy of the template for one run (the services find it through DATABASE_URL)."""
    path = tmp_path / "portal.db"
    shutil.copyfile(matrix_template, path)
    with portal_database(f"sqlite:///{path}", monkeypatch) as engine:
        yield engine


def actor_of(engine, who: str, *, grants: tuple[Grant, ...] | None = None) -> Actor | None:
    """The actor the portal would build for `who`'s account (None: nobody signed in)."""
    if who == ANONYMOUS:
        return None
    with Session(engine) as session:
        user = session.exec(
            select(accounts.StaffUser).where(accounts.StaffUser.username == username(who))
        ).one()
        actor = accounts.actor_for(session, user)
    return actor if grants is None else Actor(actor.user_id, actor.username, actor.display_name,
                                              grants)  # fmt: skip


def run_probe(engine, uc: UseCase, actor: Actor | None) -> tuple[Exception | None, list[str]]:
    """Run the probe; what it raised (None: it got through) and the audit actions it recorded
    under the actor's name, read before anything is rolled back."""
    outcome: Exception | None = None
    with Session(engine, expire_on_commit=False) as session:
        try:
            uc.run(session, actor)
            session.flush()
        except Exception as error:  # the outcome is what is checked
            outcome = error
        audited = []
        if actor is not None:
            audited = list(session.exec(
                select(audit.AuditEntry.action).where(audit.AuditEntry.actor == actor.username)
            ))  # fmt: skip
        session.rollback()
    return outcome, audited


def check_allowed(uc: UseCase, who: str, outcome: Exception | None, audited: list[str]) -> None:
    assert outcome is None, f"{uc.name} as {who} must get through, got {outcome!r}"
    assert sorted(set(audited)) == sorted(set(uc.audits)), (
        f"{uc.name} as {who} recorded {audited}, declares {uc.audits}"
    )


def check_refused(
    uc: UseCase, who: str, outcome: Exception | None, audited: list[str],
    expected: type[Exception] = PermissionDenied,
) -> None:  # fmt: skip
    assert isinstance(outcome, expected), (
        f"{uc.name} as {who} must be refused by the service with {expected.__name__}, "
        f"got {outcome!r}"
    )
    assert audited == [], f"{uc.name} refused as {who} still recorded {audited}"


def check(engine, uc: UseCase, who: str) -> None:
    """One cell of the matrix."""
    outcome, audited = run_probe(engine, uc, actor_of(engine, who))
    if who in {role.value for role in uc.roles}:
        check_allowed(uc, who, outcome, audited)
    else:
        check_refused(uc, who, outcome, audited)


@pytest.mark.parametrize(("uc", "who"), matrix(), ids=lambda v: v.name if isinstance(v, UseCase)
                         else v)  # fmt: skip
def test_role_matrix(fresh, uc: UseCase, who: str) -> None:
    check(fresh, uc, who)


@pytest.mark.parametrize("who", WHO[1:])
def test_only_a_handler_enters_a_report_for_a_reporter_whatever_the_channel(fresh, who) -> None:
    """A report sent through the web form by a member of staff is entered for a reporter, and
    recorded under their name, so it needs the handler role like the desk's channels do."""
    from services.complaints import intake
    from services.complaints.catalog import Channel
    from services.complaints.use_cases import _report

    actor = actor_of(fresh, who)
    with Session(fresh) as session:
        if who == Role.COMPLAINT_HANDLER.value:
            intake.file_report(session, _report(), channel=Channel.WEB, entered_by=actor)
        else:
            with pytest.raises(PermissionDenied):
                intake.file_report(session, _report(), channel=Channel.WEB, entered_by=actor)
        session.rollback()


def other_district(district: str) -> str:
    return next(d.key for d in geography.districts() if d.key.isdigit() and d.key != district)


def scoped_actor(engine, role: Role, district: str) -> Actor:
    """The actor of an account given `role` scoped to `district`, as stored and read back (a
    role that takes no district is stored city-wide)."""
    with Session(engine) as session:
        user = accounts.create_user(session, actor_name="test",
                                    username=f"s.{role.value}.{district}", display_name="scoped",
                                    password=STAFF_PASSWORD,
                                    grants=[Grant(role, district)])  # fmt: skip
        actor = accounts.actor_for(session, user)
        session.commit()
    return actor


def scope_cases() -> list[tuple[UseCase, Role]]:
    return [(uc, role) for uc in use_cases() if uc.district for role in uc.roles]


@pytest.mark.parametrize(("uc", "role"), scope_cases(), ids=lambda v: v.name
                         if isinstance(v, UseCase) else v.value)  # fmt: skip
def test_a_district_scoped_grant_reaches_its_district_only(
    matrix_template, tmp_path, monkeypatch, clock, uc: UseCase, role: Role
) -> None:
    for where in (uc.district, other_district(uc.district or "")):
        path = tmp_path / f"{where}.db"
        shutil.copyfile(matrix_template, path)
        with portal_database(f"sqlite:///{path}", monkeypatch) as engine:
            actor = scoped_actor(engine, role, where)
            outcome, audited = run_probe(engine, uc, actor)
        who = f"{role.value}@{actor.district_scope(role) or 'city'}"
        if actor.district_scope(role) in (None, uc.district):  # city-wide reaches every district
            check_allowed(uc, who, outcome, audited)
        else:
            check_refused(uc, who, outcome, audited, uc.out_of_district)


def test_the_district_scope_is_checked_for_a_role_that_keeps_one(fresh) -> None:
    """At least one role's grants keep their district, and some use case is run with it."""
    scoped = {role for role in Role
              if scoped_actor(fresh, role, "520103").district_scope(role) == "520103"}  # fmt: skip
    assert scoped and any(role in scoped for _, role in scope_cases())


# --- completeness ------------------------------------------------------------------------------


def test_use_cases_are_named_once_within_their_capability_and_name_their_roles() -> None:
    names = [uc.name for uc in use_cases()]
    assert len(names) == len(set(names))
    for manifest in domains.domains():
        for uc in manifest.use_cases:
            assert uc.name.startswith(manifest.name + "."), uc.name
            assert uc.roles and set(uc.roles) <= set(Role), uc.name
            assert uc.label, uc.name


def test_every_role_a_staff_page_names_has_a_use_case_in_its_manifest() -> None:
    for manifest in domains.domains():
        covered = {role for uc in manifest.use_cases for role in uc.roles}
        for page in manifest.pages:
            missing = set(page.roles) - covered if page.staff else set()
            assert not missing, f"{page.file}: no use case for {sorted(missing)}"


def test_every_audit_action_is_recorded_by_a_use_case_or_declared_as_recorded_elsewhere() -> None:
    for manifest in domains.domains():
        declared = set(manifest.audit_actions)
        by_use_case = {action for uc in manifest.use_cases for action in uc.audits}
        elsewhere = set(manifest.audited_elsewhere)
        assert by_use_case <= declared, f"{manifest.name}: {sorted(by_use_case - declared)}"
        assert elsewhere <= declared, f"{manifest.name}: {sorted(elsewhere - declared)}"
        assert not by_use_case & elsewhere, f"{manifest.name}: {sorted(by_use_case & elsewhere)}"
        missing = declared - by_use_case - elsewhere
        assert not missing, f"{manifest.name}: no use case records {sorted(missing)}"


def actor_functions() -> dict[str, object]:
    """Every public function in services/ that takes an actor (a parameter typed Actor)."""
    found: dict[str, object] = {}
    for info in pkgutil.walk_packages(services.__path__, "services."):
        if info.name.startswith("services.migrations") or DECLARATIONS.search(info.name):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            params = inspect.signature(fn).parameters.values()
            if any(re.search(r"\bActor\b", str(p.annotation)) for p in params):
                found[f"{module.__name__}.{name}"] = fn
    return found


def test_every_service_function_that_takes_an_actor_is_run_by_a_use_case(fresh) -> None:
    """Each probe runs once as an actor holding every role; every function that takes an
    actor must have been called by one of them."""
    called: set[object] = set()

    def profile(frame, event, _arg) -> None:
        if event == "call":
            called.add(frame.f_code)

    everything = Actor(0, "m.everything", "everything", tuple(Grant(role) for role in Role))
    for uc in use_cases():
        sys.setprofile(profile)
        try:
            outcome, _ = run_probe(fresh, uc, everything)
        finally:
            sys.setprofile(None)
        assert outcome is None, f"{uc.name}: {outcome!r}"
    functions = actor_functions()
    assert "services.complaints.workflow.accept" in functions  # the scan sees the services
    missing = sorted(name for name, fn in functions.items()
                     if fn.__code__ not in called and name not in NOT_USE_CASES)  # fmt: skip
    assert not missing, f"service functions that take an actor but no use case runs: {missing}"

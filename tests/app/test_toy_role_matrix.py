"""A capability's use cases join the role matrix through its manifest alone: the toy capability of
tests/app/test_capabilities.py, given a use case, is run as every role; without one, or with a
service that forgets its role check, the matrix's checks fail."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import Session

from services import domains
from services.core import accounts, audit
from services.core.accounts import Actor, Role
from services.shared.capability import UseCase
from tests.app import test_role_matrix as role_matrix
from tests.app.test_capabilities import toy  # noqa: F401  (the fixture)
from tests.app.test_role_matrix import WHO, check, fresh, matrix, matrix_template  # noqa: F401  (the fixtures)

pages_covered = role_matrix.test_every_role_a_staff_page_names_has_a_use_case_in_its_manifest
audits_covered = (
    role_matrix.test_every_audit_action_is_recorded_by_a_use_case_or_declared_as_recorded_elsewhere
)


def poke(session: Session, actor: Actor | None) -> None:
    """The toy's staff action: data editors only, audited."""
    accounts.require(actor, Role.DATA_EDITOR)
    audit.record(session, actor=actor.username, action="toy.poke", object_type="toy_thing")


def careless_poke(session: Session, actor: Actor | None) -> None:
    """The same action with the role check forgotten."""
    audit.record(session, actor=actor.username if actor else "?", action="toy.poke",
                 object_type="toy_thing")  # fmt: skip


def register(toy_manifest, monkeypatch, run) -> UseCase:
    use_case = UseCase("toy.poke", "Toy poked", (Role.DATA_EDITOR,), run, audits=("toy.poke",))
    manifest = dataclasses.replace(toy_manifest, use_cases=(use_case,))
    others = tuple(m for m in domains.DOMAINS if m is not toy_manifest)
    monkeypatch.setattr(domains, "DOMAINS", (*others, manifest))
    return use_case


def test_a_toy_capabilitys_use_case_is_run_as_every_role(toy, monkeypatch, fresh):  # noqa: F811
    use_case = register(toy, monkeypatch, poke)
    cells = [who for uc, who in matrix() if uc.name == use_case.name]
    assert cells == list(WHO)
    for who in cells:
        check(fresh, use_case, who)
    pages_covered()
    audits_covered()


def test_a_toy_capability_without_use_cases_fails_the_completeness_checks(toy):  # noqa: F811
    with pytest.raises(AssertionError, match="no use case for"):
        pages_covered()
    with pytest.raises(AssertionError, match="toy: no use case records"):
        audits_covered()


def test_a_forgotten_role_check_fails_the_matrix(toy, monkeypatch, fresh):  # noqa: F811
    use_case = register(toy, monkeypatch, careless_poke)
    check(fresh, use_case, Role.DATA_EDITOR.value)
    with pytest.raises(AssertionError, match="must be refused by the service"):
        check(fresh, use_case, Role.COMPLAINT_HANDLER.value)

"""The administrators' use cases on staff accounts and the audit log, each with a probe that runs
it for real (services/shared/capability.py: UseCase; tests/app/test_role_matrix.py).

A probe writes the account it acts on directly as a row, then calls services/core/accounts.py as
the actor under test.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from services.core import accounts
from services.core.accounts import Actor, Grant, Role, StaffUser
from services.core.clock import utcnow
from services.core.messages import N_
from services.shared.capability import UseCase

ADMIN = (Role.ADMIN,)
PASSWORD = "Probe-password-7391"  # noqa: S105  (a probe account on a test database)


def _account(session: Session, **fields: object) -> StaffUser:
    """An account to act on, as a row (its password hash is never checked here)."""
    user = StaffUser(username="probe.target", display_name="Probe Target",
                     password_hash="-", **fields)  # noqa: S106  # fmt: skip
    session.add(user)
    session.flush()
    return user


def _list_users(session: Session, actor: Actor | None) -> object:
    _account(session)
    return accounts.list_users(session, actor=actor)


def _add_user(session: Session, actor: Actor | None) -> object:
    return accounts.add_user(session, actor=actor, username="probe.new",
                             display_name="Probe New", password=PASSWORD,
                             grants=[Grant(Role.DATA_EDITOR)])  # fmt: skip


def _set_grants(session: Session, actor: Actor | None) -> object:
    user = _account(session)
    return accounts.set_grants(session, actor=actor, user_id=user.id or 0,
                               grants=[Grant(Role.COMPLAINT_HANDLER, "520102")])  # fmt: skip


def _set_active(active: bool):
    def run(session: Session, actor: Actor | None) -> object:
        user = _account(session, is_active=not active)
        return accounts.set_active(session, actor=actor, user_id=user.id or 0, active=active)

    return run


def _unlock(session: Session, actor: Actor | None) -> object:
    user = _account(session, locked_until=utcnow() + timedelta(minutes=15))
    return accounts.unlock(session, actor=actor, user_id=user.id or 0)


def _reset_password(session: Session, actor: Actor | None) -> object:
    user = _account(session)
    return accounts.reset_password(session, actor=actor, user_id=user.id or 0,
                                   new_password=PASSWORD)  # fmt: skip


def _read_audit_log(session: Session, actor: Actor | None) -> object:
    return accounts.read_audit_log(session, actor=actor)


def _audit_actions(session: Session, actor: Actor | None) -> object:
    return accounts.audit_actions(session, actor=actor)


USE_CASES: tuple[UseCase, ...] = (
    UseCase("staff.list_users", N_("Staff accounts"), ADMIN, _list_users),
    UseCase("staff.add_user", N_("Account created"), ADMIN, _add_user, audits=("staff.create",)),
    UseCase("staff.set_grants", N_("Roles changed"), ADMIN, _set_grants, audits=("staff.roles",)),
    UseCase("staff.deactivate", N_("Account deactivated"), ADMIN, _set_active(False),
            audits=("staff.deactivate",)),
    UseCase("staff.activate", N_("Account activated"), ADMIN, _set_active(True),
            audits=("staff.activate",)),
    UseCase("staff.unlock", N_("Account unlocked"), ADMIN, _unlock, audits=("staff.unlock",)),
    UseCase("staff.reset_password", N_("Password reset"), ADMIN, _reset_password,
            audits=("staff.password_reset",)),
    UseCase("staff.read_audit_log", N_("Audit log read"), ADMIN, _read_audit_log,
            audits=("audit.read",)),
    UseCase("staff.audit_actions", N_("Audit log"), ADMIN, _audit_actions),
)  # fmt: skip

"""Staff accounts: passwords, lockout, sessions, role checks (repository tests: SQLite, PG)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from services.core import accounts, audit
from services.core.accounts import Grant, Role
from services.core.db import unit_of_work
from tests.conftest import STAFF_PASSWORD, add_staff

GOOD = STAFF_PASSWORD


def make_user(engine, username="alice", roles=(Role.ADMIN,), district=None):
    return add_staff(engine, username, *roles, district=district).user_id


def login(engine, username, password):
    with unit_of_work(engine) as session:
        try:
            return accounts.authenticate(session, username=username, password=password)
        except accounts.LoginFailed:
            session.commit()
            raise


def actor(engine, user_id):
    with unit_of_work(engine) as session:
        return accounts.actor_for(session, session.get(accounts.StaffUser, user_id))


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short-A1", "The password must be at least 12 characters long."),
        ("alllowercaseletters", "The password must mix at least three of"),
        ("Alice-and-bob-99", "The password must not contain the username."),
    ],
)
def test_password_rules_name_each_problem(password, expected):
    problems = accounts.password_problems(password, username="alice")
    assert any(p.startswith(expected) for p in problems)


def test_a_good_password_has_no_problems():
    assert accounts.password_problems(GOOD, username="alice") == []


def test_passwords_are_stored_as_argon2id(engine):
    make_user(engine)
    with unit_of_work(engine) as session:
        user = session.exec(select(accounts.StaffUser)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD not in user.password_hash


def test_username_is_normalised_and_unique(engine):
    make_user(engine, username="Alice")
    with pytest.raises(accounts.InvalidAccountData) as error, unit_of_work(engine) as session:
        accounts.create_user(
            session,
            actor_name="t",
            username="alice",
            display_name="A",
            password=GOOD,
            grants=[Grant(Role.ADMIN)],
        )
    assert error.value.msgid == "That username is already taken."


def test_correct_password_signs_in_and_is_audited(engine):
    make_user(engine)
    user = login(engine, " ALICE ", GOOD)
    assert user.username == "alice"
    with unit_of_work(engine) as session:
        actions = [e.action for e in session.exec(select(audit.AuditEntry))]
    assert "login.ok" in actions


def test_unknown_user_and_wrong_password_fail_identically(engine):
    make_user(engine)
    with pytest.raises(accounts.LoginFailed) as unknown:
        login(engine, "nobody", GOOD)
    with pytest.raises(accounts.LoginFailed) as wrong:
        login(engine, "alice", "Wrong-password-1")
    assert unknown.value.msgid == wrong.value.msgid
    assert unknown.value.params == wrong.value.params == {}


def test_five_wrong_passwords_lock_the_account_and_the_lockout_is_audited(engine):
    user_id = make_user(engine)
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1")
    with pytest.raises(accounts.LoginFailed):
        login(engine, "alice", GOOD)  # the right password is refused while locked
    with unit_of_work(engine) as session:
        locked = session.exec(
            select(audit.AuditEntry).where(audit.AuditEntry.action == "staff.locked")
        ).all()
        refused = session.exec(
            select(audit.AuditEntry).where(audit.AuditEntry.action == "login.refused_locked")
        ).all()
    assert [e.object_id for e in locked] == [str(user_id)]
    assert len(refused) == 1


def test_four_wrong_passwords_do_not_lock(engine):
    make_user(engine)
    for _ in range(4):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1")
    assert login(engine, "alice", GOOD).username == "alice"


def test_lockout_ends_after_its_time(engine, clock):
    make_user(engine)
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1")
    clock.advance(timedelta(minutes=16))
    assert login(engine, "alice", GOOD).username == "alice"


def test_admin_unlock_clears_the_lock(engine):
    admin_id = make_user(engine, "root")
    user_id = make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "bob", "Wrong-password-1")
    with unit_of_work(engine) as session:
        accounts.unlock(session, actor=actor(engine, admin_id), user_id=user_id)
    assert login(engine, "bob", GOOD).username == "bob"


def test_session_token_finds_its_actor_until_it_expires(engine, clock):
    user_id = make_user(engine, roles=(Role.COMPLAINT_HANDLER,), district="520103")
    with unit_of_work(engine) as session:
        new = accounts.open_session(session, user=session.get(accounts.StaffUser, user_id))
    with unit_of_work(engine) as session:
        found = accounts.actor_for_token(session, token=new.token)
    assert found is not None
    assert found.grants == (Grant(Role.COMPLAINT_HANDLER, "520103"),)
    assert found.district_scope(Role.COMPLAINT_HANDLER) == "520103"
    clock.set(new.expires_at + timedelta(seconds=1))
    with unit_of_work(engine) as session:
        assert accounts.actor_for_token(session, token=new.token) is None


def test_the_database_keeps_only_a_digest_of_the_session_token(engine):
    user_id = make_user(engine)
    with unit_of_work(engine) as session:
        new = accounts.open_session(session, user=session.get(accounts.StaffUser, user_id))
    with unit_of_work(engine) as session:
        row = session.exec(select(accounts.StaffSession)).one()
    assert new.token not in row.token_sha256
    assert len(row.token_sha256) == 64


def test_closed_session_no_longer_authenticates(engine):
    user_id = make_user(engine)
    with unit_of_work(engine) as session:
        new = accounts.open_session(session, user=session.get(accounts.StaffUser, user_id))
    with unit_of_work(engine) as session:
        accounts.close_session(session, token=new.token)
    with unit_of_work(engine) as session:
        assert accounts.actor_for_token(session, token=new.token) is None


def test_deactivation_ends_open_sessions(engine):
    admin_id = make_user(engine, "root")
    user_id = make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    with unit_of_work(engine) as session:
        new = accounts.open_session(session, user=session.get(accounts.StaffUser, user_id))
    with unit_of_work(engine) as session:
        accounts.set_active(session, actor=actor(engine, admin_id), user_id=user_id, active=False)
    with unit_of_work(engine) as session:
        assert accounts.actor_for_token(session, token=new.token) is None
    with pytest.raises(accounts.LoginFailed):
        login(engine, "bob", GOOD)


def test_service_call_without_the_role_raises_permission_denied(engine):
    handler_id = make_user(engine, "handler", roles=(Role.COMPLAINT_HANDLER,))
    handler = actor(engine, handler_id)
    with pytest.raises(accounts.PermissionDenied), unit_of_work(engine) as session:
        accounts.list_users(session, actor=handler)
    with pytest.raises(accounts.PermissionDenied), unit_of_work(engine) as session:
        accounts.read_audit_log(session, actor=handler)
    with pytest.raises(accounts.PermissionDenied), unit_of_work(engine) as session:
        accounts.add_user(
            session,
            actor=handler,
            username="mallory",
            display_name="M",
            password=GOOD,
            grants=[Grant(Role.ADMIN)],
        )


def test_anonymous_caller_is_denied():
    with pytest.raises(accounts.PermissionDenied):
        accounts.require(None, Role.ADMIN)


def test_admin_role_does_not_imply_other_roles(engine):
    admin = actor(engine, make_user(engine, "root"))
    with pytest.raises(accounts.PermissionDenied):
        accounts.require(admin, Role.WHISTLEBLOWER_OFFICER)


def test_admin_cannot_remove_own_admin_role(engine):
    admin_id = make_user(engine, "root")
    with pytest.raises(accounts.InvalidAccountData), unit_of_work(engine) as session:
        accounts.set_grants(
            session,
            actor=actor(engine, admin_id),
            user_id=admin_id,
            grants=[Grant(Role.DATA_EDITOR)],
        )


def test_district_is_kept_only_for_complaint_handlers(engine):
    admin_id = make_user(engine, "root")
    user_id = make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    with unit_of_work(engine) as session:
        accounts.set_grants(
            session,
            actor=actor(engine, admin_id),
            user_id=user_id,
            grants=[Grant(Role.DATA_EDITOR, "520102"), Grant(Role.COMPLAINT_HANDLER, "520102")],
        )
    assert set(actor(engine, user_id).grants) == {
        Grant(Role.DATA_EDITOR, None),
        Grant(Role.COMPLAINT_HANDLER, "520102"),
    }


def test_every_admin_write_is_in_the_audit_log(engine):
    admin_id = make_user(engine, "root")
    user_id = make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    admin = actor(engine, admin_id)
    with unit_of_work(engine) as session:
        accounts.set_grants(
            session, actor=admin, user_id=user_id, grants=[Grant(Role.SITE_OFFICER)]
        )
        accounts.reset_password(
            session, actor=admin, user_id=user_id, new_password="New-Passw0rd-x"
        )
        accounts.set_active(session, actor=admin, user_id=user_id, active=False)
        accounts.unlock(session, actor=admin, user_id=user_id)
    with unit_of_work(engine) as session:
        rows = session.exec(select(audit.AuditEntry).where(audit.AuditEntry.actor == "root")).all()
    assert [r.action for r in rows] == [
        "staff.roles",
        "staff.password_reset",
        "staff.deactivate",
        "staff.unlock",
    ]
    assert all(r.object_id == str(user_id) for r in rows)

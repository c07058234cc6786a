"""Staff accounts: passwords, slow-down and lockout per account and address, sessions, role
checks (repository tests: SQLite, PG)."""

from __future__ import annotations

import json
import time
import types
from datetime import timedelta

import pytest
from limits.storage import memory as limits_memory
from sqlmodel import select

from services.core import accounts, audit, ratelimit
from services.core.accounts import Grant, Role
from services.core.db import unit_of_work
from services.core.settings import get_settings
from tests.conftest import STAFF_PASSWORD, add_staff

GOOD = STAFF_PASSWORD
# two client addresses as the sign-in route passes them: keyed hashes (ratelimit.address_key)
A = "3f1c0a9e5b7d2c4e6f8a0b1c"
B = "9d8e7f6a5b4c3d2e1f0a9b8c"


def make_user(engine, username="alice", roles=(Role.ADMIN,), district=None):
    return add_staff(engine, username, *roles, district=district).user_id


def login(engine, username, password, source=None):
    with unit_of_work(engine) as session:
        try:
            return accounts.authenticate(
                session, username=username, password=password, source=source
            )
        except accounts.LoginFailed:
            session.commit()
            raise


def entries(engine, action):
    with unit_of_work(engine) as session:
        return session.exec(select(audit.AuditEntry).where(audit.AuditEntry.action == action)).all()


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


def test_five_wrong_passwords_lock_the_address_and_the_lockout_is_audited(engine):
    user_id = make_user(engine)
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    with pytest.raises(accounts.LoginFailed):
        login(engine, "alice", GOOD, source=A)  # the right password is refused while locked
    locked = entries(engine, "login.locked")
    refused = entries(engine, "login.refused_locked")
    failed = entries(engine, "login.failed")
    assert [e.object_id for e in locked] == [str(user_id)]
    assert locked[0].actor == "system"
    assert json.loads(locked[0].details)["threshold"] == 5
    assert len(refused) == 1 and refused[0].object_id == str(user_id)
    assert [json.loads(e.details)["failures_from_source"] for e in failed] == [1, 2, 3, 4, 5]
    assert {json.loads(e.details)["source"] for e in failed + locked + refused} == {A[:12]}
    with unit_of_work(engine) as session:  # shown as "locked" on the staff accounts page
        assert accounts.list_users(session, actor=actor(engine, user_id))[0].locked


def test_failures_from_one_address_never_stop_the_right_password_from_another(engine):
    make_user(engine)
    for _ in range(12):  # far past the threshold: the pair (alice, A) is locked
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    with pytest.raises(accounts.LoginFailed):
        login(engine, "alice", GOOD, source=A)
    assert login(engine, "alice", GOOD, source=B).username == "alice"
    assert accounts.sign_in_delay("alice", B) == 0  # and B is not slowed down either


def test_a_lock_of_one_pair_does_not_lock_the_address_for_other_accounts(engine):
    make_user(engine)
    make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    assert login(engine, "bob", GOOD, source=A).username == "bob"


def test_four_wrong_passwords_do_not_lock(engine):
    make_user(engine)
    for _ in range(4):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    assert login(engine, "alice", GOOD, source=A).username == "alice"
    assert entries(engine, "login.locked") == []


def test_a_success_starts_the_count_again(engine):
    make_user(engine)
    for _ in range(4):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    login(engine, "alice", GOOD, source=A)
    assert accounts.sign_in_delay("alice", A) == 0
    for _ in range(4):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    assert login(engine, "alice", GOOD, source=A).username == "alice"


def test_the_wait_doubles_with_each_failure_of_the_pair_up_to_the_cap(engine, monkeypatch):
    monkeypatch.setenv("PORTAL_LOCKOUT_THRESHOLD", "8")
    get_settings.cache_clear()
    make_user(engine)
    waits = []
    for _ in range(7):
        waits.append(accounts.sign_in_delay("alice", A))
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    assert waits == [0, 0.5, 1, 2, 4, 4, 4]  # PORTAL_LOGIN_DELAY_SECONDS, _MAX_SECONDS defaults
    assert accounts.sign_in_delay("alice", B) == 0
    assert accounts.sign_in_delay("bob", A) == 0


def test_an_unknown_username_is_slowed_and_locked_like_a_real_one(engine):
    make_user(engine)
    real, unknown = [], []
    for username, waits in (("alice", real), ("nobody", unknown)):
        for _ in range(6):
            waits.append(accounts.sign_in_delay(username, A))
            with pytest.raises(accounts.LoginFailed):
                login(engine, username, "Wrong-password-1", source=A)
    assert real == unknown == [0, 0.5, 1, 2, 4, 0]  # the sixth is refused as locked
    assert len(entries(engine, "login.refused_locked")) == 2


@pytest.fixture
def storage_clock(monkeypatch):
    """Moves the wall clock the in-memory rate-limit storage reads (only that module's)."""
    offset = [0.0]
    monkeypatch.setattr(
        limits_memory, "time", types.SimpleNamespace(time=lambda: time.time() + offset[0])
    )
    return lambda delta: offset.__setitem__(0, offset[0] + delta.total_seconds())


def test_the_lock_ends_after_its_time(engine, storage_clock):
    make_user(engine)
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    storage_clock(timedelta(minutes=14))
    with pytest.raises(accounts.LoginFailed):
        login(engine, "alice", GOOD, source=A)
    storage_clock(timedelta(minutes=1, seconds=1))
    assert login(engine, "alice", GOOD, source=A).username == "alice"


def test_admin_unlock_lifts_the_lock_of_every_address(engine):
    admin_id = make_user(engine, "root")
    user_id = make_user(engine, "bob", roles=(Role.DATA_EDITOR,))
    for source in (A, B):
        for _ in range(5):
            with pytest.raises(accounts.LoginFailed):
                login(engine, "bob", "Wrong-password-1", source=source)
    with unit_of_work(engine) as session:
        accounts.unlock(session, actor=actor(engine, admin_id), user_id=user_id)
    with unit_of_work(engine) as session:
        assert not [u for u in accounts.list_users(session, actor=actor(engine, admin_id))
                    if u.locked]  # fmt: skip
    assert login(engine, "bob", GOOD, source=A).username == "bob"
    assert login(engine, "bob", GOOD, source=B).username == "bob"


def test_counter_keys_hold_neither_the_username_nor_the_address(engine):
    make_user(engine)
    for _ in range(5):
        with pytest.raises(accounts.LoginFailed):
            login(engine, "alice", "Wrong-password-1", source=A)
    storage = ratelimit.limiter().storage
    keys = " ".join(map(str, [*storage.events, *storage.storage]))
    assert keys  # the counts are there
    for secret in ("alice", A, A[:12]):
        assert secret not in keys


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

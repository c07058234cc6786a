"""Staff accounts: roles, Argon2id passwords, sign-in slow-down and lockout per account and
address, server-side sessions, permissions."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from limits import RateLimitItem, RateLimitItemPerSecond
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from services.core import audit, ratelimit
from services.core.clock import utcnow
from services.core.messages import N_, UserFacingError
from services.core.settings import get_settings


class Role(StrEnum):
    ADMIN = "admin"
    COMPLAINT_HANDLER = "complaint_handler"
    COMPLAINT_SUPERVISOR = "complaint_supervisor"  # approves extensions, opens sealed identities
    WHISTLEBLOWER_OFFICER = "whistleblower_officer"
    DATA_EDITOR = "data_editor"
    SITE_OFFICER = "site_officer"
    OPEN_DAY_OFFICER = "open_day_officer"
    CAMPAIGN_REVIEWER = "campaign_reviewer"
    SURVEY_MANAGER = "survey_manager"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.COMPLAINT_HANDLER: N_("Complaint handler"),
    Role.COMPLAINT_SUPERVISOR: N_("Complaint supervisor"),
    Role.WHISTLEBLOWER_OFFICER: N_("Whistleblower officer"),
    Role.DATA_EDITOR: N_("Data editor"),
    Role.SITE_OFFICER: N_("Contaminated-site officer"),
    Role.OPEN_DAY_OFFICER: N_("Open-day officer"),
    Role.CAMPAIGN_REVIEWER: N_("Campaign reviewer"),
    Role.SURVEY_MANAGER: N_("Survey manager"),
}


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=32, unique=True, index=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    is_demo: bool = False
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


class StaffRole(SQLModel, table=True):
    """A role held by a user; district_code scopes a complaint handler (None: the whole city)."""

    __tablename__ = "staff_role"
    __table_args__ = (UniqueConstraint("user_id", "role", name="uq_staff_role_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=32)
    district_code: str | None = Field(default=None, max_length=6)


class StaffSession(SQLModel, table=True):
    """A login. The cookie carries the token; only its SHA-256 is stored."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Grant:
    role: Role
    district_code: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who is acting: what a service needs to decide permissions and write the audit log."""

    user_id: int
    username: str
    display_name: str
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    def has(self, role: Role) -> bool:
        return role in self.roles

    def district_scope(self, role: Role) -> str | None:
        """None for city-wide; a district code when the grant is scoped to one district."""
        for grant in self.grants:
            if grant.role == role:
                return grant.district_code
        raise PermissionDenied(role)


class PermissionDenied(UserFacingError):
    def __init__(self, role: Role) -> None:
        super().__init__(N_("You do not have permission for this action."), role=role.value)
        self.role = role


class LoginFailed(UserFacingError):
    """One message for every failure, so nobody learns whether a username exists."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Username or password is incorrect, or the account is temporarily locked. "
                "Try again later or contact an administrator."
            )
        )


class InvalidAccountData(UserFacingError):
    pass


def require(actor: Actor | None, role: Role) -> Actor:
    """Raise PermissionDenied unless the actor holds the role. Call this first in every use case."""
    if actor is None or not actor.has(role):
        raise PermissionDenied(role)
    return actor


# --- passwords -----------------------------------------------------------------------------

_hasher = PasswordHash((Argon2Hasher(),))  # Argon2id, pwdlib's defaults (RFC 9106 profile)
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
USERNAME_PATTERN = "^[a-z][a-z0-9_.-]{2,31}$"


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Every rule the password breaks, as msgids; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(N_("The password must be at least 12 characters long."))
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(N_("The password must be at most 128 characters long."))
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if kinds < 3:
        problems.append(
            N_(
                "The password must mix at least three of: lower-case letters, upper-case letters, "
                "digits and symbols."
            )
        )
    if username and username.lower() in password.lower():
        problems.append(N_("The password must not contain the username."))
    return problems


def _validate_username(username: str) -> str:
    username = username.strip().lower()
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise InvalidAccountData(
            N_(
                "The username must be 3 to 32 characters: lower-case letters, digits, '.', '_' "
                "or '-', starting with a letter."
            )
        )
    return username


# --- users ---------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    actor_name: str,
    username: str,
    display_name: str,
    password: str,
    grants: list[Grant],
    is_demo: bool = False,
) -> StaffUser:
    """Create a staff account. `actor_name` is the admin (or 'cli') doing it, for the audit log."""
    username = _validate_username(username)
    display_name = display_name.strip()
    if not display_name or len(display_name) > 64:
        raise InvalidAccountData(N_("The display name must be 1 to 64 characters."))
    problems = password_problems(password, username=username)
    if problems:
        raise InvalidAccountData(problems[0], problems=problems)
    if not grants:
        raise InvalidAccountData(N_("Choose at least one role."))
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise InvalidAccountData(N_("That username is already taken."))
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=_hasher.hash(password),
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    _replace_grants(session, user, grants)
    audit.record(
        session,
        actor=actor_name,
        action="staff.create",
        object_type="staff_user",
        object_id=user.id or "",
        details={"username": username, "roles": [_grant_text(g) for g in grants]},
    )
    return user


def _grant_text(grant: Grant) -> str:
    return grant.role.value + (f"@{grant.district_code}" if grant.district_code else "")


def _replace_grants(session: Session, user: StaffUser, grants: list[Grant]) -> None:
    for old in session.exec(select(StaffRole).where(StaffRole.user_id == user.id)):
        session.delete(old)
    session.flush()
    for grant in grants:
        district = grant.district_code if grant.role == Role.COMPLAINT_HANDLER else None
        session.add(StaffRole(user_id=user.id or 0, role=grant.role.value, district_code=district))
    session.flush()


def grants_of(session: Session, user_id: int) -> tuple[Grant, ...]:
    rows = session.exec(
        select(StaffRole).where(StaffRole.user_id == user_id).order_by(col(StaffRole.role))
    )
    return tuple(Grant(Role(r.role), r.district_code) for r in rows)


def actor_for(session: Session, user: StaffUser) -> Actor:
    return Actor(
        user_id=user.id or 0,
        username=user.username,
        display_name=user.display_name,
        grants=grants_of(session, user.id or 0),
    )


@dataclass(frozen=True)
class StaffUserPublic:
    """What the user-management screen shows: never the hash."""

    id: int
    username: str
    display_name: str
    is_active: bool
    is_demo: bool
    locked: bool  # some address is locked out of the account (for PORTAL_LOCKOUT_MINUTES)
    grants: tuple[Grant, ...]


def list_users(session: Session, *, actor: Actor) -> list[StaffUserPublic]:
    require(actor, Role.ADMIN)
    now = utcnow()
    users = session.exec(select(StaffUser).order_by(col(StaffUser.username)))
    return [
        StaffUserPublic(
            id=u.id or 0,
            username=u.username,
            display_name=u.display_name,
            is_active=u.is_active,
            is_demo=u.is_demo,
            locked=bool(u.locked_until and u.locked_until > now),
            grants=grants_of(session, u.id or 0),
        )
        for u in users
    ]


def add_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    grants: list[Grant],
) -> StaffUser:
    require(actor, Role.ADMIN)
    return create_user(
        session,
        actor_name=actor.username,
        username=username,
        display_name=display_name,
        password=password,
        grants=grants,
    )


def set_grants(session: Session, *, actor: Actor, user_id: int, grants: list[Grant]) -> None:
    require(actor, Role.ADMIN)
    user = _get_user(session, user_id)
    if not grants:
        raise InvalidAccountData(N_("Choose at least one role."))
    if user.id == actor.user_id and Role.ADMIN not in {g.role for g in grants}:
        raise InvalidAccountData(N_("You cannot remove your own administrator role."))
    _replace_grants(session, user, grants)
    audit.record(
        session,
        actor=actor.username,
        action="staff.roles",
        object_type="staff_user",
        object_id=user_id,
        details={"roles": [_grant_text(g) for g in grants]},
    )


def set_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> None:
    require(actor, Role.ADMIN)
    user = _get_user(session, user_id)
    if user.id == actor.user_id and not active:
        raise InvalidAccountData(N_("You cannot deactivate your own account."))
    user.is_active = active
    session.add(user)
    if not active:
        _revoke_sessions(session, user_id)
    audit.record(
        session,
        actor=actor.username,
        action="staff.activate" if active else "staff.deactivate",
        object_type="staff_user",
        object_id=user_id,
    )


def unlock(session: Session, *, actor: Actor, user_id: int) -> None:
    """Lift every address's sign-in lock and failure count for the account."""
    require(actor, Role.ADMIN)
    user = _get_user(session, user_id)
    user.locked_until = None
    session.add(user)
    # a new generation in every pair's counter key: the old locks and counts no longer apply
    ratelimit.limiter().storage.incr(
        _generation_key(user.username), max(86_400, 2 * _lock_seconds())
    )
    audit.record(
        session,
        actor=actor.username,
        action="staff.unlock",
        object_type="staff_user",
        object_id=user_id,
    )


def reset_password(session: Session, *, actor: Actor, user_id: int, new_password: str) -> None:
    require(actor, Role.ADMIN)
    user = _get_user(session, user_id)
    problems = password_problems(new_password, username=user.username)
    if problems:
        raise InvalidAccountData(problems[0], problems=problems)
    user.password_hash = _hasher.hash(new_password)
    user.password_changed_at = utcnow()
    session.add(user)
    _revoke_sessions(session, user_id)
    audit.record(
        session,
        actor=actor.username,
        action="staff.password_reset",
        object_type="staff_user",
        object_id=user_id,
    )


def _get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise InvalidAccountData(N_("No such staff account."))
    return user


# --- login, lockout and sessions -----------------------------------------------------------
#
# Failures are counted per (account, client address): a lock stops that address, never the
# account, so nobody can lock a staff member out from elsewhere. The counters live in the rate
# limit storage (memory, or Redis when several processes share it) under a keyed hash of the
# username and of the address, so neither is stored in a counter key. See docs/decisions.md.

_GENERATION_PREFIX = "portal-login-generation/"


def _keyed(*parts: str) -> str:
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, "\0".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _lock_seconds() -> int:
    return max(1, round(get_settings().lockout_minutes * 60))


def _failures_item() -> RateLimitItem:
    """Failures of one (account, address) pair within the lockout time."""
    return RateLimitItemPerSecond(get_settings().lockout_threshold, _lock_seconds())


def _lock_item() -> RateLimitItem:
    """One entry while the pair is locked; it expires after the lockout time."""
    return RateLimitItemPerSecond(1, _lock_seconds())


def _generation_key(name: str) -> str:
    return _GENERATION_PREFIX + _keyed("login-account", name)


def _pair_key(name: str, source: str) -> str:
    """The counter key of (username, address key), renewed when an administrator unlocks."""
    generation = ratelimit.limiter().storage.get(_generation_key(name))
    return "login-pair/" + _keyed("login-pair", name, source or "unknown", str(generation))


def _failures(pair: str) -> int:
    return (
        get_settings().lockout_threshold
        - ratelimit.limiter().get_window_stats(_failures_item(), pair).remaining
    )


def _pair_locked(pair: str) -> bool:
    return not ratelimit.limiter().test(_lock_item(), pair)


def sign_in_delay(username: str, source: str | None) -> float:
    """Seconds to wait before checking a sign-in for this username from this address.

    Nothing after no failure; after one, PORTAL_LOGIN_DELAY_SECONDS, doubling with each further
    failure of the same pair up to PORTAL_LOGIN_DELAY_MAX_SECONDS. Other addresses are not
    slowed. The same for unknown usernames, so the wait tells nothing about which exist.
    `source` is a keyed hash of the client address (ratelimit.address_key), never the address.
    """
    settings = get_settings()
    pair = _pair_key(username.strip().lower(), source or "")
    failures = _failures(pair)
    if failures < 1 or _pair_locked(pair):
        return 0.0  # a locked pair is refused without checking the password
    return min(settings.login_delay_max_seconds, settings.login_delay_seconds * 2 ** (failures - 1))


def _refuse(
    session: Session, user: StaffUser | None, *, valid: bool, source: str, pair: str
) -> None:
    """A failed check: count it for the pair, lock the pair at the threshold; all audited."""
    settings = get_settings()
    limiter = ratelimit.limiter()
    if not limiter.hit(_failures_item(), pair):
        failures = settings.lockout_threshold  # others failed at the same time: full already
    else:
        failures = _failures(pair)
    object_id = (user.id or "") if user else ""
    details: dict[str, object] = {"source": source[:12], "failures_from_source": failures}
    if user is None:
        details["reason"] = "unknown_user"
    else:
        details["reason"] = "inactive" if valid else "bad_password"
    audit.record(session, actor="anonymous", action="login.failed", object_type="staff_user",
                 object_id=object_id, details=details)  # fmt: skip
    if failures < settings.lockout_threshold:
        return
    limiter.hit(_lock_item(), pair)
    limiter.clear(_failures_item(), pair)
    until = utcnow() + timedelta(minutes=settings.lockout_minutes)
    if user is not None:  # shown on the staff accounts page: some address is locked out
        user.locked_until = until
        session.add(user)
    audit.record(
        session,
        actor="system",
        action="login.locked",
        object_type="staff_user",
        object_id=object_id,
        details={
            "source": source[:12],
            "until": until.isoformat(timespec="seconds"),
            "threshold": settings.lockout_threshold,
            **({"reason": "unknown_user"} if user is None else {}),
        },
    )


def authenticate(
    session: Session, *, username: str, password: str, source: str | None = None
) -> StaffUser:
    """Check a login from one client address. Failures look the same whatever the cause, and
    take the same time.

    `source` is a keyed hash of the client address (ratelimit.address_key), never the address.
    After PORTAL_LOCKOUT_THRESHOLD failures for one username from one address, that pair is
    refused for PORTAL_LOCKOUT_MINUTES; the account still signs in from other addresses.
    """
    name = username.strip().lower()
    source = source or ""
    pair = _pair_key(name, source)
    user = (
        session.exec(select(StaffUser).where(StaffUser.username == name)).first() if name else None
    )
    if _pair_locked(pair):
        _hasher.verify(password, _DUMMY_HASH)  # same cost as a real check
        audit.record(
            session,
            actor="anonymous",
            action="login.refused_locked",
            object_type="staff_user",
            object_id=(user.id or "") if user else "",
            details={"source": source[:12]},
        )
        raise LoginFailed()
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        _refuse(session, None, valid=False, source=source, pair=pair)
        raise LoginFailed()
    valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not valid or not user.is_active:
        _refuse(session, user, valid=valid, source=source, pair=pair)
        raise LoginFailed()
    ratelimit.limiter().clear(_failures_item(), pair)
    if new_hash:
        user.password_hash = new_hash
    session.add(user)
    audit.record(
        session,
        actor=user.username,
        action="login.ok",
        object_type="staff_user",
        object_id=user.id or "",
    )
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: datetime


def open_session(session: Session, *, user: StaffUser) -> NewSession:
    expires_at = utcnow() + timedelta(hours=get_settings().session_hours)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(token_sha256=_token_digest(token), user_id=user.id or 0, expires_at=expires_at)
    )
    return NewSession(token=token, expires_at=expires_at)


def actor_for_token(session: Session, *, token: str) -> Actor | None:
    """The actor behind a live session token, or None when unknown, revoked or expired."""
    row = session.exec(
        select(StaffSession).where(StaffSession.token_sha256 == _token_digest(token))
    ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.is_active:
        return None
    return actor_for(session, user)


def close_session(session: Session, *, token: str) -> None:
    row = session.exec(
        select(StaffSession).where(StaffSession.token_sha256 == _token_digest(token))
    ).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        user = session.get(StaffUser, row.user_id)
        audit.record(
            session,
            actor=user.username if user else "unknown",
            action="logout",
            object_type="staff_session",
            object_id=row.id or "",
        )


def _revoke_sessions(session: Session, user_id: int) -> None:
    now = utcnow()
    for row in session.exec(
        select(StaffSession).where(
            StaffSession.user_id == user_id, col(StaffSession.revoked_at).is_(None)
        )
    ):
        row.revoked_at = now
        session.add(row)


# --- reading the audit log -----------------------------------------------------------------


def read_audit_log(
    session: Session,
    *,
    actor: Actor,
    action: str | None = None,
    actor_name: str | None = None,
    limit: int = 500,
) -> list[audit.AuditEntry]:
    """The audit log for administrators, newest first; reading it is itself audited."""
    require(actor, Role.ADMIN)
    query = select(audit.AuditEntry).order_by(col(audit.AuditEntry.id).desc()).limit(limit)
    if action:
        query = query.where(audit.AuditEntry.action == action)
    if actor_name:
        query = query.where(audit.AuditEntry.actor == actor_name.strip().lower())
    entries = list(session.exec(query))
    audit.record(
        session,
        actor=actor.username,
        action="audit.read",
        object_type="audit_log",
        details={"action": action, "actor": actor_name, "rows": len(entries)},
    )
    return entries


def audit_actions(session: Session, *, actor: Actor) -> list[str]:
    require(actor, Role.ADMIN)
    rows = session.exec(select(audit.AuditEntry.action).distinct())
    return sorted(rows)


def my_activity(session: Session, *, actor: Actor, limit: int = 20) -> list[audit.AuditEntry]:
    """A staff member's own recent sign-ins and actions, so they can spot misuse of the account."""
    query = (
        select(audit.AuditEntry)
        .where(
            (audit.AuditEntry.actor == actor.username)
            | (
                (audit.AuditEntry.object_type == "staff_user")
                & (audit.AuditEntry.object_id == str(actor.user_id))
            )
        )
        .order_by(col(audit.AuditEntry.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))

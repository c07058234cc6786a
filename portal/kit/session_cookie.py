"""The signed staff-session cookie, shared by the login route and the Streamlit pages.

The cookie carries a random session token signed with the portal secret (itsdangerous) and is
HttpOnly, SameSite=Lax and time-limited; the token itself is checked against the database, so a
logout or a deactivation ends the session on every process at once.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from services.core.settings import get_settings

COOKIE_NAME = "portal_staff"
_SALT = "portal.staff-session"


def _signer() -> TimestampSigner:
    return TimestampSigner(get_settings().secret_key.get_secret_value(), salt=_SALT)


def sign(token: str) -> str:
    return _signer().sign(token).decode()


def unsign(value: str | None) -> str | None:
    """The token inside a cookie value, or None if absent, tampered with or older than a session."""
    if not value:
        return None
    max_age = int(get_settings().session_hours * 3600)
    try:
        return _signer().unsign(value, max_age=max_age).decode()
    except (BadSignature, SignatureExpired):
        return None


def max_age_seconds() -> int:
    return int(get_settings().session_hours * 3600)

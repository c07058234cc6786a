"""Message ids for user-facing text raised by services.

Services never translate: they carry the English source string (a gettext msgid) and the portal
translates it for the reader. `N_` only marks a string for extraction into the catalogs.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


class UserFacingError(Exception):
    """An error whose text (a msgid, with optional named params) may be shown to the user."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

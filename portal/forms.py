"""Showing a service's validation error in the reader's language."""

from __future__ import annotations

import streamlit as st

from portal.i18n import tr
from services.messages import UserFacingError


def show_error(error: UserFacingError) -> None:
    problems = error.params.get("problems")
    if isinstance(problems, list) and len(problems) > 1:
        st.error("\n".join(f"- {tr(p)}" for p in problems))
    else:
        params = {k: v for k, v in error.params.items() if k != "problems"}
        st.error(tr(error.msgid, **params))

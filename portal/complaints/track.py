"""The reporter's private view (pages/complaints/complaint_track.py).

Opening it by receipt, and each step the reporter takes there."""

from __future__ import annotations

import streamlit as st

from portal.kit import data, visitor
from services.complaints import workflow
from services.core import ratelimit
from services.core.messages import N_, UserFacingError
from services.shared.sealed import receipts

NOT_FOUND = N_("No report was found for this receipt. Check the 20 digits and try again.")
TOO_MANY = N_("Too many attempts from this connection. Please wait ten minutes.")


def _failure_budgets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Wrong receipts allowed to this browser session, and to everyone behind its address."""
    return (
        (ratelimit.RECEIPT_FAILURES_PER_SESSION, "receipt-session", visitor.session_key()),
        (ratelimit.RECEIPT_FAILURES_PER_ADDRESS, "receipt", visitor.address_key()),
    )


def _may_look_up(session: tuple[str, ...], address: tuple[str, ...]) -> bool:
    """A session within its own budget may look up. Once the address's ceiling is reached, only
    a session that has not failed yet may, once: a neighbour's right receipt still opens the case,
    and a guesser who opens new sessions gets one guess each (docs/decisions.md, Complaints)."""
    if not ratelimit.available(*session):
        return False
    return ratelimit.available(*address) or ratelimit.used(*session) == 0


def open_case() -> None:
    typed = st.session_state.get("track_receipt", "")
    st.session_state["track_receipt"] = ""  # the receipt does not stay on screen
    budgets = _failure_budgets()
    if not _may_look_up(*budgets):
        st.session_state["track_error"] = TOO_MANY
        return
    key = receipts.lookup_key(typed)  # the same slow hash for a malformed and a wrong receipt
    try:
        with data.unit_of_work() as session:
            workflow.reporter_case(session, key)
    except workflow.CaseNotFound:
        for rule, *keys in budgets:  # only a failed look-up counts
            ratelimit.count(rule, *keys)
        st.session_state["track_error"] = NOT_FOUND
        return
    st.session_state["track_key"] = key
    st.session_state.pop("track_error", None)


def forget() -> None:
    for name in ("track_key", "track_error", "track_done"):
        st.session_state.pop(name, None)


def reporter_action(action, *args) -> None:
    """Run one reporter step in its own transaction; remember the outcome for the next run."""
    try:
        with data.unit_of_work() as session:
            case = workflow.reporter_case(session, st.session_state.get("track_key"))
            action(session, case, *args)
    except UserFacingError as error:
        st.session_state["track_done"] = ("error", error.msgid, error.params)
    else:
        st.session_state["track_done"] = ("ok", N_("Thank you, it has been recorded."), {})

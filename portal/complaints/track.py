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


def open_case() -> None:
    typed = st.session_state.get("track_receipt", "")
    st.session_state["track_receipt"] = ""  # the receipt does not stay on screen
    address = visitor.address_key()
    if not ratelimit.allow(ratelimit.RECEIPT_LOOKUP_PER_ADDRESS, "receipt", address):
        st.session_state["track_error"] = TOO_MANY
        return
    key = receipts.lookup_key(typed)  # the same slow hash for a malformed and a wrong receipt
    try:
        with data.unit_of_work() as session:
            workflow.reporter_case(session, key)
    except workflow.CaseNotFound:
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

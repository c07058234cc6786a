"""Report a problem (12369-style): the form, then the receipt, shown once."""

import streamlit as st

from portal.complaints import form as complaint_form
from portal.complaints import ui as cui
from portal.kit import i18n, pages, ui
from portal.kit.i18n import _
from services.complaints.manifest import TRACK_PAGE
from services.shared.sealed import receipts

ui.page_header(
    _("Report an environmental problem"),
    _(
        "Anyone may report pollution or ecological damage (Environmental Protection Law, Art. 57). "
        "The bureau keeps the reporter's identity confidential and never passes it, or the "
        "report, to the party reported (Regulations on Letters and Visits, Art. 30)."
    ),
)
st.warning(
    _(
        "In an emergency (fire, explosion, a chemical spill, fish dying, people feeling ill), "
        "call 12369 or 110 now. This form is read on working days and answered within the "
        "deadlines below."
    ),
    icon=":material/emergency:",
)
cui.deadline_rules_caption()

filed = st.session_state.get("complaint_filed")
if filed is not None:
    st.success(_("Your report has been received."), icon=":material/check_circle:")
    if filed.get("reissued"):
        st.info(
            _(
                "This form had already been sent, and the report was filed once. This is a new "
                "receipt for it: a receipt shown for this report before no longer works."
            ),
            icon=":material/sync:",
        )
    st.markdown(_("Public case number: **{number}**").format(number=filed["number"]))
    st.markdown("**" + _("Your secret receipt") + "**")
    st.code(receipts.grouped(filed["receipt"]), language=None)
    st.warning(
        _(
            "Write this receipt down or download it now. It is shown only once and is the only "
            "way to follow your report, answer the bureau's questions and rate the handling. "
            "The bureau cannot recover it: only a one-way hash of it is stored."
        ),
        icon=":material/key:",
    )
    receipt_text = _("Case number: {number}\nReceipt: {receipt}\nTrack it at: /track\n").format(
        number=filed["number"], receipt=receipts.grouped(filed["receipt"])
    )
    st.download_button(
        _("Download the receipt"),
        receipt_text.encode(),
        file_name=f"{filed['number']}-receipt.txt",
        mime="text/plain",
        icon=":material/download:",
    )
    st.page_link(
        pages.page(TRACK_PAGE),
        label=_("Track my report"),
        icon=":material/key:",
        query_params={"lang": i18n.current_lang()},
    )
    if st.button(_("I have saved my receipt"), type="primary"):
        del st.session_state["complaint_filed"]  # the receipt is gone from this session too
        complaint_form.receipt_saved()  # and the form's address can no longer re-issue it
        st.rerun()
    st.stop()


def remember(result) -> None:
    st.session_state["complaint_filed"] = {
        "number": result.number, "receipt": result.receipt, "reissued": result.reissued,
    }  # fmt: skip


complaint_form.render("report", on_filed=remember)

"""Track my report: the reporter's private view, opened with the secret receipt."""

import streamlit as st

from portal.complaints import track as track_ui
from portal.complaints import ui as cui
from portal.kit import data, i18n, ui
from portal.kit.i18n import _
from services.complaints import intake, workflow
from services.complaints.catalog import OPEN, Status
from services.core.clock import beijing
from services.shared.sealed import evidence

ui.page_header(
    _("Track my report"),
    _("Enter the secret receipt you received when you filed your report."),
)


key = st.session_state.get("track_key")
if key is None:
    st.text_input(_("Receipt"), type="password", key="track_receipt", max_chars=40,
                  placeholder="0000 0000 0000 0000 0000")  # fmt: skip
    st.button(_("Open my report"), type="primary", on_click=track_ui.open_case)
    if st.session_state.get("track_error"):
        st.error(_(st.session_state["track_error"]))
    st.caption(_("Lost your receipt? For your protection the bureau cannot look it up. You can "
                 "file the report again and mention the earlier public case number."))  # fmt: skip
    st.stop()

with data.unit_of_work() as session:
    try:
        case = workflow.reporter_case(session, key)
    except workflow.CaseNotFound:
        track_ui.forget()
        st.rerun()
    history = workflow.reporter_events(session, case.id)
    conversation = workflow.messages(session, case.id)

done = st.session_state.pop("track_done", None)
if done is not None:
    kind, msgid, params = done
    (st.success if kind == "ok" else st.error)(ui.message(msgid, **params))

top = st.columns(3)
with top[0]:
    ui.tile(_("Case"), case.number, caption=cui.fmt_day(case.filed_on))
with top[1]:
    ui.tile(_("Status"), cui.status_label(case.status), caption=cui.types_text(
        tuple(case.types.split(","))))  # fmt: skip
with top[2]:
    cui.due_tile(_("Next deadline"), case.current_due, provisional=case.provisional_due)
cui.deadline_rules_caption()
st.button(_("Close my report view"), on_click=track_ui.forget, icon=":material/logout:")

st.subheader(_("What has happened"))
for event in history:
    line = f"**{i18n.fmt_date(beijing(event.at).date())}** · {cui.action_label(event.action)}"
    if event.action == "not_accept" and event.reason:
        line += " · " + cui.reason_labels().get(event.reason, event.reason)
    if event.action == "close":
        line += " · " + _("Finding: {finding}").format(finding=cui.finding_label(event.reason))
    st.markdown(line)
    if event.to_reporter:  # the written replies and the messages meant for the reporter
        cui.quoted(event.to_reporter)

st.subheader(_("Messages"))
if not conversation:
    st.caption(_("No questions from the bureau."))
for message in conversation:
    who = _("The bureau") if message.sender == "staff" else _("You")
    st.markdown(f"**{who}** · {i18n.fmt_datetime(message.at)}")
    cui.quoted(message.body)
is_open = Status(case.status) in OPEN
if is_open:
    with st.form("track_answer", clear_on_submit=True):
        answer = st.text_area(_("Write to the bureau"), max_chars=4000)
        if st.form_submit_button(_("Send")):
            track_ui.reporter_action(workflow.reporter_answer, answer)
            st.rerun()

if is_open or case.status in (Status.CLOSED, Status.REVIEWED):
    with st.expander(_("Add photos")), st.form("track_evidence", clear_on_submit=True):
        files = st.file_uploader(_("Photos"), type=["jpg", "jpeg", "png", "webp"],
                                 accept_multiple_files=True,
                                 max_upload_size=evidence.MAX_FILE_BYTES // 2**20)  # fmt: skip
        st.caption(_("Up to {n} photos, {mb} MB each.").format(
            n=evidence.MAX_FILES, mb=evidence.MAX_FILE_BYTES // (1024 * 1024)))  # fmt: skip
        if st.form_submit_button(_("Add")) and files:
            uploads = [intake.Upload(f.name, f.getvalue()) for f in files]
            track_ui.reporter_action(intake.add_evidence, uploads)
            st.rerun()

if case.status in (Status.CLOSED, Status.REVIEWED, Status.FINAL):
    st.subheader(_("Rate the handling"))
    ratings = cui.rating_labels()
    with st.form("track_rate"):
        rating = st.radio(_("Your rating"), list(ratings), format_func=ratings.get,
                          index=list(ratings).index(case.rating) if case.rating else None,
                          horizontal=True)  # fmt: skip
        comment = st.text_area(_("Comment (optional)"), max_chars=500, value=case.rating_comment)
        if st.form_submit_button(_("Save my rating")):
            track_ui.reporter_action(workflow.reporter_rate, rating or "", comment)
            st.rerun()

if case.status in (Status.CLOSED, Status.REVIEWED):
    st.subheader(
        _("Ask for a re-review") if case.status == Status.REVIEWED else _("Ask for a review")
    )
    st.caption(_("Possible until {date}.").format(date=cui.fmt_day(case.review_request_due)))
    with st.form("track_review"):
        reason = st.text_area(_("Why are you not satisfied with the answer?"), max_chars=2000)
        if st.form_submit_button(_("Request it")):
            track_ui.reporter_action(workflow.reporter_request_review, reason)
            st.rerun()
elif case.status == Status.FINAL:
    st.info(_(workflow.FINAL_REFUSAL))

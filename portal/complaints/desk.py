"""The complaint desk's screens (pages/staff_complaints.py): queues, the case file, actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from portal.complaints import form as complaint_form
from portal.complaints import routes as complaint_routes
from portal.complaints import ui as cui
from portal.kit import data, forms, i18n, ui
from portal.kit.i18n import _
from services.complaints import desk, workflow
from services.complaints.catalog import (
    AWAITING_ACCEPTANCE,
    BEING_HANDLED,
    IDENTITY_LABELS,
    Channel,
    IdentityMode,
    Status,
)
from services.complaints.model import ComplaintCase
from services.core.accounts import Actor, Role
from services.core.messages import UserFacingError
from services.shared import pii


def queue_labels() -> dict[str, str]:
    return {
        "moderation": _("Awaiting moderation"),
        "acceptance": _("Awaiting acceptance"),
        "handling": _("Being handled"),
        "review": _("Under review"),
        "open": _("All open"),
        "done": _("Finished"),
    }


def run(actor, file, action, *, form: str = "", public: dict[str, str] | None = None,
        **params) -> bool:  # fmt: skip
    """Run a staff action on the open case with the version this screen showed.

    An action that publishes text names its `form` and the `public` texts by field: a refusal
    for personal data redraws the form with the findings and a confirmation box (everything typed
    stays), and the confirmation counts only for the findings it was shown."""
    if form:
        params["confirmed_no_personal_data"] = _confirmed(form, public or {})
    try:
        with data.unit_of_work() as session:
            action(session, actor=actor, case_id=file.case.id, version=file.case.version,
                   **params)  # fmt: skip
    except pii.PersonalDataFound as error:
        st.session_state[f"{form}_pii"] = [(f.field, f.kind, f.masked) for f in error.findings]
        st.session_state.pop(f"{form}_pii_ok", None)
        st.rerun()
    except UserFacingError as error:
        forms.show_error(error)
        return False
    for key in [k for k in st.session_state if str(k).startswith(f"{form}_")] if form else ():
        del st.session_state[key]
    st.session_state["desk_done"] = True
    st.rerun()
    return True


def _form_key(name: str, case: ComplaintCase) -> str:
    """A form's key prefix: per case and version, so another case or a saved change starts
    from a fresh, prefilled form."""
    return f"{name}_{case.id}_{case.version}"


def _confirmed(form: str, public: dict[str, str]) -> bool:
    """Ticked, and the texts hold no finding other than those the box was shown with."""
    shown = {tuple(f) for f in st.session_state.get(f"{form}_pii") or ()}
    found = {(f.field, f.kind, f.masked) for f in workflow.public_findings(**public)}
    return bool(st.session_state.get(f"{form}_pii_ok")) and found <= shown


def _personal_data_box(form: str) -> None:
    """Inside a form: what the detector found at the last submit, and the box confirming it is
    not personal data (only when something was found)."""
    shown = st.session_state.get(f"{form}_pii")
    if not shown:
        return
    found = pii.PersonalDataFound([pii.FieldFinding(*f) for f in shown], workflow.PUBLIC_FIELDS)
    st.warning("\n".join("- " + ui.literal(line) for line in found.lines(_)),
               icon=":material/privacy_tip:")  # fmt: skip
    st.checkbox(_("I have checked: this is not personal data (the confirmation is logged)"),
                key=f"{form}_pii_ok")  # fmt: skip


def queue_view(actor: Actor) -> None:
    with data.unit_of_work() as session:
        per_queue = desk.counts(session, actor=actor)
    names = {
        k: f"{label} ({i18n.fmt_number(per_queue[k][0])}"
        + (f", {_('overdue')} {i18n.fmt_number(per_queue[k][1])}" if per_queue.get(k, (0, 0))[1]
           else "") + ")" if k in per_queue else label
        for k, label in queue_labels().items()
    }  # fmt: skip
    left, right = st.columns([3, 1])
    name = left.radio(_("Queue"), list(names), format_func=names.get, horizontal=True,
                      key="desk_queue")  # fmt: skip
    overdue_only = right.toggle(_("Overdue only"), key="desk_overdue")
    with data.unit_of_work() as session:
        rows, total = desk.queue(session, actor=actor, name=name, overdue_only=overdue_only)
    st.caption(_("{n} cases").format(n=i18n.fmt_number(total)))
    if rows:
        ui.data_table(
            [
                {
                    _("Case"): r.number,
                    _("Status"): cui.status_label(r.status),
                    _("Deadline"): cui.due_text(r.current_due, provisional=r.provisional_due),
                    _("District"): cui.district_name(r.district_code),
                    _("Type of pollution"): cui.types_text(r.types.split(",")),
                    _("Enterprise or site"): r.target_name,
                    _("Filed"): cui.fmt_day(r.filed_on),
                    _("Flags"): " ".join(
                        flag for flag, on in (
                            (_("escalated"), r.escalated),
                            (_("extension requested"), r.extension_requested_days > 0),
                        ) if on
                    ),
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )  # fmt: skip
        st.selectbox(_("Open a case"), [r.number for r in rows], index=None,
                     placeholder=_("Choose a case number"), key="desk_pick",
                     on_change=_open_picked)  # fmt: skip
    else:
        st.info(_("This queue is empty."))


def _open_picked() -> None:
    """The queue's pick becomes the open case; it stays open when it leaves that queue."""
    if st.session_state.get("desk_pick"):
        st.session_state["desk_number"] = st.session_state["desk_pick"]


def case_view(actor: Actor) -> None:
    """The case file of the typed or picked number, with the actions its status allows."""
    number = st.text_input(_("Case number"), key="desk_number").strip()
    if not number:
        st.info(_("Choose a case in a queue or type its number."))
        return
    file = _case_file(actor, number)
    if file is None:
        return
    is_supervisor = actor.has(Role.COMPLAINT_SUPERVISOR)
    if st.session_state.pop("desk_done", False):
        st.success(_("Saved."))
    _header(file)
    _report(file)
    _photos(actor, file, is_supervisor=is_supervisor)
    _identity(actor, file, is_supervisor=is_supervisor)
    _timeline(file)
    _actions(partial(run, actor, file), file.case, is_supervisor=is_supervisor)


def _case_file(actor: Actor, number: str) -> desk.CaseFile | None:
    try:
        with data.unit_of_work() as session:
            return desk.case_file(session, actor=actor, number=number)
    except workflow.CaseNotFound:
        st.error(_("No case with this number in your area."))
        return None


def _header(file: desk.CaseFile) -> None:
    """Number and status, the deadline, district and types; escalation and repeat notes."""
    case = file.case
    top = st.columns(3)
    with top[0]:
        ui.tile(case.number, cui.status_label(case.status),
                caption=cui.channel_label(case.channel))  # fmt: skip
    with top[1]:
        cui.due_tile(_("Deadline"), case.current_due, provisional=case.provisional_due)
    with top[2]:
        ui.tile(_("District"), cui.district_name(case.district_code),
                caption=cui.types_text(case.types.split(",")))  # fmt: skip
    if case.escalated:
        st.warning(_("Escalated: several complaints about the same target."))
    if file.repeat_of_number:
        st.caption(_("Repeat of {number}").format(number=file.repeat_of_number))


def _report(file: desk.CaseFile) -> None:
    """Where, what and since when, as the reporter wrote it."""
    case = file.case
    st.markdown("**" + _("Where") + ":** " + ui.literal(case.location_text))
    if case.target_name:
        st.markdown("**" + _("Enterprise or site") + ":** " + ui.literal(case.target_name)
                    + (f" · {ui.literal(case.target_address)}" if case.target_address
                       else ""))  # fmt: skip
    if case.published:
        st.markdown("**" + _("Public target") + ":** "
                    + (ui.literal(case.public_target) if case.public_target else "—"))  # fmt: skip
    if case.pin_lat is not None:
        st.caption(_("Map point: {lat}, {lon}").format(lat=case.pin_lat, lon=case.pin_lon))
    st.markdown("**" + _("Noticed") + ":** " + cui.fmt_day(case.observed_on)
                + (" · " + _("still going on") if case.ongoing else ""))  # fmt: skip
    st.markdown("**" + _("Description (as written by the reporter)") + "**")
    cui.quoted(case.description)
    if case.wishes:
        st.markdown("**" + _("What the reporter wants") + "**")
        cui.quoted(case.wishes)


def _photos(actor: Actor, file: desk.CaseFile, *, is_supervisor: bool) -> None:
    """Thumbnails of the copies; a supervisor may open an original (logged)."""
    if not file.evidence:
        return
    st.markdown("**" + _("Photos (copies without location or camera data)") + "**")
    cols = st.columns(4)  # thumbnails: a quarter of the width each
    for i, item in enumerate(file.evidence):
        col = cols[i % len(cols)]
        col.image(item.image, width="stretch")
        if is_supervisor:
            _original_link(item.id, col)


def _original_link(evidence_id: int, col: DeltaGenerator) -> None:
    """A link to the sealed original of a photo: the staff route (portal/complaints/routes.py)
    checks the session and the role and logs each download. The page never reads the original,
    so its bytes never reach Streamlit's media endpoint."""
    col.link_button(
        _("Original (logged)"), complaint_routes.original_url(evidence_id, i18n.current_lang()),
        help=_("The photo as uploaded, with its location and camera data. Each download is "
               "logged."),
    )  # fmt: skip


def _identity(actor: Actor, file: desk.CaseFile, *, is_supervisor: bool) -> None:
    """The identity mode; a supervisor may open the sealed identity (logged)."""
    case = file.case
    st.markdown("**" + _("Identity") + ":** " + _(
        IDENTITY_LABELS[IdentityMode(case.identity_mode)]))  # fmt: skip
    if not file.has_identity:
        return
    if not is_supervisor:
        st.caption(_("Sealed: only a complaint supervisor can open it."))
    elif st.button(_("Open the sealed identity (logged)"), key="open_identity"):
        with data.unit_of_work() as session:
            identity = workflow.open_identity(session, actor=actor, case_id=case.id)
        st.json({k: v for k, v in identity.items() if v})


def _timeline(file: desk.CaseFile) -> None:
    """The history of steps, then the messages exchanged with the reporter."""
    st.markdown("**" + _("History") + "**")
    ui.data_table(
        [
            {
                _("Time (Beijing)"): i18n.fmt_datetime(e.at),
                _("Step"): cui.action_label(e.action),
                _("By"): e.actor,
                _("Status"): cui.status_label(e.to_status) if e.to_status else "",
                _("Note"): " / ".join(x for x in (e.note, e.public_note, e.to_reporter) if x),
            }
            for e in file.events
        ],
        hide_index=True,
        width="stretch",
    )
    if file.messages:
        st.markdown("**" + _("Messages with the reporter") + "**")
        for m in file.messages:
            who = _("Bureau") if m.sender == "staff" else _("Reporter")
            st.markdown(f"**{who}** · {i18n.fmt_datetime(m.at)}")
            cui.quoted(m.body)


# --- the actions a status allows -----------------------------------------------------------

Act = Callable[..., bool]  # run() bound to the actor and the open case file


def _actions(act: Act, case: ComplaintCase, *, is_supervisor: bool) -> None:
    status = Status(case.status)
    st.markdown("### " + _("Actions"))
    if status == Status.SUBMITTED:
        _moderate_form(act, case)
    if status in AWAITING_ACCEPTANCE:
        _decision_forms(act)
    if status in BEING_HANDLED:
        _transfer_forms(act, status)
        if status == Status.IN_PROGRESS:
            _site_check_form(act, case)
        _extension_forms(act, case, is_supervisor=is_supervisor)
        _close_form(act, case)
    if status in (Status.REVIEW, Status.RE_REVIEW):
        _answer_review_form(act, case)
    if status in workflow.TRANSITIONS["ask"][0]:
        _ask_form(act)
    if case.published:
        _edit_public_form(act, case)


def _moderate_form(act: Act, case: ComplaintCase) -> None:
    """The public texts: the target prefilled with the reporter's wording, to be cleaned."""
    form = _form_key("moderate", case)
    with st.form("moderate"):
        target = st.text_input(_("Public target (enterprise or site; no names of people, no "
                                 "phone numbers)"), value=case.target_name, max_chars=120,
                               key=f"{form}_target")  # fmt: skip
        summary = st.text_area(_("Public summary (no personal details)"), max_chars=1000,
                               key=f"{form}_summary")  # fmt: skip
        location = st.text_input(_("Public location (district and road, no house "
                                   "numbers)"), max_chars=120, key=f"{form}_location")  # fmt: skip
        _personal_data_box(form)
        if st.form_submit_button(_("Publish")):
            texts = {"target": target, "summary": summary, "location": location}
            act(workflow.moderate, form=form, public=texts, **texts)


def _decision_forms(act: Act) -> None:
    """Accept, do not accept, or mark as a duplicate, side by side."""
    accept_col, refuse_col, dup_col = st.columns(3)
    with accept_col.form("accept"):
        message = st.text_area(_("Message to the reporter (optional)"))
        if st.form_submit_button(_("Accept"), type="primary"):
            act(workflow.accept, message=message)
    with refuse_col.form("not_accept"):
        reasons = cui.reason_labels()
        reason = st.selectbox(_("Reason"), list(reasons), format_func=reasons.get)
        message = st.text_area(_("Message to the reporter (optional)"), key="na_msg")
        if st.form_submit_button(_("Do not accept")):
            act(workflow.not_accept, reason=reason, message=message)
    with dup_col.form("duplicate"):
        original = st.text_input(_("Number of the case already accepted"))
        if st.form_submit_button(_("Mark as duplicate")):
            act(workflow.mark_duplicate, original_number=original)


def _transfer_forms(act: Act, status: Status) -> None:
    """Transfer to another unit; return a transfer; start handling."""
    units = cui.unit_names()
    left, right = st.columns(2)
    with left.form("transfer"):
        unit = st.selectbox(_("Transfer to"), list(units), format_func=units.get)
        note = st.text_input(_("Note for the receiving unit"))
        if st.form_submit_button(_("Transfer")):
            act(workflow.transfer, unit=unit, note=note)
    if status == Status.TRANSFERRED:
        with right.form("object"):
            reason = st.text_input(_("Why it is outside the unit's remit"))
            if st.form_submit_button(_("Return the transfer")):
                act(workflow.object_to_transfer, reason=reason)
    if status in (Status.ACCEPTED, Status.TRANSFERRED) and right.button(_("Start handling")):
        act(workflow.take_up)


def _site_check_form(act: Act, case: ComplaintCase) -> None:
    form = _form_key("site_check", case)
    with st.form("site_check"):
        note = st.text_area(_("Site check, monitoring or enforcement (internal)"),
                            key=f"{form}_note")  # fmt: skip
        public_note = st.text_input(_("What the public timeline says (optional)"),
                                    key=f"{form}_public_note")  # fmt: skip
        _personal_data_box(form)
        if st.form_submit_button(_("Record")):
            act(workflow.record_site_check, form=form, public={"note": public_note}, note=note,
                public_note=public_note)  # fmt: skip


def _extension_forms(act: Act, case: ComplaintCase, *, is_supervisor: bool) -> None:
    """Ask for an extension (none asked or granted yet); a supervisor decides on one asked."""
    left, right = st.columns(2)
    if not case.extension_days and not case.extension_requested_days:
        with left.form("extension"):
            days = st.number_input(_("Extension (days)"), 1, 30, 15)
            reason = st.text_input(_("Reason (told to the reporter if approved)"))
            if st.form_submit_button(_("Ask for an extension")):
                act(workflow.request_extension, days=int(days), reason=reason)
    if case.extension_requested_days and is_supervisor:
        with right.form("decide_extension"):
            st.markdown(_("Extension of {n} days requested.").format(
                n=case.extension_requested_days))  # fmt: skip
            reason = st.text_input(_("Reason of the decision"))
            approve = st.form_submit_button(_("Approve"))
            refuse = st.form_submit_button(_("Refuse"))
            if approve or refuse:
                act(workflow.decide_extension, approve=approve, reason=reason)


def _close_form(act: Act, case: ComplaintCase) -> None:
    form = _form_key("close", case)
    with st.form("close"):
        findings = cui.finding_labels()
        finding = st.radio(_("Finding"), list(findings), format_func=findings.get,
                           horizontal=True, key=f"{form}_finding")  # fmt: skip
        reply = st.text_area(_("Written reply to the reporter"), key=f"{form}_reply")
        outcome = st.text_area(_("Public outcome (no personal details)"), key=f"{form}_outcome")
        _personal_data_box(form)
        if st.form_submit_button(_("Close the case"), type="primary"):
            act(workflow.close, form=form, public={"outcome": outcome}, finding=finding,
                reply=reply, public_outcome=outcome)  # fmt: skip


def _answer_review_form(act: Act, case: ComplaintCase) -> None:
    """The answer goes to the reporter and onto the public timeline."""
    form = _form_key("answer_review", case)
    with st.form("answer_review"):
        reply = st.text_area(_("Answer to the review request"), key=f"{form}_reply")
        _personal_data_box(form)
        if st.form_submit_button(_("Send the answer")):
            act(workflow.answer_review, form=form, public={"reply": reply}, reply=reply)


def _ask_form(act: Act) -> None:
    with st.form("ask"):
        question = st.text_area(_("Question to the reporter (they answer with their "
                                  "receipt)"))  # fmt: skip
        if st.form_submit_button(_("Send the question")):
            act(workflow.ask_reporter, question=question)


def _edit_public_form(act: Act, case: ComplaintCase) -> None:
    form = _form_key("edit_public", case)
    with st.form("edit_public"):
        target = st.text_input(_("Public target"), value=case.public_target, max_chars=120,
                               key=f"{form}_target")  # fmt: skip
        summary = st.text_area(_("Public summary"), value=case.public_summary,
                               key=f"{form}_summary")  # fmt: skip
        location = st.text_input(_("Public location"), value=case.public_location,
                                 key=f"{form}_location")  # fmt: skip
        remediation = st.text_area(_("Remediation progress (public)"), value=case.remediation,
                                   key=f"{form}_remediation")  # fmt: skip
        outcome = None
        if case.public_outcome:  # written when the case was closed
            outcome = st.text_area(_("Public outcome (no personal details)"),
                                   value=case.public_outcome, key=f"{form}_outcome")  # fmt: skip
        _personal_data_box(form)
        if st.form_submit_button(_("Save the public text")):
            texts = {"target": target, "summary": summary, "location": location,
                     "remediation": remediation, "outcome": outcome}  # fmt: skip
            act(workflow.edit_public, form=form, public=texts, **texts)


def entry_view(actor: Actor) -> None:
    st.caption(
        _(
            "Register a report received by phone, letter, visit or WeChat. The reporter gets "
            "the receipt from you: read it out or send it once, then forget it."
        )
    )
    done = st.session_state.get("desk_entered")
    if done:
        st.success(_("Registered as {number}. Receipt: {receipt}").format(
            number=done["number"], receipt=done["receipt"]))  # fmt: skip
        if st.button(_("Done")):
            del st.session_state["desk_entered"]
            st.rerun()
    else:

        def remember(filed) -> None:
            from services.shared.sealed import receipts

            st.session_state["desk_entered"] = {
                "number": filed.number, "receipt": receipts.grouped(filed.receipt),
            }  # fmt: skip

        complaint_form.render("desk_entry", on_filed=remember, actor=actor, channels=True,
                              channel=Channel.PHONE)  # fmt: skip

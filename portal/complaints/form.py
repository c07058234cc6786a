"""The complaint form, shared by the public page and the staff desk (reports by phone, letter...).

Widgets keep their values in session state under `prefix` keys, so a failed submit loses nothing;
problems are shown under the field they concern. Evidence is checked by content in the service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

import streamlit as st

from portal.complaints import ui as cui
from portal.kit import data, ui, visitor
from portal.kit.i18n import _
from services.complaints import intake
from services.complaints.catalog import IDENTITY_LABELS, Channel, IdentityMode
from services.complaints.workflow import today
from services.core import geography, ratelimit
from services.core.accounts import Actor
from services.core.messages import N_, UserFacingError
from services.shared.sealed import evidence

FIELDS = (
    "types", "district", "location", "target_name", "target_address", "observed_on", "ongoing",
    "description", "wishes", "identity_mode", "name", "phone", "email", "id_number",
    "home_address", "pin", "pin_lat", "pin_lon", "pin_map", "evidence", "truthful",
)  # fmt: skip
# The uploader's per-file cap in MB: .streamlit/config.toml's server.maxUploadSize, which the
# server enforces on every upload; the portal's limit (evidence.MAX_FILE_BYTES) is below it.
UPLOADER_MAX_MB = 20
RATE_LIMITED = N_("Too many reports from this connection. Please try again in an hour.")
# The public form's one-time submission token lives in the page's address, the one place the
# browser keeps through a reconnect to a restarted server and a reload; the database keeps only a
# keyed hash of it (services/complaints/intake.py). Staff forms send none.
SUBMISSION_PARAM = "submission"
PHOTO_LOST = N_("A photo was lost when the connection to the server dropped. Remove it and add it "
                "again.")  # fmt: skip


def _filing_budgets() -> tuple[tuple[str, ...], ...]:
    """This visitor's filing allowances: its browser session's, and the ceiling shared by
    everyone behind its address (services/core/ratelimit.py)."""
    return (
        (ratelimit.COMPLAINT_FILING_PER_SESSION, "complaint-file-session", visitor.session_key()),
        (ratelimit.COMPLAINT_FILING_PER_ADDRESS, "complaint-file", visitor.address_key()),
    )


def _key(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def submission_token() -> str:
    """The public form's token, from the address; a new one when there is none (or a bad one)."""
    token = st.query_params.get(SUBMISSION_PARAM)
    if not intake.valid_submission_token(token):
        token = intake.new_submission_token()
        st.query_params[SUBMISSION_PARAM] = token
    return token


def _already_sent(token: str) -> bool:
    with data.unit_of_work() as session:
        return intake.form_already_sent(session, token)


def renew_submission_token() -> None:
    st.query_params[SUBMISSION_PARAM] = intake.new_submission_token()


def receipt_saved() -> None:
    """The reporter confirmed the receipt is saved: the form's token re-issues nothing any more
    (not from the back button, nor the address in the browser's history); a new form gets a
    new one. Until then the token stays, so a form sent again after a crash finds its case."""
    token = st.query_params.get(SUBMISSION_PARAM)
    if intake.valid_submission_token(token):
        with data.unit_of_work() as session:
            intake.retire_submission(session, token)
    renew_submission_token()


def _uploader_key(prefix: str) -> str:
    """A file uploader cannot be emptied through session state: a new key gives a fresh one."""
    return _key(prefix, f"evidence_{st.session_state.get(_key(prefix, 'upload_round'), 0)}")


def _errors(prefix: str) -> dict[str, UserFacingError]:
    return st.session_state.setdefault(_key(prefix, "errors"), {})


def _problem(prefix: str, name: str) -> None:
    error = _errors(prefix).get(name)
    if error is not None:
        st.error(ui.message(error.msgid, **error.params), icon=":material/error:")


def _report(prefix: str) -> tuple[intake.Report, list[intake.Upload]]:
    state = st.session_state
    value = lambda name, default=None: state.get(_key(prefix, name), default)  # noqa: E731
    pin = bool(value("pin", False))
    report = intake.Report(
        types=list(value("types", []) or []),
        district=value("district") or "",
        location=value("location", ""),
        target_name=value("target_name", ""),
        target_address=value("target_address", ""),
        observed_on=value("observed_on"),
        ongoing=bool(value("ongoing", False)),
        description=value("description", ""),
        wishes=value("wishes", ""),
        identity_mode=value("identity_mode") or IdentityMode.ANONYMOUS,
        name=value("name", ""),
        phone=value("phone", ""),
        email=value("email", ""),
        id_number=value("id_number", ""),
        home_address=value("home_address", ""),
        pin_lat=value("pin_lat") if pin else None,
        pin_lon=value("pin_lon") if pin else None,
    )
    files = [f for f in state.get(_uploader_key(prefix)) or [] if hasattr(f, "getvalue")]
    return report, [intake.Upload(f.name, f.getvalue()) for f in files]


def _lost_uploads(prefix: str) -> bool:
    """Whether the uploader lists a photo the server no longer holds (Streamlit's DeletedFile:
    uploads live in the server's memory, so a restarted server has lost them; `_report` skips
    them)."""
    files = st.session_state.get(_uploader_key(prefix)) or []
    return any(not hasattr(f, "getvalue") for f in files)


def _submit(prefix: str, channel: Channel, actor: Actor | None, on_filed: Callable) -> None:
    """Button callback: validate everything, then file in one transaction or show problems."""
    report, uploads = _report(prefix)
    errors = intake.validate(report, uploads=uploads)
    if channel == Channel.WEB and not st.session_state.get(_key(prefix, "truthful")):
        errors["truthful"] = UserFacingError(N_("Please confirm that the report is truthful."))
    budgets = _filing_budgets() if actor is None else ()
    if not errors and not all(ratelimit.available(rule, *keys) for rule, *keys in budgets):
        errors["form"] = UserFacingError(RATE_LIMITED)
    if not errors:
        token = submission_token() if actor is None else None  # sent again: same case
        if _lost_uploads(prefix) and not (token and _already_sent(token)):
            errors["evidence"] = UserFacingError(PHOTO_LOST)  # a new case would lack the photo
    if not errors:
        try:
            with data.unit_of_work() as session:
                filed = intake.file_report(
                    session, report, uploads=uploads, channel=channel, entered_by=actor,
                    submission_token=token,
                )  # fmt: skip
        except evidence.EvidenceRejected as error:
            errors["evidence"] = error
        except intake.SubmissionUsed as error:  # another report from this form's address
            errors["form"] = error
            renew_submission_token()
        except UserFacingError as error:
            errors["form"] = error
        else:  # only a report actually filed counts; a refused one (or photo) does not
            for rule, *keys in budgets:
                ratelimit.count(rule, *keys)
    st.session_state[_key(prefix, "errors")] = errors
    if errors:
        return
    for name in FIELDS:  # a filed report leaves a clean form behind
        st.session_state.pop(_key(prefix, name), None)
    st.session_state.pop(_uploader_key(prefix), None)
    st.session_state[_key(prefix, "upload_round")] = (
        st.session_state.get(_key(prefix, "upload_round"), 0) + 1
    )
    on_filed(filed)


def _picked(prefix: str) -> None:
    """Map click callback: the nearest grid point becomes the pin (before the inputs redraw)."""
    chart = st.session_state.get(_key(prefix, "pin_map"))
    points = (chart or {}).get("selection", {}).get("pin") or []
    if points:
        st.session_state[_key(prefix, "pin_lat")] = float(points[0]["lat"])
        st.session_state[_key(prefix, "pin_lon")] = float(points[0]["lon"])


def _pin_picker(prefix: str) -> None:
    key = lambda name: _key(prefix, name)  # noqa: E731
    district = st.session_state.get(key("district"))
    place = geography.district_by_key(district or "")
    st.session_state.setdefault(key("pin_lat"), round((place and place.lat) or 26.58, 4))
    st.session_state.setdefault(key("pin_lon"), round((place and place.lon) or 106.71, 4))
    pin = (st.session_state[key("pin_lat")], st.session_state[key("pin_lon")])
    st.caption(_("Click the map to place the point, then adjust it below if needed."))
    st.altair_chart(
        cui.pin_map(cui.pin_grid(district), pin, district),
        on_select=partial(_picked, prefix),
        selection_mode="pin",
        key=key("pin_map"),
        width="stretch",
    )
    left, right = st.columns(2)
    left.number_input(_("Latitude"), min_value=intake.PIN_LAT[0], max_value=intake.PIN_LAT[1],
                      format="%.5f", key=key("pin_lat"))  # fmt: skip
    right.number_input(_("Longitude"), min_value=intake.PIN_LON[0], max_value=intake.PIN_LON[1],
                       format="%.5f", key=key("pin_lon"))  # fmt: skip
    st.caption(_("Staff see the exact point; the public sees an area of about 1 km."))
    _problem(prefix, "pin")


def similar_cases_hint(prefix: str) -> None:
    """Open published cases about the same target (or nearby, same type): maybe already known."""
    state = st.session_state
    district = state.get(_key(prefix, "district"))
    target = state.get(_key(prefix, "target_name"), "")
    types = state.get(_key(prefix, "types"), []) or []
    if not district or not (target.strip() or types):
        return
    with data.unit_of_work() as session:
        similar = intake.similar_open_cases(
            session, district=district, target_name=target, types=types
        )
        rows = [(c.number, c.status, c.public_summary, c.filed_on) for c in similar]
    if not rows:
        return
    with st.container(border=True):
        st.markdown("**" + _("Open cases that may be about the same problem") + "**")
        st.caption(
            _("If one of them is yours, follow it in the registry instead of reporting again.")
        )
        for number, status, summary, filed_on in rows:
            st.markdown(
                f"- [{number}]({cui.case_url(number)}) · {cui.status_label(status)} · "
                f"{cui.fmt_day(filed_on)} · {ui.literal(summary)}"
            )


def render(
    prefix: str,
    *,
    on_filed: Callable,
    channel: Channel = Channel.WEB,
    actor: Actor | None = None,
    channels: bool = False,
) -> None:
    """Draw the form. `channels` lets staff pick how the report came in."""
    key = lambda name: _key(prefix, name)  # noqa: E731
    if actor is None:
        submission_token()  # in the address before anything is typed
    _problem(prefix, "form")

    st.subheader(_("What and where"))
    labels = cui.type_labels()
    st.multiselect(_("Type of pollution"), list(labels), format_func=labels.get,
                   key=key("types"), placeholder=_("Choose one or more"))  # fmt: skip
    _problem(prefix, "types")
    names = cui.district_names()
    st.selectbox(_("District"), list(names), format_func=names.get, index=None,
                 placeholder=_("Choose a district"), key=key("district"))  # fmt: skip
    _problem(prefix, "district")
    st.text_input(_("Where is it? (street, road, landmark)"), max_chars=intake.LOCATION_MAX,
                  key=key("location"))  # fmt: skip
    _problem(prefix, "location")
    left, right = st.columns(2)
    left.text_input(_("Enterprise or site responsible (if known)"), max_chars=120,
                    key=key("target_name"))  # fmt: skip
    right.text_input(_("Its address (if known)"), max_chars=200, key=key("target_address"))
    _problem(prefix, "target_name")
    similar_cases_hint(prefix)
    if st.checkbox(_("Add a map point (optional)"), key=key("pin")):
        _pin_picker(prefix)

    st.subheader(_("What happened"))
    left, right = st.columns(2)
    left.date_input(_("When did you notice it?"), value=None, max_value=today(),
                    min_value=today() - timedelta(days=intake.OBSERVED_WITHIN_DAYS),
                    key=key("observed_on"))  # fmt: skip
    right.checkbox(_("It is still going on"), key=key("ongoing"))
    _problem(prefix, "observed_on")
    st.text_area(
        _("Describe the problem"),
        max_chars=intake.DESCRIPTION_MAX,
        key=key("description"),
        help=_("At least {n} characters: what, when, how often, how it affects you.").format(
            n=intake.DESCRIPTION_MIN
        ),
    )
    _problem(prefix, "description")
    st.text_area(_("What would you like the bureau to do?"), max_chars=1000, key=key("wishes"))
    _problem(prefix, "wishes")
    st.file_uploader(
        _("Photos (optional)"),
        type=["jpg", "jpeg", "png", "webp"],
        accept_multiple_files=True,
        # Above the portal's own limit: the browser drops a file over the widget's cap with
        # Streamlit's English text and the report would file without it; under it, the portal
        # sees the file and refuses it under this field in the page's language.
        max_upload_size=UPLOADER_MAX_MB,
        key=_uploader_key(prefix),
        help=_("Up to {n} photos, {mb} MB each. Location and camera data are removed from the "
               "copy staff see; photos can still identify you.").format(
            n=evidence.MAX_FILES, mb=evidence.MAX_FILE_BYTES // (1024 * 1024)
        ),
    )  # fmt: skip
    _problem(prefix, "evidence")

    st.subheader(_("Who you are"))
    modes = {m.value: _(label) for m, label in IDENTITY_LABELS.items()}
    mode = st.radio(_("Identity"), list(modes), format_func=modes.get, key=key("identity_mode"))
    _problem(prefix, "identity_mode")
    if mode == IdentityMode.ANONYMOUS:
        st.caption(_("Nothing about you is asked or kept. You follow the case with your receipt."))
    else:
        st.caption(
            _(
                "Your name and contact are stored encrypted and never published; only the "
                "designated supervisor can open them, and every opening is logged."
            )
        )
        left, right = st.columns(2)
        left.text_input(_("Name"), max_chars=40, key=key("name"))
        _problem(prefix, "name")
        right.text_input(_("Phone"), max_chars=20, key=key("phone"))
        _problem(prefix, "phone")
        left.text_input(_("Email"), max_chars=254, key=key("email"))
        _problem(prefix, "email")
        if mode == IdentityMode.REWARD:
            right.text_input(_("ID card number"), max_chars=18, key=key("id_number"))
            _problem(prefix, "id_number")
            st.text_input(_("Postal address (for the reward)"), max_chars=200,
                          key=key("home_address"))  # fmt: skip
    if channel == Channel.WEB:
        st.checkbox(_("I confirm that this report is truthful to the best of my knowledge."),
                    key=key("truthful"))  # fmt: skip
        _problem(prefix, "truthful")
    if channels:
        labels = {c.value: cui.channel_label(c.value) for c in Channel if c != Channel.WEB}
        channel = Channel(st.selectbox(_("Received by"), list(labels), format_func=labels.get,
                                       key=key("channel")))  # fmt: skip
    if _errors(prefix):
        st.error(_("The report was not sent. Please correct the marked fields."))
    st.button(
        _("Send the report") if channel == Channel.WEB else _("Register the report"),
        type="primary",
        on_click=_submit,
        args=(prefix, channel, actor, on_filed),
        key=key("submit"),
    )

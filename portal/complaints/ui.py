"""Complaint pieces shared by the public and staff pages: labels, deadlines, timelines."""

from __future__ import annotations

import functools
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from portal.kit import i18n, maps, ui
from portal.kit.i18n import _
from services.complaints import deadlines
from services.complaints.catalog import (
    CHANNEL_LABELS,
    FINDING_LABELS,
    NOT_ACCEPTED_REASONS,
    OTHER_UNITS,
    POLLUTION_TYPES,
    RATING_LABELS,
    STATUS_LABELS,
    SUBTYPES,
    TYPE_CODES,
    Channel,
    Finding,
    Rating,
    Status,
)
from services.complaints.workflow import today
from services.core import geography
from services.core.messages import N_

# what each event says on a timeline (the status labels say where the case went)
ACTION_LABELS: dict[str, str] = {
    "file": N_("Report received"),
    "reissue_receipt": N_("New receipt issued: the form was sent again"),
    "moderate": N_("Published in the registry"),
    "accept": N_("Accepted"),
    "not_accept": N_("Not accepted"),
    "mark_duplicate": N_("Marked as a duplicate"),
    "transfer": N_("Transferred"),
    "object_transfer": N_("Transfer returned by the receiving unit"),
    "take_up": N_("Handling started"),
    "site_check": N_("Site check"),
    "request_extension": N_("Extension requested"),
    "approve_extension": N_("Handling period extended"),
    "refuse_extension": N_("Extension refused"),
    "close": N_("Closed with a written reply"),
    "request_review": N_("Review requested"),
    "answer_review": N_("Review answered"),
    "request_re_review": N_("Re-review requested"),
    "answer_re_review": N_("Re-review answered: final"),
    "ask": N_("Question to the reporter"),
    "answer": N_("The reporter answered"),
    "add_evidence": N_("Evidence added"),
    "rate": N_("The reporter rated the handling"),
    "edit_public": N_("Public summary edited"),
    "escalate": N_("Escalated: repeat complaints about the same target"),
    "open_identity": N_("Sealed identity opened"),
}


def case_url(number: str) -> str:
    """The public page of a case, in the reader's language (links may open a new session)."""
    return f"/complaints?case={number}&lang={i18n.current_lang()}"


def type_label(code: str) -> str:
    main, _sep, sub = code.partition(".")
    main_label = _(POLLUTION_TYPES.get(main, main))
    sub_label = SUBTYPES.get(main, {}).get(sub)
    return f"{main_label} · {_(sub_label)}" if sub_label else main_label


def type_labels() -> dict[str, str]:
    return {code: type_label(code) for code in TYPE_CODES}


def types_text(codes: tuple[str, ...] | list[str]) -> str:
    return _("; ").join(type_label(c) for c in codes)


def district_names(lang: str | None = None) -> dict[str, str]:
    lang = lang or i18n.current_lang()
    return {d.key: d.name(lang) for d in geography.districts()}


def district_name(key: str) -> str:
    return district_names().get(key, key)


def unit_names() -> dict[str, str]:
    return {**district_names(), **{k: _(v) for k, v in OTHER_UNITS.items()}}


def status_label(status: str) -> str:
    return _(STATUS_LABELS[Status(status)])


def status_labels() -> dict[str, str]:
    return {s.value: _(label) for s, label in STATUS_LABELS.items()}


def channel_labels() -> dict[str, str]:
    return {c.value: _(label) for c, label in CHANNEL_LABELS.items()}


def finding_labels() -> dict[str, str]:
    return {f.value: _(label) for f, label in FINDING_LABELS.items()}


def rating_labels() -> dict[str, str]:
    return {r.value: _(label) for r, label in RATING_LABELS.items()}


def reason_labels() -> dict[str, str]:
    return {code: _(text) for code, text in NOT_ACCEPTED_REASONS.items()}


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))


def fmt_day(day: date | None) -> str:
    return i18n.fmt_date(day) if day else "—"


def due_text(due: date | None, *, provisional: bool = False, on: date | None = None) -> str:
    """'by 8 Oct 2026', with 'overdue' once passed and 'provisional' for an unpublished year."""
    if due is None:
        return "—"
    text = _("by {date}").format(date=i18n.fmt_date(due))
    if (on or today()) > due:
        text += " · " + _("overdue")
    if provisional:
        text += " · " + _("provisional")
    return text


def due_tile(title: str, due: date | None, *, provisional: bool = False) -> None:
    """A deadline as a tile: the date large, what it means under it."""
    notes = []
    if due is not None and today() > due:
        notes.append(_("Overdue"))
    if provisional:
        notes.append(_("Provisional: next year's public holidays are not yet published"))
    notes.append(_("Dates in Beijing time"))
    ui.tile(title, i18n.fmt_date(due) if due else "—", caption=" · ".join(notes))


def deadline_rules_caption() -> None:
    st.caption(
        _(
            "Deadlines (Regulations on Letters and Visits, 2022): acceptance decided within "
            "{accept} days; closure "
            "within {close} days of acceptance, extendable once by at most {extend} days; a "
            "review can be requested within {review} days of an answer. A deadline falling on "
            "a public holiday or rest day moves to the next working day (official calendar)."
        ).format(
            accept=deadlines.ACCEPTANCE_DAYS,
            close=deadlines.CLOSURE_DAYS,
            extend=deadlines.EXTENSION_MAX_DAYS,
            review=deadlines.REVIEW_REQUEST_DAYS,
        )
    )


def finding_label(finding: str) -> str:
    return _(FINDING_LABELS[Finding(finding)]) if finding else "—"


def rating_label(rating: str) -> str:
    return _(RATING_LABELS[Rating(rating)]) if rating else "—"


def channel_label(channel: str) -> str:
    return _(CHANNEL_LABELS[Channel(channel)])


def quoted(text: str) -> None:
    """Text written by a person (a reply, a summary), shown literally: never as Markdown/HTML."""
    ui.user_text(text, quote=True)


def case_map(counts, *, lang: str):
    """Published cases per district over the official outlines (no base-map tiles needed).

    `counts` columns: district, cases, open, overdue, name, lat, lon.
    """
    import altair as alt

    points = (
        alt.Chart(counts)
        .mark_circle(stroke="#1f2d2a", strokeWidth=1, opacity=0.85)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("cases:Q", title=_("Cases"), scale=alt.Scale(range=[60, 1600])),
            color=alt.Color(
                "overdue:Q",
                title=_("Overdue open cases"),
                scale=alt.Scale(scheme="orangered"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=_("District")),
                alt.Tooltip("cases:Q", title=_("Cases")),
                alt.Tooltip("open:Q", title=_("Open")),
                alt.Tooltip("overdue:Q", title=_("Overdue open cases")),
            ],
        )
    )
    return maps.map_chart(maps.outlines(lang=lang), points, height=440)


PIN_STEP = 0.01  # degrees, about 1 km: a click picks the nearest point of this grid


@functools.cache
def pin_grid(district: str | None) -> pd.DataFrame:
    """Clickable points over a district's bounding box (the whole city without a district)."""
    outlines = geography.district_outlines()
    chosen = [f for f in outlines if district in (None, f["properties"]["code"])]
    points = [p for f in chosen for ring in _rings(f["geometry"]) for p in ring]
    if points:
        lons, lats = zip(*points, strict=True)
        box = (min(lats), max(lats), min(lons), max(lons))
    else:  # no outline (Gui'an): a box around its centre
        place = geography.district_by_key(district or "")
        lat, lon = (place.lat, place.lon) if place and place.lat else (26.43, 106.47)
        box = (lat - 0.15, lat + 0.15, lon - 0.15, lon + 0.15)
    lat_steps = np.arange(box[0], box[1] + PIN_STEP, PIN_STEP)
    lon_steps = np.arange(box[2], box[3] + PIN_STEP, PIN_STEP)
    lat, lon = np.meshgrid(np.round(lat_steps, 4), np.round(lon_steps, 4))
    return pd.DataFrame({"lat": lat.ravel(), "lon": lon.ravel()})


def _rings(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def pin_map(grid: pd.DataFrame, pin: tuple[float | None, float | None], district: str | None):
    """The district outline with a click-to-pin grid and the current pin."""
    import altair as alt

    outline = maps.outlines(district=district, stroke="#5f7f76", width=1)
    select = alt.selection_point(name="pin", fields=["lat", "lon"], nearest=True, on="click")
    clickable = (
        alt.Chart(grid)
        .mark_circle(size=30, opacity=0.05, color="#2f7d6b")
        .encode(longitude="lon:Q", latitude="lat:Q", tooltip=alt.value(None))
        .add_params(select)
    )
    layers = [outline, clickable]
    if pin[0] is not None and pin[1] is not None:
        marker = pd.DataFrame({"lat": [pin[0]], "lon": [pin[1]]})
        layers.append(
            alt.Chart(marker)
            .mark_point(shape="cross", size=400, color="#c0392b", strokeWidth=3)
            .encode(longitude="lon:Q", latitude="lat:Q", tooltip=alt.value(None))
        )
    return maps.map_chart(*layers, height=320)

"""Reusable pieces of the screen: header, tiles, source lines, banners, language switch."""

from __future__ import annotations

import re
from datetime import datetime

import streamlit as st

from portal.kit import i18n
from portal.kit.i18n import _
from services.core.accounts import ROLE_LABELS, Actor
from services.core.messages import N_
from services.core.plan import Comparison, Goal

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def plain(text: str) -> str:
    """Text typed by a person, escaped so Markdown shows it literally (no links, no emphasis)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def page_header(title: str, intro: str | None = None) -> None:
    st.title(title)
    if intro:
        st.markdown(intro)


def table_height(rows: int) -> int:
    """Pixels for st.dataframe to show `rows` rows and the header without inner scrolling."""
    return 35 * (rows + 1) + 2


def tile(title: str, value: str, *, caption: str, help: str | None = None) -> None:
    """One figure with its provenance right under it (standard, period, data time)."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown(f"### {value}", help=help)
        st.caption(caption)


GOAL_WORDS = {
    Comparison.AT_LEAST: N_("at least {value}"),
    Comparison.MORE_THAN: N_("more than {value}"),
    Comparison.AT_MOST: N_("at most {value}"),
}


def goal_text(goal: Goal) -> str:
    """A plan goal in words: "at least 95%" / "不低于95%"."""
    value = i18n.fmt_number(goal.value, digits=0 if goal.value == int(goal.value) else 1)
    return _(GOAL_WORDS[goal.comparison]).format(value=f"{value}{goal.unit}")


def no_data_tile(title: str, *, reason: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown("### " + _("No data yet"))
        st.caption(reason)


def source_line(text: str) -> None:
    st.caption(_("Source: {source}").format(source=text))


def demo_banner(generated_at: datetime | None) -> None:
    if generated_at is None:
        return
    st.warning(
        "**"
        + _("Sample data")
        + "** · "
        + _(
            "The figures on this portal are generated sample data for demonstration "
            "(generated {time}). They are not real measurements or real cases."
        ).format(time=i18n.fmt_datetime(generated_at)),
        icon=":material/science:",
    )


def language_switch() -> None:
    current = i18n.current_lang()
    choice = st.segmented_control(
        _("Language"),
        options=list(i18n.LANGS),
        format_func=lambda lang: i18n.LANG_NAMES[lang],
        default=current,
        required=True,
        key="lang_switch",
    )
    if choice and choice != current:
        i18n.set_language(choice)
        st.rerun()


def staff_badge(actor: Actor | None) -> None:
    if actor is None:
        st.link_button(
            _("Staff sign-in"),
            f"/staff/login?lang={i18n.current_lang()}",
            icon=":material/login:",
            type="tertiary",
        )
        return
    roles = ", ".join(_(ROLE_LABELS[g.role]) for g in actor.grants)
    st.caption(
        _("Signed in as {name} ({roles})").format(name=plain(actor.display_name), roles=roles)
    )
    st.link_button(
        _("Sign out"),
        f"/staff/logout?lang={i18n.current_lang()}",
        icon=":material/logout:",
        type="tertiary",
    )

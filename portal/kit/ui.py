"""Reusable pieces of the screen: header, tiles, source lines, banners, language switch."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
import streamlit as st

from portal.kit import i18n
from portal.kit.i18n import _, tr
from services.core.accounts import ROLE_LABELS, Actor
from services.core.messages import N_
from services.core.plan import Comparison, Goal
from services.shared.open_data import safe_cell

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, which turns off
# every construct the parser knows (emphasis, links, images, HTML, code, headings, lists, tables,
# `$` maths, `:name[...]` directives, character references).
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's Markdown also rewrites text after parsing, where escapes are already gone: Material
# icons (`:material/name:`, matched on the raw source), emoji shortcodes (`:smile:`), the
# `:streamlit:` logo, GFM autolink literals (`https://`, `www.`, `name@host.domain`) and
# typographic arrows (` -> `, ` >= `, ` -- `). A WORD JOINER (U+2060, invisible, no width, no
# line break) after the character that starts each of them leaves no pattern to match.
WORD_JOINER = "\u2060"
_TEXT_PATTERN_STARTS = re.compile(r"([:@]|www(?=\.)|[<>~-](?=[<>=~-]))", re.IGNORECASE)
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)


def literal(text: object) -> str:
    """Text typed or imported by a person, as Markdown that shows it literally wherever Streamlit
    renders Markdown (st.markdown, captions, alerts, labels, tiles): no link, image, emphasis,
    HTML, maths, colour, icon, emoji or autolink. Line breaks are kept. The only way user text
    reaches the screen (tests/e2e/test_markup_corpus.py crawls every page with a markup corpus)."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _TEXT_PATTERN_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, value)
    value = _ASCII_PUNCTUATION.sub(r"\\\1", value)
    # leading spaces would start an indented code block: keep them as no-break spaces
    value = _LEADING_SPACE.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), value)
    return value.replace("\n", "  \n")


def message(msgid: str, **params: object) -> str:
    """A service's message in the reader's language, its text parameters (a value from a form
    or a file) through `literal`: the message is Markdown, the values are not."""
    return tr(msgid, **{k: literal(v) if isinstance(v, str) else v for k, v in params.items()})


def user_text(text: object, *, quote: bool = False) -> None:
    """A block of text written by a person (a reply, a summary, a message), shown literally;
    `quote` sets it off as a block quote."""
    body = literal(text)
    if quote:
        body = "\n".join("> " + line for line in body.split("\n"))
    st.markdown(body)


def safe_frame(data: object) -> pd.DataFrame:
    """A table for st.dataframe with every text cell through the open-data exports' `safe_cell`:
    the table's own toolbar offers "Download as CSV" (and copy) to every reader, and Streamlit
    1.67 can turn that off only for the whole app (`client.disableDataExport`), so a cell a
    spreadsheet would run as a formula is neutralised before it reaches the browser."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(safe_cell)
    return frame


def data_table(data: object, **kwargs: object) -> None:
    """st.dataframe for any table holding text a person typed or imported (see `safe_frame`)."""
    st.dataframe(safe_frame(data), **kwargs)


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
        _("Signed in as {name} ({roles})").format(name=literal(actor.display_name), roles=roles)
    )
    st.link_button(
        _("Sign out"),
        f"/staff/logout?lang={i18n.current_lang()}",
        icon=":material/logout:",
        type="tertiary",
    )

"""portal/kit/ui.py `literal` (user text as Markdown that renders literally) and `safe_frame`
(tables whose toolbar download stays free of formulas). The browser check of both is
tests/e2e/test_markup_corpus.py and tests/e2e/test_table_download.py; these pin the text rules
that Streamlit's Markdown plugins match after parsing (see the comment above `literal`)."""

from __future__ import annotations

import re

import pandas as pd

from portal.kit import ui

# The patterns Streamlit 1.67's Markdown applies to text after the parser removed the escapes.
MATERIAL = re.compile(r":material/")  # replaced on the raw source before parsing
EMOJI = re.compile(r":[\w+-][\w_+-]*:")  # remark-emoji and Streamlit's shortcode test
AUTOLINK = re.compile(r"(https?://|www(?=\.))|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)
ARROWS = re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")


def unescaped(markdown: str) -> str:
    """The text a parser leaves once it has consumed the backslash escapes."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_every_ascii_punctuation_character_is_escaped():
    text = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum())
    out = ui.literal(text).replace(ui.WORD_JOINER, "")
    assert re.fullmatch(r"(\\[!-/:-@\[-`{-~])+", out), out


def test_nothing_a_text_plugin_matches_survives_the_escapes():
    corpus = (
        ":material/delete: :smile: :+1: :streamlit: https://evil.example/a www.evil.example "
        "me@evil.example a -> b <-> c -- d >= e <= f ~= g"
    )
    text = unescaped(ui.literal(corpus))
    for pattern in (MATERIAL, EMOJI, AUTOLINK, ARROWS):
        assert not pattern.search(text), (pattern.pattern, text)
    assert text.replace(ui.WORD_JOINER, "") == corpus


def test_lines_are_kept_and_indentation_starts_no_code_block():
    out = ui.literal("one\n    two\r\nthree")
    assert out == "one  \n\u00a0\u00a0\u00a0\u00a0two  \nthree"


def test_message_parameters_are_literal():
    out = ui.message("Not a number: {value}.", value=":red[x]")
    assert ":red[x]" not in out and ui.literal(":red[x]") in out


def test_safe_frame_neutralises_text_cells_only():
    source = pd.DataFrame({"text": ["=1+1", "@SUM(1)", "ok", None], "n": [-1, 2, 3, 4]})
    frame = ui.safe_frame(source)
    assert frame["text"].tolist()[:3] == ["'=1+1", "'@SUM(1)", "ok"]
    assert frame["n"].tolist() == [-1, 2, 3, 4]
    assert source["text"][0] == "=1+1"  # the caller's frame is left alone
    rows = ui.safe_frame([{"a": "+1", "b": "\t=2"}])
    assert rows.iloc[0].tolist() == ["'+1", "'\t=2"]

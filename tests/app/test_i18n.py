"""Visible strings are translated, catalogs complete, numbers and dates localised."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from babel.messages.extract import extract_from_dir
from google.protobuf.json_format import MessageToDict

from portal.kit import catalogs, i18n
from services import domains
from tests.app.conftest import ROOT

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
ALLOWED_IN_ENGLISH = {i18n.LANG_NAMES["zh_CN"]}  # the switch names each language in itself
ENGLISH_PROSE = re.compile(r"[A-Za-z]{2,}(?:[ ,.'-]+[A-Za-z]{2,}){2,}")
# data that is English by nature: fixture staff names, source citations of English-language docs,
# the CSV header of the water import (column names are code)
ENGLISH_DATA = ("Root Tester", "Handler Tester", "Editor Tester", "section_code,sampled_on,")
# every page a manifest declares (None: the home page at /)
PAGES = [None if page.default else page.file for page in domains.pages()]


def _chart_texts(spec):
    """The words a Vega-Lite chart shows: titles (of axes, legends, tooltips) and text marks."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in {"datasets", "data", "$schema", "config"}:
                continue
            if key in {"title", "text"} and isinstance(value, str):
                yield value
            else:
                yield from _chart_texts(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _chart_texts(value)


def _strings(value, key=""):
    skipped = {
        "data",
        "arrowData",
        "styler",
        "id",
        "formId",
        "iconImage",
        "icon",
        "datasets",
        "page",
    }
    if key in skipped:
        return
    if key == "spec" and isinstance(value, str) and value.startswith("{"):
        yield from _chart_texts(json.loads(value))
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def visible_strings(at) -> list[str]:
    """Every string an element carries (labels, options, text, help), table headers and cells."""
    found: list[str] = []
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            found.extend(_strings(MessageToDict(proto)))
        if getattr(node, "type", "") in ("arrow_data_frame", "dataframe"):
            frame = node.value
            found.extend(str(c) for c in frame.columns)
            found.extend(str(v) for v in frame.astype(str).to_numpy().ravel())
    return [s for s in found if s.strip()]


def written_by_people(engine) -> list[str]:
    """What people wrote in Chinese (reports, summaries, targets, places, outcomes): shown as
    written on English pages by design. Longest first."""
    from sqlmodel import Session, select

    from services.complaints.model import ComplaintCase as C

    columns = (C.target_name, C.target_address, C.location_text, C.public_summary,
               C.public_location, C.public_outcome, C.remediation)  # fmt: skip
    with Session(engine) as session:
        rows = session.exec(select(*columns)).all()
    texts = {text for row in rows for text in row if text}
    return sorted(texts, key=len, reverse=True)


def without(text: str, people: list[str]) -> str:
    for written in people:
        if written in text:
            text = text.replace(written, "")
    return text


@pytest.mark.parametrize("page", PAGES)
def test_english_pages_show_no_chinese(open_portal, portal_db, page):
    at = open_portal(page, lang="en", as_user="root")
    assert not at.exception
    people = written_by_people(portal_db)
    leftovers = [
        s
        for s in visible_strings(at)
        if CJK.search(without(s, people)) and s not in ALLOWED_IN_ENGLISH
    ]
    assert leftovers == []


@pytest.mark.parametrize("page", PAGES)
def test_chinese_pages_show_no_untranslated_message(open_portal, page):
    at = open_portal(page, lang="zh_CN", as_user="root")
    assert not at.exception
    zh = catalogs.load(catalogs.po_path("zh_CN"))
    # messages whose Chinese is deliberately the same text (standard numbers) are not leftovers
    english = {
        str(m.id)
        for m in catalogs.template()
        if m.id and " " in str(m.id) and zh[m.id].string != m.id
    }
    shown = visible_strings(at)
    leftovers = sorted(msgid for msgid in english if any(msgid in s for s in shown))
    assert leftovers == []
    # and no English prose that never went through the catalog (three or more words in a row)
    prose = [s for s in shown if ENGLISH_PROSE.search(s) and not s.startswith(ENGLISH_DATA)]
    assert prose == []


def test_the_strings_are_really_checked(open_portal):
    """Guard for the two tests above: the collector sees the page's table and its labels."""
    shown = visible_strings(open_portal(None, lang="en"))
    assert "Guiyang Eco-Environment Public Portal" in shown
    assert "Share of good air-quality days (city)" in shown
    assert "2025 target" in shown
    air = visible_strings(open_portal("air/air.py", lang="en"))
    assert "Good days (%)" in air  # an axis title inside a chart spec
    assert "Station map" in air


def extracted_msgids() -> set[str]:
    found = set()
    for folder in ("portal", "pages", "services"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "tr": None, "ngettext": (1, 2)},
        ):
            found.update([message] if isinstance(message, str) else message)
    return found


def test_template_holds_every_message_in_the_code():
    in_template = {str(m.id) for m in catalogs.template() if m.id}
    missing = extracted_msgids() - in_template
    assert missing == set(), "run `make messages` and translate the new strings"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalog_is_complete(lang):
    assert catalogs.untranslated(lang) == []


def test_placeholders_survive_translation():
    template_ids = [str(m.id) for m in catalogs.template() if m.id and "{" in str(m.id)]
    zh = catalogs.load(catalogs.po_path("zh_CN"))
    for msgid in template_ids:
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", zh[msgid].string))


def test_the_language_comes_from_the_url_and_falls_back_to_chinese():
    assert i18n.normalise("en-GB") == "en"
    assert i18n.normalise("zh-Hans") == "zh_CN"
    assert i18n.normalise("fr") is None
    assert i18n.normalise(None) is None


@pytest.mark.parametrize(
    ("lang", "number", "percent", "moment"),
    [
        ("zh_CN", "12,345.6", "95.1%", "2026年3月1日 08:00:00"),
        ("en", "12,345.6", "95.1%", "1 Mar 2026, 08:00:00"),
    ],
)
def test_numbers_percentages_and_times_follow_the_locale(
    monkeypatch, lang, number, percent, moment
):
    monkeypatch.setattr(i18n, "current_lang", lambda: lang)
    assert i18n.fmt_number(12345.6, 1) == number
    assert i18n.fmt_percent(0.951) == percent
    # stored as UTC, shown in Beijing time
    assert i18n.fmt_datetime(datetime(2026, 3, 1, 0, 0, tzinfo=UTC)) == moment

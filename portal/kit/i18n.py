"""Per-session language with Babel gettext catalogs, and locale-aware number/date formatting.

Catalogs are loaded once per language and cached; the active language is read from the URL
(`?lang=en`) so it survives reloads and can be shared. Never `gettext.install` (process-wide).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import streamlit as st
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from services.core.clock import BEIJING

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
DEFAULT_LANG = "zh_CN"
LANGS = ("zh_CN", "en")
LANG_NAMES = {"zh_CN": "中文", "en": "English"}  # each in its own language, never translated
_BABEL_LOCALE = {"zh_CN": "zh_Hans_CN", "en": "en_GB"}
_SESSION_KEY = "portal_lang"
_HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}


@cache
def translations(lang: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [lang], DOMAIN)


def normalise(lang: str | None) -> str | None:
    if not lang:
        return None
    lang = lang.replace("-", "_")
    if lang in LANGS:
        return lang
    if lang.lower().startswith("zh"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    return None


def select_language() -> str:
    """Decide this run's language: the URL wins, then the session, then the default.

    The choice is written back to the URL so a reload or a shared link keeps it.
    """
    in_url = st.query_params.get("lang")
    lang = normalise(in_url) or st.session_state.get(_SESSION_KEY) or DEFAULT_LANG
    st.session_state[_SESSION_KEY] = lang
    if in_url != lang:
        st.query_params["lang"] = lang
    return lang


def set_language(lang: str) -> None:
    lang = normalise(lang) or DEFAULT_LANG
    st.session_state[_SESSION_KEY] = lang
    st.query_params["lang"] = lang


def current_lang() -> str:
    return st.session_state.get(_SESSION_KEY) or DEFAULT_LANG


def html_lang(lang: str) -> str:
    """The BCP 47 tag of a portal language, for `<html lang>`."""
    return _HTML_LANG.get(lang, _HTML_LANG[DEFAULT_LANG])


def mark_page_language() -> None:
    """Set `<html lang>` in the browser to this run's language. The server sends the shell with
    the language of the URL (portal/server.py, PageLanguage); this keeps it true after a switch
    in the app, which changes the page without loading it again."""
    tag = html_lang(current_lang())
    st.html(f'<script>(d=>{{d.documentElement.lang="{tag}"}})(document)</script>',
            unsafe_allow_javascript=True)  # fmt: skip


def _(message: str) -> str:
    return translations(current_lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_lang()).ngettext(singular, plural, n)


def tr(message: str, **params: object) -> str:
    """Translate a msgid carried by a service (or marked with N_) and fill its named params."""
    text = _(message)
    return text.format(**params) if params else text


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(_BABEL_LOCALE[lang or current_lang()])


def fmt_number(value: float | int, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def fmt_percent(ratio: float, digits: int = 1) -> str:
    pattern = "0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(ratio, format=pattern, locale=babel_locale())


def fmt_date(value: date) -> str:
    return format_date(value, format="medium", locale=babel_locale())


def fmt_datetime(value: datetime) -> str:
    """Always shown in Beijing time, the time the data is published in."""
    return format_datetime(value, format="medium", tzinfo=BEIJING, locale=babel_locale())

"""Long-form Markdown pages from content/pages/, one file per page and language."""

from __future__ import annotations

from functools import cache

from services.core.settings import CONTENT_DIR

PAGES_DIR = CONTENT_DIR / "pages"
PAGE_NAMES = ("about", "privacy", "methods")


@cache
def markdown_page(name: str, lang: str) -> str:
    if name not in PAGE_NAMES:
        raise KeyError(name)
    return (PAGES_DIR / f"{name}.{lang}.md").read_text(encoding="utf-8")

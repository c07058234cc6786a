"""The pages the accessibility checks visit: every public page navigation registers, so a new
capability's public pages are checked without this list being touched."""

from __future__ import annotations

from dataclasses import dataclass

from portal import navigation
from services.shared.capability import PageDecl

LANGS = ("zh_CN", "en")
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}  # what <html lang> must say on a page in the language


@dataclass(frozen=True)
class PublicPage:
    decl: PageDecl

    @property
    def path(self) -> str:
        return "/" if self.decl.default else f"/{self.decl.url_path}"

    @property
    def name(self) -> str:
        return self.decl.url_path or "home"

    def url(self, lang: str) -> str:
        return f"{self.path}?lang={lang}"


def public_pages() -> list[PublicPage]:
    """Every page an anonymous reader gets, in navigation order."""
    return [PublicPage(decl) for decl in navigation.visible_pages(None)]

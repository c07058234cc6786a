"""The accessibility run (tests/e2e/test_accessibility.py) visits the pages navigation gives an
anonymous reader: a capability registered only through its manifest has its public page checked,
and its staff page is not visited."""

from __future__ import annotations

from tests.app.test_capabilities import toy  # noqa: F401  (the fixture)
from tests.e2e import a11y_pages


def test_the_axe_page_list_includes_a_toy_capabilitys_public_page(toy) -> None:  # noqa: F811
    pages = {page.path: page for page in a11y_pages.public_pages()}
    assert "/toy" in pages
    assert pages["/toy"].url("en") == "/toy?lang=en"
    assert "/staff-toy" not in pages
    assert "/" in pages and "/air" in pages  # the capabilities already there stay


def test_without_the_toy_its_page_is_not_listed() -> None:
    assert "/toy" not in {page.path for page in a11y_pages.public_pages()}

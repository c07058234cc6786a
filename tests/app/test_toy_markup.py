"""A new capability's pages and routes join the markup-corpus crawl of
tests/e2e/test_markup_corpus.py without an edit there: the crawl takes its pages from the
navigation and its routes from the manifests, so the toy capability of
tests/app/test_capabilities.py is crawled once registered."""

from __future__ import annotations

from tests.app.test_capabilities import toy  # noqa: F401  (the fixture)
from tests.e2e.test_markup_corpus import crawl_actor, crawled_pages, crawled_routes


def test_the_corpus_crawl_opens_a_toy_capabilitys_pages(toy):  # noqa: F811
    public = crawled_pages(None)
    staff = crawled_pages(crawl_actor())
    assert "/toy" in public and "/staff-toy" not in public
    assert "/toy" in staff and "/staff-toy" in staff


def test_the_corpus_crawl_fetches_a_toy_capabilitys_routes(toy):  # noqa: F811
    assert "/api/v1/toy/things" in crawled_routes("GY-2026-000001")


def test_without_the_toy_the_crawl_has_no_toy_page():
    assert not [p for p in crawled_pages(crawl_actor()) if "toy" in p]

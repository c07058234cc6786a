"""The PII canary crawl reaches a capability through its manifest alone: the toy capability of
tests/app/test_capabilities.py plants a canary that its public page and its route give away, and
the crawl of tests/app/test_pii_canary.py finds it on both, in both languages."""

from __future__ import annotations

import sys

from starlette.responses import JSONResponse
from starlette.routing import Route

from services import schema
from services.shared.open_data import Endpoint, Param
from tests.app import test_pii_canary as canary
from tests.app.test_capabilities import toy  # noqa: F401  (the fixture)

SECRET = "玩具金丝雀4242"


def test_the_crawl_opens_a_toy_capabilitys_page_and_asks_its_route(
    toy, request, open_portal, portal_db, monkeypatch  # noqa: F811
):
    schema.metadata.create_all(portal_db, tables=[schema.metadata.tables["toy_thing"]])  # its tile
    page = toy.pages[0].file
    with open(page, "w", encoding="utf-8") as script:  # the toy's public page gives it away
        script.write(f"import streamlit as st\nst.markdown('Toy: ' + {SECRET!r})\n")

    async def things(_request):
        return JSONResponse({"name": SECRET})

    monkeypatch.setattr(sys.modules["portal.toy.routes"], "routes",
                        [Route("/api/v1/toy/things", things)])  # fmt: skip
    monkeypatch.setitem(canary.PLANTERS, "complaints", None)  # only the toy's canary
    planter = lambda _request: canary.Planted({"toy": SECRET}, reached=(SECRET,))  # noqa: E731
    monkeypatch.setitem(canary.PLANTERS, "toy", planter)
    canary.test_every_capability_says_what_it_plants()

    planted = canary.plant_all(request)
    crawl = canary.Crawl()
    canary.crawl_pages(crawl, open_portal, planted)
    canary.crawl_routes(crawl, planted)
    assert set(crawl.leaks({"toy": SECRET})) == {
        f"page zh_CN {page}", f"page en {page}",
        "GET /api/v1/toy/things?format=json", "GET /api/v1/toy/things?format=csv",
    }  # fmt: skip


def test_endpoint_urls_fill_path_parameters_required_parameters_and_planted_filters():
    endpoint = Endpoint(
        "/api/v1/toy/things/{code}.json",
        "One toy thing",
        params=(
            Param("code", "A code", in_path=True, required=True),
            Param("kind", "A kind", kind="choice", choices=("b", "a"), required=True),
            Param("near", "Near a place"),
            Param("size", "A size", kind="integer", low=1, high=9),
        ),
        formats=("json", "csv"),
    )
    planted = {"code": "T-1", "near": "桥", "size": "99"}  # 99 does not parse: left out
    assert canary.endpoint_urls(endpoint, planted) == [
        ("/api/v1/toy/things/T-1.json?kind=a&format=json", True),
        ("/api/v1/toy/things/T-1.json?kind=a&format=json&near=%E6%A1%A5", True),
        ("/api/v1/toy/things/T-1.json?kind=a&format=csv", True),
        ("/api/v1/toy/things/T-1.json?kind=a&format=csv&near=%E6%A1%A5", True),
    ]
    assert canary.endpoint_urls(endpoint, {})[0] == (
        f"/api/v1/toy/things/{canary.FILLER}.json?kind=a&format=json", False
    )

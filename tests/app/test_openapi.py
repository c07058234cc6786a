"""The OpenAPI document (GET /api/v1/openapi.json): valid OpenAPI 3.1, written from the manifests
(every open-data route the server has is in it, and nothing else), a capability registered later
appears by itself, and the real routes answer as it says (schemathesis, in-process)."""

from __future__ import annotations

import re
import sys
import types

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from pydantic import ValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from portal import server
from services import domains
from services.core import settings
from services.shared import openapi
from services.shared.capability import Manifest
from services.shared.open_data import Endpoint, Param

OPEN_DATA = ("/api/", "/open311/", "/feeds/")
EXAMPLES_PER_OPERATION = 30
GENEROUS_LIMIT = "100000/minute"


def _document(client: TestClient) -> dict:
    response = client.get(openapi.PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _starlette_to_openapi(path: str) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", r"{\1}", path)


@pytest.fixture
def client():
    with TestClient(Starlette(routes=server.build_routes())) as test_client:
        yield test_client


# --- the document ------------------------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1(client):
    document = _document(client)
    assert document["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(document).validate()  # the OpenAPI 3.1 meta-schema


def test_an_invalid_document_is_refused_by_the_same_validation():
    broken = openapi.document(domains.domains())
    broken["paths"]["/api/v1/air/hourly"]["get"]["parameters"][0]["in"] = "body"
    with pytest.raises(Exception, match="body"):
        schemathesis.openapi.from_dict(broken).validate()


def _catch_alls() -> set[str]:
    """The shell's 404 routes for unknown paths under a prefix (portal/server.py): no endpoint."""
    return {route.path for route in getattr(server, "catch_alls", list)()}


def test_every_open_data_route_is_in_the_document_and_nothing_else(client):
    served = {
        _starlette_to_openapi(route.path)
        for route in server.build_routes()
        if route.path.startswith(OPEN_DATA) and route.path not in _catch_alls()
    }
    documented = set(_document(client)["paths"])
    assert served - documented == set(), "routes missing from the OpenAPI document"
    assert documented - served == set(), "documented paths the server does not serve"
    assert openapi.PATH in documented


def test_every_path_parameter_of_a_route_is_documented(client):
    document = _document(client)
    for path, item in document["paths"].items():
        named = set(re.findall(r"{(\w+)}", path))
        in_path = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}
        assert named == in_path, path


def test_parameters_carry_their_declared_schema_and_flags(client):
    hourly = _document(client)["paths"]["/api/v1/air/hourly"]["get"]
    by_name = {p["name"]: p for p in hourly["parameters"]}
    assert by_name["station"]["required"] is True and by_name["station"]["in"] == "query"
    assert "1441A" in by_name["station"]["schema"]["enum"]
    assert by_name["from"]["schema"] == {"type": "string", "format": "date"}
    assert by_name["from"]["description"].startswith("First day")
    assert by_name["format"]["schema"]["enum"] == ["json", "csv"]
    assert set(hourly["responses"]) == {"200", "400", "429"}  # no not_found, no path parameter
    content = hourly["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    assert content["application/json"]["schema"]["required"] == ["count", "rows"]


def test_a_single_format_endpoint_has_no_format_parameter(client):
    document = _document(client)
    export = document["paths"]["/api/v1/complaints.csv"]["get"]
    assert "format" not in {p["name"] for p in export["parameters"]}
    assert set(export["responses"]["200"]["content"]) == {"text/csv"}
    assert "X-Rows-Capped-At" in export["responses"]["200"]["headers"]
    feed = document["paths"]["/feeds/complaints.atom"]["get"]
    assert set(feed["responses"]["200"]["content"]) == {"application/atom+xml"}


def test_errors_are_documented_in_the_endpoints_style(client):
    document = _document(client)
    one_case = document["paths"]["/open311/v2/requests/{number}.json"]["get"]["responses"]
    assert set(one_case) == {"200", "400", "404", "429"}
    body = one_case["404"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert body["items"]["properties"]["code"] == {"const": 404}
    feed = document["paths"]["/feeds/complaints/{number}.atom"]["get"]["responses"]
    plain = feed["404"]["content"]["application/json"]["schema"]
    assert plain["required"] == ["error"] and plain["additionalProperties"] is False
    stations = document["paths"]["/api/v1/water/sections"]["get"]["responses"]
    assert "404" not in stations
    assert set(stations["200"]["content"]) == {
        "application/json",
        "text/csv",
        "application/geo+json",
    }


# --- a capability added later ------------------------------------------------------------------


@pytest.fixture
def toy(monkeypatch):
    """A toy capability with one endpoint (a path parameter, a query parameter, two formats),
    served by a route of its own, registered the way tests/app/test_capabilities.py does."""
    endpoint = Endpoint(
        "/api/v1/toy/things/{kind}",
        "Toy things of one kind",
        params=(Param("kind", "A kind of thing", in_path=True, required=True),
                Param("size", "How big", kind="integer", low=1, high=9)),
        formats=("json", "geojson"),
        errors="open311",
    )  # fmt: skip
    manifest = Manifest(name="toy", title="Toy", endpoints=(endpoint,))

    async def things(_request):
        return JSONResponse({"count": 0, "rows": []})

    package = types.ModuleType("portal.toy")
    routes = types.ModuleType("portal.toy.routes")
    routes.routes = [Route(endpoint.path, things)]
    for module in (package, routes):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(domains, "DOMAINS", (*domains.DOMAINS, manifest))
    return endpoint


def test_a_capability_registered_later_appears_in_the_document(toy, client):
    document = _document(client)
    operation = document["paths"]["/api/v1/toy/things/{kind}"]["get"]
    assert operation["summary"] == "Toy things of one kind"
    assert operation["tags"] == ["toy"]
    by_name = {p["name"]: p for p in operation["parameters"]}
    assert by_name["kind"]["in"] == "path" and by_name["kind"]["required"] is True
    assert by_name["size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert by_name["format"]["schema"]["enum"] == ["json", "geojson"]
    assert set(operation["responses"]) == {"200", "400", "404", "429"}
    assert operation["responses"]["429"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
    schemathesis.openapi.from_dict(document).validate()


# --- what the schemathesis run found ----------------------------------------------------------


def test_days_far_from_today_are_refused_not_a_server_error(portal_db):
    """Day 1 and the end of the calendar overflowed the Beijing/UTC arithmetic (a 500)."""
    with TestClient(Starlette(routes=server.build_routes())) as client:
        hourly = client.get("/api/v1/air/hourly?station=1439A&from=0001-01-01&to=0001-01-01")
        assert hourly.status_code == 400
        assert hourly.json() == {"error": "The date is before 2000: 0001-01-01."}
        classes = client.get("/api/v1/water/classes?to=9999-12-31")
        assert classes.status_code == 400
        assert classes.json() == {"error": "to must be a date like 2026-03-01."}
        requests = client.get("/open311/v2/requests.json",
                              params={"start_date": "0001-01-01T00:00:00+14:00"})  # fmt: skip
        assert requests.status_code == 400
        assert requests.json()[0]["code"] == 400
        ordinary = client.get("/api/v1/air/daily?station=CITY&from=2026-02-27&to=2026-03-02")
        assert ordinary.json()["count"] == 4


# --- the rate limit setting --------------------------------------------------------------------


def test_a_bad_rate_limit_fails_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "lots")
    with pytest.raises(ValidationError, match="PORTAL_API_RATE_LIMIT must be a rate like"):
        settings.Settings()
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "0/minute")
    with pytest.raises(ValidationError, match="at least one request"):
        settings.Settings()
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "1000/hour")
    assert settings.Settings().api_rate_limit == "1000/hour"
    monkeypatch.delenv("PORTAL_API_RATE_LIMIT")
    assert settings.Settings().api_rate_limit == "120/minute"


# --- the routes answer as documented -----------------------------------------------------------


@pytest.fixture
def generous_limit(monkeypatch):
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", GENEROUS_LIMIT)
    settings.get_settings.cache_clear()


@pytest.fixture
def api_schema(generous_limit, portal_db):
    """The document, loaded from the app it describes: the server's routes on the sample data."""
    settings.get_settings.cache_clear()
    assert settings.get_settings().api_rate_limit == GENEROUS_LIMIT
    app = Starlette(routes=server.build_routes())
    schema = schemathesis.openapi.from_asgi(openapi.PATH, app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES_PER_OPERATION, deterministic=True
    )
    return schema


# one test per documented operation (the document needs no database to be written)
OPERATIONS = sorted(openapi.document(domains.domains())["paths"])


@pytest.mark.parametrize("path", OPERATIONS)
def test_the_routes_answer_as_the_document_says(api_schema, path):
    operation = api_schema[path]["GET"]
    sent = []

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def answers_as_documented(case):
        sent.append(case)
        case.call_and_validate(
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
        )

    answers_as_documented()
    assert sent, "no request was generated"

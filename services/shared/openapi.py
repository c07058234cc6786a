"""The OpenAPI 3.1 document of the open-data routes, written from the capabilities' manifests.

Every `Endpoint` a manifest declares (services/shared/open_data.py) becomes one GET operation:
its parameters with their JSON Schema (`Param.schema`), `format` when it answers in more than one,
a 200 response per format and the errors portal/kit/http.py answers with (400 and 429 always,
404 when the endpoint has a `not_found` message or a path parameter), in the endpoint's error
style. Nothing here is listed by hand, so a new capability's endpoints appear by themselves;
portal/server.py serves the result at `PATH`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from services.shared.capability import Manifest
from services.shared.open_data import Endpoint, ErrorStyle, Format, Param

PATH = "/api/v1/openapi.json"
VERSION = "3.1.0"
TITLE = "Guiyang Eco-Environment Public Portal: open data"
API_VERSION = "1.0.0"
LANGUAGES = ("zh_CN", "en")  # the catalogues in portal/locales; errors are in English by default

Schema = dict[str, Any]

# the media types portal/kit/http.py answers with, by format (parameters such as charset aside)
MEDIA_TYPES: dict[Format, str] = {
    "json": "application/json",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "open311": "application/json",
    "atom": "application/atom+xml",
}
DESCRIPTIONS: dict[Format, str] = {
    "json": "The rows, counted",
    "csv": "The rows as CSV (UTF-8 with a byte-order mark, formula-safe cells)",
    "geojson": "A GeoJSON FeatureCollection: one Point per row, the other fields as properties",
    "open311": "An Open311 GeoReport v2 list",
    "atom": "An Atom feed",
}
ROW: Schema = {"type": "object"}
ENVELOPE: Schema = {
    "type": "object",
    "required": ["count", "rows"],
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "rows": {"type": "array", "items": ROW},
    },
    "additionalProperties": False,
}
POINT: Schema = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                        "maxItems": 2},
    },
}  # fmt: skip
FEATURE_COLLECTION: Schema = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "geometry": {"anyOf": [POINT, {"type": "null"}]},
                    "properties": ROW,
                },
            },
        },
    },
}
BODIES: dict[Format, Schema] = {
    "json": ENVELOPE,
    "csv": {"type": "string"},
    "geojson": FEATURE_COLLECTION,
    "open311": {"type": "array", "items": ROW},
    "atom": {"type": "string"},
}
REASONS = {400: "The request was refused; the message says why",
           404: "Nothing was found", 429: "Too many requests from this address"}  # fmt: skip
CACHE_HEADER: Schema = {
    "description": "Data is cached for five minutes; errors are never cached",
    "schema": {"type": "string"},
}
CAPPED_HEADER: Schema = {
    "description": "Present when more rows matched than the endpoint gives: where they were cut",
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
}
# a path segment in a Starlette route: "{name}" or "{name:convertor}"
_PLACEHOLDER = re.compile(r"{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_]+))?}")


def document(manifests: Iterable[Manifest]) -> Schema:
    """The OpenAPI 3.1 document of every endpoint the manifests declare, and of itself."""
    paths: dict[str, Schema] = {PATH: {"get": _self_operation()}}
    tags = []
    for manifest in manifests:
        if not manifest.endpoints:
            continue
        tags.append({"name": manifest.name, "description": manifest.title})
        for endpoint in manifest.endpoints:
            paths[openapi_path(endpoint.path)] = {"get": operation(endpoint, tag=manifest.name)}
    return {
        "openapi": VERSION,
        "info": {
            "title": TITLE,
            "version": API_VERSION,
            "description": "Open data of the portal: air and water quality, published complaint "
            "cases (Open311 GeoReport v2), Atom feeds and CSV exports. Append ?lang=zh_CN for "
            "error messages in Chinese.",
        },
        "tags": tags,
        "paths": paths,
    }


def openapi_path(path: str) -> str:
    """A Starlette path as an OpenAPI path template: "{rest:path}" becomes "{rest}"."""
    return _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", path)


def path_placeholders(path: str) -> list[tuple[str, str]]:
    """The placeholders of a Starlette path: (name, convertor), "str" when none is given."""
    return [(m.group(1), m.group(2) or "str") for m in _PLACEHOLDER.finditer(path)]


def operation(endpoint: Endpoint, *, tag: str) -> Schema:
    """The GET operation of one endpoint."""
    in_path = path_placeholders(endpoint.path)
    responses: Schema = {"200": _success(endpoint)}
    statuses = [400, 429]
    if endpoint.not_found or in_path:
        statuses.append(404)
    for status in sorted(statuses):
        responses[str(status)] = error_response(endpoint.errors, status)
    return {
        "operationId": operation_id(endpoint.path),
        "summary": endpoint.summary,
        "tags": [tag],
        "parameters": parameters(endpoint),
        "responses": responses,
    }


def operation_id(path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", openapi_path(path))
    return "get_" + "_".join(words)


def parameters(endpoint: Endpoint) -> list[Schema]:
    """The path parameters (from the path itself), the declared query parameters, `format`
    when there is a choice of formats, and `lang`."""
    declared = {p.name: p for p in endpoint.params}
    found = []
    for name, convertor in path_placeholders(endpoint.path):
        param = declared.get(name)
        found.append(_path_parameter(name, convertor, param))
    found += [_query_parameter(p) for p in endpoint.params if not p.in_path]
    if len(endpoint.formats) > 1:
        found.append({
            "name": "format",
            "in": "query",
            "required": False,
            "description": f"The response format (default {endpoint.formats[0]})",
            "schema": {"type": "string", "enum": list(endpoint.formats),
                       "default": endpoint.formats[0]},
        })  # fmt: skip
    found.append(
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "The language of error messages (default en)",
            "schema": {"type": "string", "enum": list(LANGUAGES)},
        }
    )
    return found


def _query_parameter(param: Param) -> Schema:
    found: Schema = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": param.schema(),
    }
    if param.many:  # one comma-separated value, as Endpoint.parse reads it
        found["style"] = "form"
        found["explode"] = False
    return found


def _path_parameter(name: str, convertor: str, param: Param | None) -> Schema:
    """A path parameter: a "path" placeholder takes the rest of the path, slashes included; any
    other is one non-empty segment."""
    schema: Schema = param.schema() if param is not None else {"type": "string"}
    if convertor != "path":
        schema = {**schema, "minLength": 1}
        schema.setdefault("pattern", "^[^/]+$")
    description = param.description if param is not None else "The rest of the path"
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}  # fmt: skip


def _success(endpoint: Endpoint) -> Schema:
    content: dict[str, Schema] = {}
    for chosen in endpoint.formats:
        media = MEDIA_TYPES[chosen]
        body = BODIES[chosen]
        if media in content and content[media]["schema"] != body:  # json and open311 together
            body = {"anyOf": [content[media]["schema"], body]}
        content[media] = {"schema": body}
    description = "; ".join(DESCRIPTIONS[f] for f in endpoint.formats)
    headers: Schema = {"Cache-Control": CACHE_HEADER}
    if endpoint.max_rows is not None:
        headers["X-Rows-Capped-At"] = CAPPED_HEADER
    return {"description": description, "headers": headers, "content": content}


def error_body(style: ErrorStyle, status: int) -> Schema:
    """The body of an error: `{"error": message}`, or GeoReport v2's `[{code, description}]`."""
    if style == "open311":
        entry = {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"const": status}, "description": {"type": "string"}},
            "additionalProperties": False,
        }
        return {"type": "array", "items": entry, "minItems": 1, "maxItems": 1}
    return {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
        "additionalProperties": False,
    }


def error_response(style: ErrorStyle, status: int) -> Schema:
    return {
        "description": f"{REASONS[status]} ({'Open311' if style == 'open311' else 'plain'} "
        "error, translated by ?lang)",
        "headers": {"Cache-Control": {"description": "no-store", "schema": {"const": "no-store"}}},
        "content": {"application/json": {"schema": error_body(style, status)}},
    }


def _self_operation() -> Schema:
    return {
        "operationId": "get_openapi_document",
        "summary": "This OpenAPI 3.1 document",
        "tags": ["openapi"],
        "responses": {
            "200": {
                "description": "The OpenAPI document of the open-data routes",
                "content": {"application/json": {"schema": {
                    "type": "object", "required": ["openapi", "info", "paths"]}}},
            }
        },
    }  # fmt: skip

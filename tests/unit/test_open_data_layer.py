"""The shared open-data layer: parameter parsers, the one error type, safe CSV cells, GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from portal.kit import http
from services.air import api as air_api
from services.shared.open_data import (
    NOT_A_CHOICE,
    NOT_A_DATE,
    NOT_A_WHOLE_NUMBER,
    NOT_VALID,
    SPAN_TOO_LONG,
    TO_BEFORE_FROM,
    BadRequest,
    Endpoint,
    Param,
    Span,
    csv_bytes,
    feature_collection,
    safe_cell,
)
from services.water import api as water_api

DAY = Param("day", "a day", kind="date")
MOMENT = Param("since", "a day or a moment", kind="date", times=True)
SIZE = Param("size", "a size", kind="integer", low=1, high=200, default=50)
COLOUR = Param("colour", "a colour", kind="choice", choices=("red", "green"))
CODES = Param("code", "codes", kind="choice", many=True, max_items=2,
              choices=lambda: {"a", "b", "c"}, too_many="too many: {count}")  # fmt: skip
WORD = Param("word", "a word", pattern=r"[a-z]{1,5}", max_length=3)


def refusal(param: Param, text: str | None) -> BadRequest:
    with pytest.raises(BadRequest) as caught:
        param.parse(text)
    return caught.value


@pytest.mark.parametrize(
    ("param", "text", "expected"),
    [
        (DAY, "2026-03-01", date(2026, 3, 1)),
        (DAY, " 2026-03-01 ", date(2026, 3, 1)),
        (DAY, "", None),
        (MOMENT, "2026-08-31T20:00:00Z", date(2026, 9, 1)),  # 04:00 on 1 Sep in Beijing
        (MOMENT, "2026-08-31T23:30:00", date(2026, 8, 31)),  # no zone: Beijing time
        (SIZE, "200", 200),
        (SIZE, None, 50),
        (COLOUR, "green", "green"),
        (COLOUR, "", None),
        (CODES, "a, b,a", ("a", "b")),
        (CODES, "", ()),
        (WORD, "abcde", "abc"),
    ],
)
def test_good_values_are_parsed(param, text, expected):
    assert param.parse(text) == expected


@pytest.mark.parametrize(
    ("param", "text", "msgid", "params"),
    [
        (DAY, "June", NOT_A_DATE, {"name": "day", "value": "June"}),
        (DAY, "2026-08-31T20:00:00Z", NOT_A_DATE, {"name": "day"}),  # a date only, here
        (SIZE, "0", NOT_A_WHOLE_NUMBER, {"name": "size", "low": 1, "high": 200}),
        (SIZE, "201", NOT_A_WHOLE_NUMBER, {"high": 200}),
        (SIZE, "-3", NOT_A_WHOLE_NUMBER, {"value": "-3"}),
        (SIZE, "²", NOT_A_WHOLE_NUMBER, {"value": "²"}),  # a digit, but not an ASCII one
        (COLOUR, "blue", NOT_A_CHOICE, {"colour": "blue", "choices": "red, green"}),
        (CODES, "a,z", NOT_A_CHOICE, {"value": "z", "choices": "a, b, c"}),
        (CODES, "a,b,c", "too many: {count}", {"count": 2}),
        (WORD, "ABC", NOT_VALID, {"name": "word", "value": "ABC"}),
    ],
)
def test_bad_values_are_refused_with_their_msgid(param, text, msgid, params):
    error = refusal(param, text)
    assert error.msgid == msgid
    assert params.items() <= error.params.items()


def test_a_refused_value_is_echoed_cut_short():
    error = refusal(COLOUR, "x" * 500)
    assert error.params["value"] == "x" * 40 and error.params["colour"] == "x" * 40


def test_a_required_parameter_left_out_gets_its_missing_msgid_or_else_its_invalid_one():
    unknown, give = "Unknown section: {section}.", "Give a section."
    with_missing = Param("section", "s", kind="choice", required=True, choices=("A",),
                         invalid=unknown, missing=give)  # fmt: skip
    assert refusal(with_missing, "").msgid == "Give a section."
    assert refusal(with_missing, "B").msgid == "Unknown section: {section}."
    without = Param("station", "s", kind="choice", required=True, choices=("A",),
                    invalid="Unknown station: {station}.")  # fmt: skip
    error = refusal(without, None)
    assert (error.msgid, error.params["station"]) == ("Unknown station: {station}.", "")


RANGE = Endpoint(
    "/x",
    "x",
    params=(
        Param("from", "f", kind="date", arg="start"),
        Param("to", "t", kind="date", arg="end"),
        Param("number", "n", in_path=True, required=True),
    ),
    spans=(Span("from", "to", max_days=31),),
)


def test_an_endpoint_parses_into_the_handlers_keywords():
    values = RANGE.parse({"from": "2026-01-01", "to": "2026-01-31"}, path={"number": "N-1"})
    assert values == {"start": date(2026, 1, 1), "end": date(2026, 1, 31), "number": "N-1"}
    assert RANGE.parse({"from": "2026-01-01"}, path={"number": "N-1"})["end"] is None


@pytest.mark.parametrize(
    ("query", "msgid", "params"),
    [
        ({"from": "2026-01-05", "to": "2026-01-04"}, TO_BEFORE_FROM, {}),
        ({"from": "2026-01-01", "to": "2026-02-01"}, SPAN_TOO_LONG, {"days": 31}),
    ],
)
def test_a_span_is_checked(query, msgid, params):
    with pytest.raises(BadRequest) as caught:
        RANGE.parse(query, path={"number": "N-1"})
    assert caught.value.msgid == msgid
    assert params.items() <= caught.value.params.items()


def test_the_format_asked_for_or_the_default():
    assert air_api.STATIONS.choose("geojson") == "geojson"
    assert air_api.HOURLY.choose("geojson") == "json"  # not declared there
    assert air_api.HOURLY.choose(None) == "json"


def test_declarations_give_openapi_schemas():
    assert SIZE.schema() == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert DAY.schema() == {"type": "string", "format": "date"}
    assert CODES.schema() == {
        "type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}, "maxItems": 2,
    }  # fmt: skip
    assert water_api.PERIOD.schema()["enum"] == ["month", "quarter", "year"]


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_cell_gets_an_apostrophe(trigger):
    assert safe_cell(f"{trigger}SUM(A1)") == f"'{trigger}SUM(A1)"


@pytest.mark.parametrize("value", ["贵阳", "a=b", "", "'", -5, 3.5, None, True])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) is value


def test_csv_has_a_bom_and_a_fixed_header_even_without_rows():
    assert csv_bytes([], columns=("a", "b")) == "\ufeffa,b\r\n".encode()


def read(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_an_air_csv_neutralises_formula_like_values():
    rows = [{"station": "=cmd|'/c calc'!A1", "day": "2026-06-01", "aqi": -1, "standard": "@x"}]
    response = http.render(air_api.DAILY, rows, wanted="csv")
    assert response.headers["content-disposition"] == 'attachment; filename="air-daily.csv"'
    assert response.headers["cache-control"] == "public, max-age=300"
    [row] = read(response.body)
    assert row == {"station": "'=cmd|'/c calc'!A1", "day": "2026-06-01", "aqi": "-1",
                   "standard": "'@x"}  # fmt: skip


def test_a_water_csv_neutralises_formula_like_values():
    rows = [{"code": "NMH-05", "location_note": '+HYPERLINK("http://x")', "km": 2.5}]
    response = http.render(water_api.SECTIONS, rows, wanted="csv")
    [row] = read(response.body)
    assert row["location_note"] == '\'+HYPERLINK("http://x")' and row["code"] == "NMH-05"


def test_rows_beyond_the_cap_are_cut_and_the_cut_is_said():
    endpoint = Endpoint("/x", "x", formats=("csv",), max_rows=2, columns=("n",))
    response = http.render(endpoint, [{"n": i} for i in range(3)])
    assert [r["n"] for r in read(response.body)] == ["0", "1"]
    assert response.headers["x-rows-capped-at"] == "2"
    assert "x-rows-capped-at" not in http.render(endpoint, [{"n": 1}]).headers


def test_geojson_is_a_feature_collection_of_points_in_lon_lat_order():
    rows = [{"code": "A", "lat": 26.5, "lon": 106.7}, {"code": "B", "lat": None, "lon": 106.1}]
    assert feature_collection(rows) == {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.7, 26.5]},
             "properties": {"code": "A"}},
            {"type": "Feature", "geometry": None, "properties": {"code": "B"}},
        ],
    }  # fmt: skip
    response = http.render(air_api.STATIONS, rows, wanted="geojson")
    assert response.headers["content-type"] == "application/geo+json"
    assert json.loads(response.body)["features"][0]["properties"] == {"code": "A"}

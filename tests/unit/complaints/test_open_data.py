"""Open data over the registry: formula-safe CSV cells, the Open311 mapping, query parsing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from services.complaints import open_data
from services.complaints.catalog import TYPE_CODES
from services.complaints.open_data import parse_query
from services.complaints.registry import PublicCase
from services.shared.open_data import BadRequest as BadParameter
from services.shared.open_data import safe_cell as neutralise_cell

CLOSED = PublicCase(
    id=7,
    number="GY-2026-000007",
    status="closed",
    channel="web",
    types=("air.odour", "noise.industrial"),
    district_code="520102",
    target="某某化工有限公司",
    summary="南明区某化工企业傍晚异味扰民",
    location="南明区花果园附近",
    lat=26.57,
    lon=106.71,
    outcome="经查属实，已责令企业整改并立案处罚。",
    remediation="",
    filed_on=date(2026, 8, 3),
    acceptance_due=date(2026, 8, 18),
    decided_on=date(2026, 8, 11),
    accepted_on=date(2026, 8, 11),
    closure_due=date(2026, 10, 10),
    extension_days=30,
    closed_on=date(2026, 9, 10),
    review_due=None,
    current_due=None,
    provisional_due=False,
    finding="substantiated",
    not_accepted_reason="",
    duplicate_of_id=None,
    escalated=False,
    rating="",
    updated_at=datetime(2026, 9, 10, 2, 30),  # naive UTC, as SQLite returns it
)


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_with_a_formula_trigger_gets_an_apostrophe(trigger):
    assert neutralise_cell(f'{trigger}HYPERLINK("http://x")') == f'\'{trigger}HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "text", ["南明区某化工企业", "GY-2026-000007", "2026-09-10", "", "a=b", "'"]
)
def test_ordinary_text_is_left_alone(text):
    assert neutralise_cell(text) == text


@pytest.mark.parametrize("number", [-5, 0, 3.5, -0.25, True])
def test_numbers_are_left_alone(number):
    assert neutralise_cell(number) is number


def test_a_closed_case_as_an_open311_request():
    record = open_data.open311_request(CLOSED)
    assert record == {
        "service_request_id": "GY-2026-000007",
        "status": "closed",
        "status_notes": "经查属实，已责令企业整改并立案处罚。",
        "service_name": "Air: Odour",
        "service_code": "air.odour",
        "description": "南明区某化工企业傍晚异味扰民",
        "agency_responsible": "贵阳市生态环境局南明分局",
        "service_notice": "",
        "requested_datetime": "2026-08-03T00:00:00+08:00",
        "updated_datetime": "2026-09-10T10:30:00+08:00",
        "expected_datetime": None,
        "address": "南明区花果园附近",
        "address_id": None,
        "zipcode": None,
        "lat": 26.57,
        "long": 106.71,
        "media_url": None,
        "status_zh": "已办结",
        "status_detail": "closed",
        "service_codes": ["air.odour", "noise.industrial"],
        "district": "520102",
        "target": "某某化工有限公司",
        "overdue": False,
        "extended_days": 30,
    }


def test_an_open_case_has_no_notes_and_a_deadline_at_the_end_of_its_day():
    pending = replace(
        CLOSED,
        status="pending",
        outcome="",
        current_due=date(2000, 1, 3),
        updated_at=datetime(2026, 9, 10, 2, 30, tzinfo=UTC),  # an aware time is kept as it is
        district_code="guian",
    )
    record = open_data.open311_request(pending)
    assert record["status"] == "open" and record["status_zh"] == "待受理"
    assert record["status_notes"] == ""
    assert record["expected_datetime"] == "2000-01-03T23:59:59+08:00"
    assert record["overdue"] is True
    assert record["agency_responsible"] == "贵阳市生态环境局"


def test_a_case_not_accepted_explains_where_to_go_instead():
    refused = replace(
        CLOSED, status="not_accepted", outcome="", not_accepted_reason="outside_remit"
    )
    assert "12345" in open_data.open311_request(refused)["status_notes"]


def test_services_list_every_type_code():
    services = open_data.open311_services(lambda text: text)
    assert [s["service_code"] for s in services] == list(TYPE_CODES)
    odour = services[0]
    assert odour["service_name"] == "Air: Odour" and odour["group"] == "Air"
    assert odour["type"] == "realtime" and odour["metadata"] is False


def test_csv_starts_with_a_bom_and_neutralises_cells():
    hostile = replace(
        CLOSED, summary='=HYPERLINK("http://evil.example","点此")', target="@SUM(1)"
    )
    text = open_data.csv_bytes([hostile]).decode("utf-8")
    assert text.startswith("\ufeffnumber,filed_on,status,status_zh,types,")
    assert "'=HYPERLINK(" in text and "'@SUM(1)" in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start_date": "2026-09-01"}, {"start": date(2026, 9, 1)}),
        # a date-time counts as the Beijing day it falls on
        ({"start_date": "2026-08-31T20:00:00Z"}, {"start": date(2026, 9, 1)}),
        ({"status": "open,closed"}, {"status": None}),
        ({"status": "closed"}, {"status": "closed"}),
        ({"service_request_id": "GY-2026-000001, GY-2026-000001"},
         {"numbers": ("GY-2026-000001",)}),
        ({"page": "3", "page_size": "200"}, {"page": 3, "page_size": 200}),
    ],
)  # fmt: skip
def test_query_parameters(params, expected):
    query = parse_query(params)
    assert {k: getattr(query, k) for k in expected} == expected


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-09-02", "end_date": "2026-09-01"},
        {"status": "pending"},
        {"service_code": "air"},
        {"district": "999999"},
        {"page_size": "201"},
        {"page": "0"},
        {"service_request_id": "GY-2026-<script>"},
    ],
)
def test_bad_query_parameters_are_refused(params):
    with pytest.raises(BadParameter):
        parse_query(params)


def test_the_export_takes_detailed_statuses_but_never_submitted():
    assert parse_query({"status": "overdue"}, export=True).status == "overdue"
    assert parse_query({"status": "in_progress"}, export=True).status == "in_progress"
    with pytest.raises(BadParameter):
        parse_query({"status": "submitted"}, export=True)

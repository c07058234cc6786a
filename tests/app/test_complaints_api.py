"""Complaint open data over HTTP: Open311 GeoReport v2, Atom feeds and the CSV export.

A few cases are filed through the intake service and moved through the workflow; every route must
show the published ones only, with public fields only.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.complaints import workflow as W
from services.complaints.catalog import TYPE_CODES
from services.core.accounts import Role
from tests.conftest import add_staff
from tests.unit.complaints.conftest import a_report, act, file

ATOM = "{http://www.w3.org/2005/Atom}"
# what reporters typed that only staff may see: names, phones, descriptions, exact places, wishes
PRIVATE = {
    "pending": dict(name="王秘密", phone="13911110001", location="南明区秘密巷12号楼下",
                    description="每天傍晚有刺鼻的化学气味，从厂区西墙的暗管排出，已持续三周以上。",
                    wishes="请查处西墙暗管"),
    "closed": dict(name="赵隐名", phone="13911110002", location="云岩区隐名路88号工地北门",
                   description="工地每晚十一点后仍在打桩施工，噪声极大，影响周边住户休息多日。",
                   wishes="请夜间停工"),
    "formula": dict(name="钱不显", phone="13911110003", location="花溪区不显村二组河边",
                    description="生活污水直排入河，河面有白色泡沫并伴有臭味，下游有人取水洗菜。",
                    wishes="请截污纳管"),
    "hidden": dict(name="孙未审", phone="13911110004", location="南明区未审街5号院内",
                   description="未经审核的举报：院内锅炉冒黑烟，邻居家中有老人和婴儿，十分担心。",
                   wishes="请尽快处理此事"),
}  # fmt: skip
PRIVATE_REPLY = "经查属实，已责令夜间停工并处罚款。"  # the written reply goes to the reporter only
FORMULA_SUMMARY = '=HYPERLINK("http://evil.example","点击查看")'


@pytest.fixture
def cases(engine, clock):
    handler = add_staff(engine, "handler", Role.COMPLAINT_HANDLER)

    def report(key: str, **changes):
        return a_report(**PRIVATE[key], **changes)

    clock.set(date(2026, 8, 3))
    pending = file(engine, report("pending", types=["air.odour"], district="520102",
                                  target_name="甲化工有限公司"))  # fmt: skip
    act(engine, W.moderate, handler, pending.case_id, summary="南明区某化工企业傍晚异味扰民",
        location="南明区某工业园", target="甲化工有限公司")  # fmt: skip
    clock.set(date(2026, 8, 10))
    closed = file(engine, report("closed", types=["noise.construction"], district="520103",
                                 target_name="乙建筑工程公司"))  # fmt: skip
    act(engine, W.moderate, handler, closed.case_id, summary="云岩区某工地夜间施工噪声扰民",
        location="云岩区", target="乙建筑工程公司")  # fmt: skip
    act(engine, W.accept, handler, closed.case_id)
    clock.set(date(2026, 8, 20))
    act(engine, W.close, handler, closed.case_id, finding="substantiated", reply=PRIVATE_REPLY,
        public_outcome="经查属实，已责令该工地夜间停工并处以罚款。")  # fmt: skip
    clock.set(date(2026, 9, 10))
    formula = file(engine, report("formula", types=["water.sewage", "water.black_odorous"],
                                  district="520111", target_name="丙村"))  # fmt: skip
    act(engine, W.moderate, handler, formula.case_id, summary=FORMULA_SUMMARY, location="花溪区")
    clock.set(date(2026, 9, 15))
    hidden = file(engine, report("hidden", types=["air.smoke_dust"], district="520102"))
    clock.set(date(2026, 9, 16))
    return SimpleNamespace(pending=pending.number, closed=closed.number,
                           formula=formula.number, hidden=hidden.number)  # fmt: skip


@pytest.fixture
def client(engine):
    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as test_client:
        yield test_client


def numbers(client, query: str = "") -> list[str]:
    response = client.get(f"/open311/v2/requests.json{query}")
    assert response.status_code == 200, response.text
    return [r["service_request_id"] for r in response.json()]


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_services_list_every_type_code(client):
    services = client.get("/open311/v2/services.json").json()
    assert [s["service_code"] for s in services] == list(TYPE_CODES)
    noise = next(s for s in services if s["service_code"] == "noise.construction")
    assert noise["service_name"] == "Noise: Construction noise" and noise["group"] == "Noise"
    assert noise["metadata"] is False and noise["type"] == "realtime"
    assert noise["service_name_zh"]


def test_requests_show_published_cases_newest_first(client, cases):
    records = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").json()}
    assert list(records) == [cases.formula, cases.closed, cases.pending]
    pending, closed = records[cases.pending], records[cases.closed]
    assert (pending["status"], pending["status_zh"], pending["status_detail"]) == (
        "open", "待受理", "pending",
    )  # fmt: skip
    assert (closed["status"], closed["status_zh"]) == ("closed", "已办结")
    assert closed["status_notes"] == "经查属实，已责令该工地夜间停工并处以罚款。"
    assert closed["agency_responsible"] == "贵阳市生态环境局云岩分局"
    assert closed["requested_datetime"] == "2026-08-10T00:00:00+08:00"
    assert closed["updated_datetime"].startswith("2026-08-20T10:00:00+08:00")
    assert closed["expected_datetime"] is None and closed["overdue"] is False
    # filed 3 Aug, still awaiting acceptance on 16 Sep: past its 15-day deadline
    assert pending["overdue"] is True and pending["expected_datetime"].endswith("T23:59:59+08:00")
    assert pending["description"] == "南明区某化工企业傍晚异味扰民"
    assert pending["address"] == "南明区某工业园" and pending["district"] == "520102"
    assert records[cases.formula]["service_code"] == "water.sewage"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=closed", ["closed"]),
        ("?status=open", ["formula", "pending"]),
        ("?status=open,closed", ["formula", "closed", "pending"]),
        ("?service_code=noise.construction", ["closed"]),
        ("?service_code=water.black_odorous", ["formula"]),  # any of a case's types matches
        ("?service_code=air.odour,noise.construction", ["closed", "pending"]),
        ("?service_code=air.smoke_dust", []),  # only the unpublished case has it
        ("?district=520111", ["formula"]),
        ("?district=520102", ["pending"]),
        ("?start_date=2026-08-05&end_date=2026-09-12", ["formula", "closed"]),
        ("?start_date=2026-08-10T00:00:00%2B08:00&end_date=2026-08-10", ["closed"]),
        ("?end_date=2026-08-03", ["pending"]),
        ("?page_size=1&page=2", ["closed"]),
        ("?status=open&page_size=1&page=2", ["pending"]),
        ("?page=9", []),
    ],
)
def test_request_filters(client, cases, query, expected):
    assert numbers(client, query) == [getattr(cases, name) for name in expected]


def test_requests_by_number(client, cases):
    query = f"?service_request_id={cases.closed},{cases.hidden},GY-2026-999999&status=open"
    assert numbers(client, query) == [cases.closed]  # the ids override the other filters
    one = client.get(f"/open311/v2/requests/{cases.closed}.json")
    assert one.status_code == 200
    assert [r["service_request_id"] for r in one.json()] == [cases.closed]


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/requests/GY-2026-999999.json",
        "/open311/v2/requests/{hidden}.json",
        "/open311/v2/requests/{closed}.xml",
        "/open311/v2/requests.xml",
        "/open311/v2/services.xml",
    ],
)
def test_unknown_unpublished_and_xml_are_open311_404s(client, cases, path):
    response = client.get(path.format(**vars(cases)))
    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and error["description"]


def test_a_bad_start_date_is_an_open311_400(client, cases):
    response = client.get("/open311/v2/requests.json?start_date=last-week")
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "start_date must be a date like 2026-03-01."}
    ]
    chinese = client.get("/open311/v2/requests.json?start_date=last-week&lang=zh_CN")
    assert chinese.json()[0]["description"] == "start_date 须为形如 2026-03-01 的日期。"
    for query in ("status=pending", "service_code=air", "district=1", "page_size=500"):
        response = client.get(f"/open311/v2/requests.json?{query}")
        assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_the_feed_lists_published_cases(client, cases):
    found = entries(client.get("/feeds/complaints.atom"))
    assert len(found) == 3
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert titles[2] == f"{cases.pending} · 待受理 · 南明区"
    assert titles[1] == f"{cases.closed} · 已办结 · 云岩区"
    closed = found[1]
    assert closed.find(f"{ATOM}link").get("href") == (
        f"http://127.0.0.1/complaints?case={cases.closed}"
    )
    content = closed.findtext(f"{ATOM}content")
    assert "云岩区某工地夜间施工噪声扰民" in content and "夜间停工并处以罚款" in content
    assert closed.findtext(f"{ATOM}updated").startswith("2026-08-20T02:00:00")
    # the feed's id does not depend on how its query string was written
    one = ET.fromstring(client.get("/feeds/complaints.atom?type=air&district=520102").content)
    two = ET.fromstring(client.get("/feeds/complaints.atom?district=520102&type=air").content)
    assert one.findtext(f"{ATOM}id") == two.findtext(f"{ATOM}id")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?district=520103", ["closed"]),
        ("?type=water", ["formula"]),
        ("?type=air", ["pending"]),
        ("?target=甲 化工有限公司", ["pending"]),  # matched as normalised
        ("?target=丁公司", []),
    ],
)
def test_feed_filters(client, cases, query, expected):
    found = entries(client.get(f"/feeds/complaints.atom{query}"))
    assert [e.findtext(f"{ATOM}title").split(" · ")[0] for e in found] == [
        getattr(cases, name) for name in expected
    ]


def test_feed_refuses_bad_filters(client):
    for query in ("district=nowhere", "type=smell", "target=!!!"):
        response = client.get(f"/feeds/complaints.atom?{query}")
        assert response.status_code == 400 and response.json()["error"]


def test_a_case_feed_is_its_public_timeline(client, cases):
    found = entries(client.get(f"/feeds/complaints/{cases.closed}.atom"))
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert titles == [  # newest first: the filing itself is not on the public timeline
        f"{cases.closed} · 已办结 · 办结",
        f"{cases.closed} · 已受理 · 受理",
        f"{cases.closed} · 待受理 · 审核公开",
    ]
    assert len({e.findtext(f"{ATOM}id") for e in found}) == 3
    assert found[0].findtext(f"{ATOM}content").startswith("核查结论：属实\n\n经查属实")
    for number in ("GY-2026-999999", cases.hidden):
        assert client.get(f"/feeds/complaints/{number}.atom").status_code == 404


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export(client, cases):
    response = client.get("/api/v1/complaints.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "number,filed_on,status,status_zh,types,district,district_zh,target,public_location,"
        "summary,acceptance_due,decided_on,closure_due,closed_on,finding,overdue,outcome"
    )
    rows = {r["number"]: r for r in read_csv(response)}
    assert list(rows) == [cases.formula, cases.closed, cases.pending]
    assert rows[cases.formula]["summary"] == "'" + FORMULA_SUMMARY  # never run as a formula
    assert rows[cases.formula]["types"] == "water.sewage,water.black_odorous"
    closed = rows[cases.closed]
    assert (closed["status"], closed["status_zh"], closed["district_zh"]) == (
        "closed", "已办结", "云岩区",
    )  # fmt: skip
    assert (closed["closed_on"], closed["finding"], closed["overdue"]) == (
        "2026-08-20", "substantiated", "false",
    )  # fmt: skip
    assert rows[cases.pending]["overdue"] == "true"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=closed", ["closed"]),
        ("?status=overdue", ["pending"]),
        ("?status=pending", ["formula", "pending"]),
        ("?q=工地", ["closed"]),
        ("?district=520111", ["formula"]),
        ("?service_code=air.odour&start_date=2026-08-01", ["pending"]),
    ],
)
def test_csv_filters(client, cases, query, expected):
    rows = read_csv(client.get(f"/api/v1/complaints.csv{query}"))
    assert [r["number"] for r in rows] == [getattr(cases, name) for name in expected]


def test_csv_refuses_the_unpublished_status_and_bad_dates(client):
    for query in ("status=submitted", "start_date=soon"):
        response = client.get(f"/api/v1/complaints.csv?{query}")
        assert response.status_code == 400 and response.json()["error"]


def test_nothing_private_or_unpublished_leaks(client, cases):
    paths = [
        "/open311/v2/services.json",
        "/open311/v2/requests.json",
        f"/open311/v2/requests.json?service_request_id={cases.hidden},{cases.pending}",
        f"/open311/v2/requests/{cases.pending}.json",
        f"/open311/v2/requests/{cases.hidden}.json",
        "/feeds/complaints.atom",
        "/feeds/complaints.atom?district=520102",
        *[f"/feeds/complaints/{getattr(cases, n)}.atom" for n in ("pending", "closed", "formula")],
        f"/feeds/complaints/{cases.hidden}.atom",
        "/api/v1/complaints.csv",
        "/api/v1/complaints.csv?district=520102",
    ]
    secrets = [value for fields in PRIVATE.values() for value in fields.values()]
    secrets += [PRIVATE_REPLY, cases.hidden]
    for path in paths:
        body = client.get(path).content.decode("utf-8-sig")
        assert body.strip()
        leaked = [s for s in secrets if s in body]
        assert leaked == [], path

"""The target reporters type is theirs, not the public's: the report of a neighbour's phone number
typed as the enterprise/site (`楼下餐馆 老板张某电话13911112222`) stays on the staff desk, and the
CSV export, Open311, the feeds and registry search show only the target a handler published.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.complaints import workflow as W
from services.complaints.model import ComplaintCase
from services.core.accounts import Role
from services.core.audit import AuditEntry
from services.shared.pii import PersonalDataFound
from tests.conftest import add_staff
from tests.unit.complaints.conftest import a_report, act, file, load

LEAKY_TARGET = "楼下餐馆 老板张某电话13911112222"
PRIVATE = ("13911112222", "张某", "楼下餐馆", "1391111")
PUBLIC_TARGET = "示例某川菜馆"


@pytest.fixture
def published(engine, clock):
    """Filed through intake, refused with the desk's prefill, published with a cleaned target."""
    clock.set(date(2026, 11, 2))
    handler = add_staff(engine, "handler", Role.COMPLAINT_HANDLER)
    filed = file(engine, a_report(types=["air.cooking_fumes"], target_name=LEAKY_TARGET))
    prefill = load(engine, filed.case_id).target_name  # what the desk's target field starts with
    with pytest.raises(PersonalDataFound):
        act(engine, W.moderate, handler, filed.case_id, summary="南明区某餐馆油烟直排扰民",
            location="南明区某路一带", target=prefill)  # fmt: skip
    act(engine, W.moderate, handler, filed.case_id, summary="南明区某餐馆油烟直排扰民",
        location="南明区某路一带", target=PUBLIC_TARGET)  # fmt: skip
    return filed


@pytest.fixture
def client(engine):
    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as test_client:
        yield test_client


def no_private(text: str) -> bool:
    return not any(p in text for p in PRIVATE)


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_output_shows_the_published_target_only(client, published):
    export = client.get("/api/v1/complaints.csv")
    (row,) = csv_rows(export)
    assert row["target"] == PUBLIC_TARGET and no_private(export.text)

    listing = client.get("/open311/v2/requests.json")
    one = client.get(f"/open311/v2/requests/{published.number}.json")
    for response in (listing, one):
        assert response.status_code == 200
        assert [r["target"] for r in response.json()] == [PUBLIC_TARGET]
        assert no_private(response.text)

    feed = client.get("/feeds/complaints.atom")
    case_feed = client.get(f"/feeds/complaints/{published.number}.atom")
    assert f"投诉对象：{PUBLIC_TARGET}" in feed.text and no_private(feed.text)
    assert case_feed.status_code == 200 and no_private(case_feed.text)


def test_search_and_filters_match_the_published_target_not_the_reporters(client, published):
    assert [r["number"] for r in csv_rows(client.get("/api/v1/complaints.csv?q=川菜馆"))] == [
        published.number
    ]
    for words in ("张某", "13911112222", "楼下餐馆"):
        assert csv_rows(client.get(f"/api/v1/complaints.csv?q={words}")) == []
    by_public = client.get("/feeds/complaints.atom?target=示例 某川菜馆")
    assert published.number in by_public.text
    by_reporter = client.get(f"/feeds/complaints.atom?target={LEAKY_TARGET}")
    assert by_reporter.status_code == 200 and published.number not in by_reporter.text


def test_a_target_edited_on_the_desk_replaces_the_published_one(client, engine, published):
    handler = add_staff(engine, "editor", Role.COMPLAINT_HANDLER)
    act(engine, W.edit_public, handler, published.case_id, summary="南明区某餐馆油烟直排扰民",
        location="南明区某路一带", target="示例某川菜馆（南明店）")  # fmt: skip
    (row,) = csv_rows(client.get("/api/v1/complaints.csv"))
    assert row["target"] == "示例某川菜馆(南明店)"


# --- the desk (AppTest) ------------------------------------------------------------------------


def desk_for(open_portal, number: str):
    at = open_portal("complaints/staff_complaints.py", lang="en", as_user="handler")
    at.text_input(key="desk_number").input(number).run()
    assert not at.exception
    return at


def labelled(items, label):
    return next(w for w in items if w.label == label)


def keys(engine, case_id: int, form: str) -> str:
    with Session(engine) as session:
        case = session.get(ComplaintCase, case_id)
        return f"{form}_{case.id}_{case.version}"


def test_the_desk_prefills_the_target_and_waits_for_a_confirmation(open_portal, portal_db):
    filed = file(portal_db, a_report(types=["air.cooking_fumes"], target_name=LEAKY_TARGET))
    at = desk_for(open_portal, filed.number)
    form = keys(portal_db, filed.case_id, "moderate")
    assert at.text_input(key=f"{form}_target").value == LEAKY_TARGET  # prefilled
    assert not [c for c in at.checkbox if c.key == f"{form}_pii_ok"]  # no box without findings
    at.text_area(key=f"{form}_summary").input("南明区某餐馆油烟直排扰民")
    at.text_input(key=f"{form}_location").input("南明区某路一带")
    labelled(at.button, "Publish").click().run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "The public target seems to contain a phone number" in warning
    assert "139\\*\\*\\*\\*2222" in warning or "139****2222" in warning
    assert at.text_area(key=f"{form}_summary").value == "南明区某餐馆油烟直排扰民"  # kept
    assert at.text_input(key=f"{form}_location").value == "南明区某路一带"
    assert not load(portal_db, filed.case_id).published

    # a confirmation covers what it was shown: a new finding is refused again
    at.checkbox(key=f"{form}_pii_ok").check()
    at.text_input(key=f"{form}_location").input("南明区贵A12345车位旁")
    labelled(at.button, "Publish").click().run()
    assert "a vehicle plate number" in " ".join(w.value for w in at.warning)
    assert not load(portal_db, filed.case_id).published

    at.text_input(key=f"{form}_target").input(PUBLIC_TARGET)
    at.text_input(key=f"{form}_location").input("南明区某路一带")
    labelled(at.button, "Publish").click().run()
    assert "Saved." in [s.value for s in at.success]
    case = load(portal_db, filed.case_id)
    assert case.published and case.public_target == PUBLIC_TARGET
    assert case.target_name == LEAKY_TARGET

    # the edit form: the public target, prefilled; a confirmed finding is saved and audited
    form = keys(portal_db, filed.case_id, "edit_public")
    assert at.text_input(key=f"{form}_target").value == PUBLIC_TARGET
    at.text_input(key=f"{form}_target").input("示例某川菜馆 0851-86851234")
    labelled(at.button, "Save the public text").click().run()
    assert "a phone number" in " ".join(w.value for w in at.warning)
    assert load(portal_db, filed.case_id).public_target == PUBLIC_TARGET
    at.checkbox(key=f"{form}_pii_ok").check()
    labelled(at.button, "Save the public text").click().run()
    assert not at.exception
    assert load(portal_db, filed.case_id).public_target == "示例某川菜馆 0851-86851234"
    with Session(portal_db) as session:
        (entry,) = session.exec(
            select(AuditEntry).where(AuditEntry.action == "complaint.personal_data_confirmed")
        ).all()
    assert entry.object_id == filed.number and "86851234" not in entry.details

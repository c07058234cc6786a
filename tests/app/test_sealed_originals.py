"""Sealed original photos leave only through the staff route: signed in, complaint supervisor,
audited per download, never cached, and never through Streamlit's media endpoint."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from portal.complaints import routes as complaint_routes
from portal.kit import session_cookie
from services import domains
from services.complaints import desk
from services.complaints.model import ComplaintCase, ComplaintEvidence
from services.core import audit
from services.core.db import unit_of_work
from services.shared import openapi
from services.shared.sealed import vault
from tests.app.conftest import signed_cookie_for

# A JPEG start with an Exif block carrying a GPS tag: what must not leak.
ORIGINAL = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00GPSLatitude 26.5839N\xff\xd9"
OPENED = "complaint.original_opened"


def _copy() -> bytes:
    """The stripped copy staff see: a small real image."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def evidence(portal_db) -> tuple[int, str]:
    """A photo with a known sealed original on a case of the sample data: (evidence id, case)."""
    with unit_of_work(portal_db) as session:
        case = session.exec(select(ComplaintCase).order_by(ComplaintCase.id)).first()
        item = ComplaintEvidence(case_id=case.id, added_by="reporter",
                                 sealed_original=vault.seal(ORIGINAL), original_type="image/jpeg",
                                 sha256="0" * 64, image=_copy(), image_type="image/png", width=4,
                                 height=4)  # fmt: skip
        session.add(item)
        session.flush()
        return item.id, case.number


@pytest.fixture
def client(portal_db):
    app = Starlette(routes=server.routes, middleware=[Middleware(server.SecurityHeaders)])
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as test_client:
        yield test_client


def url(evidence_id: int, lang: str = "en") -> str:
    return complaint_routes.original_url(evidence_id, lang)


def as_user(client: TestClient, portal_db, username: str) -> TestClient:
    client.cookies.set(session_cookie.COOKIE_NAME, signed_cookie_for(portal_db, username))
    return client


def opened(portal_db) -> list[audit.AuditEntry]:
    with Session(portal_db) as session:
        return list(session.exec(select(audit.AuditEntry).where(audit.AuditEntry.action == OPENED)))


def assert_refused(response, status: int) -> None:
    assert response.status_code == status
    assert ORIGINAL not in response.content and b"GPS" not in response.content
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/plain")
    assert "content-disposition" not in response.headers


def test_anonymous_get_is_401_without_the_bytes(client, portal_db, evidence):
    evidence_id, _number = evidence
    assert_refused(client.get(url(evidence_id)), 401)
    client.cookies.set(session_cookie.COOKIE_NAME, "forged.value.signature")
    assert_refused(client.get(url(evidence_id)), 401)
    assert opened(portal_db) == []


def test_a_handler_is_refused_403_whether_or_not_the_file_exists(client, portal_db, evidence):
    evidence_id, _number = evidence
    handler = as_user(client, portal_db, "handler")
    assert_refused(handler.get(url(evidence_id)), 403)
    assert_refused(handler.get(url(evidence_id + 1000)), 403)  # no existence oracle
    assert opened(portal_db) == []


def test_a_supervisor_gets_the_original_uncached_and_each_download_is_audited(
    client, portal_db, evidence
):
    evidence_id, number = evidence
    supervisor = as_user(client, portal_db, "supervisor")
    for _ in range(2):
        response = supervisor.get(url(evidence_id))
        assert response.status_code == 200
        assert response.content == ORIGINAL
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="{number}-{evidence_id}.jpg"'
        )
    rows = opened(portal_db)
    assert [(r.actor, r.object_id) for r in rows] == [("supervisor", number)] * 2
    assert all(f'"evidence": {evidence_id}' in r.details for r in rows)


def test_a_missing_file_is_404_for_a_supervisor(client, portal_db, evidence):
    evidence_id, _number = evidence
    response = as_user(client, portal_db, "supervisor").get(url(evidence_id + 1000, "zh_CN"))
    assert_refused(response, 404)
    assert opened(portal_db) == []


def test_a_closed_session_and_a_cross_site_request_get_nothing(client, portal_db, evidence):
    evidence_id, _number = evidence
    supervisor = as_user(client, portal_db, "supervisor")
    cross = supervisor.get(url(evidence_id), headers={"sec-fetch-site": "cross-site"})
    assert_refused(cross, 403)
    token = session_cookie.unsign(supervisor.cookies.get(session_cookie.COOKIE_NAME))
    from services.core import accounts

    with unit_of_work(portal_db) as session:
        accounts.close_session(session, token=token)
    assert_refused(supervisor.get(url(evidence_id)), 401)
    assert opened(portal_db) == []


def test_the_route_is_a_declared_staff_route_and_not_open_data(client):
    declared = [path for m in domains.domains() for path in m.staff_routes]
    assert desk.ORIGINAL_ROUTE in declared
    assert all(path.startswith("/staff/") for path in declared)
    served = {route.path for route in server.build_routes()}
    assert set(declared) <= served
    documented = set(client.get(openapi.PATH).json()["paths"])
    assert not any(path.startswith("/staff/") for path in documented)


def test_the_desk_links_to_the_route_and_never_reads_the_original(
    open_portal, portal_db, evidence, monkeypatch
):
    evidence_id, number = evidence
    at = open_portal("complaints/staff_complaints.py", lang="en", as_user="supervisor")
    at.text_input(key="desk_number").input(number).run()
    assert not at.exception
    for button in [b for b in at.button if b.label.startswith("Original")]:
        button.click().run()  # the page as it was: a button, then the bytes in a download button
    assert not at.exception
    assert list(at.download_button) == []
    links = [b.proto.url for b in at.link_button if b.label == "Original (logged)"]
    assert url(evidence_id) in links
    assert opened(portal_db) == []  # the page read nothing from the sealed plane


def test_a_handler_sees_no_link_to_the_original(open_portal, portal_db, evidence):
    _evidence_id, number = evidence
    at = open_portal("complaints/staff_complaints.py", lang="en", as_user="handler")
    at.text_input(key="desk_number").input(number).run()
    assert not at.exception
    assert [b for b in at.link_button if b.label == "Original (logged)"] == []

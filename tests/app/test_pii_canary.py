"""PII canary: a report whose personal details are unique strings, then a crawl of all public.

The reporter's name, phone, ID number, email, home address, exact place, exact map point, private
texts and photo metadata must not appear on any public page (both languages, every tab, the case
page), in any API, feed or export response, or in the application log; the photo copy staff see
carries no EXIF at all.
"""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from PIL import Image
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal import server
from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.complaints.model import ComplaintEvidence
from services.core import db
from tests.app.test_i18n import visible_strings
from tests.unit.complaints.conftest import act, as_reporter

CANARIES = {
    "name": "金丝雀七三九一",
    "phone": "13907397391",
    "id_number": "520102199003077398",
    "email": "canary7391@example.org",
    "home_address": "金丝雀路7391号3单元",
    "location": "金丝雀巷7391号楼下",
    "description": "金丝雀描述7391：每天傍晚刺鼻气味从厂区西墙暗管排出，持续三周。",
    "wishes": "金丝雀诉求7391",
    "answer": "金丝雀回答7391：晚上八点最严重",
    "reply": "金丝雀答复7391：经查属实，已责令整改。",
    "rating": "金丝雀评价7391",
    "exif": "CANARY-EXIF-7391",
    "serial": "CANARY-SERIAL-7391",
}
PIN = (26.583917, 106.713853)  # the exact point; the public may see 26.58, 106.71 at most
EXACT_POINT = ("26.583917", "106.713853", "26.5839", "106.7138")


def canary_photo() -> bytes:
    image = Image.new("RGB", (64, 48), (120, 160, 90))
    exif = Image.Exif()
    exif[0x010E] = CANARIES["exif"]  # ImageDescription
    gps = {1: "N", 2: (26.0, 35.0, 2.1), 3: "E", 4: (106.0, 42.0, 49.9)}
    exif[0x8825] = gps  # GPSInfo
    exif.get_ifd(0x8769)[0xA431] = CANARIES["serial"]  # BodySerialNumber
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert CANARIES["exif"].encode() in data  # the canary is really in the upload
    return data


def leaks(text: str) -> list[str]:
    found = [key for key, value in CANARIES.items() if value in text]
    found += [point for point in EXACT_POINT if point in text]
    return found


@pytest.fixture
def canary_case(portal_db, clock):
    clock.set(date(2026, 11, 2))
    from services.core.accounts import Role
    from tests.conftest import add_staff

    handler = add_staff(portal_db, "canary.handler", Role.COMPLAINT_HANDLER)
    report = intake.Report(
        types=["air.odour"], district="520102", location=CANARIES["location"],
        target_name="示例金丝雀化工厂", observed_on=date(2026, 11, 1), ongoing=True,
        description=CANARIES["description"], wishes=CANARIES["wishes"],
        identity_mode=IdentityMode.REWARD, name=CANARIES["name"], phone=CANARIES["phone"],
        email=CANARIES["email"], id_number=CANARIES["id_number"],
        home_address=CANARIES["home_address"], pin_lat=PIN[0], pin_lon=PIN[1],
    )  # fmt: skip
    with db.unit_of_work(portal_db) as session:
        filed = intake.file_report(
            session, report, uploads=[intake.Upload("photo.jpg", canary_photo())]
        )
    act(portal_db, workflow.moderate, handler, filed.case_id,
        summary="南明区某化工企业傍晚异味扰民", location="南明区某工业园")  # fmt: skip
    act(portal_db, workflow.accept, handler, filed.case_id)
    act(portal_db, workflow.ask_reporter, handler, filed.case_id, question="什么时段气味最重？")
    as_reporter(portal_db, filed.receipt, workflow.reporter_answer, CANARIES["answer"])
    act(portal_db, workflow.close, handler, filed.case_id, finding="substantiated",
        reply=CANARIES["reply"], public_outcome="经查属实，已责令企业整改。")  # fmt: skip
    as_reporter(portal_db, filed.receipt, workflow.reporter_rate, "satisfied", CANARIES["rating"])
    return filed


def test_no_canary_reaches_a_public_page_api_feed_export_or_log(
    canary_case, open_portal, portal_db, caplog
):
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    for lang in ("zh_CN", "en"):
        for page in (None, "air/air.py", "water/water.py", "home/about.py",
                     "complaints/complaint_file.py",
                     "complaints/complaint_track.py", "complaints/complaints.py"):  # fmt: skip
            at = open_portal(page, lang=lang)
            assert not at.exception
            shown += visible_strings(at)
        at = open_portal("complaints/complaints.py", lang=lang)
        at.query_params["case"] = canary_case.number
        at.run()
        case_page = visible_strings(at)
        assert any(canary_case.number in s for s in case_page)  # the crawl reached the case
        shown += case_page
    assert leaks("\n".join(shown)) == []

    with TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1") as client:
        paths = [
            "/open311/v2/services.json",
            "/open311/v2/requests.json",
            "/open311/v2/requests.json?status=closed",
            f"/open311/v2/requests/{canary_case.number}.json",
            "/feeds/complaints.atom",
            "/feeds/complaints.atom?district=520102",
            f"/feeds/complaints/{canary_case.number}.atom",
            "/api/v1/complaints.csv",
            "/api/v1/complaints.csv?q=化工",
            "/api/v1/air/stations",
            "/healthz",
        ]
        bodies = {path: client.get(path) for path in paths}
    for path, response in bodies.items():
        assert response.status_code == 200, path
        assert leaks(response.text) == [], path
    assert canary_case.number in bodies[f"/open311/v2/requests/{canary_case.number}.json"].text

    assert leaks(caplog.text) == []

    with Session(portal_db) as session:
        photo = session.exec(select(ComplaintEvidence)).one()
    public = Image.open(io.BytesIO(photo.image))
    assert not public.getexif() and "exif" not in public.info
    assert leaks(photo.image.decode("latin-1")) == []
    assert CANARIES["exif"].encode() not in photo.sealed_original  # the original is encrypted

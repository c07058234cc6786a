"""PII canary: a report whose personal details are unique strings, then a crawl of all public.

The reporter's name, phone, ID number, email, home address, exact place, exact map point, private
texts and photo metadata must not appear on any public page (both languages, every tab, the case
page), in any API, feed or export response, or in the application log; the photo copy staff see
carries no EXIF at all. The crawl is built from the manifests: the pages the navigation shows a
reader who is not signed in, every declared endpoint in each of its formats, and what each
capability plants (`PLANTERS`; docs/adding-a-capability.md).
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode

import pytest
from PIL import Image
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from portal import navigation, server
from portal.kit.pages import PAGES_DIR
from services import domains
from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.complaints.model import ComplaintEvidence
from services.core import db
from services.core.clock import today
from services.shared import openapi
from services.shared.open_data import BadRequest, Endpoint, Param
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
    # typed as the enterprise/site: a person's name and phone, never published as typed
    "target_person": "金丝雀老板七三九二",
    "target_phone": "13907397392",
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
        target_name=f"示例金丝雀化工厂 {CANARIES['target_person']}电话{CANARIES['target_phone']}",
        observed_on=date(2026, 11, 1), ongoing=True,
        description=CANARIES["description"], wishes=CANARIES["wishes"],
        identity_mode=IdentityMode.REWARD, name=CANARIES["name"], phone=CANARIES["phone"],
        email=CANARIES["email"], id_number=CANARIES["id_number"],
        home_address=CANARIES["home_address"], pin_lat=PIN[0], pin_lon=PIN[1],
    )  # fmt: skip
    with db.unit_of_work(portal_db) as session:
        filed = intake.file_report(
            session, report, uploads=[intake.Upload("photo.jpg", canary_photo())]
        )
    act(portal_db, workflow.moderate, handler, filed.case_id, target="示例金丝雀化工厂",
        summary="南明区某化工企业傍晚异味扰民", location="南明区某工业园")  # fmt: skip
    act(portal_db, workflow.accept, handler, filed.case_id)
    act(portal_db, workflow.ask_reporter, handler, filed.case_id, question="什么时段气味最重？")
    as_reporter(portal_db, filed.receipt, workflow.reporter_answer, CANARIES["answer"])
    act(portal_db, workflow.close, handler, filed.case_id, finding="substantiated",
        reply=CANARIES["reply"], public_outcome="经查属实，已责令企业整改。")  # fmt: skip
    as_reporter(portal_db, filed.receipt, workflow.reporter_rate, "satisfied", CANARIES["rating"])
    return filed


# --- what each capability plants, and the crawl ------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """What a capability's canary seeding planted: the strings no public response may contain,
    values for its endpoints' parameters by name (path parameters and filters), pages to open
    beyond the navigation (a file under pages/ and its query parameters), and strings that prove
    the crawl reached the planted record."""

    secrets: Mapping[str, str]
    params: Mapping[str, str] = field(default_factory=dict)
    pages: tuple[tuple[str, Mapping[str, str]], ...] = ()
    reached: tuple[str, ...] = ()


def plant_complaints(request: pytest.FixtureRequest) -> Planted:
    case = request.getfixturevalue("canary_case")
    secrets = {**CANARIES, **{f"exact point {point}": point for point in EXACT_POINT}}
    params = {"number": case.number, "district": "520102", "status": "closed", "q": "化工"}
    return Planted(secrets, params, pages=(("complaints/complaints.py", {"case": case.number}),),
                   reached=(case.number,))  # fmt: skip


# Each capability's canary seeding, by manifest name; None: the capability stores nothing about a
# person. A capability missing here fails test_every_capability_says_what_it_plants.
PLANTERS: dict[str, Callable[[pytest.FixtureRequest], Planted] | None] = {
    "home": None,
    "air": None,
    "water": None,
    "complaints": plant_complaints,
    "staff": None,  # staff pages are never public
}
LANGUAGES = ("zh_CN", "en")
FILLER = "canary-path"  # a path placeholder nothing planted a value for (a catch-all)


def plant_all(request: pytest.FixtureRequest) -> list[Planted]:
    return [planter(request) for m in domains.domains() if (planter := PLANTERS.get(m.name))]


def _parses(param: Param, value: str) -> bool:
    try:
        param.parse(value)
    except BadRequest:
        return False
    return True


def _required_value(param: Param, values: Mapping[str, str]) -> str:
    """A value for a required query parameter: a planted one, else one of its kind."""
    if param.name in values and _parses(param, values[param.name]):
        return values[param.name]
    if param.kind == "choice":
        return sorted(param.allowed())[0]
    if param.kind == "date":
        return today().isoformat()  # from = to: within any span
    if param.kind == "integer":
        return str(param.default if param.default is not None else param.low or 0)
    raise AssertionError(f"plant a value for the required parameter {param.name!r}")


def endpoint_urls(endpoint: Endpoint, values: Mapping[str, str]) -> list[tuple[str, bool]]:
    """Every URL the crawl asks of an endpoint, each format, with and without the planted
    filters; with whether it must answer 200 (not when a path placeholder got no planted value)."""
    path, planted = endpoint.path, True
    for name, _convertor in openapi.path_placeholders(endpoint.path):
        value = values.get(name)
        planted = planted and value is not None
        path = re.sub(rf"{{{name}(:[a-z]+)?}}", quote(value or FILLER), path)
    query = {p.name: _required_value(p, values) for p in endpoint.params
             if p.required and not p.in_path}  # fmt: skip
    filters = {p.name: values[p.name] for p in endpoint.params
               if not p.required and not p.in_path and p.name in values
               and _parses(p, values[p.name])}  # fmt: skip
    urls = []
    for chosen in endpoint.formats:
        asked = {**query, **({"format": chosen} if len(endpoint.formats) > 1 else {})}
        for extra in ({}, filters) if filters else ({},):
            params = {**asked, **extra}
            urls.append((path + ("?" + urlencode(params) if params else ""), planted))
    return urls


def shell_paths() -> list[str]:
    """The portal's own GET routes that take no path parameter (health, the API document, the
    staff sign-in form), beside the capabilities' endpoints."""
    declared = {path for m in domains.domains() for path in m.routes}
    return [route.path for route in server.build_routes()
            if isinstance(route, Route) and "GET" in (route.methods or ())
            and route.path not in declared
            and not openapi.path_placeholders(route.path)]  # fmt: skip


@dataclass
class Crawl:
    shown: dict[str, str] = field(default_factory=dict)  # where → what it showed

    def leaks(self, secrets: Mapping[str, str]) -> dict[str, list[str]]:
        found = {where: [name for name, value in secrets.items() if value in text]
                 for where, text in self.shown.items()}  # fmt: skip
        return {where: names for where, names in found.items() if names}

    def reached(self, text: str, prefix: str) -> bool:
        return any(text in shown for where, shown in self.shown.items() if where.startswith(prefix))


def crawl_pages(crawl: Crawl, open_portal, planted: list[Planted]) -> None:
    """Every page the navigation shows a reader who is not signed in, and the planted pages, in
    both languages: every string shown, tables' cells included."""
    pages = [(decl.file, {}) for decl in navigation.visible_pages(None)]
    pages += [page for plant in planted for page in plant.pages]
    for lang in LANGUAGES:
        for file, query in pages:
            at = open_portal(os.path.relpath(PAGES_DIR / file, PAGES_DIR), lang=lang)
            if query:
                for name, value in query.items():
                    at.query_params[name] = value
                at.run()
            assert not at.exception, (file, lang, at.exception)
            where = f"page {lang} {file}" + (f"?{urlencode(query)}" if query else "")
            crawl.shown[where] = "\n".join(visible_strings(at))


def crawl_routes(crawl: Crawl, planted: list[Planted]) -> None:
    """Every endpoint the manifests declare, each format, path parameters and filters from what
    was planted, and the portal's own routes."""
    values = {name: value for plant in planted for name, value in plant.params.items()}
    asked = [(url, ok) for m in domains.domains() for endpoint in m.endpoints
             for url, ok in endpoint_urls(endpoint, values)]  # fmt: skip
    asked += [(path, False) for path in shell_paths()]
    with TestClient(Starlette(routes=server.build_routes()), base_url="http://127.0.0.1") as client:
        for url, must_answer in asked:
            response = client.get(url)
            assert response.status_code < 500 and response.status_code != 429, url
            assert response.status_code == 200 or not must_answer, (url, response.status_code)
            crawl.shown[f"GET {url}"] = response.text


def test_every_capability_says_what_it_plants() -> None:
    assert set(PLANTERS) == {m.name for m in domains.domains()}


def test_no_canary_reaches_a_public_page_api_feed_export_or_log(
    request, canary_case, open_portal, portal_db, caplog
):
    caplog.set_level(logging.DEBUG)
    planted = plant_all(request)
    crawl = Crawl()
    crawl_pages(crawl, open_portal, planted)
    crawl_routes(crawl, planted)
    crawl.shown["log"] = caplog.text
    secrets = {name: value for plant in planted for name, value in plant.secrets.items()}
    assert crawl.leaks(secrets) == {}
    for plant in planted:  # the crawl reached every planted record, on a page and by the API
        for text in plant.reached:
            assert crawl.reached(text, "page zh_CN") and crawl.reached(text, "page en"), text
            assert crawl.reached(text, "GET "), text
    assert any(url.startswith("GET /feeds/") for url in crawl.shown)  # feeds and exports
    assert any(".csv" in url or "format=csv" in url for url in crawl.shown)

    with Session(portal_db) as session:
        photo = session.exec(select(ComplaintEvidence)).one()
    public = Image.open(io.BytesIO(photo.image))
    assert not public.getexif() and "exif" not in public.info
    assert leaks(photo.image.decode("latin-1")) == []
    assert CANARIES["exif"].encode() not in photo.sealed_original  # the original is encrypted

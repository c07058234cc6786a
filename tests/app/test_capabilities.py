"""A capability plugs in through its manifest alone: a toy one, registered in a fixture, appears in
navigation, the server's routes, the schema, the sample data, the audit labels and the home page
without any central file being touched."""

from __future__ import annotations

import os
import sys
import types

import pytest
import streamlit as st
from sqlalchemy import Column, Integer, String, Table, func, select
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from portal import navigation, server
from services import demo, domains, schema
from services.core.accounts import Role
from services.shared.capability import DemoPart, HomeTile, Manifest, PageDecl
from services.shared.open_data import Endpoint
from tests.app.conftest import ENTRYPOINT, UNTIL

TOY_PAGE_TEXT = "Toy capability page body"
TOY_TILE_TEXT = "Toy tile: 3 things"


def _toy_table() -> Table:
    if "toy_thing" in schema.metadata.tables:
        return schema.metadata.tables["toy_thing"]
    return Table(
        "toy_thing",
        schema.metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(20), nullable=False),
    )


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Register a toy capability: one public and one staff page, a route, a table, a demo part,
    an audit action and a home tile; its portal package is put in sys.modules."""
    table = _toy_table()
    public_page = tmp_path / "toy.py"
    public_page.write_text(f"import streamlit as st\nst.markdown({TOY_PAGE_TEXT!r})\n")
    staff_page = tmp_path / "toy_staff.py"
    staff_page.write_text("import streamlit as st\nst.markdown('toy staff')\n")

    def generate(context):
        with context.engine.begin() as conn:
            conn.execute(table.insert(), [{"name": f"thing {i}"} for i in range(3)])
        return 3

    def has_rows(session):
        return session.execute(select(table.c.id).limit(1)).first() is not None

    def count(session):
        return session.execute(select(func.count()).select_from(table)).scalar_one()

    manifest = Manifest(
        name="toy",
        title="Toy",
        pages=(
            PageDecl(str(public_page), "Toy things", ":material/toys:", "toy", order=50),
            PageDecl(str(staff_page), "Toy desk", ":material/toys:", "staff-toy", staff=True,
                     roles=(Role.DATA_EDITOR,), order=50),
        ),
        tables=("toy_thing",),
        endpoints=(Endpoint("/api/v1/toy/things", "Toy things"),),
        demo=(DemoPart("toy_things", generate, lambda _size: 3, has_rows, order=50),),
        audit_actions={"toy.poke": "Toy poked"},
        home_tile=HomeTile("Toy", count, order=50),
    )

    async def things(_request):
        return JSONResponse({"count": 3})

    package = types.ModuleType("portal.toy")
    routes = types.ModuleType("portal.toy.routes")
    routes.routes = [Route("/api/v1/toy/things", things)]
    tile = types.ModuleType("portal.toy.tile")
    tile.render = lambda n: st.markdown(f"### Toy tile: {n} things")
    for module in (package, routes, tile):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(domains, "DOMAINS", (*domains.DOMAINS, manifest))
    yield manifest
    schema.metadata.remove(table)


def test_a_toy_capability_appears_in_navigation_for_the_roles_it_names(toy):
    from services.core.accounts import Actor, Grant

    public = [page.title for page in navigation.visible_pages(None)]
    editor = Actor(1, "e", "E", (Grant(Role.DATA_EDITOR),))
    handler = Actor(2, "h", "H", (Grant(Role.COMPLAINT_HANDLER),))
    assert "Toy things" in public and "Toy desk" not in public
    assert "Toy desk" in [page.title for page in navigation.visible_pages(editor)]
    assert "Toy desk" not in [page.title for page in navigation.visible_pages(handler)]


def test_a_toy_capability_serves_its_route(toy):
    routes = server.build_routes()
    assert "/api/v1/toy/things" in [route.path for route in routes]
    client = TestClient(Starlette(routes=routes))
    assert client.get("/api/v1/toy/things").json() == {"count": 3}


def test_a_toy_capability_is_in_the_schema_and_the_sample_data(toy, engine):
    from services.core import migrate

    assert "toy_thing" in schema.declared_tables()
    migrate.upgrade(engine)
    schema.metadata.create_all(engine, tables=[schema.metadata.tables["toy_thing"]])
    assert demo.expected_rows(demo.DemoSize.SMALL)["toy_things"] == 3
    result = demo.generate(engine, size=demo.DemoSize.SMALL, with_staff=False, until=UNTIL)
    assert result.parts["toy_things"] == 3
    with engine.connect() as conn:
        stored = select(func.count()).select_from(schema.metadata.tables["toy_thing"])
        assert conn.execute(stored).scalar_one() == 3
    assert not demo.is_empty(engine)


def test_a_toy_capability_labels_its_audit_actions(toy):
    assert domains.audit_labels()["toy.poke"] == "Toy poked"


def test_a_toy_capability_shows_its_page_and_home_tile_in_the_portal(toy, open_portal, portal_db):
    schema.metadata.create_all(portal_db, tables=[schema.metadata.tables["toy_thing"]])
    with portal_db.begin() as conn:
        conn.execute(schema.metadata.tables["toy_thing"].insert(), [{"name": "a"}] * 3)
    at = open_portal(lang="en")
    assert TOY_TILE_TEXT in [m.value.removeprefix("### ") for m in at.markdown]
    at.switch_page(os.path.relpath(toy.pages[0].file, os.path.dirname(ENTRYPOINT)))
    at.run()
    assert TOY_PAGE_TEXT in [m.value for m in at.markdown]

"""AppTest fixtures: a seeded database, staff accounts, and a signed-in (or anonymous) reader."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import portal.kit.auth
from portal.kit import session_cookie
from services import demo
from services.core import accounts, migrate
from services.core.accounts import Role
from services.core.clock import BEIJING
from services.core.db import unit_of_work
from tests.conftest import STAFF_PASSWORD, add_staff, portal_database

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = str(ROOT / "portal" / "app.py")
PASSWORD = STAFF_PASSWORD
UNTIL = datetime(2026, 11, 1, tzinfo=BEIJING)
STAFF = {
    "root": (Role.ADMIN, Role.DATA_EDITOR, Role.COMPLAINT_SUPERVISOR),
    "handler": (Role.COMPLAINT_HANDLER,),
    "supervisor": (Role.COMPLAINT_SUPERVISOR,),
    "editor": (Role.DATA_EDITOR,),
}


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """Sample data generated once per test session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "portal.db"
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        portal_database(f"sqlite:///{path}", monkeypatch) as engine,
    ):  # the same secret and vault key as every test, so sealed demo data opens
        migrate.upgrade(engine)
        demo.generate(engine, size=demo.DemoSize.SMALL, with_staff=False, until=UNTIL)
    return path


@pytest.fixture
def portal_db(seeded_template, tmp_path, monkeypatch):
    path = tmp_path / "portal.db"
    shutil.copyfile(seeded_template, path)
    with portal_database(f"sqlite:///{path}", monkeypatch) as engine:
        for username, roles in STAFF.items():
            add_staff(engine, username, *roles)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield engine
        st.cache_data.clear()
        st.cache_resource.clear()


def signed_cookie_for(engine, username: str) -> str:
    with unit_of_work(engine) as session:
        user = session.exec(
            accounts.select(accounts.StaffUser).where(accounts.StaffUser.username == username)
        ).one()
        return session_cookie.sign(accounts.open_session(session, user=user).token)


RunPage = Callable[..., AppTest]


@pytest.fixture
def open_portal(portal_db, monkeypatch) -> RunPage:
    """Run the entrypoint as a browser would: language in the URL, the cookie for a staff user.

    AppTest cannot send cookies, so only the cookie transport is replaced; signing, expiry and
    the session lookup run for real.
    """

    def run(page: str | None = None, *, lang: str = "zh_CN", as_user: str | None = None) -> AppTest:
        cookie = signed_cookie_for(portal_db, as_user) if as_user else None
        monkeypatch.setattr(portal.kit.auth, "session_cookie_value", lambda: cookie)
        at = AppTest.from_file(ENTRYPOINT, default_timeout=30)
        at.query_params["lang"] = lang
        at.run()
        if page:
            at.switch_page(f"../pages/{page}")
            at.run()
        return at

    return run

"""A crash between saving a report and showing its receipt, in a real browser.

A resident fills the report form in Chromium and sends it. The portal server commits the case and
is killed (SIGKILL) before the browser has seen the answer: the test routes the page's WebSocket,
lets through only the news that the script run the click asked for has started, holds back
everything after it, and kills the server as soon as the case row is in the database (no hook in
the portal's code). The server is started again on the same port, database and secrets; the
browser reconnects by itself (Streamlit's frontend asks the new server for a run with the form's
values and the page's address, which holds the form's one-time token), and the resident sends
the form again. Exactly one case must exist, and the receipt then shown must open it on /track.
Before the token, this filed a second case.

Expected texts come from the message catalogs (portal/locales/<lang>/LC_MESSAGES/messages.po).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from google.protobuf.message import DecodeError
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, WebSocketRoute, expect
from sqlalchemy import func, select
from sqlmodel import Session
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from services.complaints.model import ComplaintCase, ComplaintEvent, ComplaintEvidence
from services.core import db, migrate
from services.core.clock import beijing, utcnow

from .conftest import compile_catalogs
from .portal_e2e import (
    CHROMIUM,
    CHROMIUM_MISSING,
    REPO,
    PortalServer,
    _free_port,
    _server_env,
    _wait_healthy,
    app_idle,
    h1,
    open_streamlit,
    stop_server,
)
from .test_complaints import (
    DISTRICT_NAME,
    GROUPED_RECEIPT,
    NUMBER,
    TYPE_SEARCH,
    ZH,
    _catalog,
    heading,
    keyed,
    markdown,
    markdown_text,
    t,
)

pytestmark = pytest.mark.e2e

DESCRIPTION = "小区北侧工地每天夜里十一点以后还在打桩，噪声很大，持续一周多，无法入睡。"
LOCATION = "观山湖区某小区北侧工地"
COMMIT_TIMEOUT_S = 30.0
RECONNECT_TIMEOUT_MS = 90_000


def text_of(lang: str, msgid: str) -> str:
    """The catalog's text, or the msgid itself where the catalog has none yet (gettext shows
    the msgid then)."""
    message = _catalog(lang).get(msgid)
    return message.string if message is not None and message.string else msgid


# --- a server that can be killed and started again on the same port and database ----------------


@dataclass
class Restartable:
    workdir: Path
    database_url: str
    env: dict[str, str]  # the same secrets on every start: receipts made before stay valid
    port: int
    server: PortalServer | None = None
    starts: int = 0

    def start(self) -> PortalServer:
        log_path = self.workdir / f"server-{self.starts}.log"
        self.starts += 1
        command = [
            str(Path(sys.executable).with_name("streamlit")), "run", "portal/server.py",
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        engine = db.make_engine(self.database_url)
        self.server = PortalServer(f"http://127.0.0.1:{self.port}", engine, process, log_path)
        try:
            _wait_healthy(self.server)
        except BaseException:
            stop_server(self.server)
            raise
        return self.server

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush; what a crash or an OOM kill does."""
        assert self.server is not None
        os.killpg(self.server.process.pid, signal.SIGKILL)
        self.server.process.wait(timeout=10)
        self.server.engine.dispose()


@pytest.fixture
def portal_server(tmp_path: Path) -> Iterator[Restartable]:
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    compile_catalogs()
    database_url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = db.make_engine(database_url)
    migrate.upgrade(engine)  # an empty portal: the report page needs no sample data
    engine.dispose()
    restartable = Restartable(tmp_path, database_url, _server_env(database_url), _free_port())
    try:
        yield restartable
    finally:
        if restartable.server is not None:
            stop_server(restartable.server)


def cases(server: Restartable) -> list[ComplaintCase]:
    engine = db.make_engine(server.database_url)
    try:
        with Session(engine) as session:
            return list(session.execute(select(ComplaintCase)).scalars())
    finally:
        engine.dispose()


def case_count(server: Restartable) -> int:
    engine = db.make_engine(server.database_url)
    try:
        with Session(engine) as session:
            return session.execute(select(func.count()).select_from(ComplaintCase)).scalar_one()
    finally:
        engine.dispose()


# --- the browser's WebSocket, with the server's frames held back on demand -----------------------


def _kind(payload: str | bytes) -> str | None:
    """The type of the ForwardMsg a frame from the server carries."""
    if not isinstance(payload, bytes):
        return None
    try:
        return ForwardMsg.FromString(payload).WhichOneof("type")
    except DecodeError:
        return None


class HeldSocket:
    """Routes the page's Streamlit WebSocket through the test.

    `hold_after_the_run_starts()`: the page still learns that the script run it asked for has
    started (the run's new_session message and the session status saying the script runs), then
    nothing more the server sends reaches it (no result, no receipt), as when the server dies
    mid-run. What the page sends, and a closed connection, still pass. Connections opened later
    pass everything.
    """

    def __init__(self, page: Page) -> None:
        # "pass" | "armed" (until the run's new_session) | "starting" (its status) | "hold"
        self.state = "pass"
        self.connections = 0
        self.runs_finished = 0
        self.page = page
        page.route_web_socket(re.compile(r"/_stcore/stream$"), self._route)

    def after(self, action: Callable[[], object]) -> None:
        """Do `action` (a widget change) and wait until the script run it caused has finished."""
        before = self.runs_finished
        action()
        deadline = time.monotonic() + 30
        while self.runs_finished == before:
            assert time.monotonic() < deadline, "no script run finished after the change"
            self.page.wait_for_timeout(10)  # Playwright runs the socket's handlers meanwhile
        app_idle(self.page)

    def hold_after_the_run_starts(self) -> None:
        self.state = "armed"

    def _route(self, ws: WebSocketRoute) -> None:
        self.connections += 1
        self.state = "pass"
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if self.state == "hold":
                return
            ws.send(message)
            kind = _kind(message)
            self.runs_finished += kind == "script_finished"
            if self.state == "armed" and kind == "new_session":
                self.state = "starting"
            elif self.state == "starting" and kind == "session_status_changed":
                self.state = "hold"

        server.on_message(to_page)
        ws.on_message(server.send)
        server.on_close(lambda code, reason: ws.close())
        ws.on_close(lambda code, reason: server.close())


def a_photo(folder: Path) -> Path:
    path = folder / "site.jpg"
    Image.new("RGB", (320, 240), (90, 120, 60)).save(path, "JPEG", quality=85)
    return path


def fill(page: Page, socket: HeldSocket, photo: Path) -> None:
    """The form, field by field, as a resident fills it (anonymous, one photo)."""
    lang = ZH

    def pick(combobox: Locator, search: str, option: str) -> None:
        combobox.click()
        combobox.press_sequentially(search)
        socket.after(page.get_by_role("option", name=option, exact=True).click)

    def type_and_leave(field: Locator, value: str) -> None:
        field.fill(value)
        field.blur()

    pick(
        keyed(page, "report_types").get_by_role("combobox"),
        TYPE_SEARCH,
        f"{t(lang, 'Air')} · {t(lang, 'Odour')}",
    )
    page.keyboard.press("Escape")
    expect(keyed(page, "report_types").get_by_text(t(lang, "Odour"))).to_be_visible()
    district = keyed(page, "report_district").get_by_role("combobox")
    pick(district, DISTRICT_NAME[lang][:2], DISTRICT_NAME[lang])
    expect(district).to_have_value(DISTRICT_NAME[lang])
    location = keyed(page, "report_location").locator("input")
    socket.after(lambda: type_and_leave(location, LOCATION))
    observed = beijing(utcnow()).date() - timedelta(days=2)
    date_field = keyed(page, "report_observed_on")

    def type_date() -> None:
        date_field.locator("[role=spinbutton][data-type=year]").click()
        page.keyboard.type(observed.strftime("%Y%m%d"))
        page.keyboard.press("Tab")
        expect(date_field.get_by_test_id("stDateInputCalendarButton")).to_be_focused()
        page.keyboard.press("Tab")

    socket.after(type_date)
    description = keyed(page, "report_description").locator("textarea")
    socket.after(lambda: type_and_leave(description, DESCRIPTION))
    uploader = keyed(page, "report_evidence_0")
    socket.after(lambda: uploader.locator("input[type=file]").set_input_files(photo))
    expect(uploader.get_by_text(photo.name)).to_be_visible()
    truthful = keyed(page, "report_truthful")
    socket.after(
        truthful.get_by_text(
            t(lang, "I confirm that this report is truthful to the best of my knowledge.")
        ).click
    )
    expect(truthful.locator("input")).to_be_checked()


def submit_button(page: Page):
    return keyed(page, "report_submit").get_by_role("button")


def test_a_crash_after_the_case_is_saved_never_files_twice_and_the_reporter_gets_a_receipt(
    context: BrowserContext, page: Page, portal_server: Restartable
) -> None:
    lang = ZH
    server = portal_server.start()
    socket = HeldSocket(page)
    title = t(lang, "Report an environmental problem")
    open_streamlit(page, server.url(f"/report?lang={lang}"), expect_h1=title)
    fill(page, socket, a_photo(portal_server.workdir))
    address = page.url  # what the browser keeps: the page's address

    # Send; the server commits the case and dies before the browser sees any of the answer.
    socket.hold_after_the_run_starts()
    submit_button(page).click()
    deadline = time.monotonic() + COMMIT_TIMEOUT_S
    while case_count(portal_server) == 0:
        assert time.monotonic() < deadline, "the case was never saved:\n" + server.log_tail()
        page.wait_for_timeout(5)  # (lets Playwright run the socket's handlers meanwhile)
    portal_server.kill()
    assert case_count(portal_server) == 1
    assert socket.state == "hold"
    expect(page.get_by_test_id("stCode")).to_have_count(0)  # no receipt reached the browser

    # The same port and database; the browser reconnects by itself and keeps what was typed.
    portal_server.start()
    description = keyed(page, "report_description").locator("textarea")
    expect(description).to_have_value(DESCRIPTION, timeout=RECONNECT_TIMEOUT_MS)
    expect(submit_button(page)).to_be_enabled(timeout=RECONNECT_TIMEOUT_MS)
    app_idle(page)
    assert socket.connections >= 2, "the page did not open a new connection"
    assert page.url == address

    # The resident sends it again: the case filed before, with a receipt that opens it. (The
    # photo the uploader still lists is gone from the new server; the case has it already.)
    submit_button(page).click()
    expect(page.get_by_text(t(lang, "Your report has been received."))).to_be_visible()
    app_idle(page)
    label = markdown_text(t(lang, "Public case number: **{number}**")).split("{number}")[0]
    number = markdown(page, label).locator("strong").inner_text().strip()
    assert NUMBER.fullmatch(number), number
    code = page.get_by_test_id("stCode")
    expect(code).to_have_text(GROUPED_RECEIPT)
    receipt = code.inner_text().strip()
    stored = cases(portal_server)
    assert len(stored) == 1, f"{len(stored)} cases filed from one form"
    assert stored[0].number == number and stored[0].description == DESCRIPTION
    notice = text_of(
        lang,
        "This form had already been sent, and the report was filed once. This is a new receipt "
        "for it: a receipt shown for this report before no longer works.",
    )
    expect(page.get_by_text(notice)).to_be_visible()
    token = parse_qs(urlsplit(address).query)["submission"][0]
    assert token not in str(stored[0].model_dump())
    engine = db.make_engine(portal_server.database_url)
    try:
        with Session(engine) as session:
            actions = session.execute(
                select(ComplaintEvent.action).where(ComplaintEvent.case_id == stored[0].id)
            ).scalars().all()  # fmt: skip
            photos = session.execute(
                select(func.count()).select_from(ComplaintEvidence)
                .where(ComplaintEvidence.case_id == stored[0].id)
            ).scalar_one()  # fmt: skip
    finally:
        engine.dispose()
    assert actions == ["file", "reissue_receipt"]
    assert photos == 1  # sent with the first filing; the second brought none

    # The receipt opens the case on /track.
    track = context.new_page()
    open_streamlit(track, server.url(f"/track?lang={lang}"), expect_h1=t(lang, "Track my report"))
    track.get_by_label(t(lang, "Receipt"), exact=True).fill(receipt)
    track.get_by_role("button", name=t(lang, "Open my report"), exact=True).click()
    expect(heading(track, number)).to_be_visible()
    expect(h1(track)).to_have_text(t(lang, "Track my report"))

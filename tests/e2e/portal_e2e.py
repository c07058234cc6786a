"""Support for the real-browser tests: the portal server, its database, and page helpers.

Imported (relatively) by conftest.py and the test modules of this package.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from google.protobuf.message import DecodeError
from playwright.sync_api import BrowserContext, Locator, Page, Response, WebSocket, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from services import demo
from services.core import accounts, audit, db, migrate
from services.core.accounts import Grant, Role
from services.core.clock import BEIJING

REPO = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "system Chromium not installed at /usr/bin/chromium; CI installs it"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = REPO / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 390, "height": 844}

SERVER_START_TIMEOUT_S = 60.0
SESSION_HOURS = 8
LOCKOUT_THRESHOLD = 5
# A fixed end of the sample period, so every run shows the same sample figures.
DEMO_UNTIL = datetime(2026, 11, 1, 8, 0, tzinfo=BEIJING)

# Expected texts (catalog: portal/locales/*/LC_MESSAGES/messages.po).
HOME_H1 = {"zh_CN": "贵阳市生态环境公众服务门户", "en": "Guiyang Eco-Environment Public Portal"}
ABOUT_H1 = {"zh_CN": "关于、隐私与计算方法", "en": "About, privacy and methods"}
STAFF_DESK_H1 = {"zh_CN": "工作台", "en": "Staff desk"}
STAFF_USERS_H1 = {"zh_CN": "工作人员账号", "en": "Staff accounts"}
STAFF_AUDIT_H1 = {"zh_CN": "审计日志", "en": "Audit log"}
LOGIN_H1 = {"zh_CN": "工作人员登录", "en": "Staff sign-in"}
LOGIN_LABELS = {
    "zh_CN": {"username": "用户名", "password": "密码", "submit": "登录"},
    "en": {"username": "Username", "password": "Password", "submit": "Sign in"},
}
LOGOUT_BUTTON = {"zh_CN": "退出登录", "en": "Sign out"}
LOGIN_FAILED = {
    "zh_CN": "用户名或密码不正确，或账号已被暂时锁定。请稍后再试或联系系统管理员。",
    "en": (
        "Username or password is incorrect, or the account is temporarily locked. "
        "Try again later or contact an administrator."
    ),
}


# --- staff accounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAccount:
    username: str
    password: str
    display_name: str
    grants: tuple[Grant, ...]


# key -> (display name, grants); each test signs in with its own account.
ACCOUNT_SPECS: dict[str, tuple[str, tuple[Grant, ...]]] = {
    "admin": ("E2E 管理员 Admin", (Grant(Role.ADMIN),)),
    "expiry": ("E2E 过期 Expiry", (Grant(Role.ADMIN),)),
    "handler": ("E2E 受理员 Handler", (Grant(Role.COMPLAINT_HANDLER),)),
    "victim": ("E2E 锁定 Lockout", (Grant(Role.ADMIN),)),
}


def _password() -> str:
    # Meets the policy: 12+ characters mixing lower, upper, digits and symbols.
    return "E2e-" + secrets.token_urlsafe(12) + "-Aa9!"


def prepare_database(url: str) -> tuple[Engine, dict[str, StaffAccount]]:
    """Migrate, add small sample data (fixed end time) and the test staff accounts."""
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    demo.generate(engine, size=demo.DemoSize.SMALL, until=DEMO_UNTIL, with_staff=False)
    created: dict[str, StaffAccount] = {}
    with db.unit_of_work(engine) as session:
        for key, (display_name, grants) in ACCOUNT_SPECS.items():
            account = StaffAccount(f"e2e.{key}", _password(), display_name, grants)
            accounts.create_user(
                session,
                actor_name="cli",
                username=account.username,
                display_name=account.display_name,
                password=account.password,
                grants=list(account.grants),
            )
            created[key] = account
    return engine, created


# --- the server --------------------------------------------------------------------------------


@dataclass
class PortalServer:
    base_url: str
    engine: Engine
    process: subprocess.Popen[bytes]
    log_path: Path
    accounts: dict[str, StaffAccount] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    # The database, read and changed directly (the server runs in another process).

    def user_id(self, username: str) -> int:
        with Session(self.engine) as session:
            user = session.exec(
                select(accounts.StaffUser).where(accounts.StaffUser.username == username)
            ).one()
            return user.id or 0

    def audit_entries(self, *, action: str, object_id: str | int) -> list[audit.AuditEntry]:
        with Session(self.engine) as session:
            return list(
                session.exec(
                    select(audit.AuditEntry)
                    .where(
                        audit.AuditEntry.action == action,
                        audit.AuditEntry.object_id == str(object_id),
                    )
                    .order_by(col(audit.AuditEntry.id))
                )
            )

    def session_row(self, cookie_value: str) -> accounts.StaffSession | None:
        """The staff_session row behind a `portal_staff` cookie value ("token.timestamp.sig")."""
        token = cookie_value.rsplit(".", 2)[0]
        digest = hashlib.sha256(token.encode()).hexdigest()
        with Session(self.engine) as session:
            return session.exec(
                select(accounts.StaffSession).where(accounts.StaffSession.token_sha256 == digest)
            ).first()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # Nothing from the developer's environment may point the server elsewhere.
    for name in list(env):
        if name.startswith(("STREAMLIT_", "PORTAL_")) or name in {"REDIS_URL", "DATABASE_URL"}:
            del env[name]
    env.update(
        {
            "DATABASE_URL": database_url,
            "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
            "PORTAL_SESSION_HOURS": str(SESSION_HOURS),
            "PORTAL_LOCKOUT_THRESHOLD": str(LOCKOUT_THRESHOLD),
            "PORTAL_LOCKOUT_MINUTES": "15",
            "PORTAL_COOKIE_SECURE": "false",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_server(workdir: Path) -> PortalServer:
    """Prepare a database in `workdir` and start `streamlit run portal/server.py` on it."""
    database_url = f"sqlite:///{workdir / 'portal.db'}"
    engine, created = prepare_database(database_url)
    env = _server_env(database_url)
    for attempt in range(3):  # a free port can be taken between choosing it and binding it
        server = _launch(engine, created, env, workdir / f"server-{attempt}.log")
        try:
            _wait_healthy(server)
            return server
        except PortTaken:
            stop_server(server, dispose=False)
        except BaseException:
            stop_server(server)
            raise
    engine.dispose()
    raise RuntimeError("could not find a free port for the portal server")


class PortTaken(RuntimeError):
    pass


def _launch(
    engine: Engine, created: dict[str, StaffAccount], env: dict[str, str], log_path: Path
) -> PortalServer:
    port = _free_port()
    command = [
        str(Path(sys.executable).with_name("streamlit")),
        "run",
        "portal/server.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    return PortalServer(f"http://127.0.0.1:{port}", engine, process, log_path, created)


def _wait_healthy(server: PortalServer) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    last_error = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            if "is not available" in server.log_tail():  # streamlit: "Port N is not available"
                raise PortTaken(server.base_url)
            raise RuntimeError(
                f"portal server exited with {server.process.returncode} while starting:\n"
                + server.log_tail()
            )
        try:
            with opener.open(server.url("/healthz"), timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code}"
        except OSError as error:
            last_error = str(error)
        time.sleep(0.2)
    raise RuntimeError(
        f"portal server not healthy after {SERVER_START_TIMEOUT_S:.0f} s ({last_error}):\n"
        + server.log_tail()
    )


def stop_server(server: PortalServer, *, dispose: bool = True) -> None:
    """Terminate the server's process group (SIGTERM, then SIGKILL after 15 s)."""
    process = server.process
    try:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
    except ProcessLookupError:
        pass
    finally:
        if dispose:
            server.engine.dispose()


# --- page helpers ------------------------------------------------------------------------------


def h1(page: Page) -> Locator:
    return page.locator("h1").first


def app_idle(page: Page) -> None:
    """Wait until the Streamlit script run behind the page has finished."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


_RUN_DONE = frozenset({ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR})


def _script_finished(payload: str | bytes) -> bool:
    """Whether a frame from the server is the ForwardMsg that ends a (whole) script run."""
    if not isinstance(payload, bytes):
        return False
    try:
        message = ForwardMsg.FromString(payload)
    except DecodeError:
        return False
    return message.WhichOneof("type") == "script_finished" and message.script_finished in _RUN_DONE


class ScriptRuns:
    """Wait for the script run a widget change causes, as the page's WebSocket reports it.

    `app_idle` right after a click or a blur can pass before the rerun has even started: the
    browser only shows the script as running once the server says so. Create this before the
    page is opened (it listens for the page's WebSockets), then wrap an interaction in `after`.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self._sockets: list[WebSocket] = []
        page.on("websocket", self._remember)

    def _remember(self, socket: WebSocket) -> None:
        self._sockets.append(socket)

    def after(self, action: Callable[[], object]) -> None:
        """Do `action` and wait until the script run it started has finished."""
        assert self._sockets, "no WebSocket yet: create ScriptRuns before opening the page"
        with self._sockets[-1].expect_event("framereceived", predicate=_script_finished):
            action()
        app_idle(self.page)


def open_streamlit(page: Page, url: str, *, expect_h1: str) -> Response | None:
    """Open a portal page, wait for its h1 and for the script run to finish."""
    response = page.goto(url)
    expect(h1(page)).to_have_text(expect_h1)
    app_idle(page)
    expect(h1(page)).to_have_text(expect_h1)
    return response


def staff_headings(page: Page) -> Locator:
    """Any heading of a staff page, in either language."""
    names = [*STAFF_DESK_H1.values(), *STAFF_USERS_H1.values(), *STAFF_AUDIT_H1.values()]
    pattern = re.compile("^(" + "|".join(re.escape(n) for n in names) + ")$")
    return page.get_by_role("heading", name=pattern)


def submit_login(
    page: Page, server: PortalServer, username: str, password: str, lang: str = "zh_CN"
) -> Response:
    """Fill in and submit the staff sign-in form; returns the HTTP response to the POST."""
    labels = LOGIN_LABELS[lang]
    page.goto(server.url(f"/staff/login?lang={lang}"))
    expect(h1(page)).to_have_text(LOGIN_H1[lang])
    page.get_by_label(labels["username"], exact=True).fill(username)
    page.get_by_label(labels["password"], exact=True).fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path == "/staff/login"
    ) as posted:
        page.get_by_role("button", name=labels["submit"], exact=True).click()
    page.wait_for_load_state()
    return posted.value


def sign_in(page: Page, server: PortalServer, account: StaffAccount, lang: str = "zh_CN") -> None:
    """Sign in through the real form and land on the staff desk."""
    response = submit_login(page, server, account.username, account.password, lang)
    assert response.status == 303, f"sign-in answered {response.status}, expected a 303 redirect"
    expect(page).to_have_url(server.url(f"/staff?lang={lang}"))
    expect(h1(page)).to_have_text(STAFF_DESK_H1[lang])
    app_idle(page)


def login_error(page: Page) -> Locator:
    return page.get_by_role("alert")


def staff_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == "portal_staff"), None)

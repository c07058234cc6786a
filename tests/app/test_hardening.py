"""The ASGI app's edges: unknown open-data paths, HSTS, the sign-in counter key, and the log.

Unknown paths are checked against the real `st.App` of portal/server.py (Streamlit's own routes
answer every path no route of ours takes with its HTML page), run in a child process because a
Streamlit runtime starts once per process.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from portal import server
from portal.kit import http, i18n
from services.core import ratelimit
from services.core.accounts import Role
from tests.app.test_complaints_pages import fill_report
from tests.app.test_server_routes import csrf_of
from tests.conftest import TEST_SECRET, TEST_VAULT_KEY, add_staff, reset_process_caches

ROOT = Path(__file__).resolve().parents[2]
HSTS = "max-age=31536000; includeSubDomains"
# unknown Open311 paths, control characters in a case number among them
OPEN311_UNKNOWN = [
    "/open311/other",
    "/open311/other.json?lang=zh_CN",
    "/open311/v2/nothing.xml",
    "/open311/v2/requests/GY-2026-1%00.json",
    "/open311/v2/requests/GY-2026-1%01.json",
    "/open311/v2/requests/GY-2026-1%1F.json",
    "/open311/v2/requests/GY-2026-1%7F.json",
]
PATHS = [
    "/api/v1/nothing",
    "/api/v1/open311/x",
    "/api/anything",
    "/api/v1/nothing?lang=zh_CN",
    "/api/v1/air/stations%00",
    *OPEN311_UNKNOWN,
    "/api/v1/air/stations",
    "/open311/v2/services.json",
    "/api/v1/openapi.json",
    "/",
    "/air",
]
# Runs the app in a fresh interpreter and prints what each path answers, as JSON.
CLIENT = """
import json, sys
from starlette.testclient import TestClient
from portal import server
from portal.kit import http, i18n
answers = {}
with TestClient(server.app, base_url="http://127.0.0.1") as client:
    for path in json.loads(sys.argv[1]):
        response = client.get(path)
        answers[path] = {"status": response.status_code, "headers": dict(response.headers),
                         "text": response.text}
print("ANSWERS" + json.dumps(answers))
"""


def served_by_the_app(tmp_path: Path, *, cookie_secure: bool) -> dict[str, dict]:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.db'}",
        PORTAL_SECRET_KEY=TEST_SECRET,
        PORTAL_VAULT_KEY=TEST_VAULT_KEY,
        PORTAL_COOKIE_SECURE="true" if cookie_secure else "false",
    )
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, json.dumps(PATHS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    line = next((x for x in done.stdout.splitlines() if x.startswith("ANSWERS")), None)
    assert line, done.stderr[-3000:]
    return json.loads(line.removeprefix("ANSWERS"))


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, dict]:
    return served_by_the_app(tmp_path_factory.mktemp("plain"), cookie_secure=False)


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/open311/x", "/api/anything", "/api/v1/air/stations%00"]
)
def test_an_unknown_api_path_is_a_plain_json_404(answers, path):
    answer = answers[path]
    assert answer["status"] == 404, answer["text"][:200]
    assert answer["headers"]["content-type"] == "application/json"
    assert answer["headers"]["cache-control"] == "no-store"
    assert set(json.loads(answer["text"])) == {"error"}


def test_the_api_404_is_translated(answers):
    english = json.loads(answers["/api/v1/nothing"]["text"])["error"]
    chinese = json.loads(answers["/api/v1/nothing?lang=zh_CN"]["text"])["error"]
    assert english == http.NO_ENDPOINT  # English by default
    assert chinese == i18n.translations("zh_CN").gettext(http.NO_ENDPOINT)
    open311 = json.loads(answers["/open311/other.json?lang=zh_CN"]["text"])[0]["description"]
    assert open311 == chinese


@pytest.mark.parametrize("path", OPEN311_UNKNOWN)
def test_an_unknown_open311_path_or_a_control_character_gets_an_open311_error(answers, path):
    answer = answers[path]
    assert answer["status"] in (400, 404), answer["text"][:200]
    assert answer["headers"]["content-type"] == "application/json"
    assert answer["headers"]["cache-control"] == "no-store"
    body = json.loads(answer["text"])
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["code"] == answer["status"] and body[0]["description"]


def test_declared_routes_and_pages_are_still_served(answers):
    assert json.loads(answers["/api/v1/air/stations"]["text"])["count"] == 10
    assert answers["/open311/v2/services.json"]["status"] == 200
    assert json.loads(answers["/api/v1/openapi.json"]["text"])["openapi"].startswith("3.")
    for page in ("/", "/air"):
        assert answers[page]["status"] == 200
        assert answers[page]["headers"]["content-type"].startswith("text/html")


def test_no_hsts_unless_the_portal_is_configured_for_https(answers):
    for path, answer in answers.items():
        assert "strict-transport-security" not in answer["headers"], path
        assert answer["headers"]["x-frame-options"] == "DENY", path


def test_every_answer_carries_hsts_behind_https(tmp_path):
    secure = served_by_the_app(tmp_path, cookie_secure=True)
    for path, answer in secure.items():
        assert answer["headers"].get("strict-transport-security") == HSTS, path


# --- in process: the middleware and the sign-in form ---------------------------------------


def client_for(*, address: str = "testclient") -> TestClient:
    app = Starlette(routes=server.routes, middleware=[Middleware(server.SecurityHeaders)])
    return TestClient(
        app, base_url="http://127.0.0.1", follow_redirects=False, client=(address, 50000)
    )


@pytest.mark.parametrize(("setting", "sent"), [("true", True), ("false", False), (None, False)])
def test_hsts_follows_the_cookie_secure_setting(engine, monkeypatch, setting, sent):
    if setting is None:
        monkeypatch.delenv("PORTAL_COOKIE_SECURE", raising=False)
    else:
        monkeypatch.setenv("PORTAL_COOKIE_SECURE", setting)
    reset_process_caches()
    with client_for() as client:
        for path in ("/healthz", "/staff/login", "/api/v1/air/stations?from=bad"):
            headers = client.get(path).headers
            assert headers.get("strict-transport-security") == (HSTS if sent else None), path


def test_the_sign_in_counter_keys_on_a_hash_of_the_address(engine, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_process_caches()
    add_staff(engine, "alice", Role.ADMIN)
    address = "203.0.113.77"
    with client_for(address=address) as client:
        form = client.get("/staff/login?lang=en")
        client.post(
            "/staff/login",
            data={"username": "alice", "password": "Wrong-password-1", "csrf": csrf_of(form)},
        )
    storage = ratelimit.limiter().storage
    keys = [str(key) for key in (*storage.events, *storage.storage)]
    assert not [key for key in keys if address in key]
    assert any(ratelimit.address_key(address) in key for key in keys)  # the attempt was counted


# --- the Streamlit side: what a page logs when its unit of work fails ------------------------


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


def test_a_failed_filing_page_logs_no_reporter_text(open_portal, portal_db, caplog, capsys):
    description = "金丝雀页面描述5521：夜里烟囱冒黑烟，整条街都是焦糊味。"
    location, target = "金丝雀页面巷5521号", "金丝雀页面化工厂5521"
    with portal_db.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_cases BEFORE INSERT ON complaint_case "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        )
    caplog.set_level(logging.DEBUG)
    records = Records()
    streamlit_log = logging.getLogger("streamlit")  # Streamlit's loggers do not propagate
    watched = [streamlit_log] + [
        logger
        for name, logger in logging.Logger.manager.loggerDict.items()
        if name.startswith("streamlit.") and isinstance(logger, logging.Logger)
    ]
    for logger in watched:
        logger.addHandler(records)
    try:
        at = fill_report(
            open_portal("complaints/complaint_file.py", lang="en"),
            description=description,
            location=location,
            target_name=target,
        )
        at.button(key="report_submit").click().run()
    finally:
        for logger in watched:
            logger.removeHandler(records)
    printed = capsys.readouterr()  # logger.enableRich: Streamlit prints the traceback itself
    logged = "\n".join([*records.lines, caplog.text, printed.out, printed.err])
    flat = re.sub(r"\s+", "", re.sub(r"\x1b\[[0-9;]*m", "", logged))  # no colours, no wrapping
    assert at.exception  # shown redacted (client.showErrorDetails), logged in full:
    assert "refused by the test" in logged
    for canary in (description, location, target):
        assert re.sub(r"\s+", "", canary) not in flat

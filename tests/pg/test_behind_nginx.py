"""The scale-out deployment of README.md ("Scale-out"): two replicas on one PostgreSQL and one
Redis behind nginx, clients told apart by the address nginx forwards.

Replica A is started as the README says (`--server.address 127.0.0.1`); replica B with
Streamlit's default bind address (`::`, where nginx's IPv4 connection arrives as
`::ffff:127.0.0.1`), to show that a mapped proxy address is recognised too. Both trust
127.0.0.1 (PORTAL_TRUSTED_PROXIES). nginx listens on three ports: both replicas with sticky
sessions (the README's configuration), and A alone and B alone, so each check can say which
replica answered. Distinct clients are distinct loopback source addresses (Linux routes all of
127.0.0.0/8 to `lo`), so nginx sees a different `$remote_addr` for each, as it would for
different machines.

Needs PostgreSQL (PORTAL_TEST_DATABASE_URL; a fresh database is created and dropped), Redis
(PORTAL_TEST_REDIS_URL) and nginx (Debian's nginx-light; `.ci/run` installs it).
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.core import accounts, db, migrate, ratelimit
from services.core.accounts import Grant, Role
from tests.conftest import TEST_VAULT_KEY, reset_process_caches
from tests.e2e.portal_e2e import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    REPO,
    PortalServer,
    _free_port,
    _server_env,
    _wait_healthy,
    stop_server,
)

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)
BROWSERS = ("127.0.0.91", "127.0.0.92")
API_LIMIT = 5  # per client a minute on the replicas (PORTAL_API_RATE_LIMIT)
ADMIN, PASSWORD = "nginx.admin", "Nginx-" + secrets.token_urlsafe(9) + "-Aa9!"

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set (CI sets it)"),
    pytest.mark.skipif(not REDIS_URL, reason="PORTAL_TEST_REDIS_URL is not set (CI sets it)"),
    pytest.mark.skipif(
        NGINX is None, reason="nginx is not installed (.ci/run installs nginx-light)"
    ),
]

# What README.md ("Scale-out") puts in front of every replica.
PROXY_HEADERS = """
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 1h;
"""


@dataclass
class Stack:
    both: str  # nginx, sticky over both replicas
    a_only: str  # nginx, replica A (bound to 127.0.0.1)
    b_only: str  # nginx, replica B (bound to ::)
    secret: str
    database_url: str
    browsers: dict[str, str]  # a machine's address -> its way in to the sticky entry


def nginx_conf(folder: Path, ports: dict) -> str:
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )

    def edge(port: int, upstream: str) -> str:
        return f"""
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://{upstream};{PROXY_HEADERS}
        }}
    }}"""

    # A browser cannot choose its source address: each of these stands in for one machine,
    # connecting to the sticky entry from its own loopback address, without forwarding headers.
    fronts = "".join(
        f"""
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{ports["both"]};
            proxy_bind {address};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
    }}"""
        for address, port in ports["browsers"].items()
    )
    return f"""
{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream portal {{
        hash $remote_addr consistent;  # sticky: a browser's WebSocket stays on one replica
        server 127.0.0.1:{ports["a"]};
        server 127.0.0.1:{ports["b"]};
    }}
    upstream replica_a {{ server 127.0.0.1:{ports["a"]}; }}
    upstream replica_b {{ server 127.0.0.1:{ports["b"]}; }}
{edge(ports["both"], "portal")}
{edge(ports["a_only"], "replica_a")}
{edge(ports["b_only"], "replica_b")}
{fronts}
}}
"""


def launch(env: dict[str, str], port: int, bind: str | None, log: Path, engine) -> PortalServer:
    command = [str(Path(sys.executable).with_name("streamlit")), "run", "portal/server.py"]
    command += ["--server.port", str(port), "--server.headless", "true"]
    if bind is not None:
        command += ["--server.address", bind]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return PortalServer(f"http://127.0.0.1:{port}", engine, process, log)


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    server = make_url(db.normalise_url(PG_URL))
    name = f"portal_nginx_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def stack(fresh_database, tmp_path_factory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("nginx")
    secret = secrets.token_urlsafe(48)  # fresh rate-limit keys in the shared Redis database
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DATABASE_URL", fresh_database)
        monkeypatch.setenv("PORTAL_SECRET_KEY", secret)
        monkeypatch.setenv("PORTAL_VAULT_KEY", TEST_VAULT_KEY)
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
        reset_process_caches()
        engine = db.get_engine()
        migrate.upgrade(engine)
        with db.unit_of_work(engine) as session:
            accounts.create_user(
                session,
                actor_name="cli",
                username=ADMIN,
                display_name="Nginx Admin",
                password=PASSWORD,
                grants=[Grant(Role.ADMIN)],
            )
        env = _server_env(fresh_database)
        env.update(
            {
                "PORTAL_SECRET_KEY": secret,
                "PORTAL_VAULT_KEY": TEST_VAULT_KEY,
                "REDIS_URL": REDIS_URL,
                "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                "PORTAL_API_RATE_LIMIT": f"{API_LIMIT}/minute",
                "PORTAL_LOGIN_DELAY_SECONDS": "0",
                "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
            }
        )
        ports: dict = {k: _free_port() for k in ("a", "b", "both", "a_only", "b_only")}
        ports["browsers"] = {address: _free_port() for address in BROWSERS}
        replicas = [
            launch(env, ports["a"], "127.0.0.1", folder / "replica-a.log", engine),
            launch(env, ports["b"], None, folder / "replica-b.log", engine),  # Streamlit's `::`
        ]
        conf = folder / "nginx.conf"
        conf.write_text(nginx_conf(folder, ports))
        proxy = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=(folder / "nginx.out").open("wb"),
            start_new_session=True,
        )
        try:
            for replica in replicas:
                _wait_healthy(replica)
            url = {k: f"http://127.0.0.1:{ports[k]}" for k in ("both", "a_only", "b_only")}
            wait_for(url["both"] + "/healthz", proxy, folder)
            browsers = {a: f"http://127.0.0.1:{p}" for a, p in ports["browsers"].items()}
            yield Stack(url["both"], url["a_only"], url["b_only"], secret, fresh_database, browsers)
        finally:
            proxy.terminate()
            proxy.wait(timeout=15)
            for replica in replicas:
                stop_server(replica, dispose=False)
            engine.dispose()
            reset_process_caches()


def wait_for(url: str, proxy: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proxy.poll() is not None:
            raise RuntimeError("nginx exited:\n" + (folder / "nginx.out").read_text())
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("nginx did not answer:\n" + (folder / "error.log").read_text())


def client_at(address: str) -> httpx.Client:
    """An HTTP client whose connections come from `address` (one machine of many)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, trust_env=False, timeout=30, follow_redirects=False)


def test_twenty_clients_each_have_their_own_open_data_budget_on_both_replicas(stack):
    """Each client sends half its requests through replica A, half through B: one budget per
    client, shared by the replicas through Redis; no client's requests use another's budget."""
    statuses: dict[str, list[int]] = {}
    for n in range(20):
        address = f"127.0.0.{20 + n}"
        with client_at(address) as client:
            answers = []
            for i in range(API_LIMIT + 1):
                base = stack.a_only if i % 2 == 0 else stack.b_only
                answers.append(client.get(base + "/open311/v2/services.json").status_code)
            statuses[address] = answers
    expected = [200] * API_LIMIT + [429]
    assert statuses == {address: expected for address in statuses}


def test_a_client_header_cannot_buy_a_fresh_budget(stack):
    with client_at("127.0.0.60") as client:
        answers = [
            client.get(
                f"{stack.b_only}/open311/v2/services.json",
                headers={"X-Forwarded-For": f"198.51.100.{n}"},  # nginx appends the real peer
            ).status_code
            for n in range(API_LIMIT + 1)
        ]
    assert answers == [200] * API_LIMIT + [429]


def sign_in(client: httpx.Client, base: str, username: str, password: str) -> int:
    form = client.get(f"{base}/staff/login?lang=en")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    data = {"username": username, "password": password, "csrf": csrf, "lang": "en"}
    return client.post(f"{base}/staff/login", data=data).status_code


def test_wrong_passwords_from_one_address_do_not_stop_another(stack):
    with client_at("127.0.0.70") as guesser:
        tried = [
            sign_in(guesser, stack.a_only if n % 2 else stack.b_only, "nobody", "Wrong-pass-1")
            for n in range(11)
        ]
    assert tried == [401] * 10 + [429]  # ten a minute per address, counted on both replicas
    for base in (stack.b_only, stack.a_only):
        with client_at("127.0.0.71") as colleague:
            assert sign_in(colleague, base, ADMIN, PASSWORD) == 303


def test_the_sticky_entry_serves_the_pages_and_keys_each_client_apart(stack):
    """Through the README's sticky configuration: the page shell, the WebSocket's endpoint, and a
    per-client budget whichever replica a client is pinned to."""
    for n in range(4):
        with client_at(f"127.0.0.{80 + n}") as client:
            assert client.get(stack.both + "/healthz").status_code == 200
            assert client.get(stack.both + "/_stcore/health").status_code == 200
            answers = [
                client.get(stack.both + "/open311/v2/services.json").status_code
                for _ in range(API_LIMIT + 1)
            ]
            assert answers == [200] * API_LIMIT + [429]


def test_counters_are_kept_per_client_in_redis(stack):
    """What the replicas counted is keyed by each client's address, never by the proxy's."""
    addresses = [f"127.0.0.{20 + n}" for n in range(20)]
    keys, clients, proxies = keys_for(stack, "*api*", addresses)
    assert all(any(client in key for key in keys) for client in clients)
    assert not [key for key in keys if any(p in key for p in proxies)]


def keys_for(stack: Stack, pattern: str, addresses) -> tuple[list[str], set[str], set[str]]:
    """Redis keys matching `pattern`, and the keys of `addresses` and of the proxy's address."""
    store = redis.Redis.from_url(REDIS_URL)
    keys = [k.decode() for k in store.scan_iter(match=pattern, count=1000)]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PORTAL_SECRET_KEY", stack.secret)
        reset_process_caches()
        clients = {ratelimit.address_key(a) for a in addresses}
        proxies = {ratelimit.address_key(a) for a in ("127.0.0.1", "::ffff:127.0.0.1")}
    reset_process_caches()
    return keys, clients, proxies


def test_pages_key_each_browser_on_its_own_address(stack):
    """Two browsers on two machines look up a wrong receipt on the tracking page (a WebSocket
    through nginx to whichever replica each is pinned to): each failure is counted under that
    machine's address, as the filing allowance is (portal/kit/visitor.py)."""
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    # In a thread of its own: the e2e modules' session-wide Playwright keeps an event loop on the
    # main thread, where the sync API refuses to start a second one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_look_up_wrong_receipts, list(stack.browsers.values())).result(timeout=300)
    keys, clients, proxies = keys_for(stack, "*receipt*", stack.browsers)
    assert all(any(client in key for key in keys) for client in clients)
    assert not [key for key in keys if any(p in key for p in proxies)]


def _look_up_wrong_receipts(entries: list[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n, entry in enumerate(entries):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{entry}/track?lang=en")
                box = page.get_by_label("Receipt", exact=True)
                box.fill(f"{n:020d}")
                page.get_by_role("button", name="Open my report", exact=True).click()
                expect(page.get_by_text("No report was found for this receipt")).to_be_visible(
                    timeout=30_000
                )
                context.close()
        finally:
            browser.close()

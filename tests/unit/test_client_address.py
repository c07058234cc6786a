"""The client behind trusted proxies: the rightmost-untrusted X-Forwarded-For rule."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError
from streamlit.runtime.context import StreamlitHeaders

from portal.kit import visitor
from services.core import ratelimit
from services.core.client_address import MAX_HOPS, client_address, parse_ip, parse_networks
from services.core.settings import Settings

PROXIES = parse_networks(["127.0.0.1", "10.0.0.0/8", "fd00::/8"])


def test_the_peer_is_the_client_when_nobody_is_trusted():
    assert client_address("127.0.0.1", ["203.0.113.9"], ()) == "127.0.0.1"
    assert client_address("198.51.100.7", ["203.0.113.9"], PROXIES) == "198.51.100.7"


def test_a_forged_header_from_an_untrusted_peer_is_ignored():
    assert client_address("198.51.100.7", ["127.0.0.1, 10.0.0.1"], PROXIES) == "198.51.100.7"


def test_a_trusted_peer_names_the_client_it_received_the_request_from():
    assert client_address("127.0.0.1", ["203.0.113.9"], PROXIES) == "203.0.113.9"
    assert client_address("127.0.0.1", ["127.0.0.2"], PROXIES) == "127.0.0.2"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    chain = ["203.0.113.9, 10.1.2.3", "10.0.0.7"]  # two headers are one list
    assert client_address("127.0.0.1", chain, PROXIES) == "203.0.113.9"


def test_leftmost_entries_written_by_the_client_are_not_believed():
    # the client sent "X-Forwarded-For: 1.1.1.1, 10.0.0.1"; nginx appended its peer
    spoofed = ["1.1.1.1, 10.0.0.1, 198.51.100.7"]
    assert client_address("127.0.0.1", spoofed, PROXIES) == "198.51.100.7"


def test_ipv4_mapped_ipv6_is_the_ipv4_address():
    # a server on `::` sees nginx on 127.0.0.1 as ::ffff:127.0.0.1
    assert client_address("::ffff:127.0.0.1", ["203.0.113.9"], PROXIES) == "203.0.113.9"
    assert client_address("127.0.0.1", ["::ffff:203.0.113.9"], PROXIES) == "203.0.113.9"
    assert client_address("::ffff:198.51.100.7", ["203.0.113.9"], ()) == "198.51.100.7"
    mapped = parse_networks(["::ffff:10.0.0.0/104"])
    assert client_address("10.9.8.7", ["203.0.113.9"], mapped) == "203.0.113.9"


def test_ipv6_addresses_and_ports_are_read_in_canonical_form():
    assert client_address("fd00::1", ["[2001:DB8:0::1]:443"], PROXIES) == "2001:db8::1"
    assert client_address("127.0.0.1", ["203.0.113.9:5123"], PROXIES) == "203.0.113.9"
    assert client_address("127.0.0.1", ["2001:db8::1"], PROXIES) == "2001:db8::1"


@pytest.mark.parametrize(
    "header",
    ["unknown", "300.1.2.3", "example.org", "1.2.3.4:port", "[2001:db8::1", "[::1]x", "\x00"],
)
def test_junk_in_the_header_never_gives_a_new_address(header):
    # junk where a proxy's entry should be: the last trusted hop (the proxy) is the client
    assert client_address("127.0.0.1", [header], PROXIES) == "127.0.0.1"
    assert client_address("127.0.0.1", [f"{header}, 10.0.0.3"], PROXIES) == "10.0.0.3"
    assert client_address("127.0.0.1", [f"203.0.113.9, {header}"], PROXIES) == "127.0.0.1"


def test_empty_entries_are_no_hops():
    assert client_address("127.0.0.1", ["", " , ,"], PROXIES) == "127.0.0.1"
    assert client_address("127.0.0.1", ["203.0.113.9, ,"], PROXIES) == "203.0.113.9"


def test_a_request_from_the_proxy_itself_is_the_proxy():
    assert client_address("127.0.0.1", [], PROXIES) == "127.0.0.1"
    assert client_address("127.0.0.1", ["10.0.0.1"], PROXIES) == "10.0.0.1"


def test_a_very_long_chain_is_not_walked_to_its_forged_start():
    chain = ["203.0.113.9, " + ", ".join(["10.0.0.1"] * (MAX_HOPS + 5))]
    assert client_address("127.0.0.1", chain, PROXIES) == "10.0.0.1"


def test_a_peer_that_is_no_address_is_kept_as_it_is():
    assert client_address("testclient", ["203.0.113.9"], PROXIES) == "testclient"
    assert client_address(None, ["203.0.113.9"], PROXIES) is None


def test_parse_ip_refuses_what_is_not_an_address():
    assert parse_ip("::ffff:192.0.2.1") == parse_ip("192.0.2.1")
    assert parse_ip(None) is None and parse_ip("nginx") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ()),
        ("127.0.0.1", ("127.0.0.1/32",)),
        (" 127.0.0.1 , 10.0.0.0/8,::1 ", ("127.0.0.1/32", "10.0.0.0/8", "::1/128")),
        ("::ffff:127.0.0.1", ("127.0.0.1/32",)),
    ],
)
def test_the_setting_lists_addresses_and_networks(monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", value)
    assert tuple(str(n) for n in Settings().trusted_proxies) == expected


def test_the_setting_trusts_nobody_by_default(monkeypatch):
    monkeypatch.delenv("PORTAL_TRUSTED_PROXIES", raising=False)
    assert Settings().trusted_proxies == ()


@pytest.mark.parametrize("value", ["*", "nginx", "10.0.0.5/8", "127.0.0.1;10.0.0.1", "[::1]"])
def test_a_setting_that_is_not_addresses_stops_the_portal(monkeypatch, value):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", value)
    with pytest.raises(ValidationError, match="PORTAL_TRUSTED_PROXIES must list IP addresses"):
        Settings()


def _page(monkeypatch, ip_address, headers):
    context = SimpleNamespace(ip_address=ip_address, headers=StreamlitHeaders(headers))
    monkeypatch.setattr(visitor, "st", SimpleNamespace(context=context, session_state={}))


@pytest.mark.parametrize(
    ("trusted", "peer", "headers", "expected"),
    [
        ("", "198.51.100.7", [("X-Forwarded-For", "203.0.113.9")], "198.51.100.7"),
        ("127.0.0.1", "::ffff:127.0.0.1", [("X-Forwarded-For", "203.0.113.9")], "203.0.113.9"),
        # Streamlit reports a loopback peer as None; the handshake's headers are still there
        ("127.0.0.1", None, [("x-forwarded-for", "1.1.1.1, 203.0.113.9")], "203.0.113.9"),
        ("::1", None, [("x-forwarded-for", "203.0.113.9")], "203.0.113.9"),
        ("", None, [("x-forwarded-for", "203.0.113.9")], "127.0.0.1"),
        ("127.0.0.1", None, [], None),  # no connection at all
    ],
)
def test_a_page_reads_the_websocket_handshake(monkeypatch, trusted, peer, headers, expected):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", trusted)
    monkeypatch.setattr(visitor, "get_settings", Settings)
    _page(monkeypatch, peer, headers)
    assert visitor.address() == expected
    assert visitor.address_key() == ratelimit.address_key(expected)


def test_a_page_session_keeps_one_random_id(monkeypatch):
    _page(monkeypatch, None, [])
    first = visitor.session_key()
    assert visitor.session_key() == first
    _page(monkeypatch, None, [])  # another browser session
    assert visitor.session_key() != first

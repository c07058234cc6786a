"""The client's address behind trusted reverse proxies (X-Forwarded-For), for rate limits.

The peer of a connection is the only address nobody can forge. When the peer is a proxy the
operator trusts (PORTAL_TRUSTED_PROXIES), the client is read from X-Forwarded-For by the usual
rightmost-untrusted rule: each proxy appends the address it received the request from, so the
header is read from the right, trusted proxies are skipped, and the first address that is not a
trusted proxy is the client. Everything to its left was written by the client and may be forged.

Addresses are compared as `ipaddress` objects; an IPv4 address mapped into IPv6
(`::ffff:127.0.0.1`, what a server listening on `::` sees for an IPv4 peer) counts as the IPv4
address. No Streamlit here: the page and the HTTP adapters live in `portal/kit/`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# A chain longer than this is not walked further (each entry is parsed): no real deployment has
# that many proxies, and the header is otherwise as long as the client makes it.
MAX_HOPS = 16


def parse_ip(value: str | None) -> IPAddress | None:
    """An address as one X-Forwarded-For entry or a socket peer may give it, else None.

    Accepts `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443` and `::ffff:1.2.3.4`
    (returned as the IPv4 address); anything else (`unknown`, names, junk) is None.
    """
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):  # [v6] or [v6]:port
        end = text.find("]")
        rest = text[end + 1 :] if end != -1 else "x"
        if end == -1 or not (rest == "" or (rest[0] == ":" and rest[1:].isdigit())):
            return None
        text = text[1:end]
    elif text.count(":") == 1:  # v4:port
        host, _, port = text.partition(":")
        if not port.isdigit():
            return None
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """IP addresses and CIDR networks (a single address is its own network); ValueError names the
    first entry that is neither."""
    networks: list[IPNetwork] = []
    for raw in values:
        text = raw.strip()
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError as error:
            raise ValueError(f"{text!r} is not an IP address or network ({error})") from None
        if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
            mapped = network.network_address.ipv4_mapped
            if mapped is not None:  # ::ffff:a.b.c.d/1xx is an IPv4 network
                network = ipaddress.IPv4Network((mapped, network.prefixlen - 96))
        networks.append(network)
    return tuple(networks)


def is_trusted(address: IPAddress | None, trusted: Iterable[IPNetwork]) -> bool:
    return address is not None and any(
        address.version == network.version and address in network for network in trusted
    )


def client_address(
    peer: str | None,
    forwarded_for: Iterable[str],
    trusted: tuple[IPNetwork, ...],
) -> str | None:
    """The client behind `peer`: `peer` itself unless it is a trusted proxy, else the rightmost
    X-Forwarded-For entry that is not a trusted proxy.

    `forwarded_for` holds the X-Forwarded-For header values in the order received (several
    headers are one comma-separated list). An address comes back in its canonical text form;
    a peer that is not an IP address (a test client, a Unix socket) comes back as it is.
    When the walk meets an entry that is not an address, or the chain is longer than MAX_HOPS,
    the last trusted hop is the client: a forged or broken header never gives a new address.
    """
    known = parse_ip(peer)
    if known is None:
        return peer or None
    if not is_trusted(known, trusted):
        return str(known)
    entries = [e for value in forwarded_for for e in value.split(",") if e.strip()]
    for entry in reversed(entries[-MAX_HOPS:]):
        hop = parse_ip(entry)
        if hop is None:
            break  # junk where a proxy's entry should be: stay with the last hop we trust
        known = hop
        if not is_trusted(hop, trusted):
            return str(hop)
    return str(known)

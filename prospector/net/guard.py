"""Address policy: which IP addresses prospector may connect to.

A crawled page can link anywhere, including to the user's own network (routers, admin
panels, cloud metadata at 169.254.169.254). Non-public addresses are refused before any
connection unless the user allows them, all at once or network by network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_network(text: str) -> IPNetwork:
    """`10.0.0.0/8`, `127.0.0.1` (a /32) or `::1`; raises ValueError with a readable message."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ValueError(f"not an IP network in CIDR form (like 10.0.0.0/8): {text!r}") from None


def classify(address: IPAddress) -> str | None:
    """The kind of non-public address this is (`loopback`, `private` …), or None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for kind, hit in checks:
        if hit:
            return kind
    return None if address.is_global else "non-public"


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def build(cls, allow_private: bool, networks: Iterable[str] = ()) -> AddressPolicy:
        return cls(allow_private, tuple(parse_network(n) for n in networks))

    def refusal(self, ip: str) -> str | None:
        """Why connecting to `ip` is refused, or None when it is allowed."""
        address = ipaddress.ip_address(ip.strip("[]"))
        plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped else address
        if any(plain in net or address in net for net in self.allowed_networks):
            return None
        kind = classify(address)
        if kind is None:
            return None
        if self.allow_private:
            return None
        return f"{ip} is a {kind} address (refused by network policy; see --allow-network)"

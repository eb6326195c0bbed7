"""The address policy, unit-tested without sending anything."""

from __future__ import annotations

import ipaddress

import pytest

from prospector.net.guard import AddressPolicy, classify, parse_network

STRICT = AddressPolicy()


@pytest.mark.parametrize("ip,kind", [
    ("10.0.0.1", "private"), ("10.255.255.254", "private"),
    ("172.16.0.1", "private"), ("172.31.255.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"),
    ("::1", "loopback"),
    ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("fe80::1", "link-local"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.1.1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "non-public"),
])
def test_non_public_addresses_are_classified(ip: str, kind: str) -> None:
    assert classify(ipaddress.ip_address(ip)) == kind
    assert STRICT.refusal(ip) == f"{ip} is a {kind} address (refused by network policy; see --allow-network)"


@pytest.mark.parametrize("ip", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(ip: str) -> None:
    assert STRICT.refusal(ip) is None


def test_allow_network_lifts_only_that_network() -> None:
    policy = AddressPolicy.build(False, ["127.0.0.1/32", "10.1.0.0/16"])
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("10.1.2.3") is None
    assert policy.refusal("127.0.0.2") is not None
    assert policy.refusal("10.2.0.1") is not None
    assert policy.refusal("::ffff:127.0.0.1") is None


def test_allow_private_networks_lifts_everything() -> None:
    policy = AddressPolicy.build(True)
    assert [policy.refusal(ip) for ip in ("10.0.0.1", "::1", "169.254.169.254")] == [None, None, None]


def test_bad_cidr_is_a_readable_error() -> None:
    with pytest.raises(ValueError, match="not an IP network in CIDR form"):
        parse_network("10.0.0.0/33")

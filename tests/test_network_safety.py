"""Network safety: a link to a host on a forbidden address gets no connection at all."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import network_args, prospector, rows

from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, page, redirect
from prospector.net.guard import AddressPolicy
from prospector.net.resolver import DnsAnswer, DnsConfig, DnsLookup, PolicyResolver


def spec() -> WebSpec:
    return WebSpec([
        Site("safe-blog.com", {"/": page("Safe", f'<p><a href="http://internal-admin.com:{PORT}/admin">admin</a> '
                                                 f'<a href="http://redirect-out.com:{PORT}/go">go</a></p>')}),
        Site("redirect-out.com", {"/go": redirect(f"http://internal-admin.com:{PORT}/admin")}),
        Site("internal-admin.com", {"/admin": page("Router admin", "secret")}, ip="127.0.0.2"),
    ])


def crawl_and_check(web: FakeWeb, db: Path, allow: str) -> None:
    prospects = db.with_suffix(".txt")
    prospects.write_text(web.url("safe-blog.com") + "\n")
    assert prospector("crawl", "--prospects", str(prospects), *network_args(web, db, allow)).returncode == 0
    assert prospector("check", *network_args(web, db, allow)).returncode == 0


def test_host_on_forbidden_address_gets_zero_connections(tmp_path: Path) -> None:
    with FakeWeb(spec(), extra_addresses=("127.0.0.2",)) as web:
        crawl_and_check(web, tmp_path / "s.sqlite", "127.0.0.1/32")
        assert web.http.connections["127.0.0.2"] == 0
        assert web.http.connections["127.0.0.1"] > 0
        reason = "internal-admin.com: 127.0.0.2 is a loopback address (refused by network policy; see --allow-network)"
        assert sorted(rows(tmp_path / "s.sqlite", "SELECT url, verdict, reason FROM checks")) == [
            (web.url("internal-admin.com", "/admin"), "blocked", reason),
            (web.url("redirect-out.com", "/go"), "blocked", reason),
        ]


def test_allowing_the_network_lets_the_check_through(tmp_path: Path) -> None:
    with FakeWeb(spec(), extra_addresses=("127.0.0.2",)) as web:
        crawl_and_check(web, tmp_path / "s.sqlite", "127.0.0.0/8")
        assert web.http.connections["127.0.0.2"] > 0
        assert sorted(rows(tmp_path / "s.sqlite", "SELECT verdict FROM checks")) == [("alive",), ("alive",)]


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.done = asyncio.Event()

    def resolutionBegan(self, resolution) -> None:  # noqa: N802
        pass

    def addressResolved(self, address) -> None:  # noqa: N802
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.done.set()


@pytest.mark.parametrize("policy,expected", [
    (AddressPolicy.build(False, ["127.0.0.1/32"]), ["127.0.0.1"]),
    (AddressPolicy.build(False), []),
    (AddressPolicy.build(True), ["127.0.0.2", "127.0.0.1", "::1"]),
])
def test_twisted_resolver_never_hands_out_a_refused_address(policy: AddressPolicy, expected: list[str]) -> None:
    lookup = DnsLookup(DnsConfig(nameserver="127.0.0.1:9"))
    lookup.cache["mixed.com"] = (DnsAnswer("mixed.com", "ok", ("127.0.0.2", "127.0.0.1", "::1")), float("inf"))
    resolver = PolicyResolver(reactor=None, lookup=lookup, policy=policy)

    async def resolve() -> list[str]:
        receiver = Receiver()
        resolver.resolveHostName(receiver, "mixed.com", 80)
        await asyncio.wait_for(receiver.done.wait(), 2)
        return receiver.addresses

    assert asyncio.run(resolve()) == expected

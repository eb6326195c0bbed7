"""DnsLookup against the fake DNS server: outcomes, retries and the per-process cache."""

from __future__ import annotations

import asyncio

import pytest

from prospector.fakeweb import FakeWeb, Site, WebSpec
from prospector.net.resolver import DnsConfig, DnsLookup, parse_nameserver


@pytest.fixture(scope="module")
def dns_web():
    spec = WebSpec([Site("ok.com"), Site("v6.org", ip="::1"), Site("flaky.com")], servfail={"sf.com"},
                   dns_timeout={"quiet.com"}, no_address={"mx-only.com"})
    with FakeWeb(spec) as web:
        yield web


def lookup_all(web: FakeWeb, *hosts: str):
    lookup = DnsLookup(DnsConfig(nameserver=web.nameserver, timeout=0.3, retries=1))

    async def run():
        return [await lookup.lookup(h) for h in hosts]

    return lookup, asyncio.run(run())


@pytest.mark.parametrize("host,outcome,addresses,detail", [
    ("ok.com", "ok", ("127.0.0.1",), ""),
    ("v6.org", "ok", ("::1",), ""),
    ("missing.com", "nxdomain", (), "domain does not exist (NXDOMAIN)"),
    ("mx-only.com", "no_address", (), "domain has no address (no A or AAAA record)"),
    ("sf.com", "error", (), "DNS server failure (SERVFAIL) after 2 tries"),
    ("quiet.com", "error", (), "DNS timeout after 2 tries"),
    ("10.1.2.3", "ok", ("10.1.2.3",), ""),
])
def test_outcomes(dns_web: FakeWeb, host, outcome, addresses, detail) -> None:
    _, [answer] = lookup_all(dns_web, host)
    assert (answer.outcome, answer.addresses, answer.detail) == (outcome, addresses, detail)


def test_answers_are_cached_per_process(dns_web: FakeWeb) -> None:
    before = dns_web.dns.queries["missing-twice.com"]
    lookup_all(dns_web, "missing-twice.com", "Missing-Twice.com", "missing-twice.com.")
    assert dns_web.dns.queries["missing-twice.com"] - before == 1  # NXDOMAIN on A: no AAAA query


def test_aaaa_is_asked_only_when_there_is_no_a_record(dns_web: FakeWeb) -> None:
    before = (dns_web.dns.queries["ok.com"], dns_web.dns.queries["v6.org"])
    lookup_all(dns_web, "ok.com", "v6.org")
    assert (dns_web.dns.queries["ok.com"] - before[0], dns_web.dns.queries["v6.org"] - before[1]) == (1, 2)


def test_a_long_lived_process_asks_again_after_a_while(dns_web: FakeWeb) -> None:
    """A cluster worker runs for days: a DNS server failure is kept 30 s, an answer 5 minutes."""
    now = [0.0]
    lookup = DnsLookup(DnsConfig(nameserver=dns_web.nameserver, timeout=0.3, retries=0), clock=lambda: now[0])
    ask = lambda: asyncio.run(lookup.lookup("flaky.com")).outcome  # noqa: E731
    dns_web.spec.servfail.add("flaky.com")
    try:
        assert ask() == "error"
    finally:
        dns_web.spec.servfail.discard("flaky.com")  # the DNS server is back
    now[0] = 29.0
    assert ask() == "error"  # still the kept failure
    now[0] = 31.0
    assert ask() == "ok"
    queries = dns_web.dns.queries["flaky.com"]
    now[0] = 31.0 + 299
    assert (ask(), dns_web.dns.queries["flaky.com"]) == ("ok", queries)  # the answer is kept
    now[0] = 31.0 + 301
    assert (ask(), dns_web.dns.queries["flaky.com"]) == ("ok", queries + 1)


@pytest.mark.parametrize("text,expected", [
    ("1.1.1.1", ("1.1.1.1", 53)), ("127.0.0.1:5353", ("127.0.0.1", 5353)), ("[::1]:5300", ("::1", 5300)),
    ("::1", ("::1", 53)),
])
def test_parse_nameserver(text, expected) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["dns.google", "1.1.1.1:0", "1.1.1.1:http"])
def test_bad_nameserver(text) -> None:
    with pytest.raises(ValueError):
        parse_nameserver(text)

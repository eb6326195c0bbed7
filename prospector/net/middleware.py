"""Downloader middleware: look every request's host up first, and refuse what policy forbids.

Running the lookup here (rather than only inside Twisted's connection code) is what lets the
check stage tell NXDOMAIN from "no address" from a server failure: the failure reaches the
request's errback as a DnsFailure or AddressRefused carrying the details. Redirect targets
pass through here too, so a redirect to 10.0.0.1 is refused like a link to it.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.utils.httpobj import urlparse_cached

from prospector import stat_keys
from prospector.net.guard import AddressPolicy
from prospector.net.resolver import (
    OK,
    AddressRefused,
    DnsFailure,
    DnsLookup,
    dns_config_from_settings,
    policy_from_settings,
)


class NetworkGuardMiddleware:
    def __init__(self, lookup: DnsLookup, policy: AddressPolicy, stats: Any):
        self.lookup = lookup
        self.policy = policy
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> NetworkGuardMiddleware:
        return cls(
            DnsLookup.shared(dns_config_from_settings(crawler.settings)),
            policy_from_settings(crawler.settings),
            crawler.stats,
        )

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        answer = await self.lookup.lookup(host)
        if answer.outcome != OK:
            self.stats.inc_value(stat_keys.dns(answer.outcome))
            raise DnsFailure(answer)
        refusals = [self.policy.refusal(ip) for ip in answer.addresses]
        if all(refusals):
            self.stats.inc_value(stat_keys.ADDRESS_REFUSED)
            raise AddressRefused(host, refusals[0] or "")
        return None

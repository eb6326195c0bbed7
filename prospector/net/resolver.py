"""DNS with dnspython, shared by prospector's middleware and Scrapy's own connections.

`DnsLookup` answers "what happened when we looked this name up" (addresses, NXDOMAIN, no
address, server failure) and caches the answer for the process. `PolicyResolver` is installed
as Scrapy's TWISTED_DNS_RESOLVER, so every connection Scrapy opens resolves through the same
nameserver and cache, and never receives an address the AddressPolicy refuses.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import dns.asyncresolver
import dns.exception
import dns.resolver
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer

from prospector.net.guard import AddressPolicy

OK, NXDOMAIN, NO_ADDRESS, ERROR = "ok", "nxdomain", "no_address", "error"


@dataclass(frozen=True)
class DnsAnswer:
    host: str
    outcome: str  # ok, nxdomain, no_address, error
    addresses: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class DnsConfig:
    nameserver: str | None = None  # "HOST" or "HOST:PORT"; None: the system's resolv.conf
    timeout: float = 5.0
    retries: int = 2


def parse_nameserver(text: str) -> tuple[str, int]:
    """`1.1.1.1`, `127.0.0.1:5353`, `[::1]:5353` -> (address, port)."""
    text = text.strip()
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    ipaddress.ip_address(host)  # raises ValueError for a name: a nameserver must be an address
    if not 0 < port < 65536:
        raise ValueError(f"port out of range: {port}")
    return host, port


# How long an answer is kept (seconds): a long-lived process (a cluster worker) asks again
# after that, and a failure of the DNS server itself is kept only briefly.
KEEP_ANSWER_S = 300.0
KEEP_FAILURE_S = 30.0


class DnsLookup:
    """Cached, de-duplicated lookups; one instance per configuration per process."""

    _shared: dict[DnsConfig, DnsLookup] = {}

    def __init__(self, config: DnsConfig, clock: Callable[[], float] = time.monotonic):
        self.config = config
        self.clock = clock
        address = parse_nameserver(config.nameserver) if config.nameserver else None
        self.resolver = dns.asyncresolver.Resolver(configure=address is None)
        if address:
            self.resolver.nameservers = [address[0]]
            self.resolver.port = address[1]
        self.resolver.timeout = config.timeout
        self.resolver.lifetime = config.timeout
        self.cache: dict[str, tuple[DnsAnswer, float]] = {}  # host -> (answer, kept until)
        self._pending: dict[str, asyncio.Future[DnsAnswer]] = {}

    @classmethod
    def shared(cls, config: DnsConfig) -> DnsLookup:
        if config not in cls._shared:
            cls._shared[config] = cls(config)
        return cls._shared[config]

    async def lookup(self, host: str) -> DnsAnswer:
        host = host.lower().rstrip(".").strip("[]")
        kept = self.cache.get(host)
        if kept is not None and self.clock() < kept[1]:
            return kept[0]
        literal = _ip_literal(host)
        if literal:
            return DnsAnswer(host, OK, (literal,))
        if host in self._pending:
            return await asyncio.shield(self._pending[host])
        future: asyncio.Future[DnsAnswer] = asyncio.get_running_loop().create_future()
        self._pending[host] = future
        try:
            answer = await self._resolve(host)
            keep = KEEP_FAILURE_S if answer.outcome == ERROR else KEEP_ANSWER_S
            self.cache[host] = (answer, self.clock() + keep)
            future.set_result(answer)
            return answer
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            del self._pending[host]

    async def _resolve(self, host: str) -> DnsAnswer:
        tries = 1 + max(0, self.config.retries)
        problem = ""
        for _ in range(tries):
            try:
                return await self._query(host)
            except dns.resolver.NoNameservers:
                problem = "DNS server failure (SERVFAIL)"
            except dns.exception.Timeout:
                problem = "DNS timeout"
        return DnsAnswer(host, ERROR, (), f"{problem} after {tries} tries")

    async def _query(self, host: str) -> DnsAnswer:
        """A first; AAAA only for names without an A record (most have one: half the queries)."""
        try:
            addresses = await self._addresses(host, "A") or await self._addresses(host, "AAAA")
        except dns.resolver.NXDOMAIN:
            return DnsAnswer(host, NXDOMAIN, (), "domain does not exist (NXDOMAIN)")
        if addresses:
            return DnsAnswer(host, OK, tuple(addresses))
        return DnsAnswer(host, NO_ADDRESS, (), "domain has no address (no A or AAAA record)")

    async def _addresses(self, host: str, rdtype: str) -> list[str]:
        try:
            answer = await self.resolver.resolve(host, rdtype, search=False)
        except dns.resolver.NoAnswer:
            return []
        return [r.address for r in answer]


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class DnsFailure(Exception):
    """A lookup that did not give a usable address: NXDOMAIN, no address, server failure."""

    def __init__(self, answer: DnsAnswer):
        super().__init__(f"{answer.host}: {answer.detail}")
        self.answer = answer


class AddressRefused(Exception):
    """Every address of a host is one the AddressPolicy refuses."""

    def __init__(self, host: str, reason: str):
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


def dns_config_from_settings(settings: Any) -> DnsConfig:
    return DnsConfig(
        nameserver=settings.get("PROSPECTOR_NAMESERVER") or None,
        timeout=settings.getfloat("PROSPECTOR_DNS_TIMEOUT", 5.0),
        retries=settings.getint("PROSPECTOR_DNS_RETRIES", 2),
    )


def policy_from_settings(settings: Any) -> AddressPolicy:
    return AddressPolicy.build(
        settings.getbool("PROSPECTOR_ALLOW_PRIVATE_NETWORKS"),
        settings.getlist("PROSPECTOR_ALLOWED_NETWORKS"),
    )


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IHostnameResolver)
class PolicyResolver:
    """Scrapy's TWISTED_DNS_RESOLVER: dnspython lookups, filtered by the AddressPolicy.

    A refused or failed name resolves to no address at all, so Twisted fails the connection
    before a single packet is sent to the host.
    """

    def __init__(self, reactor: Any, lookup: DnsLookup, policy: AddressPolicy):
        self.reactor = reactor
        self.lookup = lookup
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PolicyResolver:
        return cls(
            reactor,
            DnsLookup.shared(dns_config_from_settings(crawler.settings)),
            policy_from_settings(crawler.settings),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(  # noqa: N802 (Twisted's interface)
        self,
        resolutionReceiver: IResolutionReceiver,  # noqa: N803
        hostName: str,  # noqa: N803
        portNumber: int = 0,  # noqa: N803
        addressTypes: Any = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> IHostResolution:
        resolution = _Resolution(hostName)
        receiver: Any = resolutionReceiver  # a zope interface: its methods take no self
        receiver.resolutionBegan(resolution)
        wanted = set(addressTypes) if addressTypes else {IPv4Address, IPv6Address}

        def deliver(task: asyncio.Future[DnsAnswer]) -> None:
            answer = None if task.cancelled() or task.exception() else task.result()
            for ip in answer.addresses if answer else ():
                if self.policy.refusal(ip):
                    continue
                if ":" in ip and IPv6Address in wanted:
                    receiver.addressResolved(IPv6Address("TCP", ip, portNumber))
                elif ":" not in ip and IPv4Address in wanted:
                    receiver.addressResolved(IPv4Address("TCP", ip, portNumber))
            receiver.resolutionComplete()

        asyncio.ensure_future(self.lookup.lookup(hostName)).add_done_callback(deliver)
        return cast(IHostResolution, resolution)

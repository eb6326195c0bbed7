"""The fake web: a DNS server and a virtual-host HTTP server on loopback, serving a WebSpec.

Used by the tests, `prospector demo` and the benchmarks; nothing here talks to any address
outside 127.0.0.0/8.
"""

from __future__ import annotations

from prospector.fakeweb.dns import FakeDnsServer
from prospector.fakeweb.http import FakeHttpServer
from prospector.fakeweb.spec import PORT, Resource, Site, WebSpec, missing, page, redirect

__all__ = ["FakeWeb", "PORT", "Resource", "Site", "WebSpec", "missing", "page", "redirect"]


class FakeWeb:
    """Start with `with FakeWeb(spec) as web:`; `web.url(host, path)` gives a served URL and
    `web.nameserver` the `HOST:PORT` to give prospector's --nameserver."""

    def __init__(self, spec: WebSpec, extra_addresses: tuple[str, ...] = ()):
        self.spec = spec
        self.dns = FakeDnsServer(spec)
        self.http = FakeHttpServer(spec, ("127.0.0.1", *extra_addresses))

    def start(self) -> FakeWeb:
        self.dns.start()
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()
        self.dns.stop()

    def __enter__(self) -> FakeWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self.http.port

    @property
    def nameserver(self) -> str:
        return f"{self.dns.host}:{self.dns.port}"

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

"""The fake web: a DNS server and a virtual-host HTTP server on loopback, serving a WebSpec.

Used by the tests, `prospector demo` and the benchmarks; nothing here talks to any address
outside 127.0.0.0/8.
"""

from __future__ import annotations

from prospector.fakeweb.dns import FakeDnsServer
from prospector.fakeweb.http import FakeHttpServer
from prospector.fakeweb.spec import (
    OLD_TLS_PORT,
    PORT,
    TLS_PORT,
    Resource,
    Site,
    WebSpec,
    fill_port,
    missing,
    page,
    redirect,
)

__all__ = ["FakeWeb", "OLD_TLS_PORT", "PORT", "TLS_PORT", "Resource", "Site", "WebSpec", "missing", "page",
           "redirect"]


class FakeWeb:
    """Start with `with FakeWeb(spec) as web:`; `web.url(host, path)` gives a served URL and
    `web.nameserver` the `HOST:PORT` to give prospector's --nameserver."""

    def __init__(self, spec: WebSpec, extra_addresses: tuple[str, ...] = (), http_port: int = 0,
                 dns_port: int = 0):
        self.spec = spec
        self.dns = FakeDnsServer(spec, port=dns_port)
        self.http = FakeHttpServer(spec, ("127.0.0.1", *extra_addresses), port=http_port)

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

    def url(self, host: str, path: str = "/", https: bool = False) -> str:
        if https:
            placeholder = OLD_TLS_PORT if self.spec.tls.get(host) == "old_tls" else TLS_PORT
            return fill_port(f"https://{host}:{placeholder}{path}", self.port, self.http.tls_ports)
        return fill_port(f"http://{host}:{PORT}{path}", self.port)

    def ca_pem(self) -> bytes:
        """The test CA that issued the HTTPS sites' certificates (for --ca-bundle)."""
        assert self.http.authority is not None, "the spec has no HTTPS sites"
        return self.http.authority.ca_pem()

"""A declarative description of a small web: sites, pages and how each one behaves.

Bodies and redirect targets may contain `%PORT%`, replaced by the HTTP server's real port
when served, so pages can link to each other with full URLs (`http://host.com:%PORT%/x`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PORT = "%PORT%"
TLS_PORT = "%TLSPORT%"  # the HTTPS listener's port, for sites in WebSpec.tls
OLD_TLS_PORT = "%OLDTLSPORT%"  # the listener that speaks only TLS 1.0 (sites of kind old_tls)


def fill_port(text: str, port: int, tls_ports: dict[str, int] | None = None) -> str:
    """Put the server's port where `%PORT%` stands; on port 80 drop `:%PORT%` altogether, so
    URLs look exactly like the real web's (`http://example.com/x`). `tls_ports` likewise for
    the HTTPS placeholders (`%TLSPORT%`, `%OLDTLSPORT%`)."""
    for placeholder, number in (tls_ports or {}).items():
        text = text.replace(f":{placeholder}", "" if number == 443 else f":{number}").replace(placeholder, str(number))
    return text.replace(f":{PORT}", "" if port == 80 else f":{port}").replace(PORT, str(port))


@dataclass
class Resource:
    status: int = 200
    body: str | bytes = ""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    head_status: int | None = None  # HEAD answered with this instead (405, 403 …)
    statuses: tuple[int, ...] = ()  # the first answers, in order, before `status` (429, 200)
    location: str | None = None  # Location header, for redirects
    delay: float = 0.0  # seconds before answering
    block_robots: bool = False  # 403 to any User-Agent that names itself a bot or checker
    reset: bool = False  # close the connection without an answer
    size: int = 0  # pad the body to this many bytes (huge-page tests)
    gzip: bool = False  # serve the body gzip-compressed (after %PORT% is filled in): a .gz file


def page(title: str, body_html: str, head: str = "") -> Resource:
    """An HTML page with a title and body."""
    return Resource(body=f"<!doctype html><html><head><title>{title}</title>{head}</head>"
                         f"<body>{body_html}</body></html>")


def redirect(location: str, status: int = 301) -> Resource:
    return Resource(status=status, location=location, body="")


def missing(status: int = 404) -> Resource:
    return Resource(status=status, body=f"<html><head><title>{status}</title></head>"
                                        f"<body><h1>{status}</h1></body></html>")


@dataclass
class Site:
    host: str
    pages: dict[str, Resource] = field(default_factory=dict)
    robots: str | None = None  # robots.txt body; None: 404
    ip: str = "127.0.0.1"  # what the fake DNS answers for this host

    def resource(self, path: str) -> Resource:
        if path == "/robots.txt" and self.robots is not None:
            return Resource(body=self.robots, content_type="text/plain")
        return self.pages.get(path) or self.pages.get(path.split("?", 1)[0]) or missing()


@dataclass
class WebSpec:
    sites: list[Site] = field(default_factory=list)
    servfail: set[str] = field(default_factory=set)  # names the DNS answers SERVFAIL for
    dns_timeout: set[str] = field(default_factory=set)  # names whose queries are dropped
    no_address: set[str] = field(default_factory=set)  # names that exist but have no A/AAAA
    addresses: dict[str, str] = field(default_factory=dict)  # extra name -> IP, no site
    tls: dict[str, str] = field(default_factory=dict)  # host -> certificate case (fakeweb/tls.py)

    def __post_init__(self) -> None:
        self._by_host = {s.host: s for s in self.sites}

    def add(self, site: Site) -> Site:
        self.sites.append(site)
        self._by_host[site.host] = site
        return site

    def site(self, host: str) -> Site | None:
        return self._by_host.get(host.lower())

    def address_of(self, name: str) -> str | None:
        site = self.site(name)
        return site.ip if site else self.addresses.get(name)

    def exists(self, name: str) -> bool:
        return name in self.no_address or self.address_of(name) is not None

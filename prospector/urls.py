"""URL normalisation and registered domains (what decides internal vs outbound)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import tldextract
from w3lib.url import safe_url_string

# The bundled public suffix list only: nothing is fetched at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters that need percent-encoding (or IDNA) first; most hrefs have none, and skipping
# w3lib's safe_url_string for them is most of the cost of normalising.
_NEEDS_ENCODING = re.compile(r"[^\x21-\x7e]|[<>\"{}|\\^`]|%(?![0-9A-Fa-f]{2})")
SKIPPED_SCHEMES = {"javascript", "tel", "data", "sms", "callto", "about", "file", "ftp", "blob"}


class InvalidUrl(ValueError):
    """An href that cannot be a web address."""


def normalise(href: str, base: str | None = None) -> str:
    """Absolute, canonical form of a web URL: fragment dropped, scheme and host lower-cased,
    default port dropped, path percent-encoded; the query is kept as written.

    Raises InvalidUrl for anything that is not an http(s) URL with a host.
    """
    href = href.strip()
    if not href:
        raise InvalidUrl("empty href")
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(safe_url_string(absolute) if _NEEDS_ENCODING.search(absolute) else absolute)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"malformed URL {href!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidUrl(f"not a web URL ({scheme or 'no scheme'}): {href!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidUrl(f"no host in {href!r}")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")  # RFC 3986: fb-messenger: is one too


def scheme_of(href: str) -> str:
    found = _SCHEME.match(href.strip())
    return found.group(1).lower() if found else ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str:
    """`blog.example.co.uk` -> `example.co.uk`; an IP address or bare name stays as it is."""
    host = host.lower().rstrip(".")
    result = _EXTRACT(host)
    return result.top_domain_under_public_suffix or host


def same_site(url: str, domain: str) -> bool:
    """True when `url` is on the registered domain `domain` (any subdomain): not outbound."""
    return registered_domain(host_of(url)) == domain


def on_site(url: str, host: str) -> bool:
    """Whether `url` is on `host` or one of its subdomains (`host` as given: blog.example.com
    takes in only that blog, where same_site would take in all of example.com)."""
    found = (urlsplit(url).hostname or "").lower().rstrip(".")
    return found == host or found.endswith("." + host)


def in_scope(url: str, domain: str, path_prefix: str = "") -> bool:
    """True when the crawl of a prospect may follow `url`: same site and, if the prospect
    was limited to a path, under that path."""
    return same_site(url, domain) and urlsplit(url).path.startswith(path_prefix or "/")

"""Sitemaps, parsed: a urlset or a sitemap index, gzipped or not. Pure; the spider that reads
the user's own site with it is `prospector.crawl.own_site.OwnSiteSpider`.

Parsing is Scrapy's (`scrapy.utils.sitemap`, `scrapy.utils.gz`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
MAX_SITEMAPS = 50_000  # the most an index may list (sitemaps.org): beyond it, a generated trap
GZIP_MAGIC = b"\x1f\x8b"


class SitemapError(ValueError):
    """A sitemap that cannot be used."""


@dataclass(frozen=True)
class SitemapDoc:
    kind: str  # urlset or sitemapindex
    entries: list[dict[str, Any]]  # {"loc": …, "lastmod": …}


def parse_sitemap(body: bytes) -> SitemapDoc:
    """Parse a sitemap or sitemap index, gzipped or not. Malformed XML is an error rather than
    a partial list: a half-read sitemap would silently drop pages from the inventory."""
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=SITEMAP_MAX_BYTES)
        except (OSError, ValueError, EOFError) as exc:
            raise SitemapError(f"not a valid gzip file ({exc})") from None
    try:
        lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except lxml.etree.XMLSyntaxError as exc:
        raise SitemapError(f"malformed XML ({exc})") from None
    sitemap = Sitemap(body)
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise SitemapError(f"not a sitemap (root element <{sitemap.type}>)")
    return SitemapDoc(sitemap.type, [dict(e) for e in sitemap if e.get("loc")])


def is_local(source: str) -> bool:
    return "://" not in source and Path(source).exists()

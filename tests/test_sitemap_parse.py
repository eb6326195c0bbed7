from __future__ import annotations

import gzip

import pytest

from prospector.crawl.content import read_own_page
from prospector.crawl.sitemap import SitemapError, parse_sitemap

URLSET = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc>https://me.com/a</loc><lastmod>2026-01-02</lastmod></url><url><loc>https://me.com/b</loc></url>"
          b"</urlset>")
INDEX = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         b"<sitemap><loc>https://me.com/s1.xml</loc></sitemap></sitemapindex>")


def test_urlset_with_lastmod() -> None:
    doc = parse_sitemap(URLSET)
    assert (doc.kind, [(e["loc"], e.get("lastmod")) for e in doc.entries]) == (
        "urlset", [("https://me.com/a", "2026-01-02"), ("https://me.com/b", None)])


def test_index_and_gzip() -> None:
    doc = parse_sitemap(gzip.compress(INDEX))
    assert (doc.kind, [e["loc"] for e in doc.entries]) == ("sitemapindex", ["https://me.com/s1.xml"])


@pytest.mark.parametrize("body,message", [
    (URLSET[:-20], "malformed XML"),
    (b"<html><body>Not found</body></html>", "not a sitemap (root element <html>)"),
    (b"\x1f\x8b\x08garbage", "not a valid gzip file"),
    (b"", "malformed XML"),
])
def test_unusable_sitemaps_raise_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(SitemapError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_sitemap(body)


def test_entities_are_not_expanded() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://me.com/&x;</loc></url></urlset>')
    doc = parse_sitemap(evil)
    assert "root:" not in str(doc.entries)


def test_own_page_content_skips_boilerplate() -> None:
    html = """<html><head><title>Pricing | Me</title><meta name="description" content="Plans and prices.">
      </head><body><nav>Home Blog</nav><main><h1>Pricing</h1><h2>Plans</h2><p>From 9 euros.</p>
      <aside>Sidebar ad</aside></main><footer>Imprint</footer></body></html>"""
    page = read_own_page(html)
    assert (page.title, page.description, page.headings, page.text) == (
        "Pricing | Me", "Plans and prices.", "Pricing\nPlans", "Pricing Plans From 9 euros.")

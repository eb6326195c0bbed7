"""The user's own site as an inventory: pages from sitemaps (index, gzip, robots.txt
`Sitemap:` lines, a local file) or a CSV, each page fetched once for its title, description,
headings and text, and fetched again only when its `lastmod` changes (or with --refresh).

Parsing is `prospector.crawl.sitemap`'s; fetching goes through the same resolver and network
guard as every other request.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from prospector import settings as project_settings
from prospector import stat_keys
from prospector.crawl.base import StoreSpider
from prospector.crawl.content import read_own_page
from prospector.crawl.sitemap import MAX_SITEMAPS, SitemapError, is_local, parse_sitemap
from prospector.inputs import InputFileError, read_own_pages
from prospector.items import OwnPage, OwnPageFetch
from prospector.net.failures import describe_failure, request_of
from prospector.urls import InvalidUrl, host_of, normalise, registered_domain, same_site

logger = logging.getLogger(__name__)


class OwnSiteSpider(StoreSpider):
    name = "own_site"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_ITEMS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "DOWNLOADER_MIDDLEWARES": {
            **project_settings.DOWNLOADER_MIDDLEWARES,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        },
    }

    def __init__(self, sitemap: str = "", pages: str = "", refresh: bool | str = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.sitemap = sitemap
        self.pages_file = pages
        self.refresh = str(refresh).lower() in ("1", "true", "yes")
        self.domain = ""
        self.listed: set[str] = set()
        self.sitemaps_seen: set[str] = set()

    def closed(self, reason: str) -> None:
        dropped = self.crawler.stats.get_value(stat_keys.OWN_PAGES_OFF_SITE, 0)
        if dropped:
            self._problem(self.sitemap or self.pages_file, f"{dropped} URLs not on {self.domain} dropped")
        super().closed(reason)

    async def start(self) -> AsyncIterator[Request]:
        self.store.start_inventory()
        if self.pages_file:
            for request in self._from_csv():
                yield request
        if not self.sitemap:
            return
        if is_local(self.sitemap):
            body = Path(self.sitemap).read_bytes()
            for request in self._read_sitemap(body, self.sitemap):
                yield request
            return
        try:
            url = normalise(self.sitemap if "://" in self.sitemap else "https://" + self.sitemap)
        except InvalidUrl as exc:
            self._sitemap_error(self.sitemap, str(exc))
            return
        self.domain = registered_domain(host_of(url))
        path = urlsplit(url).path.lower()
        if path.endswith((".xml", ".xml.gz", ".gz")) or "sitemap" in path:
            for request in self._sitemap_requests(url):
                yield request
        else:  # a site: its robots.txt names the sitemaps
            yield Request(urljoin(url, "/robots.txt"), callback=self.parse_robots,
                          errback=self.robots_failed, dont_filter=True)

    def _from_csv(self) -> Iterator[Request]:
        try:
            pages, problems = read_own_pages(self.pages_file)
        except InputFileError as exc:
            self._sitemap_error(self.pages_file, str(exc))
            return
        for problem in problems:
            self._problem(problem.source, problem.message)
        if pages:
            self.domain = self.domain or registered_domain(host_of(pages[0].url))
        for page in pages:
            yield from self._list(page)

    def _sitemap_requests(self, url: str, source: str = "") -> Iterator[Request]:
        """A request for a sitemap not read yet: an index that lists itself, or two that list
        each other, are read once (dont_filter, so Scrapy's dupefilter would not stop them)."""
        if url in self.sitemaps_seen:
            self._problem(source or url, f"sitemap {url} already read (a sitemap index loop); skipped")
            return
        if len(self.sitemaps_seen) >= MAX_SITEMAPS:
            self._problem(source or url, f"more than {MAX_SITEMAPS} sitemaps; {url} skipped")
            return
        self.sitemaps_seen.add(url)
        yield Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed, dont_filter=True)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        urls = list(sitemap_urls_from_robots(response.text if isinstance(response, TextResponse) else "",
                                             base_url=response.url))
        if not urls:
            self._problem(response.url, "no Sitemap: line in robots.txt; trying /sitemap.xml")
            urls = [response.urljoin("/sitemap.xml")]
        for url in urls:
            yield from self._sitemap_requests(url, response.url)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        self._problem(request_of(failure).url, f"{describe_failure(failure)}; trying /sitemap.xml")
        yield from self._sitemap_requests(request_of(failure).url.replace("/robots.txt", "/sitemap.xml"))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            self._sitemap_error(response.url, f"HTTP {response.status}")
            return
        yield from self._read_sitemap(response.body, response.url)

    def sitemap_failed(self, failure: Failure) -> None:
        self._sitemap_error(request_of(failure).url, describe_failure(failure))

    def _read_sitemap(self, body: bytes, source: str) -> Iterator[Request]:
        try:
            doc = parse_sitemap(body)
        except SitemapError as exc:
            self._sitemap_error(source, str(exc))
            return
        self.crawler.stats.inc_value(stat_keys.SITEMAPS_READ)
        for entry in doc.entries:
            try:
                url = normalise(entry["loc"])
            except InvalidUrl as exc:
                self._problem(source, f"skipped entry: {exc}")
                continue
            if not self.domain:
                self.domain = registered_domain(host_of(url))
            if doc.kind == "sitemapindex":
                if same_site(url, self.domain):
                    yield from self._sitemap_requests(url, source)
                else:
                    self._problem(source, f"child sitemap not on {self.domain} skipped: {url}")
                continue
            yield from self._list(OwnPage(url=url, lastmod=str(entry.get("lastmod") or "")))

    def _list(self, page: OwnPage) -> Iterator[Request]:
        if not same_site(page.url, self.domain):
            self.crawler.stats.inc_value(stat_keys.OWN_PAGES_OFF_SITE)
            return
        if page.url in self.listed:
            return
        self.listed.add(page.url)
        self.crawler.stats.inc_value(stat_keys.OWN_PAGES_LISTED)
        if self.store.list_own_page(page) or self.refresh:
            self.crawler.stats.inc_value(stat_keys.OWN_PAGES_TO_FETCH)
            yield Request(page.url, callback=self.parse_page, errback=self.page_failed,
                          meta={"own_page": page}, dont_filter=True)

    def parse_page(self, response: Response) -> Iterator[Any]:
        listed: OwnPage = response.meta["own_page"]
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if not isinstance(response, TextResponse) or "html" not in (content_type or "text/html"):
            yield OwnPageFetch(listed, response.status, f"not HTML ({content_type})")
            return
        content = read_own_page(response.text)
        yield OwnPageFetch(OwnPage(url=listed.url, title=content.title, description=content.description,
                                   headings=content.headings, text=content.text, lastmod=listed.lastmod),
                           response.status)

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        response = getattr(failure.value, "response", None)
        message = describe_failure(failure)
        self._problem(request_of(failure).url, message)
        yield OwnPageFetch(request_of(failure).meta["own_page"],
                           response.status if response is not None else None, message)

    def _sitemap_error(self, source: str, message: str) -> None:
        self.crawler.stats.inc_value(stat_keys.SITEMAP_ERRORS)
        self._problem(source, message, level=logging.ERROR)

    def _problem(self, source: str, message: str, level: int = logging.WARNING) -> None:
        self.store.add_problem("match", source, message)
        logger.log(level, "%s: %s", source, message)

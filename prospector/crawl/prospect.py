"""ProspectSpider: crawl each prospect site within its bounds and store its outbound links.

Bounds per prospect: its registered domain (subdomains included) and optional path prefix,
`max_pages` fetched pages and `max_depth` clicks from the start URL; robots.txt is obeyed by
Scrapy's RobotsTxtMiddleware. Resuming: what the store already holds is not fetched again;
the crawl goes on from the stored frontier (links found but not yet visited).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from prospector import settings as project_settings
from prospector.crawl.base import StoreSpider
from prospector.crawl.extract import extract_page
from prospector.crawl.failures import describe_failure
from prospector.inputs import InputFileError, read_prospects
from prospector.items import PageItem, Prospect
from prospector.store import Store
from prospector.urls import in_scope

logger = logging.getLogger(__name__)

CONTACT_HINTS = ("contact", "about", "write-for-us", "author")


@dataclass
class ProspectCrawl:
    """The bounds and progress of one prospect's crawl in this run."""

    prospect: Prospect
    max_depth: int
    budget: int  # page fetches still allowed
    visited: set[str]
    pending: deque[tuple[str, int]] = field(default_factory=deque)
    in_flight: int = 0


def load_prospects(store: Store, path: str) -> tuple[list[int], list[str]]:
    """Read a prospect list into the store; return the ids read and one line per bad row."""
    prospects, problems = read_prospects(path)
    messages = [str(p) for p in problems]
    for problem in problems:
        store.add_problem("crawl", problem.source, problem.message)
    return [store.upsert_prospect(p) for p in prospects], messages


class ProspectSpider(StoreSpider):
    name = "prospects"
    url_length_limit = 2083  # URLLENGTH_LIMIT, read in from_crawler
    size_cap = 5 * 1024 * 1024  # DOWNLOAD_MAXSIZE, likewise
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "COOKIES_ENABLED": False,
        "CONCURRENT_ITEMS": 1,  # items are written one by one anyway; saves ~100 tasks per page
        # Scope is this spider's (per prospect), not OffsiteMiddleware's. (A spider's dict
        # replaces the project's: keep prospector's middlewares in it.)
        "DOWNLOADER_MIDDLEWARES": {
            **project_settings.DOWNLOADER_MIDDLEWARES,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        },
        # Depth is tracked per prospect by this spider (resumed pages keep theirs).
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
    }

    def __init__(
        self,
        prospects: str = "",
        prospect_ids: str = "",
        max_pages: int | str | None = None,
        max_depth: int | str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.prospects_file = prospects
        self.prospect_ids = [int(i) for i in str(prospect_ids).split(",") if i.strip()]
        self.max_pages_arg = int(max_pages) if max_pages not in (None, "") else None
        self.max_depth_arg = int(max_depth) if max_depth not in (None, "") else None
        self.crawls: dict[int, ProspectCrawl] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        spider.url_length_limit = crawler.settings.getint("URLLENGTH_LIMIT", 2083)
        spider.size_cap = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        return spider

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        """The scheduler dropped a request with no callback or errback: a page that redirects
        to itself, or to a page already crawled (Scrapy's dupefilter). The page is stored with
        why, its place in the budget given back, and the crawl goes on."""
        meta = request.meta
        if "prospect_id" not in meta or meta["prospect_id"] not in self.crawls:
            return
        crawl = self._done(meta, fetched=False)
        target = request.url
        loop = target == meta["page_url"] or target in meta.get("redirect_urls", [])[:-1]
        error = "redirects to itself (a redirect loop)" if loop else f"redirects to {target}, crawled already"
        page = PageItem(url=meta["page_url"], prospect_id=crawl.prospect.id, depth=meta["page_depth"], error=error)
        self.store.save_page(page)
        self.crawler.stats.inc_value("prospector/pages_stored")
        self._problem(page.url, error, quiet=page.depth > 0 or not loop)
        if page.depth == 0 and loop:
            self.crawler.stats.inc_value("prospector/unreachable_prospects")
        for follow in self._release(crawl):
            self.crawler.engine.crawl(follow)

    async def start(self) -> AsyncIterator[Request]:
        settings = self.crawler.settings
        ids = self.prospect_ids
        if self.prospects_file:
            try:
                ids, problems = load_prospects(self.store, self.prospects_file)
            except InputFileError as exc:
                logger.error("%s", exc)
                self.crawler.stats.set_value("prospector/input_error", str(exc))
                return
            for line in problems:
                logger.error("%s", line)
            self.crawler.stats.set_value("prospector/bad_rows", len(problems))
        wanted = set(ids)
        for prospect in self.store.prospects():
            if wanted and prospect.id not in wanted:
                continue
            state = self.store.crawl_state(prospect.id)
            max_pages = self.max_pages_arg or prospect.max_pages or settings.getint("PROSPECTOR_MAX_PAGES")
            max_depth = self.max_depth_arg if self.max_depth_arg is not None else (
                prospect.max_depth if prospect.max_depth is not None else settings.getint("PROSPECTOR_MAX_DEPTH"))
            crawl = ProspectCrawl(prospect, max_depth, max_pages - state.fetched, set(state.visited))
            if not state.visited:
                self.store.add_to_frontier(prospect.id, [(prospect.url, 0)])
                crawl.pending.append((prospect.url, 0))
            else:
                crawl.pending.extend(state.frontier)
            self.crawls[prospect.id] = crawl
            self.crawler.stats.inc_value("prospector/pages_budget", max(0, crawl.budget))
            for request in self._release(crawl):
                yield request

    def _release(self, crawl: ProspectCrawl) -> Iterator[Request]:
        """Schedule pending pages while the prospect's page budget allows."""
        while crawl.pending and crawl.budget - crawl.in_flight > 0:
            url, depth = crawl.pending.popleft()
            if url in crawl.visited or depth > crawl.max_depth:
                continue
            if len(url) > self.url_length_limit:  # Scrapy would drop it without a callback
                crawl.visited.add(url)
                error = f"URL longer than {self.url_length_limit} characters, skipped"
                self.store.save_page(PageItem(url=url, prospect_id=crawl.prospect.id, depth=depth, error=error))
                self._problem(url[:200] + "…", error, quiet=depth > 0)
                continue
            crawl.visited.add(url)
            crawl.in_flight += 1
            yield Request(
                url,
                callback=self.parse,
                errback=self.failed,
                priority=-depth,
                # Read a page over the size cap up to the cap, links kept (crawl/partial.py).
                meta={"prospect_id": crawl.prospect.id, "page_depth": depth, "page_url": url,
                      "read_up_to": self.size_cap},
            )

    def _done(self, meta: dict[str, Any], fetched: bool) -> ProspectCrawl:
        crawl = self.crawls[meta["prospect_id"]]
        crawl.in_flight -= 1
        if fetched:
            crawl.budget -= 1
        return crawl

    def parse(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        crawl = self._done(meta, fetched=True)
        prospect = crawl.prospect
        page = PageItem(url=meta["page_url"], prospect_id=prospect.id, depth=meta["page_depth"],
                        status=response.status,
                        content_type=response.headers.get(b"Content-Type", b"").decode("latin-1"))
        crawl.visited.add(response.url)
        if not isinstance(response, TextResponse) or "html" not in (page.content_type or "text/html"):
            page.error = f"not HTML ({page.content_type or 'unknown type'})"
        elif not in_scope(response.url, prospect.domain, prospect.path_prefix):
            page.error = f"redirected off-site to {response.url}"
        else:
            self._read(page, response, crawl)
            if "download_stopped" in response.flags:
                page.truncated = True
                self._problem(page.url, f"larger than {self.size_cap // 1024 // 1024} MiB: read up to there, "
                                        "its links kept", quiet=True)
        if page.error:
            self._problem(page.url, page.error, quiet=page.depth > 0)
        yield page
        yield from self._release(crawl)

    def _read(self, page: PageItem, response: TextResponse, crawl: ProspectCrawl) -> None:
        prospect = crawl.prospect
        found = extract_page(response.text, response.url, prospect.domain, prospect.path_prefix)
        page.title, page.author, page.published = found.title, found.author, found.published
        page.occurrences = found.outbound
        page.contacts = found.contacts
        depth = page.depth + 1
        page.discovered = [(u, depth) for u in found.internal if u not in crawl.visited]
        for message in found.invalid_hrefs:
            self._problem(page.url, f"invalid href skipped: {message}", quiet=True)
        if found.app_links:
            self.crawler.stats.inc_value("prospector/app_links", found.app_links)
        if depth <= crawl.max_depth:
            for url, d in page.discovered:
                # Contact and about pages first: the email step needs them.
                if any(hint in url.lower() for hint in CONTACT_HINTS):
                    crawl.pending.appendleft((url, d))
                else:
                    crawl.pending.append((url, d))

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        meta = request.meta
        response = getattr(failure.value, "response", None)
        crawl = self._done(meta, fetched=response is not None)
        page = PageItem(url=meta["page_url"], prospect_id=crawl.prospect.id, depth=meta["page_depth"],
                        status=response.status if response is not None else None,
                        error=describe_failure(failure))
        self._problem(page.url, page.error, quiet=page.depth > 0 and response is not None)
        if page.depth == 0:
            self.crawler.stats.inc_value("prospector/unreachable_prospects")
        yield page
        yield from self._release(crawl)

    def _problem(self, url: str, message: str, quiet: bool) -> None:
        """Every problem is stored; the ones a user must see (a whole prospect failing,
        robots or network refusals) are logged as errors, the rest at info level."""
        self.store.add_problem("crawl", url, message)
        self.crawler.stats.inc_value("prospector/page_problems")
        logger.log(logging.INFO if quiet else logging.WARNING, "%s: %s", url, message)

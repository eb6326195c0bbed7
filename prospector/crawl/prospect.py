"""ProspectSpider: crawl each prospect site within its bounds and store its outbound links.

Bounds per prospect: its registered domain (subdomains included) and optional path prefix,
`max_pages` fetched pages and `max_depth` clicks from the start URL; robots.txt is obeyed by
Scrapy's RobotsTxtMiddleware. Resuming: what the store already holds is not fetched again;
the crawl goes on from the stored frontier (links found but not yet visited).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from prospector import settings as project_settings
from prospector import stat_keys
from prospector.crawl.base import StoreSpider
from prospector.crawl.extract import extract_page
from prospector.crawl.frontier import Frontier, PageVisit, recrawl_before
from prospector.crawl.pipelines import store_page, stored
from prospector.inputs import InputFileError, read_prospects
from prospector.items import PageItem
from prospector.net.failures import describe_failure, request_of
from prospector.resource_score import resource_score
from prospector.store import Store
from prospector.urls import in_scope

logger = logging.getLogger(__name__)


CRAWL_SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    "CONCURRENT_REQUESTS": 64,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "COOKIES_ENABLED": False,
    "CONCURRENT_ITEMS": 1,  # items are written one by one anyway; saves ~100 tasks per page
    # Scope is the crawl's (per prospect), not OffsiteMiddleware's. (A spider's dict replaces
    # the project's: keep prospector's middlewares in it.)
    "DOWNLOADER_MIDDLEWARES": {
        **project_settings.DOWNLOADER_MIDDLEWARES,
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    },
    # Depth is tracked per prospect by the frontier (resumed pages keep theirs).
    "SPIDER_MIDDLEWARES": {
        "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
        "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    },
}


def load_prospects(store: Store, path: str) -> tuple[list[int], list[str]]:
    """Read a prospect list into the store; return the ids read and one line per bad row."""
    prospects, problems = read_prospects(path)
    messages = [str(p) for p in problems]
    for problem in problems:
        store.add_problem("crawl", problem.source, problem.message)
    return [store.upsert_prospect(p) for p in prospects], messages


def read_prospect_list(store: Store, path: str, stats: Any) -> list[int] | None:
    """The crawl's start, wherever it runs: the list read into the store, each bad row logged
    and counted (prospector/bad_rows); None, with prospector/input_error set, when the file
    cannot be read at all."""
    try:
        ids, problems = load_prospects(store, path)
    except InputFileError as exc:
        logger.error("%s", exc)
        stats.set_value(stat_keys.INPUT_ERROR, str(exc))
        return None
    for line in problems:
        logger.error("%s", line)
    stats.set_value(stat_keys.BAD_ROWS, len(problems))
    return ids


class ProspectPages:
    """How a prospect page becomes a PageItem: fetched, failed, or dropped by the scheduler.
    Its problems and stats travel on the item (`problems`, `counts`), so whoever stores it —
    StorePipeline here, the coordinator of a cluster — records them."""

    crawler: Any
    size_cap: int

    def page_request(self, visit: PageVisit) -> Request:
        prospect = visit.prospect
        return Request(
            visit.url,
            callback=self.parse,
            errback=self.failed,
            priority=-visit.depth,
            # Read a page over the size cap up to the cap, links kept (crawl/partial.py); the
            # bounds travel with the request, so any process can read the page.
            meta={"prospect_id": prospect.id, "page_depth": visit.depth, "page_url": visit.url,
                  "read_up_to": self.size_cap, "domain": prospect.domain, "path_prefix": prospect.path_prefix},
        )

    def dropped_page(self, request: Request) -> PageItem | None:
        """The scheduler dropped a request with no callback or errback: a page that redirects
        to itself, or to a page already crawled (the dupefilter). The page is stored with why."""
        meta = request.meta
        if "prospect_id" not in meta:
            return None
        target = request.url
        loop = target == meta["page_url"] or target in meta.get("redirect_urls", [])[:-1]
        error = "redirects to itself (a redirect loop)" if loop else f"redirects to {target}, crawled already"
        page = PageItem(url=meta["page_url"], prospect_id=meta["prospect_id"], depth=meta["page_depth"], error=error)
        _problem(page, page.url, error, quiet=page.depth > 0 or not loop)
        if page.depth == 0 and loop:
            page.counts[stat_keys.UNREACHABLE_PROSPECTS] = 1
        return page

    def read_page(self, response: Response) -> PageItem:
        meta = response.meta
        page = PageItem(url=meta["page_url"], prospect_id=meta["prospect_id"], depth=meta["page_depth"],
                        status=response.status, final_url=response.url,
                        content_type=(response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        if not isinstance(response, TextResponse) or "html" not in (page.content_type or "text/html"):
            page.error = f"not HTML ({page.content_type or 'unknown type'})"
        elif not in_scope(response.url, meta["domain"], meta["path_prefix"]):
            page.error = f"redirected off-site to {response.url}"
        else:
            self._read(page, response)
            if "download_stopped" in response.flags:
                page.truncated = True
                _problem(page, page.url, f"larger than {self.size_cap // 1024 // 1024} MiB: read up to there, "
                                         "its links kept", quiet=True)
        if page.error:
            _problem(page, page.url, page.error, quiet=page.depth > 0)
        return page

    def _read(self, page: PageItem, response: TextResponse) -> None:
        meta = response.meta
        found = extract_page(response.text, response.url, meta["domain"], meta["path_prefix"])
        page.title, page.author, page.published = found.title, found.author, found.published
        page.occurrences = found.outbound
        page.contacts = found.contacts
        page.discovered = [(u, page.depth + 1) for u in found.internal]
        page.resource_score = resource_score(found.resource)
        for message in found.invalid_hrefs:
            _problem(page, page.url, f"invalid href skipped: {message}", quiet=True)
        if found.app_links:
            page.counts[stat_keys.APP_LINKS] = found.app_links

    def failed_page(self, failure: Failure) -> PageItem:
        meta = request_of(failure).meta
        response = getattr(failure.value, "response", None)
        page = PageItem(url=meta["page_url"], prospect_id=meta["prospect_id"], depth=meta["page_depth"],
                        status=response.status if response is not None else None,
                        error=describe_failure(failure))
        _problem(page, page.url, page.error, quiet=page.depth > 0 and response is not None)
        if page.depth == 0:
            page.counts[stat_keys.UNREACHABLE_PROSPECTS] = 1
        return page

    def parse(self, response: Response) -> Iterator[Any]:
        yield self.read_page(response)

    def failed(self, failure: Failure) -> Iterator[Any]:
        yield self.failed_page(failure)


def _problem(page: PageItem, url: str, message: str, quiet: bool) -> None:
    """Every problem is stored; the ones a user must see (a whole prospect failing, robots or
    network refusals) are logged as warnings, the rest at info level (crawl/pipelines.py)."""
    page.problems.append((url, message, quiet))


class ProspectSpider(ProspectPages, StoreSpider):
    name = "prospects"
    frontier: Frontier  # made in from_crawler
    url_length_limit = 2083  # URLLENGTH_LIMIT, read in from_crawler
    size_cap = 5 * 1024 * 1024  # DOWNLOAD_MAXSIZE, likewise
    custom_settings = CRAWL_SETTINGS

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

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        settings = crawler.settings
        spider.url_length_limit = settings.getint("URLLENGTH_LIMIT", 2083)
        spider.size_cap = settings.getint("DOWNLOAD_MAXSIZE")
        spider.frontier = Frontier(spider.store, settings.getint("PROSPECTOR_MAX_PAGES"),
                                   settings.getint("PROSPECTOR_MAX_DEPTH"), spider.url_length_limit,
                                   recrawl_before(settings))
        spider.frontier.override_pages, spider.frontier.override_depth = spider.max_pages_arg, spider.max_depth_arg
        return spider

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        """A dropped page is stored at once (a signal handler yields no items), its place in
        the budget given back, and the crawl goes on."""
        page = self.dropped_page(request)
        if page is None or page.prospect_id not in self.frontier.crawls:
            return
        crawl = self.frontier.done(page)
        if not stored(self.crawler, lambda: store_page(self.store, self.crawler.stats, page)):
            return
        for visit in self.frontier.release(crawl):
            self.crawler.engine.crawl(self.page_request(visit))

    async def start(self) -> AsyncIterator[Request]:
        ids = self.prospect_ids
        if self.prospects_file:
            listed = read_prospect_list(self.store, self.prospects_file, self.crawler.stats)
            if listed is None:
                return
            ids = listed
        self.crawler.stats.inc_value(stat_keys.PAGES_BUDGET, self.frontier.open(ids))
        for visit in self.frontier.release_all():
            yield self.page_request(visit)

    def parse(self, response: Response) -> Iterator[Any]:
        yield from self._answered(self.read_page(response))

    def failed(self, failure: Failure) -> Iterator[Any]:
        yield from self._answered(self.failed_page(failure))

    def _answered(self, page: PageItem) -> Iterator[Any]:
        crawl = self.frontier.done(page)
        yield page
        for visit in self.frontier.release(crawl):
            yield self.page_request(visit)

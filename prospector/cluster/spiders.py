"""The worker's spiders: the crawl and the check as on one machine, fed from the cluster's
queues, each result answering its lease."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, Spider, signals

from prospector.cluster import keys, wire
from prospector.cluster.messages import Leased
from prospector.cluster.results import send
from prospector.crawl.check import CheckState, LinkCheckSpider
from prospector.crawl.prospect import CRAWL_SETTINGS, ProspectPages
from prospector.items import PageItem
from prospector.net.failures import request_of
from prospector.verdict import OTHER, Observation

logger = logging.getLogger(__name__)

CLUSTER_SETTINGS: dict[str, Any] = {
    "SCHEDULER": "prospector.cluster.scheduler.ClusterScheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # explicitly (see NOTES)
    "SCHEDULER_QUEUE_CLASS": "prospector.cluster.queue.PartitionedQueue",
    "SCHEDULER_QUEUE_KEY": keys.QUEUE_KEY,
    "SCHEDULER_DUPEFILTER_KEY": keys.DUPEFILTER_KEY,
    "SCHEDULER_SERIALIZER": "prospector.cluster.wire",
    "SCHEDULER_PERSIST": True,
    "ITEM_PIPELINES": {"prospector.cluster.results.ResultPipeline": 300},
}


class ClusterCrawlSpider(ProspectPages, Spider):
    """Reads prospect pages for the coordinator: no budgets here (the coordinator's frontier
    holds them), just each page's links, contacts and problems."""

    name = "prospects"
    size_cap = 5 * 1024 * 1024
    custom_settings = {**CRAWL_SETTINGS, **CLUSTER_SETTINGS,
                       "EXTENSIONS": {"prospector.cluster.feeder.Feeder": 600}}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.size_cap = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for _ in ():
            yield _

    def adopt(self, request: Request, lease: str) -> Request:
        return _rebuilt(self, request, {**_kept(self.name, request.meta), "lease": lease})

    def parse(self, response: Any) -> Iterator[Any]:
        yield Leased(response.meta["lease"], self.read_page(response))

    def failed(self, failure: Any) -> Iterator[Any]:
        yield Leased(request_of(failure).meta["lease"], self.failed_page(failure))

    def broken(self, response: Any, failure: Any) -> Leased:
        meta = response.meta
        page = PageItem(url=meta["page_url"], prospect_id=meta["prospect_id"], depth=meta["page_depth"],
                        status=response.status, error=f"could not be read: {failure.value!r}")
        page.problems.append((page.url, page.error, False))
        return Leased(meta["lease"], page)

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        page = self.dropped_page(request)
        if page is not None and "lease" in request.meta:
            send(self.name, Leased(request.meta["lease"], page))


class ClusterCheckSpider(LinkCheckSpider):
    """Checks the URLs the coordinator queues, as LinkCheckSpider does on one machine. At most
    two requests at a time to one host: the cluster's politeness rule."""

    name = "links"
    custom_settings = {**LinkCheckSpider.custom_settings, **CLUSTER_SETTINGS,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                       "EXTENSIONS": {"prospector.cluster.feeder.Feeder": 600}}

    async def start(self) -> AsyncIterator[Request]:
        for _ in ():
            yield _

    @property
    def queued_method(self) -> str:
        return "GET" if self.soft404_check else "HEAD"

    def root_request(self, url: str) -> Request:
        """The request the coordinator queues for a URL (its state is made on arrival)."""
        request = self._request(CheckState(url, 0.0), self.queued_method)
        del request.meta["check"]
        return request

    def adopt(self, request: Request, lease: str) -> Request:
        meta = {**_kept(self.name, request.meta), "check": CheckState(request.url, time.monotonic(), lease=lease)}
        return _rebuilt(self, request, meta)

    def _finish(self, state: CheckState, observation: Any, page: Any = None) -> Any:
        return Leased(state.lease, super()._finish(state, observation, page))

    def broken(self, response: Any, failure: Any) -> Leased:
        state: CheckState = response.meta["check"]
        return self._finish(state, Observation(url=state.url, status=response.status, error=OTHER,
                                               error_detail=f"the check broke: {failure.value!r}"))


def _kept(stage: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The meta a queued request of `stage` may carry (wire.META); the rest is dropped."""
    allowed = wire.META[stage]
    return {k: v for k, v in meta.items() if k in allowed and type(v) is allowed[k][0]}


def _rebuilt(spider: Any, request: Request, meta: dict[str, Any]) -> Request:
    """A queued request as this worker fetches it: its URL, GET or HEAD, and the stage's own
    callback (wire.CALLBACKS) — nothing else a queue entry says is used."""
    method = request.method if request.method in wire.METHODS else "GET"
    return Request(request.url, method=method, callback=getattr(spider, wire.CALLBACKS[spider.name]),
                   errback=spider.failed, priority=request.priority, dont_filter=request.dont_filter, meta=meta)

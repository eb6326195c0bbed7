"""`prospector worker`: serve the cluster's crawl and check queues until stopped.

One process runs both stages' spiders in one reactor, idle until the coordinator queues work.
A feeder takes requests from the partitions this worker leases (membership.py), under a lease
each; the result pipeline pushes each result and acknowledges its lease in one transaction.
Stopping (Ctrl-C, SIGTERM) lets the downloads under way finish, then hands back whatever is
still held; a worker killed outright is noticed by the others, which hand its work back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import redis
from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings
from twisted.internet import task

from prospector.cluster import keys, messages, wire
from prospector.cluster.connection import RedisUnavailable
from prospector.cluster.membership import Membership
from prospector.cluster.messages import Leased
from prospector.cluster.queue import answering, requeue
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
    "ITEM_PIPELINES": {"prospector.cluster.worker.ResultPipeline": 300},
}


@dataclass
class Worker:
    """This process's link to the cluster (one worker per process)."""

    server: Any
    worker_id: str
    membership: Membership
    schedulers: dict[str, Any] = field(default_factory=dict)
    leases: dict[str, tuple[str, int]] = field(default_factory=dict)  # lease -> (its campaign, its partition)
    done: Counter[str] = field(default_factory=Counter)  # results sent, by stage
    stopping: bool = False
    failed: str = ""  # why this worker stopped on its own (a loop that broke)
    lost_redis: str = ""  # what Redis's client said when it went away

    def __post_init__(self) -> None:
        self.answer = answering(self.server)

    def hold(self, lease: str, campaign: str, partition: int) -> None:
        self.leases[lease] = (campaign, partition)
        self.membership.holding[partition] += 1

    def campaign_of(self, lease: str) -> str | None:
        held = self.leases.get(lease)
        return held[0] if held else None

    def answered(self, stage: str, lease: str) -> None:
        held = self.leases.pop(lease, None)
        if held is not None:
            self.membership.holding[held[1]] -= 1
        scheduler = self.schedulers.get(stage)
        if scheduler is not None:
            scheduler.forget(lease)
        self.done[stage] += 1

    def fail(self, why: str) -> None:
        """Stop this worker (it stops beating: the others hand back what it held)."""
        if not self.failed:
            self.failed = why
            logger.error("%s; this worker stops", why)
        self._stop()

    def lose_redis(self, exc: redis.RedisError) -> None:
        """Redis went away: stop, and say so in one line."""
        if not self.lost_redis:
            self.lost_redis = " ".join(str(exc).split())
            logger.error("Lost Redis: %s", self.lost_redis)
        self._stop()

    def _stop(self) -> None:
        from twisted.internet import reactor

        self.stopping = True
        if reactor.running:
            cast(Any, reactor).stop()


_current: Worker | None = None


class WorkerBroke(RuntimeError):
    """A worker loop broke: the worker stopped, handing back what it held."""


def current_worker() -> Worker:
    assert _current is not None, "not running as a cluster worker"
    return _current


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class ResultPipeline:
    """Push each result to the coordinator and acknowledge its lease, in one step."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ResultPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Leased):  # a result nobody would acknowledge: the coordinator would wait
            raise TypeError(f"a cluster spider yielded {type(item).__name__} without its lease")
        send(self.crawler.spider.name, item)
        return item


def send(stage: str, result: Leased) -> None:
    """Queue a result for the coordinator of the campaign its request came from, if the lease is
    still this worker's (a lease handed back, or a campaign cleared, is answered by nobody)."""
    worker = current_worker()
    campaign = worker.campaign_of(result.lease)
    if campaign is not None and not worker.answer(keys.in_flight(campaign, stage, worker.worker_id),
                                                  keys.results(campaign, stage), result.lease,
                                                  messages.encode(result)):
        logger.info("Result for %s not sent: its lease %s was no longer held", result.item.url, result.lease)
    worker.answered(stage, result.lease)


class Feeder:
    """Keeps a stage's spider supplied: takes leased requests from the shared queues of the
    current campaign when the worker has room (local queue + downloads under way below
    CONCURRENT_REQUESTS), polling faster while there is work and slower (up to half a second)
    while there is none. If it ever breaks, the worker stops (rather than beat on, holding
    partitions it no longer serves)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.capacity = crawler.settings.getint("CONCURRENT_REQUESTS")
        self.loop = task.LoopingCall(self.feed)
        self.wait = 0.02
        self.next_poll = 0.0
        self.takes = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Feeder:
        feeder = cls(crawler)
        crawler.signals.connect(feeder.opened, signal=signals.spider_opened)
        crawler.signals.connect(feeder.idle, signal=signals.spider_idle)
        crawler.signals.connect(feeder.closed, signal=signals.spider_closed)
        crawler.signals.connect(feeder.errored, signal=signals.spider_error)
        return feeder

    def errored(self, failure: Any, response: Any, spider: Any) -> None:
        """A callback raised: its request is answered all the same (as a page that could not
        be read, a URL whose check broke), or the coordinator would wait for it for ever."""
        if "lease" in response.meta or isinstance(response.meta.get("check"), CheckState):
            send(spider.name, spider.broken(response, failure))

    def opened(self, spider: Any) -> None:
        self.spider = spider
        self.loop.start(0.02, now=False).addErrback(self.died)

    def died(self, failure: Any) -> None:
        if isinstance(failure.value, redis.RedisError):
            current_worker().lose_redis(failure.value)
            return
        logger.error("The %s feed loop broke", self.spider.name,
                     exc_info=(failure.type, failure.value, failure.getTracebackObject()))
        current_worker().fail(f"the {self.spider.name} feed loop broke: {failure.value!r}")

    def idle(self, spider: Spider) -> None:
        if not current_worker().stopping:
            raise DontCloseSpider  # a worker waits for work until it is stopped

    def feed(self) -> None:
        worker = current_worker()
        now = time.monotonic()
        engine = self.crawler.engine
        scheduler = worker.schedulers.get(self.spider.name)
        campaign = worker.membership.campaign
        if worker.stopping or now < self.next_poll or engine is None or scheduler is None or campaign is None:
            return
        room = self.capacity - len(scheduler) - len(engine.downloader.active)
        partitions = worker.membership.takeable()
        if room <= 0 or not partitions:
            return
        self.takes += 1
        taken = scheduler.queue_of(campaign).take(keys.in_flight(campaign, self.spider.name, worker.worker_id),
                                                  partitions, min(room, 32), f"{worker.worker_id}:{self.takes}:")
        self.wait = 0.02 if taken else min(0.5, self.wait * 2)
        self.next_poll = now + self.wait
        for lease, request in taken:
            worker.hold(lease, campaign, keys.partition_of(request.url))
            request = self.spider.adopt(request, lease)
            scheduler.add_taken(request)
            engine.crawl(request)

    def closed(self, spider: Spider, reason: str) -> None:
        """What the worker still holds goes back when it stops (run_worker)."""
        if self.loop.running:
            self.loop.stop()


class ClusterCrawlSpider(ProspectPages, Spider):
    """Reads prospect pages for the coordinator: no budgets here (the coordinator's frontier
    holds them), just each page's links, contacts and problems."""

    name = "prospects"
    size_cap = 5 * 1024 * 1024
    custom_settings = {**CRAWL_SETTINGS, **CLUSTER_SETTINGS,
                       "EXTENSIONS": {"prospector.cluster.worker.Feeder": 600}}

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
                       "EXTENSIONS": {"prospector.cluster.worker.Feeder": 600}}

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

    def _finish(self, state: CheckState, observation: Any) -> Any:
        return Leased(state.lease, super()._finish(state, observation))

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


def serve(settings: Settings, job: tuple[str, str, float]) -> list[dict[str, Any]]:
    """The worker process (runner.in_processes' target): connect, then serve until stopped."""
    from prospector.cluster.connection import connect, redact

    redis_url, worker_id, lease_s = job
    done = run_worker(settings, connect(redis_url), worker_id, lease_s, where=redact(redis_url))
    return [{"pages": done["prospects"], "urls": done["links"]}]


def run_worker(settings: Settings, server: Any, worker_id: str, lease_s: float, where: str = "") -> Counter[str]:
    """Serve both stages until stopped; the results sent, by stage. `where`: the server, as the
    error that it went away names it."""
    global _current
    from prospector.runner import run_spiders_together

    membership = Membership(server, worker_id, int(lease_s * 1000))
    worker = _current = Worker(server, worker_id, membership)
    beats: list[task.LoopingCall] = []

    def beat() -> None:
        try:
            membership.beat()
        except redis.RedisError as exc:
            worker.lose_redis(exc)
        except Exception as exc:  # a worker that cannot beat must not go on working unseen
            logger.error("The heartbeat broke", exc_info=True)
            worker.fail(f"the heartbeat broke: {exc!r}")

    def started() -> None:  # a LoopingCall built earlier would install the default reactor
        beats.append(task.LoopingCall(beat))
        beats[0].start(min(0.5, lease_s / 4))

    def stopping() -> None:
        """Ctrl-C or SIGTERM: Scrapy lets the downloads under way finish. Past a download's
        timeout (and a margin) the worker stops anyway: whatever it still holds goes back to
        the queue below, so nothing is lost by not waiting."""
        from twisted.internet import reactor

        worker.stopping = True
        cast(Any, reactor).callLater(settings.getfloat("DOWNLOAD_TIMEOUT") + 5, _give_up)

    try:
        run_spiders_together(settings, [ClusterCrawlSpider, ClusterCheckSpider], on_start=started, on_stop=stopping)
    finally:
        for loop in beats:
            if loop.running:
                loop.stop()
        _leave(server, worker_id, membership)
    if worker.lost_redis:
        raise RedisUnavailable(f"lost Redis{f' at {where}' if where else ''}: {worker.lost_redis}")
    if worker.failed:
        raise WorkerBroke(worker.failed)
    return worker.done


def _give_up() -> None:
    from twisted.internet import reactor

    logger.warning("Stopping now: the downloads under way did not finish in time; what they were for goes "
                   "back to the queue")
    if reactor.running:
        cast(Any, reactor).stop()


def _leave(server: Any, worker_id: str, membership: Membership) -> None:
    """Hand back what is held and leave the membership, if Redis is there."""
    with contextlib.suppress(redis.RedisError):
        returned = requeue(server, worker_id)
        if returned:
            logger.info("Handed %d requests back to the queue", returned)
        membership.leave()

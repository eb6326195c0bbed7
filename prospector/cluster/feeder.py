"""The worker's feeder extension: takes leased requests from the shared queues when the worker
has room."""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from scrapy import Spider, signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

from prospector.cluster import keys
from prospector.cluster.results import send
from prospector.cluster.worker_state import current_worker
from prospector.crawl.check import CheckState

logger = logging.getLogger(__name__)

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

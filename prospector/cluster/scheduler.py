"""scrapy-redis's Scheduler, as a worker uses it.

Requests arrive from the shared queues under a lease (the worker's feeder takes them); what the
engine schedules after that — redirects, retries, a GET after a HEAD — stays in this worker, in
a local priority queue, so the lease covers a request's whole life and a killed worker's work
can be handed back whole. Those follow-up requests still pass scrapy-redis's RFPDupeFilter: a
redirect to a page the cluster has already queued is dropped, as on one machine (checked, not
added: the fingerprints in Redis are the coordinator's). Queues and fingerprints are those of
the campaign a request was taken for (keys.py).
"""

from __future__ import annotations

import heapq
import importlib
import itertools
from typing import Any

from scrapy import Request
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from prospector.cluster import keys


class ClusterScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterScheduler:
        from prospector.cluster.worker_state import current_worker

        settings = crawler.settings
        instance = cls(
            server=current_worker().server,  # the URL (and its password) never enters the settings
            persist=True,
            queue_key=settings.get("SCHEDULER_QUEUE_KEY"),
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS"),
            dupefilter_key=settings.get("SCHEDULER_DUPEFILTER_KEY"),
            dupefilter_cls=settings.get("DUPEFILTER_CLASS"),
            serializer=importlib.import_module(settings.get("SCHEDULER_SERIALIZER")),
        )
        instance.stats = crawler.stats
        return instance

    def open(self, spider: Any) -> None:
        from prospector.cluster.worker_state import current_worker

        # scrapy-redis's open(), without its deprecated spider.log() call; the queue and the
        # dupefilter's key are chosen per campaign (queue_of, _seen)
        self.spider = spider
        self.df = load_object(self.dupefilter_cls)(self.server, key=self.dupefilter_key % {"spider": spider.name})
        self.worker = current_worker()
        self.worker.schedulers[spider.name] = self
        self._queues: dict[str, Any] = {}
        self._local: list[tuple[int, int, Request]] = []
        self._order = itertools.count()
        self._taken: set[int] = set()
        self._seen_by_lease: dict[str, set[str]] = {}

    def queue_of(self, campaign: str) -> Any:
        """The shared queue of this stage in `campaign`."""
        if campaign not in self._queues:
            self._queues[campaign] = load_object(self.queue_cls)(
                server=self.server, spider=self.spider, key=keys.queue_prefix(campaign, self.spider.name),
                serializer=self.serializer)
        return self._queues[campaign]

    def close(self, reason: str) -> None:
        """Nothing to flush: what this worker held goes back to the shared queue (worker.py)."""

    def add_taken(self, request: Request) -> None:
        """A request the feeder took from the shared queue: scheduled without filtering."""
        self._taken.add(id(request))

    def enqueue_request(self, request: Request) -> bool:
        if id(request) in self._taken:
            self._taken.discard(id(request))
        elif not request.dont_filter and self._seen(request):
            self.df.log(request, self.spider)
            return False
        heapq.heappush(self._local, (-request.priority, next(self._order), request))
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _seen(self, request: Request) -> bool:
        fingerprint = self.df.request_fingerprint(request)
        lease = request.meta.get("lease", "")
        seen = self._seen_by_lease.setdefault(lease, set())
        if fingerprint in seen:
            return True
        seen.add(fingerprint)
        campaign = self.worker.campaign_of(lease)
        return bool(campaign and self.server.sismember(keys.dupefilter(campaign, self.spider.name), fingerprint))

    def forget(self, lease: str) -> None:
        """A lease was answered: its follow-up requests' fingerprints are no longer needed."""
        self._seen_by_lease.pop(lease, None)

    def next_request(self) -> Request | None:
        if not self._local:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return heapq.heappop(self._local)[2]

    def has_pending_requests(self) -> bool:
        return bool(self._local)

    def __len__(self) -> int:
        return len(self._local)

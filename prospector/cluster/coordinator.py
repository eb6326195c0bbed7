"""The coordinator: queues a stage's requests for the workers and stores what comes back.

It is the store's single writer. Requests go through scrapy-redis's RFPDupeFilter and onto the
partitioned queues; results are read from the stage's result list in batches and removed only
once stored (storing is idempotent, so a coordinator killed in between stores them again).
Restarted, it first counts what is still queued or held by workers as in flight, stores the
results that were waiting, and queues only what is left: the store and the queues together
are the state.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter

from prospector.cluster import keys, messages, serializer
from prospector.cluster.messages import Leased
from prospector.cluster.membership import hand_back
from prospector.cluster.queue import PartitionedQueue, held
from prospector.pids import running

logger = logging.getLogger(__name__)

BATCH = 200  # results stored per transaction


class CoordinatorBusy(RuntimeError):
    """Another coordinator is using this Redis database."""


class Tally(Counter[str]):
    """Scrapy's StatsCollector interface, enough for crawl.pipelines.store_item."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value


Answer = Callable[[Any, bool], Iterable[Request]]  # (item, was it expected) -> requests to queue next
Adopt = Callable[[str, dict[str, Any]], bool]  # (URL, request meta) already on its way: False if stored


class StageCoordinator:
    """One stage's run over the cluster. `answer` stores an item and says what to fetch next;
    `adopt` is told of each request found already queued, in flight or answered (a restart),
    and says whether it is still to be stored."""

    def __init__(self, server: Any, spider: Spider, answer: Answer, adopt: Adopt,
                 lease_s: float, progress: Any = None, note: Callable[[str], None] | None = None,
                 renew: Callable[[], None] = lambda: None):
        self.server = server
        self.renew = renew  # the coordinator's claim on the Redis database
        self.spider = spider
        self.stage = spider.name
        self.answer = answer
        self.adopt = adopt
        self.lease_s = lease_s
        self.progress = progress
        self.note = note or (lambda line: None)
        self.queue = PartitionedQueue(server, spider, keys.QUEUE_KEY % {"spider": self.stage}, serializer)
        self.dupefilter = RFPDupeFilter(server, keys.DUPEFILTER_KEY % {"spider": self.stage})
        self.outstanding: dict[str, Request] = {}
        self.results_key = keys.results(self.stage)
        self.workers_alive = 0

    # --- start ----------------------------------------------------------------------------

    def recover(self) -> int:
        """Count what a previous coordinator left queued, in flight or answered, then store the
        results that were waiting. Returns how many requests were found."""
        found = 0
        for request in self._queued_and_held():
            if request.url not in self.outstanding and self.adopt(request.url, request.meta):
                self.outstanding[request.url] = request
                found += 1
        # Results waiting for this coordinator: all of them count as in flight before any is
        # stored, or storing one would release pages whose results are further down the list.
        for data in self.server.lrange(self.results_key, 0, -1):
            item = messages.decode(data).item
            meta = {"prospect_id": getattr(item, "prospect_id", None), "page_url": item.url}
            if item.url not in self.outstanding and self.adopt(item.url, meta):
                self.outstanding[item.url] = Request(item.url)
                found += 1
        while self._store_results():
            pass
        return found

    def _queued_and_held(self) -> Iterator[Request]:
        for p in range(keys.PARTITIONS):
            for data in self.server.zrange(keys.queue(self.stage, p), 0, -1):
                yield self.queue.decode(data)
        for key in self.server.scan_iter(keys.in_flight(self.stage, "*")):
            for value in self.server.hvals(key):
                yield self.queue.decode(value.split(b"|", 2)[2])

    def push(self, requests: Iterable[Request]) -> int:
        """Queue requests not seen before (scrapy-redis's dupefilter, in Redis); all of them
        are awaited. One round trip for the fingerprints, one for the queues."""
        requests = [r for r in requests if r.url not in self.outstanding]
        if not requests:
            return 0
        pipe = self.server.pipeline(transaction=False)
        for request in requests:
            pipe.sadd(self.dupefilter.key, self.dupefilter.request_fingerprint(request))
        added = pipe.execute()
        fresh = [r for r, new in zip(requests, added) if new]
        self.queue.push_many(fresh)
        for request in requests:
            self.outstanding[request.url] = request
        return len(fresh)

    # --- run ------------------------------------------------------------------------------

    def run(self) -> str:
        """Store results until nothing is awaited; "finished". (Ctrl-C and SIGTERM raise
        KeyboardInterrupt: the caller says "shutdown", and what is queued stays queued.)"""
        self._look_after(0.0)  # the bar shows the live workers from the start
        last_result = last_look = time.monotonic()
        warned_alone = False
        while self.outstanding:
            got = self._store_results()
            now = time.monotonic()
            if got:
                last_result = now
            if now - last_look >= 1.0:
                last_look = now
                self._look_after(now - last_result)
                if not self.workers_alive and not warned_alone and now - last_result > 5:
                    warned_alone = True
                    self.note(f"Waiting for workers: none is serving this Redis "
                              f"({len(self.outstanding)} {self.stage} requests queued).")
            if not got:
                time.sleep(0.02)
        self.server.delete(self.dupefilter.key)  # the next run of this stage starts afresh
        return "finished"

    def _store_results(self) -> int:
        batch = self.server.lrange(self.results_key, 0, BATCH - 1)
        if not batch:
            return 0
        follow: list[Request] = []
        for data in batch:
            result: Leased = messages.decode(data)
            url = result.item.url
            expected = self.outstanding.pop(url, None) is not None
            follow.extend(self.answer(result.item, expected))
        self.push(follow)
        self.server.ltrim(self.results_key, len(batch), -1)  # workers only append: safe
        if self.progress is not None:
            self.progress(len(batch), self.workers_alive)
        return len(batch)

    def _look_after(self, quiet_for: float) -> None:
        """Once a second: who is alive, hand back dead workers' requests, and re-queue what
        is awaited but nowhere (lost between a dupefilter entry and its queue)."""
        self.renew()
        seconds, _ = self.server.time()
        hand_back(self.server, self.server.zrangebyscore(keys.WORKERS, "-inf", seconds * 1000 - 1))
        self.workers_alive = int(self.server.zcount(keys.WORKERS, seconds * 1000, "+inf"))
        if self.progress is not None:
            self.progress(0, self.workers_alive)
        if quiet_for > 3 * self.lease_s and self.outstanding and self.workers_alive:
            if not len(self.queue) and not held(self.server, self.stage) and not self.server.llen(self.results_key):
                lost = list(self.outstanding.values())
                logger.warning("%d %s requests were awaited but queued nowhere: queued again (%s)", len(lost),
                               self.stage, ", ".join(r.url for r in lost[:10]))
                self.queue.push_many(lost)


@contextlib.contextmanager
def coordinator_lock(server: Any, ttl_s: float = 10.0) -> Iterator[Callable[[], None]]:
    """One coordinator per Redis database. Yields a function that renews the claim; a claim
    left by a process of this machine that is gone is taken over."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    ttl = int(ttl_s * 1000)
    if not server.set(keys.COORDINATOR, me, nx=True, px=ttl):
        holder = (server.get(keys.COORDINATOR) or b"").decode()
        host, _, pid = holder.rpartition(":")
        if holder and not (host == socket.gethostname() and pid.isdigit() and not running(int(pid))):
            raise CoordinatorBusy(f"another coordinator ({holder}) is using this Redis database; "
                                  "wait for it to end, or give another database (redis://…/1)")
        server.set(keys.COORDINATOR, me, px=ttl)

    def renew() -> None:
        server.set(keys.COORDINATOR, me, px=ttl)

    try:
        yield renew
    finally:
        if (server.get(keys.COORDINATOR) or b"").decode() == me:
            server.delete(keys.COORDINATOR)



@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the coordinator as Ctrl-C does."""
    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

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
import json
import logging
import os
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter

from prospector.cluster import keys, messages
from prospector.cluster.membership import hand_back
from prospector.cluster.messages import Leased
from prospector.cluster.queue import PartitionedQueue, held, read
from prospector.cluster.wire import BadEntry, shown
from prospector.errors import UsageError
from prospector.pids import running

logger = logging.getLogger(__name__)

BATCH = 200  # results stored per transaction


class CoordinatorBusy(UsageError, RuntimeError):
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
    """One stage's run over the cluster, for one campaign. `answer` stores an item and says what
    to fetch next; `adopt` is told of each request found already queued, in flight or answered
    (a restart), and says whether it is still to be stored.

    Only what this campaign's coordinators queued is stored: a result (or, on a restart, a
    queued request) whose URL was never queued — its fingerprint is not in the dupefilter —
    is dropped with a line in the log, as is any entry that cannot be decoded."""

    def __init__(self, server: Any, spider: Spider, campaign: str, answer: Answer, adopt: Adopt,
                 lease_s: float, progress: Any = None, note: Callable[[str], None] | None = None,
                 renew: Callable[[], None] = lambda: None):
        self.server = server
        self.renew = renew  # the coordinator's claim on the Redis database
        self.spider = spider
        self.stage = spider.name
        self.campaign = campaign
        self.answer = answer
        self.adopt = adopt
        self.lease_s = lease_s
        self.progress = progress
        self.note = note or (lambda line: None)
        self.queue = PartitionedQueue(server, spider, keys.queue_prefix(campaign, self.stage))
        self.dupefilter = RFPDupeFilter(server, keys.dupefilter(campaign, self.stage))
        self.method = getattr(spider, "queued_method", "GET")  # of the requests queued (their fingerprint)
        self.outstanding: dict[str, Request] = {}
        self.asked: set[str] = set()  # every URL queued or adopted by this run
        self.results_key = keys.results(campaign, self.stage)
        self.workers_alive = 0

    # --- start ----------------------------------------------------------------------------

    def recover(self) -> int:
        """Count what a previous coordinator left queued, in flight or answered, then store the
        results that were waiting. Returns how many requests were found."""
        found = 0
        for request in self._queued_and_held():
            if request.url not in self.outstanding and self.adopt(request.url, request.meta):
                self._await(request)
                found += 1
        # Results waiting for this coordinator: all of them count as in flight before any is
        # stored, or storing one would release pages whose results are further down the list.
        for data in self.server.lrange(self.results_key, 0, -1):
            result = self._decoded(data)
            if result is None:
                self.server.lrem(self.results_key, 1, data)  # said once, gone
                continue
            item = result.item
            meta = {"prospect_id": getattr(item, "prospect_id", None), "page_url": item.url}
            if item.url not in self.outstanding and self._was_queued(item.url) and self.adopt(item.url, meta):
                self._await(Request(item.url))
                found += 1
        while self._store_results():
            pass
        return found

    def _queued_and_held(self) -> Iterator[Request]:
        """The valid requests queued or in flight for this stage; the others are dropped."""
        for p in range(keys.PARTITIONS):
            key = keys.queue(self.campaign, self.stage, p)
            queued: list[bytes] = read(self.server.zrange, key, [], 0, -1)
            for data in queued:
                request = self._queued(key, data)
                if request is None:
                    self.server.zrem(key, data)
                else:
                    yield request
        for key in self.server.scan_iter(keys.in_flight(self.campaign, self.stage, "*")):
            flying: dict[bytes, bytes] = read(self.server.hgetall, key, {})
            for lease, value in flying.items():
                parts = value.split(b"|", 2)
                request = self._queued(key, parts[2]) if len(parts) == 3 else None
                if request is None:
                    self.server.hdel(key, lease)
                else:
                    yield request

    def _queued(self, key: bytes | str, data: bytes) -> Request | None:
        """A queued entry as a request of this campaign, or None (said in the log)."""
        try:
            request = self.queue.decode(data)
        except BadEntry as exc:
            logger.error("Dropped an entry of %s that is not a request prospector can use: %s; the entry: %s",
                         key if isinstance(key, str) else key.decode(), exc, shown(data))
            return None
        if not self._was_queued(request.url, request.method):
            logger.error("Dropped a request for %s from %s: no coordinator of this campaign queued it",
                         request.url[:200], key if isinstance(key, str) else key.decode())
            return None
        return request

    def _was_queued(self, url: str, method: str | None = None) -> bool:
        fingerprint = self.dupefilter.request_fingerprint(Request(url, method=method or self.method))
        return bool(self.server.sismember(self.dupefilter.key, fingerprint))

    def _await(self, request: Request) -> None:
        self.outstanding[request.url] = request
        self.asked.add(request.url)

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
        fresh = [r for r, new in zip(requests, added, strict=False) if new]
        self.queue.push_many(fresh)
        for request in requests:
            self._await(request)
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

    def _decoded(self, data: bytes) -> Leased | None:
        try:
            return messages.decode(self.stage, data)
        except BadEntry as exc:
            logger.error("Dropped an entry of %s that is not a result prospector can use: %s; the entry: %s",
                         self.results_key, exc, shown(data))
            return None

    def _store_results(self) -> int:
        batch = self.server.lrange(self.results_key, 0, BATCH - 1)
        if not batch:
            return 0
        follow: list[Request] = []
        for data in batch:
            result = self._decoded(data)
            if result is None:
                continue
            url = result.item.url
            if url not in self.asked:
                logger.error("Dropped a result for %s: this coordinator did not queue it", url[:200])
                continue
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
        if quiet_for > 3 * self.lease_s and self.outstanding and self.workers_alive and not len(self.queue) \
                and not held(self.server, self.campaign, self.stage) and not self.server.llen(self.results_key):
                lost = list(self.outstanding.values())
                logger.warning("%d %s requests were awaited but queued nowhere: queued again (%s)", len(lost),
                               self.stage, ", ".join(r.url for r in lost[:10]))
                self.queue.push_many(lost)


@dataclass(frozen=True)
class CampaignId:
    """Which campaign a coordinator queues for: the store's id, and where the store is (to
    name it in a line)."""

    id: str
    store: str

    def about(self) -> str:
        return json.dumps({"store": self.store, "host": socket.gethostname()})


@contextlib.contextmanager
def coordinator_lock(server: Any, campaign: CampaignId, ttl_s: float = 10.0) -> Iterator[Callable[[], None]]:
    """One coordinator per Redis database, and its work that of one campaign at a time. Yields a
    function that renews the claim; a claim left by a process of this machine that is gone is
    taken over. Another campaign's unfinished work is never adopted: CoordinatorBusy names it."""
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

    from prospector.cluster.leftovers import leftovers

    try:
        others = [found for found in leftovers(server) if found.campaign != campaign.id]
        if others:
            raise CoordinatorBusy(f"this Redis database holds another campaign's unfinished work: {others[0]}. "
                                  f"Finish it (the same command with that store), or clear it: prospector clear "
                                  f"--campaign {others[0].campaign} --redis …")
        server.set(keys.about(campaign.id), campaign.about())
        server.set(keys.CAMPAIGN, campaign.id)
        yield renew
        _tidy(server, campaign.id)
    finally:
        if (server.get(keys.COORDINATOR) or b"").decode() == me:
            server.delete(keys.COORDINATOR)


def _tidy(server: Any, campaign: str) -> None:
    """A campaign whose work is all done leaves nothing behind."""
    if set(server.scan_iter(f"{keys.scope(campaign)}:*", count=1000)) <= {keys.about(campaign).encode()}:
        server.delete(keys.about(campaign))


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the coordinator as Ctrl-C does."""
    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread has handlers
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

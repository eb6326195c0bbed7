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
from collections import Counter
from typing import Any, cast

import redis
from scrapy.settings import Settings
from twisted.internet import task

from prospector.cluster.connection import RedisUnavailable
from prospector.cluster.membership import Membership
from prospector.cluster.queue import requeue
from prospector.cluster.spiders import ClusterCheckSpider, ClusterCrawlSpider
from prospector.cluster.worker_state import WorkerBroke, new_worker_id, start_worker

logger = logging.getLogger(__name__)

__all__ = ["WorkerBroke", "new_worker_id", "run_worker", "serve"]


def serve(settings: Settings, job: tuple[str, str, float]) -> list[dict[str, Any]]:
    """The worker process (runner.in_processes' target): connect, then serve until stopped."""
    from prospector.cluster.connection import connect, redact

    redis_url, worker_id, lease_s = job
    done = run_worker(settings, connect(redis_url), worker_id, lease_s, where=redact(redis_url))
    return [{"pages": done["prospects"], "urls": done["links"]}]


def run_worker(settings: Settings, server: Any, worker_id: str, lease_s: float, where: str = "") -> Counter[str]:
    """Serve both stages until stopped; the results sent, by stage. `where`: the server, as the
    error that it went away names it."""
    from prospector.runner import run_spiders_together

    membership = Membership(server, worker_id, int(lease_s * 1000))
    worker = start_worker(server, worker_id, membership)
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

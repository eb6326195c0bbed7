"""This process's link to the cluster: the worker its feeder, pipeline and scheduler serve."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

import redis

from prospector.cluster.membership import Membership
from prospector.cluster.queue import answering

logger = logging.getLogger(__name__)

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


def start_worker(server: Any, worker_id: str, membership: Membership) -> Worker:
    """This process's worker, made current for the pipeline, the feeder and the scheduler."""
    global _current
    _current = Worker(server, worker_id, membership)
    return _current

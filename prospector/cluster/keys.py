"""The Redis keys of a cluster, and which partition a URL belongs to.

Requests wait in one scrapy-redis priority queue (a sorted set) per partition and stage;
a partition is a slice of registered domains, so every page of one site — and every URL
checked on it — goes to whichever worker leases that partition now.
"""

from __future__ import annotations

import zlib

from prospector.urls import host_of, registered_domain

PREFIX = "prospector"
STAGES = ("prospects", "links")  # the cluster spiders' names, which name their keys
PARTITIONS = 64  # more than workers will ever be, few enough to lease each one separately

# scrapy-redis's settings name them with %(spider)s
QUEUE_KEY = f"{PREFIX}:%(spider)s:requests"
DUPEFILTER_KEY = f"{PREFIX}:%(spider)s:dupefilter"

WORKERS = f"{PREFIX}:workers"  # sorted set: worker id -> when its heartbeat runs out (ms)
COORDINATOR = f"{PREFIX}:coordinator"  # who coordinates now (one at a time)


def partition_of(url: str) -> int:
    return zlib.crc32(registered_domain(host_of(url)).encode()) % PARTITIONS


def queue(spider: str, partition: int | str) -> str:
    return f"{PREFIX}:{spider}:requests:{partition}"


def results(spider: str) -> str:
    return f"{PREFIX}:{spider}:results"


def in_flight(spider: str, worker: str) -> str:
    """Hash: lease id -> "partition|score|request" of each request a worker holds."""
    return f"{PREFIX}:{spider}:inflight:{worker}"


def lease(partition: int | str) -> str:
    return f"{PREFIX}:lease:{partition}"

"""The Redis keys of a cluster, and which partition a URL belongs to.

Requests wait in one scrapy-redis priority queue (a sorted set) per partition and stage;
a partition is a slice of registered domains, so every page of one site — and every URL
checked on it — goes to whichever worker leases that partition now.

Every key of a campaign's work carries the campaign's id (`prospector:c:<id>:…`; the id is
the store's, `Store.campaign_id`), so two campaigns that use one Redis database one after the
other never mix: a coordinator names its campaign in `CAMPAIGN` when it claims the database,
and workers read it from there. Workers, their partition leases and the coordinator's claim
are the database's, whatever the campaign.
"""

from __future__ import annotations

import re
import zlib

from prospector.urls import host_of, registered_domain

PREFIX = "prospector"
STAGES = ("prospects", "links")  # the cluster spiders' names, which name their keys
PARTITIONS = 64  # more than workers will ever be, few enough to lease each one separately

WORKERS = f"{PREFIX}:workers"  # sorted set: worker id -> when its heartbeat runs out (ms)
COORDINATOR = f"{PREFIX}:coordinator"  # who coordinates now (one at a time)
CAMPAIGN = f"{PREFIX}:campaign"  # the id of the campaign whose work is queued now

CAMPAIGN_ID = re.compile(r"^[0-9a-f]{12}$")
# scrapy-redis's settings name its keys with %(spider)s; ours are per campaign (below)
QUEUE_KEY = f"{PREFIX}:%(spider)s:requests"
DUPEFILTER_KEY = f"{PREFIX}:%(spider)s:dupefilter"


def partition_of(url: str) -> int:
    return zlib.crc32(registered_domain(host_of(url)).encode()) % PARTITIONS


def scope(campaign: str) -> str:
    """The prefix of every key of one campaign's work."""
    return f"{PREFIX}:c:{campaign}"


def queue_prefix(campaign: str, stage: str) -> str:
    """A stage's queues are `<this>:<partition>`."""
    return f"{scope(campaign)}:{stage}:requests"


def queue(campaign: str, stage: str, partition: int | str) -> str:
    return f"{queue_prefix(campaign, stage)}:{partition}"


def results(campaign: str, stage: str) -> str:
    return f"{scope(campaign)}:{stage}:results"


def dupefilter(campaign: str, stage: str) -> str:
    """scrapy-redis's RFPDupeFilter set: the fingerprint of every request the coordinator queued."""
    return f"{scope(campaign)}:{stage}:dupefilter"


def in_flight(campaign: str, stage: str, worker: str) -> str:
    """Hash: lease id -> "partition|score|request" of each request a worker holds."""
    return f"{scope(campaign)}:{stage}:inflight:{worker}"


def about(campaign: str) -> str:
    """Whose campaign it is (store and host), for the line that names it."""
    return f"{scope(campaign)}:about"


def lease(partition: int | str) -> str:
    return f"{PREFIX}:lease:{partition}"


def parse(key: bytes | str) -> tuple[str, str, str]:
    """(campaign, stage, kind) of a key under `scope()`: kind is requests, results, dupefilter
    or inflight; `about` has the stage "about" and no kind."""
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
    parts = text.split(":", 5) + ["", "", ""]
    return parts[2], parts[3], parts[4]


def glob_escaped(text: str) -> str:
    """`text` matched literally by a SCAN pattern."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)

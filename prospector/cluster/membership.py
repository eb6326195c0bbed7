"""A worker's place in the cluster: its heartbeat, and the partitions it leases.

Every beat (twice a second) a worker renews its heartbeat and its partition leases, and takes
free partitions up to its fair share (partitions / live workers). When workers join, the others
hold more than their share: each stops taking work from its extra partitions and lets them go
once nothing of them is in flight, so a site is never fetched by two workers at once. Leases
of a worker that stops beating run out; its in-flight requests are put back in the queues by
whichever worker notices first. Each beat also reads which campaign's work is queued now
(keys.CAMPAIGN): workers need no option to follow the coordinator.
"""

from __future__ import annotations

import logging
import math
import zlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from prospector.cluster import keys
from prospector.cluster.queue import requeue

logger = logging.getLogger(__name__)

# KEYS: lease keys. ARGV: worker id, lease ms. Renews the ones this worker holds; 1/0 each.
_RENEW = """
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2]); out[i] = 1
  else out[i] = 0 end
end
return out
"""
# KEYS: lease keys, in the order to try. ARGV: worker id, lease ms, how many. Index of each taken.
_CLAIM = """
local out = {}
for i, key in ipairs(KEYS) do
  if #out >= tonumber(ARGV[3]) then break end
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then out[#out + 1] = i end
end
return out
"""
# KEYS: lease keys. ARGV: worker id. Lets go of the ones this worker holds.
_RELEASE = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0
"""


def hand_back(server: Any, dead: list[bytes | str]) -> None:
    """Workers whose heartbeat ran out: what they held goes back to the queues, and whoever
    takes them off the list of workers (a worker's beat or the coordinator) says so once."""
    for worker in dead:
        worker = worker.decode() if isinstance(worker, bytes) else worker
        returned = requeue(server, worker)
        if server.zrem(keys.WORKERS, worker):
            logger.warning("Worker %s stopped beating: %d requests it held went back to the queue", worker, returned)


def fair_share(alive: int) -> int:
    """The partitions a worker holds when `alive` workers share them (at least one worker)."""
    return math.ceil(keys.PARTITIONS / max(1, alive))


def to_drain(owned: set[int], draining: set[int], holding: Mapping[int, int], share: int) -> set[int]:
    """The partitions to let go of once what they hold in flight is answered: beyond `share`,
    those with least in flight (others joined); back within it, only as many of the draining
    ones as are still too many, the lowest numbered (others left)."""
    excess = len(owned) - share - len(draining)
    if excess > 0:
        keep = sorted(owned - draining, key=lambda p: holding[p])
        return draining | set(keep[:excess])
    if excess < 0 and draining:
        return set(sorted(draining)[: len(draining) + excess])
    return draining


class Membership:
    def __init__(self, server: Any, worker_id: str, lease_ms: int):
        self.server = server
        self.worker_id = worker_id
        self.lease_ms = lease_ms
        self.owned: set[int] = set()
        self.draining: set[int] = set()
        self.holding: Counter[int] = Counter()  # requests in flight, by partition
        self.alive = 0
        self.campaign: str | None = None  # whose queues to take from (None: no campaign yet)
        self._bad_campaign = ""
        self._renew = server.register_script(_RENEW)
        self._claim = server.register_script(_CLAIM)
        self._release = server.register_script(_RELEASE)
        offset = zlib.crc32(worker_id.encode()) % keys.PARTITIONS  # workers try different ones first
        self._order = [(offset + i) % keys.PARTITIONS for i in range(keys.PARTITIONS)]

    def takeable(self) -> list[int]:
        """The partitions to take requests from now."""
        return [p for p in self._order if p in self.owned and p not in self.draining]

    def beat(self) -> None:
        seconds, micros = self.server.time()
        now = seconds * 1000 + micros // 1000
        pipe = self.server.pipeline(transaction=False)
        pipe.zadd(keys.WORKERS, {self.worker_id: now + self.lease_ms})
        pipe.zcount(keys.WORKERS, now, "+inf")
        pipe.zrangebyscore(keys.WORKERS, "-inf", now - 1)
        pipe.get(keys.CAMPAIGN)
        _, self.alive, dead, campaign = pipe.execute()
        self.campaign = self._campaign_id(campaign)
        hand_back(self.server, dead)
        if self.owned:
            held = sorted(self.owned)
            kept = self._renew(keys=[keys.lease(p) for p in held], args=[self.worker_id, self.lease_ms])
            lost = {p for p, ok in zip(held, kept, strict=False) if not ok}
            if lost:
                logger.warning("Lost the lease of %d partitions (a beat came too late)", len(lost))
                self.owned -= lost
                self.draining -= lost
        share = fair_share(self.alive)
        if len(self.owned) < share:
            free = [p for p in self._order if p not in self.owned]
            taken = self._claim(keys=[keys.lease(p) for p in free],
                                args=[self.worker_id, self.lease_ms, share - len(self.owned)])
            self.owned |= {free[i - 1] for i in taken}
        self.draining = to_drain(self.owned, self.draining, self.holding, share)
        idle = [p for p in self.draining if not self.holding[p]]
        if idle:
            self._release(keys=[keys.lease(p) for p in idle], args=[self.worker_id])
            self.owned -= set(idle)
            self.draining -= set(idle)

    def _campaign_id(self, value: bytes | None) -> str | None:
        text = value.decode("utf-8", "replace") if value is not None else None
        if text is None or keys.CAMPAIGN_ID.match(text):
            return text
        if text != self._bad_campaign:  # said once, not twice a second
            self._bad_campaign = text
            logger.error("Ignored %s: %r is not a campaign id", keys.CAMPAIGN, text[:80])
        return None

    def leave(self) -> None:
        """Stop: let go of every partition and the heartbeat (in-flight work was handed back)."""
        if self.owned:
            self._release(keys=[keys.lease(p) for p in self.owned], args=[self.worker_id])
        self.server.zrem(keys.WORKERS, self.worker_id)
        self.owned.clear()
        self.draining.clear()

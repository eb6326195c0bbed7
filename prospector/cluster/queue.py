"""Partitioned scrapy-redis queue with leases: a popped request is held in the worker's
in-flight hash until its result is pushed (in the same step), and goes back to its queue when
the worker stops or dies. That is the visibility timeout scrapy-redis lacks.

Entries are prospector's wire format (wire.py), decoded by prospector alone: one that cannot be
used is dropped with a line in the log and acknowledged, and the good ones are taken as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import redis
from scrapy import Request
from scrapy_redis.queue import Base

from prospector.cluster import keys, wire

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Pop up to n requests from the given partitions, lowest score (highest priority) first, into
# the worker's in-flight hash. KEYS: in-flight hash. ARGV: queue key prefix, n, lease prefix,
# partitions…  Returns lease, request, lease, request, … (a key of the wrong type is skipped:
# pcall, as an error would leave what was already taken in no list).
_TAKE = """
local out = {}
local n = tonumber(ARGV[2])
local taken = 0
for i = 4, #ARGV do
  local p = ARGV[i]
  while taken < n do
    local got = redis.pcall('ZPOPMIN', ARGV[1] .. ':' .. p, 1)
    if type(got) ~= 'table' or got.err or #got == 0 then break end
    local lease = ARGV[3] .. (taken + 1)
    local held = redis.pcall('HSET', KEYS[1], lease, p .. '|' .. got[2] .. '|' .. got[1])
    if type(held) == 'table' and held.err then
      redis.call('ZADD', ARGV[1] .. ':' .. p, got[2], got[1])
      return out
    end
    taken = taken + 1
    out[#out + 1] = lease
    out[#out + 1] = got[1]
  end
  if taken >= n then break end
end
return out
"""

# Put every request of an in-flight hash back in its queue; a value that is not
# "partition|score|request" is dropped. KEYS: in-flight hash. ARGV: queue key prefix, number of
# partitions. Returns {put back, dropped}.
_REQUEUE = """
local all = redis.pcall('HGETALL', KEYS[1])
local back, dropped = 0, 0
if all.err then all = {'', ''} end
for i = 2, #all, 2 do
  local v = all[i]
  local a = string.find(v, '|', 1, true)
  local b = a and string.find(v, '|', a + 1, true)
  local p = a and tonumber(string.sub(v, 1, a - 1))
  local score = b and string.sub(v, a + 1, b - 1)
  if p and p >= 0 and p < tonumber(ARGV[2]) and p == math.floor(p) and score and tonumber(score) then
    local added = redis.pcall('ZADD', ARGV[1] .. ':' .. string.format('%d', p), score, string.sub(v, b + 1))
    if type(added) == 'table' and added.err then dropped = dropped + 1 else back = back + 1 end
  else
    dropped = dropped + 1
  end
end
redis.call('DEL', KEYS[1])
return {back, dropped}
"""

# Queue a result only while its lease is held (a request handed back, or a campaign cleared,
# is answered by whoever takes it next). KEYS: in-flight hash, result list. ARGV: lease, result.
_ANSWER = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


class PartitionedQueue(Base):
    """scrapy-redis queue class (SCHEDULER_QUEUE_CLASS): `key` is a stage's queue prefix in one
    campaign (keys.queue_prefix); each partition is a sorted set `<key>:<partition>` scored
    like scrapy-redis's PriorityQueue."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = wire):
        super().__init__(server, spider, key, serializer)
        self.stage = spider.name
        self._take = server.register_script(_TAKE)

    def _encode_request(self, request: Request) -> str:
        return wire.encode_request(self.stage, request)

    def _decode_request(self, encoded_request: str | bytes) -> Request:
        return wire.decode_request(self.stage, encoded_request)

    def __len__(self) -> int:
        pipe = self.server.pipeline(transaction=False)
        for p in range(keys.PARTITIONS):
            pipe.zcard(f"{self.key}:{p}")
        return sum(pipe.execute())

    def decode(self, data: str | bytes) -> Request:
        return self._decode_request(data)

    def push(self, request: Request) -> None:
        self.push_many([request])

    def push_many(self, requests: Iterable[Request], pipe: Any = None) -> int:
        """Queue requests in one round trip (or on the caller's pipeline)."""
        own = pipe is None
        pipe = pipe if pipe is not None else self.server.pipeline(transaction=False)
        count = 0
        for request in requests:
            key = f"{self.key}:{keys.partition_of(request.url)}"
            pipe.zadd(key, {self._encode_request(request): -request.priority})
            count += 1
        if own and count:
            pipe.execute()
        return count

    def pop(self, timeout: int = 0) -> Request | None:  # scrapy-redis's interface; workers take()
        raise NotImplementedError("workers take requests with leases: PartitionedQueue.take")

    def take(self, in_flight_key: str, partitions: Sequence[int], count: int, lease_prefix: str
             ) -> list[tuple[str, Request]]:
        """Up to `count` requests of these partitions, each under a lease in `in_flight_key`.
        An entry that cannot be decoded is logged once and acknowledged (dropped)."""
        if not partitions or count <= 0:
            return []
        got = self._take(keys=[in_flight_key], args=[self.key, count, lease_prefix, *partitions])
        taken, bad = [], []
        for i in range(0, len(got), 2):
            lease = _text(got[i])
            try:
                taken.append((lease, self._decode_request(got[i + 1])))
            except wire.BadEntry as exc:
                logger.error("Dropped an entry of %s that is not a request prospector can use: %s; the entry: %s",
                             self.key, exc, wire.shown(got[i + 1]))
                bad.append(lease)
        if bad:
            self.server.hdel(in_flight_key, *bad)
        return taken

    def clear(self) -> None:
        self.server.delete(*[f"{self.key}:{p}" for p in range(keys.PARTITIONS)])


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def answering(server: Any) -> Any:
    """`answer(in_flight_key, results_key, lease, result)`: queue a result and acknowledge its
    lease at once; False (nothing queued) when the lease is no longer held."""
    script = server.register_script(_ANSWER)
    return lambda in_flight_key, results_key, lease, result: bool(
        script(keys=[in_flight_key, results_key], args=[lease, result]))


def requeue(server: Any, worker: str) -> int:
    """Put back in the queues every request `worker` holds, of every campaign and stage (it
    stopped or died; safe to run twice). How many."""
    script = server.register_script(_REQUEUE)
    returned = 0
    pattern = keys.in_flight("*", "*", keys.glob_escaped(worker))
    for key in list(server.scan_iter(pattern)):
        campaign, stage, _ = keys.parse(key)
        back, dropped = script(keys=[key], args=[keys.queue_prefix(campaign, stage), keys.PARTITIONS])
        if dropped:
            logger.error("Dropped %d in-flight entries of %s that were not partition|score|request", dropped,
                         _text(key))
        returned += int(back)
    return returned


def held(server: Any, campaign: str, stage: str) -> int:
    """Requests of a stage in flight on any worker."""
    return sum(read(server.hlen, key, 0) for key in server.scan_iter(keys.in_flight(campaign, stage, "*")))


def read(command: Callable[..., T], key: bytes | str, default: T, *args: Any) -> T:
    """`command(key, *args)`, or `default` (said in the log) when the key is not of the type
    prospector writes there: a key nobody should have touched stops nothing."""
    try:
        return command(key, *args)
    except redis.ResponseError as exc:
        logger.error("Skipped %s: %s", _text(key), " ".join(str(exc).split()))
        return default

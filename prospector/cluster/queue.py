"""Partitioned scrapy-redis queue with leases: a popped request is held in the worker's
in-flight hash until its result is pushed (in the same transaction), and goes back to its
queue when the worker stops or dies. That is the visibility timeout scrapy-redis lacks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from scrapy import Request
from scrapy_redis.queue import Base

from prospector.cluster import keys, serializer

# Pop up to n requests from the given partitions, lowest score (highest priority) first, into
# the worker's in-flight hash. KEYS: in-flight hash. ARGV: queue key prefix, n, lease prefix,
# partitions…  Returns lease, request, lease, request, …
_TAKE = """
local out = {}
local n = tonumber(ARGV[2])
local taken = 0
for i = 4, #ARGV do
  local p = ARGV[i]
  while taken < n do
    local got = redis.call('ZPOPMIN', ARGV[1] .. ':' .. p, 1)
    if #got == 0 then break end
    taken = taken + 1
    local lease = ARGV[3] .. taken
    redis.call('HSET', KEYS[1], lease, p .. '|' .. got[2] .. '|' .. got[1])
    out[#out + 1] = lease
    out[#out + 1] = got[1]
  end
  if taken >= n then break end
end
return out
"""

# Put every request of an in-flight hash back in its queue. KEYS: in-flight hash. ARGV: queue
# key prefix. Returns how many.
_REQUEUE = """
local all = redis.call('HGETALL', KEYS[1])
for i = 2, #all, 2 do
  local v = all[i]
  local a = string.find(v, '|', 1, true)
  local b = string.find(v, '|', a + 1, true)
  redis.call('ZADD', ARGV[1] .. ':' .. string.sub(v, 1, a - 1), string.sub(v, a + 1, b - 1), string.sub(v, b + 1))
end
redis.call('DEL', KEYS[1])
return #all / 2
"""


class PartitionedQueue(Base):
    """scrapy-redis queue class (SCHEDULER_QUEUE_CLASS): `key` is the stage's queue key; each
    partition is a sorted set `<key>:<partition>` scored like scrapy-redis's PriorityQueue."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = serializer):
        super().__init__(server, spider, key, serializer)
        self._take = server.register_script(_TAKE)

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
            pipe.zadd(f"{self.key}:{keys.partition_of(request.url)}", {self._encode_request(request): -request.priority})
            count += 1
        if own and count:
            pipe.execute()
        return count

    def pop(self, timeout: int = 0) -> Request | None:  # scrapy-redis's interface; workers take()
        raise NotImplementedError("workers take requests with leases: PartitionedQueue.take")

    def take(self, in_flight_key: str, partitions: Sequence[int], count: int, lease_prefix: str
             ) -> list[tuple[str, Request]]:
        """Up to `count` requests of these partitions, each under a lease in `in_flight_key`."""
        if not partitions or count <= 0:
            return []
        got = self._take(keys=[in_flight_key], args=[self.key, count, lease_prefix, *partitions])
        return [(_text(got[i]), self._decode_request(got[i + 1])) for i in range(0, len(got), 2)]

    def clear(self) -> None:
        self.server.delete(*[f"{self.key}:{p}" for p in range(keys.PARTITIONS)])


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def requeue(server: Any, worker: str) -> int:
    """Put back in the queues every request `worker` holds, of every stage (it stopped or
    died; safe to run twice). How many."""
    script = server.register_script(_REQUEUE)
    return sum(int(script(keys=[keys.in_flight(stage, worker)], args=[keys.QUEUE_KEY % {"spider": stage}]))
               for stage in keys.STAGES)


def held(server: Any, stage: str) -> int:
    """Requests of a stage in flight on any worker."""
    return sum(server.hlen(key) for key in server.scan_iter(keys.in_flight(stage, "*")))

"""Who is connected: a count of participant connections per event.

Two implementations behind one small interface. ``MemoryPresence`` serves one process;
``RedisPresence`` serves several processes behind a load balancer: each connection is a member of
a sorted set scored by its expiry time, refreshed by the process that holds it, so a process that
dies stops being counted once its entries expire.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

TTL_SECONDS = 60


class MemoryPresence:
    def __init__(self) -> None:
        self._sids: dict[int, set[str]] = defaultdict(set)
        self._lock = threading.Lock()

    def join(self, event_id: int, sid: str) -> None:
        with self._lock:
            self._sids[event_id].add(sid)

    def leave(self, event_id: int, sid: str) -> None:
        with self._lock:
            self._sids[event_id].discard(sid)

    def count(self, event_id: int) -> int:
        with self._lock:
            return len(self._sids.get(event_id, ()))

    def refresh(self) -> None:
        """Nothing expires in memory."""


class RedisPresence:
    def __init__(self, url: str, prefix: str = "roundtable:presence") -> None:
        import redis

        from .ratelimit import redis_pool

        self._redis = redis.Redis(connection_pool=redis_pool(url))
        self._prefix = prefix
        self._mine: dict[int, set[str]] = defaultdict(set)
        self._lock = threading.Lock()

    def _key(self, event_id: int) -> str:
        return f"{self._prefix}:{event_id}"

    def join(self, event_id: int, sid: str) -> None:
        with self._lock:
            self._mine[event_id].add(sid)
        self._redis.zadd(self._key(event_id), {sid: time.time() + TTL_SECONDS})

    def leave(self, event_id: int, sid: str) -> None:
        with self._lock:
            self._mine[event_id].discard(sid)
        self._redis.zrem(self._key(event_id), sid)

    def count(self, event_id: int) -> int:
        return int(self._redis.zcount(self._key(event_id), time.time(), "+inf"))

    def refresh(self) -> None:
        """Extend this process's connections and drop everyone's expired ones."""
        now = time.time()
        with self._lock:
            mine = {event_id: set(sids) for event_id, sids in self._mine.items() if sids}
        pipe = self._redis.pipeline()
        for event_id, sids in mine.items():
            pipe.zadd(self._key(event_id), dict.fromkeys(sids, now + TTL_SECONDS))
            pipe.zremrangebyscore(self._key(event_id), "-inf", now)
        pipe.execute()


def presence_for(queue: str, channel: str) -> MemoryPresence | RedisPresence:
    """In memory for one process; in Redis with a message queue, under keys named after the
    channel: installs (or test runs) sharing one Redis must not count each other's phones, and
    event ids repeat between databases."""
    if queue.startswith(("redis://", "rediss://")):
        return RedisPresence(queue, prefix=f"roundtable:presence:{channel}")
    return MemoryPresence()

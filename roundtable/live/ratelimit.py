"""Rate limits for socket events, per participant and per network address.

Every limit is a setting (``ROUNDTABLE_LIMIT_<ACTION>`` per participant, ``..._ADDRESS`` per
address; see config.py and the README). The per-participant limits stop one phone flooding; the
per-address limits are sized for a venue whose thousands of phones share one NAT address, so a
room of 5,000 voting at the same moment is never refused, while a script with many fake
participants behind one address still is.

Small limits (one phone's: at most ``EXACT_UP_TO`` hits) are exact moving windows, a short queue
of hit times per key; large ones (a venue's) are sliding-window counters (the current and the
previous fixed window, the previous weighted by how much of it still overlaps), O(1) per hit and
one small record per key, which may let a few per cent more through at a window's edge. In
memory the records live in dicts swept once a minute, never on a timer over every key (the
``limits`` library's in-memory moving windows rescanned every key a hundred times a second, a
cost that grew with the room). With ``redis://`` the same two algorithms run in Redis through
``limits``, so several processes share the counts.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping

from limits import RateLimitItem, parse, storage, strategies

ACTIONS = ("vote", "snapshot", "ask", "upvote", "help")
EXACT_UP_TO = 1000


def redis_pool(uri: str):
    """A pool on which a burst of green threads waits its turn instead of failing.

    Under eventlet every socket event may be in flight at once; redis-py's default pool raises
    "Too many connections" past its cap, which would drop votes.
    """
    import redis

    return redis.BlockingConnectionPool.from_url(uri, max_connections=64, timeout=20)


def limits_from_config(config: Mapping[str, object]) -> dict[str, tuple[RateLimitItem, RateLimitItem]]:
    """``{action: (per participant, per address)}`` from the ROUNDTABLE_LIMIT_* settings.

    A malformed value stops the start-up with the setting's name, rather than a silent default.
    """
    limits: dict[str, tuple[RateLimitItem, RateLimitItem]] = {}
    for action in ACTIONS:
        pair = []
        for suffix in ("", "_ADDRESS"):
            name = f"ROUNDTABLE_LIMIT_{action.upper()}{suffix}"
            try:
                pair.append(parse(str(config[name])))
            except ValueError as error:
                message = f"{name}: {config[name]!r} is not a rate limit like '30/10 seconds'"
                raise ValueError(message) from error
        limits[action] = (pair[0], pair[1])
    return limits


class MemoryCounter:
    """Sliding-window counters in one process's memory."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        # key -> [window number, hits in the previous window, hits in this window, period]
        self._windows: dict[str, list[int]] = {}
        # key -> (hit times, oldest first; period) for the exact small limits
        self._moving: dict[str, tuple[deque[float], int]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def hit(self, item: RateLimitItem, key: str) -> bool:
        period = item.get_expiry()
        now = self._clock()
        window = int(now // period)
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            if item.amount <= EXACT_UP_TO:
                return self._hit_moving(item.amount, period, key, now)
            record = self._windows.get(key)
            if record is None or record[0] < window - 1:
                record = self._windows[key] = [window, 0, 0, period]
            elif record[0] == window - 1:
                record[0], record[1], record[2] = window, record[2], 0
            overlap = 1.0 - (now - window * period) / period
            if record[1] * overlap + record[2] + 1 > item.amount:
                return False
            record[2] += 1
            return True

    def _hit_moving(self, amount: int, period: int, key: str, now: float) -> bool:
        entry = self._moving.get(key)
        if entry is None:
            entry = self._moving[key] = (deque(), period)
        hits = entry[0]
        while hits and hits[0] <= now - period:
            hits.popleft()
        if len(hits) >= amount:
            return False
        hits.append(now)
        return True

    def _sweep(self, now: float) -> None:
        # A key idle for two of its windows counts nothing any more: drop it (once a minute,
        # one pass over the keys, instead of a scan of every key on a timer).
        self._windows = {
            key: record for key, record in self._windows.items() if (record[0] + 2) * record[3] > now
        }
        self._moving = {
            key: entry for key, entry in self._moving.items() if entry[0] and entry[0][-1] > now - entry[1]
        }
        self._next_sweep = now + 60

    def __len__(self) -> int:
        return len(self._windows) + len(self._moving)


class RedisCounter:
    def __init__(self, uri: str) -> None:
        backend = storage.RedisStorage(uri, connection_pool=redis_pool(uri))
        self._exact = strategies.MovingWindowRateLimiter(backend)
        self._counter = strategies.SlidingWindowCounterRateLimiter(backend)

    def hit(self, item: RateLimitItem, key: str) -> bool:
        limiter = self._exact if item.amount <= EXACT_UP_TO else self._counter
        return limiter.hit(item, key)


class SocketRateLimiter:
    def __init__(
        self, uri: str = "memory://", limits: dict[str, tuple[RateLimitItem, RateLimitItem]] | None = None
    ) -> None:
        self.limits = limits if limits is not None else limits_from_config(default_settings())
        self._counter = RedisCounter(uri) if uri.startswith(("redis://", "rediss://")) else MemoryCounter()

    def allow(self, action: str, who: str, address: str | None) -> bool:
        """Count one ``action`` of participant ``who`` from ``address``; False once over a limit.

        A refused hit is not counted against the address, so one flooding phone cannot use up
        the venue's allowance.
        """
        per_who, per_address = self.limits[action]
        if not self._counter.hit(per_who, f"rt:{action}:who:{who}"):
            return False
        return address is None or self._counter.hit(per_address, f"rt:{action}:addr:{address}")


def default_settings() -> dict[str, object]:
    from ..config import from_environment

    return from_environment({})

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
cost that grew with the room). With ``redis://`` the same two algorithms run in Redis, so several
processes share the counts: one Lua script checks a participant's and their address's limits and
counts both, in one round trip per action (through ``limits`` it was a script call per limit,
two round trips a vote and an eighth of a vote's CPU on PostgreSQL + Redis).

An action is allowed only if every limit it is counted against has room, and a refused action
counts against none of them: one flooding phone cannot use up the venue's allowance.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse

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
        # key -> (hit times, oldest first; period) for the exact small limits. A list, not a
        # deque: a deque's first block is some 600 bytes, and every phone has a few of these.
        self._moving: dict[str, tuple[list[float], int]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def hit(self, item: RateLimitItem, key: str) -> bool:
        return self.hit_all(((item, key),))

    def hit_all(self, limits: tuple[tuple[RateLimitItem, str], ...]) -> bool:
        """Count one hit against every ``(limit, key)`` if each has room; else count none."""
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            counters = []
            for item, key in limits:
                counter = self._room(item, key, now)
                if counter is None:
                    return False
                counters.append(counter)
            for kind, counter in counters:
                if kind == "exact":
                    counter.append(now)  # an exact window's hit times
                else:
                    counter[2] += 1  # a sliding window's hits in this window
            return True

    def _room(self, item: RateLimitItem, key: str, now: float) -> tuple[str, list] | None:
        """``("exact", hit times)`` or ``("sliding", record)``: ``key``'s counter if it has room
        for one more hit now, else None."""
        period = item.get_expiry()
        if item.amount <= EXACT_UP_TO:
            entry = self._moving.get(key)
            if entry is None:
                entry = self._moving[key] = ([], period)
            hits = entry[0]
            expired = bisect.bisect_right(hits, now - period)  # hit times only grow
            if expired:
                del hits[:expired]
            return ("exact", hits) if len(hits) < item.amount else None
        window = int(now // period)
        record = self._windows.get(key)
        if record is None or record[0] < window - 1:
            record = self._windows[key] = [window, 0, 0, period]
        elif record[0] == window - 1:
            record[0], record[1], record[2] = window, record[2], 0
        overlap = 1.0 - (now - window * period) / period
        return ("sliding", record) if record[1] * overlap + record[2] + 1 <= item.amount else None

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


# KEYS: the limits' keys; ARGV: now (seconds), the largest exact amount, then amount and period
# of each key. Returns 1 and counts a hit against every key if each has room, else 0, counting none.
# The algorithms of MemoryCounter: an exact moving window is a list of hit times, newest first,
# cut to its amount; a sliding-window counter is a counter per fixed window (``key:<window>``).
_HIT_ALL = """
local now, exact = tonumber(ARGV[1]), tonumber(ARGV[2])
local plan = {}
for i, key in ipairs(KEYS) do
  local amount, period = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  if amount <= exact then
    local oldest = redis.call('LINDEX', key, amount - 1)
    if oldest and tonumber(oldest) > now - period then return 0 end
  else
    local window = math.floor(now / period)
    local current = tonumber(redis.call('GET', key .. ':' .. window) or '0')
    local previous = tonumber(redis.call('GET', key .. ':' .. (window - 1)) or '0')
    local overlap = 1 - (now - window * period) / period
    if previous * overlap + current + 1 > amount then return 0 end
    plan[i] = key .. ':' .. window
  end
end
for i, key in ipairs(KEYS) do
  local amount, period = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  if plan[i] then
    redis.call('INCR', plan[i])
    redis.call('EXPIRE', plan[i], 2 * period)
  else
    redis.call('LPUSH', key, ARGV[1])
    redis.call('LTRIM', key, 0, amount - 1)
    redis.call('EXPIRE', key, period)
  end
end
return 1
"""


class RedisCounter:
    """The same counters in Redis, shared by every process: one script call per action."""

    def __init__(self, uri: str, clock=time.time) -> None:
        import redis

        self._redis = redis.Redis(connection_pool=redis_pool(uri))
        self._script = self._redis.register_script(_HIT_ALL)
        self._clock = clock

    def hit_all(self, limits: tuple[tuple[RateLimitItem, str], ...]) -> bool:
        args: list[object] = [repr(self._clock()), EXACT_UP_TO]
        for item, _ in limits:
            args += [item.amount, item.get_expiry()]
        return self._script(keys=[key for _, key in limits], args=args) == 1


class SocketRateLimiter:
    def __init__(
        self, uri: str = "memory://", limits: dict[str, tuple[RateLimitItem, RateLimitItem]] | None = None
    ) -> None:
        self.limits = limits if limits is not None else limits_from_config(default_settings())
        self._counter = RedisCounter(uri) if uri.startswith(("redis://", "rediss://")) else MemoryCounter()

    def allow(self, action: str, who: str, address: str | None) -> bool:
        """Count one ``action`` of participant ``who`` from ``address``; False once over a limit.

        A refused hit counts against neither, so one flooding phone cannot use up the venue's
        allowance.
        """
        per_who, per_address = self.limits[action]
        if address is None:
            return self._counter.hit_all(((per_who, f"rt:{action}:who:{who}"),))
        return self._counter.hit_all(
            ((per_who, f"rt:{action}:who:{who}"), (per_address, f"rt:{action}:addr:{address}"))
        )


def default_settings() -> dict[str, object]:
    from ..config import from_environment

    return from_environment({})

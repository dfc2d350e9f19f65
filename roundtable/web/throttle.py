"""Abuse limits tuned for a venue where thousands of phones share one network address (NAT).

- **Event codes** (``CodeGuard``): only *misses* count, per address (``ROUNDTABLE_CODE_MISS_LIMIT``,
  30 a minute and 300 an hour by default). A venue of 5,000 typing the right code never counts;
  even one typo in ten at a session start stays far below. Past the limit every code lookup of
  that address, valid or not, answers 429 (phones that already joined are let through by their
  cookie): a refusal that differed between a valid and an unknown code would still tell them
  apart. At 300 misses an hour, walking the 900,000 six-digit codes takes 3,000 hours.
- **Logins** (``LoginThrottle``): failures are counted per account *and* address. After
  ``ROUNDTABLE_LOGIN_FREE_TRIES`` failures (5) each further one makes that pair wait twice as
  long as the last (2, 4, 8 ... s, at most ``ROUNDTABLE_LOGIN_MAX_DELAY``, 300 s) before the next
  try; the answer says how long. A success clears the pair. Per account from every address, the
  same with four times the free tries, so guessing from many addresses slows down too. Nobody
  is ever locked out, and a colleague behind the same NAT is never slowed by someone else's
  typos. A per-address cap (``ROUNDTABLE_LOGIN_ADDRESS_LIMIT``, 60 a minute) bounds spraying
  many accounts.

Counters live in the rate-limit storage (``ROUNDTABLE_RATELIMIT_STORAGE_URI``): memory on one
machine, Redis when several processes share the load, so every process sees the same counts.
"""

from __future__ import annotations

import hashlib
import math
import time

from limits import parse_many, storage, strategies


def _storage(uri: str):
    if uri.startswith(("redis://", "rediss://")):
        from ..live.ratelimit import redis_pool

        return storage.RedisStorage(uri, connection_pool=redis_pool(uri))
    return storage.storage_from_string(uri)


def _key(*parts: str) -> str:
    # Hashed: the storage never holds a username or an address in clear.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class CodeGuard:
    def __init__(self, uri: str, limit: str) -> None:
        self._limits = parse_many(limit)
        self._limiter = strategies.MovingWindowRateLimiter(_storage(uri))

    def exhausted(self, address: str | None) -> bool:
        """Whether this address has used up its misses (then every lookup gets a 429)."""
        if address is None:
            return False
        key = _key("code-miss", address)
        return not all(self._limiter.test(limit, key) for limit in self._limits)

    def missed(self, address: str | None) -> None:
        if address is not None:
            key = _key("code-miss", address)
            for limit in self._limits:
                self._limiter.hit(limit, key)


class LoginThrottle:
    WINDOW = 3600  # failures are forgotten an hour after the first of a run

    def __init__(self, uri: str, free_tries: int, max_delay: float) -> None:
        self._store = _storage(uri)
        self.free_tries = free_tries
        self.max_delay = max_delay

    def _pairs(self, username: str, address: str | None) -> list[tuple[str, int]]:
        name = username.casefold()
        pair = _key("login", name, address or "-")
        return [(pair, self.free_tries), (_key("login", name), 4 * self.free_tries)]

    def wait(self, username: str, address: str | None) -> int:
        """Seconds this account must wait before trying again from this address (0: go ahead)."""
        now = time.time()
        waits = [0.0]
        for key, _ in self._pairs(username, address):
            if self._store.get("wait:" + key) > 0:
                waits.append(self._store.get_expiry("wait:" + key) - now)
        return max(0, math.ceil(max(waits)))

    def failed(self, username: str, address: str | None) -> None:
        for key, free in self._pairs(username, address):
            failures = self._store.incr("fail:" + key, self.WINDOW)
            if failures > free:
                delay = min(self.max_delay, 2 ** (failures - free))
                self._store.clear("wait:" + key)
                self._store.incr("wait:" + key, delay)

    def succeeded(self, username: str, address: str | None) -> None:
        key, _ = self._pairs(username, address)[0]
        self._store.clear("fail:" + key)
        self._store.clear("wait:" + key)

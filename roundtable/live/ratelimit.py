"""Rate limits for socket events, per participant and per network address.

Uses the ``limits`` library (the engine behind Flask-Limiter) so that the same storage URI,
``memory://`` on one machine or ``redis://`` when scaled out, serves HTTP and sockets alike.
Per-address limits are generous: a whole venue often shares one address behind the Wi-Fi's NAT.
"""

from __future__ import annotations

from limits import parse, storage, strategies

LIMITS = {
    "vote": (parse("30/10 seconds"), parse("3000/minute")),
    "snapshot": (parse("30/10 seconds"), parse("6000/minute")),
    # The question wall: a few questions a minute is plenty for one person; upvotes come in bursts
    # as people scroll the wall; help is rare (but never refused for long).
    "ask": (parse("5/minute"), parse("600/minute")),
    "upvote": (parse("60/minute"), parse("6000/minute")),
    "help": (parse("5/minute"), parse("300/minute")),
}


def redis_pool(uri: str):
    """A pool on which a burst of green threads waits its turn instead of failing.

    Under eventlet every socket event may be in flight at once; redis-py's default pool raises
    "Too many connections" past its cap, which would drop votes.
    """
    import redis

    return redis.BlockingConnectionPool.from_url(uri, max_connections=64, timeout=20)


class SocketRateLimiter:
    def __init__(self, uri: str = "memory://") -> None:
        if uri.startswith(("redis://", "rediss://")):
            backend = storage.RedisStorage(uri, connection_pool=redis_pool(uri))
        else:
            backend = storage.storage_from_string(uri)
        self._limiter = strategies.MovingWindowRateLimiter(backend)

    def allow(self, action: str, who: str, address: str | None) -> bool:
        per_who, per_address = LIMITS[action]
        if not self._limiter.hit(per_who, action, "who", who):
            return False
        return address is None or self._limiter.hit(per_address, action, "addr", address)

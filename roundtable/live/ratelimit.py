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


class SocketRateLimiter:
    def __init__(self, uri: str = "memory://") -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))

    def allow(self, action: str, who: str, address: str | None) -> bool:
        per_who, per_address = LIMITS[action]
        if not self._limiter.hit(per_who, action, "who", who):
            return False
        return address is None or self._limiter.hit(per_address, action, "addr", address)

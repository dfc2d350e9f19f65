"""Configuration: built-in defaults, then ``ROUNDTABLE_*`` environment variables, then a test dict.

This is the only module that reads ``os.environ``. Every setting has a default that gives a working
single-machine install (SQLite in the instance folder, eventlet, no message queue).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# name -> (default, parser). The environment variable is ROUNDTABLE_<NAME>.
_SETTINGS: dict[str, tuple[object, type]] = {
    "DATABASE_URL": ("", str),
    "SECRET_KEY": ("", str),
    "ASYNC_MODE": ("eventlet", str),
    "MESSAGE_QUEUE": ("", str),
    "CHANNEL": ("roundtable", str),
    "HOST": ("0.0.0.0", str),  # noqa: S104 - phones on the venue network must reach the server
    "PORT": (5000, int),
    "ADMIN_USERNAME": ("admin", str),
    "ADMIN_PASSWORD": ("", str),
    "PUBLIC_URL": ("", str),
    "MAX_CONNECTIONS": (10000, int),
    "TALLY_INTERVAL": (0.25, float),
    # The question wall's changes go to phones at most once per this many seconds.
    "WALL_INTERVAL": (1.0, float),
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    # Joins per network address: a venue of 5,000 phones behind one NAT address joins within a
    # minute (with room for retries), while a script minting participants is still stopped.
    "JOIN_LIMIT": ("12000 per minute", str),
    # Socket limits, per participant (one phone flooding is refused) and per address (a whole
    # venue shares one: sized so that 5,000 phones all voting at once are never refused).
    "LIMIT_VOTE": ("30/10 seconds", str),
    "LIMIT_VOTE_ADDRESS": ("60000/minute", str),
    "LIMIT_SNAPSHOT": ("30/10 seconds", str),
    "LIMIT_SNAPSHOT_ADDRESS": ("60000/minute", str),
    "LIMIT_ASK": ("5/minute", str),
    "LIMIT_ASK_ADDRESS": ("6000/minute", str),
    "LIMIT_UPVOTE": ("60/minute", str),
    "LIMIT_UPVOTE_ADDRESS": ("60000/minute", str),
    "LIMIT_HELP": ("5/minute", str),
    "LIMIT_HELP_ADDRESS": ("6000/minute", str),
    # eventlet's listen backlog (socketio.run leaves it at 50): a room reconnecting at once after
    # a Wi-Fi drop must not overflow it. The kernel caps it at net.core.somaxconn.
    "LISTEN_BACKLOG": (4096, int),
    # The garbage collector's thresholds (gen0 allocations, gen1, gen2 collections): Python's
    # 700,10,10 ran a collection every few connections of a crowd, each walking the young
    # objects of thousands of live sockets (a fifth of a connect storm's CPU). "default" keeps
    # Python's. The objects of start-up are frozen out of every collection either way.
    "GC_THRESHOLD": ("50000,20,100", str),
    # Database connections kept per process, and how many more a burst may open. SQLAlchemy's
    # defaults (5 + 10) make a connect storm wait for connections or open and close one per
    # event past the fifth; on PostgreSQL keep processes x (size + overflow) under max_connections.
    "DB_POOL_SIZE": (20, int),
    "DB_MAX_OVERFLOW": (30, int),
    "AUTO_MIGRATE": (True, bool),
    "SEED_DEFAULT": (True, bool),
    "LOG_LEVEL": ("INFO", str),
    # Results by stakeholder group: the fewest respondents a figure may stand for (never below 3).
    "DISCLOSURE_THRESHOLD": (5, int),
    # Every request body is read whole within this many seconds, or refused (408): a request that
    # never sends its body cannot hold a connection slot.
    "BODY_TIMEOUT": (10.0, float),
    # eventlet: each socket read or write waits at most this long (above the 25 s ping interval,
    # so a quiet WebSocket is never cut), and an idle keep-alive connection is closed after
    # KEEPALIVE_TIMEOUT seconds.
    "SOCKET_TIMEOUT": (60.0, float),
    "KEEPALIVE_TIMEOUT": (20.0, float),
    # Abuse limits (roundtable/web/throttle.py): wrong event codes per address, and logins.
    "CODE_MISS_LIMIT": ("30 per minute; 300 per hour", str),
    "LOGIN_FREE_TRIES": (5, int),
    "LOGIN_MAX_DELAY": (300.0, float),
    "LOGIN_ADDRESS_LIMIT": ("60 per minute", str),
    # Behind https (deploy/): cookies only over TLS, and how many proxies to trust for the
    # client's address, scheme and host (X-Forwarded-*). 0 trusts none: the right default when
    # phones reach the app directly, since anyone can send those headers.
    "SECURE_COOKIES": (False, bool),
    "PROXY_COUNT": (0, int),
    # Feature phones (roundtable/channels, docs/feature-phones.md). No secret: callbacks refused.
    "CHANNELS_SECRET": ("", str),
    "CHANNELS_EVENT": ("", str),  # an event code: the USSD menu and SMS skip asking for it
    "CHANNELS_ALLOWED_IPS": ("", str),  # comma-separated addresses/networks of the gateway
    "USSD_SERVICE_CODE": ("", str),  # e.g. *384*1234#: any other serviceCode is refused
    "USSD_SESSION_TTL": (300, int),
    "USSD_LIMIT": ("40 per minute", str),
    "SMS_SHORTCODE": ("", str),  # the number SMS are sent to: any other ``to`` is refused
    "SMS_LIMIT": ("10 per minute", str),
    "SMS_REPLIES": ("off", str),  # "off" or "africastalking" (replies cost money)
    "AT_USERNAME": ("sandbox", str),
    "AT_API_KEY": ("", str),
    "AT_SENDER_ID": ("", str),
    "AT_API_URL": ("", str),  # replaces the SDK's API address (a local fake gateway in tests)
}

MIN_DISCLOSURE_THRESHOLD = 3


def _parse(raw: str, kind: type) -> object:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def from_environment(environ: dict[str, str] | None = None) -> dict[str, object]:
    """Return the ROUNDTABLE_* settings found in ``environ`` (defaults for the rest)."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    for name, (default, kind) in _SETTINGS.items():
        raw = environ.get(f"ROUNDTABLE_{name}")
        values[f"ROUNDTABLE_{name}"] = default if raw in (None, "") else _parse(raw, kind)
    values["ROUNDTABLE_INSTANCE_PATH"] = environ.get("ROUNDTABLE_INSTANCE_PATH") or None
    if int(values["ROUNDTABLE_DISCLOSURE_THRESHOLD"]) < MIN_DISCLOSURE_THRESHOLD:
        raise ValueError(
            f"ROUNDTABLE_DISCLOSURE_THRESHOLD must be at least {MIN_DISCLOSURE_THRESHOLD}: "
            "smaller groups could single out a child."
        )
    return values


def instance_secret_key(instance_path: str) -> str:
    """The default install's secret key: generated once, then kept in the instance folder."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Owner-only: the key signs participant and staff cookies.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key

"""The framework's ceiling: a bare python-socketio + eventlet server that only counts votes.

``python -m bench.bare_server --port P`` serves a plain ``socketio.Server`` (no Flask, no
database, no checks) with the app's Engine.IO settings and the app's way of serving (eventlet's
WSGI server with a large listen backlog and connection cap, as roundtable/live/serving.py), so
``bench/bare.py`` can measure what python-socketio and eventlet alone cost per connection and per
vote on this machine, with the same load generator as the app's benchmark.

Events (every one acknowledged; nothing is logged per event):

- ``connect``: any auth is accepted.
- ``vote`` ``{"poll_id", "client_id", "answer": {"option"}}``: counted once per client id and
  poll (a set); ack ``{"ok": True, "poll_id", "answer", "duplicate"}`` (``duplicate``: the client
  id had voted in that poll before, and was not counted again).
- ``count`` ``{"poll_id"}``: ack ``{"ok": True, "poll_id", "received", "counts", "client_ids"}``:
  the votes received (retries included), the counts per option and the counted client ids.
"""

from __future__ import annotations

import warnings

# eventlet announces its deprecation on import (see README, "Architecture"), as for app.py.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402

log = logging.getLogger(__name__)

# The app's values (roundtable/__init__.py's socketio.init_app, roundtable/config.py).
PING_INTERVAL, PING_TIMEOUT = 25, 30
MAX_HTTP_BUFFER_SIZE = 64 * 1024
LISTEN_BACKLOG, MAX_CONNECTIONS = 4096, 10000
SOCKET_TIMEOUT, KEEPALIVE_TIMEOUT = 60.0, 20.0


class Tally:
    """The votes of every poll, in memory: who voted (a set per poll) and the counts per option."""

    def __init__(self) -> None:
        self.voters: dict[object, set[str]] = defaultdict(set)
        self.counts: dict[object, Counter] = defaultdict(Counter)
        self.received: Counter = Counter()

    def vote(self, data: dict) -> dict:
        poll_id, client_id, answer = data["poll_id"], data["client_id"], data["answer"]
        self.received[poll_id] += 1
        voters = self.voters[poll_id]
        duplicate = client_id in voters
        if not duplicate:
            voters.add(client_id)
            self.counts[poll_id][str(answer["option"])] += 1
        return {"ok": True, "poll_id": poll_id, "answer": answer, "duplicate": duplicate}

    def count(self, data: dict) -> dict:
        poll_id = data["poll_id"]
        return {"ok": True, "poll_id": poll_id, "received": self.received[poll_id],
                "counts": dict(self.counts[poll_id]), "client_ids": sorted(self.voters[poll_id])}


def build(fast_unmask: bool = False) -> socketio.WSGIApp:
    sio = socketio.Server(
        async_mode="eventlet",
        ping_interval=PING_INTERVAL,
        ping_timeout=PING_TIMEOUT,
        max_http_buffer_size=MAX_HTTP_BUFFER_SIZE,
        # As the app: each socket's events run in the green thread that reads it (no spawn each).
        async_handlers=False,
        logger=False,
        engineio_logger=False,
    )
    tally = Tally()

    @sio.event
    def connect(sid, environ, auth=None):
        return True

    @sio.event
    def vote(sid, data):
        return tally.vote(data)

    @sio.event
    def count(sid, data):
        return tally.count(data)

    if fast_unmask:
        # The app's whole-integer unmasking of websocket frames; importing it imports the app's
        # package (Flask, SQLAlchemy...), which the RSS figures then include.
        from roundtable.live.serving import fast_websocket_unmasking

        fast_websocket_unmasking()
    return socketio.WSGIApp(sio)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--fast-unmask", action="store_true",
                   help="the app's websocket unmasking (roundtable/live/serving.py) instead of eventlet's")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = build(args.fast_unmask)
    listener = eventlet.listen((args.host, args.port), backlog=LISTEN_BACKLOG)
    log.info("bare server listening on %s:%d", args.host, args.port)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=MAX_CONNECTIONS,
                         socket_timeout=SOCKET_TIMEOUT, keepalive=KEEPALIVE_TIMEOUT)


if __name__ == "__main__":
    main()

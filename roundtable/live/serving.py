"""Serving the app: eventlet's WSGI server with a listen backlog and connection cap for a crowd.

``socketio.run`` opens eventlet's listening socket with a backlog of 50: when a room of phones
reconnects at once after a Wi-Fi drop, connections past the backlog are dropped by the kernel
and retried a second or more later. The backlog (``ROUNDTABLE_LISTEN_BACKLOG``) and eventlet's
connection cap (``ROUNDTABLE_MAX_CONNECTIONS``; eventlet's own default is 1024) are settings.
Other async modes are served by ``socketio.run`` as before.

Every frame a phone sends over its websocket is masked (RFC 6455); eventlet unmasks it one byte at
a time in Python (about 25 µs for a vote's 120 bytes on the development machine, a twentieth of
a vote's CPU). ``unmask`` does the same XOR on whole integers (about 1 µs) and replaces eventlet's
method at start-up (``fast_websocket_unmasking``), checked against eventlet's own by a test.

Before listening, the garbage collector is tuned for a crowd (``ROUNDTABLE_GC_THRESHOLD``): with
Python's thresholds a collection ran every few hundred allocations, and in a connect storm of
thousands of phones those collections took a fifth of the server's CPU (bench/run.py).

Engine.IO pings each socket every 25 s from a green thread of its own that sleeps in between:
5,000 phones kept 5,000 sleeping green threads (about 7 KB each, their saved stacks). With
``ping_by_timer`` an eventlet hub timer does the waiting, and a green thread exists only while a
ping is sent (the same checks and packet as Engine.IO's ``_send_ping`` after its sleep).

Each connection is served by ``WebSocketBuffers`` (eventlet's protocol, one change): eventlet
gives every connection an 8 KB read buffer and a 16 KB write buffer for HTTP, and a websocket
keeps its connection, and so both buffers, for as long as the phone stays. Its frames go to and
from the raw socket, never through those buffers, which were a third of an idle phone's memory
(24 of 72 KB). A websocket handshake therefore swaps them for small ones before it is answered,
and keeps of the parsed request headers (the environ has a copy) only the one eventlet reads again.
"""

from __future__ import annotations

import gc
import socket
import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from ..extensions import socketio


def listen_socket(host: str, port: int, backlog: int):
    """The listening socket, created the way eventlet's ``listen`` does, with our backlog."""
    import eventlet

    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    return eventlet.listen(address, family, backlog=backlog)


def gc_thresholds(value: str) -> tuple[int, int, int] | None:
    """``ROUNDTABLE_GC_THRESHOLD`` ("50000,20,100", or "default": Python's own) as three ints."""
    if value.strip().lower() in ("", "default"):
        return None
    try:
        first, second, third = (int(part) for part in value.split(","))
    except ValueError:
        raise ValueError(
            f"ROUNDTABLE_GC_THRESHOLD: {value!r} is not three whole numbers like '50000,20,100'"
        ) from None
    if first < 1 or second < 1 or third < 1:
        raise ValueError(f"ROUNDTABLE_GC_THRESHOLD: {value!r}: each number must be at least 1")
    return first, second, third


def tune_gc(app: Flask) -> None:
    """Freeze what start-up made (modules, the app, caches: never garbage, never scanned again)
    and set the collector's thresholds for a crowd of long-lived sockets."""
    thresholds = gc_thresholds(str(app.config["ROUNDTABLE_GC_THRESHOLD"]))
    gc.collect()
    gc.freeze()
    if thresholds is not None:
        gc.set_threshold(*thresholds)


def release_free_memory() -> bool:
    """Give memory that is free inside the C allocator back to the system (glibc's
    ``malloc_trim``): a native thread's arena keeps what it freed. False where there is no glibc."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # this process's own symbols, libc's among them
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def unmask(data: bytes, mask, length: int | None = None, offset: int = 0) -> bytes:
    """``data[:length]`` XOR the 4-byte ``mask`` repeated, starting at mask byte ``offset % 4``:
    eventlet's ``RFC6455WebSocket._apply_mask``, on whole integers instead of byte by byte."""
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    start = offset % 4
    key = bytes(mask[start:]) + bytes(mask[:start])
    repeated = (key * (length // 4 + 1))[:length]
    value = int.from_bytes(data[:length], "little") ^ int.from_bytes(repeated, "little")
    return value.to_bytes(length, "little")


def fast_websocket_unmasking() -> bool:
    """Use ``unmask`` for eventlet's websockets; False (nothing changed) if eventlet differs."""
    from eventlet.websocket import RFC6455WebSocket

    current = RFC6455WebSocket.__dict__.get("_apply_mask")
    if not isinstance(current, staticmethod):
        return False
    RFC6455WebSocket._apply_mask = staticmethod(unmask)
    return True


# Enough for what may still pass through them on a websocket's connection: a refused handshake's
# short answer. Any size above zero is correct (the reader still reads lines, the writer still
# writes whole answers), only the number of system calls changes.
SMALL_BUFFER = 512


def websocket_buffers_protocol():
    """eventlet's HTTP protocol, with small buffers on a connection that becomes a websocket."""
    import eventlet.wsgi

    class WebSocketBuffers(eventlet.wsgi.HttpProtocol):
        def handle_one_response(self):
            environ = self.environ
            if (
                environ.get("HTTP_UPGRADE", "").lower() == "websocket"
                and environ["REQUEST_METHOD"] == "GET"
                and not environ.get("CONTENT_LENGTH")
                and not environ["eventlet.input"].chunked_input
            ):
                self._small_buffers(environ["eventlet.input"])
                self._slim_headers()
            return super().handle_one_response()

        def _slim_headers(self) -> None:
            """Keep of the parsed request headers only what eventlet reads again (Connection, to
            answer a refused handshake): the environ holds them all, and a websocket keeps this
            object as long as the phone stays (about 1.5 KB each)."""
            slim = self.MessageClass()
            connection = self.headers.get("Connection")
            if connection is not None:
                slim["Connection"] = connection
            self.headers = slim

        def _small_buffers(self, request_input) -> None:
            """Replace the connection's HTTP buffers (nothing is left in them: eventlet flushes
            each answer, a GET without a body has had all of its request read, and a client sends
            no frame before the handshake's answer; eventlet's websocket reads the raw socket
            anyway). The old ones are closed, which frees them; the socket stays open."""
            old_reader, old_writer = self.rfile, self.wfile
            self.rfile = self.connection.makefile("rb", SMALL_BUFFER)
            self.wfile = self.connection.makefile("wb", SMALL_BUFFER)
            request_input.rfile = self.rfile
            if request_input.wfile is not None:  # only set for "Expect: 100-continue"
                request_input.wfile = self.wfile
            old_writer.close()
            old_reader.close()

    return WebSocketBuffers


def ping_by_timer() -> bool:
    """Engine.IO's pings scheduled on eventlet's hub instead of a sleeping green thread per
    socket; False (nothing changed) if python-engineio's socket no longer looks as expected."""
    from engineio import socket as engineio_socket

    sock = engineio_socket.Socket
    if not callable(sock.__dict__.get("schedule_ping")) or not callable(getattr(sock, "_send_ping", None)):
        return False
    sock.schedule_ping = _schedule_ping
    return True


def _schedule_ping(self) -> None:
    # Engine.IO's rule: a new ping only once the previous ping's pong came back.
    if self.last_ping:
        import eventlet
        from eventlet import hubs

        self.last_ping = None
        hubs.get_hub().schedule_call_global(self.server.ping_interval, eventlet.spawn_n, _ping, self)


def _ping(sock) -> None:
    from engineio import packet

    if not sock.closing and not sock.closed:
        sock.last_ping = time.time()
        sock.send(packet.Packet(packet.PING))


def serve(app: Flask, host: str, port: int) -> None:
    tune_gc(app)
    if app.config["ROUNDTABLE_ASYNC_MODE"] != "eventlet":
        socketio.run(app, host=host, port=port, log_output=False)
        return
    import eventlet.wsgi

    fast_websocket_unmasking()
    ping_by_timer()
    eventlet.wsgi.server(
        listen_socket(host, port, app.config["ROUNDTABLE_LISTEN_BACKLOG"]),
        app,
        log_output=False,
        protocol=websocket_buffers_protocol(),
        max_size=app.config["ROUNDTABLE_MAX_CONNECTIONS"],
        # No connection waits for ever: bounded reads and idle keep-alives (see web/guard.py for
        # request bodies, which also get a deadline for the whole body).
        socket_timeout=app.config["ROUNDTABLE_SOCKET_TIMEOUT"],
        keepalive=app.config["ROUNDTABLE_KEEPALIVE_TIMEOUT"],
    )


class SocketSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, without re-reading the cookie on every socket event.

    Flask-SocketIO pushes a request context for every event, which opens the session from the
    handshake's cookie (an HMAC check and a JSON decode) only to replace it at once with the
    connection's own copy kept in the environ (``saved_session``). Once that copy exists, this
    hands it over directly; HTTP requests and the first event of a connection are unchanged.
    """

    def open_session(self, app, request):
        saved = request.environ.get("saved_session")
        if saved is not None:
            return saved
        return super().open_session(app, request)

"""The outermost WSGI layer: every request body is size-capped and read within a deadline.

Why it exists: eventlet's WSGI server gives each connection one slot of a fixed pool
(``ROUNDTABLE_MAX_CONNECTIONS``). A request that announces a body and never sends it used to
hold its slot for good, in two ways: Flask or python-engineio waited for the body with no
deadline, and a polling POST over the socket cap made python-engineio close the session and wait
(``queue.join()``) for a GET that never came. A few hundred such requests stopped the server for
everyone. So before any application code runs:

- a body whose ``Content-Length`` is over the cap of its route (Engine.IO's buffer size for
  ``/socket.io/``, ``MAX_CONTENT_LENGTH`` elsewhere) is refused with 413 without being read;
  a chunked body (no length) is refused with 411, a bad length with 400;
- the body is read whole within ``ROUNDTABLE_BODY_TIMEOUT`` seconds (a green-thread timeout under
  eventlet or gevent, so it bounds the total, not each read) and handed on in memory; a body too
  slow is refused with 408;
- after a refusal the connection's read side is shut, so the server never waits for the rest of
  the body either (eventlet would otherwise read and discard it before the next request).

The same layer adds the security headers to Engine.IO's own responses, which Flask's
``after_request`` never sees.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]

SOCKET_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Cache-Control", "no-store"),
]


class BodyTimeout(Exception):
    pass


def _deadline(async_mode: str, seconds: float):
    """A context manager that interrupts a blocking read after ``seconds`` in total."""
    if async_mode == "eventlet":
        import eventlet

        return eventlet.Timeout(seconds, BodyTimeout())
    if async_mode == "gevent":
        import gevent

        return gevent.Timeout(seconds, BodyTimeout())
    # threading (tests, development): the read is bounded by the size cap only.
    return contextlib.nullcontext()


class RequestGuard:
    def __init__(
        self,
        app: Callable[[Environ, StartResponse], Iterable[bytes]],
        *,
        async_mode: str,
        body_timeout: float,
        max_body: int,
        max_socket_body: int,
        socket_path: str = "/socket.io",
    ) -> None:
        self.app = app
        self.async_mode = async_mode
        self.body_timeout = body_timeout
        self.max_body = max_body
        self.max_socket_body = max_socket_body
        self.socket_path = socket_path.rstrip("/")

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        is_socket = path == self.socket_path or path.startswith(self.socket_path + "/")
        if is_socket:
            start_response = _with_headers(start_response, SOCKET_HEADERS)
        refusal = self._read_body(environ, self.max_socket_body if is_socket else self.max_body)
        if refusal is not None:
            status, message = refusal
            _stop_reading(environ)
            body = message.encode()
            start_response(
                status,
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Connection", "close"),
                    *([] if is_socket else SOCKET_HEADERS),
                ],
            )
            return [body]
        return self.app(environ, start_response)

    def _read_body(self, environ: Environ, cap: int) -> tuple[str, str] | None:
        """Replace ``wsgi.input`` with the whole body read in time, or say why not."""
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return "411 Length Required", "Send the request with a Content-Length."
        raw = environ.get("CONTENT_LENGTH") or "0"
        if not raw.isdigit() or len(raw) > 12:
            return "400 Bad Request", "The Content-Length is not valid."
        length = int(raw)
        if length > cap:
            return "413 Request Entity Too Large", "That request is too large."
        if length == 0:
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            return None
        stream = environ["wsgi.input"]
        chunks: list[bytes] = []
        remaining = length
        try:
            with _deadline(self.async_mode, self.body_timeout):
                while remaining > 0:
                    chunk = stream.read(min(remaining, 65536))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    remaining -= len(chunk)
        except (BodyTimeout, OSError):
            # socket.timeout is an OSError: eventlet's own per-read timeout ended it first.
            log.info("request body not received in time: refused with 408")
            return "408 Request Timeout", "The request took too long to arrive."
        if remaining:
            return "400 Bad Request", "The request body was incomplete."
        environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
        return None


def _with_headers(start_response: StartResponse, extra: list[tuple[str, str]]) -> StartResponse:
    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
        present = {name.lower() for name, _ in headers}
        headers = list(headers) + [(n, v) for n, v in extra if n.lower() not in present]
        return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

    return start


def _stop_reading(environ: Environ) -> None:
    """Shut the connection's read side: the server will not wait for the rest of the body."""
    stream = environ.get("eventlet.input") or environ.get("wsgi.input")
    get_socket = getattr(stream, "get_socket", None)
    sock = get_socket() if callable(get_socket) else None
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)

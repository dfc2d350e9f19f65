"""The app's logging: one stderr handler on the root logger, readable by an operator, and private.

Invariants:
- configured once per process by ``create_app`` (idempotent: tests build many apps), and kept when
  migrations run (``migrations/env.py`` applies alembic.ini's logging only when nobody configured
  logging, and never disables existing loggers: it used to silence every logger of the app);
- a line reads ``2026-12-01 09:41:07 WARNING roundtable.live.sockets: socket event on_vote failed``;
- no network address reaches the log (the formatter masks IPv4 and IPv6 addresses in the message
  and in tracebacks), and no participant text either: the app never logs one, and the database
  engine is created with ``hide_parameters`` so a failed statement's error does not carry the
  question, answer or help message it was storing.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback

from sqlalchemy.exc import StatementError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%d %H:%M:%S"

_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_H = r"[0-9A-Fa-f]{1,4}"
# IPv6 in full (eight groups) or compressed ("fe80::1", "::1", "::ffff:10.1.2.3"); a clock time
# such as 09:41:07 is neither.
_IPV6 = (
    rf"(?:(?:{_H}:){{7}}{_H}|(?:{_H}(?::{_H}){{0,6}})?::(?:(?:{_H}:){{0,6}}(?:{_IPV4}|{_H}))?)"
)
ADDRESS = re.compile(rf"(?<![\w:.])(?:{_IPV6}(?![\w:])|{_IPV4}(?![\w.]))")


def mask_addresses(text: str) -> str:
    return ADDRESS.sub("<address>", text)


class PrivateFormatter(logging.Formatter):
    """A readable line, with every network address masked (message and traceback alike)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_addresses(super().format(record))

    def formatException(self, ei) -> str:  # noqa: N802 - logging's own name
        kind, value, tb = ei
        if isinstance(value, StatementError):
            # The driver's message may quote the statement with its values interpolated (psycopg2
            # does): keep the frames, the statement with its placeholders and the error's class.
            frames = "".join(traceback.format_tb(tb))
            orig = type(value.orig).__name__ if value.orig is not None else "error"
            code = getattr(value.orig, "pgcode", None)
            detail = f"{orig}{f' (SQLSTATE {code})' if code else ''} [SQL: {value.statement}]"
            name = f"{kind.__module__}.{kind.__qualname__}"
            return f"Traceback (most recent call last):\n{frames}{name}: {detail}"
        return super().formatException(ei)


class _RoundtableHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (a test may swap it); marks the handler this
    module installed, so that a second ``configure`` does not add another."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure(level: str | int = "INFO") -> logging.Handler:
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _RoundtableHandler)), None)
    if handler is None:
        handler = _RoundtableHandler(sys.stderr)
        handler.setFormatter(PrivateFormatter(FORMAT, DATEFMT))
        root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else str(level).upper())
    # Libraries that log every request or every packet (with addresses) stay quiet unless asked.
    for noisy in ("engineio", "socketio", "werkzeug", "eventlet.wsgi"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in list(logging.Logger.manager.loggerDict):
        if name == "roundtable" or name.startswith("roundtable."):
            logging.getLogger(name).disabled = False
    return handler

"""Helpers shared by every table module: the clock and random tokens."""

from __future__ import annotations

import datetime as dt
import secrets


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token(nbytes: int = 16) -> str:
    return secrets.token_hex(nbytes)

"""Event codes and screen keys: random, unique, and short enough to type on any phone."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import Event, new_token

CODE_DIGITS = 6


def new_event_code() -> str:
    """Six random digits (never starting with 0): quick to type on any keypad, read aloud or show
    on a slide. Unique among events; a freshly issued code never repeats a current one."""
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        if code[0] != "0" and db.session.scalar(select(Event.id).where(Event.code == code)) is None:
            return code


def new_screen_key() -> str:
    return new_token(16)

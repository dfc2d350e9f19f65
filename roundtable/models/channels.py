"""Feature-phone channels: the state of a USSD session between two gateway requests.

Africa's Talking calls the USSD callback once per screen with every input so far; the menu's
state (which screen, which page, a ranking half done) is kept here, keyed by a hash of the
gateway's session id. No phone number is stored: the participant is found by its keyed hash
(``Participant.phone_hash``). Rows go with their participant (data retention) and expire
after ``ROUNDTABLE_USSD_SESSION_TTL`` seconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class UssdSession(db.Model):
    __tablename__ = "ussd_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), nullable=True, index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=True, index=True
    )
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The gateway's ``text`` of the last request and our reply: a retried request gets the same
    # screen, and the next request's new input is what follows ``last_text``.
    last_text: Mapped[str] = mapped_column(Text, default="")
    last_reply: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

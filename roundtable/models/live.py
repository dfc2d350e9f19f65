"""What is happening now at an event (one row per event)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

SCREEN_MODES = ("join", "results", "agenda", "questions", "blank")


class LiveState(db.Model):
    """What is happening now at an event. ``revision`` grows with every change."""

    __tablename__ = "live_states"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True
    )
    screen_mode: Mapped[str] = mapped_column(String(20), default="join")
    screen_poll_id: Mapped[int | None] = mapped_column(
        ForeignKey("polls.id", ondelete="SET NULL"), nullable=True
    )
    # The question on the projector (at most one per event, by construction). Shown only while
    # it is published or answered; a moderator taking it off the wall clears it.
    highlighted_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), nullable=True
    )
    # The poll on screen split by stakeholder group: the group keys chosen by the facilitator,
    # in order ("everyone" for the whole room); empty: not split.
    screen_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# The question wall's tables live with their feature. Imported here, after every name they use is
# defined (no import cycle), so that ``LiveState``'s foreign key to ``questions`` always finds its

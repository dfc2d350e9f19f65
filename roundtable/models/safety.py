"""Safety tables: an event's own additions to the checks' lists, and the record of flagged items.

- ``SafetyList``: one row per event (organisers edit it in the console): abuse words, grooming
  phrases, places and schools added to the bundled word lists and gazetteer for that event only.
- ``SafetyFlag``: one row per participant text the checks flagged (a question, an open answer or a
  word), with the categories found, the text as it was submitted and how moderators dealt with it.
  It is what the server consults before anything is published ("Publish anyway" needs a reason,
  grooming is never published as is, personal data in children's sessions can only be redacted),
  and grooming flags make up half of the admins' safeguarding log. Never a network address.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

SAFETY_LIST_FIELDS = ("abuse_words", "grooming_phrases", "places", "schools")
# "open": waiting; "redacted": published with the flagged parts removed; "published_anyway":
# published unchanged with a moderator's reason; "rejected"/"hidden": kept off the wall.
FLAG_STATUSES = ("open", "redacted", "published_anyway", "rejected", "hidden")
FLAG_TARGETS = ("question", "answer")


class SafetyList(db.Model):
    __tablename__ = "safety_lists"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    abuse_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    grooming_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    schools: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class SafetyFlag(db.Model):
    __tablename__ = "safety_flags"
    # Not unique on the target: an answer's items are replaced when it changes (and SQLite may
    # reuse their ids), so the newest flag of a target is the one that counts.
    __table_args__ = (
        Index("ix_safety_flags_target", "target_type", "target_id"),
        Index("ix_safety_flags_event_grooming", "event_id", "grooming"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True
    )
    target_type: Mapped[str] = mapped_column(String(12))  # "question" | "answer"
    target_id: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    grooming: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(String(300))  # as submitted
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(String(300), nullable=True)  # "Publish anyway" reason
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

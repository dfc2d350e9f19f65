"""The question wall's tables: questions, upvotes, per-session wall counters and help requests.

Invariants (``service.py`` keeps them):
- ``Question.upvotes`` equals the number of its ``QuestionUpvote`` rows: both change in the same
  transaction, the count through one ``UPDATE ... SET upvotes = upvotes +/- 1``;
- ``Question.version`` grows with every moderation change, and every moderation change is one
  conditional ``UPDATE ... WHERE id = ? AND version = ? AND status = ?``: two moderators acting
  on the version they both saw produce exactly one outcome;
- ``QuestionWall.seq`` grows with every change of a session's wall (a question asked, moderated
  or upvoted): clients drop a wall older than the one they show;
- ``Question.name`` is never stored for a session that involves children.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .agenda import AgendaItem

MAX_TEXT = 280
# A moderator's redaction may make a text a little longer ("0712345678" -> "[removed]" is not,
# "a@b.co" -> "[removed]" is): the columns leave room for it.
MAX_EDITED = 300
MAX_NAME = 60
MAX_REASON = 300
MAX_HELP_MESSAGE = 500

# "pending": waiting for a moderator; "published": on the wall; "answered": on the wall, marked
# answered; "rejected": never shown (private reason); "archived": taken off the wall.
QUESTION_STATUSES = ("pending", "published", "answered", "rejected", "archived")
VISIBLE_STATUSES = ("published", "answered")
HELP_KINDS = ("help", "report")
# "open": nobody has taken it yet (the console re-alerts); "taken": a facilitator is on the way;
# "handled": done.
HELP_STATUSES = ("open", "taken", "handled")
# What kind of help, optional: the phone offers these in plain words.
HELP_TOPICS = ("unsafe", "bothered", "upsetting", "app", "other")
MAX_HELP_LOCATION = 80
MAX_HELP_REPLY = 300
MAX_HELP_REPLIES = 10


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        # A phone's retry carries the same client id: it finds the question instead of a twin.
        UniqueConstraint("participant_id", "client_id"),
        Index("ix_questions_item_status", "agenda_item_id", "status"),
        Index("ix_questions_item_fingerprint", "agenda_item_id", "fingerprint"),
        Index("ix_questions_item_wall_seq", "agenda_item_id", "wall_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(String(MAX_EDITED))
    # The asked text, normalised (case, punctuation and spacing ignored): duplicate detection.
    fingerprint: Mapped[str] = mapped_column(String(MAX_TEXT))
    name: Mapped[str | None] = mapped_column(String(MAX_NAME), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    previous_status: Mapped[str | None] = mapped_column(String(12), nullable=True)
    # The safety check's reasons for holding it: moderators only.
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Staff only: why a moderator rejected it, and the text as asked when a moderator edited it.
    reject_reason: Mapped[str | None] = mapped_column(String(MAX_REASON), nullable=True)
    original_text: Mapped[str | None] = mapped_column(String(MAX_TEXT), nullable=True)
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The session's wall ``seq`` at this question's last change of any kind (``wall_seq``), of
    # its text, name or status (``content_seq``), and when it last left the wall
    # (``left_wall_seq``): what a ``wall_delta`` since a given seq must carry (live/question_handlers).
    wall_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    content_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    left_wall_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    moderated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # The expected outcome (1, 2 or 3) a facilitator tagged this question with for the report.
    outcome: Mapped[int | None] = mapped_column(Integer, nullable=True)

    agenda_item: Mapped[AgendaItem] = relationship()


class QuestionUpvote(db.Model):
    """One participant's upvote of one question (tap again to take it back: the row goes)."""

    __tablename__ = "question_upvotes"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# The brief's name for it.
Upvote = QuestionUpvote


class QuestionWall(db.Model):
    """A session's wall sequence number, in the database so that every process agrees."""

    __tablename__ = "question_walls"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, default=0)


class HelpRequest(db.Model):
    """A participant's private call for help or report: facilitators only, never a wall or screen."""

    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_event_status", "event_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="help")
    message: Mapped[str | None] = mapped_column(String(MAX_HELP_MESSAGE), nullable=True)
    # Optional: what kind of help (one of HELP_TOPICS) and where the person is ("table 4").
    topic: Mapped[str | None] = mapped_column(String(20), nullable=True)
    location: Mapped[str | None] = mapped_column(String(MAX_HELP_LOCATION), nullable=True)
    # What the safety check found in the message or location (delivered to staff regardless).
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Who said "On my way" (staff only: the phone is told that someone is coming, not who).
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # Short private replies from the facilitators, shown on that participant's phone only:
    # ``[{"text": ..., "at": iso, "by": user_id}]`` (``by`` never leaves the staff room).
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    agenda_item: Mapped[AgendaItem | None] = relationship()

"""The database model, in SQLAlchemy 2.0 typed style.

Invariants kept here (the feature modules rely on them):
- one ``Response`` per participant per poll (unique constraint); a changed answer replaces it;
- every ``Response`` row has its ``ResponseItem`` rows (one per chosen option, ranked option,
  word, ...), so tallies are ``GROUP BY`` queries rather than Python loops over answers;
- ``Poll.seq`` and ``LiveState.revision`` only ever grow: clients use them to drop stale updates;
- a ``VoteReceipt`` remembers every client-made vote id, so a retried vote is never applied twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token(nbytes: int = 16) -> str:
    return secrets.token_hex(nbytes)


ROLES = ("admin", "facilitator", "moderator")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="facilitator")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def can_run_polls(self) -> bool:
        return self.role in ("admin", "facilitator")


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    hosts: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Africa/Nairobi")
    expected_size: Mapped[int] = mapped_column(Integer, default=50)
    helpline: Mapped[str] = mapped_column(Text, default="")
    screen_key: Mapped[str] = mapped_column(String(64), default=lambda: new_token(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    days: Mapped[list[Day]] = relationship(
        back_populates="event", order_by="Day.position", cascade="all, delete-orphan"
    )
    groups: Mapped[list[StakeholderGroup]] = relationship(
        back_populates="event", order_by="StakeholderGroup.position", cascade="all, delete-orphan"
    )

    def agenda_items(self) -> list[AgendaItem]:
        return [item for day in self.days for item in day.items]


class StakeholderGroup(db.Model):
    __tablename__ = "stakeholder_groups"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_children: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="groups")


class Day(db.Model):
    __tablename__ = "days"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(120))
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    event: Mapped[Event] = relationship(back_populates="days")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="day", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


QUESTION_MODES = ("open", "premoderated", "closed")


class AgendaItem(db.Model):
    """One session of the programme (never called ``Session``: that is the database's word)."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("days.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[str] = mapped_column(String(5), default="")
    ends_at: Mapped[str] = mapped_column(String(5), default="")
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    points: Mapped[str] = mapped_column(Text, default="")
    is_break: Mapped[bool] = mapped_column(Boolean, default=False)
    involves_children: Mapped[bool] = mapped_column(Boolean, default=False)
    children_led: Mapped[bool] = mapped_column(Boolean, default=False)
    question_mode: Mapped[str] = mapped_column(String(20), default="open")
    questions_to: Mapped[str] = mapped_column(String(200), default="")
    split_by_group: Mapped[bool] = mapped_column(Boolean, default=False)

    day: Mapped[Day] = relationship(back_populates="items")
    polls: Mapped[list[Poll]] = relationship(
        back_populates="agenda_item", order_by="Poll.position", cascade="all, delete-orphan"
    )

    @property
    def point_list(self) -> list[str]:
        return [line.strip() for line in self.points.splitlines() if line.strip()]


POLL_STATUSES = ("draft", "open", "closed")


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(String(500))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    allow_change: Mapped[bool] = mapped_column(Boolean, default=True)
    # When participants see results: "live", "after_vote", "on_reveal" or "never".
    results_mode: Mapped[str] = mapped_column(String(12), default="on_reveal")
    results_revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Grows on every stored, changed or reset answer: the tally's sequence number.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    # Grows on every reset, so that clients forget answers given before it.
    generation: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="polls")
    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan"
    )


class PollOption(db.Model):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    is_correct: Mapped[bool] = mapped_column(Boolean, default=False)

    poll: Mapped[Poll] = relationship(back_populates="options")


class Participant(db.Model):
    """An anonymous participant: no account and no personal data, only optional choices."""

    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_token)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Self-chosen, only for an optional quiz leaderboard (never offered in children's sessions).
    nickname: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


RESULTS_MODES = ("live", "after_vote", "on_reveal", "never")


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("poll_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    answer: Mapped[Any] = mapped_column(JSON)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    items: Mapped[list[ResponseItem]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class ResponseItem(db.Model):
    """One countable part of an answer: a chosen option, a ranked option, a word, a rating."""

    __tablename__ = "response_items"
    __table_args__ = (Index("ix_response_items_poll_option", "poll_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), nullable=True
    )
    text: Mapped[str | None] = mapped_column(String(300), nullable=True)
    number: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Free text (open answers, words) is "visible", or "held" for a moderator with the safety
    # check's ``reasons``, or "hidden" by one. Only visible items are counted or shown.
    status: Mapped[str] = mapped_column(String(10), default="visible")
    reasons: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)

    response: Mapped[Response] = relationship(back_populates="items")


class VoteReceipt(db.Model):
    """A client-made vote id already applied: a retry with the same id changes nothing."""

    __tablename__ = "vote_receipts"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


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
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# The question wall's tables live with their feature. Imported here, after every name they use is
# defined (no import cycle), so that ``LiveState``'s foreign key to ``questions`` always finds its
# table, whoever imports this module.
from .questions import models as _question_models  # noqa: E402, F401

"""Polls, participants and their answers.

Invariants kept here (the feature modules rely on them):
- one ``Response`` per participant per poll (unique constraint); a changed answer replaces it;
- every ``Response`` row has its ``ResponseItem`` rows (one per chosen option, ranked option,
  word, ...), so tallies are ``GROUP BY`` queries rather than Python loops over answers;
- ``Poll.seq`` and ``LiveState.revision`` only ever grow: clients use them to drop stale updates;
- a ``VoteReceipt`` remembers every client-made vote id, so a retried vote is never applied twice.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import new_token, utcnow

if TYPE_CHECKING:
    from .agenda import AgendaItem


POLL_STATUSES = ("draft", "open", "closed")


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(String(500))
    question_sw: Mapped[str] = mapped_column(String(500), default="")
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
    # Which of the event's expected outcomes (1, 2 or 3, in ``Event.outcomes`` order) this poll
    # serves, as a facilitator tagged it for the outcome report; None: not tagged.
    outcome: Mapped[int | None] = mapped_column(Integer, nullable=True)

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
    label_sw: Mapped[str] = mapped_column(String(200), default="")
    is_correct: Mapped[bool] = mapped_column(Boolean, default=False)

    poll: Mapped[Poll] = relationship(back_populates="options")


class Participant(db.Model):
    """An anonymous participant: no account and no personal data, only optional choices."""

    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_event_phone", "event_id", "phone_hash", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_token)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Self-chosen, only for an optional quiz leaderboard (never offered in children's sessions).
    nickname: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # How they take part: "web" (the phone page), "ussd" or "sms" (roundtable/channels).
    channel: Mapped[str] = mapped_column(String(10), default="web")
    # USSD/SMS only: HMAC of the phone number with the event's ``phone_key``, never the number.
    phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
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
    # The language the participant answered in ("en", "sw"), for exports and the report.
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
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


class SpentVoteId(db.Model):
    """The client id of a vote that a poll reset forgot, without whose vote it was.

    A reset deletes the poll's answers and its ``VoteReceipt`` rows (which tie a participant to
    the poll); a phone that retries a vote from before the reset is still told "duplicate" and
    nothing comes back, from these ids alone.
    """

    __tablename__ = "spent_vote_ids"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class VoteReceipt(db.Model):
    """A client-made vote id already applied: a retry with the same id changes nothing."""

    __tablename__ = "vote_receipts"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)



class AggregateItem(db.Model):
    """What remains of a poll's ``ResponseItem`` rows once participants' data is deleted.

    One row per distinct (stakeholder group, option, text, number, status) with how many answer
    items it stands for: every tally is a ``GROUP BY`` over response items, and the same sums over
    these rows give the very same results (see ``roundtable.polls.counted``).
    """

    __tablename__ = "aggregate_items"
    __table_args__ = (Index("ix_aggregate_items_poll_option", "poll_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    group_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), nullable=True
    )
    text: Mapped[str | None] = mapped_column(String(300), nullable=True)
    number: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    count: Mapped[int] = mapped_column(Integer, default=0)


class AggregateRespondents(db.Model):
    """How many participants answered a poll, per stakeholder group and language, once their
    individual answers are deleted."""

    __tablename__ = "aggregate_respondents"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    respondents: Mapped[int] = mapped_column(Integer, default=0)

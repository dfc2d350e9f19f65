"""The event and its programme: stakeholder groups, days and sessions (``AgendaItem``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import new_token, utcnow

if TYPE_CHECKING:
    from .polls import Poll


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_sw: Mapped[str] = mapped_column(String(300), default="")
    hosts: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Africa/Nairobi")
    expected_size: Mapped[int] = mapped_column(Integer, default=50)
    helpline: Mapped[str] = mapped_column(Text, default="")
    helpline_sw: Mapped[str] = mapped_column(Text, default="")
    screen_key: Mapped[str] = mapped_column(String(64), default=lambda: new_token(16))
    # The event's own key for hashing phone numbers of USSD/SMS participants (HMAC-SHA256): a
    # number is never stored, and one event's hashes say nothing about another's.
    phone_key: Mapped[str] = mapped_column(String(64), default=lambda: new_token(32))
    # The event's first and last day, when known: a day's date must lie between them.
    starts_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # When a facilitator deleted the participants and their answers (only aggregates are kept).
    participant_data_deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
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
    label_sw: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_children: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="groups")


class Day(db.Model):
    __tablename__ = "days"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(120))
    title_sw: Mapped[str] = mapped_column(String(120), default="")
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
    title_sw: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[str] = mapped_column(String(5), default="")
    ends_at: Mapped[str] = mapped_column(String(5), default="")
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    points: Mapped[str] = mapped_column(Text, default="")
    points_sw: Mapped[str] = mapped_column(Text, default="")
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


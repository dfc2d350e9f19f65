"""The audit log: one row per staff action on an event (who, what, on which thing, when).

Written by ``roundtable.audit.record`` from the socket handlers and views, in the same transaction
as the action it records, so an action that is rolled back leaves no entry. It never holds a
participant's text, a help message or a network address: only the action, its target and a short
staff-written detail (for example the reason given for "Publish anyway").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_event_created", "event_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=True)
    # Kept when the account is deleted: the name says who it was.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    username: Mapped[str] = mapped_column(String(80), default="")
    # A dotted verb: "poll.open", "question.publish_anyway", "export.xlsx", "staff.deactivate".
    action: Mapped[str] = mapped_column(String(60))
    # What it acted on: ("poll", 12), ("question", 40), ("agenda_item", 3), ...
    target_type: Mapped[str] = mapped_column(String(30), default="")
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

"""Staff accounts: admins, facilitators and moderators log in; participants never do.

An admin (``User.role == "admin"``) may open every event. Everyone else opens only the events
they are a member of (``EventStaff``), with a role per event: ``facilitator`` (runs polls and
the agenda, moderates) or ``moderator`` (moderates questions and answers only).

``User.session_token`` is copied into the login cookie and checked on every request and socket
event: logout, a password change and deactivation replace it, so every copy of an older cookie
stops working at once.
"""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import new_token, utcnow

ROLES = ("admin", "facilitator", "moderator")
EVENT_ROLES = ("facilitator", "moderator")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # "admin" for every event; otherwise the role per event is in ``EventStaff``.
    role: Mapped[str] = mapped_column(String(20), default="facilitator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_token = new_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie; ``load_user`` accepts it only while the token is
        # the current one (see the module docstring).
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_run_polls(self) -> bool:
        return self.role in ("admin", "facilitator")


class EventStaff(db.Model):
    """One staff member's role at one event."""

    __tablename__ = "event_staff"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="facilitator")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

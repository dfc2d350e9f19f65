"""Staff accounts: admins, facilitators and moderators log in; participants never do."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import (
    DateTime,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow

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


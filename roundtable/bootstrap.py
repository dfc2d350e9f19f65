"""First start: bring the database schema up to date, seed the built-in event, create the admin."""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from .agenda.service import default_event, seed_default_event
from .extensions import db
from .models import User

log = logging.getLogger(__name__)


def prepare(app: Flask) -> str | None:
    """Migrate, seed and create the first admin. Return a generated admin password, if one was made."""
    with app.app_context():
        if app.config["ROUNDTABLE_AUTO_MIGRATE"]:
            upgrade(directory=app.extensions["migrate"].directory)
        if app.config["ROUNDTABLE_SEED_DEFAULT"] and default_event() is None:
            event = seed_default_event()
            log.info("Seeded the built-in roundtable as event %s", event.code)
        password = ensure_admin(app)
        db.session.commit()
        return password


def ensure_admin(app: Flask) -> str | None:
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return None
    configured = app.config["ROUNDTABLE_ADMIN_PASSWORD"]
    password = configured or secrets.token_urlsafe(12)
    user = User(username=app.config["ROUNDTABLE_ADMIN_USERNAME"], role="admin")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return None if configured else password

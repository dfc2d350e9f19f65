"""First start: bring the database schema up to date, seed the built-in event, create the admin.

An app built with Flask-Migrate (``create_app()``: the CLI, the tests) upgrades in its own
process. The server's app (``create_app(migrations=False)``) upgrades in a child process,
``python -m roundtable.bootstrap``, built from the same environment: Alembic, Mako and Pygments
(about 12 MB resident) then never enter the process that holds the phones.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys

from flask import Flask
from sqlalchemy import select

from . import ROOT, add_migrations
from .agenda.service import default_event, seed_default_event
from .extensions import db
from .models import User

log = logging.getLogger(__name__)

IN_MEMORY = ("sqlite://", "sqlite:///:memory:")


def prepare(app: Flask) -> str | None:
    """Migrate, seed and create the first admin. Return a generated admin password, if one was made."""
    with app.app_context():
        if app.config["ROUNDTABLE_AUTO_MIGRATE"]:
            # Another process cannot see this process's in-memory database: that one migrates here.
            if "migrate" in app.extensions or app.config["SQLALCHEMY_DATABASE_URI"] in IN_MEMORY:
                upgrade(app)
            else:
                upgrade_in_child(app)
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


def upgrade(app: Flask) -> None:
    """Apply every migration not yet applied, in this process (in an app context of ``app``;
    Flask-Migrate is registered on it first if it was built without)."""
    from flask_migrate import upgrade as alembic_upgrade

    if "migrate" not in app.extensions:
        add_migrations(app)
    alembic_upgrade(directory=app.extensions["migrate"].directory)


def upgrade_in_child(app: Flask) -> None:
    """Upgrade ``app``'s database from ``python -m roundtable.bootstrap`` and wait for it.

    The child builds its app from this environment, with ``app``'s database and instance folder
    (engine options given to ``create_app`` in a dict do not travel: the server's app has none).
    Its log goes where ours goes. Raises if it fails, so the server never starts on a schema it
    does not know.
    """
    path = os.pathsep.join(part for part in (str(ROOT), os.environ.get("PYTHONPATH", "")) if part)
    env = {
        **os.environ,
        "ROUNDTABLE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "ROUNDTABLE_INSTANCE_PATH": app.instance_path,
        "ROUNDTABLE_ASYNC_MODE": "threading",  # no eventlet: the child only migrates
        "PYTHONPATH": path,
    }
    # -P: nothing from the current folder on the child's path (a stray secrets.py there would
    # shadow the standard library's); the folder itself stays, so relative paths mean the same.
    command = [sys.executable, "-P", "-m", "roundtable.bootstrap"]
    done = subprocess.run(command, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"the database migration failed (exit status {done.returncode}): see above")


def main() -> None:
    """``python -m roundtable.bootstrap``: upgrade the database of the app the environment describes."""
    from . import create_app

    app = create_app()
    with app.app_context():
        upgrade(app)


if __name__ == "__main__":
    main()

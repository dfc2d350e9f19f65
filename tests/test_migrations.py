"""Alembic migrations, first-start bootstrap and the ``flask roundtable`` commands."""

from __future__ import annotations

import logging
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import base_config
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from roundtable.bootstrap import prepare
from roundtable.extensions import db
from roundtable.models import Event, Participant, User


@pytest.fixture(autouse=True)
def keep_logging():
    """migrations/env.py runs ``logging.config.fileConfig``, which disables every existing logger
    and replaces the root handlers; put things back so that later tests still see log records."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {
        name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            if name in saved:
                logger.disabled, logger.level, handlers, logger.propagate = saved[name]
                logger.handlers[:] = handlers
            else:
                logger.disabled = False


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_migrations_build_exactly_the_models_schema(app_factory, database):
    app = app_factory(database, tables=False)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade(directory=app.extensions["migrate"].directory)
        assert set(inspect(db.engine).get_table_names()) == {t.name for t in db.metadata.sorted_tables} | {
            "alembic_version"
        }
        assert schema_differences() == []


def test_migrations_go_down_to_nothing_and_up_again(app_factory):
    app = app_factory(tables=False)
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(directory=directory)
        assert schema_differences() == []


# --- first start ---------------------------------------------------------------------------------------


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Event)),
        db.session.scalar(select(func.count()).select_from(User)),
    )


def test_prepare_migrates_seeds_once_and_makes_an_admin_password(app_factory):
    app = app_factory(tables=False, ROUNDTABLE_AUTO_MIGRATE=True)
    password = prepare(app)
    assert isinstance(password, str) and len(password) >= 12
    with app.app_context():
        assert counts() == (1, 1)
        admin = db.session.scalar(select(User))
        assert (admin.username, admin.role) == ("admin", "admin")
        assert admin.check_password(password)
        assert admin.password_hash != password
        code = db.session.scalar(select(Event.code))
    # A restart changes nothing and shows no password again.
    assert prepare(app) is None
    with app.app_context():
        assert counts() == (1, 1)
        assert db.session.scalar(select(Event.code)) == code


def test_prepare_with_a_configured_admin_password_returns_none(app_factory):
    app = app_factory(
        tables=False,
        ROUNDTABLE_AUTO_MIGRATE=True,
        ROUNDTABLE_ADMIN_USERNAME="chair",
        ROUNDTABLE_ADMIN_PASSWORD="configured password",
    )
    assert prepare(app) is None
    with app.app_context():
        admin = db.session.scalar(select(User))
        assert admin.username == "chair"
        assert admin.check_password("configured password")


def test_prepare_without_the_default_event(app_factory):
    app = app_factory(tables=False, ROUNDTABLE_AUTO_MIGRATE=True, ROUNDTABLE_SEED_DEFAULT=False)
    prepare(app)
    with app.app_context():
        assert counts() == (0, 1)


def test_an_app_without_flask_migrate_upgrades_in_a_child_process(tmp_path, clean_environ, quiet_broadcaster):
    """The server's app (``python app.py``) never imports Alembic: prepare() runs the migrations
    in ``python -m roundtable.bootstrap`` on the same database, then seeds here."""
    from roundtable import create_app

    app = create_app(base_config(tmp_path, ROUNDTABLE_AUTO_MIGRATE=True), migrations=False)
    assert "migrate" not in app.extensions
    password = prepare(app)
    assert isinstance(password, str)
    with app.app_context():
        assert set(inspect(db.engine).get_table_names()) == {t.name for t in db.metadata.sorted_tables} | {
            "alembic_version"
        }
        assert schema_differences() == []
        assert counts() == (1, 1)
    assert prepare(app) is None  # the child finds nothing to do the second time


def test_the_servers_app_never_imports_alembic(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; from roundtable import create_app; create_app(migrations=False); "
        "print(sorted(m for m in ('alembic', 'flask_migrate', 'mako') if m in sys.modules))"
    )
    env = {"PATH": "/usr/bin:/bin", "ROUNDTABLE_INSTANCE_PATH": str(tmp_path),
           "ROUNDTABLE_ASYNC_MODE": "threading"}
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_an_in_memory_database_is_migrated_in_process(tmp_path, clean_environ, quiet_broadcaster):
    from roundtable import create_app

    config = base_config(tmp_path, ROUNDTABLE_AUTO_MIGRATE=True, SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app(config, migrations=False)
    prepare(app)
    with app.app_context():
        assert counts() == (1, 1)


def test_a_failed_child_migration_stops_the_start(tmp_path, clean_environ, quiet_broadcaster, capfd):
    from roundtable import create_app

    unreachable = "sqlite:///" + str(tmp_path / "no such folder" / "roundtable.db")
    config = base_config(tmp_path, ROUNDTABLE_AUTO_MIGRATE=True, SQLALCHEMY_DATABASE_URI=unreachable)
    app = create_app(config, migrations=False)
    with pytest.raises(RuntimeError, match="database migration failed"):
        prepare(app)
    # The child got as far as the database (not a failed import), and said so where we log.
    assert "unable to open database file" in capfd.readouterr().err


# --- flask roundtable ... --------------------------------------------------------------------------------


def test_cli_seed_info_reset(app_factory):
    app = app_factory(seeded=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roundtable", "seed"])
    assert result.exit_code == 0, result.output
    code = re.search(r"event code (\d{6})", result.output).group(1)

    result = runner.invoke(args=["roundtable", "seed"])
    assert result.exit_code == 0
    assert "already exists" in result.output

    with app.app_context():
        event = db.session.scalar(select(Event))
        assert event.code == code
        screen_key = event.screen_key
        db.session.add(Participant(event_id=event.id))
        db.session.commit()

    result = runner.invoke(args=["roundtable", "info"])
    assert result.exit_code == 0
    assert code in result.output and screen_key in result.output

    # Without --yes it asks, and "no" leaves everything alone.
    result = runner.invoke(args=["roundtable", "reset"], input="n\n")
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(Event.code)) == code
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1

    result = runner.invoke(args=["roundtable", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    new_code = re.search(r"event code (\d{6})", result.output).group(1)
    with app.app_context():
        assert db.session.scalars(select(Event.code)).all() == [new_code]
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_cli_create_user(app, runner):
    result = runner.invoke(
        args=["roundtable", "create-user", "mod", "--role", "moderator", "--password", "pw-for-mod"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "mod"))
        assert user.role == "moderator"
        assert user.check_password("pw-for-mod")
    again = runner.invoke(args=["roundtable", "create-user", "mod", "--password", "other"])
    assert again.exit_code != 0
    assert "already exists" in again.output

"""Configuration: defaults, ROUNDTABLE_* environment variables, the test dict, the secret key."""

from __future__ import annotations

import os
import stat

import pytest

from roundtable import config, create_app


def test_defaults_give_a_working_single_machine_install():
    values = config.from_environment({})
    assert values["ROUNDTABLE_ASYNC_MODE"] == "eventlet"
    assert values["ROUNDTABLE_DATABASE_URL"] == ""
    assert values["ROUNDTABLE_MESSAGE_QUEUE"] == ""
    assert values["ROUNDTABLE_PORT"] == 5000
    assert values["ROUNDTABLE_HOST"] == "0.0.0.0"  # noqa: S104 - phones on the venue network
    assert values["ROUNDTABLE_MAX_CONNECTIONS"] == 10000
    assert values["ROUNDTABLE_TALLY_INTERVAL"] == 0.25
    assert values["ROUNDTABLE_AUTO_MIGRATE"] is True
    assert values["ROUNDTABLE_SEED_DEFAULT"] is True
    assert values["ROUNDTABLE_ADMIN_USERNAME"] == "admin"
    assert values["ROUNDTABLE_ADMIN_PASSWORD"] == ""
    assert values["ROUNDTABLE_RATELIMIT_STORAGE_URI"] == "memory://"
    assert values["ROUNDTABLE_INSTANCE_PATH"] is None


def test_values_are_parsed_to_their_types():
    values = config.from_environment(
        {
            "ROUNDTABLE_PORT": "8080",
            "ROUNDTABLE_MAX_CONNECTIONS": "20000",
            "ROUNDTABLE_TALLY_INTERVAL": "0.5",
            "ROUNDTABLE_AUTO_MIGRATE": "0",
            "ROUNDTABLE_SEED_DEFAULT": "yes",
            "ROUNDTABLE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "ROUNDTABLE_INSTANCE_PATH": "/srv/roundtable",
            "PORT": "1",  # not ours
        }
    )
    assert values["ROUNDTABLE_PORT"] == 8080
    assert values["ROUNDTABLE_MAX_CONNECTIONS"] == 20000
    assert values["ROUNDTABLE_TALLY_INTERVAL"] == 0.5
    assert values["ROUNDTABLE_AUTO_MIGRATE"] is False
    assert values["ROUNDTABLE_SEED_DEFAULT"] is True
    assert values["ROUNDTABLE_MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"
    assert values["ROUNDTABLE_INSTANCE_PATH"] == "/srv/roundtable"
    assert "PORT" not in values


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on", "On"])
def test_true_booleans(raw):
    assert config.from_environment({"ROUNDTABLE_AUTO_MIGRATE": raw})["ROUNDTABLE_AUTO_MIGRATE"] is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", "disabled", " "])
def test_false_booleans(raw):
    assert config.from_environment({"ROUNDTABLE_SEED_DEFAULT": raw})["ROUNDTABLE_SEED_DEFAULT"] is False


def test_an_empty_variable_means_the_default():
    values = config.from_environment({"ROUNDTABLE_PORT": "", "ROUNDTABLE_AUTO_MIGRATE": ""})
    assert values["ROUNDTABLE_PORT"] == 5000
    assert values["ROUNDTABLE_AUTO_MIGRATE"] is True


def test_a_malformed_number_fails_loudly():
    with pytest.raises(ValueError):
        config.from_environment({"ROUNDTABLE_PORT": "eighty"})


def test_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_PORT", "5123")
    assert config.from_environment()["ROUNDTABLE_PORT"] == 5123


def test_the_test_dict_wins_over_the_environment(app_factory, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TALLY_INTERVAL", "2.5")
    monkeypatch.setenv("ROUNDTABLE_ADMIN_USERNAME", "chair")
    app = app_factory(ROUNDTABLE_ADMIN_USERNAME="host")
    assert app.config["ROUNDTABLE_TALLY_INTERVAL"] == 2.5
    assert app.config["ROUNDTABLE_ADMIN_USERNAME"] == "host"


def test_app_security_defaults(app_factory):
    app = app_factory()
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["MAX_CONTENT_LENGTH"] == 256 * 1024
    assert app.permanent_session_lifetime.days == 14


def test_the_test_dict_can_change_flask_settings(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024, SESSION_COOKIE_SAMESITE="Strict")
    assert app.config["MAX_CONTENT_LENGTH"] == 1024
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Strict"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, clean_environ, quiet_broadcaster):
    app = create_app(
        {"ROUNDTABLE_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "ROUNDTABLE_ASYNC_MODE": "threading"}
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(tmp_path / "roundtable.db")
    assert app.instance_path == str(tmp_path)


@pytest.mark.parametrize("url", ["postgresql://rt@db.local/rt", "postgres://rt@db.local/rt"])
def test_postgresql_urls_use_psycopg2(tmp_path, clean_environ, quiet_broadcaster, monkeypatch, url):
    # psycopg 3 is not installed and eventlet cannot green it: a plain URL must still work.
    monkeypatch.setenv("ROUNDTABLE_DATABASE_URL", url)
    app = create_app(
        {"ROUNDTABLE_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "ROUNDTABLE_ASYNC_MODE": "threading"}
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://rt@db.local/rt"


# --- the instance secret key -------------------------------------------------------------------------


def test_instance_secret_key_is_made_once_private_and_reused(tmp_path):
    folder = tmp_path / "new" / "instance"
    key = config.instance_secret_key(str(folder))
    path = folder / "secret_key"
    assert len(key) == 64 and int(key, 16) >= 0
    assert path.read_text() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert config.instance_secret_key(str(folder)) == key
    assert config.instance_secret_key(str(tmp_path / "other")) != key


def test_app_without_a_secret_key_uses_the_instance_key(app_factory, tmp_path):
    app = app_factory(SECRET_KEY=None)
    path = tmp_path / "instance" / "secret_key"
    assert app.config["SECRET_KEY"] == path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_configured_secret_key_makes_no_file(app_factory, tmp_path):
    app = app_factory(SECRET_KEY=None, ROUNDTABLE_SECRET_KEY="configured-secret")
    assert app.config["SECRET_KEY"] == "configured-secret"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_gc_thresholds_parse_and_refuse_bad_values():
    from roundtable.live.serving import gc_thresholds

    assert config.from_environment({})["ROUNDTABLE_GC_THRESHOLD"] == "50000,20,100"
    assert gc_thresholds("50000,20,100") == (50000, 20, 100)
    assert gc_thresholds(" 700, 10, 10 ") == (700, 10, 10)
    assert gc_thresholds("default") is None and gc_thresholds("") is None
    for bad in ("50000", "a,b,c", "1,2,3,4", "0,10,10", "-5,10,10"):
        with pytest.raises(ValueError, match="ROUNDTABLE_GC_THRESHOLD"):
            gc_thresholds(bad)

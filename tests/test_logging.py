"""Logging survives start-up, reads well, and carries no address or participant text (issue 9.3)."""

from __future__ import annotations

import logging
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from roundtable import logs
from roundtable.bootstrap import prepare
from roundtable.extensions import db


def test_app_logs_survive_the_migrations_run_on_start(app_factory, capsys):
    app = app_factory(tables=False, ROUNDTABLE_AUTO_MIGRATE=True)
    prepare(app)  # runs every migration (migrations/env.py), then seeds and logs it
    logging.getLogger("roundtable.live.sockets").warning("after start-up")
    err = capsys.readouterr().err
    assert not logging.getLogger("roundtable.bootstrap").disabled
    assert not logging.getLogger("roundtable.live.sockets").disabled
    seeded = [line for line in err.splitlines() if "Seeded the built-in roundtable" in line]
    assert seeded, err
    # "2026-12-01 09:41:07 INFO roundtable.bootstrap: Seeded ..."
    date, clock, level, name = seeded[0].split(" ", 4)[:4]
    assert len(date) == 10 and len(clock) == 8 and level == "INFO" and name == "roundtable.bootstrap:"
    assert "WARNING roundtable.live.sockets: after start-up" in err


def test_configure_twice_adds_one_handler(app_factory):
    app_factory()
    logs.configure("INFO")
    logs.configure("INFO")
    mine = [h for h in logging.getLogger().handlers if isinstance(h, logs._RoundtableHandler)]
    assert len(mine) == 1


@pytest.mark.parametrize(
    "address",
    ["192.168.1.23", "10.0.0.7:51234", "2001:db8::1", "fe80::1ff:fe23:4567:890a", "::ffff:10.1.2.3", "::1"],
)
def test_addresses_are_masked_in_messages_and_tracebacks(address):
    formatter = logs.PrivateFormatter(logs.FORMAT, logs.DATEFMT)
    try:
        raise OSError(f"I/O error, client={address}")
    except OSError:
        record = logging.LogRecord("eventlet.wsgi", logging.ERROR, __file__, 1, "peer %s", (address,), None)
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert address not in line
    assert line.count("<address>") == 2, line


def test_ordinary_numbers_are_not_masked():
    for kept in ("poll 12 of 2026-12-01 at 09:41:07", "version 1.2.3", "took 0.25 s"):
        assert logs.mask_addresses(kept) == kept


def test_a_failed_statement_does_not_carry_its_texts(any_ctx):
    secret = "my number is 0712 345 678, please call"
    formatter = logs.PrivateFormatter(logs.FORMAT, logs.DATEFMT)
    try:
        db.session.execute(text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": secret})
    except SQLAlchemyError:
        record = logging.LogRecord("roundtable", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    db.session.rollback()
    line = formatter.format(record)
    assert "0712" not in line and "please call" not in line, line
    assert "INSERT INTO no_such_table" in line and "Traceback" in line

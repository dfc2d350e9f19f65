"""Shared fixtures: apps on SQLite and PostgreSQL, factories, logged-in staff and socket clients.

Fixtures return factories (``make_event()``, ``make_participant(...)``, ``socket_client(...)``) so
that each test says exactly what it needs.

Two ways of reaching the database, on purpose:
- service-level tests hold an app context for the whole test (``ctx``) and use ORM objects;
- HTTP and socket tests never hold one while a request runs (a held context would be shared with
  the request and hide what was really committed); they read the database through ``in_db``.

The broadcaster is a module-level singleton whose tally loop starts on the first socket connect.
Tests stop that loop (``broadcaster.start`` is a no-op) and call ``flush_tallies()`` themselves,
so what each client receives is deterministic.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from socketio import packet
from sqlalchemy import create_engine, text
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.security import generate_password_hash

# The project is not installed as a package: make ``import roundtable`` work from any directory.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from roundtable import create_app, models  # noqa: E402
from roundtable.agenda.service import new_event_code, seed_default_event  # noqa: E402
from roundtable.extensions import db, socketio  # noqa: E402
from roundtable.live.broadcaster import broadcaster  # noqa: E402
from roundtable.models import (  # noqa: E402
    AgendaItem,
    Day,
    Event,
    LiveState,
    Participant,
    StakeholderGroup,
    User,
)

# PostgreSQL runs locally with trust auth; every app gets its own schema, so test runs in
# parallel (or a crashed one) never see each other's tables.
POSTGRES_URL = os.environ.get(
    "ROUNDTABLE_TEST_POSTGRES_URL", "postgresql+psycopg2://root@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("ROUNDTABLE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

STAFF_PASSWORD = "correct horse battery"


def base_config(tmp_path, **overrides: Any) -> dict[str, Any]:
    config = {
        "ROUNDTABLE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "test.db"),
        "ROUNDTABLE_ASYNC_MODE": "threading",
        "SECRET_KEY": "test",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "ROUNDTABLE_AUTO_MIGRATE": False,
    }
    config.update(overrides)
    return config


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch) -> None:
    """``User.set_password`` with a cheap KDF: the default (scrypt) is slow on purpose, and tests
    make many users. The check is unchanged; test_web.py asserts that the real default is scrypt."""
    monkeypatch.setattr(
        models.staff,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


@pytest.fixture
def clean_environ(monkeypatch) -> None:
    """No ROUNDTABLE_* variable of the developer's shell leaks into a test's app."""
    for name in list(os.environ):
        if name.startswith("ROUNDTABLE_"):
            monkeypatch.delenv(name)


@pytest.fixture
def quiet_broadcaster(monkeypatch) -> Iterator[None]:
    """No background tally loop; nothing dirty left over from another test."""
    monkeypatch.setattr(broadcaster, "start", lambda app: None)
    broadcaster._dirty_polls.clear()
    broadcaster._dirty_presence.clear()
    yield
    broadcaster._dirty_polls.clear()
    broadcaster._dirty_presence.clear()


@sa_event.listens_for(Engine, "connect")
def _fast_sqlite(dbapi_connection, connection_record) -> None:
    # Tests do not need durability: skip the fsync of every commit (it is most of a test's time).
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An SQLite file with every table, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_seeded_template(sqlite_template, tmp_path_factory) -> Path:
    """Like ``sqlite_template``, plus the built-in event made by ``seed_default_event()``.

    Seeding the whole programme is the slowest part of most HTTP and socket tests; doing it once
    and copying the file gives each test the very same rows at a fraction of the cost.
    """
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "seeded.db"
    shutil.copyfile(sqlite_template, path)
    seeder = create_app(base_config(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
    with seeder.app_context():
        seed_default_event()
        db.session.commit()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of our own in the local PostgreSQL, with every table; emptied before each test."""
    schema = "rt_test_" + uuid.uuid4().hex[:12]
    _admin_sql(f'CREATE SCHEMA "{schema}"')
    engine = create_engine(POSTGRES_URL, connect_args=_postgres_connect_args(schema))
    try:
        db.metadata.create_all(engine)
    finally:
        engine.dispose()
    yield schema
    _admin_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    _admin_engine.dispose()


def _postgres_connect_args(schema: str) -> dict[str, str]:
    return {"options": f"-csearch_path={schema} -csynchronous_commit=off"}


_admin_engine = None


def _admin_sql(*statements: str) -> None:
    """Run statements on the test PostgreSQL in one transaction (one pooled engine per run)."""
    global _admin_engine
    if _admin_engine is None:
        _admin_engine = create_engine(POSTGRES_URL, connect_args={"options": "-csynchronous_commit=off"})
    with _admin_engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


@pytest.fixture
def app_factory(request, tmp_path, clean_environ, quiet_broadcaster) -> Iterator[Callable[..., Flask]]:
    """``app_factory(database="sqlite" | "postgresql", tables=True, seeded=True, **config)``.

    With ``tables`` (the default) the database has every table; without, it is empty (a new
    SQLite file, or a new PostgreSQL schema): for the migration tests. On SQLite, ``seeded`` (the
    default) starts from a copy of a database in which ``seed_default_event()`` already ran: the
    test's first ``make_event()`` / ``seed_event()`` hands out that event instead of seeding the
    same rows again (seeding is most of the cost of a test). ``seeded=False`` gives no rows at all;
    PostgreSQL always starts with no rows. Only one app per test: Flask-SocketIO's ``socketio`` is
    a singleton bound to the last app made.
    """
    made: list[Flask] = []
    empty_schemas: list[str] = []

    def factory(
        database: str = "sqlite", *, tables: bool = True, seeded: bool = True, **overrides: Any
    ) -> Flask:
        assert not made, "one app per test"
        config = base_config(tmp_path, **overrides)
        if database == "postgresql" and not tables:
            schema = "rt_test_" + uuid.uuid4().hex[:12]
            _admin_sql(f'CREATE SCHEMA "{schema}"')
            empty_schemas.append(schema)
            config["SQLALCHEMY_DATABASE_URI"] = POSTGRES_URL
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": _postgres_connect_args(schema)}
        elif database == "postgresql":
            schema = request.getfixturevalue("postgres_schema")
            # DELETE is much quicker than TRUNCATE on a handful of rows; children first. The names
            # are our own tables', so building the SQL from them is safe.
            tables = [t.name for t in reversed(db.metadata.sorted_tables)]
            _admin_sql(*(f'DELETE FROM "{schema}"."{name}"' for name in tables))  # noqa: S608
            config["SQLALCHEMY_DATABASE_URI"] = POSTGRES_URL
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": _postgres_connect_args(schema)}
        else:
            assert database == "sqlite", database
            if tables and seeded:
                shutil.copyfile(request.getfixturevalue("sqlite_seeded_template"), tmp_path / "test.db")
            elif tables:
                shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
        app = create_app(config)
        # The built-in event already in the database, handed out by the first ``make_event()`` or
        # ``seed_event()`` of the test.
        app.extensions["test_preseeded"] = [1] if database == "sqlite" and tables and seeded else []
        made.append(app)
        return app

    yield factory

    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    for schema in empty_schemas:
        _admin_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def app(app_factory) -> Flask:
    return app_factory()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, app_factory) -> Flask:
    """The same test on SQLite and on PostgreSQL (never skipped: both must be running)."""
    return app_factory(request.param)


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app) -> Iterator[None]:
    """An app context for the whole test, for service-level tests on SQLite."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def any_ctx(any_app) -> Iterator[Flask]:
    """Like ``ctx``, on SQLite and on PostgreSQL."""
    with any_app.app_context():
        yield any_app
        db.session.rollback()


# --- factories for service-level tests (inside an app context) -------------------------------


def _seed(code: str | None = None) -> Event:
    """``seed_default_event(code)`` and commit, or the identical pre-seeded event (see app_factory)."""
    preseeded = current_app.extensions.get("test_preseeded")
    if preseeded and code is None:
        return db.session.get(Event, preseeded.pop())
    event = seed_default_event(code)
    db.session.commit()
    return event


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """``make_event(code=None)``: the built-in event (inside the test's app context)."""
    return _seed


@pytest.fixture
def make_bare_event() -> Callable[..., Event]:
    """A small event (one day, two working sessions and a break, no polls): quicker than the seed."""

    def factory(title: str = "Bare event") -> Event:
        event = Event(code=new_event_code(), title=title, hosts="Hosts")
        event.groups.append(StakeholderGroup(key="children", label="Children", position=0, is_children=True))
        event.groups.append(StakeholderGroup(key="other", label="Other", position=1))
        day = Day(title="Day 1", position=0)
        event.days.append(day)
        day.items.append(AgendaItem(position=0, title="Opening", starts_at="09:00", ends_at="10:00"))
        day.items.append(
            AgendaItem(position=1, title="Break", starts_at="10:00", ends_at="10:30", is_break=True)
        )
        day.items.append(AgendaItem(position=2, title="Closing", starts_at="10:30", ends_at="11:00"))
        db.session.add(event)
        db.session.flush()
        db.session.add(LiveState(event_id=event.id))
        db.session.commit()
        return event

    return factory


@pytest.fixture
def make_participant() -> Callable[..., Participant]:
    def factory(event: Event, group: str | None = None) -> Participant:
        participant = Participant(event_id=event.id, group_key=group)
        db.session.add(participant)
        db.session.commit()
        return participant

    return factory


# --- HTTP and socket tests (no app context held) -----------------------------------------------


@dataclass
class EventRef:
    """What HTTP and socket tests need to know of a seeded event, read once and detached."""

    id: int
    code: str
    title: str
    screen_key: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def working_items(self) -> list[dict[str, Any]]:
        return [i for i in self.items if not i["is_break"]]

    @property
    def polls(self) -> list[dict[str, Any]]:
        return [p for i in self.items for p in i["polls"]]


@pytest.fixture
def in_db(app) -> Callable[[Callable[[], Any]], Any]:
    """``in_db(fn)``: run ``fn`` in a fresh app context (a fresh session) and return its result."""

    def run(fn: Callable[[], Any]) -> Any:
        with app.app_context():
            return fn()

    return run


@pytest.fixture
def seed_event(app, in_db) -> Callable[..., EventRef]:
    """``seed_event()``: the built-in event (seeded, committed), described by an ``EventRef``."""

    def factory(code: str | None = None) -> EventRef:
        def seed() -> EventRef:
            event = _seed(code)
            items = []
            for day_index, day in enumerate(event.days):
                for item in day.items:
                    items.append(
                        {
                            "id": item.id,
                            "day": day_index,
                            "title": item.title,
                            "is_break": item.is_break,
                            "polls": [
                                {
                                    "id": p.id,
                                    "kind": p.kind,
                                    "item_id": item.id,
                                    "options": [o.id for o in p.options],
                                }
                                for p in item.polls
                            ],
                        }
                    )
            return EventRef(event.id, event.code, event.title, event.screen_key, items)

        return in_db(seed)

    return factory


@pytest.fixture
def login(app, in_db) -> Callable[..., Any]:
    """``login(client, username=..., role=..., events=None)``: create the staff user if needed,
    then log in. A new facilitator or moderator becomes a member, with ``role``, of ``events``
    (ids; ``None``: every event that exists now); admins see every event anyway."""

    def do_login(
        client: FlaskClient,
        username: str = "facilitator",
        role: str = "facilitator",
        events: list[int] | None = None,
    ):
        def ensure_user() -> None:
            if db.session.scalar(db.select(User).where(User.username == username)) is None:
                user = User(username=username, role=role)
                user.set_password(STAFF_PASSWORD)
                db.session.add(user)
                db.session.flush()
                if role != "admin":
                    ids = events if events is not None else db.session.scalars(db.select(Event.id)).all()
                    for event_id in ids:
                        db.session.add(models.EventStaff(event_id=event_id, user_id=user.id, role=role))
                db.session.commit()

        in_db(ensure_user)
        response = client.post("/staff/login", data={"username": username, "password": STAFF_PASSWORD})
        assert response.status_code == 302, response.status_code
        return response

    return do_login


def join(client: FlaskClient, event: EventRef, group: str = "") -> str:
    """Join an event through the real form; return the participant id kept in the session."""
    response = client.post(f"/j/{event.code}", data={"group": group} if group else {})
    assert response.status_code == 302, response.status_code
    with client.session_transaction() as session:
        return session["participants"][str(event.id)]


class RecordingSocketClient(SocketIOTestClient):
    """Flask-SocketIO's test client, also keeping the data of a refused connection."""

    connect_error: Any = None
    flask_client: FlaskClient | None = None
    participant_id: str | None = None

    def connect(self, namespace=None, query_string=None, headers=None, auth=None):
        server = self.socketio.server
        inner = server._send_packet

        def spy(eio_sid, pkt):
            if eio_sid == self.eio_sid and pkt.packet_type == packet.CONNECT_ERROR:
                self.connect_error = pkt.data
            inner(eio_sid, pkt)

        server._send_packet = spy
        try:
            super().connect(namespace=namespace, query_string=query_string, headers=headers, auth=auth)
        finally:
            server._send_packet = inner

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        """Received messages (and forget them), optionally only those called ``name``."""
        received = self.get_received()
        return [m for m in received if name is None or m["name"] == name]


@pytest.fixture
def socket_client(app, login) -> Iterator[Callable[..., RecordingSocketClient]]:
    """``socket_client(role, event, client=None, auth=None, group="", username=..., user_role=...)``.

    participant: joins through ``POST /j/<code>`` with a new Flask client unless ``client`` is given;
    staff: logs in a new Flask client unless ``client`` is given; screen: uses the event's key.
    ``auth`` replaces the handshake entirely (to test refusals).
    """
    made: list[RecordingSocketClient] = []

    def factory(
        role: str,
        event: EventRef,
        *,
        client: FlaskClient | None = None,
        auth: dict[str, Any] | None = None,
        group: str = "",
        username: str = "facilitator",
        user_role: str = "facilitator",
        join_first: bool = True,
    ) -> RecordingSocketClient:
        participant_id = None
        if client is None:
            client = app.test_client()
            if role == "participant" and join_first:
                participant_id = join(client, event, group)
            elif role == "staff":
                login(client, username=username, role=user_role)
        if auth is None:
            auth = {"role": role, "code": event.code}
            if role == "screen":
                auth["key"] = event.screen_key
        sock = RecordingSocketClient(app, socketio, auth=auth, flask_test_client=client)
        sock.flask_client = client
        sock.participant_id = participant_id
        made.append(sock)
        return sock

    yield factory

    for sock in made:
        if sock.is_connected():
            sock.disconnect()
        # The test client keeps every instance in a class-level dict: let this test's go.
        SocketIOTestClient.clients.pop(sock.eio_sid, None)


@pytest.fixture
def flush_tallies(app) -> Callable[[], int]:
    """Run one tick of the broadcaster, as its background loop would."""

    def flush() -> int:
        with app.app_context():
            return broadcaster.flush()

    return flush

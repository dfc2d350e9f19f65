"""Roundtable: live polls and question walls for every session of a multi-day event."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from . import config as config_module
from . import i18n, logs
from .extensions import babel, compress, csrf, db, limiter, login_manager, socketio

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"

log = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None, *, migrations: bool = True) -> Flask:
    """Build the app: defaults, then ROUNDTABLE_* environment variables, then ``config``.

    ``migrations``: register Flask-Migrate (the ``flask db`` commands, and ``prepare`` upgrading in
    this process). The server (``python app.py``) passes False, so that Alembic is never imported
    where the phones are served; ``prepare`` then upgrades in a child process.
    """
    settings = config_module.from_environment()
    settings.update(config or {})
    instance_path = settings.get("ROUNDTABLE_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        template_folder=str(ROOT / "templates"),
        # No Flask static route: web/assets.py serves static/ under fingerprinted URLs.
        static_folder=None,
    )
    app.static_folder = str(ROOT / "static")
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    database_url = app.config["ROUNDTABLE_DATABASE_URL"] or (
        "sqlite:///" + str(Path(app.instance_path) / "roundtable.db")
    )
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", _with_driver(database_url))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri not in ("sqlite://", "sqlite:///:memory:"):  # an in-memory SQLite has a pool of one
        app.config.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS",
            {
                "pool_size": app.config["ROUNDTABLE_DB_POOL_SIZE"],
                "max_overflow": app.config["ROUNDTABLE_DB_MAX_OVERFLOW"],
                "pool_timeout": 60,
            },
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["ROUNDTABLE_SECRET_KEY"] or config_module.instance_secret_key(
            app.instance_path
        )
    # Flask's own defaults already hold some of these keys (SameSite None, 31 days, no body limit),
    # so ``setdefault`` would keep Flask's values: ours apply unless ``config`` gives one.
    for key, value in {
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        # The cookie is sent again only when the session changes, not with every page: a phone's
        # 14 days count from when it joined (or changed language), and each page is lighter.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "RATELIMIT_STORAGE_URI": app.config["ROUNDTABLE_RATELIMIT_STORAGE_URI"],
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "BABEL_DEFAULT_LOCALE": i18n.DEFAULT_LANGUAGE,
        "BABEL_DEFAULT_TIMEZONE": i18n.TIMEZONE,
        "BABEL_TRANSLATION_DIRECTORIES": str(i18n.TRANSLATIONS),
        # brotli first (smaller), gzip for the rest; static files are compressed once, ahead of
        # time, by web/assets.py, which sets Content-Encoding itself (so this leaves them alone).
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        # Pages are made per request: brotli's best (11) cost 4-10 ms of CPU per page (half of a
        # phone's join, measured with bench/run.py) to save a tenth; quality 5 costs 0.1 ms and
        # is still smaller than gzip. Static files keep quality 11: they are compressed once.
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/plain",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
        "SESSION_COOKIE_SECURE": bool(app.config["ROUNDTABLE_SECURE_COOKIES"]),
        "REMEMBER_COOKIE_SECURE": bool(app.config["ROUNDTABLE_SECURE_COOKIES"]),
    }.items():
        if key not in settings:
            app.config[key] = value
    logs.configure(app.config["ROUNDTABLE_LOG_LEVEL"])
    # A failed statement's error message must not carry the texts it was storing (questions,
    # answers, help messages) into the log.
    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    engine_options.setdefault("hide_parameters", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    # The session interface (socket events reuse the connection's session; static files set no
    # cookie) is web/assets.py's SessionInterface, installed with the static route.
    db.init_app(app)
    if migrations:
        add_migrations(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = "Log in to run the event."
    csrf.init_app(app)
    limiter.init_app(app)
    # A fresh tree started without ``make`` still speaks Kiswahili: compile missing catalogues.
    i18n.ensure_compiled()
    babel.init_app(app, locale_selector=i18n.select_locale)
    compress.init_app(app)
    # Import the handlers before ``init_app``: registered while ``socketio`` has no server yet,
    # they are kept in ``socketio.handlers`` and bound to every app's server (each test app, too),
    # instead of only to the first app's.
    from .live import group_handlers, handlers, question_handlers, staff_sessions  # noqa: F401 - registers the socket handlers
    from .live.sockets import TextPacket

    # The extension object outlives one app (tests build many): forget a previous app's message
    # queue, which Flask-SocketIO would otherwise keep when this app has none.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["ROUNDTABLE_ASYNC_MODE"],
        message_queue=app.config["ROUNDTABLE_MESSAGE_QUEUE"] or None,
        channel=app.config["ROUNDTABLE_CHANNEL"],
        # Same origin only: no cors_allowed_origins, so another site's page cannot connect.
        max_http_buffer_size=64 * 1024,
        # A phone on venue Wi-Fi may go quiet for a while: 25 + 30 s before it counts as gone
        # (it reconnects and resends on its own if it really dropped).
        ping_interval=25,
        ping_timeout=30,
        # Each socket's events are handled in order by the green thread that reads that socket,
        # instead of a new green thread per event (a spawn and a switch: a twentieth of a vote).
        # A handler that waits (a vote waits for its batch's commit) holds up only its own
        # socket, whose next event would have waited for it anyway; the test client runs so too.
        async_handlers=False,
        serializer=TextPacket,
    )

    from .web.guard import RequestGuard

    # Outermost, around Flask-SocketIO's own middleware: it sees every request, Engine.IO's too.
    app.wsgi_app = RequestGuard(
        app.wsgi_app,
        async_mode=app.config["ROUNDTABLE_ASYNC_MODE"],
        body_timeout=float(app.config["ROUNDTABLE_BODY_TIMEOUT"]),
        max_body=int(app.config["MAX_CONTENT_LENGTH"]),
        max_socket_body=int(socketio.server_options["max_http_buffer_size"]),
    )
    proxies = int(app.config["ROUNDTABLE_PROXY_COUNT"])
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost: Flask views, rate limits and socket handlers all see the client's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from .live.broadcaster import broadcaster
    from .live.presence import presence_for
    from .live.ratelimit import SocketRateLimiter, limits_from_config

    queue = app.config["ROUNDTABLE_MESSAGE_QUEUE"]
    presence = presence_for(queue, app.config["ROUNDTABLE_CHANNEL"])
    broadcaster.init_app(app, presence)
    app.extensions["roundtable_socket_limits"] = SocketRateLimiter(
        app.config["RATELIMIT_STORAGE_URI"], limits_from_config(app.config)
    )
    from .web.throttle import CodeGuard, LoginThrottle

    app.extensions["roundtable_code_guard"] = CodeGuard(
        app.config["RATELIMIT_STORAGE_URI"], app.config["ROUNDTABLE_CODE_MISS_LIMIT"]
    )
    app.extensions["roundtable_login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        int(app.config["ROUNDTABLE_LOGIN_FREE_TRIES"]),
        float(app.config["ROUNDTABLE_LOGIN_MAX_DELAY"]),
    )

    from .models import User

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # The cookie holds "<id>:<session token>": a token replaced by logout, a password change
        # or deactivation makes every copy of an older cookie anonymous at once.
        number, _, token = str(user_id).partition(":")
        if not number.isdigit() or not token:
            return None
        user = db.session.get(User, int(number))
        if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
            return None
        return user

    from .web import register_web

    register_web(app)

    from .cli import register_cli

    register_cli(app)
    return app


def add_migrations(app: Flask) -> None:
    """Register Flask-Migrate on ``app`` (the ``flask db`` commands, ``bootstrap.upgrade``)."""
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS))


def _with_driver(url: str) -> str:
    """PostgreSQL goes through psycopg2: eventlet can make it cooperative, psycopg 3 it cannot."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets readers (tallies, snapshots) go on while a vote is written; foreign keys make the
    # ON DELETE CASCADE rules real; the busy timeout absorbs short write contention.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # In WAL mode NORMAL syncs at checkpoints, not on every commit: a committed vote survives
        # any crash of the app, and only an OS crash or power cut could lose the last moments.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

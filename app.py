"""Entry point: ``python app.py`` serves Roundtable on its built-in default.

eventlet must patch the standard library before anything else is imported, so that sockets,
threads and the database driver cooperate; the async mode stays a setting (ROUNDTABLE_ASYNC_MODE).
"""

import os
import warnings

# The async mode must be known before the app is imported, so this one setting is read here.
if os.environ.get("ROUNDTABLE_ASYNC_MODE", "eventlet") == "eventlet":
    # eventlet is deprecated upstream (see README, "Architecture"); say so once there, not on every start.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
    try:
        from eventlet.support.psycopg2_patcher import make_psycopg_green

        make_psycopg_green()  # PostgreSQL queries then yield to other greenlets instead of blocking
    except ImportError:  # psycopg2 not installed: SQLite only
        pass
elif os.environ.get("ROUNDTABLE_ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import socket  # noqa: E402

import click  # noqa: E402

from roundtable import create_app  # noqa: E402
from roundtable.bootstrap import prepare  # noqa: E402
from roundtable.extensions import socketio  # noqa: E402

app = create_app()


def lan_address() -> str:
    """The address other devices on this network reach us at (no packet is sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # a UDP "connect" only picks the outgoing interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def main() -> None:
    password = prepare(app)
    host, port = app.config["ROUNDTABLE_HOST"], app.config["ROUNDTABLE_PORT"]
    if not app.config["ROUNDTABLE_PUBLIC_URL"]:
        address = lan_address() if host in ("0.0.0.0", "::") else host  # noqa: S104
        app.config["ROUNDTABLE_PUBLIC_URL"] = f"http://{address}:{port}"
    base = app.config["ROUNDTABLE_PUBLIC_URL"]
    with app.app_context():
        from roundtable.agenda.service import default_event

        event = default_event()
        click.echo("")
        click.echo("  Roundtable is running.")
        if event is not None:
            click.echo(f"  Phones on this network:  {base}/j/{event.code}   (event code {event.code})")
            click.echo(f"  Facilitator console:     {base}/staff/{event.code}")
            click.echo(f"  Projector:               {base}/screen/{event.code}?key={event.screen_key}")
        if password:
            click.echo(f"  First admin: {app.config['ROUNDTABLE_ADMIN_USERNAME']} / {password}")
            click.echo("  (shown once; set ROUNDTABLE_ADMIN_PASSWORD to choose it)")
        click.echo("")
    kwargs = {}
    if app.config["ROUNDTABLE_ASYNC_MODE"] == "eventlet":
        # eventlet's WSGI server refuses connections past 1024 unless max_size is raised.
        kwargs["max_size"] = app.config["ROUNDTABLE_MAX_CONNECTIONS"]
        # No connection waits for ever: bounded reads and idle keep-alives (see web/guard.py for
        # request bodies, which also get a deadline for the whole body).
        kwargs["socket_timeout"] = app.config["ROUNDTABLE_SOCKET_TIMEOUT"]
        kwargs["keepalive"] = app.config["ROUNDTABLE_KEEPALIVE_TIMEOUT"]
    socketio.run(app, host=host, port=port, log_output=False, **kwargs)


if __name__ == "__main__":
    main()

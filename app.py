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
    # No green resolver: eventlet's (dnspython) costs about 10 MB of every process for a handful of
    # lookups (the Redis host, the SMS gateway). Names go to the system's resolver instead, which
    # also reads /etc/hosts and nsswitch as every other program does, in eventlet's pool of native
    # threads (below) so that a slow lookup never stalls the phones. EVENTLET_NO_GREENDNS=no in the
    # environment brings the green resolver back.
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    import eventlet

    eventlet.monkey_patch()
    if os.environ["EVENTLET_NO_GREENDNS"].lower() == "yes":
        import socket

        from eventlet import tpool

        blocking_getaddrinfo = socket.getaddrinfo

        def getaddrinfo(*args, **kwargs):
            """The system's getaddrinfo in a native thread: the calling green thread waits, the others run."""
            return tpool.execute(blocking_getaddrinfo, *args, **kwargs)

        socket.getaddrinfo = getaddrinfo  # redis-py and urllib3 (the SMS gateway) look it up here
    try:
        from eventlet.support.psycopg2_patcher import make_psycopg_green

        make_psycopg_green()  # PostgreSQL queries then yield to other greenlets instead of blocking
    except ImportError:  # psycopg2 not installed: SQLite only
        pass
elif os.environ.get("ROUNDTABLE_ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import errno  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import click  # noqa: E402

from roundtable import create_app  # noqa: E402
from roundtable.bootstrap import prepare  # noqa: E402

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


def port_in_use(host: str, port: int) -> bool:
    """Whether another process already listens on ``host:port``.

    eventlet listens with SO_REUSEPORT, so a second server on a busy port would start silently and
    the kernel would split the phones between the two processes (each with its own live state).
    A probe bound without SO_REUSEPORT fails while anything listens there. Several processes are
    the scale-out design's business: each on its own port, behind a proxy (deploy/).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return False  # socketio.run reports an unknown host itself
    family, kind, proto, _, address = infos[0]
    probe = socket.socket(family, kind, proto)
    try:
        # SO_REUSEADDR: a port left in TIME_WAIT by a server that just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as error:
        return error.errno == errno.EADDRINUSE
    finally:
        probe.close()
    return False


def main() -> None:
    host, port = app.config["ROUNDTABLE_HOST"], app.config["ROUNDTABLE_PORT"]
    if port_in_use(host, port):
        click.echo(
            f"Roundtable cannot start: port {port} is already in use (another Roundtable, or another "
            f"program, is listening there). Stop it, or choose another port with ROUNDTABLE_PORT.",
            err=True,
        )
        sys.exit(2)
    password = prepare(app)
    # Compress the static files in a real OS thread (brotli releases the GIL), so the server
    # listens at once and the first phones rarely wait for brotli's best quality.
    eventlet_module = sys.modules.get("eventlet")
    threading_module = eventlet_module.patcher.original("threading") if eventlet_module else threading

    def warm() -> None:
        with app.app_context():
            app.extensions["roundtable_assets"].warm()

    threading_module.Thread(target=warm, daemon=True).start()
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
    from roundtable.live.serving import serve

    serve(app, host, port)


if __name__ == "__main__":
    main()

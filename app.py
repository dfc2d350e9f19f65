"""Entry point: ``python app.py`` serves Roundtable on its built-in default.

eventlet must patch the standard library before anything else is imported, so that sockets,
threads and the database driver cooperate; the async mode stays a setting (ROUNDTABLE_ASYNC_MODE).
"""

import os
import sys
import warnings


def defer_import(name: str) -> None:
    """Put a placeholder for the module ``name`` in sys.modules: ``import name`` gets it without
    running the module, and the first use of any of its attributes imports the real module
    (which then replaces it in sys.modules) and fills the placeholder in. A package's submodules
    still import on their own (``from redis.exceptions import RedisError`` runs only that file);
    a dotted ``name`` needs its parent deferred (or imported) first. Nothing if ``name`` is already
    imported, not installed, or a submodule of a package that is neither. (The standard library's
    LazyLoader does not serve here: on Python 3.11 the import statement reads ``__spec__``, which
    loads the module at once.)"""
    import importlib
    import importlib.util
    import types

    parent, _, child = name.rpartition(".")
    if name in sys.modules or (parent and parent not in sys.modules):
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return

    class Deferred(types.ModuleType):
        def __getattr__(self, attribute: str):
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            # Submodules imported while this stood in (``redis.exceptions``) were attached to
            # the placeholder only: the real package gets them too.
            for key, value in vars(self).items():
                if isinstance(value, types.ModuleType) and not hasattr(real, key):
                    setattr(real, key, value)
            vars(self).update(vars(real))
            return getattr(real, attribute)

    placeholder = Deferred(name)
    # What code that looks over sys.modules reads (inspect, reloaders): no import for those.
    placeholder.__spec__, placeholder.__loader__ = spec, spec.loader
    placeholder.__file__, placeholder.__package__ = spec.origin, spec.parent
    placeholder.__cached__ = spec.cached
    if spec.submodule_search_locations is not None:
        placeholder.__path__ = list(spec.submodule_search_locations)
    sys.modules[name] = placeholder
    if parent:
        setattr(sys.modules[parent], child, placeholder)


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
    # python-engineio imports its client's libraries (requests, websocket-client, aiohttp) and
    # python-socketio its Redis queue's (redis) when they are imported: some 20 MB of a server
    # that never runs an Engine.IO client and, on its own, has no Redis (about 10 MB where only
    # requirements.txt is installed: websocket-client and aiohttp come with the test tools).
    # They stand in sys.modules as placeholders until something uses one (requests: the SMS
    # gateway; redis: the queue and the shared rate limits of several processes), which then
    # loads it in full, as it would have been loaded here.
    if __name__ == "__main__":
        for name in ("requests", "websocket", "aiohttp", "redis", "redis.asyncio"):
            defer_import(name)
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
import threading  # noqa: E402

import click  # noqa: E402

from roundtable import create_app  # noqa: E402
from roundtable.bootstrap import prepare  # noqa: E402
from roundtable.live.serving import release_free_memory  # noqa: E402

# Served by this file (``python app.py``): without Flask-Migrate, whose Alembic the serving process
# never needs (bootstrap.prepare upgrades in a child process). ``flask --app app db ...`` has it.
app = create_app(migrations=__name__ != "__main__")


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
        # brotli's best quality works in buffers of several MB, which this thread's allocator
        # arena would otherwise keep (some 17 MB resident for the life of the server).
        release_free_memory()

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

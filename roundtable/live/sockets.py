"""Socket plumbing shared by every handler module: the caller's connection, acknowledgements,
payload checks, the error boundary and the staff check.

Who a connection is (its role, event, participant or staff member, address and language) is
decided once, by the connect handler, and kept here per socket id (``remember``), not in the
connection's copy of the session: every later event reads it with one dict look-up. That lets
the hottest event, a vote, run as a *light event* (``light_event``): registered on
python-socketio directly, without the Flask request context Flask-SocketIO pushes around every
event (a request object, two URL adapters, the session, teardown: about a third of a vote's CPU).
A light handler gets the socket id and the connection and uses no ``request``, ``session`` or
``current_user``; what needs the database or a message in the caller's language runs in an app
context with the connection's locale.

Handler modules (``handlers``, ``question_handlers``, ...) import this module; it imports none of
them. A handler module that adds to the participant's snapshot registers a function with
``add_participant_extras`` instead of being imported by the snapshot handler.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from flask import current_app, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from flask_socketio import ConnectionRefusedError
from socketio.packet import Packet

from .. import schemas
from ..errors import Forbidden, RoundtableError
from ..extensions import db, socketio
from ..i18n import _l
from ..models import Event, Participant
from ..staff import access
from .broadcaster import broadcaster

log = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 16_384
NAMESPACE = "/"


class TextPacket(Packet):
    """Socket.IO packets of JSON text only (the server's ``serializer``).

    Roundtable never sends bytes over a socket, so python-socketio's scan of every outgoing
    message for binary parts (a walk over the whole of a snapshot, a tenth of its cost) is not
    needed; bytes sent by mistake fail loudly in the JSON encoder instead. Packets that arrive are
    decoded as before.
    """

    uses_binary_events = False


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def fail(error: RoundtableError) -> dict[str, Any]:
    return {"ok": False, "error": error.as_dict()}


# socket id -> who that connection is: {"role", "event_id", "participant_id" | "user_id",
# "address", "locale", "app"}; set by the connect handler, dropped on disconnect.
_connections: dict[str, dict[str, Any]] = {}


def remember(conn: dict[str, Any]) -> None:
    """Record who the connecting socket is (called by the connect handler, in its request)."""
    conn["address"] = request.remote_addr
    conn["locale"] = str(get_locale() or "en")
    conn["app"] = current_app._get_current_object()
    remember_sid(request.sid, conn)


def remember_sid(sid: str, conn: dict[str, Any]) -> None:
    """``remember`` for a connect handled outside a request: ``conn`` has every field."""
    _connections[sid] = conn


def forget(sid: str) -> None:
    _connections.pop(sid, None)


def connection() -> dict[str, Any]:
    """The connection handling the current (Flask-SocketIO) event, or ``{}``."""
    return _connections.get(request.sid) or {}


def connection_of(sid: str) -> dict[str, Any] | None:
    return _connections.get(sid)


def connections() -> int:
    return len(_connections)


def connected_event(conn: dict[str, Any] | None = None) -> Event:
    """The event of ``conn`` (by default the current event's connection), or ``Forbidden``."""
    conn = connection() if conn is None else conn
    event = db.session.get(Event, conn.get("event_id")) if conn else None
    if event is None:
        raise Forbidden(_l("Connect to an event first."))
    return event


def payload(data: Any, event: str | None = None) -> dict[str, Any]:
    """The event's payload checked against its schema (``roundtable.schemas``), or an error."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", _l("Send an object."))
    try:
        size = len(json.dumps(data, default=str))
    except (TypeError, ValueError, RecursionError):
        raise RoundtableError("bad_payload", _l("Send JSON data.")) from None
    if size > MAX_PAYLOAD_BYTES:
        raise RoundtableError("too_large", _l("That message is too large."))
    return schemas.validate(schemas.for_event(event), data)


def event_name() -> str | None:
    """The Socket.IO event being handled (Flask-SocketIO keeps it on the request)."""
    info = getattr(request, "event", None)
    return info.get("message") if isinstance(info, dict) else None


def refused(code: str, message: Any) -> ConnectionRefusedError:
    message = str(message)  # a lazy translation: words in the caller's language, now
    # python-socketio sends the first argument as the error's message and the second as its
    # ``data``: the browser reads ``err.data.code`` (a lone dict would arrive as its repr string).
    return ConnectionRefusedError(message, {"code": code, "message": message})


def address() -> str | None:
    return request.remote_addr


def server_error() -> RoundtableError:
    """What a client is told when the server failed (it may retry: votes carry their id)."""
    return RoundtableError("server_error", _l("Something went wrong on the server: try again."))


def handler(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn a ``RoundtableError`` into an error acknowledgement and undo any partial change."""

    @functools.wraps(fn)
    def wrapper(data: Any = None) -> dict[str, Any]:
        try:
            return fn(payload(data, event_name()))
        except RoundtableError as error:
            db.session.rollback()
            return fail(error)
        except Exception:
            # Never leave a client waiting for an acknowledgement: it may retry (votes carry
            # their client id, so a retry is safe) and the facilitator's page shows the error.
            log.exception("socket event %s failed", fn.__name__)
            db.session.rollback()
            return fail(server_error())

    return wrapper


LightHandler = Callable[[str, dict[str, Any], dict[str, Any]], dict[str, Any]]


def light_event(name: str) -> Callable[[LightHandler], LightHandler]:
    """Register ``fn(sid, conn, data) -> dict`` for the socket event ``name``, outside Flask.

    The same boundary as ``handler``: the payload checked against the event's schema first, a
    ``RoundtableError`` sent back as an error acknowledgement, any other exception logged and
    answered ``server_error``; errors are worded in the connection's language. The handler
    opens an app context (``in_app``) itself for what needs one.
    """

    def register(fn: LightHandler) -> LightHandler:
        @functools.wraps(fn)
        def on_event(sid: str, data: Any = None, *extra: Any) -> dict[str, Any]:
            conn = _connections.get(sid)
            try:
                if conn is None:
                    raise Forbidden(_l("Connect to an event first."))
                return fn(sid, conn, payload(data, name))
            except RoundtableError as error:
                return _light_failure(sid, conn, error)
            except Exception:
                log.exception("socket event %s failed", name)
                return _light_failure(sid, conn, server_error())

        # Bound to every app's python-socketio server by ``socketio.init_app``, as a raw handler:
        # python-socketio calls it with the socket id, Flask-SocketIO adds no context.
        socketio.handlers.append((name, on_event, NAMESPACE))
        return fn

    return register


@contextlib.contextmanager
def in_app(conn: dict[str, Any]) -> Iterator[None]:
    """An app context speaking the connection's language, for a light handler's database work."""
    with conn["app"].app_context(), force_locale(conn.get("locale") or "en"):
        yield


def _light_failure(sid: str, conn: dict[str, Any] | None, error: RoundtableError) -> dict[str, Any]:
    if conn is None:
        environ = socketio.server.get_environ(sid, namespace=NAMESPACE) or {}
        app = environ.get("flask.app")
        if app is None:
            return {"ok": False, "error": {"code": error.code, "message": str(error.message)}}
        conn = {"app": app, "locale": "en"}
    with in_app(conn):
        return fail(error)


def in_request(name: str, sid: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn`` for a light event as Flask-SocketIO runs its handlers: in a request context of
    the socket's environ, with the connection's session and the logged-in user; for the callers
    of a light event that need them (staff, screens). ``args`` are the event's (for ``connect``:
    the environ and the auth object)."""
    return socketio._handle_event(fn, name, NAMESPACE, sid, *args)


def enter_room(sid: str, room: str) -> None:
    """``join_room`` for a light handler (Flask-SocketIO's reads the sid from the request)."""
    socketio.server.enter_room(sid, room, namespace=NAMESPACE)


TARGETS = (
    ("poll_id", "poll"),
    ("question_id", "question"),
    ("item_id", "agenda_item"),
    ("day_id", "day"),
    ("request_id", "help_request"),
)


def audit_action(name: str) -> str:
    """``staff:poll_open`` -> ``poll.open``; ``mod:approve`` -> ``question.approve``."""
    verb = name.split(":", 1)[-1]
    special = {"set_live": "agenda.set_live", "screen": "screen.show"}
    if verb in special:
        return special[verb]
    if name.startswith("mod:"):
        return f"question.{verb}"
    if name.startswith("help:"):
        return f"help.{verb}"
    noun, _, rest = verb.partition("_")
    return f"{noun}.{rest}" if rest else f"event.{verb}"


def record_action(event: Event, name: str, data: dict[str, Any]) -> None:
    """Add the audit entry of a staff socket event (committed with the action, or not at all)."""
    from ..audit import record

    target_type, target_id = "", None
    for key, kind in TARGETS:
        value = data.get(key)
        # Only an id a row can have (a key the handler ignored may carry any number).
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
            target_type, target_id = kind, value
            break
    detail = {}
    for key in ("mode", "direction", "revealed", "action", "hidden"):
        if isinstance(data.get(key), (str, bool)):
            detail[key] = data[key]
    record(event, current_user._get_current_object(), audit_action(name), target_type, target_id, **detail)


def staff_only(*, polls_role: bool = True, name: str = ""):
    """Refuse the event unless this connection is a logged-in staff member of the right role."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(data: dict[str, Any]) -> dict[str, Any]:
            conn = connection()
            if (
                conn.get("role") != "staff"
                or not current_user.is_authenticated
                or conn.get("user_id") != current_user.id
            ):
                raise Forbidden(_l("Only facilitators can do that."))
            event = connected_event()
            role = access.event_role(current_user, event)
            if role is None:
                raise Forbidden("Only facilitators can do that.")
            if polls_role and role not in access.RUN:
                raise Forbidden(
                    _l("Only facilitators can do that: a moderator moderates questions and answers.")
                )
            result = fn(event, data)
            record_action(event, name or fn.__name__, data)
            db.session.commit()
            broadcaster.state_changed(event)
            return ok(**(result or {}))

        return wrapper

    return decorate


Extras = Callable[[Participant, str], dict[str, Any]]
_participant_extras: list[Extras] = []


def add_participant_extras(fn: Extras) -> Extras:
    """Register ``fn(participant, sid) -> dict``: its keys join that participant's snapshot.

    It runs in a light event (``sid`` is the socket's id, for ``enter_room``; no request)."""
    _participant_extras.append(fn)
    return fn


def participant_extras(participant: Participant, sid: str) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for fn in _participant_extras:
        extras.update(fn(participant, sid))
    return extras


def staff_event(name: str, *, polls_role: bool = True):
    def register(fn):
        socketio.on_event(name, handler(staff_only(polls_role=polls_role, name=name)(fn)))
        return fn

    return register

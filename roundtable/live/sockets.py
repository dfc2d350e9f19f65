"""Socket plumbing shared by every handler module: the caller's connection, acknowledgements,
payload checks, the error boundary and the staff check.

Handler modules (``handlers``, ``question_handlers``, ...) import this module; it imports none of
them. A handler module that adds to the participant's snapshot registers a function with
``add_participant_extras`` instead of being imported by the snapshot handler.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError

from .. import schemas
from ..errors import Forbidden, RoundtableError
from ..extensions import db, socketio
from ..i18n import _l
from ..models import Event, Participant
from ..staff import access
from .broadcaster import broadcaster

log = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 16_384
CONN = "rt_conn"  # key in the per-connection copy of the session


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def fail(error: RoundtableError) -> dict[str, Any]:
    return {"ok": False, "error": error.as_dict()}


def connection() -> dict[str, Any]:
    return session.get(CONN) or {}


def connected_event() -> Event:
    conn = connection()
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
            return fail(RoundtableError("server_error", _l("Something went wrong on the server: try again.")))

    return wrapper


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


Extras = Callable[[Participant], dict[str, Any]]
_participant_extras: list[Extras] = []


def add_participant_extras(fn: Extras) -> Extras:
    """Register ``fn(participant) -> dict``: its keys join that participant's snapshot."""
    _participant_extras.append(fn)
    return fn


def participant_extras(participant: Participant) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for fn in _participant_extras:
        extras.update(fn(participant))
    return extras


def staff_event(name: str, *, polls_role: bool = True):
    def register(fn):
        socketio.on_event(name, handler(staff_only(polls_role=polls_role, name=name)(fn)))
        return fn

    return register

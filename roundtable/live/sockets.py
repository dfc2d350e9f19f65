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
from ..models import Event, Participant
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
        raise Forbidden("Connect to an event first.")
    return event


def payload(data: Any, event: str | None = None) -> dict[str, Any]:
    """The event's payload checked against its schema (``roundtable.schemas``), or an error."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send an object.")
    try:
        size = len(json.dumps(data, default=str))
    except (TypeError, ValueError, RecursionError):
        raise RoundtableError("bad_payload", "Send JSON data.") from None
    if size > MAX_PAYLOAD_BYTES:
        raise RoundtableError("too_large", "That message is too large.")
    return schemas.validate(schemas.for_event(event), data)


def event_name() -> str | None:
    """The Socket.IO event being handled (Flask-SocketIO keeps it on the request)."""
    info = getattr(request, "event", None)
    return info.get("message") if isinstance(info, dict) else None


def refused(code: str, message: str) -> ConnectionRefusedError:
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
            return fail(RoundtableError("server_error", "Something went wrong on the server: try again."))

    return wrapper


def staff_only(*, polls_role: bool = True):
    """Refuse the event unless this connection is a logged-in staff member of the right role."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(data: dict[str, Any]) -> dict[str, Any]:
            if connection().get("role") != "staff" or not current_user.is_authenticated:
                raise Forbidden("Only facilitators can do that.")
            if polls_role and not current_user.can_run_polls:
                raise Forbidden("Only facilitators can do that: a moderator moderates questions and answers.")
            event = connected_event()
            result = fn(event, data)
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
        socketio.on_event(name, handler(staff_only(polls_role=polls_role)(fn)))
        return fn

    return register

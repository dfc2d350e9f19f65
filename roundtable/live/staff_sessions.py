"""Staff sockets end with the login they were opened with.

A staff connection joins ``staff_session:<user id>:<session token>`` (beside ``staff:<event>``).
When that token stops being the user's current one (logout, a password change or reset,
deactivation), ``end_sessions`` tells the person's pages (``session_ended`` to ``user:<id>``,
which reaches every process through the message queue) and disconnects the sockets of this
process at once; every process's broadcaster tick also disconnects its own sockets whose token is
no longer current (one primary-key query per tick, only while staff sockets are open), so with
several processes a revoked socket is gone within one tick. No socket id is kept anywhere but in
the Socket.IO server's own rooms; this module remembers only the names of the rooms it made
(``join``), so a tick looks at those few rooms, never at every phone's (a room of 5,000 phones
has 5,000 rooms of one socket each). Independently of all this, every staff socket event reloads the
user from the cookie's token, so a socket that is not yet disconnected can no longer act.
"""

from __future__ import annotations

import logging

from flask_socketio import join_room
from sqlalchemy import select

from ..extensions import db, socketio
from ..models import User
from .broadcaster import broadcaster

log = logging.getLogger(__name__)

PREFIX = "staff_session:"
SCREEN_PREFIX = "screen_link:"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def session_room(user: User) -> str:
    return f"{PREFIX}{user.id}:{user.session_token}"


def screen_link_room(event) -> str:
    """Projectors opened with this event's current code and key (a new one ends the others)."""
    return f"{SCREEN_PREFIX}{event.id}:{event.code}:{event.screen_key}"


# The staff-session and screen-link rooms this process's sockets joined (names only).
_rooms: set[str] = set()


def join(room: str) -> None:
    """Put the connecting socket in ``room`` (a ``session_room`` or a ``screen_link_room``)."""
    join_room(room)
    _rooms.add(room)


def _local_rooms(prefix: str) -> dict[str, list[str]]:
    """This process's rooms that start with ``prefix``, and their sockets (emptied ones are
    forgotten)."""
    manager = socketio.server.manager if socketio.server else None
    if manager is None:
        return {}
    rooms = manager.rooms.get("/", {})
    found = {}
    for room in [r for r in _rooms if r.startswith(prefix)]:
        sids = [sid for sid, _ in manager.get_participants("/", room)] if rooms.get(room) else []
        if sids:
            found[room] = sids
        else:
            _rooms.discard(room)
    return found


def sweep() -> int:
    """Disconnect this process's staff sockets whose login has ended, and its projectors opened
    with an event code or screen key that has been replaced; return how many."""
    return _sweep_staff() + _sweep_screens()


def _sweep_screens() -> int:
    from ..models import Event

    rooms = _local_rooms(SCREEN_PREFIX)
    if not rooms:
        return 0
    parsed = {}
    for room, sids in rooms.items():
        event_id, _, rest = room[len(SCREEN_PREFIX) :].partition(":")
        if event_id.isdigit():
            parsed[room] = (int(event_id), rest, sids)
    current = {
        event_id: f"{code}:{key}"
        for event_id, code, key in db.session.execute(
            select(Event.id, Event.code, Event.screen_key).where(
                Event.id.in_({e for e, _, _ in parsed.values()})
            )
        )
    }
    ended = 0
    for event_id, link, sids in parsed.values():
        if current.get(event_id) != link:
            for sid in sids:
                socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
                ended += 1
    return ended


def _sweep_staff() -> int:
    rooms = _local_rooms(PREFIX)
    if not rooms:
        return 0
    wanted: dict[int, list[tuple[str, list[str]]]] = {}
    for room, sids in rooms.items():
        user_id, _, token = room[len(PREFIX) :].partition(":")
        if user_id.isdigit():
            wanted.setdefault(int(user_id), []).append((token, sids))
    current = {
        user_id: (token, active)
        for user_id, token, active in db.session.execute(
            select(User.id, User.session_token, User.active).where(User.id.in_(list(wanted)))
        )
    }
    ended = 0
    for user_id, sessions in wanted.items():
        token_now, active = current.get(user_id, (None, False))
        for token, sids in sessions:
            if active and token == token_now:
                continue
            for sid in sids:
                socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
                ended += 1
    if ended:
        log.info("disconnected %d staff sockets whose login ended", ended)
    return ended


def end_sessions(user: User) -> None:
    """After the commit that replaced ``user``'s token: tell their pages, drop their sockets."""
    socketio.emit(
        "session_ended",
        {"message": "You have been logged out. Log in again to go on."},
        to=user_room(user.id),
    )
    sweep()


broadcaster.add_flusher(lambda: sweep() and 0)

"""Fan-out of live changes to the Socket.IO rooms of an event.

Callers only say what changed: ``state_changed(event)`` after a committed change of what people
see, ``poll_changed(poll_id)`` after a committed answer. State goes out at once (it changes at a
facilitator's pace); tallies are coalesced: a vote only marks its poll dirty, and a background
task sends each dirty poll's tally at most once per ``ROUNDTABLE_TALLY_INTERVAL`` seconds. Tallies
are computed from the database, so with a message queue any process can send them and all agree.

Rooms: ``event:<id>`` may hold participants, so it only ever receives ``participant_view`` and
tallies of revealed polls; ``screen:<id>`` receives the screen view and the tally of the poll on
screen; ``staff:<id>`` receives everything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..extensions import db, socketio
from ..models import Event, LiveState, Poll
from ..polls.service import staff_tally, tally
from . import split
from . import state as live_state

log = logging.getLogger(__name__)


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def staff_room(event_id: int) -> str:
    return f"staff:{event_id}"


def screen_room(event_id: int) -> str:
    return f"screen:{event_id}"


def voters_room(poll) -> str:
    """Participants who answered this poll since its last reset (for "after_vote" results)."""
    return f"voters:{poll.id}:{poll.generation}"


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Run the reads inside on one snapshot of the database, then end the transaction.

    A tally reads its ``seq`` and its counts with several statements; each would otherwise see
    the database at its own moment (READ COMMITTED on PostgreSQL, one implicit transaction per
    statement on SQLite), so with two processes broadcasting a higher ``seq`` could carry a lower
    total. In one snapshot the ``seq`` describes exactly the counts that come with it:
    REPEATABLE READ on PostgreSQL, an explicit read transaction on SQLite (WAL keeps it stable).
    """
    db.session.rollback()
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif dialect == "sqlite":
        connection = db.session.connection()
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")
    try:
        yield
    finally:
        db.session.rollback()


@contextmanager
def reads_without_yielding() -> Iterator[None]:
    """On green psycopg2 (eventlet), run the reads inside as plain blocking calls.

    Green psycopg2 yields to the event loop on every statement. Under a burst the loop has
    hundreds of handlers ready to run, and a tick that yields half a dozen times waits behind
    all of them each time: the results reached the projectors a second or more late. A tick's
    reads take a few milliseconds on a local database, so blocking the loop for them is cheaper
    than queueing for it six times. Nothing else runs while they do (no yield), so no other
    greenlet sees the switched callback; SQLite never yields in the first place.
    """
    try:
        from psycopg2 import extensions
    except ImportError:
        yield
        return
    callback = extensions.get_wait_callback()
    if callback is None or db.engine.dialect.name != "postgresql":
        yield
        return
    extensions.set_wait_callback(None)
    try:
        yield
    finally:
        extensions.set_wait_callback(callback)


class Broadcaster:
    def __init__(self) -> None:
        self._dirty_polls: set[int] = set()
        self._dirty_presence: set[int] = set()
        self._lock = threading.Lock()
        self._task = None
        self.presence: Any = None
        self.interval = 0.25
        self._flushers: list[Any] = []

    def init_app(self, app, presence) -> None:
        self.presence = presence
        self.interval = float(app.config["ROUNDTABLE_TALLY_INTERVAL"])
        app.extensions["roundtable_broadcaster"] = self

    # --- what callers say ----------------------------------------------------------------

    def state_changed(self, event: Event) -> None:
        """Send each room its view of the event. Call after the change is committed."""
        socketio.emit("state", live_state.participant_view(event), to=event_room(event.id))
        socketio.emit("state", live_state.screen_view(event), to=screen_room(event.id))
        socketio.emit("state", live_state.staff_view(event), to=staff_room(event.id))

    def poll_changed(self, poll_id: int) -> None:
        with self._lock:
            self._dirty_polls.add(poll_id)

    def presence_changed(self, event_id: int) -> None:
        with self._lock:
            self._dirty_presence.add(event_id)

    def add_flusher(self, flush) -> None:
        """Register ``flush()``, called on every tick inside an app context (feature modules such
        as the question wall coalesce their own updates this way). Returns how many it sent."""
        if flush not in self._flushers:
            self._flushers.append(flush)

    # --- the background task ----------------------------------------------------------------

    def flush(self) -> int:
        """Send the tally of every dirty poll and the count of every changed event; return how many."""
        with self._lock:
            polls, self._dirty_polls = self._dirty_polls, set()
            events, self._dirty_presence = self._dirty_presence, set()
        for poll_id in sorted(polls):
            try:
                self._send_tally(poll_id)
            except Exception:
                # Try again next tick: a failed read must not lose a poll's final tally (the
                # votes are in; nothing else would mark it dirty again), nor stop the others.
                log.exception("tally of poll %s failed", poll_id)
                db.session.rollback()
                self.poll_changed(poll_id)
        for event_id in sorted(events):
            socketio.emit(
                "presence", {"participants": self.presence.count(event_id)}, to=staff_room(event_id)
            )
        sent = len(polls) + len(events)
        for flush in self._flushers:
            sent += flush() or 0
        return sent

    def _send_tally(self, poll_id: int) -> None:
        with reads_without_yielding(), read_snapshot():
            poll = db.session.get(Poll, poll_id)
            if poll is None:
                return
            event_id = poll.agenda_item.day.event_id
            result = tally(poll)
            staff = staff_tally(poll, result)
            state = db.session.get(LiveState, event_id)
            on_screen = (
                state is not None and state.screen_mode == "results" and state.screen_poll_id == poll.id
            )
            public, after_vote = live_state.public_results(poll), poll.results_mode == "after_vote"
            voters = voters_room(poll)
            on_screen_tally = live_state.screen_tally(poll, result) if on_screen else None
            if on_screen and state.screen_groups:
                split.send(
                    poll, state, staff_room(event_id), screen_room(event_id), event_room(event_id),
                    voters, on_screen=live_state.screen_sees_results(poll),
                )
        socketio.emit("tally", staff, to=staff_room(event_id))
        if on_screen:
            socketio.emit("tally", on_screen_tally, to=screen_room(event_id))
        if public:
            socketio.emit("tally", result, to=event_room(event_id))
        elif after_vote:
            socketio.emit("tally", result, to=voters)

    def start(self, app) -> None:
        """Start the tally task once per process."""
        with self._lock:
            if self._task is not None:
                return
            self._task = socketio.start_background_task(self._run, app)

    def _run(self, app) -> None:
        ticks = 0
        due = time.monotonic()
        while True:
            # A fixed cadence: the time a tick took comes off the next sleep, so under load the
            # results still go out every ``interval`` rather than every interval + work.
            due += self.interval
            socketio.sleep(max(0.0, due - time.monotonic()))
            due = max(due, time.monotonic() - self.interval)
            ticks += 1
            with app.app_context():
                try:
                    self.flush()
                    if ticks % 40 == 0:
                        self.presence.refresh()
                except Exception:
                    # One bad tick must not stop the live results for the rest of the event.
                    log.exception("tally flush failed")
                finally:
                    db.session.remove()


broadcaster = Broadcaster()

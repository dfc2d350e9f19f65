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
from typing import Any

from ..extensions import db, socketio
from ..models import Event, LiveState, Poll
from ..polls.service import staff_tally, tally
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
            poll = db.session.get(Poll, poll_id)
            if poll is None:
                continue
            event_id = poll.agenda_item.day.event_id
            result = tally(poll)
            socketio.emit("tally", staff_tally(poll, result), to=staff_room(event_id))
            state = db.session.get(LiveState, event_id)
            if state is not None and state.screen_mode == "results" and state.screen_poll_id == poll.id:
                socketio.emit("tally", live_state.screen_tally(poll, result), to=screen_room(event_id))
            if live_state.public_results(poll):
                socketio.emit("tally", result, to=event_room(event_id))
            elif poll.results_mode == "after_vote":
                socketio.emit("tally", result, to=voters_room(poll))
        for event_id in sorted(events):
            socketio.emit(
                "presence", {"participants": self.presence.count(event_id)}, to=staff_room(event_id)
            )
        sent = len(polls) + len(events)
        for flush in self._flushers:
            sent += flush() or 0
        return sent

    def start(self, app) -> None:
        """Start the tally task once per process."""
        with self._lock:
            if self._task is not None:
                return
            self._task = socketio.start_background_task(self._run, app)

    def _run(self, app) -> None:
        ticks = 0
        while True:
            socketio.sleep(self.interval)
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

"""The vote path's writer: group commit, each vote acknowledged only after its batch commits.

A vote handler no longer opens its own transaction: it hands the vote to ``VoteWriter.submit``
and waits. One background task per process takes every vote waiting (up to ``MAX_BATCH``),
applies them with ``polls.batch.cast_many`` in one transaction, commits, marks the polls dirty
for the tally tick, then wakes each waiting handler with its outcome, which the handler sends as
the acknowledgement. While a batch is written the next one gathers, so under a burst the batches
grow and the cost per vote falls; a lone vote is written at once (no waiting for company).

Between batches the writer yields to the event loop, so pings, other events and the tally tick
run during a burst. A waiting vote sets no timer of its own (a burst of 5,000 would schedule and
cancel 5,000 hub timers, about a tenth of its CPU): one watchdog per process looks every second
for votes past their deadline, queued or in the batch being written, and answers them "busy"
(the phone sends the vote again with the same client id, which is safe).

If a batch fails as a whole (a unique constraint raced by another process, a database error),
each of its votes is retried in a transaction of its own, so one bad vote never refuses the
others. In the ``threading`` async mode (the socket test client) the vote is written inline (in
an app context of its own), with the same code.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..errors import RoundtableError
from ..extensions import db, socketio
from ..polls.batch import MAX_BATCH, VoteOutcome, VoteRequest, cast_many
from ..polls.service import _current_answer
from .broadcaster import broadcaster
from .sockets import server_error

log = logging.getLogger(__name__)

Outcome = VoteOutcome | RoundtableError


def write_batch(requests: list[VoteRequest]) -> list[Outcome]:
    """Apply and commit ``requests`` in the current app context; mark changed polls dirty."""
    try:
        outcomes = cast_many(requests)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if len(requests) == 1:
            return [_alone(requests[0], error)]
        return [item for request in requests for item in write_batch([request])]
    for poll_id in sorted({o.poll_id for o in outcomes if isinstance(o, VoteOutcome) and not o.duplicate}):
        broadcaster.poll_changed(poll_id)
    return outcomes


def _alone(request: VoteRequest, error: Exception) -> Outcome:
    if isinstance(error, IntegrityError):
        # The same participant's vote raced another one (two tabs, or a retry through another
        # process that overtook its original): the other one won; report a duplicate.
        try:
            outcome = cast_many([request])[0]
            db.session.rollback()
            if isinstance(outcome, VoteOutcome):
                from ..models import Participant, Poll

                poll = db.session.get(Poll, outcome.poll_id)
                participant = db.session.get(Participant, request.participant_id)
                outcome.answer, outcome.duplicate = _current_answer(poll, participant), True
                db.session.rollback()
            return outcome
        except Exception:
            db.session.rollback()
            log.exception("vote retry failed")
    else:
        log.error("vote failed", exc_info=error)
    return server_error()


class _EventletEvent:
    """A vote's wait and the writer's wake-up under eventlet: eventlet's own event, re-armable.

    (The driver's ``create_event`` is threading.Event's green twin, which builds a Condition and
    its locks for every vote and costs four times as much to wait on.) The three methods of
    ``threading.Event`` used here: ``set``, ``wait`` (no timeout: see the watchdog), ``clear``.
    """

    __slots__ = ("_event",)

    def __init__(self) -> None:
        import eventlet.event

        self._event = eventlet.event.Event()

    def set(self) -> None:
        if not self._event.ready():
            self._event.send(True)

    def wait(self) -> None:
        self._event.wait()

    def clear(self) -> None:
        if self._event.ready():
            self._event.reset()


def _event():
    if socketio.async_mode == "eventlet":
        return _EventletEvent()
    return socketio.server.eio.create_event()


# How often the watchdog looks for votes past their deadline, and how long a vote may wait for
# its commit (seconds). One deadline for every vote keeps the queue in deadline order.
WATCH_EVERY = 1.0
VOTE_DEADLINE = 60.0


def _busy() -> RoundtableError:
    return RoundtableError("busy", "The server is busy: your vote will be sent again.")


class _Pending:
    __slots__ = ("request", "outcome", "done", "deadline")

    def __init__(self, request: VoteRequest, done, deadline: float) -> None:
        self.request = request
        self.outcome: Outcome | None = None
        self.done = done
        self.deadline = deadline

    def finish(self, outcome: Outcome) -> None:
        """Give the waiting handler ``outcome``, unless it already has one (the watchdog's)."""
        if self.outcome is None:
            self.outcome = outcome
            self.done.set()


class VoteWriter:
    def __init__(self) -> None:
        self._queue: deque[_Pending] = deque()
        self._in_flight: list[_Pending] = []  # the batch being written
        self._wake = None
        self._task = None
        self._app = None
        self.batches = 0
        self.votes = 0

    def init_app(self, app) -> None:
        app.extensions["roundtable_vote_writer"] = self

    def submit(self, app, request: VoteRequest) -> Outcome:
        """Queue a vote and wait until its batch is committed; return its outcome."""
        if socketio.async_mode == "threading":
            with app.app_context():
                return write_batch([request])[0]
        self._ensure(app)
        pending = _Pending(request, _event(), time.monotonic() + VOTE_DEADLINE)
        self._queue.append(pending)
        self._wake.set()
        # No timeout here: the watchdog (expire) answers a vote left waiting past its deadline.
        pending.done.wait()
        return pending.outcome

    def _ensure(self, app) -> None:
        if self._task is None:
            self._app = app
            self._wake = _event()
            self._task = socketio.start_background_task(self._run)
            socketio.start_background_task(self._watch)

    def _watch(self) -> None:
        while True:
            socketio.sleep(WATCH_EVERY)
            try:
                self.expire(time.monotonic())
            except Exception:  # the watchdog must outlive anything: votes wait on it
                log.exception("vote watchdog failed")

    def expire(self, now: float) -> int:
        """Answer "busy" to every vote whose deadline has passed by ``now``, queued (dropped from
        the queue: it will not be written) or in the batch being written (whose commit is not
        known yet, so it is never acknowledged as stored). Returns how many."""
        # Never acknowledge a vote whose commit is unknown as stored: the phone retries with the
        # same client id, which is safe.
        late = 0
        for pending in self._in_flight:
            if pending.deadline <= now and pending.outcome is None:
                pending.finish(_busy())
                late += 1
        while self._queue and self._queue[0].deadline <= now:  # oldest first: FIFO
            self._queue.popleft().finish(_busy())
            late += 1
        return late

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
                self._in_flight = batch
                started = time.perf_counter()
                with self._app.app_context():
                    try:
                        outcomes = write_batch([p.request for p in batch])
                    except Exception:
                        log.exception("vote batch failed")
                        outcomes = [server_error() for _ in batch]
                    finally:
                        db.session.remove()
                self._in_flight = []
                self.batches += 1
                self.votes += len(batch)
                for pending, outcome in zip(batch, outcomes, strict=True):
                    pending.finish(outcome)
                log.debug("wrote %d votes in %.1f ms", len(batch), (time.perf_counter() - started) * 1000)
                # Let the woken handlers send their acks, pings and the tally tick run before
                # the next batch.
                socketio.sleep(0)


vote_writer = VoteWriter()


def reply_fields(outcome: VoteOutcome) -> dict[str, Any]:
    return {"poll_id": outcome.poll_id, "answer": outcome.answer, "duplicate": outcome.duplicate,
            "generation": outcome.generation}

"""Socket handlers of the question wall: asking, upvoting, help requests and moderation.

Same rules as ``handlers.py``: parse input, check the caller's role on the server, call
``roundtable.questions.service``, commit, then hand the result to the rooms. The boundary that
matters most here: ``event:<id>`` and ``screen:<id>`` may hold participants and the room, so they
only ever receive ``views.wall`` / ``views.screen_wall`` (published and answered questions);
held questions, reasons, reject reasons and help requests go to ``staff:<id>`` only, and a
participant's own questions to their private room ``participant:<id>``.

Wall updates are coalesced like tallies: a change marks its session dirty, and the broadcaster's
tick sends each dirty session's ``wall`` and ``queue`` at most once. Help requests are sent to the
staff at once: someone may be waiting.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_login import current_user
from sqlalchemy import select

from .. import i18n
from ..errors import Forbidden, RoundtableError
from ..extensions import db, socketio
from ..i18n import _l
from ..models import AgendaItem, Event, HelpRequest, LiveState, Participant, Question, User
from ..polls.service import get_item
from ..questions import service, views
from ..safety import store as safety
from ..staff import access
from . import state as live_state
from .broadcaster import broadcaster, event_room, screen_room, staff_room
from .sockets import (
    add_participant_extras,
    address,
    connected_event,
    connection,
    enter_room,
    handler,
    ok,
    record_action,
)


def participant_room(participant_id: str) -> str:
    """One participant's sockets (all their tabs): the status of their own questions."""
    return f"participant:{participant_id}"


# --- coalesced wall updates -------------------------------------------------------------------


class WallUpdates:
    """Sessions whose wall changed since the last tick (per process, like dirty polls).

    Phones get ``wall_delta`` messages, not the wall: what changed since the ``seq`` this process
    last sent for the session (any process may send; a delta since ``base`` suits every phone
    whose wall is at ``base`` or newer, and a phone that is behind asks for a snapshot). At most
    one per session every ``ROUNDTABLE_WALL_INTERVAL`` seconds, so the bytes a phone receives
    per second follow the changes, bounded by the wall's cap, whatever the wall's size.
    Screens (a handful of questions) and staff (few people) keep receiving whole views.
    """

    def __init__(self) -> None:
        self._dirty: set[int] = set()
        self._lock = threading.Lock()
        self._sent: dict[int, int] = {}  # item id -> seq of the last delta this process sent
        self._last_flush = 0.0

    def mark(self, item_id: int, changed_at: int | None = None) -> None:
        """``item_id``'s wall changed (at seq ``changed_at``, when one question's change is known).

        The first change this process sees of a session sets where its first delta starts: just
        before that change. A phone further behind sees the gap and asks for a snapshot.
        """
        with self._lock:
            self._dirty.add(item_id)
            if item_id not in self._sent:
                since = changed_at if changed_at is not None else views.wall_seq(item_id)
                self._sent[item_id] = max(0, since - 1)

    def clear(self) -> None:
        with self._lock:
            self._dirty.clear()
            self._sent.clear()

    def flush(self) -> int:
        """Send each dirty session's queue to the staff and, if it is live, its wall to phones and
        screens. Called by the broadcaster's tick inside an app context; returns how many."""
        interval = float(current_app.config.get("ROUNDTABLE_WALL_INTERVAL", 1.0))
        now = time.monotonic()
        with self._lock:
            if now - self._last_flush < interval and not current_app.testing:
                return 0
            self._last_flush = now
            items, self._dirty = self._dirty, set()
        sent = 0
        for item_id in sorted(items):
            item = db.session.get(AgendaItem, item_id)
            if item is None:
                continue
            event_id = item.day.event_id
            socketio.emit("queue", views.queue(item), to=staff_room(event_id))
            live = db.session.scalar(select(LiveState.current_item_id).where(LiveState.event_id == event_id))
            if live == item.id:
                delta = views.wall_delta(item, self._sent.get(item.id, 0))
                if delta["seq"] < delta["base"]:  # the database was reset under us: start over
                    delta = views.wall_delta(item, 0)
                self._sent[item.id] = delta["seq"]
                socketio.emit("wall_delta", delta, to=event_room(event_id))
                socketio.emit("wall", views.screen_wall(item), to=screen_room(event_id))
            sent += 1
        return sent


walls = WallUpdates()
broadcaster.add_flusher(walls.flush)


# --- participants -------------------------------------------------------------------------------


@add_participant_extras
def participant_extras(participant: Participant, sid: str) -> dict[str, Any]:
    """For a participant's snapshot: their own questions and upvotes. Also (re)joins their
    private room, since every client asks for a snapshot after each (re)connect."""
    enter_room(sid, participant_room(participant.id))
    questions, upvotes, help_requests = views.what_is_mine(participant)
    return {
        "my_questions": views.my_questions(participant) if questions else [],
        "my_upvotes": views.my_upvotes(participant) if upvotes else [],
        "my_help": views.my_help(participant) if help_requests else [],
    }


def _participant(action: str, limited: Any) -> tuple[Event, Participant]:
    conn = connection()
    if conn.get("role") != "participant":
        raise Forbidden(_l("Only participants can do that."))
    limits = current_app.extensions["roundtable_socket_limits"]
    if not limits.allow(action, conn["participant_id"], address()):
        raise RoundtableError("rate_limited", limited)
    event = connected_event()
    participant = db.session.get(Participant, conn["participant_id"])
    if participant is None:
        raise Forbidden(_l("Join the event again."))
    return event, participant


def helpline(event: Event) -> str:
    """The helpline text in the caller's language (the other language's, or the default, if unset)."""
    return i18n.event_helpline(event)


@socketio.on("question:ask")
@handler
def on_ask(data: dict[str, Any]) -> dict[str, Any]:
    """A participant asks: ``{text, name?, client_id, item_id?}``; ack ``{question, duplicate}``.

    The question goes to the live session (``item_id``, when given, must still be the live one).
    """
    event, participant = _participant("ask", _l("You have asked several questions already: wait a minute."))
    item = service.live_item(event)
    item_id = data.get("item_id")
    if item_id is not None and (item is None or item_id != item.id):
        raise RoundtableError("questions_closed", _l("That session is over: questions are closed for it."))
    question, duplicate = service.ask(
        item, participant, data.get("text"), data.get("name"), data.get("client_id")
    )
    db.session.commit()
    if not duplicate:
        walls.mark(question.agenda_item_id, question.wall_seq)
        flag = safety.flag_of("question", question.id)
        if flag is not None and flag.grooming:
            # A safeguarding concern in the room: every console hears of it at once.
            socketio.emit("safety:alert", views.safety_alert(question), to=staff_room(event.id))
    return ok(question=views.own_question(question), duplicate=duplicate)


@socketio.on("question:upvote")
@handler
def on_upvote(data: dict[str, Any]) -> dict[str, Any]:
    """``{question_id, up?}``: ``up`` true/false sets the upvote (safe to retry), absent toggles.
    Ack ``{question_id, upvoted, upvotes}``."""
    event, participant = _participant("upvote", _l("Too many upvotes at once: wait a moment."))
    question = service.get_question(event.id, data.get("question_id"))
    upvoted, upvotes = service.upvote(question, participant, data.get("up"))
    db.session.commit()
    walls.mark(question.agenda_item_id, question.wall_seq)
    return ok(question_id=question.id, upvoted=upvoted, upvotes=upvotes)


@socketio.on("help:send")
@handler
def on_help(data: dict[str, Any]) -> dict[str, Any]:
    """``{kind: "help" | "report", topic?, location?, message?}``: to the facilitators only.

    Ack ``{request_id, helpline, request}`` (``request`` as the phone shows it: its status)."""
    # Even a refused request answers with the helpline: whoever asks may need it now.
    event, participant = _participant(
        "help",
        _l(
            "Your earlier messages have reached the facilitators. %(helpline)s",
            helpline=helpline(connected_event()),
        ),
    )
    request = service.send_help(
        event,
        participant,
        data.get("kind"),
        data.get("message"),
        service.live_item(event),
        topic=data.get("topic"),
        location=data.get("location"),
    )
    db.session.commit()
    socketio.emit("help", {"request": views.help_dict(request), "alert": True}, to=staff_room(event.id))
    return ok(request_id=request.id, helpline=helpline(event), request=views.own_help(request))


# --- moderators ---------------------------------------------------------------------------------

MOD_EVENTS: dict[str, Callable[[Event, User, dict[str, Any]], dict[str, Any] | None]] = {}


def mod_event(name: str):
    """A moderation event: any logged-in staff role (admin, facilitator, moderator) may moderate.

    The function receives ``(event, user, data)``, commits itself (so that it can broadcast after
    the commit) and returns the ack's fields.
    """

    def register(fn):
        @functools.wraps(fn)
        def run(data: dict[str, Any]) -> dict[str, Any]:
            conn = connection()
            if (
                conn.get("role") != "staff"
                or not current_user.is_authenticated
                or conn.get("user_id") != current_user.id
            ):
                raise Forbidden(_l("Only moderators can do that."))
            event = connected_event()
            if access.event_role(current_user, event) not in access.MODERATE:
                raise Forbidden(_l("Only moderators can do that."))
            if name not in ("mod:queue",):
                # Added before the action commits, so it is committed with it (or rolled back).
                record_action(event, name, data)
            return ok(**(fn(event, current_user._get_current_object(), data) or {}))

        MOD_EVENTS[name] = fn
        socketio.on_event(name, handler(run))
        return fn

    return register


def _after_moderation(event: Event, questions: list[Question], highlight_before: int | None) -> None:
    """After the commit: queues and walls on the next tick, each author's own status now, and the
    live state if the projector's highlighted question went with the change."""
    for question in questions:
        walls.mark(question.agenda_item_id, question.wall_seq)
        socketio.emit(
            "my_question", views.own_question(question), to=participant_room(question.participant_id)
        )
    if highlight_before is not None and views.highlighted_id(event) != highlight_before:
        live_state.bump(event)
        db.session.commit()
        broadcaster.state_changed(event)


def _question_action(action: Callable[[Question, User, dict[str, Any]], Any]):
    def run(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
        question = service.get_question(event.id, data.get("question_id"))
        highlight_before = views.highlighted_id(event)
        action(question, user, data)
        db.session.commit()
        _after_moderation(event, [question], highlight_before)
        return {"question": views.staff_question(question)}

    return run


# Every transition names the ``version`` of the question the moderator saw.
# A flagged question needs a redaction ("text") or "publish_anyway" (a reason); the service decides.
mod_event("mod:approve")(
    _question_action(
        lambda q, u, d: service.approve(q, u, d.get("version"), d.get("text"), d.get("publish_anyway"))
    )
)
mod_event("mod:reject")(
    _question_action(lambda q, u, d: service.reject(q, u, d.get("version"), d.get("reason")))
)
mod_event("mod:answer")(_question_action(lambda q, u, d: service.answer(q, u, d.get("version"))))
mod_event("mod:archive")(_question_action(lambda q, u, d: service.archive(q, u, d.get("version"))))
mod_event("mod:undo")(_question_action(lambda q, u, d: service.undo(q, u, d.get("version"))))


@mod_event("mod:approve_many")
def approve_many(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{items: [{question_id, version}]}``.

    Ack ``{approved: [question], skipped: [{question_id, error}]}``: each question on its own terms.
    """
    approved, skipped = service.approve_many(event, data.get("items"), user)
    db.session.commit()
    _after_moderation(event, approved, None)
    return {"approved": [views.staff_question(q) for q in approved], "skipped": skipped}


@mod_event("mod:highlight")
def highlight(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{question_id}`` puts a published question on the projector; ``{question_id: null}`` none."""
    question_id = data.get("question_id")
    question = None if question_id is None else service.get_question(event.id, question_id)
    service.highlight(event, question)
    live_state.bump(event)
    db.session.commit()
    broadcaster.state_changed(event)
    live = service.live_item(event)
    if live is not None:
        walls.mark(live.id)
    return {"highlighted_question_id": question.id if question is not None else None}


@mod_event("mod:queue")
def queue(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{item_id}``: the whole queue of any session (the live one comes with the staff view)."""
    return {"queue": views.queue(get_item(event.id, data.get("item_id")))}


def _help_changed(event: Event, request: HelpRequest) -> dict[str, Any]:
    """Tell every console, and the sender's phone (its own view: no names), then ack."""
    payload = views.help_dict(request)
    socketio.emit("help", {"request": payload, "alert": False}, to=staff_room(event.id))
    socketio.emit("help_status", views.own_help(request), to=participant_room(request.participant_id))
    return {"request": payload}


@mod_event("help:take")
def take_help(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{request_id}``: "On my way". The phone is told a facilitator is coming; the console stops
    re-alerting and shows who took it."""
    request = service.take_help(service.get_help(event.id, data.get("request_id")), user)
    db.session.commit()
    return _help_changed(event, request)


@mod_event("help:reply")
def reply_help(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{request_id, text}``: a short private reply shown on the sender's phone only."""
    request = service.reply_help(service.get_help(event.id, data.get("request_id")), user, data.get("text"))
    db.session.commit()
    return _help_changed(event, request)


@mod_event("help:handle")
def handle_help(event: Event, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """``{request_id}``: mark a help request handled; every console and the sender's phone hear of it."""
    request = service.handle_help(service.get_help(event.id, data.get("request_id")), user)
    db.session.commit()
    return _help_changed(event, request)

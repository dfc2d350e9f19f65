"""Socket.IO handlers: parse input, check the caller's role, call business logic, broadcast.

Every connection says who it is in the handshake's ``auth`` object:
``{"role": "participant" | "staff" | "screen", "code": <event code>, "key": <screen key>}``.
The server decides what the connection may do from that and from the signed session cookie
(participant id, or the logged-in facilitator); it never trusts the page. The whole protocol is
documented in README.md ("Socket protocol"); keep the two in step.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_socketio import join_room

from .. import i18n, schemas
from ..agenda import service as agenda
from ..errors import Forbidden, RoundtableError
from ..extensions import db, socketio
from ..i18n import _l, current_language, one_language
from ..models import Event, Participant, Poll
from ..polls import service as polls
from ..polls.batch import VoteRequest
from ..staff import access
from . import snapshots, staff_sessions
from . import state as live_state
from .broadcaster import broadcaster, event_room, screen_room, staff_room, voters_room
from .sockets import (
    connected_event,
    connection,
    enter_room,
    forget,
    handler,
    in_app,
    in_request,
    light_event,
    ok,
    participant_extras,
    refused,
    remember,
    remember_sid,
    staff_event,
)
from .staff_sessions import screen_link_room, session_room, user_room
from .votes import reply_fields, vote_writer

log = logging.getLogger(__name__)

# --- connection -------------------------------------------------------------------------------


def _handshake_auth(auth: Any) -> dict[str, Any]:
    try:
        return schemas.validate(schemas.Auth, auth if isinstance(auth, dict) else {})
    except RoundtableError:
        return {}


def on_connect_light(sid: str, environ: Any = None, auth: Any = None, *extra: Any):
    """Any client, on (re)connect. Refused unless the handshake proves the claimed role.

    Registered on python-socketio directly: a participant's connect (a reconnect storm is
    thousands at once) reads the cookie's session itself and runs outside Flask's request
    context; staff (Flask-Login's user) and screens go through ``on_connect`` in one.
    """
    if environ is None or environ is not socketio.server.get_environ(sid, namespace="/"):
        # A client *event* named "connect" reaches this handler too (python-socketio dispatches
        # events by name); only the real handshake passes the connection's own environ.
        return {"ok": False, "error": {"code": "bad_event", "message": "Unknown event."}}
    checked = _handshake_auth(auth)
    if checked.get("role") != "participant":
        return in_request("connect", sid, on_connect, environ, auth)
    app = environ["flask.app"]
    # The cookie's session, read once (the request object is not kept in the environ).
    session_data = app.session_interface.open_session(app, app.request_class(environ, populate_request=False))
    joined = session_data.get("participants") if session_data is not None else None
    language = i18n.language_for(
        session_data.get("lang") if session_data is not None else None, environ.get("HTTP_ACCEPT_LANGUAGE")
    )
    conn: dict[str, Any] = {"role": "participant", "app": app, "locale": f"{language}_KE",
                            "address": environ.get("REMOTE_ADDR")}
    code = checked.get("code")
    code = code if isinstance(code, str) and code else None
    with in_app(conn):
        # One read, no objects loaded.
        found = agenda.joined_participant(code, joined) if code and isinstance(joined, dict) else None
        if found is None:
            raise refused("not_joined", _l("Join the event first."))
    event_id, participant_id = found
    conn.update(event_id=event_id, participant_id=participant_id)
    enter_room(sid, event_room(event_id))
    broadcaster.presence.join(event_id, sid)
    broadcaster.presence_changed(event_id)
    remember_sid(sid, conn)
    broadcaster.start(app)
    return True


socketio.handlers.append(("connect", on_connect_light, "/"))


def on_connect(auth: Any = None):
    """Staff and screens, on (re)connect, in Flask-SocketIO's request context (``in_request``
    passes the handshake's auth object)."""
    auth = _handshake_auth(auth)
    role, code = auth.get("role"), auth.get("code")
    # Who the caller is comes first, the event second: an unknown code and a code the caller has
    # no standing in get the same refusal, so a socket cannot be used to enumerate event codes.
    code = code if isinstance(code, str) and code else None
    event = agenda.find_event(code) if code else None
    conn = {"role": role, "event_id": event.id if event else None}
    if role == "staff":
        if not current_user.is_authenticated:
            raise refused("login_required", _l("Log in first."))
        if event is None or access.event_role(current_user, event) is None:
            # The same answer as for a code that does not exist: nothing of another event.
            raise refused("unknown_event", _l("There is no such event."))
        conn["user_id"] = current_user.id
        join_room(staff_room(event.id))
        join_room(user_room(current_user.id))
        staff_sessions.join(session_room(current_user))
    elif role == "screen":
        key = auth.get("key")
        if event is None or not isinstance(key, str) or not secrets.compare_digest(
            key.encode(), event.screen_key.encode()
        ):
            raise refused("bad_key", _l("This screen link is not valid."))
        join_room(screen_room(event.id))
        staff_sessions.join(screen_link_room(event))
    else:
        raise refused("bad_role", _l("Unknown role."))
    remember(conn)
    broadcaster.start(current_app._get_current_object())
    return True


@socketio.on("disconnect")
def on_disconnect(reason: Any = None, *extra: Any) -> None:
    if socketio.server.manager.is_connected(request.sid, request.namespace):
        # A client *event* named "disconnect": python-socketio marks a real disconnect as pending
        # before calling this handler, so a connected sid means a forged one. Ignore it.
        return None
    conn = connection()
    forget(request.sid)
    if conn.get("role") == "participant":
        broadcaster.presence.leave(conn["event_id"], request.sid)
        broadcaster.presence_changed(conn["event_id"])


@light_event("snapshot")
def on_snapshot(sid: str, conn: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Any client, after connecting or on seeing a revision gap. Ack: its role's full view.

    A participant's is a light event (a reconnect storm is thousands at once); staff and screens
    go through Flask-SocketIO's request context (their checks read the logged-in user).
    """
    if conn.get("role") != "participant":
        return in_request("snapshot", sid, staff_or_screen_snapshot, data)
    limits = conn["app"].extensions["roundtable_socket_limits"]
    if not limits.allow("snapshot", conn["participant_id"], conn["address"]):
        raise RoundtableError("rate_limited", _l("Too many requests: wait a moment."))
    with in_app(conn):
        return _participant_snapshot(sid, conn)


def _participant_snapshot(sid: str, conn: dict[str, Any]) -> dict[str, Any]:
    # The event is loaded only when the cached view is stale (snapshots.py); the view comes in
    # this phone's language only.
    language = current_language()
    view = snapshots.participant_view(conn["event_id"], lambda: connected_event(conn), language)
    participant = db.session.get(Participant, conn["participant_id"])
    if participant is None:
        raise Forbidden(_l("Join the event again."))
    # The polls the view shows, answered by this participant: their after-vote results and
    # their own held free text are theirs alone, so they come with the snapshot.
    shown = {p["id"]: p for p in view["polls"]}
    mine = polls.answers_of(participant, list(shown))
    held = {}
    for poll_id, shown_poll in shown.items():
        if poll_id not in mine:
            continue
        after_vote = shown_poll["results_mode"] == "after_vote"
        free_text = polls.kind_of(shown_poll["kind"]).free_text
        if not (after_vote or free_text):
            continue
        poll = db.session.get(Poll, poll_id)
        if after_vote:
            enter_room(sid, voters_room(poll))
            view["tallies"][str(poll.id)] = one_language(polls.tally(poll), language)
        if free_text:
            held[str(poll.id)] = polls.held_texts(poll, participant)
    return ok(
        view=view,
        mine={str(k): v for k, v in mine.items()},
        held={k: v for k, v in held.items() if v},
        group=participant.group_key,
        nickname=participant.nickname,
        **participant_extras(participant, sid),
    )


@handler
def staff_or_screen_snapshot(data: dict[str, Any]) -> dict[str, Any]:
    conn = connection()
    role = conn.get("role")
    event = connected_event()
    if role == "screen":
        return ok(view=live_state.screen_view(event))
    if role == "staff" and access.event_role(current_user, event) is not None:
        view = live_state.staff_view(event)
        view["presence"] = broadcaster.presence.count(event.id)
        view["tallies"] = {
            str(p.id): polls.staff_tally(p)
            for item in event.agenda_items()
            for p in item.polls
            if p.status != "draft" or polls.has_responses(p)
        }
        view["screen_key"] = event.screen_key
        view["me"] = {"username": current_user.username, "role": access.event_role(current_user, event)}
        return ok(view=view)
    raise Forbidden()


# --- participants -----------------------------------------------------------------------------


@light_event("vote")
def on_vote(sid: str, conn: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A participant answers a poll: ``{poll_id, client_id, answer}``.

    Ack ``{ok, poll_id, answer, duplicate}`` only after the answer is committed. Nothing is
    broadcast per vote: the poll is marked dirty and its tally goes out with the next tick.
    A light event (sockets.py): a vote is the one event a whole room sends at once.
    """
    if conn.get("role") != "participant":
        raise Forbidden(_l("Only participants can vote."))
    app = conn["app"]
    if not app.extensions["roundtable_socket_limits"].allow("vote", conn["participant_id"], conn["address"]):
        raise RoundtableError("rate_limited", _l("Too many votes at once: wait a moment and try again."))
    # The connection's event was checked when it connected. The vote joins the writer's next
    # batch (group commit); this returns once that batch is committed.
    outcome = vote_writer.submit(
        app,
        VoteRequest(conn["event_id"], conn["participant_id"], data.get("poll_id"), data.get("answer"),
                    data.get("client_id")),
    )
    if isinstance(outcome, RoundtableError):
        raise outcome
    reply = ok(**reply_fields(outcome))
    if outcome.answer is None or not (outcome.results_mode == "after_vote" or outcome.free_text):
        return reply
    with in_app(conn):
        poll = polls.get_poll(conn["event_id"], outcome.poll_id)
        participant = db.session.get(Participant, conn["participant_id"]) if outcome.free_text else None
        if outcome.free_text and not outcome.duplicate:
            # Free text held by the safety check is flagged for the moderators (possible grooming
            # alerts the staff at once), in its own transaction right after the batch's commit.
            grooming = polls.flag_answers(poll, participant)
            alerts = [safety_alert_of(flag, poll) for flag in grooming]
            db.session.commit()
            for alert in alerts:
                socketio.emit("safety:alert", alert, to=staff_room(conn["event_id"]))
        if outcome.results_mode == "after_vote":
            enter_room(sid, voters_room(poll))
            reply["tally"] = polls.tally(poll)
        if outcome.free_text:
            # The author sees their own words even while a moderator holds them.
            reply["held"] = polls.held_texts(poll, participant)
    return reply


@socketio.on("nickname:set")
@handler
def on_nickname(data: dict[str, Any]) -> dict[str, Any]:
    """A participant picks (or clears, with ``""``) a nickname for quiz leaderboards.

    Optional and self-chosen; it passes the same safety checks as questions, and it is never
    shown for a participant who joined as a child, nor in sessions with children.
    """
    conn = connection()
    if conn.get("role") != "participant":
        raise Forbidden(_l("Only participants choose a nickname."))
    participant = db.session.get(Participant, conn["participant_id"])
    nickname = polls.set_nickname(participant, data.get("nickname"))
    db.session.commit()
    return ok(nickname=nickname)


# --- staff --------------------------------------------------------------------------------------


def _poll_action(fn: Callable[..., None]):
    def action(event: Event, data: dict[str, Any]) -> dict[str, Any]:
        poll = polls.get_poll(event.id, data.get("poll_id"))
        fn(poll, data)
        live_state.bump(event)
        broadcaster.poll_changed(poll.id)
        return {"poll_id": poll.id}

    return action


@staff_event("staff:set_live")
def set_live(event: Event, data: dict[str, Any]) -> None:
    """``{item_id | null}``: the session participants see now."""
    live_state.set_current_item(event, data.get("item_id"))


@staff_event("staff:screen")
def set_screen(event: Event, data: dict[str, Any]) -> None:
    """``{mode: join|results|agenda|questions|blank, poll_id?, groups?}``: what the projector
    shows; ``groups`` (group keys and ``"everyone"``) shows a poll's results split by group."""
    live_state.set_screen(event, data.get("mode"), data.get("poll_id"), data.get("groups"))
    if data.get("mode") == "results":
        broadcaster.poll_changed(data["poll_id"])


@staff_event("staff:poll_save")
def poll_save(event: Event, data: dict[str, Any]) -> dict[str, Any]:
    """Create (no ``poll_id``) or edit a poll; ack ``{poll_id}``."""
    poll = polls.save_poll(event.id, data)
    live_state.bump(event)
    return {"poll_id": poll.id}


staff_event("staff:poll_open")(_poll_action(lambda poll, data: polls.open_poll(poll)))
staff_event("staff:poll_close")(_poll_action(lambda poll, data: polls.close_poll(poll)))
staff_event("staff:poll_reset")(_poll_action(lambda poll, data: polls.reset_poll(poll)))
staff_event("staff:poll_reveal")(
    _poll_action(lambda poll, data: polls.reveal_results(poll, data.get("revealed")))
)
staff_event("staff:poll_move")(_poll_action(lambda poll, data: polls.move_poll(poll, data.get("direction"))))


def safety_alert_of(flag: Any, poll: Any) -> dict[str, Any]:
    """The staff alert for an answer flagged as possible grooming (like a help request's)."""
    return {
        "kind": "grooming",
        "target_type": "answer",
        "answer_id": flag.target_id,
        "poll_id": poll.id,
        "item_id": poll.agenda_item_id,
        "item_title": poll.agenda_item.title,
        "reasons": list(flag.reasons),
    }


@staff_event("staff:answers_moderate", polls_role=False)
def answers_moderate(event: Event, data: dict[str, Any]) -> dict[str, Any]:
    """Moderators approve or hide open-text answers / words: ``{poll_id, item_ids, action}``.
    A flagged answer is refused here (``needs_redaction``): it goes through ``staff:answer_approve``."""
    poll = polls.get_poll(event.id, data.get("poll_id"))
    changed = polls.moderate_items(
        poll, data.get("item_ids"), data.get("action"), current_user._get_current_object()
    )
    broadcaster.poll_changed(poll.id)
    return {"changed": changed}


@staff_event("staff:answer_approve", polls_role=False)
def answer_approve(event: Event, data: dict[str, Any]) -> dict[str, Any]:
    """Publish one held answer: ``{poll_id, item_id, text?, publish_anyway?}``: redacted with
    ``text``, or unchanged with a reason where the safety rule allows it. Ack ``{item_id, text}``."""
    poll = polls.get_poll(event.id, data.get("poll_id"))
    row = polls.approve_answer(
        poll,
        data.get("item_id"),
        current_user._get_current_object(),
        data.get("text"),
        data.get("publish_anyway"),
    )
    broadcaster.poll_changed(poll.id)
    return {"item_id": row.id, "text": row.text}


@staff_event("staff:word_hide", polls_role=False)
def word_hide(event: Event, data: dict[str, Any]) -> None:
    """Hide a word of a word cloud (or show it again): ``{poll_id, word, hidden}``."""
    poll = polls.get_poll(event.id, data.get("poll_id"))
    polls.hide_word(poll, data.get("word"), data.get("hidden", True))
    live_state.bump(event)
    broadcaster.poll_changed(poll.id)


@staff_event("staff:poll_delete")
def poll_delete(event: Event, data: dict[str, Any]) -> None:
    polls.delete_poll(polls.get_poll(event.id, data.get("poll_id")))
    live_state.bump(event)


@staff_event("staff:event_save")
def event_save(event: Event, data: dict[str, Any]) -> None:
    agenda.update_event(event, data)
    live_state.bump(event)


@staff_event("staff:day_save")
def day_save(event: Event, data: dict[str, Any]) -> None:
    agenda.update_day(event, data)
    live_state.bump(event)


@staff_event("staff:item_save")
def item_save(event: Event, data: dict[str, Any]) -> None:
    agenda.update_item(event, data)
    live_state.bump(event)

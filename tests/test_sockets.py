"""The Socket.IO protocol (docs/socket-protocol.md) through Flask-SocketIO's test client.

The broadcaster's background loop never runs here: tests call ``flush_tallies()`` where the loop
would tick, so "exactly one tally" and "no tally at all" are exact statements.
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import pytest
import redis
from conftest import REDIS_URL
from sqlalchemy import func, select

from roundtable.extensions import db, socketio
from roundtable.live.broadcaster import broadcaster
from roundtable.live.presence import TTL_SECONDS, MemoryPresence, RedisPresence
from roundtable.live.ratelimit import SocketRateLimiter
from roundtable.models import AgendaItem, Event, LiveState, Poll, Response

PARTICIPANT_VIEW = {"revision", "event", "helpline", "item", "next", "polls", "tallies"}
SCREEN_VIEW = {"revision", "event", "mode", "item", "next", "poll", "tally", "agenda"}
STAFF_VIEW = {"revision", "event", "live", "agenda", "groups", "response_counts"}
STAFF_ONLY_KEYS = {"screen_key", "response_counts", "correct", "live", "groups", "me", "presence"}

_ids = itertools.count(1)


def cid() -> str:
    return f"sock-{next(_ids):08d}"


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def ok(ack: dict[str, Any]) -> dict[str, Any]:
    assert ack["ok"] is True, ack
    return ack


def error_code(ack: dict[str, Any]) -> str:
    assert ack["ok"] is False, ack
    assert set(ack["error"]) == {"code", "message"}
    return ack["error"]["code"]


@pytest.fixture
def ev(seed_event):
    return seed_event()


@pytest.fixture
def poll(ev):
    """The first single-choice poll of the programme (a draft until a test opens it)."""
    return next(p for p in ev.polls if p["kind"] == "single")


@pytest.fixture
def other_poll(ev, poll):
    return next(p for p in ev.polls if p["kind"] == "single" and p["id"] != poll["id"])


@pytest.fixture
def staff(ev, socket_client):
    sock = socket_client("staff", ev)
    assert sock.is_connected()
    return sock


@pytest.fixture
def screen(ev, socket_client):
    sock = socket_client("screen", ev)
    assert sock.is_connected()
    return sock


@pytest.fixture
def participant(ev, socket_client):
    sock = socket_client("participant", ev)
    assert sock.is_connected()
    return sock


@pytest.fixture
def live_poll(ev, poll, staff):
    """``poll``, opened and its session made live by the facilitator."""
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    return poll


def drain(*clients) -> None:
    for client in clients:
        client.get_received()


def responses(in_db, poll_id: int) -> list[tuple[str, Any]]:
    return in_db(
        lambda: db.session.execute(
            select(Response.participant_id, Response.answer).where(Response.poll_id == poll_id)
        ).all()
    )


def revision(in_db, event_id: int) -> int:
    return in_db(lambda: db.session.get(LiveState, event_id).revision)


def poll_status(in_db, poll_id: int) -> tuple:
    return in_db(
        lambda: (lambda p: (p.status, p.results_revealed, p.seq, p.position))(db.session.get(Poll, poll_id))
    )


# --- connecting -------------------------------------------------------------------------------------


def test_connect_refusals(ev, seed_event, socket_client):
    other = seed_event()
    cases = [
        # An unknown code looks like an unjoined one: a socket cannot enumerate codes (issue 9.10).
        (dict(role="participant", event=ev, auth={"role": "participant", "code": "000000"}), "not_joined"),
        (dict(role="participant", event=ev, auth={"role": "participant"}), "not_joined"),
        (dict(role="participant", event=ev, join_first=False), "not_joined"),
        (dict(role="screen", event=ev, auth={"role": "screen", "code": ev.code, "key": "wrong"}), "bad_key"),
        (dict(role="screen", event=ev, auth={"role": "screen", "code": ev.code}), "bad_key"),
        (
            dict(role="screen", event=ev, auth={"role": "screen", "code": ev.code, "key": other.screen_key}),
            "bad_key",
        ),
        (dict(role="screen", event=ev, auth={"role": "screen", "code": "000000", "key": "x"}), "bad_key"),
        (dict(role="screen", event=ev, auth={"role": "screen", "code": ev.code, "key": "é"}), "bad_key"),
        (dict(role="admin", event=ev, auth={"role": "admin", "code": ev.code}), "bad_role"),
        (dict(role="participant", event=ev, auth={"code": ev.code}), "bad_role"),
    ]
    for kwargs, code in cases:
        sock = socket_client(**kwargs)
        assert not sock.is_connected(), kwargs
        assert sock.connect_error["data"]["code"] == code, (kwargs, sock.connect_error)
        assert sock.connect_error["data"]["message"]


def test_staff_must_be_logged_in(ev, app, socket_client):
    sock = socket_client("staff", ev, client=app.test_client())
    assert not sock.is_connected()
    assert sock.connect_error["data"]["code"] == "login_required"


def test_a_participant_of_another_event_is_not_joined_here(ev, seed_event, socket_client):
    other = seed_event()
    sock = socket_client("participant", other)
    assert sock.is_connected()
    again = socket_client("participant", ev, client=sock.flask_client)
    assert not again.is_connected()
    assert again.connect_error["data"]["code"] == "not_joined"


def test_snapshot_per_role(ev, staff, screen, participant):
    ack = ok(participant.emit("snapshot", {}, callback=True))
    assert set(ack["view"]) >= PARTICIPANT_VIEW
    assert not keys_in(ack["view"]) & STAFF_ONLY_KEYS
    assert ack["mine"] == {}
    assert ack["group"] is None
    assert ack["view"]["event"]["code"] == ev.code

    ack = ok(screen.emit("snapshot", {}, callback=True))
    assert set(ack["view"]) >= SCREEN_VIEW
    assert not keys_in(ack["view"]) & STAFF_ONLY_KEYS
    assert ack["view"]["mode"] == "join"

    ack = ok(staff.emit("snapshot", {}, callback=True))
    assert set(ack["view"]) >= STAFF_VIEW | {"tallies", "presence", "screen_key", "me"}
    assert ack["view"]["screen_key"] == ev.screen_key
    assert ack["view"]["me"] == {"username": "facilitator", "role": "facilitator"}
    assert ack["view"]["presence"] == 1


def test_participant_snapshot_has_group_and_own_answers(ev, live_poll, socket_client):
    sock = socket_client("participant", ev, group="children")
    option = live_poll["options"][1]
    ok(
        sock.emit(
            "vote",
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": option}},
            callback=True,
        )
    )
    ack = ok(sock.emit("snapshot", {}, callback=True))
    assert ack["group"] == "children"
    assert ack["mine"] == {str(live_poll["id"]): {"option": option}}
    assert live_poll["id"] in [p["id"] for p in ack["view"]["polls"]]


# --- voting -----------------------------------------------------------------------------------------


def test_vote_is_acknowledged_after_it_is_committed(ev, live_poll, participant, in_db):
    option = live_poll["options"][0]
    ack = ok(
        participant.emit(
            "vote",
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": option}},
            callback=True,
        )
    )
    assert ack["poll_id"] == live_poll["id"]
    assert ack["answer"] == {"option": option}
    assert ack["duplicate"] is False
    assert ack["generation"] == 0
    # A fresh session (another connection) already sees it: the ack came after the commit.
    assert responses(in_db, live_poll["id"]) == [(participant.participant_id, {"option": option})]


def test_vote_errors_store_and_broadcast_nothing(
    ev, seed_event, poll, other_poll, live_poll, staff, screen, participant, in_db, flush_tallies
):
    other_event = seed_event()
    foreign_poll = next(p for p in other_event.polls if p["kind"] == "single")
    ok(staff.emit("staff:poll_open", {"poll_id": other_poll["id"]}, callback=True))
    ok(staff.emit("staff:poll_close", {"poll_id": other_poll["id"]}, callback=True))
    flush_tallies()
    drain(staff, screen, participant)
    draft = next(
        p for p in ev.polls if p["kind"] == "single" and p["id"] not in (poll["id"], other_poll["id"])
    )
    good = {"option": live_poll["options"][0]}

    cases = [
        (
            {"poll_id": other_poll["id"], "client_id": cid(), "answer": {"option": other_poll["options"][0]}},
            "poll_closed",
        ),
        (
            {"poll_id": draft["id"], "client_id": cid(), "answer": {"option": draft["options"][0]}},
            "poll_closed",
        ),
        ({"poll_id": 10_000_000, "client_id": cid(), "answer": good}, "unknown_poll"),
        (
            {
                "poll_id": foreign_poll["id"],
                "client_id": cid(),
                "answer": {"option": foreign_poll["options"][0]},
            },
            "unknown_poll",
        ),
        (
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": other_poll["options"][0]}},
            "unknown_option",
        ),
        (
            {
                "poll_id": live_poll["id"],
                "client_id": cid(),
                "answer": {"option": str(live_poll["options"][0])},
            },
            "bad_payload",
        ),
        ({"poll_id": str(live_poll["id"]), "client_id": cid(), "answer": good}, "bad_payload"),
        ({"client_id": cid(), "answer": good}, "bad_payload"),
        ({"poll_id": live_poll["id"], "answer": good}, "bad_payload"),
        ({"poll_id": live_poll["id"], "client_id": "short", "answer": good}, "bad_payload"),
        ({"poll_id": live_poll["id"], "client_id": cid()}, "bad_payload"),
        ({"poll_id": live_poll["id"], "client_id": cid(), "answer": good, "pad": "x" * 17_000}, "too_large"),
        ("a string", "bad_payload"),
        ([live_poll["id"], good], "bad_payload"),
        (42, "bad_payload"),
    ]
    for payload, code in cases:
        ack = participant.emit("vote", payload, callback=True)
        assert error_code(ack) == code, (payload if len(str(payload)) < 200 else "large", ack)
    # No payload at all.
    assert error_code(participant.emit("vote", callback=True)) == "bad_payload"

    assert flush_tallies() == 0
    for client in (staff, screen, participant):
        assert [m["name"] for m in client.get_received()] == []
    for each in (live_poll, other_poll, draft, foreign_poll):
        assert responses(in_db, each["id"]) == []


def test_idempotent_retry(ev, live_poll, participant, staff, in_db, flush_tallies):
    payload = {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}}
    first = ok(participant.emit("vote", payload, callback=True))
    second = ok(participant.emit("vote", payload, callback=True))
    assert first["duplicate"] is False
    assert second["duplicate"] is True
    assert second["answer"] == first["answer"]
    assert len(responses(in_db, live_poll["id"])) == 1
    drain(staff)
    flush_tallies()
    tallies = staff.events("tally")
    assert len(tallies) == 1
    assert tallies[0]["args"][0]["total"] == 1


def test_changed_vote_replaces_the_first(ev, live_poll, participant, staff, in_db, flush_tallies):
    a, b = live_poll["options"][:2]
    ok(
        participant.emit(
            "vote", {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": a}}, callback=True
        )
    )
    ok(
        participant.emit(
            "vote", {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": b}}, callback=True
        )
    )
    assert responses(in_db, live_poll["id"]) == [(participant.participant_id, {"option": b})]
    drain(staff)
    flush_tallies()
    (tally,) = [m["args"][0] for m in staff.events("tally")]
    assert tally["total"] == 1
    assert tally["counts"][str(a)] == 0
    assert tally["counts"][str(b)] == 1


def test_votes_are_rate_limited_per_participant(ev, live_poll, participant, in_db):
    codes = []
    for n in range(31):
        option = live_poll["options"][n % 2]
        ack = participant.emit(
            "vote",
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": option}},
            callback=True,
        )
        codes.append("ok" if ack["ok"] else ack["error"]["code"])
    assert codes[:30] == ["ok"] * 30
    assert codes[30] == "rate_limited"
    assert responses(in_db, live_poll["id"])[0][1] == {"option": live_poll["options"][1]}


# --- roles --------------------------------------------------------------------------------------------


def staff_event_names() -> list[str]:
    names = sorted({name for name, _, _ in socketio.handlers if name.startswith("staff:")})
    assert len(names) >= 12, names
    return names


def every_staff_event(ev, poll) -> list[tuple[str, dict[str, Any]]]:
    """Each staff event with a payload that a facilitator could send successfully."""
    payloads = {
        "staff:set_live": {"item_id": poll["item_id"]},
        "staff:screen": {"mode": "results", "poll_id": poll["id"]},
        "staff:poll_save": {
            "poll_id": poll["id"],
            "question": "Hijacked?",
            "options": ["a", "b"],
            "kind": "single",
        },
        "staff:poll_reveal": {"poll_id": poll["id"], "revealed": True},
        "staff:poll_move": {"poll_id": poll["id"], "direction": "down"},
        "staff:event_save": {"title": "Hijacked"},
        "staff:day_save": {"day_id": 1, "title": "Hijacked"},
        "staff:item_save": {"item_id": poll["item_id"], "title": "Hijacked"},
    }
    return [
        (name, payloads.get(name, {"poll_id": poll["id"], "item_id": poll["item_id"]}))
        for name in staff_event_names()
    ]


def everything(in_db, ev, poll) -> tuple:
    """What a forbidden staff event could have changed."""

    def read():
        event = db.session.get(Event, ev.id)
        item = db.session.get(AgendaItem, poll["item_id"])
        state = db.session.get(LiveState, ev.id)
        return (
            event.title,
            event.days[0].title,
            item.title,
            (state.revision, state.current_item_id, state.screen_mode, state.screen_poll_id),
            db.session.scalar(select(func.count()).select_from(Poll)),
        )

    return in_db(read), poll_status(in_db, poll["id"])


def test_a_participant_cannot_use_staff_events(ev, poll, participant, staff, screen, in_db, flush_tallies):
    before = everything(in_db, ev, poll)
    drain(staff, screen, participant)
    for name, payload in every_staff_event(ev, poll):
        ack = participant.emit(name, payload, callback=True)
        assert error_code(ack) == "forbidden", name
    assert everything(in_db, ev, poll) == before
    flush_tallies()
    for client in (staff, screen, participant):
        assert [m["name"] for m in client.get_received() if m["name"] in ("state", "tally")] == []


def test_a_screen_cannot_use_staff_events_or_vote(ev, live_poll, screen, in_db):
    before = everything(in_db, ev, live_poll)
    for name, payload in every_staff_event(ev, live_poll):
        assert error_code(screen.emit(name, payload, callback=True)) == "forbidden", name
    vote = {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}}
    assert error_code(screen.emit("vote", vote, callback=True)) == "forbidden"
    assert everything(in_db, ev, live_poll) == before
    assert responses(in_db, live_poll["id"]) == []


def test_staff_cannot_vote(ev, live_poll, staff, in_db):
    vote = {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}}
    assert error_code(staff.emit("vote", vote, callback=True)) == "forbidden"
    assert responses(in_db, live_poll["id"]) == []


def test_a_moderator_cannot_run_polls(ev, poll, socket_client, in_db):
    moderator = socket_client("staff", ev, username="moderator", user_role="moderator")
    assert moderator.is_connected()
    before = everything(in_db, ev, poll)
    for name, payload in [
        ("staff:poll_open", {"poll_id": poll["id"]}),
        ("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True}),
        ("staff:poll_reset", {"poll_id": poll["id"]}),
        ("staff:poll_delete", {"poll_id": poll["id"]}),
        (
            "staff:poll_save",
            {"item_id": poll["item_id"], "kind": "single", "question": "Q?", "options": ["a", "b"]},
        ),
        ("staff:set_live", {"item_id": poll["item_id"]}),
        ("staff:screen", {"mode": "results", "poll_id": poll["id"]}),
        ("staff:event_save", {"title": "Hijacked"}),
    ]:
        assert error_code(moderator.emit(name, payload, callback=True)) == "forbidden", name
    assert everything(in_db, ev, poll) == before


def test_staff_errors_change_and_broadcast_nothing(
    ev, poll, staff, screen, participant, in_db, flush_tallies
):
    before = everything(in_db, ev, poll)
    drain(staff, screen, participant)
    cases = [
        ("staff:poll_close", {"poll_id": poll["id"]}, "poll_not_open"),
        ("staff:poll_open", {"poll_id": 10_000_000}, "unknown_poll"),
        ("staff:set_live", {"item_id": 10_000_000}, "unknown_item"),
        ("staff:screen", {"mode": "results"}, "bad_payload"),
        ("staff:screen", {"mode": "fireworks"}, "bad_payload"),
        ("staff:item_save", {"item_id": poll["item_id"], "title": "Half", "starts_at": "25:00"}, "bad_time"),
        (
            "staff:poll_save",
            {"item_id": poll["item_id"], "kind": "single", "question": "Q?", "options": ["a"]},
            "bad_options",
        ),
        ("staff:event_save", {"title": ""}, "empty_text"),
        ("staff:poll_open", "not an object", "bad_payload"),
        ("staff:event_save", {"title": "t" * 17_000}, "too_large"),
    ]
    for name, payload, code in cases:
        assert error_code(staff.emit(name, payload, callback=True)) == code, name
    assert everything(in_db, ev, poll) == before
    flush_tallies()
    for client in (staff, screen, participant):
        assert [m["name"] for m in client.get_received() if m["name"] in ("state", "tally")] == []


# --- what goes to which room -------------------------------------------------------------------------


def test_staff_actions_send_each_room_its_own_view(ev, poll, staff, screen, participant, in_db):
    before = revision(in_db, ev.id)
    drain(staff, screen, participant)
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))

    views = {
        name: [m["args"][0] for m in client.events("state")]
        for name, client in (("staff", staff), ("screen", screen), ("participant", participant))
    }
    for name, states in views.items():
        assert len(states) == 2, name
        assert [s["revision"] for s in states] == [before + 1, before + 2], name
    participant_view = views["participant"][-1]
    assert set(participant_view) >= PARTICIPANT_VIEW
    assert not keys_in(participant_view) & STAFF_ONLY_KEYS
    assert participant_view["item"]["id"] == poll["item_id"]
    assert poll["id"] in [p["id"] for p in participant_view["polls"]]
    assert participant_view["tallies"] == {}

    screen_view = views["screen"][-1]
    assert set(screen_view) >= SCREEN_VIEW
    assert not keys_in(screen_view) & STAFF_ONLY_KEYS

    staff_view = views["staff"][-1]
    assert set(staff_view) >= STAFF_VIEW
    assert staff_view["live"]["item_id"] == poll["item_id"]


def test_tallies_are_coalesced_and_go_only_where_allowed(
    ev, live_poll, staff, screen, socket_client, flush_tallies
):
    voters = [socket_client("participant", ev) for _ in range(10)]
    flush_tallies()  # presence of the new connections
    drain(staff, screen, *voters)

    for n, voter in enumerate(voters):
        option = live_poll["options"][n % 3]
        ok(
            voter.emit(
                "vote",
                {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": option}},
                callback=True,
            )
        )
    # Nothing is sent per vote.
    assert [m["name"] for m in staff.get_received()] == []

    assert flush_tallies() == 1
    (tally,) = [m["args"][0] for m in staff.events("tally")]
    assert tally["poll_id"] == live_poll["id"]
    assert tally["total"] == 10
    assert sum(tally["counts"].values()) == 10
    assert {"poll_id", "seq", "kind", "generation", "total", "counts"} <= set(tally)
    assert screen.events("tally") == []
    assert all(v.events("tally") == [] for v in voters)
    assert flush_tallies() == 0  # nothing dirty any more
    assert staff.events("tally") == []

    # On the projector: the screen gets the tally, phones still do not.
    ok(staff.emit("staff:screen", {"mode": "results", "poll_id": live_poll["id"]}, callback=True))
    drain(staff, screen, *voters)
    flush_tallies()
    assert len(staff.events("tally")) == 1
    (on_screen,) = [m["args"][0] for m in screen.events("tally")]
    assert on_screen["total"] == 10
    assert all(v.events("tally") == [] for v in voters)

    # Revealed: phones get it too, and later votes keep flowing to them with a growing seq.
    ok(staff.emit("staff:poll_reveal", {"poll_id": live_poll["id"], "revealed": True}, callback=True))
    flush_tallies()
    drain(staff, screen)
    revealed = [v.events("tally") for v in voters]
    assert all(len(msgs) == 1 for msgs in revealed)
    seq = revealed[0][0]["args"][0]["seq"]
    assert seq >= tally["seq"]

    late = socket_client("participant", ev)
    ok(
        late.emit(
            "vote",
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}},
            callback=True,
        )
    )
    flush_tallies()
    (latest,) = [m["args"][0] for m in voters[0].events("tally")]
    assert latest["seq"] > seq
    assert latest["total"] == 11
    assert len(staff.events("tally")) == 1


def test_a_revealed_tally_is_in_the_participant_state(ev, live_poll, staff, participant):
    ok(
        participant.emit(
            "vote",
            {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}},
            callback=True,
        )
    )
    drain(participant)
    ok(staff.emit("staff:poll_reveal", {"poll_id": live_poll["id"], "revealed": True}, callback=True))
    (state,) = [m["args"][0] for m in participant.events("state")]
    assert state["tallies"][str(live_poll["id"])]["total"] == 1


def test_reset_is_broadcast_and_old_votes_stay_out(ev, live_poll, staff, participant, in_db, flush_tallies):
    payload = {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}}
    ok(participant.emit("vote", payload, callback=True))
    flush_tallies()
    drain(staff, participant)
    ok(staff.emit("staff:poll_reset", {"poll_id": live_poll["id"]}, callback=True))
    (state,) = [m["args"][0] for m in participant.events("state")]
    assert [p["generation"] for p in state["polls"] if p["id"] == live_poll["id"]] == [1]
    flush_tallies()
    (tally,) = [m["args"][0] for m in staff.events("tally")]
    assert (tally["total"], tally["generation"]) == (0, 1)
    # The phone retries its pre-reset vote: acknowledged as a duplicate, not counted again.
    ack = ok(participant.emit("vote", payload, callback=True))
    assert ack["duplicate"] is True
    assert responses(in_db, live_poll["id"]) == []


def test_presence_counts_participant_connections(ev, staff, socket_client, flush_tallies):
    drain(staff)
    phones = [socket_client("participant", ev) for _ in range(3)]
    socket_client("screen", ev)
    flush_tallies()
    (presence,) = [m["args"][0] for m in staff.events("presence")]
    assert presence == {"participants": 3}
    phones[0].disconnect()
    phones[1].disconnect()
    flush_tallies()
    (presence,) = [m["args"][0] for m in staff.events("presence")]
    assert presence == {"participants": 1}
    assert ok(staff.emit("snapshot", {}, callback=True))["view"]["presence"] == 1
    assert phones[2].events("presence") == []


def test_every_app_has_the_socket_handlers(app):
    # Registered once at import, the handlers must be bound to every app's server, not only the
    # first one made in a process (a server without them accepts any connection).
    bound = socketio.server.handlers["/"]
    assert {"connect", "disconnect", "snapshot", "vote", "staff:set_live"} <= set(bound)


# --- scaled out: presence and rate limits in Redis ------------------------------------------------


@pytest.fixture
def redis_token():
    """A unique key part, and every Redis key containing it deleted afterwards."""
    token = "rt-test-" + uuid.uuid4().hex
    yield token
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"*{token}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def test_installs_sharing_one_redis_count_only_their_own_phones(redis_token):
    from roundtable.live.presence import MemoryPresence, presence_for

    ours = presence_for(REDIS_URL, f"{redis_token}-ours")
    ours_too = presence_for(REDIS_URL, f"{redis_token}-ours")
    theirs = presence_for(REDIS_URL, f"{redis_token}-theirs")
    try:
        ours.join(1, "sid-a")
        theirs.join(1, "sid-b")
        theirs.join(1, "sid-c")
        assert (ours.count(1), ours_too.count(1), theirs.count(1)) == (1, 1, 2)
    finally:
        for presence in (ours, ours_too, theirs):
            presence._redis.close()
    assert isinstance(presence_for("", "roundtable"), MemoryPresence)


def test_redis_presence_is_shared_between_processes(redis_token):
    first = RedisPresence(REDIS_URL, prefix=redis_token)
    second = RedisPresence(REDIS_URL, prefix=redis_token)
    try:
        first.join(7, "sid-a")
        first.join(7, "sid-b")
        second.join(7, "sid-c")
        second.join(8, "sid-d")
        assert (first.count(7), second.count(7), first.count(8)) == (3, 3, 1)
        second.leave(7, "sid-c")
        assert first.count(7) == 2
        first.leave(7, "unknown-sid")
        assert first.count(7) == 2

        # A process that died stops refreshing: its entries expire and stop being counted, and
        # the next refresh of a live process removes them.
        first._redis.zadd(f"{redis_token}:7", {"sid-of-a-dead-process": time.time() - 1})
        assert first.count(7) == 2
        second.join(7, "sid-e")
        first._redis.zadd(f"{redis_token}:7", {"sid-e": time.time() - 1})  # second "died"
        first.refresh()
        assert first.count(7) == 2
        assert first._redis.zscore(f"{redis_token}:7", "sid-of-a-dead-process") is None
        assert first._redis.zscore(f"{redis_token}:7", "sid-a") > time.time() + TTL_SECONDS - 5
    finally:
        first._redis.close()
        second._redis.close()


def test_redis_rate_limits_are_shared_between_processes(redis_token):
    first, second = SocketRateLimiter(REDIS_URL), SocketRateLimiter(REDIS_URL)
    who, address = f"{redis_token}-phone", f"{redis_token}-addr"
    allowed = [first.allow("vote", who, address) for _ in range(20)]
    allowed += [second.allow("vote", who, address) for _ in range(10)]
    assert allowed == [True] * 30
    # The 31st vote in ten seconds is refused, whichever process it reaches.
    assert first.allow("vote", who, address) is False
    assert second.allow("vote", who, address) is False
    # Someone else behind the same address is not.
    assert first.allow("vote", f"{redis_token}-other-phone", address) is True


def test_a_message_queue_means_redis_presence(app_factory):
    app_factory(ROUNDTABLE_MESSAGE_QUEUE=REDIS_URL)
    try:
        assert isinstance(broadcaster.presence, RedisPresence)
    finally:
        broadcaster.presence._redis.close()
        broadcaster.presence = MemoryPresence()


def test_the_screen_gets_only_a_count_until_the_results_are_revealed(
    ev, live_poll, staff, screen, participant, flush_tallies, in_db
):
    def on_reveal() -> None:
        db.session.get(Poll, live_poll["id"]).results_mode = "on_reveal"
        db.session.commit()

    in_db(on_reveal)
    ok(staff.emit("staff:screen", {"mode": "results", "poll_id": live_poll["id"]}, callback=True))
    vote = {"poll_id": live_poll["id"], "client_id": cid(), "answer": {"option": live_poll["options"][0]}}
    ok(participant.emit("vote", vote, callback=True))
    drain(screen)
    flush_tallies()
    (tally,) = [m["args"][0] for m in screen.events("tally")]
    assert tally["hidden"] is True and tally["total"] == 1 and "counts" not in tally
    ok(staff.emit("staff:poll_reveal", {"poll_id": live_poll["id"], "revealed": True}, callback=True))
    flush_tallies()
    states = [m["args"][0] for m in screen.events("state")]
    tallies = [m["args"][0] for m in screen.events("tally")]
    shown = (tallies or [states[-1]["tally"]])[-1]
    assert "counts" in shown and not shown.get("hidden")


# --- the participant view served from the cache (roundtable/live/snapshots.py) -----------------


def test_a_cached_snapshot_is_never_older_than_the_database(ev, poll, staff, participant, socket_client):
    ok(staff.emit("staff:poll_save", {**_editable(staff, poll["id"]), "results_mode": "live"}, callback=True))
    first = ok(participant.emit("snapshot", callback=True))["view"]
    assert all(p["id"] != poll["id"] for p in first["polls"])  # still a draft, not live
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    opened = ok(participant.emit("snapshot", callback=True))["view"]
    assert opened["revision"] > first["revision"]
    assert opened["tallies"][str(poll["id"])]["total"] == 0
    again = ok(participant.emit("snapshot", callback=True))["view"]
    assert again == opened  # nothing changed: the same view
    voter = socket_client("participant", ev)
    option = poll["options"][0]
    ok(voter.emit("vote", {"poll_id": poll["id"], "client_id": cid(), "answer": {"option": option}},
                  callback=True))
    after = ok(participant.emit("snapshot", callback=True))["view"]
    assert after["revision"] == opened["revision"]  # a vote is not a staff change ...
    assert after["tallies"][str(poll["id"])]["total"] == 1  # ... but the cache saw its seq
    assert after["tallies"][str(poll["id"])]["counts"][str(option)] == 1


def _editable(staff, poll_id):
    view = ok(staff.emit("snapshot", callback=True))["view"]
    poll = next(p for d in view["agenda"] for i in d["items"] for p in i["polls"] if p["id"] == poll_id)
    return {
        "poll_id": poll["id"],
        "item_id": poll["item_id"],
        "kind": poll["kind"],
        "question": poll["question"],
        "options": [{"id": o["id"], "label": o["label"]} for o in poll["options"]],
    }


def test_socket_events_reuse_the_connections_session_instead_of_the_cookie(app):
    """Flask-SocketIO keeps a connection's session in its environ; reading the cookie again per
    event (a signature check and a JSON decode) was a tenth of a vote's CPU."""
    from flask import request

    from roundtable.live.serving import SocketSessionInterface

    interface = app.session_interface
    assert isinstance(interface, SocketSessionInterface)
    saved = {"rt_conn": {"role": "participant"}}
    with app.test_request_context(environ_overrides={"saved_session": saved}):
        assert interface.open_session(app, request) is saved
    with app.test_request_context():
        assert interface.open_session(app, request) is not None



def test_who_a_connection_is_is_kept_until_it_disconnects(ev, socket_client):
    """The connect handler records each socket (sockets.remember): a light event such as a vote
    reads it by socket id; a disconnect forgets it."""
    from roundtable.extensions import socketio
    from roundtable.live import sockets

    before = sockets.connections()
    phone = socket_client("participant", ev)
    assert sockets.connections() == before + 1
    sid = socketio.server.manager.sid_from_eio_sid(phone.eio_sid, "/")
    conn = sockets.connection_of(sid)
    assert conn["role"] == "participant"
    assert conn["participant_id"] == phone.participant_id
    assert conn["event_id"] == ev.id
    assert conn["address"] and conn["locale"].startswith("en")
    phone.disconnect()
    assert sockets.connections() == before
    assert sockets.connection_of(sid) is None


def test_socket_packets_are_json_text_only(app):
    """No message is scanned for binary parts (Roundtable sends none); bytes fail loudly."""
    from roundtable.extensions import socketio
    from roundtable.live.sockets import TextPacket

    assert socketio.server.packet_class is TextPacket
    polls = [{"id": n, "options": [{"id": m} for m in range(5)]} for n in range(9)]
    snapshot_like = {"view": {"polls": polls}}
    packet = TextPacket(3, data=[snapshot_like], id=7)
    assert packet.packet_type == 3 and packet.encode().startswith("37[")
    with pytest.raises(TypeError):
        TextPacket(2, data=["event", b"\x00bytes"]).encode()


def test_the_login_sweep_looks_only_at_the_rooms_it_made(app, staff, screen, participant):
    """staff_sessions remembers the names of its own rooms (not every phone's room), and forgets
    one once its socket has gone."""
    from roundtable.live import staff_sessions

    with app.app_context():
        mine = staff_sessions._local_rooms(staff_sessions.PREFIX)
        screens = staff_sessions._local_rooms(staff_sessions.SCREEN_PREFIX)
    assert len(mine) == 1 and len(screens) == 1
    prefixes = (staff_sessions.PREFIX, staff_sessions.SCREEN_PREFIX)
    assert all(room.startswith(prefixes) for room in staff_sessions._rooms)
    room = next(iter(mine))
    staff.disconnect()
    with app.app_context():
        assert staff_sessions._local_rooms(staff_sessions.PREFIX) == {}
    assert room not in staff_sessions._rooms

"""The question wall over Socket.IO: what each room receives, who may moderate, and races.

The participant/staff boundary is asserted over *everything* a participant or screen client
received during a test (every event, every acknowledgement), dumped as JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.live.question_handlers import MOD_EVENTS, walls
from roundtable.models import AgendaItem, Event, HelpRequest, LiveState, Question

# Text that only staff may ever see.
HELD_TEXT = "Call me on 0712 345 678 tonight"
REJECT_REASON = "REJECT-REASON-names-a-school"
HELP_MESSAGE = "HELP-MESSAGE-someone-is-bothering-me"
REJECTED_TEXT = "REJECTED-TEXT-off-topic"
STAFF_KEYS = ("reasons", "reject_reason", "original_text", "participant_id", "findings", "suggested_text")


@pytest.fixture(autouse=True)
def _no_dirty_walls():
    walls.clear()
    yield
    walls.clear()


class Recorder:
    """Wraps a socket client and keeps everything it received, acks included."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.log: list[dict[str, Any]] = []

    def emit(self, name: str, data: Any = None) -> dict[str, Any]:
        ack = self.sock.emit(name, data if data is not None else {}, callback=True)
        self.log.append({"name": f"ack:{name}", "args": [ack]})
        wall = ack.get("view", {}).get("wall") if name == "snapshot" and ack.get("ok") else None
        if wall is not None:  # a phone starts from its snapshot's wall, then applies deltas
            self._wall = {q["id"]: q for q in wall["questions"]}
            self._wall_seq, self._highlighted = wall["seq"], wall["highlighted"]
        return ack

    def drain(self, name: str | None = None) -> list[Any]:
        received = self.sock.get_received()
        self.log.extend(received)
        return [m["args"][0] for m in received if name is None or m["name"] == name]

    def everything(self) -> str:
        self.drain()
        return json.dumps(self.log)

    # A phone's wall, as the browser keeps it: folded from the ``wall_delta`` messages it gets.
    _wall: dict[int, dict[str, Any]] | None = None
    _wall_seq = -1
    _highlighted: Any = None
    resyncs = 0

    def wall(self) -> dict[str, Any] | None:
        """Apply the ``wall_delta`` messages received since the last call; ``None`` if none."""
        deltas = self.drain("wall_delta")
        if not deltas:
            return None
        for delta in deltas:
            if self._wall is None:
                self._wall = {}
            if delta["base"] > max(self._wall_seq, 0):
                # A gap (messages this recorder drained unread): resync as the page does.
                self.resyncs += 1
                self.emit("snapshot")
                continue
            for question in delta["questions"]:
                self._wall[question["id"]] = question
            for qid, upvotes in delta["upvotes"]:
                if qid in self._wall:
                    self._wall[qid] = {**self._wall[qid], "upvotes": upvotes}
            for qid in delta["removed"]:
                self._wall.pop(qid, None)
            self._wall_seq = max(self._wall_seq, delta["seq"])
            self._highlighted = delta["highlighted"]
        # "Top": most upvotes first, then the newest (as the page sorts it).
        ordered = sorted(
            self._wall.values(), key=lambda q: (q["upvotes"], q["created_at"], q["id"]), reverse=True
        )
        return {"seq": self._wall_seq, "questions": ordered, "highlighted": self._highlighted}


@pytest.fixture
def room(app, seed_event, socket_client, in_db, flush_tallies):
    """An event whose live session is open (adults only); factories for the people in it."""
    ev = seed_event()
    item_id = ev.working_items[1]["id"]

    def setup(mode: str = "open", children: bool = False, live: int | None = item_id) -> None:
        def run() -> None:
            item = db.session.get(AgendaItem, item_id)
            item.question_mode, item.involves_children = mode, children
            live_state.set_current_item(db.session.get(Event, ev.id), live)
            db.session.commit()

        in_db(run)

    setup()

    class Room:
        event = ev
        item = item_id
        configure = staticmethod(setup)

        @staticmethod
        def participant() -> Recorder:
            rec = Recorder(socket_client("participant", ev))
            assert rec.emit("snapshot")["ok"]
            return rec

        @staticmethod
        def staff(username: str = "facilitator", role: str = "facilitator") -> Recorder:
            rec = Recorder(socket_client("staff", ev, username=username, user_role=role))
            assert rec.emit("snapshot")["ok"]
            return rec

        @staticmethod
        def screen() -> Recorder:
            rec = Recorder(socket_client("screen", ev))
            assert rec.emit("snapshot")["ok"]
            return rec

        @staticmethod
        def tick() -> int:
            """One tick of the broadcaster (tallies, presence and walls)."""
            return flush_tallies()

        @staticmethod
        def wall_tick() -> int:
            """One tick of the question wall's flusher alone: how many sessions it sent."""
            with app.app_context():
                return walls.flush()

        @staticmethod
        def question(question_id: int) -> dict[str, Any]:
            def read() -> dict[str, Any]:
                q = db.session.get(Question, question_id)
                return {"status": q.status, "version": q.version, "text": q.text}

            return in_db(read)

    return Room


def _ask(rec: Recorder, text: str, **extra: Any) -> dict[str, Any]:
    ack = rec.emit("question:ask", {"text": text, **extra})
    assert ack["ok"], ack
    return ack["question"]


# --- the boundary -------------------------------------------------------------------------------


def test_a_participant_never_receives_a_held_question_a_help_request_or_a_reason(room):
    observer, author, other = room.participant(), room.participant(), room.participant()
    screen = room.screen()
    staff = room.staff()

    held = _ask(author, HELD_TEXT, name="Jane")
    assert held["status"] == "pending"
    fine = _ask(other, "What are telcos doing about grooming?")
    to_reject = _ask(other, REJECTED_TEXT)
    room.tick()
    queue = staff.drain("queue")[-1]
    flagged = next(q for q in queue["questions"] if q["id"] == held["id"])
    assert flagged["reasons"] and flagged["suggested_text"] == "Call me on [removed] tonight"

    ack = staff.emit("mod:reject", {"question_id": to_reject["id"], "version": 1, "reason": REJECT_REASON})
    assert ack["ok"] and ack["question"]["reject_reason"] == REJECT_REASON
    assert other.emit("help:send", {"kind": "report", "message": HELP_MESSAGE})["ok"]
    assert staff.emit("mod:highlight", {"question_id": fine["id"]})["ok"]
    assert observer.emit("question:upvote", {"question_id": fine["id"]})["ok"]
    room.tick()
    # Snapshots after everything happened, as a reconnecting phone would ask.
    for rec in (observer, author, other, screen):
        assert rec.emit("snapshot")["ok"]

    # The public rooms did get the wall, so the checks below are about something real.
    observer.drain()
    screen.drain()
    assert any(
        q["id"] == fine["id"]
        for m in observer.log
        if m["name"] == "wall_delta"
        for q in m["args"][0]["questions"]
    )
    assert any(m["name"] == "state" and m["args"][0]["highlighted"] for m in screen.log)

    for rec in (observer, screen, other):
        everything = rec.everything()
        for secret in (HELD_TEXT, "0712", REJECT_REASON, HELP_MESSAGE, "Jane", author.sock.participant_id):
            assert secret not in everything, (secret, everything)
        for key in STAFF_KEYS:
            assert f'"{key}"' not in everything, key
        assert not [m for m in rec.log if m["name"] in ("help", "queue")]
    # It was on the wall (open session) until rejected; the latest snapshot no longer has it.
    assert REJECTED_TEXT not in json.dumps(observer.emit("snapshot")["view"]["wall"])
    assert REJECTED_TEXT not in json.dumps(screen.emit("snapshot")["view"])
    # Only the rejected question's author hears of the rejection: its status, never the reason.
    assert [q["status"] for q in other.drain("my_question")] + [
        m["args"][0]["status"] for m in other.log if m["name"] == "my_question"
    ] == ["rejected"]
    # The author sees their own held question, but no moderator's detail either.
    everything = author.everything()
    assert HELD_TEXT in everything
    for secret in (REJECT_REASON, HELP_MESSAGE, *(f'"{k}"' for k in STAFF_KEYS)):
        assert secret not in everything
    # Staff got the help request, with its alert.
    help_events = staff.drain("help")
    assert [(h["request"]["message"], h["alert"]) for h in help_events] == [(HELP_MESSAGE, True)]


def test_a_participant_sees_their_own_questions_status_live(room):
    room.configure(mode="premoderated")
    author, staff = room.participant(), room.staff()
    question = _ask(author, "Will this be published?")
    snapshot = author.emit("snapshot")
    assert [(q["id"], q["status"]) for q in snapshot["my_questions"]] == [(question["id"], "pending")]
    assert snapshot["my_upvotes"] == []
    assert staff.emit("mod:approve", {"question_id": question["id"], "version": 1})["ok"]
    assert [q["status"] for q in author.drain("my_question")] == ["published"]
    assert staff.emit("mod:reject", {"question_id": question["id"], "version": 2, "reason": REJECT_REASON})[
        "ok"
    ]
    mine = author.drain("my_question")
    assert [q["status"] for q in mine] == ["rejected"]
    assert REJECT_REASON not in author.everything()


def test_every_moderation_event_is_refused_for_participants_and_screens(room):
    room.configure(mode="premoderated")
    participant, screen = room.participant(), room.screen()
    asker = room.participant()
    question = _ask(asker, "Can a participant approve me?")
    request_id = asker.emit("help:send", {"kind": "help"})["request_id"]
    assert set(MOD_EVENTS) == {
        "mod:approve",
        "mod:reject",
        "mod:answer",
        "mod:archive",
        "mod:undo",
        "mod:highlight",
        "mod:approve_many",
        "mod:queue",
        "help:take",
        "help:reply",
        "help:handle",
    }
    payload = {
        "question_id": question["id"],
        "version": 1,
        "items": [{"question_id": question["id"], "version": 1}],
        "item_id": room.item,
        "request_id": request_id,
        "text": "hijacked",
        "reason": "x",
    }
    for rec in (participant, screen):
        for name in sorted(MOD_EVENTS):
            ack = rec.emit(name, payload)
            assert ack == {
                "ok": False,
                "error": {"code": "forbidden", "message": "Only moderators can do that."},
            }
        rec.drain()
    assert room.question(question["id"]) == {
        "status": "pending",
        "version": 1,
        "text": "Can a participant approve me?",
    }
    assert room.wall_tick() == 1  # only the question asked above; the refusals marked nothing
    assert not [m for m in participant.log + screen.log if m["name"] in ("queue", "help", "state")]


def test_a_logged_in_facilitator_on_a_participant_socket_cannot_moderate(room, app, login, socket_client):
    """The role is the connection's, not the browser's: the participant page of a facilitator's
    browser gets a participant socket, and that socket cannot moderate."""
    room.configure(mode="premoderated")
    question = _ask(room.participant(), "Moderated from the wrong page?")
    browser = app.test_client()
    login(browser)
    assert browser.post(f"/j/{room.event.code}").status_code == 302  # joins as a participant
    sock = Recorder(socket_client("participant", room.event, client=browser))
    ack = sock.emit("mod:approve", {"question_id": question["id"], "version": 1})
    assert ack["error"]["code"] == "forbidden"
    assert room.question(question["id"])["status"] == "pending"


def test_staff_only_events_for_participants_are_refused_for_staff_and_screens(room):
    staff, screen = room.staff(), room.screen()
    for rec in (staff, screen):
        for name, data in [
            ("question:ask", {"text": "Staff question?"}),
            ("question:upvote", {"question_id": 1}),
            ("help:send", {"kind": "help"}),
        ]:
            ack = rec.emit(name, data)
            assert not ack["ok"] and ack["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["admin", "facilitator", "moderator"])
def test_every_staff_role_may_moderate(room, role):
    room.configure(mode="premoderated")
    question = _ask(room.participant(), "Moderate me?")
    staff = room.staff(username=f"user-{role}", role=role)
    ack = staff.emit("mod:approve", {"question_id": question["id"], "version": 1})
    assert ack["ok"] and ack["question"]["moderated_by"] == f"user-{role}"


# --- moderation broadcasts ----------------------------------------------------------------------


def test_moderation_transitions_reach_every_room(room):
    room.configure(mode="premoderated")
    asker, observer, screen = room.participant(), room.participant(), room.screen()
    staff, colleague = room.staff(), room.staff(username="colleague", role="moderator")
    question = _ask(asker, "Approve, answer, archive?")
    qid = question["id"]
    room.tick()
    assert (observer.wall() or {"questions": []})["questions"] == []
    assert [q["status"] for q in colleague.drain("queue")[-1]["questions"]] == ["pending"]

    def step(event: str, data: dict[str, Any], expect: str) -> None:
        ack = staff.emit(event, {"question_id": qid, **data})
        assert ack["ok"], ack
        assert ack["question"]["status"] == expect
        assert room.tick() >= 1
        seen = [q["status"] for q in colleague.drain("queue")[-1]["questions"]]
        assert seen == [expect]
        on_wall = {q["id"]: q["status"] for q in observer.wall()["questions"]}
        assert on_wall.get(qid) == (expect if expect in ("published", "answered") else None)
        on_screen = [q["id"] for q in screen.drain("wall")[-1]["questions"]]
        assert (qid in on_screen) == (expect == "published")
        assert asker.drain("my_question")[-1]["status"] == expect

    step("mod:approve", {"version": 1}, "published")
    step("mod:answer", {"version": 2}, "answered")
    step("mod:archive", {"version": 3}, "archived")
    step("mod:undo", {"version": 4}, "answered")


def test_highlight_follows_the_moderator_on_the_projector(room):
    asker, screen, staff = room.participant(), room.screen(), room.staff()
    first = _ask(asker, "First to highlight?")
    second = _ask(asker, "Second to highlight?")
    assert staff.emit("staff:screen", {"mode": "questions"})["ok"]
    assert screen.drain("state")[-1]["mode"] == "questions"

    assert staff.emit("mod:highlight", {"question_id": first["id"]})["ok"]
    state = screen.drain("state")[-1]
    assert state["highlighted"]["id"] == first["id"]
    assert state["wall"]["highlighted"]["id"] == first["id"]
    assert staff.drain("state")[-1]["live"]["highlighted_question_id"] == first["id"]

    ack = staff.emit("mod:highlight", {"question_id": second["id"]})
    assert ack == {"ok": True, "highlighted_question_id": second["id"]}
    assert screen.drain("state")[-1]["highlighted"]["id"] == second["id"]
    # Archiving the highlighted question takes it off the projector at once.
    assert staff.emit("mod:archive", {"question_id": second["id"], "version": 1})["ok"]
    assert screen.drain("state")[-1]["highlighted"] is None
    room.tick()
    assert screen.drain("wall")[-1]["highlighted"] is None

    held = _ask(asker, "Call 0712345678 please")
    ack = staff.emit("mod:highlight", {"question_id": held["id"]})
    assert ack["error"]["code"] == "not_published"
    assert staff.emit("mod:highlight", {"question_id": None}) == {"ok": True, "highlighted_question_id": None}


def test_two_moderators_acting_at_once_produce_one_outcome(room):
    room.configure(mode="premoderated")
    question = _ask(room.participant(), "Who wins?")
    one, two = room.staff("one", "moderator"), room.staff("two", "moderator")
    first = one.emit("mod:approve", {"question_id": question["id"], "version": 1})
    second = two.emit("mod:reject", {"question_id": question["id"], "version": 1, "reason": "late"})
    assert first["ok"] and first["question"]["version"] == 2
    assert second == {
        "ok": False,
        "error": {"code": "question_changed", "message": "Another moderator already changed this question."},
    }
    assert room.question(question["id"])["status"] == "published"
    room.tick()
    for rec in (one, two):
        [queue] = rec.drain("queue")
        assert [(q["status"], q["reject_reason"]) for q in queue["questions"]] == [("published", None)]


def test_approve_many_over_the_socket(room):
    room.configure(mode="premoderated")
    asker, staff = room.participant(), room.staff()
    ids = [_ask(asker, f"Batch {n}?")["id"] for n in range(3)]
    assert staff.emit("mod:reject", {"question_id": ids[2], "version": 1})["ok"]
    ack = staff.emit("mod:approve_many", {"items": [{"question_id": i, "version": 1} for i in ids]})
    assert ack["ok"]
    assert [q["id"] for q in ack["approved"]] == ids[:2]
    assert [(s["question_id"], s["error"]["code"]) for s in ack["skipped"]] == [(ids[2], "question_changed")]
    assert sorted(q["status"] for q in asker.drain("my_question")) == ["published", "published", "rejected"]
    bad = staff.emit("mod:approve_many", {"items": "all"})
    assert bad["error"]["code"] == "bad_payload"


def test_a_moderator_can_read_any_sessions_queue(room, seed_event):
    staff = room.staff()
    _ask(room.participant(), "In the live session?")
    ack = staff.emit("mod:queue", {"item_id": room.item})
    assert ack["ok"] and [q["text"] for q in ack["queue"]["questions"]] == ["In the live session?"]
    other_event = seed_event()
    assert staff.emit("mod:queue", {"item_id": other_event.items[1]["id"]})["error"]["code"] == "unknown_item"
    assert staff.emit("mod:queue", {"item_id": "x"})["error"]["code"] == "bad_payload"


# --- asking and upvoting over the socket --------------------------------------------------------


def test_asking_is_idempotent_with_a_client_id(room):
    asker = room.participant()
    first = asker.emit("question:ask", {"text": "Only once?", "client_id": "retry-0001"})
    again = asker.emit("question:ask", {"text": "Only once?", "client_id": "retry-0001"})
    assert first["duplicate"] is False and again["duplicate"] is True
    assert first["question"] == again["question"]
    assert room.wall_tick() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"text": ""}, "empty_text"),
        ({"text": "q" * 281}, "too_long"),
        ({"text": 12}, "bad_payload"),
        ({}, "bad_payload"),
        ({"text": "Fine?", "client_id": "no"}, "bad_payload"),
        ({"text": "Fine?", "item_id": -1}, "questions_closed"),
        ({"text": "x" * 20000}, "too_large"),
    ],
)
def test_bad_questions_get_a_clear_error_and_change_nothing(room, in_db, data, code):
    asker, observer, staff = room.participant(), room.participant(), room.staff()
    ack = asker.emit("question:ask", data)
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    assert room.wall_tick() == 0
    assert in_db(lambda: db.session.query(Question).count()) == 0
    assert not observer.drain() and not [m for m in staff.drain() if m.get("item_id")]


def test_asking_in_a_closed_session_or_with_nothing_live_is_refused(room):
    asker = room.participant()
    room.configure(mode="closed")
    assert asker.emit("question:ask", {"text": "Closed?"})["error"]["code"] == "questions_closed"
    room.configure(live=None)
    assert asker.emit("question:ask", {"text": "Nothing live?"})["error"]["code"] == "questions_closed"


def test_a_duplicate_question_is_refused(room):
    _ask(room.participant(), "Same question?")
    ack = room.participant().emit("question:ask", {"text": "same QUESTION"})
    assert ack["error"]["code"] == "duplicate_question"


def test_html_reaches_every_room_as_plain_text(room):
    text = "<script>alert(1)</script><b>bold</b>"
    observer, screen = room.participant(), room.screen()
    _ask(room.participant(), text)
    room.tick()
    assert observer.wall()["questions"][0]["text"] == text
    assert screen.drain("wall")[-1]["questions"][0]["text"] == text


def test_upvoting_over_the_socket(room):
    room.configure(mode="premoderated")
    asker, voter, staff = room.participant(), room.participant(), room.staff()
    question = _ask(asker, "Vote for me?")
    # Held: unknown, exactly like a question that does not exist.
    held = voter.emit("question:upvote", {"question_id": question["id"]})
    missing = voter.emit("question:upvote", {"question_id": 987654})
    assert (
        held["error"]
        == missing["error"]
        == {"code": "unknown_question", "message": "There is no such question."}
    )
    assert voter.emit("question:upvote", {"question_id": "1"})["error"]["code"] == "bad_payload"
    staff.emit("mod:approve", {"question_id": question["id"], "version": 1})
    room.tick()
    voter.drain()
    assert voter.emit("question:upvote", {"question_id": question["id"]}) == {
        "ok": True,
        "question_id": question["id"],
        "upvoted": True,
        "upvotes": 1,
    }
    room.tick()
    wall = voter.wall()
    assert wall["questions"][0]["upvotes"] == 1
    assert voter.emit("snapshot")["my_upvotes"] == [question["id"]]
    assert voter.emit("question:upvote", {"question_id": question["id"], "up": False})["upvotes"] == 0
    room.tick()
    later = voter.wall()
    assert later["seq"] > wall["seq"] and later["questions"][0]["upvotes"] == 0


def test_asking_upvoting_and_help_are_rate_limited_per_participant(room):
    asker = room.participant()
    codes = [asker.emit("question:ask", {"text": f"Question number {n}?"}) for n in range(7)]
    assert [c["ok"] for c in codes] == [True] * 5 + [False] * 2
    assert codes[-1]["error"]["code"] == "rate_limited"
    # Another participant is not held back by the first one.
    assert room.participant().emit("question:ask", {"text": "Someone else?"})["ok"]
    helps = [asker.emit("help:send", {"kind": "help"}) for _ in range(6)]
    assert helps[-1]["error"]["code"] == "rate_limited"
    assert "116" in helps[-1]["error"]["message"]  # even a refusal carries the helpline


# --- help requests ------------------------------------------------------------------------------


def test_help_reaches_only_the_staff_at_once_and_is_handled_once(room, in_db):
    asker, observer, screen = room.participant(), room.participant(), room.screen()
    staff, colleague = room.staff(), room.staff(username="colleague", role="moderator")
    ack = asker.emit("help:send", {"kind": "help", "message": HELP_MESSAGE})
    assert ack["ok"] and "116" in ack["helpline"]
    # No tick needed: the staff hear of it now.
    for rec in (staff, colleague):
        [event] = rec.drain("help")
        assert event["alert"] is True and event["request"]["message"] == HELP_MESSAGE
    assert [h["message"] for h in staff.emit("snapshot")["view"]["help"]] == [HELP_MESSAGE]

    assert asker.emit("help:handle", {"request_id": ack["request_id"]})["error"]["code"] == "forbidden"
    handled = colleague.emit("help:handle", {"request_id": ack["request_id"]})
    assert handled["ok"] and handled["request"]["handled_by"] == "colleague"
    [event] = staff.drain("help")
    assert event["alert"] is False and event["request"]["status"] == "handled"
    again = staff.emit("help:handle", {"request_id": ack["request_id"]})
    assert again["error"]["code"] == "already_handled"
    assert staff.emit("snapshot")["view"]["help"] == []
    room.tick()
    for rec in (observer, screen, asker):
        assert HELP_MESSAGE not in rec.everything()
        assert not [m for m in rec.log if m["name"] == "help"]
    assert in_db(lambda: db.session.query(HelpRequest).count()) == 1


def test_help_uses_the_events_own_helpline(room, in_db):
    def set_helpline() -> None:
        db.session.get(Event, room.event.id).helpline = "Call Childline Kenya on 116 or the desk."
        db.session.commit()

    in_db(set_helpline)
    ack = room.participant().emit("help:send", {"kind": "report"})
    assert ack["helpline"] == "Call Childline Kenya on 116 or the desk."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"kind": "chat"}, "bad_payload"),
        ({"kind": "help", "message": "m" * 501}, "too_long"),
        ({}, "bad_payload"),
    ],
)
def test_a_bad_help_request_gets_a_clear_error(room, in_db, data, code):
    staff = room.staff()
    ack = room.participant().emit("help:send", data)
    assert ack["error"]["code"] == code
    assert not staff.drain("help")
    assert in_db(lambda: db.session.query(HelpRequest).count()) == 0


# --- snapshots ----------------------------------------------------------------------------------


def test_snapshots_carry_the_wall_for_each_role(room, in_db):
    asker = room.participant()
    published = _ask(asker, "On the wall?")
    held = _ask(asker, "Mail me at kid@example.com")
    participant = room.participant().emit("snapshot")
    assert [q["id"] for q in participant["view"]["wall"]["questions"]] == [published["id"]]
    assert participant["my_questions"] == []
    mine = asker.emit("snapshot")["my_questions"]
    assert {q["id"]: q["status"] for q in mine} == {published["id"]: "published", held["id"]: "pending"}
    screen = room.screen().emit("snapshot")["view"]
    assert [q["id"] for q in screen["wall"]["questions"]] == [published["id"]] and screen[
        "highlighted"
    ] is None
    staff = room.staff().emit("snapshot")["view"]
    assert [q["id"] for q in staff["queue"]["questions"]] == [published["id"], held["id"]]
    assert staff["queue"]["counts"]["pending"] == 1
    assert staff["live"]["highlighted_question_id"] is None
    assert in_db(lambda: db.session.get(LiveState, room.event.id).current_item_id) == room.item


def test_walls_of_sessions_that_are_not_live_go_to_staff_only(room, seed_event):
    room.configure(mode="premoderated")
    observer, screen, staff = room.participant(), room.screen(), room.staff()
    question = _ask(room.participant(), "Asked while live")
    room.configure(live=room.event.working_items[2]["id"])
    observer.drain(), screen.drain(), staff.drain()
    assert staff.emit("mod:approve", {"question_id": question["id"], "version": 1})["ok"]
    room.tick()
    assert staff.drain("queue")
    assert not observer.drain("wall_delta") and not screen.drain("wall")


# --- the help journey: taken, replied to, handled -------------------------------------------


def test_help_journey_on_my_way_reply_handled_reaches_only_the_asker(room, in_db):
    asker, other = room.participant(), room.participant()
    staff, colleague = room.staff(), room.staff(username="colleague", role="moderator")
    screen = room.screen()
    ack = asker.emit("help:send", {"kind": "help", "topic": "bothered", "location": "Table 4, by the door"})
    assert ack["ok"] and ack["request"]["status"] == "open"
    [new] = staff.drain("help")
    assert new["alert"] is True
    assert new["request"]["location"] == "Table 4, by the door" and new["request"]["topic"] == "bothered"

    taken = colleague.emit("help:take", {"request_id": ack["request_id"]})
    assert taken["ok"] and taken["request"]["status"] == "taken"
    assert taken["request"]["taken_by"] == "colleague"
    [status] = asker.drain("help_status")
    assert status == {"id": ack["request_id"], "kind": "help", "status": "taken",
                      "created_at": status["created_at"], "replies": []}
    again = staff.emit("help:take", {"request_id": ack["request_id"]})
    assert again["error"]["code"] == "already_taken"
    # Still open for the console (someone is on the way), with who took it.
    [listed] = staff.emit("snapshot")["view"]["help"]
    assert listed["status"] == "taken" and listed["taken_by"] == "colleague"

    replied = colleague.emit("help:reply", {"request_id": ack["request_id"], "text": "Stay at your table."})
    assert replied["ok"] and replied["request"]["replies"][0]["by"] == "colleague"
    [status] = asker.drain("help_status")
    assert status["replies"] == [{"text": "Stay at your table.", "at": status["replies"][0]["at"]}]
    assert "colleague" not in asker.everything()

    assert colleague.emit("help:handle", {"request_id": ack["request_id"]})["ok"]
    [status] = asker.drain("help_status")
    assert status["status"] == "handled"
    assert staff.emit("snapshot")["view"]["help"] == []
    # The phone's snapshot keeps its own request, with the reply, after a reconnect.
    [mine] = asker.emit("snapshot")["my_help"]
    assert mine["status"] == "handled" and mine["replies"][0]["text"] == "Stay at your table."
    room.tick()
    for rec in (other, screen):
        assert "Stay at your table" not in rec.everything()
        assert "Table 4" not in rec.everything()
    assert asker.emit("help:take", {"request_id": ack["request_id"]})["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"kind": "help", "topic": "gossip"}, "bad_payload"),
        ({"kind": "help", "location": "x" * 81}, "too_long"),
    ],
)
def test_a_bad_topic_or_location_is_refused_and_nothing_is_sent(room, in_db, data, code):
    staff = room.staff()
    assert room.participant().emit("help:send", data)["error"]["code"] == code
    assert not staff.drain("help")
    assert in_db(lambda: db.session.query(HelpRequest).count()) == 0


def test_a_reply_must_say_something(room):
    staff = room.staff()
    ack = room.participant().emit("help:send", {"kind": "report"})
    assert staff.emit("help:reply", {"request_id": ack["request_id"], "text": "  "})["ok"] is False


def test_a_location_with_a_phone_number_is_flagged_for_the_staff(room):
    staff = room.staff()
    room.participant().emit("help:send", {"kind": "help", "location": "call 0712 345 678"})
    [new] = staff.drain("help")
    assert new["request"]["reasons"]


def test_nobody_can_upvote_their_own_question(room):
    asker, other = room.participant(), room.participant()
    question = _ask(asker, "Who funds the helpline?")
    refused = asker.emit("question:upvote", {"question_id": question["id"]})
    assert refused["ok"] is False and refused["error"]["code"] == "own_question"
    assert other.emit("question:upvote", {"question_id": question["id"]})["upvotes"] == 1

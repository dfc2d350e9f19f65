"""Phones get the question wall's changes, not the wall (issue 9.5): a delta's size follows what
changed, whatever the wall's size, and a phone that folds the deltas into its snapshot has
exactly the wall the server would send."""

from __future__ import annotations

import json

import pytest

from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.live.question_handlers import walls
from roundtable.models import AgendaItem, Event, Participant
from roundtable.questions import service, views

QUESTIONS = 250


@pytest.fixture(autouse=True)
def _clean_walls():
    walls.clear()
    yield
    walls.clear()


def _fold(wall, delta):
    questions = {q["id"]: q for q in wall["questions"]}
    assert delta["base"] <= wall["seq"]
    for q in delta["questions"]:
        questions[q["id"]] = q
    for qid, upvotes in delta["upvotes"]:
        questions[qid] = {**questions[qid], "upvotes": upvotes}
    for qid in delta["removed"]:
        questions.pop(qid, None)
    ordered = sorted(questions.values(), key=lambda q: (q["upvotes"], q["created_at"], q["id"]), reverse=True)
    return {
        "item_id": wall["item_id"],
        "seq": delta["seq"],
        "questions": ordered,
        "highlighted": delta["highlighted"],
    }


def _size(message) -> int:
    return len(json.dumps(message, separators=(",", ":")).encode())


def test_upvotes_on_a_big_wall_send_a_few_bytes_and_fold_into_the_same_wall(
    seed_event, socket_client, in_db, flush_tallies
):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]

    def build():
        item = db.session.get(AgendaItem, item_id)
        item.question_mode, item.involves_children = "open", False
        live_state.set_current_item(db.session.get(Event, ev.id), item_id)
        ids = []
        for n in range(QUESTIONS):
            asker = Participant(event_id=ev.id)
            db.session.add(asker)
            db.session.flush()
            text = f"Question {n}: how do schools, parents and platforms share the work of keeping us safe?"
            ids.append(service.ask(item, asker, text)[0].id)
        db.session.commit()
        return ids

    ids = in_db(build)
    observer = socket_client("participant", ev)
    flush_tallies()
    observer.get_received()
    wall = observer.emit("snapshot", {}, callback=True)["view"]["wall"]
    assert len(wall["questions"]) == QUESTIONS and _size(wall) > 40_000

    voters = [socket_client("participant", ev) for _ in range(20)]
    for round_ in range(3):
        for n, voter in enumerate(voters):
            reply = voter.emit(
                "question:upvote", {"question_id": ids[(n * 7 + round_) % QUESTIONS]}, callback=True
            )
            assert reply["ok"], reply
        assert flush_tallies() >= 1
        deltas = [m["args"][0] for m in observer.get_received() if m["name"] == "wall_delta"]
        assert len(deltas) == 1
        delta = deltas[0]
        # 20 changed counts: a few hundred bytes, where the wall is over 40 KB.
        assert not delta["questions"] and len(delta["upvotes"]) == 20
        assert _size(delta) < 1_000, _size(delta)
        wall = _fold(wall, delta)
        expected = in_db(lambda: views.wall(db.session.get(AgendaItem, item_id)))
        assert [(q["id"], q["upvotes"]) for q in wall["questions"]] == [
            (q["id"], q["upvotes"]) for q in expected["questions"]
        ]


def test_moderation_in_a_delta_adds_and_removes_without_leaking_held_questions(
    seed_event, socket_client, in_db, flush_tallies
):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]

    def live():
        item = db.session.get(AgendaItem, item_id)
        item.question_mode, item.involves_children = "premoderated", False
        live_state.set_current_item(db.session.get(Event, ev.id), item_id)
        db.session.commit()

    in_db(live)
    observer, asker, staff = (
        socket_client("participant", ev),
        socket_client("participant", ev),
        socket_client("staff", ev),
    )
    wall = observer.emit("snapshot", {}, callback=True)["view"]["wall"]
    held = asker.emit(
        "question:ask", {"text": "Held for a moderator?", "client_id": "delta-0001"}, callback=True
    )["question"]
    flush_tallies()
    delta = [m["args"][0] for m in observer.get_received() if m["name"] == "wall_delta"][-1]
    assert held["id"] not in [q["id"] for q in delta["questions"]] + delta["removed"]
    assert held["id"] not in [qid for qid, _ in delta["upvotes"]]
    assert "Held for a moderator" not in json.dumps(delta)
    wall = _fold(wall, delta)
    assert staff.emit("mod:approve", {"question_id": held["id"], "version": 1}, callback=True)["ok"]
    flush_tallies()
    delta = [m["args"][0] for m in observer.get_received() if m["name"] == "wall_delta"][-1]
    wall = _fold(wall, delta)
    assert [q["id"] for q in wall["questions"]] == [held["id"]]
    assert staff.emit("mod:reject", {"question_id": held["id"], "version": 2}, callback=True)["ok"]
    flush_tallies()
    delta = [m["args"][0] for m in observer.get_received() if m["name"] == "wall_delta"][-1]
    assert delta["removed"] == [held["id"]] and not delta["questions"]
    assert _fold(wall, delta)["questions"] == []

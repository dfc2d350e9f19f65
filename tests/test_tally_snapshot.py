"""A tally's ``seq`` describes exactly the counts it carries, even with two broadcasters.

Two broadcasters (as two processes would run them) send the same poll's tally over and over
against PostgreSQL while votes are committed from another thread. Every tally a client receives
must have ``seq`` equal to the votes counted in it, so that no higher ``seq`` ever carries a
lower total (the phone keeps the tally with the highest ``seq``).
"""

from __future__ import annotations

import threading

from roundtable.extensions import db, socketio
from roundtable.live.broadcaster import Broadcaster
from roundtable.models import Poll
from roundtable.polls import service as polls
from roundtable.polls.batch import VoteRequest, cast_many

VOTERS = 150


def test_two_broadcasters_against_postgresql_send_monotonic_tallies(
    app_factory, make_bare_event, make_participant, monkeypatch
):
    app = app_factory("postgresql")
    with app.app_context():
        event = make_bare_event()
        item = next(i for i in event.agenda_items() if not i.is_break)
        poll = polls.save_poll(event.id, {"item_id": item.id, "kind": "single", "question": "Which?",
                                          "options": ["a", "b", "c"]})
        polls.open_poll(poll)
        db.session.commit()
        poll_id, event_id = poll.id, event.id
        options = [o.id for o in poll.options]
        people = [make_participant(event).id for _ in range(VOTERS)]
        seq0 = db.session.get(Poll, poll_id).seq

    received: list[dict] = []
    lock = threading.Lock()

    def emit(name, data, to=None, **kwargs):
        if name == "tally":
            with lock:  # the order a client in the room receives them
                received.append(data)

    monkeypatch.setattr(socketio, "emit", emit)
    done = threading.Event()
    errors: list[BaseException] = []

    def vote() -> None:
        try:
            for n, participant_id in enumerate(people):
                with app.app_context():
                    request = VoteRequest(event_id, participant_id, poll_id, {"option": options[n % 3]},
                                          f"mono-{n:05d}")
                    cast_many([request])
                    db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            done.set()

    def broadcast(broadcaster: Broadcaster) -> None:
        try:
            for _ in range(2000):  # bounded: stops when the votes are in
                broadcaster.poll_changed(poll_id)
                with app.app_context():
                    broadcaster.flush()
                    db.session.remove()
                if done.is_set():
                    break
            broadcaster.poll_changed(poll_id)
            with app.app_context():
                broadcaster.flush()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=vote)] + [
        threading.Thread(target=broadcast, args=(Broadcaster(),)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    assert len(received) > 20
    assert received[-1]["total"] == VOTERS
    for tally in received:
        # seq counts exactly the votes in the tally: no vote more, no vote less
        assert tally["seq"] - seq0 == tally["total"] == sum(tally["counts"].values()), tally
    shown = received[0]
    for tally in received[1:]:
        if tally["seq"] >= shown["seq"]:  # what live.js applies
            assert tally["total"] >= shown["total"]
            shown = tally

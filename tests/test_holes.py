"""The smaller holes of issue 9 (item 9), one test each, through the real socket and HTTP paths."""

from __future__ import annotations

from sqlalchemy import func, select

from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.models import AgendaItem, Event, Poll, PollOption, Question, SpentVoteId, VoteReceipt


def ok(reply):
    assert reply["ok"] is True, reply
    return reply


def code(reply):
    assert reply["ok"] is False, reply
    return reply["error"]["code"]


def _live(in_db, ev, item_id, **changes):
    def run():
        item = db.session.get(AgendaItem, item_id)
        for name, value in changes.items():
            setattr(item, name, value)
        live_state.set_current_item(db.session.get(Event, ev.id), item_id)
        db.session.commit()

    in_db(run)


def test_repeating_an_option_id_cannot_add_an_option_to_a_poll_with_answers(seed_event, socket_client, in_db):
    ev = seed_event()
    poll = next(p for p in ev.polls if p["kind"] == "single")
    staff, phone = socket_client("staff", ev), socket_client("participant", ev)
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    ok(
        phone.emit(
            "vote",
            {"poll_id": poll["id"], "client_id": "holes-vote-1", "answer": {"option": poll["options"][0]}},
            callback=True,
        )
    )
    first, *rest = poll["options"]
    options = [{"id": first, "label": "A"}, {"id": first, "label": "A again"}] + [
        {"id": o, "label": f"Option {o}"} for o in rest
    ]
    reply = staff.emit(
        "staff:poll_save",
        {"poll_id": poll["id"], "kind": "single", "question": "Q?", "options": options},
        callback=True,
    )
    assert code(reply) == "duplicate_option"
    count = in_db(
        lambda: db.session.scalar(
            select(func.count()).select_from(PollOption).where(PollOption.poll_id == poll["id"])
        )
    )
    assert count == len(poll["options"])


def test_a_client_event_named_connect_does_not_rerun_the_handshake(seed_event, socket_client, in_db):
    ev = seed_event()
    phone = socket_client("participant", ev)
    reply = phone.emit("connect", {"role": "screen", "code": ev.code, "key": ev.screen_key}, callback=True)
    assert code(reply) == "bad_event"
    # Still a participant socket: a screen-only view is not what it gets, and staff events fail.
    snapshot = ok(phone.emit("snapshot", {}, callback=True))
    assert "mine" in snapshot
    assert code(phone.emit("staff:set_live", {"item_id": None}, callback=True)) == "forbidden"
    # A client event named "disconnect" does not take it out of the presence count either.
    from roundtable.live.broadcaster import broadcaster

    before = broadcaster.presence.count(ev.id)
    phone.emit("disconnect", "client namespace disconnect")
    assert broadcaster.presence.count(ev.id) == before and phone.is_connected()


def test_asking_the_text_of_someone_elses_held_question_reveals_nothing(seed_event, socket_client, in_db):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]
    _live(in_db, ev, item_id, question_mode="premoderated", involves_children=False)
    alice, bob = socket_client("participant", ev), socket_client("participant", ev)
    text = "Who checks what apps children use at school?"
    ok(alice.emit("question:ask", {"text": text, "client_id": "holes-ask-1"}, callback=True))
    # Bob cannot tell that Alice's question exists: his is accepted and held like hers.
    reply = ok(bob.emit("question:ask", {"text": text.upper(), "client_id": "holes-ask-2"}, callback=True))
    assert reply["question"]["status"] == "pending" and reply["duplicate"] is False
    # Alice asking hers again is still a duplicate (she can see her own).
    again = alice.emit("question:ask", {"text": text, "client_id": "holes-ask-3"}, callback=True)
    assert code(again) == "duplicate_question"


def test_a_participant_who_joined_as_a_child_cannot_send_a_name(seed_event, socket_client, in_db):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]
    _live(in_db, ev, item_id, question_mode="open", involves_children=False)
    child = socket_client("participant", ev, group="children")
    reply = child.emit(
        "question:ask",
        {"text": "Can we learn coding?", "name": "Wanjiru", "client_id": "holes-child-1"},
        callback=True,
    )
    assert code(reply) == "name_not_allowed"
    assert in_db(lambda: db.session.scalar(select(func.count()).select_from(Question))) == 0
    # Without a name the question goes through.
    ok(
        child.emit(
            "question:ask", {"text": "Can we learn coding?", "client_id": "holes-child-2"}, callback=True
        )
    )


def test_redacting_a_question_keeps_no_phone_number(seed_event, socket_client, in_db):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]
    _live(in_db, ev, item_id, question_mode="open", involves_children=False)
    phone, staff = socket_client("participant", ev), socket_client("staff", ev)
    asked = ok(
        phone.emit(
            "question:ask",
            {"text": "Call me on 0712 345 678 about the report", "client_id": "holes-redact-1"},
            callback=True,
        )
    )["question"]
    assert asked["status"] == "pending"  # flagged
    version = in_db(lambda: db.session.get(Question, asked["id"]).version)
    ok(
        staff.emit(
            "mod:approve",
            {"question_id": asked["id"], "version": version, "text": "Call me on [removed] about the report"},
            callback=True,
        )
    )

    def stored():
        q = db.session.get(Question, asked["id"])
        return q.text, q.original_text, q.fingerprint

    text, original, fingerprint = in_db(stored)
    assert text == "Call me on [removed] about the report"
    for value in (text, original, fingerprint):
        assert "0712" not in value and "345" not in value, value
    assert original.startswith("Call me on") and "about the report" in original


def test_a_poll_reset_forgets_its_vote_receipts(seed_event, socket_client, in_db):
    ev = seed_event()
    poll = next(p for p in ev.polls if p["kind"] == "single")
    staff, phone = socket_client("staff", ev), socket_client("participant", ev)
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    vote = {"poll_id": poll["id"], "client_id": "holes-reset-1", "answer": {"option": poll["options"][0]}}
    ok(phone.emit("vote", vote, callback=True))
    ok(staff.emit("staff:poll_reset", {"poll_id": poll["id"]}, callback=True))

    def receipts():
        return db.session.scalar(
            select(func.count()).select_from(VoteReceipt).where(VoteReceipt.poll_id == poll["id"])
        )

    assert in_db(receipts) == 0  # nothing ties the participant to the poll any more
    assert in_db(lambda: db.session.get(SpentVoteId, (poll["id"], "holes-reset-1"))) is not None
    # The retried vote from before the reset is recognised and stays forgotten.
    retry = ok(phone.emit("vote", vote, callback=True))
    assert retry["duplicate"] is True and retry["answer"] is None
    assert in_db(lambda: db.session.get(Poll, poll["id"]).seq) > 0
    # A new vote counts.
    ok(phone.emit("vote", {**vote, "client_id": "holes-reset-2"}, callback=True))
    assert in_db(receipts) == 1


def test_socketio_polling_responses_carry_the_security_headers(app, seed_event):
    seed_event()
    reply = app.test_client().get("/socket.io/?EIO=4&transport=polling")
    assert reply.status_code == 200
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["Cache-Control"] == "no-store"


def test_screen_key_that_is_not_ascii_is_a_clear_404_not_a_500(client, seed_event):
    ev = seed_event()
    assert client.get(f"/screen/{ev.code}?key=%C3%A9").status_code == 404
    assert client.get(f"/screen/{ev.code}?key={ev.screen_key}").status_code == 200

"""End to end over real sockets: python-socketio clients against ``python app.py`` (eventlet)."""

from __future__ import annotations

import secrets
import threading
import uuid

import psycopg2
import pytest

from .server import find_item, staff_view


def open_evidence_poll(staff):
    view = staff_view(staff)
    item = find_item(view, "Evidence sharing on Internet and Children")
    poll = item["polls"][1]  # "Which online risk to children concerns you most?" (single choice)
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
    assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
    return item, poll


def vote(client, poll_id, option_id, client_id=None):
    return client.call(
        "vote",
        {"poll_id": poll_id, "client_id": client_id or secrets.token_hex(8), "answer": {"option": option_id}},
    )


def test_votes_reach_staff_and_screen_but_participants_only_after_reveal(server):
    staff = server.socket("staff", server.staff_session())
    screen = server.socket("screen", key=server.screen_key)
    phones = [server.socket("participant", server.participant_session()) for _ in range(3)]
    try:
        item, poll = open_evidence_poll(staff)
        assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]
        first, second = poll["options"][0]["id"], poll["options"][1]["id"]

        phones[0].wait_for("state", lambda v: any(p["id"] == poll["id"] for p in v["polls"]))
        assert vote(phones[0], poll["id"], first)["ok"]
        assert vote(phones[1], poll["id"], first)["ok"]
        assert vote(phones[2], poll["id"], second)["ok"]

        expected = {str(first): 2, str(second): 1}
        def done(t):
            return t["poll_id"] == poll["id"] and t["total"] == 3
        tally = staff.wait_for("tally", done)
        assert {k: v for k, v in tally["counts"].items() if v} == expected
        # Not revealed yet: the projector (which the room reads) gets the count, not the split.
        hidden = screen.wait_for("tally", done)
        assert hidden["hidden"] is True and "counts" not in hidden
        assert phones[0].messages("tally") == []

        assert staff.call("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
        state = phones[1].wait_for("state", lambda v: str(poll["id"]) in v["tallies"])
        assert state["tallies"][str(poll["id"])]["total"] == 3
        shown = screen.wait_for("state", lambda v: v.get("tally") and "counts" in v["tally"])
        assert shown["tally"]["counts"] == tally["counts"]
    finally:
        for client in (staff, screen, *phones):
            client.close()


def test_a_retried_vote_counts_once_and_a_change_replaces_it(server):
    staff = server.socket("staff", server.staff_session())
    phone = server.socket("participant", server.participant_session("children"))
    try:
        _, poll = open_evidence_poll(staff)
        option_a, option_b = poll["options"][0]["id"], poll["options"][2]["id"]
        client_id = secrets.token_hex(8)
        assert vote(phone, poll["id"], option_a, client_id) == {
            "ok": True, "poll_id": poll["id"], "answer": {"option": option_a},
            "duplicate": False, "generation": 0,
        }
        again = vote(phone, poll["id"], option_a, client_id)
        assert again["ok"] and again["duplicate"]
        assert vote(phone, poll["id"], option_b)["ok"]
        tally = staff.wait_for("tally", lambda t: t["counts"][str(option_b)] == 1)
        assert tally["total"] == 1 and tally["counts"][str(option_a)] == 0
        mine = phone.call("snapshot")["mine"]
        assert mine == {str(poll["id"]): {"option": option_b}}
    finally:
        staff.close()
        phone.close()


def test_bad_votes_and_staff_events_from_phones_change_nothing(server):
    staff = server.socket("staff", server.staff_session())
    phone = server.socket("participant", server.participant_session())
    try:
        view = staff_view(staff)
        item = find_item(view, "Duty Bearers Response to Children Voices")
        poll = item["polls"][1]  # single choice
        other = find_item(view, "Way forward")["polls"][0]
        assert vote(phone, poll["id"], poll["options"][0]["id"])["error"]["code"] == "poll_closed"
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        cases = [
            (
                {"poll_id": poll["id"], "client_id": "abcdefgh1",
                 "answer": {"option": other["options"][0]["id"]}},
                "unknown_option",
            ),
            ({"poll_id": 999999, "client_id": "abcdefgh2", "answer": {"option": 1}}, "unknown_poll"),
            ({"poll_id": poll["id"], "client_id": "abcdefgh3", "answer": {"option": "1"}}, "bad_payload"),
            ({"poll_id": poll["id"], "client_id": "x", "answer": {"option": poll["options"][0]["id"]}},
             "bad_payload"),
            ({"poll_id": poll["id"], "client_id": "abcdefgh4", "answer": {"option": 1}, "pad": "x" * 20000},
             "too_large"),
        ]
        for payload, code in cases:
            reply = phone.call("vote", payload)
            assert reply["ok"] is False and reply["error"]["code"] == code, (payload, reply)
        for event in ("staff:poll_reset", "staff:poll_close", "staff:set_live", "staff:screen"):
            reply = phone.call(event, {"poll_id": poll["id"], "item_id": item["id"], "mode": "blank"})
            assert reply["error"]["code"] == "forbidden"
        counts = staff_view(staff)["response_counts"]
        assert counts.get(str(poll["id"]), 0) == 0
        assert staff_view(staff)["live"]["screen_mode"] == "join"
    finally:
        staff.close()
        phone.close()


def test_sixty_phones_voting_at_once_give_exact_totals(server):
    staff = server.socket("staff", server.staff_session())
    _, poll = open_evidence_poll(staff)
    options = [o["id"] for o in poll["options"]]
    phones = [server.socket("participant", server.participant_session()) for _ in range(60)]
    replies: list[dict] = []
    try:
        barrier = threading.Barrier(len(phones))

        def cast(index, phone):
            barrier.wait()
            replies.append(vote(phone, poll["id"], options[index % len(options)]))

        threads = [threading.Thread(target=cast, args=(i, p)) for i, p in enumerate(phones)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(replies) == 60 and all(r["ok"] for r in replies)
        tally = staff.wait_for("tally", lambda t: t["total"] == 60)
        assert tally["counts"] == {str(o): 60 // len(options) for o in options}
        # Coalesced: far fewer tally messages than votes.
        assert len(staff.messages("tally")) < 30
    finally:
        staff.close()
        for phone in phones:
            phone.close()


@pytest.fixture
def postgres_url():
    name = "rt_e2e_" + uuid.uuid4().hex[:10]
    admin = psycopg2.connect(host="127.0.0.1", user="root", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://root@127.0.0.1:5432/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_two_processes_on_postgresql_and_redis_agree(start_server, postgres_url, tmp_path):
    """Scale-out: a vote on one process reaches staff and screens connected to another."""
    env = {
        "ROUNDTABLE_DATABASE_URL": postgres_url,
        "ROUNDTABLE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
        "ROUNDTABLE_CHANNEL": "rt-e2e-" + uuid.uuid4().hex[:8],
        "ROUNDTABLE_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "ROUNDTABLE_SECRET_KEY": secrets.token_hex(16),
    }
    first = start_server(env, tmp_path / "a")
    second = start_server(env, tmp_path / "b")
    assert first.code == second.code
    staff = second.socket("staff", second.staff_session())
    screen = second.socket("screen", key=second.screen_key)
    phones = [first.socket("participant", first.participant_session()) for _ in range(5)]
    try:
        _, poll = open_evidence_poll(staff)
        assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]
        phones[0].wait_for("state", lambda v: any(p["id"] == poll["id"] for p in v["polls"]))
        option = poll["options"][3]["id"]
        for phone in phones:
            assert vote(phone, poll["id"], option)["ok"]
        tally = staff.wait_for("tally", lambda t: t["total"] == 5)
        assert tally["counts"][str(option)] == 5
        assert screen.wait_for("tally", lambda t: t["total"] == 5)["seq"] >= 5
        presence = staff.wait_for("presence", lambda p: p["participants"] == 5, timeout=30)
        assert presence["participants"] == 5
    finally:
        for client in (staff, screen, *phones):
            client.close()

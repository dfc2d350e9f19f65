"""The projector split by stakeholder group over Socket.IO: who receives what, and when.

A poll of the built-in roundtable put on the screen as Children | ISPs, telcos and SMS providers |
Everyone while phones of those groups vote. Phones receive the split only when they may see the
results anyway; staff and screens always; a small group never shows.
"""

from __future__ import annotations

import itertools

import pytest

_ids = itertools.count(1)


def cid() -> str:
    return f"split-{next(_ids):08d}"


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def code(ack):
    assert ack["ok"] is False, ack
    return ack["error"]["code"]


@pytest.fixture
def ev(seed_event):
    return seed_event()


@pytest.fixture
def poll(ev):
    item = next(i for i in ev.items if i["title"] == "Duty Bearers Response to Children Voices")
    return next(p for p in item["polls"] if p["kind"] == "single")


@pytest.fixture
def room(ev, poll, socket_client):
    staff = socket_client("staff", ev)
    screen = socket_client("screen", ev)
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    phones = [
        socket_client("participant", ev, group=g) for g in ["children"] * 5 + ["isp"] * 5 + ["government"]
    ]
    for phone in phones:
        assert phone.is_connected()
    return staff, screen, phones


def vote_all(phones, poll):
    for n, phone in enumerate(phones):
        option = poll["options"][0 if n < 5 else 1]
        ok(
            phone.emit(
                "vote",
                {"poll_id": poll["id"], "client_id": cid(), "answer": {"option": option}},
                callback=True,
            )
        )


def split_events(client):
    return [m["args"][0] for m in client.get_received() if m["name"] == "group_tally"]


def states(client):
    return [m["args"][0] for m in client.get_received() if m["name"] == "state"]


def test_screen_follows_the_chosen_split_live(room, poll, flush_tallies):
    staff, screen, phones = room
    ok(
        staff.emit(
            "staff:screen",
            {"mode": "results", "poll_id": poll["id"], "groups": ["children", "isp", "everyone"]},
            callback=True,
        )
    )
    view = states(screen)[-1]
    assert view["split"]["wanted"] == ["children", "isp", "everyone"]
    assert [c["key"] for c in view["split"]["columns"]] == ["everyone"]  # nobody has voted yet
    vote_all(phones, poll)
    screen.get_received()
    staff.get_received()
    flush_tallies()
    [split] = split_events(screen)
    assert split["hidden"] is True  # on reveal: counts only until the facilitator reveals it
    # 5 children and 5 ISPs, and 1 government answer: showing both groups would let Everyone -
    # children - ISPs read that one answer, so one of the two (the later of equals) is withheld.
    keys = [c["key"] for c in split["columns"]]
    assert keys[-1] == "everyone" and split["columns"][-1]["total"] == 11
    for column in split["columns"][:-1]:
        assert column["total"] >= 5
    assert len(keys) == 2 and split["withheld"]
    assert split_events(staff)  # the console sees the same split
    staff_view = ok(staff.emit("snapshot", {}, callback=True))["view"]
    assert staff_view["live"]["screen_groups"] == ["children", "isp", "everyone"]


def test_without_the_small_group_both_columns_show(ev, poll, socket_client, flush_tallies):
    staff = socket_client("staff", ev)
    screen = socket_client("screen", ev)
    ok(staff.emit("staff:set_live", {"item_id": poll["item_id"]}, callback=True))
    ok(staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True))
    phones = [socket_client("participant", ev, group=g) for g in ["children"] * 5 + ["isp"] * 6]
    vote_all(phones, poll)
    ok(
        staff.emit(
            "staff:screen",
            {"mode": "results", "poll_id": poll["id"], "groups": ["children", "isp", "everyone"]},
            callback=True,
        )
    )
    split = states(screen)[-1]["split"]
    assert [(c["key"], c["total"]) for c in split["columns"]] == [
        ("children", 5),
        ("isp", 6),
        ("everyone", 11),
    ]
    # Not revealed yet: the projector gets each column's headcount, never its answers.
    assert split["hidden"] is True and all("counts" not in c for c in split["columns"])
    ok(staff.emit("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True}, callback=True))
    split = states(screen)[-1]["split"]
    assert "hidden" not in split
    children = split["columns"][0]
    assert children["counts"][str(poll["options"][0])] == 5


def test_phones_get_the_split_only_once_results_are_revealed(room, poll, flush_tallies):
    staff, screen, phones = room
    vote_all(phones, poll)
    ok(
        staff.emit(
            "staff:screen",
            {"mode": "results", "poll_id": poll["id"], "groups": ["children", "isp", "everyone"]},
            callback=True,
        )
    )
    phone = phones[0]
    assert all(s["split"] is None for s in states(phone))
    ok(
        phones[1].emit(
            "vote",
            {"poll_id": poll["id"], "client_id": cid(), "answer": {"option": poll["options"][2]}},
            callback=True,
        )
    )
    flush_tallies()
    assert split_events(phone) == []
    snap = ok(phone.emit("snapshot", {}, callback=True))
    assert snap["view"]["split"] is None
    ok(staff.emit("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True}, callback=True))
    view = states(phone)[-1]
    assert view["split"]["poll_id"] == poll["id"]
    assert view["split"]["columns"][-1]["key"] == "everyone"
    ok(
        phones[2].emit(
            "vote",
            {"poll_id": poll["id"], "client_id": cid(), "answer": {"option": poll["options"][2]}},
            callback=True,
        )
    )
    phone.get_received()
    flush_tallies()
    assert split_events(phone)
    # Taken off the split, phones stop receiving it.
    ok(staff.emit("staff:screen", {"mode": "results", "poll_id": poll["id"]}, callback=True))
    assert states(phone)[-1]["split"] is None


def test_bad_split_choices_are_refused_and_change_nothing(room, poll):
    staff, screen, phones = room
    ok(staff.emit("staff:screen", {"mode": "join"}, callback=True))
    screen.get_received()
    for groups, expected in (
        (["martians"], "unknown_group"),
        ("children", "bad_payload"),
        ([], "bad_payload"),
    ):
        assert (
            code(
                staff.emit(
                    "staff:screen",
                    {"mode": "results", "poll_id": poll["id"], "groups": groups},
                    callback=True,
                )
            )
            == expected
        )
    assert states(screen) == []
    assert (
        code(
            phones[0].emit(
                "staff:screen",
                {"mode": "results", "poll_id": poll["id"], "groups": ["children"]},
                callback=True,
            )
        )
        == "forbidden"
    )


def test_console_asks_for_results_by_group(room, poll, socket_client, ev):
    staff, screen, phones = room
    vote_all(phones, poll)
    result = ok(staff.emit("staff:group_results", {"poll_id": poll["id"]}, callback=True))["result"]
    assert [c["key"] for c in result["columns"]][-1] == "everyone"
    assert all(c["total"] >= 5 for c in result["columns"])
    assert code(phones[0].emit("staff:group_results", {"poll_id": poll["id"]}, callback=True)) == "forbidden"
    assert code(screen.emit("staff:group_results", {"poll_id": poll["id"]}, callback=True)) == "forbidden"
    moderator = socket_client("staff", ev, username="mod", user_role="moderator")
    ok(moderator.emit("staff:group_results", {"poll_id": poll["id"], "groups": ["children"]}, callback=True))
    assert code(staff.emit("staff:group_results", {"poll_id": 999999}, callback=True)) == "unknown_poll"


def test_outcome_tags_over_the_socket(room, poll, socket_client, ev, in_db):
    from roundtable.extensions import db
    from roundtable.models import Poll

    staff, screen, phones = room
    ack = ok(
        staff.emit("staff:outcome_tag", {"target": "poll", "id": poll["id"], "outcome": 3}, callback=True)
    )
    assert ack["outcome"] == 3
    assert in_db(lambda: db.session.get(Poll, poll["id"]).outcome) == 3
    for bad, expected in (
        ({"target": "poll", "id": poll["id"], "outcome": 4}, "bad_outcome"),
        ({"target": "poll", "id": poll["id"], "outcome": True}, "bad_outcome"),
        ({"target": "session", "id": 1, "outcome": 1}, "bad_payload"),
        ({"target": "question", "id": 999999, "outcome": 1}, "unknown_question"),
    ):
        assert code(staff.emit("staff:outcome_tag", bad, callback=True)) == expected
    moderator = socket_client("staff", ev, username="mod", user_role="moderator")
    assert (
        code(
            moderator.emit(
                "staff:outcome_tag", {"target": "poll", "id": poll["id"], "outcome": None}, callback=True
            )
        )
        == "forbidden"
    )
    ok(staff.emit("staff:outcome_tag", {"target": "poll", "id": poll["id"], "outcome": None}, callback=True))
    assert in_db(lambda: db.session.get(Poll, poll["id"]).outcome) is None

"""Building an event: new events, days and sessions added, removed (with confirmation when
answers would be lost) and reordered, duplicates, new codes and projector keys."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from roundtable.agenda import manage, programme_file
from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import AgendaItem, Event, Participant, Response
from roundtable.polls import service as polls


def test_create_event_makes_one_day_per_date_and_the_default_groups(ctx):
    event = manage.create_event(
        {
            "title": " Youth  forum ",
            "hosts": "Us",
            "timezone": "Africa/Kampala",
            "starts_on": "2027-02-10",
            "ends_on": "2027-02-12",
        }
    )
    db.session.commit()
    assert event.title == "Youth forum"
    assert [d.date for d in event.days] == [dt.date(2027, 2, 10), dt.date(2027, 2, 11), dt.date(2027, 2, 12)]
    assert [g.key for g in event.groups] == ["children", "other"]
    assert len(event.code) == 6 and event.screen_key


@pytest.mark.parametrize(
    "data, code",
    [
        ({"title": ""}, "empty_text"),
        ({"title": "x", "timezone": "Mars/Base"}, "bad_timezone"),
        ({"title": "x", "starts_on": "2027-02-10", "ends_on": "2027-02-01"}, "bad_date"),
        ({"title": "x", "starts_on": "10/02/2027"}, "bad_date"),
        ({"title": "x", "starts_on": "2027-01-01", "ends_on": "2027-03-01"}, "bad_date"),
        ("title", "bad_payload"),
    ],
)
def test_create_event_refusals_create_nothing(ctx, data, code):
    before = db.session.scalar(select(func.count()).select_from(Event))
    with pytest.raises(RoundtableError) as info:
        manage.create_event(data)
    assert info.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == before


@pytest.fixture
def fresh(ctx):
    event = manage.create_event({"title": "Workshop", "starts_on": "2027-02-10", "ends_on": "2027-02-10"})
    db.session.commit()
    return event


def test_sessions_are_added_in_time_order_and_may_not_overlap(fresh):
    day = fresh.days[0]
    manage.add_item(fresh, day, {"title": "Late", "starts_at": "11:00", "ends_at": "12:00"})
    manage.add_item(
        fresh, day, {"title": "Early", "starts_at": "09:00", "ends_at": "10:00", "involves_children": True}
    )
    db.session.commit()
    assert [i.title for i in day.items] == ["Early", "Late"]
    assert day.items[0].question_mode == "premoderated"
    for bad, code in (
        ({"title": "Overlap", "starts_at": "09:30", "ends_at": "10:30"}, "overlapping_sessions"),
        ({"title": "Backwards", "starts_at": "15:00", "ends_at": "14:00"}, "bad_time"),
        ({"title": "Bad", "starts_at": "9:00", "ends_at": "10:00"}, "bad_time"),
        ({"title": "", "starts_at": "13:00", "ends_at": "14:00"}, "empty_text"),
        ({"title": "Kids", "starts_at": "13:00", "ends_at": "14:00", "children_led": True}, "bad_payload"),
    ):
        with pytest.raises(RoundtableError) as info:
            manage.add_item(fresh, day, bad)
        assert info.value.code == code
        db.session.rollback()
    assert len(fresh.days[0].items) == 2


def test_days_added_moved_and_removed(fresh):
    second = manage.add_day(fresh, {})
    db.session.commit()
    assert second.date is None  # the event ends on its first day: no date after it
    third = manage.add_day(fresh, {"title": "Extra"})
    manage.move_day(fresh, third, "up")
    db.session.commit()
    assert [d.title for d in fresh.days] == ["Day 1", "Extra", "Day 2"]
    with pytest.raises(RoundtableError) as info:
        manage.add_day(fresh, {"date": "2027-03-01"})
    assert info.value.code == "day_outside_event"
    with pytest.raises(RoundtableError) as info:
        manage.add_day(fresh, {"date": "2027-02-10"})
    assert info.value.code in ("duplicate_date",)
    manage.delete_day(fresh, third)
    db.session.commit()
    db.session.expire_all()
    assert [d.title for d in fresh.days] == ["Day 1", "Day 2"]
    assert [d.position for d in fresh.days] == [0, 1]


def test_removing_a_session_with_answers_asks_first_and_says_what_is_lost(ctx, make_event):
    event = make_event()
    item = next(i for i in event.agenda_items() if i.polls)
    poll = item.polls[0]
    polls.open_poll(poll)
    participant = Participant(event_id=event.id)
    db.session.add(participant)
    db.session.flush()
    answer = {"option": poll.options[0].id} if poll.options else {"words": ["safe"]}
    if poll.kind == "multiple":
        answer = {"options": [poll.options[0].id]}
    polls.cast_response(poll, participant, answer, "client-remove-1")
    db.session.commit()
    with pytest.raises(RoundtableError) as info:
        manage.delete_item(event, item)
    assert info.value.code == "confirm_required"
    assert "deletes 1 answer to" in info.value.message
    db.session.rollback()
    assert db.session.get(AgendaItem, item.id) is not None
    lost = manage.delete_item(event, item, confirm=True)
    db.session.commit()
    assert lost["answers"] == 1 and lost["polls"] == len(item.polls)
    assert db.session.get(AgendaItem, item.id) is None
    assert (
        db.session.scalar(select(func.count()).select_from(Response).where(Response.poll_id == poll.id)) == 0
    )


def test_sessions_reorder_within_their_day(fresh):
    day = fresh.days[0]
    a = manage.add_item(fresh, day, {"title": "A", "starts_at": "09:00", "ends_at": "10:00"})
    manage.add_item(fresh, day, {"title": "B", "starts_at": "10:00", "ends_at": "11:00"})
    manage.move_item(fresh, a, "down")
    db.session.commit()
    db.session.expire_all()
    assert [i.title for i in fresh.days[0].items] == ["B", "A"]
    with pytest.raises(RoundtableError):
        manage.move_item(fresh, a, "sideways")


def test_duplicate_copies_programme_and_polls_but_no_answers(ctx, make_event):
    event = make_event()
    copy = manage.duplicate_event(event)
    db.session.commit()
    assert copy.code != event.code and copy.screen_key != event.screen_key
    assert copy.title.startswith("Copy of ")
    original, duplicated = programme_file.export_programme(event), programme_file.export_programme(copy)
    original.pop("title"), duplicated.pop("title")
    assert original == duplicated
    assert (
        db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.event_id == copy.id)
        )
        == 0
    )


def test_new_code_and_key_replace_the_old_ones(ctx, make_event):
    from roundtable.agenda.service import find_event

    event = make_event()
    old_code, old_key = event.code, event.screen_key
    manage.new_code(event)
    manage.new_key(event)
    db.session.commit()
    assert event.code != old_code and event.screen_key != old_key
    assert find_event(old_code) is None and find_event(event.code).id == event.id


def test_http_new_screen_key_disconnects_open_projectors(app, seed_event, socket_client, login):
    event = seed_event()
    screen = socket_client("screen", event)
    assert screen.is_connected()
    client = app.test_client()
    login(client)
    assert client.post(f"/staff/{event.code}/new-screen-key").status_code == 302
    assert not screen.is_connected()
    again = socket_client("screen", event)  # with the old key
    assert not again.is_connected()
    assert client.get(f"/screen/{event.code}?key={event.screen_key}").status_code == 404


def test_http_new_code_stops_the_old_one(app, seed_event, socket_client, login):
    event = seed_event()
    screen = socket_client("screen", event)
    client = app.test_client()
    login(client)
    response = client.post(f"/staff/{event.code}/new-code")
    assert response.status_code == 302
    assert not screen.is_connected()
    assert client.get(f"/j/{event.code}").status_code == 404
    new_code = response.location.split("/staff/")[1].split("/")[0]
    assert new_code != event.code and client.get(f"/j/{new_code}").status_code == 200


def test_http_remove_session_with_answers_shows_a_confirmation(app, seed_event, in_db, login, socket_client):
    event = seed_event()
    poll = next(p for p in event.polls if p["kind"] == "single")
    phone = socket_client("participant", event)
    client = phone.flask_client
    staff = app.test_client()
    login(staff)
    staff_sock = socket_client("staff", event, client=staff)
    assert staff_sock.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True)["ok"]
    ack = phone.emit(
        "vote",
        {"poll_id": poll["id"], "client_id": "confirm-test-1", "answer": {"option": poll["options"][0]}},
        callback=True,
    )
    assert ack["ok"], ack
    del client
    response = staff.post(f"/staff/{event.code}/programme/sessions/{poll['item_id']}/delete")
    assert response.status_code == 409
    assert b"deletes 1 answer to" in response.data and b"confirm-remove" in response.data
    assert in_db(lambda: db.session.get(AgendaItem, poll["item_id"])) is not None
    response = staff.post(
        f"/staff/{event.code}/programme/sessions/{poll['item_id']}/delete", data={"confirm": "true"}
    )
    assert response.status_code == 302
    assert in_db(lambda: db.session.get(AgendaItem, poll["item_id"])) is None


def test_http_import_refusal_names_the_problem_and_creates_nothing(app, in_db, login):
    import io
    import json

    client = app.test_client()
    login(client, username="boss", role="admin")
    doc = json.loads(programme_file.BUILTIN.read_text(encoding="utf-8"))
    kind = doc["days"][0]["sessions"][1]["polls"][0]["kind"]
    doc["days"][0]["sessions"][1]["polls"][0]["kind"] = "slider"
    before = in_db(lambda: db.session.scalar(select(func.count()).select_from(Event)))
    response = client.post(
        "/staff/import",
        data={"programme": (io.BytesIO(json.dumps(doc, indent=2).encode()), "p.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert b"unknown poll kind" in response.data and b"days[0].sessions[1].polls[0].kind" in response.data
    assert in_db(lambda: db.session.scalar(select(func.count()).select_from(Event))) == before
    doc["days"][0]["sessions"][1]["polls"][0]["kind"] = kind
    response = client.post(
        "/staff/import",
        data={"programme": (io.BytesIO(json.dumps(doc).encode()), "p.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert in_db(lambda: db.session.scalar(select(func.count()).select_from(Event))) == before + 1

"""The built-in programme (shared/PROGRAMME.md) and facilitators' edits of the agenda."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.agenda import service as agenda
from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import AgendaItem, Event, LiveState

TITLE = "Roundtable Discussion on Strengthening Collaborative Frameworks for Child Online Safety"
HOSTS = "Online Safety CSOs Forum, in collaboration with the Directorate of Children Services (DCS), Kenya"
DUTY_BEARERS = "ISPs, telcos and SMS providers"

# (starts_at, ends_at, title, facilitator), straight from the programme's two tables. The evidence
# sessions run 09:30-10:30 (the source programme misprints 09:00).
DAY_1 = [
    ("08:30", "09:00", "Arrival and Registration", ""),
    ("09:00", "09:30", "Meeting Preliminaries", ""),
    ("09:30", "10:30", "Evidence sharing on Internet and Children", ""),
    ("10:30", "11:00", "Health Break", "ALL"),
    ("11:00", "12:00", "Children Voices on Online Safety", ""),
    ("13:00", "14:00", "Lunch Break", "ALL"),
    ("14:00", "15:30", "Duty Bearers Response to Children Voices", ""),
    ("15:30", "16:00", "Way forward", "DCS"),
]
DAY_2 = [
    ("08:30", "09:00", "Arrival and Registration", ""),
    ("09:00", "09:30", "Meeting Preliminaries", ""),
    ("09:30", "10:30", "Evidence sharing on Online Safety", ""),
    ("10:30", "11:00", "Health Break", "ALL"),
    ("11:00", "12:00", "Sharing on desired online Safety Protocols and Collaboration", ""),
    ("13:00", "14:00", "Lunch Break", "ALL"),
    ("14:00", "15:30", "Online Safety Protocols", ""),
    ("15:30", "16:00", "Way forward", "DCS"),
]
POINTS = {
    (0, "Meeting Preliminaries"): [
        "Introductions",
        "Sharing expectations",
        "Round Table objectives",
        "Opening Remarks",
    ],
    (0, "Evidence sharing on Internet and Children"): [
        "What does evidence tell us about safety of children online – Disrupting Harm, SCROL and "
        "Safe Clics Assessments"
    ],
    (0, "Children Voices on Online Safety"): [
        "The Internet we (children) Have!",
        "Children interaction and experience of the online environment",
        "The Internet we (children) want!",
    ],
    (0, "Duty Bearers Response to Children Voices"): [
        "ISPs, Telcos and SMSPs response to the internet Children Want!"
    ],
    (0, "Way forward"): [],
    (1, "Meeting Preliminaries"): ["Recap of Day 1", "Remarks"],
    (1, "Evidence sharing on Online Safety"): [
        "Evidence from Disrupting Harm, SCROL and Safe Clics Assessments"
    ],
    (1, "Sharing on desired online Safety Protocols and Collaboration"): [
        "Government commitments to Online Safety",
        "Expectation of ISPs, Telcos and SMSPs in promoting Online Safety",
    ],
    (1, "Online Safety Protocols"): [
        "ISPs, Telcos and SMSPs share on their Safety Protocols to keep children safe",
        "Reflection on what ISPs, Telcos and SMSPs are doing right",
        "What can be improved",
    ],
    (1, "Way forward"): [],
}
BREAKS = {"Arrival and Registration", "Health Break", "Lunch Break"}


@pytest.fixture
def event(ctx, make_event) -> Event:
    return make_event()


def item_named(event: Event, title: str, day: int = 0) -> AgendaItem:
    return next(i for i in event.days[day].items if i.title == title)


# --- the built-in programme ---------------------------------------------------------------------


def test_event_facts(event):
    assert event.title == TITLE
    assert event.hosts == HOSTS
    assert "multi-stakeholder dialogue" in event.objective
    assert event.timezone == "Africa/Nairobi"
    assert event.expected_size == 50
    outcomes = event.outcomes.splitlines()
    assert len(outcomes) == 3
    assert outcomes[0] == "Strengthened online child safety measures"
    assert "collaborative framework for sharing online child safety resources" in outcomes[1]
    assert "OCSEA" in outcomes[2]
    assert "116" in event.helpline


def test_event_code_is_six_digits_and_unique(event, make_event):
    assert len(event.code) == 6 and event.code.isdigit() and event.code[0] != "0"
    assert make_event().code != event.code
    assert len(event.screen_key) >= 32


def test_stakeholder_groups(event):
    labels = [g.label for g in event.groups]
    assert len(labels) == 8
    for expected in (
        "Technical community",
        "Government",
        "Civil society organisations (CSOs)",
        "Academia",
        "ISPs, telcos and SMS providers",
        "Parents",
        "Children",
        "Other / prefer not to say",
    ):
        assert expected in labels
    assert labels[-1] == "Other / prefer not to say"
    assert [g.label for g in event.groups if g.is_children] == ["Children"]
    keys = [g.key for g in event.groups]
    assert len(set(keys)) == len(keys)
    assert [g.position for g in event.groups] == list(range(8))


def test_two_days_with_the_programme_schedule(event):
    assert [d.title for d in event.days] == ["Day 1", "Day 2"]
    # The programme gives no calendar dates: facilitators set them.
    assert [d.date for d in event.days] == [None, None]
    for day, expected in zip(event.days, (DAY_1, DAY_2), strict=True):
        assert [(i.starts_at, i.ends_at, i.title, i.facilitator) for i in day.items] == expected
        assert [i.position for i in day.items] == list(range(8))


def test_no_session_overlaps_and_lunchtime_gap_is_kept(event):
    for day in event.days:
        times = [(i.starts_at, i.ends_at) for i in day.items]
        assert all(start < end for start, end in times)
        assert all(a[1] <= b[0] for a, b in zip(times, times[1:], strict=False))
        # 12:00-13:00 is empty on both days.
        assert not any(start < "13:00" and end > "12:00" for start, end in times)


def test_points_of_every_session(event):
    for (day, title), points in POINTS.items():
        assert item_named(event, title, day).point_list == points, title


def test_breaks_are_breaks_and_have_no_polls(event):
    for item in event.agenda_items():
        assert item.is_break == (item.title in BREAKS), item.title
        if item.is_break:
            assert item.polls == [], item.title


def test_every_working_session_has_a_poll_and_all_start_as_drafts(event):
    working = [i for i in event.agenda_items() if not i.is_break]
    assert len(working) == 10
    for item in working:
        assert len(item.polls) >= 1, item.title
        assert [p.position for p in item.polls] == list(range(len(item.polls)))
        for poll in item.polls:
            assert poll.status == "draft"
            assert poll.results_revealed is False
            assert poll.question.strip()


def test_children_voices_is_led_by_children_and_premoderated(event):
    voices = item_named(event, "Children Voices on Online Safety")
    assert voices.children_led is True
    assert voices.involves_children is True
    assert voices.question_mode == "premoderated"
    # No other session is children-led.
    assert [i.title for i in event.agenda_items() if i.children_led] == ["Children Voices on Online Safety"]


def test_children_take_part_in_every_working_session(event):
    for item in event.agenda_items():
        if not item.is_break:
            assert item.involves_children, item.title
            assert item.question_mode == "premoderated", item.title


@pytest.mark.parametrize(
    "day, title",
    [(0, "Duty Bearers Response to Children Voices"), (1, "Online Safety Protocols")],
)
def test_duty_bearers_sessions_address_isps_and_split_results(event, day, title):
    item = item_named(event, title, day)
    assert item.questions_to == DUTY_BEARERS
    assert item.split_by_group is True
    others = [i for i in event.agenda_items() if i.split_by_group and i.id != item.id]
    assert {i.title for i in others} <= {
        "Duty Bearers Response to Children Voices",
        "Online Safety Protocols",
    }


def test_seed_creates_the_live_state(event):
    state = db.session.get(LiveState, event.id)
    assert state is not None
    assert state.revision == 0
    assert state.current_item_id is None
    assert state.screen_mode == "join"


def test_find_event_normalises_the_code(event):
    spaced = f" {event.code[:3]} {event.code[3:]} "
    assert agenda.find_event(spaced).id == event.id
    assert agenda.find_event(event.code + "9") is None
    with pytest.raises(RoundtableError) as info:
        agenda.get_event("000000")
    assert info.value.code == "unknown_event"
    assert info.value.status == 404


# --- facilitators' edits -----------------------------------------------------------------------


def snapshot_event(event: Event) -> tuple:
    db.session.expire_all()
    return (event.title, event.hosts, event.objective, event.outcomes, event.helpline)


def test_update_event(event):
    agenda.update_event(
        event,
        {"title": "  New   title ", "hosts": "", "outcomes": "One\n\n  Two  \n", "helpline": "Call 116"},
    )
    db.session.commit()
    assert snapshot_event(event) == ("New title", "", event.objective, "One\nTwo", "Call 116")


@pytest.mark.parametrize(
    "data, code",
    [
        ({"hosts": "Changed hosts", "title": ""}, "empty_text"),
        ({"hosts": "Changed hosts", "title": "   "}, "empty_text"),
        ({"hosts": "Changed hosts", "title": "t" * 301}, "too_long"),
        ({"hosts": "Changed hosts", "objective": 5}, "bad_payload"),
        ({"hosts": "Changed hosts", "helpline": "h" * 1001}, "too_long"),
        (["title"], "bad_payload"),
        (None, "bad_payload"),
    ],
)
def test_update_event_refuses_and_changes_nothing(event, data, code):
    before = snapshot_event(event)
    with pytest.raises(RoundtableError) as info:
        agenda.update_event(event, data)
    assert info.value.code == code
    # Nothing changed, even if the caller commits after the error.
    db.session.commit()
    assert snapshot_event(event) == before


def test_update_day_sets_and_clears_the_date(event):
    day = event.days[0]
    agenda.update_day(event, {"day_id": day.id, "title": "Day one", "date": "2025-03-04"})
    db.session.commit()
    db.session.expire_all()
    assert (day.title, day.date) == ("Day one", dt.date(2025, 3, 4))
    agenda.update_day(event, {"day_id": day.id, "date": ""})
    db.session.commit()
    db.session.expire_all()
    assert (day.title, day.date) == ("Day one", None)


@pytest.mark.parametrize(
    "data, code",
    [
        ({"title": "Renamed", "date": "2025-13-01"}, "bad_date"),
        ({"title": "Renamed", "date": "04/03/2025"}, "bad_date"),
        ({"title": "Renamed", "date": "tomorrow"}, "bad_date"),
        ({"title": "", "date": "2025-03-04"}, "empty_text"),
        ({"title": "d" * 121, "date": "2025-03-04"}, "too_long"),
        ({"title": 7, "date": "2025-03-04"}, "bad_payload"),
    ],
)
def test_update_day_refuses_and_changes_nothing(event, data, code):
    day = event.days[0]
    with pytest.raises(RoundtableError) as info:
        agenda.update_day(event, {"day_id": day.id, **data})
    assert info.value.code == code
    db.session.commit()
    db.session.expire_all()
    assert (day.title, day.date) == ("Day 1", None)


def test_update_day_of_another_event_or_unknown_is_refused(event, make_event):
    other = make_event()
    for day_id in (other.days[0].id, 10_000_000, "1", None):
        with pytest.raises(RoundtableError) as info:
            agenda.update_day(event, {"day_id": day_id, "title": "Hijacked"})
        assert info.value.code == "unknown_day"
    db.session.expire_all()
    assert other.days[0].title == "Day 1"


def snapshot_item(item: AgendaItem) -> tuple:
    db.session.expire_all()
    return (
        item.title,
        item.starts_at,
        item.ends_at,
        item.facilitator,
        item.points,
        item.question_mode,
        item.questions_to,
        item.involves_children,
        item.children_led,
        item.split_by_group,
        item.is_break,
    )


def test_update_item(event):
    item = item_named(event, "Way forward")
    agenda.update_item(
        event,
        {
            "item_id": item.id,
            "title": "Way forward and close",
            "starts_at": "15:45",
            "ends_at": "16:30",
            "facilitator": "DCS and CSOs",
            "points": "Next steps\n\n Commitments ",
            "question_mode": "open",
            "split_by_group": True,
        },
    )
    db.session.commit()
    snapshot = snapshot_item(item)
    assert snapshot[:6] == (
        "Way forward and close",
        "15:45",
        "16:30",
        "DCS and CSOs",
        "Next steps\nCommitments",
        "open",
    )
    assert item.split_by_group is True
    assert item.point_list == ["Next steps", "Commitments"]


@pytest.mark.parametrize(
    "data, code",
    [
        ({"starts_at": "9:30"}, "bad_time"),
        ({"starts_at": "24:00"}, "bad_time"),
        ({"ends_at": "16:60"}, "bad_time"),
        ({"ends_at": 1600}, "bad_time"),
        ({"ends_at": ""}, "bad_time"),
        ({"starts_at": "16:30"}, "bad_time"),  # after the end (16:00)
        ({"starts_at": "16:00"}, "bad_time"),  # ends when it starts
        ({"starts_at": "15:00", "ends_at": "14:00"}, "bad_time"),
        ({"title": ""}, "empty_text"),
        ({"title": "t" * 301}, "too_long"),
        ({"facilitator": "f" * 201}, "too_long"),
        ({"points": "p" * 4001}, "too_long"),
        ({"questions_to": None}, "bad_payload"),
        ({"question_mode": "anything"}, "bad_payload"),
        ({"children_led": "yes"}, "bad_payload"),
        ({"split_by_group": 1}, "bad_payload"),
    ],
)
def test_update_item_refuses_and_changes_nothing(event, data, code):
    item = item_named(event, "Way forward")
    before = snapshot_item(item)
    # A valid change in the same payload must not slip through either.
    payload = {"item_id": item.id, "title": "Half-saved title", "facilitator": "Someone else", **data}
    with pytest.raises(RoundtableError) as info:
        agenda.update_item(event, payload)
    assert info.value.code == code
    db.session.commit()
    assert snapshot_item(item) == before


def test_update_item_of_another_event_is_refused(event, make_event):
    other = make_event()
    foreign = other.agenda_items()[1]
    for item_id in (foreign.id, 10_000_000):
        with pytest.raises(RoundtableError) as info:
            agenda.update_item(event, {"item_id": item_id, "title": "Hijacked"})
        assert info.value.code == "unknown_item"
    with pytest.raises(RoundtableError) as info:
        agenda.update_item(event, {"item_id": str(foreign.id)})
    assert info.value.code == "bad_payload"
    db.session.expire_all()
    assert foreign.title != "Hijacked"


def test_update_payload_must_be_an_object(event):
    for fn in (agenda.update_day, agenda.update_item):
        with pytest.raises(RoundtableError) as info:
            fn(event, "not an object")
        assert info.value.code == "bad_payload"

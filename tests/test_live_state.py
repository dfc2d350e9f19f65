"""An event's live state (roundtable/live/state.py) and the three views built from it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.live import state as live
from roundtable.models import Event
from roundtable.polls import service as polls

STAFF_ONLY_KEYS = {"screen_key", "response_counts", "correct", "is_correct", "live", "groups", "me"}


@pytest.fixture
def event(ctx, make_bare_event) -> Event:
    return make_bare_event()


@pytest.fixture
def opening(event):
    return event.agenda_items()[0]


@pytest.fixture
def make_poll(event, opening):
    def factory(question: str, status: str = "open", revealed: bool = False, item=None, correct=False):
        poll = polls.save_poll(
            event.id,
            {
                "item_id": (item or opening).id,
                "kind": "single",
                "question": question,
                "options": [{"label": "Yes", "correct": correct}, {"label": "No"}],
            },
        )
        if status != "draft":
            polls.open_poll(poll)
        if status == "closed":
            polls.close_poll(poll)
        polls.reveal_results(poll, revealed)
        db.session.commit()
        return poll

    return factory


def revision(event: Event) -> int:
    db.session.expire_all()
    return live.get_state(event).revision


def keys_in(value: Any) -> set[str]:
    """Every dictionary key anywhere in a (JSON-like) value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


# --- revision and state changes -------------------------------------------------------------------


def test_revision_only_grows(event, opening, make_poll):
    poll = make_poll("Shown?")
    seen = [revision(event)]
    steps = [
        lambda: live.bump(event),
        lambda: live.set_current_item(event, opening.id),
        lambda: live.set_screen(event, "results", poll.id),
        lambda: live.set_screen(event, "agenda"),
        lambda: live.set_current_item(event, None),
    ]
    for step in steps:
        step()
        db.session.commit()
        seen.append(revision(event))
    assert all(b == a + 1 for a, b in zip(seen, seen[1:], strict=False)), seen


def test_a_refused_change_does_not_move_the_revision(event, make_bare_event):
    other = make_bare_event()
    before = revision(event)
    with pytest.raises(RoundtableError):
        live.set_current_item(event, other.agenda_items()[0].id)
    with pytest.raises(RoundtableError):
        live.set_screen(event, "fireworks")
    db.session.rollback()
    assert revision(event) == before


def test_set_current_item(event, opening, make_bare_event):
    live.set_current_item(event, opening.id)
    db.session.commit()
    assert live.get_state(event).current_item_id == opening.id

    other = make_bare_event()
    for item_id, code in (
        (other.agenda_items()[0].id, "unknown_item"),
        (10_000_000, "unknown_item"),
        ("1", "bad_payload"),
    ):
        with pytest.raises(RoundtableError) as info:
            live.set_current_item(event, item_id)
        assert info.value.code == code
        db.session.rollback()
        db.session.expire_all()
        assert live.get_state(event).current_item_id == opening.id

    live.set_current_item(event, None)
    db.session.commit()
    assert live.get_state(event).current_item_id is None


def test_set_screen(event, make_poll, make_bare_event):
    poll = make_poll("On screen?")
    live.set_screen(event, "results", poll.id)
    db.session.commit()
    state = live.get_state(event)
    assert (state.screen_mode, state.screen_poll_id) == ("results", poll.id)

    live.set_screen(event, "agenda", poll.id)
    db.session.commit()
    state = live.get_state(event)
    assert (state.screen_mode, state.screen_poll_id) == ("agenda", None)

    other = make_bare_event()
    foreign = polls.save_poll(
        other.id,
        {"item_id": other.agenda_items()[0].id, "kind": "single", "question": "Q?", "options": ["a", "b"]},
    )
    db.session.commit()
    for mode, poll_id, code in (
        ("fireworks", None, "bad_payload"),
        (None, None, "bad_payload"),
        ("results", None, "bad_payload"),
        ("results", foreign.id, "unknown_poll"),
        ("results", 10_000_000, "unknown_poll"),
    ):
        with pytest.raises(RoundtableError) as info:
            live.set_screen(event, mode, poll_id)
        assert info.value.code == code, (mode, poll_id)
        db.session.rollback()
        db.session.expire_all()
        state = live.get_state(event)
        assert (state.screen_mode, state.screen_poll_id) == ("agenda", None)


# --- what each audience sees ---------------------------------------------------------------------


def test_participant_view_shows_only_open_and_revealed_polls(event, opening, make_poll, make_participant):
    draft = make_poll("Draft question nobody may see yet?", status="draft")
    open_hidden = make_poll("Open, results hidden?", status="open")
    open_revealed = make_poll("Open, results revealed?", status="open", revealed=True)
    closed_hidden = make_poll("Closed, results hidden?", status="closed")
    closed_revealed = make_poll("Closed, results revealed?", status="closed", revealed=True)
    participant = make_participant(event)
    for poll in (open_hidden, open_revealed):
        polls.cast_response(poll, participant, {"option": poll.options[0].id}, f"cid-{poll.id:06d}")
    db.session.commit()

    assert live.participant_view(event)["polls"] == []  # nothing is live yet

    live.set_current_item(event, opening.id)
    db.session.commit()
    view = live.participant_view(event)
    assert [p["id"] for p in view["polls"]] == [open_hidden.id, open_revealed.id, closed_revealed.id]
    assert set(view["tallies"]) == {str(open_revealed.id), str(closed_revealed.id)}
    assert view["tallies"][str(open_revealed.id)]["total"] == 1
    dumped = json.dumps(view)
    assert draft.question not in dumped
    assert closed_hidden.question not in dumped
    assert view["item"]["id"] == opening.id
    assert view["next"]["title"] == "Break"


def test_participant_view_never_carries_staff_details(event, opening, make_poll):
    make_poll("Which is right?", status="open", revealed=True, correct=True)
    live.set_current_item(event, opening.id)
    live.set_screen(event, "agenda")
    db.session.commit()
    view = live.participant_view(event)
    assert not keys_in(view) & STAFF_ONLY_KEYS
    assert event.screen_key not in json.dumps(view)
    # The staff view does carry them (so the check above can fail).
    staff = live.staff_view(event)
    assert {"response_counts", "correct", "live"} <= keys_in(staff)


def test_screen_view_never_carries_staff_details(event, opening, make_poll):
    poll = make_poll("Which is right?", status="open", correct=True)
    live.set_current_item(event, opening.id)
    live.set_screen(event, "results", poll.id)
    db.session.commit()
    view = live.screen_view(event)
    assert view["mode"] == "results"
    assert view["poll"]["id"] == poll.id
    assert view["tally"]["poll_id"] == poll.id
    assert not keys_in(view) & STAFF_ONLY_KEYS
    assert event.screen_key not in json.dumps(view)


def test_screen_view_modes(event, opening):
    live.set_current_item(event, opening.id)
    live.set_screen(event, "agenda")
    db.session.commit()
    view = live.screen_view(event)
    assert view["mode"] == "agenda"
    assert [i["title"] for i in view["agenda"][0]["items"]] == ["Opening", "Break", "Closing"]
    assert view["poll"] is None and view["tally"] is None
    live.set_screen(event, "blank")
    db.session.commit()
    assert live.screen_view(event)["agenda"] is None


def test_screen_view_falls_back_to_join_when_the_poll_is_gone(event, make_poll):
    poll = make_poll("Soon deleted?")
    live.set_screen(event, "results", poll.id)
    db.session.commit()
    polls.delete_poll(poll)
    live.bump(event)
    db.session.commit()
    db.session.expire_all()
    view = live.screen_view(event)
    assert view["mode"] == "join"
    assert view["poll"] is None
    assert view["tally"] is None


def test_views_carry_the_same_revision(event):
    live.bump(event)
    db.session.commit()
    rev = revision(event)
    assert live.participant_view(event)["revision"] == rev
    assert live.screen_view(event)["revision"] == rev
    assert live.staff_view(event)["revision"] == rev


def test_staff_view_counts_responses(event, opening, make_poll, make_participant):
    poll = make_poll("Counted?")
    for n in range(3):
        polls.cast_response(
            poll, make_participant(event), {"option": poll.options[n % 2].id}, f"count-{n:05d}"
        )
    db.session.commit()
    view = live.staff_view(event)
    assert view["response_counts"] == {str(poll.id): 3}
    staff_polls = [p for day in view["agenda"] for i in day["items"] for p in i.get("polls", [])]
    assert [o["correct"] for o in staff_polls[0]["options"]] == [False, False]


def test_next_item_is_none_at_the_end(event):
    items = event.agenda_items()
    assert live.next_item(event, items[-1]) is None
    assert live.next_item(event, items[0]).id == items[1].id
    assert live.next_item(event, None) is None


@pytest.mark.parametrize(
    ("mode", "revealed", "shown"),
    [
        ("live", False, True),
        ("after_vote", False, True),
        ("on_reveal", False, False),
        ("on_reveal", True, True),
        ("never", False, False),
        ("never", True, False),
    ],
)
def test_the_projector_draws_results_only_when_phones_may_see_them(
    event, opening, make_poll, make_participant, mode, revealed, shown
):
    poll = make_poll("Which is right?", status="open", correct=True)
    poll.results_mode = mode
    for n in range(3):
        polls.cast_response(poll, make_participant(event), {"option": poll.options[0].id}, f"screen-{n}")
    polls.reveal_results(poll, revealed)
    live.set_current_item(event, opening.id)
    live.set_screen(event, "results", poll.id)
    db.session.commit()
    view = live.screen_view(event)
    tally = view["tally"]
    assert tally["poll_id"] == poll.id and tally["total"] == 3
    if shown:
        assert "counts" in tally and not tally.get("hidden")
    else:
        # How many answered, and nothing else: no split, no correct answer, no leaderboard.
        assert tally["hidden"] is True
        assert set(tally) <= {"poll_id", "seq", "kind", "generation", "total", "respondents", "hidden"}

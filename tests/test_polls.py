"""Poll logic (roundtable/polls): answers, idempotent retries, resets, tallies and staff edits.

Every test here runs on SQLite and on PostgreSQL (``any_ctx``): the tally is a GROUP BY, the
vote path uses a savepoint and an atomic ``seq`` UPDATE, and all of it must agree on both.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import Poll, PollOption, Response, ResponseItem, VoteReceipt
from roundtable.polls import service as polls

_ids = itertools.count(1)


def client_id() -> str:
    return f"client-{next(_ids):06d}"


@pytest.fixture
def event(any_ctx, make_bare_event):
    return make_bare_event()


@pytest.fixture
def item(event):
    """The event's first working session."""
    return next(i for i in event.agenda_items() if not i.is_break)


@pytest.fixture
def make_poll(event, item):
    def factory(kind="single", n=3, *, allow_change=True, max_selections=None, status="open", on=None):
        data = {
            "item_id": (on or item).id,
            "kind": kind,
            "question": f"A {kind} question?",
            "options": [f"Option {i}" for i in range(n)],
            "allow_change": allow_change,
        }
        if max_selections is not None:
            data["settings"] = {"max_selections": max_selections}
        poll = polls.save_poll(event.id, data)
        if status in ("open", "closed"):
            polls.open_poll(poll)
        if status == "closed":
            polls.close_poll(poll)
        db.session.commit()
        return poll

    return factory


def option_ids(poll: Poll) -> list[int]:
    return [o.id for o in poll.options]


def stored(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.poll_id == poll.id))


def seq_of(poll: Poll) -> int:
    return db.session.scalar(select(Poll.seq).where(Poll.id == poll.id))


def vote(poll, participant, answer, cid=None):
    result = polls.cast_response(poll, participant, answer, cid or client_id())
    db.session.commit()
    return result


def refused(code, poll, participant, answer, cid=None):
    """Assert that this answer is refused with ``code`` and that nothing at all was stored."""
    before = (stored(poll), seq_of(poll), db.session.scalar(select(func.count()).select_from(VoteReceipt)))
    with pytest.raises(RoundtableError) as info:
        polls.cast_response(poll, participant, answer, cid or client_id())
    db.session.rollback()
    assert info.value.code == code, (answer, info.value.code)
    after = (stored(poll), seq_of(poll), db.session.scalar(select(func.count()).select_from(VoteReceipt)))
    assert after == before


# --- validation of answers -----------------------------------------------------------------------


def test_single_choice_accepts_one_of_its_options(make_poll, make_participant, event):
    poll = make_poll("single")
    answer, duplicate = vote(poll, make_participant(event), {"option": option_ids(poll)[1]})
    assert answer == {"option": option_ids(poll)[1]}
    assert duplicate is False
    assert polls.tally(poll)["counts"][str(option_ids(poll)[1])] == 1


SINGLE_REFUSALS = [
    (lambda ids, other: {"option": 10_000_000}, "unknown_option"),
    (lambda ids, other: {"option": other[0]}, "unknown_option"),
    (lambda ids, other: {"option": str(ids[0])}, "bad_payload"),
    (lambda ids, other: {"option": True}, "bad_payload"),
    (lambda ids, other: {"option": float(ids[0])}, "bad_payload"),
    (lambda ids, other: {"option": None}, "bad_payload"),
    (lambda ids, other: {"option": [ids[0]]}, "bad_payload"),
    (lambda ids, other: {"options": [ids[0]]}, "bad_payload"),
    (lambda ids, other: {"option": ids[0], "extra": 1}, "bad_payload"),
    (lambda ids, other: {}, "bad_payload"),
    (lambda ids, other: ids[0], "bad_payload"),
    (lambda ids, other: [ids[0]], "bad_payload"),
    (lambda ids, other: None, "bad_payload"),
    (lambda ids, other: "1", "bad_payload"),
]


def test_single_choice_refuses_bad_answers(make_poll, make_participant, event):
    poll, other = make_poll("single"), make_poll("single")
    participant = make_participant(event)
    for make_answer, code in SINGLE_REFUSALS:
        refused(code, poll, participant, make_answer(option_ids(poll), option_ids(other)))
    assert polls.tally(poll)["total"] == 0


def test_multiple_choice_normalises_order(make_poll, make_participant, event):
    poll = make_poll("multiple", 4, max_selections=3)
    ids = option_ids(poll)
    answer, _ = vote(poll, make_participant(event), {"options": [ids[3], ids[0]]})
    assert answer == {"options": sorted([ids[0], ids[3]])}
    counts = polls.tally(poll)["counts"]
    assert counts == {str(ids[0]): 1, str(ids[1]): 0, str(ids[2]): 0, str(ids[3]): 1}


MULTIPLE_REFUSALS = [
    (lambda ids, other: {"options": ids[:3]}, "too_many_options"),
    (lambda ids, other: {"options": [ids[0], ids[0]]}, "duplicate_option"),
    (lambda ids, other: {"options": []}, "empty_answer"),
    (lambda ids, other: {"options": [ids[0], other[0]]}, "unknown_option"),
    (lambda ids, other: {"options": [10_000_000]}, "unknown_option"),
    (lambda ids, other: {"options": ids[0]}, "bad_payload"),
    (lambda ids, other: {"options": [str(ids[0])]}, "bad_payload"),
    (lambda ids, other: {"options": [True]}, "bad_payload"),
    (lambda ids, other: {"options": [float(ids[0])]}, "bad_payload"),
    (lambda ids, other: {"options": {"a": ids[0]}}, "bad_payload"),
    (lambda ids, other: {"option": ids[0]}, "bad_payload"),
    (lambda ids, other: {"options": [ids[0]], "extra": True}, "bad_payload"),
    (lambda ids, other: [ids[0]], "bad_payload"),
    (lambda ids, other: None, "bad_payload"),
]


def test_multiple_choice_refuses_bad_answers(make_poll, make_participant, event):
    poll, other = make_poll("multiple", 4, max_selections=2), make_poll("multiple", 4)
    participant = make_participant(event)
    for make_answer, code in MULTIPLE_REFUSALS:
        refused(code, poll, participant, make_answer(option_ids(poll), option_ids(other)))
    assert polls.tally(poll)["total"] == 0


def test_a_vote_needs_a_well_formed_client_id(make_poll, make_participant, event):
    poll = make_poll()
    participant = make_participant(event)
    for cid in (
        None,
        12345678,
        "short",
        "has space in it",
        "x" * 65,
        "emoji-\U0001f642-12345",
        "",
        ["abcdefgh"],
    ):
        with pytest.raises(RoundtableError) as info:
            polls.cast_response(poll, participant, {"option": option_ids(poll)[0]}, cid)
        db.session.rollback()
        assert info.value.code == "bad_payload", cid
    assert stored(poll) == 0
    # The edges of the allowed form are accepted.
    assert vote(poll, participant, {"option": option_ids(poll)[0]}, "a" * 8)[1] is False
    assert vote(poll, participant, {"option": option_ids(poll)[1]}, "Z_-9" * 16)[1] is False


# --- storing answers ---------------------------------------------------------------------------


def test_one_response_per_participant_and_a_changed_vote_replaces_it(make_poll, make_participant, event):
    poll = make_poll()
    a, b, c = option_ids(poll)
    alice, bob = make_participant(event), make_participant(event)
    vote(poll, alice, {"option": a})
    vote(poll, bob, {"option": a})
    assert polls.tally(poll)["counts"] == {str(a): 2, str(b): 0, str(c): 0}

    vote(poll, alice, {"option": c})
    result = polls.tally(poll)
    assert result["counts"] == {str(a): 1, str(b): 0, str(c): 1}
    assert result["total"] == 2
    assert stored(poll) == 2
    assert (
        db.session.scalar(
            select(func.count()).select_from(ResponseItem).where(ResponseItem.poll_id == poll.id)
        )
        == 2
    )
    answer = db.session.scalar(select(Response.answer).where(Response.participant_id == alice.id))
    assert answer == {"option": c}


def test_a_changed_multiple_answer_replaces_every_item(make_poll, make_participant, event):
    poll = make_poll("multiple", 4)
    a, b, c, d = option_ids(poll)
    alice = make_participant(event)
    vote(poll, alice, {"options": [a, b, c]})
    vote(poll, alice, {"options": [d]})
    result = polls.tally(poll)
    assert result["counts"] == {str(a): 0, str(b): 0, str(c): 0, str(d): 1}
    assert result["total"] == 1


def test_total_counts_people_not_choices(make_poll, make_participant, event):
    poll = make_poll("multiple", 3)
    vote(poll, make_participant(event), {"options": option_ids(poll)})
    vote(poll, make_participant(event), {"options": option_ids(poll)[:1]})
    result = polls.tally(poll)
    assert result["total"] == 2
    assert sum(result["counts"].values()) == 4


def test_group_of_the_participant_is_kept_with_the_answer(make_poll, make_participant, event):
    poll = make_poll()
    vote(poll, make_participant(event, group="children"), {"option": option_ids(poll)[0]})
    assert db.session.scalar(select(Response.group_key).where(Response.poll_id == poll.id)) == "children"


def test_no_change_allowed_means_already_answered(make_poll, make_participant, event):
    poll = make_poll(allow_change=False)
    a, b, _ = option_ids(poll)
    alice = make_participant(event)
    vote(poll, alice, {"option": a})
    refused("already_answered", poll, alice, {"option": b})
    assert polls.tally(poll)["counts"][str(a)] == 1
    assert polls.tally(poll)["counts"][str(b)] == 0


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_poll_that_is_not_open_stores_nothing(make_poll, make_participant, event, status):
    poll = make_poll(status=status)
    refused("poll_closed", poll, make_participant(event), {"option": option_ids(poll)[0]})
    assert polls.tally(poll)["total"] == 0


def test_closing_keeps_answers_and_reopening_accepts_more(make_poll, make_participant, event):
    poll = make_poll()
    alice, bob = make_participant(event), make_participant(event)
    vote(poll, alice, {"option": option_ids(poll)[0]})
    polls.close_poll(poll)
    db.session.commit()
    refused("poll_closed", poll, bob, {"option": option_ids(poll)[0]})
    polls.open_poll(poll)
    db.session.commit()
    vote(poll, bob, {"option": option_ids(poll)[0]})
    assert polls.tally(poll)["total"] == 2


def test_closing_a_poll_that_is_not_open_is_refused(make_poll):
    poll = make_poll(status="draft")
    with pytest.raises(RoundtableError) as info:
        polls.close_poll(poll)
    assert info.value.code == "poll_not_open"
    assert poll.status == "draft"


def test_same_client_id_twice_is_a_duplicate(make_poll, make_participant, event):
    poll = make_poll()
    a, b, _ = option_ids(poll)
    alice = make_participant(event)
    cid = client_id()
    assert vote(poll, alice, {"option": a}, cid) == ({"option": a}, False)
    seq = seq_of(poll)
    # A retry (even with a different payload, as a confused client might send) changes nothing.
    assert vote(poll, alice, {"option": b}, cid) == ({"option": a}, True)
    assert seq_of(poll) == seq
    assert polls.tally(poll)["counts"] == {str(a): 1, str(b): 0, str(option_ids(poll)[2]): 0}
    assert stored(poll) == 1


def test_a_client_id_is_per_participant(make_poll, make_participant, event):
    poll = make_poll()
    cid = client_id()
    vote(poll, make_participant(event), {"option": option_ids(poll)[0]}, cid)
    assert vote(poll, make_participant(event), {"option": option_ids(poll)[0]}, cid)[1] is False
    assert polls.tally(poll)["total"] == 2


def test_a_client_id_reused_for_another_poll_is_refused(make_poll, make_participant, event):
    first, second = make_poll(), make_poll()
    alice = make_participant(event)
    cid = client_id()
    vote(first, alice, {"option": option_ids(first)[0]}, cid)
    refused("client_id_reused", second, alice, {"option": option_ids(second)[0]}, cid)
    assert polls.tally(second)["total"] == 0


def test_reset_forgets_answers_and_a_retried_old_vote_stays_forgotten(make_poll, make_participant, event):
    poll = make_poll()
    a, b, c = option_ids(poll)
    alice, bob = make_participant(event), make_participant(event)
    old = client_id()
    vote(poll, alice, {"option": a}, old)
    vote(poll, bob, {"option": b})
    seq, generation = seq_of(poll), poll.generation

    polls.reset_poll(poll)
    db.session.commit()
    assert stored(poll) == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(ResponseItem).where(ResponseItem.poll_id == poll.id)
        )
        == 0
    )
    assert poll.generation == generation + 1
    assert seq_of(poll) > seq
    assert polls.tally(poll)["total"] == 0
    assert polls.tally(poll)["generation"] == generation + 1

    # The phone retries the vote it sent before the reset: it must not come back.
    answer, duplicate = vote(poll, alice, {"option": a}, old)
    assert duplicate is True
    assert answer is None
    assert polls.tally(poll)["counts"] == {str(a): 0, str(b): 0, str(c): 0}

    # A new answer after the reset counts.
    vote(poll, alice, {"option": c})
    assert polls.tally(poll)["counts"] == {str(a): 0, str(b): 0, str(c): 1}


def test_answers_of_returns_only_this_participants_answers(make_poll, make_participant, event):
    first, second = make_poll(), make_poll()
    alice, bob = make_participant(event), make_participant(event)
    vote(first, alice, {"option": option_ids(first)[0]})
    vote(second, bob, {"option": option_ids(second)[1]})
    assert polls.answers_of(alice, [first.id, second.id]) == {first.id: {"option": option_ids(first)[0]}}
    assert polls.answers_of(alice, []) == {}


def test_get_poll_of_another_event_does_not_exist(make_poll, make_bare_event, event):
    other_event = make_bare_event()
    poll = make_poll()
    with pytest.raises(RoundtableError) as info:
        polls.get_poll(other_event.id, poll.id)
    assert info.value.code == "unknown_poll"
    for bad in ("1", True, None, 1.5):
        with pytest.raises(RoundtableError) as info:
            polls.get_poll(event.id, bad)
        assert info.value.code == "bad_payload"


# --- the tally is always what the stored answers say ---------------------------------------------

# One step: a participant (0-3) answers with a set of option positions (0-3), or a reset.
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("vote"), st.integers(0, 3), st.sets(st.integers(0, 3), min_size=1, max_size=3)),
        st.tuples(st.just("retry"), st.integers(0, 3), st.sets(st.integers(0, 3), min_size=1, max_size=3)),
        st.just(("reset",)),
    ),
    min_size=1,
    max_size=10,
)


def recount(poll: Poll) -> tuple[int, dict[str, int]]:
    """The tally recomputed in Python from the stored answers (the model, not the query)."""
    counts = Counter({str(o.id): 0 for o in poll.options})
    answers = db.session.scalars(select(Response.answer).where(Response.poll_id == poll.id)).all()
    for answer in answers:
        for option in answer.get("options", [answer.get("option")]):
            counts[str(option)] += 1
    return len(answers), dict(counts)


@pytest.mark.parametrize("kind", ["single", "multiple"])
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_tally_matches_the_stored_answers(make_poll, make_participant, event, kind, steps):
    poll = make_poll(kind, 4, max_selections=3 if kind == "multiple" else None)
    ids = option_ids(poll)
    people = [make_participant(event) for _ in range(4)]
    last_cid: dict[int, str] = {}
    seqs = [seq_of(poll)]
    for step in steps:
        if step[0] == "reset":
            polls.reset_poll(poll)
            db.session.commit()
            seqs.append(seq_of(poll))
            assert seqs[-1] > seqs[-2]
            continue
        action, who, chosen = step
        answer = {"option": ids[min(chosen)]} if kind == "single" else {"options": [ids[i] for i in chosen]}
        cid = last_cid.get(who) if action == "retry" and who in last_cid else client_id()
        _, duplicate = vote(poll, people[who], answer, cid)
        last_cid[who] = cid
        seqs.append(seq_of(poll))
        # A new answer moves seq on; a retry never does.
        assert (seqs[-1] == seqs[-2]) if duplicate else (seqs[-1] > seqs[-2])
        total, counts = recount(poll)
        result = polls.tally(poll)
        assert (result["total"], result["counts"]) == (total, counts)
        assert result["seq"] == seqs[-1]
    assert seqs == sorted(seqs)
    assert stored(poll) <= len(people)
    total, counts = recount(poll)
    result = polls.tally(poll)
    assert (result["total"], result["counts"]) == (total, counts)


# --- staff edits ----------------------------------------------------------------------------------


def poll_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Poll))


def test_save_poll_creates_a_draft_at_the_end_of_its_session(event, item):
    before = len(item.polls)
    poll = polls.save_poll(
        event.id,
        {
            "item_id": item.id,
            "kind": "multiple",
            "question": "  Which   ones?  ",
            "options": [{"label": " One "}, "Two", {"label": "Three", "correct": True}],
            "settings": {"max_selections": "2"},
        },
    )
    db.session.commit()
    assert poll.status == "draft"
    assert poll.position == before
    assert poll.question == "Which ones?"
    assert [(o.label, o.is_correct, o.position) for o in poll.options] == [
        ("One", False, 0),
        ("Two", False, 1),
        ("Three", True, 2),
    ]
    assert poll.settings == {"max_selections": 2}
    assert poll.allow_change is True


SAVE_REFUSALS = [
    ({"options": ["Only one"]}, "bad_options"),
    ({"options": []}, "bad_options"),
    ({"options": [f"Option {i}" for i in range(13)]}, "bad_options"),
    ({"options": ["Yes", " yes "]}, "duplicate_option"),
    ({"options": ["Yes", "YES"]}, "duplicate_option"),
    ({"options": ["Yes", ""]}, "empty_text"),
    ({"options": ["Yes", "x" * 201]}, "too_long"),
    ({"options": ["Yes", 5]}, "bad_payload"),
    ({"options": "Yes, No"}, "bad_payload"),
    ({"options": ["Yes", {"label": "No", "id": "7"}]}, "bad_payload"),
    ({"question": ""}, "empty_text"),
    ({"question": "   \n  "}, "empty_text"),
    ({"question": None}, "bad_payload"),
    ({"question": "q" * 301}, "too_long"),
    ({"kind": "no-such-kind"}, "unknown_kind"),
    ({"kind": None}, "unknown_kind"),
    ({"item_id": 10_000_000}, "unknown_item"),
    ({"item_id": "1"}, "bad_payload"),
    ({"allow_change": "yes"}, "bad_payload"),
    ({"settings": ["max"]}, "bad_payload"),
    ({"kind": "multiple", "settings": {"max_selections": 0}}, "bad_settings"),
    ({"kind": "multiple", "settings": {"max_selections": 3}}, "bad_settings"),
    ({"kind": "multiple", "settings": {"max_selections": "two"}}, "bad_settings"),
]


def test_save_poll_refuses_and_creates_nothing(event, item):
    before = poll_count()
    for change, code in SAVE_REFUSALS:
        data = {"item_id": item.id, "kind": "single", "question": "Yes or no?", "options": ["Yes", "No"]}
        data.update(change)
        with pytest.raises(RoundtableError) as info:
            polls.save_poll(event.id, data)
        db.session.rollback()
        assert info.value.code == code, change
        assert poll_count() == before


def test_save_poll_accepts_two_and_twelve_options(event, item):
    for n in (2, 12):
        poll = polls.save_poll(
            event.id,
            {"item_id": item.id, "kind": "single", "question": "Q?", "options": [str(i) for i in range(n)]},
        )
        assert len(poll.options) == n


def test_save_poll_refuses_an_item_of_another_event(event, make_bare_event):
    other = make_bare_event()
    other_item = next(i for i in other.agenda_items() if not i.is_break)
    with pytest.raises(RoundtableError) as info:
        polls.save_poll(
            event.id, {"item_id": other_item.id, "kind": "single", "question": "Q?", "options": ["a", "b"]}
        )
    assert info.value.code == "unknown_item"


def edit(poll: Poll, **changes):
    data = {
        "poll_id": poll.id,
        "question": poll.question,
        "options": [{"id": o.id, "label": o.label} for o in poll.options],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "structural",
    [
        lambda poll: {"kind": "multiple"},
        lambda poll: {"options": [{"id": o.id, "label": o.label} for o in poll.options] + [{"label": "New"}]},
        lambda poll: {"options": [{"id": o.id, "label": o.label} for o in poll.options[:2]]},
        lambda poll: {"options": [{"label": o.label} for o in poll.options]},
    ],
)
def test_structural_change_after_answers_is_refused(make_poll, make_participant, event, structural):
    poll = make_poll("single", 3)
    vote(poll, make_participant(event), {"option": option_ids(poll)[0]})
    before = [(o.id, o.label) for o in poll.options], poll.kind
    with pytest.raises(RoundtableError) as info:
        polls.save_poll(event.id, edit(poll, **structural(poll)))
    db.session.rollback()
    assert info.value.code == "poll_has_answers"
    db.session.expire_all()
    assert ([(o.id, o.label) for o in poll.options], poll.kind) == before
    assert polls.tally(poll)["total"] == 1


def test_structural_change_is_allowed_after_a_reset(make_poll, make_participant, event):
    poll = make_poll("single", 3)
    vote(poll, make_participant(event), {"option": option_ids(poll)[0]})
    polls.reset_poll(poll)
    db.session.commit()
    polls.save_poll(event.id, edit(poll, kind="multiple", options=[{"label": "A"}, {"label": "B"}]))
    db.session.commit()
    assert poll.kind == "multiple"
    assert [o.label for o in poll.options] == ["A", "B"]


def test_label_only_edit_is_allowed_with_answers(make_poll, make_participant, event):
    poll = make_poll("single", 3)
    ids = option_ids(poll)
    vote(poll, make_participant(event), {"option": ids[1]})
    polls.save_poll(
        event.id,
        edit(
            poll,
            question="Reworded?",
            options=[
                {"id": ids[0], "label": "First"},
                {"id": ids[1], "label": "Second"},
                {"id": ids[2], "label": "Third"},
            ],
        ),
    )
    db.session.commit()
    db.session.expire_all()
    assert poll.question == "Reworded?"
    assert [(o.id, o.label) for o in poll.options] == list(
        zip(ids, ["First", "Second", "Third"], strict=True)
    )
    assert polls.tally(poll)["counts"][str(ids[1])] == 1


def test_edit_refuses_an_option_of_another_poll(make_poll, event):
    poll, other = make_poll(status="draft"), make_poll(status="draft")
    options = [{"id": option_ids(poll)[0], "label": "A"}, {"id": option_ids(other)[0], "label": "B"}]
    with pytest.raises(RoundtableError) as info:
        polls.save_poll(event.id, edit(poll, options=options))
    db.session.rollback()
    assert info.value.code == "unknown_option"
    db.session.expire_all()
    assert db.session.get(PollOption, option_ids(other)[0]).poll_id == other.id


def test_move_poll(make_poll, item):
    existing = len(item.polls)
    first, second, third = make_poll(), make_poll(), make_poll()
    order = lambda: [p.id for p in sorted(item.polls, key=lambda p: p.position)][existing:]  # noqa: E731
    polls.move_poll(third, "up")
    db.session.commit()
    assert order() == [first.id, third.id, second.id]
    polls.move_poll(first, "down")
    db.session.commit()
    assert order() == [third.id, first.id, second.id]
    # At the end of the list, moving further changes nothing.
    polls.move_poll(second, "down")
    db.session.commit()
    assert order() == [third.id, first.id, second.id]
    with pytest.raises(RoundtableError) as info:
        polls.move_poll(second, "sideways")
    assert info.value.code == "bad_payload"
    positions = sorted(p.position for p in item.polls)
    assert positions == list(range(len(item.polls)))


def test_delete_poll_renumbers_and_removes_its_answers(make_poll, make_participant, event, item):
    first, second, third = make_poll(), make_poll(), make_poll()
    vote(second, make_participant(event), {"option": option_ids(second)[0]})
    second_id = second.id
    polls.delete_poll(second)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Poll, second_id) is None
    assert sorted(p.position for p in item.polls) == list(range(len(item.polls)))
    assert [p.id for p in item.polls][-2:] == [first.id, third.id]
    assert (
        db.session.scalar(select(func.count()).select_from(Response).where(Response.poll_id == second_id))
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(ResponseItem).where(ResponseItem.poll_id == second_id)
        )
        == 0
    )


def test_reveal_results_needs_a_boolean(make_poll):
    poll = make_poll()
    with pytest.raises(RoundtableError):
        polls.reveal_results(poll, "yes")
    assert poll.results_revealed is False
    polls.reveal_results(poll, True)
    assert poll.results_revealed is True

"""Rehearsal clearing and data retention: answers go, polls stay; after deleting participants'
data every tally (and the per-group numbers) is the same as before."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from roundtable.extensions import db
from roundtable.models import (
    AggregateItem,
    Participant,
    Poll,
    Question,
    Response,
    ResponseItem,
    VoteReceipt,
)
from roundtable.polls import clearing
from roundtable.polls import service as polls
from roundtable.questions import service as questions


def answer_for(poll: Poll, n: int):
    ids = [o.id for o in poll.options]
    return {
        "single": lambda: {"option": ids[n % len(ids)]},
        "quiz": lambda: {"option": ids[n % len(ids)]},
        "multiple": lambda: {"options": sorted(ids[: 1 + n % int(poll.settings["max_selections"])])},
        "rating": lambda: {"value": 1 + n % int(poll.settings["scale"])},
        "ranking": lambda: {"order": ids[n % len(ids) :] + ids[: n % len(ids)]},
        "points": lambda: {"points": {str(ids[0]): 100 - 10 * (n % 3), str(ids[1]): 10 * (n % 3)}},
        "wordcloud": lambda: {"words": [["safe", "kind", "fast"][n % 3]]},
        "opentext": lambda: {"texts": [f"answer number {n % 4}"]},
    }[poll.kind]()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def strip_ids(tally: dict) -> dict:
    out = dict(tally)
    if "answers" in out:
        out["answers"] = [a["text"] for a in out["answers"]]
    return out


@pytest.fixture
def answered(any_ctx, make_event):
    """The built-in event with one poll of every kind answered by eight participants."""
    from roundtable.agenda.programme_file import load_builtin

    event = load_builtin()
    db.session.commit()
    chosen: dict[str, Poll] = {}
    for item in event.agenda_items():
        for poll in item.polls:
            chosen.setdefault(poll.kind, poll)
    groups = ["children", "government", None, "isp"]
    people = []
    for n in range(8):
        participant = Participant(event_id=event.id, group_key=groups[n % 4])
        db.session.add(participant)
        people.append(participant)
    db.session.flush()
    for poll in chosen.values():
        poll.settings = (
            {**poll.settings, "premoderate": False} if polls.kind_of(poll).free_text else poll.settings
        )
        polls.open_poll(poll)
        for n, participant in enumerate(people):
            polls.cast_response(poll, participant, answer_for(poll, n), f"client-{poll.id}-{n}")
    live = next(i for i in event.agenda_items() if i.question_mode != "closed")
    questions.ask(live, people[0], "What is being done about reporting?", None, "q-client-1")
    db.session.commit()
    return event, list(chosen.values())


def test_deleting_participant_data_keeps_every_tally(answered):
    event, chosen = answered
    before = {p.id: strip_ids(polls.tally(p)) for p in chosen}
    assert all(t["total"] == 8 for t in before.values())
    result = clearing.delete_participant_data(event)
    db.session.commit()
    db.session.expire_all()
    assert result == {"participants": 8, "answers": 8 * len(chosen)}
    assert count(Response) == 0 and count(ResponseItem) == 0 and count(VoteReceipt) == 0
    assert count(AggregateItem) > 0
    # Only the anonymous stand-in that keeps the question is left.
    keepers = db.session.scalars(select(Participant).where(Participant.event_id == event.id)).all()
    assert len(keepers) == 1 and keepers[0].group_key is None
    after = {p.id: strip_ids(polls.tally(db.session.get(Poll, p.id))) for p in chosen}
    for poll in chosen:
        before[poll.id].pop("seq"), after[poll.id].pop("seq")
    assert after == before
    assert count(Question) == 1
    assert event.participant_data_deleted_at is not None
    # A poll with kept results still counts as answered: its options cannot be swapped under them.
    assert polls.has_responses(chosen[0])


def test_clear_answers_of_the_event_keeps_the_polls(answered):
    event, chosen = answered
    poll_count = sum(len(i.polls) for i in event.agenda_items())
    all_polls = count(Poll)
    result = clearing.clear_answers(event, "event", None, questions=True)
    db.session.commit()
    db.session.expire_all()
    assert result == {"polls": poll_count, "answers": 8 * len(chosen), "questions": 1}
    assert count(Poll) == all_polls
    assert count(Response) == 0 and count(Question) == 0
    for poll in chosen:
        poll = db.session.get(Poll, poll.id)
        assert poll.status == "draft" and polls.tally(poll)["total"] == 0


def test_clear_answers_of_one_poll_leaves_the_others_and_the_questions(answered):
    event, chosen = answered
    target, other = chosen[0], chosen[1]
    generation = target.generation
    result = clearing.clear_answers(event, "poll", target.id)
    db.session.commit()
    db.session.expire_all()
    assert result["answers"] == 8 and result["questions"] == 0
    assert polls.tally(db.session.get(Poll, target.id))["total"] == 0
    assert db.session.get(Poll, target.id).generation == generation + 1
    assert polls.tally(db.session.get(Poll, other.id))["total"] == 8
    assert count(Question) == 1


def test_clear_answers_of_a_day_and_of_a_session(answered):
    event, chosen = answered
    day = event.days[1]
    day_polls = {p.id for i in day.items for p in i.polls}
    clearing.clear_answers(event, "day", day.id)
    db.session.commit()
    for poll in chosen:
        expected = 0 if poll.id in day_polls else 8
        assert polls.tally(db.session.get(Poll, poll.id))["total"] == expected
    item = next(i for i in event.days[0].items if i.polls and i.polls[0] in chosen)
    clearing.clear_answers(event, "item", item.id)
    db.session.commit()
    assert polls.tally(db.session.get(Poll, item.polls[0].id))["total"] == 0


@pytest.mark.parametrize(
    "scope, target, code",
    [
        ("week", None, "bad_payload"),
        ("poll", "1", "bad_payload"),
        ("poll", 10**9, "unknown_poll"),
        ("day", 10**9, "unknown_day"),
        ("item", 10**9, "unknown_item"),
    ],
)
def test_clear_answers_refuses_bad_scopes_and_changes_nothing(answered, scope, target, code):
    event, chosen = answered
    from roundtable.errors import RoundtableError

    with pytest.raises(RoundtableError) as info:
        clearing.clear_answers(event, scope, target)
    assert info.value.code == code
    db.session.rollback()
    assert count(Response) == 8 * len(chosen)


def test_clear_answers_of_another_events_poll_is_refused(answered):
    from roundtable.agenda.programme_file import load_builtin
    from roundtable.errors import RoundtableError

    event, chosen = answered
    other = load_builtin()
    db.session.flush()
    with pytest.raises(RoundtableError):
        clearing.clear_answers(other, "poll", chosen[0].id)
    db.session.rollback()
    assert count(Response) == 8 * len(chosen)

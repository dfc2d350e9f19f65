"""Group commit of votes (roundtable/polls/batch.py): a batch decides exactly as one vote at a time.

On SQLite and PostgreSQL (``any_ctx``). The property test replays random sequences of votes,
retries, changes and refusals two ways, one ``cast_response`` per vote and ``cast_many`` in
random batches, and requires the same outcomes, the same stored rows and the same tally.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import Poll, Response, ResponseItem, VoteReceipt
from roundtable.polls import service as polls
from roundtable.polls.batch import VoteOutcome, VoteRequest, cast_many

_ids = itertools.count(1)


def cid() -> str:
    return f"batch-{next(_ids):06d}"


@pytest.fixture
def event(any_ctx, make_bare_event):
    return make_bare_event()


@pytest.fixture
def item(event):
    return next(i for i in event.agenda_items() if not i.is_break)


@pytest.fixture
def make_poll(event, item):
    def factory(kind="single", n=3, *, allow_change=True, status="open", settings=None):
        data = {"item_id": item.id, "kind": kind, "question": f"A {kind} question?",
                "options": [f"Option {i}" for i in range(n)] if n else [], "allow_change": allow_change}
        if settings is not None:
            data["settings"] = settings
        poll = polls.save_poll(event.id, data)
        if status in ("open", "closed"):
            polls.open_poll(poll)
        if status == "closed":
            polls.close_poll(poll)
        db.session.commit()
        return poll

    return factory


def rows(poll: Poll) -> tuple:
    responses = sorted(
        (pid, str(answer)) for pid, answer in db.session.execute(
            select(Response.participant_id, Response.answer).where(Response.poll_id == poll.id))
    )
    items = sorted(
        (str(option), str(number), str(text), status) for option, number, text, status in db.session.execute(
            select(ResponseItem.option_id, ResponseItem.number, ResponseItem.text, ResponseItem.status).where(
                ResponseItem.poll_id == poll.id))
    )
    receipts = db.session.scalar(
        select(func.count()).select_from(VoteReceipt).where(VoteReceipt.poll_id == poll.id)
    )
    seq = db.session.scalar(select(Poll.seq).where(Poll.id == poll.id))
    return responses, items, receipts, seq


def request(event, participant, poll, answer, client_id) -> VoteRequest:
    return VoteRequest(event.id, participant.id, poll.id, answer, client_id)


def batch(requests):
    outcomes = cast_many(requests)
    db.session.commit()
    return outcomes


def test_a_batch_stores_every_vote_and_bumps_seq_once_per_answer(make_poll, make_participant, event):
    poll = make_poll()
    ids = [o.id for o in poll.options]
    people = [make_participant(event) for _ in range(5)]
    before = rows(poll)[3]
    outcomes = batch([request(event, p, poll, {"option": ids[i % 3]}, cid()) for i, p in enumerate(people)])
    assert all(isinstance(o, VoteOutcome) and not o.duplicate for o in outcomes)
    result = polls.tally(poll)
    assert result["total"] == 5
    assert result["counts"] == {str(ids[0]): 2, str(ids[1]): 2, str(ids[2]): 1}
    assert result["seq"] == before + 5


def test_within_one_batch_a_retry_counts_once_and_a_change_replaces(make_poll, make_participant, event):
    poll = make_poll()
    a, b, c = (o.id for o in poll.options)
    one, two = make_participant(event), make_participant(event)
    first = cid()
    outcomes = batch([
        request(event, one, poll, {"option": a}, first),
        request(event, one, poll, {"option": a}, first),  # the retry, in flight with its original
        request(event, two, poll, {"option": b}, cid()),
        request(event, two, poll, {"option": c}, cid()),  # changed answer, same batch
    ])
    assert [o.duplicate for o in outcomes] == [False, True, False, False]
    assert outcomes[1].answer == {"option": a}
    result = polls.tally(poll)
    assert result["total"] == 2 and result["counts"] == {str(a): 1, str(b): 0, str(c): 1}
    items = select(func.count()).select_from(ResponseItem).where(ResponseItem.poll_id == poll.id)
    assert db.session.scalar(items) == 2


def test_a_refused_vote_leaves_the_rest_of_its_batch_stored(
    make_poll, make_participant, make_bare_event, event
):
    poll, closed = make_poll(), make_poll(status="closed")
    once = make_poll(allow_change=False)
    other_event = make_bare_event("Another event")
    elsewhere = polls.save_poll(other_event.id, {
        "item_id": next(i for i in other_event.agenda_items() if not i.is_break).id,
        "kind": "single", "question": "Elsewhere?", "options": ["x", "y"]})
    polls.open_poll(elsewhere)
    db.session.commit()
    a = poll.options[0].id
    person, late = make_participant(event), make_participant(event)
    used = cid()
    batch([
        request(event, person, poll, {"option": a}, used),
        request(event, person, once, {"option": once.options[0].id}, cid()),
    ])
    outcomes = batch([
        request(event, late, poll, {"option": a}, cid()),
        request(event, person, closed, {"option": closed.options[0].id}, cid()),
        VoteRequest(event.id, person.id, elsewhere.id, {"option": elsewhere.options[0].id}, cid()),
        VoteRequest(event.id, person.id, 999_999, {"option": a}, cid()),
        VoteRequest(event.id, person.id, "1", {"option": a}, cid()),
        request(event, person, poll, {"option": a}, "bad id"),
        request(event, person, poll, {"option": 424242}, cid()),
        request(event, person, closed, {"option": a}, used),
        request(event, person, once, {"option": once.options[1].id}, cid()),
        VoteRequest(event.id, "no-such-participant", poll.id, {"option": a}, cid()),
    ])
    codes = [o.code if isinstance(o, RoundtableError) else "ok" for o in outcomes]
    assert codes == ["ok", "poll_closed", "unknown_poll", "unknown_poll", "bad_payload", "bad_payload",
                     "unknown_option", "client_id_reused", "already_answered", "forbidden"]
    assert polls.tally(poll)["total"] == 2
    assert polls.tally(closed)["total"] == 0 and polls.tally(once)["total"] == 1


def test_an_unchanged_word_keeps_the_moderators_decision(make_poll, make_participant, event):
    poll = make_poll("wordcloud", 0, settings={"max_words": 2, "premoderate": False})
    person = make_participant(event)
    batch([request(event, person, poll, {"words": ["safety", "games"]}, cid())])
    item_id = db.session.scalar(
        select(ResponseItem.id).where(ResponseItem.poll_id == poll.id, ResponseItem.text == "games")
    )
    polls.moderate_items(poll, [item_id], "hide")
    db.session.commit()
    batch([request(event, person, poll, {"words": ["games", "privacy"]}, cid())])
    statuses = dict(db.session.execute(
        select(ResponseItem.text, ResponseItem.status).where(ResponseItem.poll_id == poll.id)).all())
    assert statuses == {"games": "hidden", "privacy": "visible"}



def test_a_response_records_the_language_of_its_latest_answer(make_poll, make_participant, event):
    # As cast_response: the participant's language at the time of answering, "en" when unset.
    poll = make_poll()
    a, b = poll.options[0].id, poll.options[1].id
    person = make_participant(event)
    batch([request(event, person, poll, {"option": a}, cid())])
    language = select(Response.language).where(Response.poll_id == poll.id)
    assert db.session.scalar(language) == "en"
    person.language = "sw"
    db.session.commit()
    batch([request(event, person, poll, {"option": b}, cid())])
    assert db.session.scalar(language) == "sw"


@pytest.mark.parametrize("kind, answers", [
    ("wordcloud", [{"words": ["safety", "games"]}, {"words": ["games", "privacy"]}]),
    ("opentext", [{"texts": ["More shade"]}, {"texts": ["More shade"]}]),
])
def test_free_text_items_are_stored_exactly_as_one_vote_at_a_time(
    make_poll, make_participant, event, kind, answers
):
    # Down to the raw column values (a left-out reason is SQL NULL, a carried-over one JSON null).
    stored = []
    for mode in ("single", "batched"):
        poll = make_poll(kind, 0, settings={"premoderate": False})
        person = make_participant(event)
        for n, answer in enumerate(answers):
            if mode == "single":
                polls.cast_response(poll, person, answer, cid())
                db.session.commit()
            else:
                batch([request(event, person, poll, answer, cid())])
            if n == 0:  # a moderator hides the first item
                first = select(func.min(ResponseItem.id)).where(ResponseItem.poll_id == poll.id)
                polls.moderate_items(poll, [db.session.scalar(first)], "hide")
                db.session.commit()
        reasons = func.coalesce(func.cast(ResponseItem.__table__.c.reasons, db.String), "SQL NULL")
        raw = select(ResponseItem.text, ResponseItem.status, reasons).where(ResponseItem.poll_id == poll.id)
        stored.append(sorted(tuple(row) for row in db.session.execute(raw)))
    assert stored[0] == stored[1]

# One step: participant (0-2) answers option (0-2) with a new or the previous client id, on
# poll 0 or 1 (poll 1 allows no change); ``split`` cuts the sequence into batches.
STEPS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 3), st.booleans(), st.integers(0, 1)), min_size=1, max_size=14
)


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS, cuts=st.sets(st.integers(1, 13), max_size=5))
def test_batches_decide_exactly_as_one_vote_at_a_time(make_poll, make_participant, event, steps, cuts):
    results = []
    for mode in ("single", "batched"):
        polls_ = [make_poll(n=3), make_poll(n=3, allow_change=False)]
        people = [make_participant(event) for _ in range(3)]
        last: dict[int, str] = {}
        plan = []
        for n, (who, option, retry, which) in enumerate(steps):
            client_id = last[who] if retry and who in last else f"{mode}-{n:04d}-{next(_ids)}"
            last[who] = client_id
            poll = polls_[which]
            # option 3 does not exist: refused with unknown_option
            answer = {"option": poll.options[option].id if option < 3 else -1}
            plan.append(request(event, people[who], poll, answer, client_id))
        if mode == "single":
            outcomes = []
            for r in plan:
                poll = next(p for p in polls_ if p.id == r.poll_id)
                participant = next(p for p in people if p.id == r.participant_id)
                try:
                    answer, duplicate = polls.cast_response(poll, participant, r.answer, r.client_id)
                    db.session.commit()
                    outcomes.append(("ok", str(answer), duplicate))
                except RoundtableError as error:
                    db.session.rollback()
                    outcomes.append((error.code,))
        else:
            outcomes = []
            bounds = [0, *sorted(c for c in cuts if c < len(plan)), len(plan)]
            for start, end in itertools.pairwise(bounds):
                for o in batch(plan[start:end]):
                    failed = isinstance(o, RoundtableError)
                    outcomes.append((o.code,) if failed else ("ok", str(o.answer), o.duplicate))
        index = {p.id: n for n, p in enumerate(people)}
        state = []
        for poll in polls_:
            responses, items, receipts, seq = rows(poll)
            result = polls.tally(poll)
            state.append((sorted((index[pid], a) for pid, a in responses), items_shape(items, poll), receipts,
                          seq - 0, result["total"], sorted(result["counts"].values())))
        results.append((outcomes, state))
    (single_outcomes, single_state), (batch_outcomes, batch_state) = results
    assert batch_outcomes == normalise(single_outcomes, batch_outcomes)
    assert [s[2:] for s in batch_state] == [s[2:] for s in single_state]
    assert [len(s[0]) for s in batch_state] == [len(s[0]) for s in single_state]


def items_shape(items, poll):
    positions = {str(o.id): n for n, o in enumerate(poll.options)}
    return sorted(positions.get(option, option) for option, _, _, _ in items)


def normalise(single, batched):
    """Option ids differ between the two runs' polls: compare outcomes by code and duplicate flag."""
    def shape(outcomes):
        return [(o[0], o[2]) if o[0] == "ok" else o for o in outcomes]

    assert shape(batched) == shape(single)
    return batched


# --- the writer's watchdog (live/votes.py) ---------------------------------------------------------------


def test_the_watchdog_answers_busy_to_votes_past_their_deadline_and_only_to_them():
    import threading

    from roundtable.live.votes import VoteWriter, _Pending

    writer = VoteWriter()

    def pending(deadline: float) -> _Pending:
        return _Pending(VoteRequest(1, "p", 1, {"option": 1}, "c" * 8), threading.Event(), deadline)

    in_flight = [pending(5.0), pending(20.0)]
    queued = [pending(6.0), pending(9.0), pending(30.0)]
    writer._in_flight = in_flight
    writer._queue.extend(queued)
    assert writer.expire(4.0) == 0
    assert writer.expire(10.0) == 3
    for late in (in_flight[0], *queued[:2]):
        assert late.done.is_set() and late.outcome.code == "busy"
    assert list(writer._queue) == queued[2:]  # a queued late vote is dropped: never written
    assert not in_flight[1].done.is_set() and not queued[2].done.is_set()
    # The batch's commit arrives after the watchdog gave up: the phone keeps its "busy" (its
    # retry, with the same client id, is recognised); the others get their outcome.
    stored = VoteOutcome(1, 0, "live", False, {"option": 1}, False)
    for late_or_not in in_flight:
        late_or_not.finish(stored)
    assert in_flight[0].outcome.code == "busy" and in_flight[1].outcome is stored
    assert writer.expire(10.0) == 0  # nothing twice

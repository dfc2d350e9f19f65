"""Every poll kind (roundtable/polls/kinds.py): validation, tallies, free-text moderation.

The property test drives each kind through random votes, changed answers, retries and resets and
checks after every step that the tally (GROUP BY queries) equals a recomputation in Python from
the stored answers. Runs on SQLite and PostgreSQL.
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
from roundtable.models import Poll, Response, ResponseItem, User
from roundtable.polls import service as polls
from roundtable.polls.kinds import KINDS, normalise_word

_ids = itertools.count(1)
WORDS = ["safe", "Safe ", "  SAFE", "fun", "scary", "learning", "friends", "data", "games"]


def cid() -> str:
    return f"kind-{next(_ids):07d}"


@pytest.fixture
def event(any_ctx, make_bare_event):
    return make_bare_event()


@pytest.fixture
def item(event):
    return next(i for i in event.agenda_items() if not i.is_break)


DEFAULTS = {
    "single": {"options": ["A", "B", "C", "D"]},
    "multiple": {"options": ["A", "B", "C", "D"], "settings": {"max_selections": 3}},
    "quiz": {"options": [{"label": "55%"}, {"label": "62%"}, {"label": "83%", "correct": True}]},
    "rating": {"settings": {"scale": 5, "min_label": "Low", "max_label": "High"}},
    "ranking": {"options": ["Takedown", "Defaults", "Reporting", "Design"]},
    "points": {"options": ["Laws", "Protocols", "Services"]},
    "wordcloud": {"settings": {"max_words": 3}},
    "opentext": {"settings": {"max_answers": 2}},
}


@pytest.fixture
def make_poll(event, item):
    def factory(kind, *, status="open", **extra):
        data = {"item_id": item.id, "kind": kind, "question": f"A {kind} poll?", **DEFAULTS[kind], **extra}
        poll = polls.save_poll(event.id, data)
        if status == "open":
            polls.open_poll(poll)
        db.session.commit()
        return poll

    return factory


def ids(poll: Poll) -> list[int]:
    return [o.id for o in poll.options]


def vote(poll, participant, answer, client_id=None):
    result = polls.cast_response(poll, participant, answer, client_id or cid())
    db.session.commit()
    return result


def stored_items() -> int:
    return db.session.scalar(select(func.count()).select_from(ResponseItem))


# --- validation: every bad answer has its own code and stores nothing -------------------------------


def bad_answers(poll: Poll, other: Poll) -> list[tuple[object, str]]:
    o = ids(poll) or [0, 0, 0]  # free-text kinds have no options (the option cases are not used)
    foreign = other.options[0].id
    cases = {
        "single": [({"option": foreign}, "unknown_option"), ({"option": [o[0]]}, "bad_payload")],
        "multiple": [
            ({"options": o}, "too_many_options"),
            ({"options": [o[0], o[0]]}, "duplicate_option"),
            ({"options": []}, "empty_answer"),
            ({"options": [foreign]}, "unknown_option"),
        ],
        "quiz": [({"option": foreign}, "unknown_option"), ({"option": None}, "bad_payload")],
        "rating": [
            ({"value": 0}, "off_scale"),
            ({"value": 6}, "off_scale"),
            ({"value": 2.5}, "bad_payload"),
            ({"value": "3"}, "bad_payload"),
            ({"value": True}, "bad_payload"),
        ],
        "ranking": [
            ({"order": o[:-1]}, "incomplete_ranking"),
            ({"order": [o[0], *o[:-1]]}, "duplicate_option"),
            ({"order": [*o[:-1], foreign]}, "unknown_option"),
            ({"order": "abc"}, "bad_payload"),
        ],
        "points": [
            ({"points": {str(o[0]): 60, str(o[1]): 30}}, "points_total"),
            ({"points": {str(o[0]): 120, str(o[1]): -20}}, "negative_points"),
            ({"points": {str(o[0]): 50, str(foreign): 50}}, "unknown_option"),
            ({"points": {str(o[0]): 50.5, str(o[1]): 49.5}}, "bad_payload"),
            ({"points": [50, 50]}, "bad_payload"),
        ],
        "wordcloud": [
            ({"words": ["a" * 26]}, "too_long"),
            ({"words": ["   "]}, "empty_text"),
            ({"words": []}, "empty_answer"),
            ({"words": ["one", "two", "three", "four"]}, "too_many_words"),
            ({"words": "safe"}, "bad_payload"),
        ],
        "opentext": [
            ({"texts": ["x" * 281]}, "too_long"),
            ({"texts": [""]}, "empty_text"),
            ({"texts": ["a", "b", "c"]}, "too_many_answers"),
            ({"texts": [1]}, "bad_payload"),
        ],
    }[poll.kind]
    return cases + [(None, "bad_payload"), ([1, 2], "bad_payload"), ({"extra": 1}, "bad_payload")]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_bad_answer_is_refused_with_its_code_and_stores_nothing(
    make_poll, make_participant, event, kind
):
    poll = make_poll(kind)
    other = make_poll("single")
    person = make_participant(event)
    before = stored_items()
    for answer, code in bad_answers(poll, other):
        with pytest.raises(RoundtableError) as info:
            polls.cast_response(poll, person, answer, cid())
        db.session.rollback()
        assert info.value.code == code, (kind, answer)
    assert stored_items() == before
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_closed_poll_of_any_kind_takes_no_answer(make_poll, make_participant, event, kind):
    poll = make_poll(kind, status="draft")
    with pytest.raises(RoundtableError) as info:
        polls.cast_response(poll, make_participant(event), valid_answer(poll, 0), cid())
    assert info.value.code == "poll_closed"


def valid_answer(poll: Poll, seed: int):
    o = ids(poll) or [0]
    return {
        "single": {"option": o[seed % len(o)]},
        "quiz": {"option": o[seed % len(o)]},
        "multiple": {"options": sorted({o[seed % len(o)], o[(seed + 1) % len(o)]})},
        "rating": {"value": seed % 5 + 1},
        "ranking": {"order": o[seed % len(o) :] + o[: seed % len(o)]},
        "points": {"points": {str(o[seed % len(o)]): 70, str(o[(seed + 1) % len(o)]): 30}},
        "wordcloud": {"words": [WORDS[seed % len(WORDS)]]},
        "opentext": {"texts": [f"Answer number {seed}"]},
    }[poll.kind]


# --- settings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "extra", "code"),
    [
        ("quiz", {"options": ["A", "B"]}, "bad_options"),
        (
            "quiz",
            {"options": [{"label": "A", "correct": True}, {"label": "B", "correct": True}]},
            "bad_options",
        ),
        ("rating", {"settings": {"scale": 7}}, "bad_settings"),
        ("rating", {"settings": {"scale": 5, "min_label": "x" * 41}}, "bad_settings"),
        ("wordcloud", {"settings": {"max_words": 4}}, "bad_settings"),
        ("opentext", {"settings": {"max_answers": 0}}, "bad_settings"),
        ("ranking", {"options": [f"O{i}" for i in range(11)]}, "bad_options"),
        ("points", {"options": ["Only one"]}, "bad_options"),
        ("single", {"results_mode": "sometimes"}, "bad_payload"),
    ],
)
def test_bad_settings_are_refused(event, item, kind, extra, code):
    data = {"item_id": item.id, "kind": kind, "question": "Q?", **DEFAULTS[kind], **extra}
    with pytest.raises(RoundtableError) as info:
        polls.save_poll(event.id, data)
    assert info.value.code == code


def test_a_quiz_leaderboard_is_refused_in_sessions_with_children(event, item):
    item.involves_children = True
    db.session.commit()
    data = {"item_id": item.id, "kind": "quiz", "question": "Q?", **DEFAULTS["quiz"]}
    with pytest.raises(RoundtableError) as info:
        polls.save_poll(event.id, {**data, "settings": {"leaderboard": True}})
    assert info.value.code == "leaderboard_unavailable"
    assert polls.save_poll(event.id, data).settings == {"leaderboard": False}


def test_open_answers_in_childrens_own_sessions_wait_for_a_moderator_by_default(event, item):
    item.children_led = True
    db.session.commit()
    poll = polls.save_poll(event.id, {"item_id": item.id, "kind": "opentext", "question": "Q?"})
    assert poll.settings["premoderate"] is True


# --- tallies of each kind --------------------------------------------------------------------------------


def test_rating_tally_has_the_distribution_and_mean(make_poll, make_participant, event):
    poll = make_poll("rating")
    for value in (5, 4, 4, 1):
        vote(poll, make_participant(event), {"value": value})
    result = polls.tally(poll)
    assert result["counts"] == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}
    assert (result["total"], result["mean"]) == (4, 3.5)


def test_ranking_orders_options_by_borda_score(make_poll, make_participant, event):
    poll = make_poll("ranking")
    a, b, c, d = ids(poll)
    vote(poll, make_participant(event), {"order": [b, a, c, d]})
    vote(poll, make_participant(event), {"order": [b, c, a, d]})
    result = polls.tally(poll)
    assert [row["option_id"] for row in result["ranking"]] == [b, a, c, d]
    assert [row["score"] for row in result["ranking"]] == [6, 3, 3, 0]
    assert result["ranking"][1]["average_position"] == 2.5


def test_points_tally_totals_and_averages(make_poll, make_participant, event):
    poll = make_poll("points")
    a, b, c = ids(poll)
    vote(poll, make_participant(event), {"points": {str(a): 100}})
    vote(poll, make_participant(event), {"points": {str(a): 40, str(b): 60, str(c): 0}})
    result = polls.tally(poll)
    assert result["points"] == {str(a): 140, str(b): 60, str(c): 0}
    assert result["average"] == {str(a): 70.0, str(b): 30.0, str(c): 0.0}


def test_quiz_marks_the_correct_option_only_once_revealed(make_poll, make_participant, event):
    poll = make_poll("quiz")
    wrong, _, right = ids(poll)
    vote(poll, make_participant(event), {"option": right})
    vote(poll, make_participant(event), {"option": wrong})
    assert "correct_option" not in polls.tally(poll)
    polls.reveal_results(poll, True)
    result = polls.tally(poll)
    assert (result["correct_option"], result["correct_share"]) == (right, 50)


def test_word_cloud_folds_case_and_spacing(make_poll, make_participant, event):
    poll = make_poll("wordcloud")
    vote(poll, make_participant(event), {"words": ["Safe", " safe ", "Fun"]})
    vote(poll, make_participant(event), {"words": ["SAFE  "]})
    assert polls.tally(poll)["words"] == [["safe", 2], ["fun", 1]]
    assert normalise_word("  Very   SAFE ") == "very safe"


# --- free text passes the safety checks ------------------------------------------------------------------


def test_flagged_words_and_answers_are_held_with_reasons(make_poll, make_participant, event):
    cloud, wall = make_poll("wordcloud"), make_poll("opentext")
    child = make_participant(event)
    vote(cloud, child, {"words": ["fun", "0712345678"]})
    vote(wall, child, {"texts": ["Call me on 0712 345 678", "Parents need training"]})
    assert polls.tally(cloud)["words"] == [["fun", 1]]
    assert [a["text"] for a in polls.tally(wall)["answers"]] == ["Parents need training"]
    held = polls.staff_tally(wall)["held"]
    assert [h["text"] for h in held] == ["Call me on 0712 345 678"]
    assert any("phone" in reason.lower() for reason in held[0]["reasons"])
    assert polls.held_texts(wall, child) == ["Call me on 0712 345 678"]
    # A flagged answer is never approved as it is in one click...
    with pytest.raises(RoundtableError) as refused:
        polls.moderate_items(wall, [held[0]["id"]], "approve")
    assert refused.value.code == "needs_redaction"
    assert len(polls.tally(wall)["answers"]) == 1
    # ...only with "Publish anyway" and a reason (e.g. the moderator decides it is a helpline).
    moderator = User(username="mod", role="moderator")
    moderator.set_password("x")
    db.session.add(moderator)
    db.session.flush()
    polls.approve_answer(wall, held[0]["id"], moderator, publish_anyway="It is the school's public line")
    assert len(polls.tally(wall)["answers"]) == 2


def test_premoderated_answers_wait_and_keep_the_decision_when_resent(make_poll, make_participant, event):
    wall = make_poll("opentext", settings={"max_answers": 2, "premoderate": True})
    child = make_participant(event)
    vote(wall, child, {"texts": ["More safety lessons"]})
    assert polls.tally(wall)["answers"] == []
    [held] = polls.staff_tally(wall)["held"]
    polls.moderate_items(wall, [held["id"]], "approve")
    # Adding a second answer keeps the approved first one visible and holds only the new one.
    vote(wall, child, {"texts": ["More safety lessons", "Report buttons in Kiswahili"]})
    assert [a["text"] for a in polls.tally(wall)["answers"]] == ["More safety lessons"]
    assert [h["text"] for h in polls.staff_tally(wall)["held"]] == ["Report buttons in Kiswahili"]


def test_a_hidden_word_stays_hidden_for_later_answers(make_poll, make_participant, event):
    cloud = make_poll("wordcloud")
    vote(cloud, make_participant(event), {"words": ["boring", "fun"]})
    polls.hide_word(cloud, "Boring")
    db.session.commit()
    assert polls.tally(cloud)["words"] == [["fun", 1]]
    vote(cloud, make_participant(event), {"words": ["boring"]})
    assert polls.tally(cloud)["words"] == [["fun", 1]]
    polls.hide_word(cloud, "boring", False)
    assert polls.tally(cloud)["words"] == [["boring", 2], ["fun", 1]]
    with pytest.raises(RoundtableError):
        polls.hide_word(make_poll("single"), "x")


def test_results_modes_decide_what_participants_see(make_poll):
    poll = make_poll("single")
    expectations = {
        "live": (True, True),
        "after_vote": (False, True),
        "on_reveal": (False, False),
        "never": (False, False),
    }
    for mode, (before, after) in expectations.items():
        poll.results_mode = mode
        assert polls.participant_sees_results(poll, answered=False) is before
        assert polls.participant_sees_results(poll, answered=True) is after
    poll.results_mode, poll.results_revealed = "on_reveal", True
    assert polls.participant_sees_results(poll, answered=False) is True
    poll.results_mode = "never"
    assert polls.participant_sees_results(poll, answered=True) is False


# --- the property: tally == recomputation from the stored answers, for every kind ---------------------------


def recompute(poll: Poll) -> dict:
    """What the tally must say, computed from ``Response.answer`` (the model, not the queries)."""
    answers = db.session.scalars(select(Response.answer).where(Response.poll_id == poll.id)).all()
    o = ids(poll)
    kind = poll.kind
    if kind in ("single", "multiple", "quiz"):
        counts = Counter({str(i): 0 for i in o})
        for answer in answers:
            for option in answer.get("options", [answer.get("option")]):
                counts[str(option)] += 1
        return {"total": len(answers), "counts": dict(counts)}
    if kind == "rating":
        counts = Counter({str(n): 0 for n in range(1, 6)})
        counts.update(str(a["value"]) for a in answers)
        mean = round(sum(a["value"] for a in answers) / len(answers), 2) if answers else None
        return {"total": len(answers), "counts": dict(counts), "mean": mean}
    if kind == "ranking":
        scores = Counter({i: 0 for i in o})
        for answer in answers:
            for place, option in enumerate(answer["order"], 1):
                scores[option] += len(o) - place
        return {"total": len(answers), "scores": dict(scores)}
    if kind == "points":
        sums = Counter({str(i): 0 for i in o})
        for answer in answers:
            sums.update(answer["points"])
        return {"total": len(answers), "points": dict(sums)}
    if kind == "wordcloud":
        words = Counter(w for a in answers for w in a["words"])
        return {"total": len(answers), "words": dict(words)}
    texts = [t for a in answers for t in a["texts"]]
    return {"total": len(answers), "shown": len(texts)}


def observed(poll: Poll) -> dict:
    result = polls.tally(poll)
    if poll.kind == "ranking":
        return {"total": result["total"], "scores": {r["option_id"]: r["score"] for r in result["ranking"]}}
    if poll.kind == "wordcloud":
        return {"total": result["total"], "words": dict(map(tuple, result["words"]))}
    if poll.kind == "opentext":
        return {"total": result["total"], "shown": result["shown"]}
    keep = {"points": "points"}.get(poll.kind, "counts")
    out = {"total": result["total"], keep: result[keep]}
    if poll.kind == "rating":
        out["mean"] = result["mean"]
    return out


STEPS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["vote", "retry"]), st.integers(0, 3), st.integers(0, 50)),
        st.just(("reset", 0, 0)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_tally_equals_a_recomputation_after_any_sequence(make_poll, make_participant, event, kind, steps):
    poll = make_poll(kind)
    people = [make_participant(event) for _ in range(4)]
    last: dict[int, str] = {}
    for action, who, seed in steps:
        if action == "reset":
            polls.reset_poll(poll)
            db.session.commit()
        else:
            client_id = last[who] if action == "retry" and who in last else cid()
            vote(poll, people[who], valid_answer(poll, seed), client_id)
            last[who] = client_id
        assert observed(poll) == recompute(poll)


def test_quiz_leaderboard_counts_right_answers_of_nicknamed_adults_only(make_poll, make_participant, event):
    first = make_poll("quiz", settings={"leaderboard": True})
    second = make_poll("quiz", settings={"leaderboard": True})
    alice, bob, child, anonymous = (make_participant(event) for _ in range(4))
    child.group_key = "children"
    for person, name in ((alice, "Ace"), (bob, "  Bee  "), (child, "Kid")):
        polls.set_nickname(person, name)
    db.session.commit()
    for poll in (first, second):
        right, wrong = poll.options[2].id, poll.options[0].id
        vote(poll, alice, {"option": right})
        vote(poll, bob, {"option": right if poll is first else wrong})
        vote(poll, child, {"option": right})
        vote(poll, anonymous, {"option": right})
    assert "leaderboard" not in polls.tally(first)  # nothing before the reveal
    polls.reveal_results(first, True)
    assert polls.tally(first)["leaderboard"] == [
        {"nickname": "Ace", "correct": 1},
        {"nickname": "Bee", "correct": 1},
    ]
    polls.reveal_results(second, True)
    assert polls.tally(second)["leaderboard"] == [
        {"nickname": "Ace", "correct": 2},
        {"nickname": "Bee", "correct": 1},
    ]


def test_nicknames_are_checked_like_questions(make_participant, event):
    person = make_participant(event)
    for bad, code in (("call 0712345678", "nickname_refused"), ("x" * 21, "too_long"), (5, "bad_payload")):
        with pytest.raises(RoundtableError) as info:
            polls.set_nickname(person, bad)
        assert info.value.code == code
    assert polls.set_nickname(person, "") is None

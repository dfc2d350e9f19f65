"""Results by stakeholder group: the disclosure control (property tests) and the group tallies of
every poll kind (GROUP BY on the group stored with each answer)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import Participant, StakeholderGroup
from roundtable.polls import service as polls
from roundtable.polls.disclosure import disclose
from roundtable.polls.groups import EVERYONE, OTHER, clean_wanted, group_tally

GROUPS = ["children", "isp", "government", "cso", "parents", "academia"]
_ids = itertools.count()


def cid() -> str:
    return f"group-{next(_ids):07d}"


# --- the disclosure control, as a pure function --------------------------------------------------


def readable_populations(decision, counts, total):
    """Every population whose answers can be read: each shown figure, and every difference of a
    sum of shown figures from a larger one (``Everyone`` included)."""
    figures = [counts[k] for k in decision.shown] + ([decision.other_count] if decision.other_shown else [])
    sizes = set(figures)
    for r in range(1, len(figures) + 1):
        for subset in itertools.combinations(range(len(figures)), r):
            part = sum(figures[i] for i in subset)
            sizes.add(total - part)  # Everyone minus these figures
            for r2 in range(1, r):
                for inner in itertools.combinations(subset, r2):
                    sizes.add(part - sum(figures[i] for i in inner))
    return sizes, figures


distributions = st.fixed_dictionaries(
    {
        "counts": st.dictionaries(st.sampled_from(GROUPS), st.integers(0, 14), max_size=6),
        "ungrouped": st.integers(0, 8),
        "wanted": st.none() | st.lists(st.sampled_from(GROUPS), unique=True, max_size=6),
        "threshold": st.integers(-2, 8),
    }
)


@given(distributions)
@settings(max_examples=3000, deadline=None)
def test_no_readable_figure_stands_for_fewer_than_the_threshold(case):
    counts, threshold = case["counts"], case["threshold"]
    total = sum(counts.values()) + case["ungrouped"]
    decision = disclose(counts, total, threshold, case["wanted"])
    k = max(threshold, 3)  # never below 3, whatever is configured
    assert decision.threshold == k
    sizes, figures = readable_populations(decision, counts, total)
    assert all(f >= k for f in figures)
    assert all(size == 0 or size >= k for size in sizes), (case, decision)
    # Shown groups were asked for, had answers, and are disjoint from the suppressed ones.
    asked = case["wanted"] if case["wanted"] is not None else list(counts)
    assert set(decision.shown) <= set(asked)
    assert not set(decision.shown) & set(decision.suppressed)
    if decision.other_shown:
        assert decision.other_count == sum(counts[g] for g in decision.suppressed)


@given(distributions)
@settings(max_examples=500, deadline=None)
def test_nothing_is_suppressed_without_need(case):
    """A group big enough stays shown unless showing it would open a subtraction."""
    counts, total = case["counts"], sum(case["counts"].values()) + case["ungrouped"]
    decision = disclose(counts, total, case["threshold"], case["wanted"])
    k = decision.threshold
    for key in decision.suppressed:
        if counts.get(key, 0) >= k:
            assert decision.notes, (case, decision)


def test_small_groups_alone_are_never_shown():
    # Showing ISPs and government would leave Everyone - 9 - 7 = the 4 children's answers: the
    # next smallest group (government) is suppressed too, and goes with them into Other groups.
    d = disclose({"children": 4, "isp": 9, "government": 7}, 20, 5)
    assert d.shown == ["isp"]
    assert d.suppressed == ["children", "government"]
    assert d.other_shown and d.other_count == 11 and d.remainder == 0
    assert disclose({"children": 4, "isp": 9}, 13, 5).shown == []  # 13 - 9 = the children


def test_subtraction_suppresses_the_next_smallest_group():
    d = disclose({"children": 2, "isp": 9, "government": 7}, 18, 5)
    # Children (2) hidden; 18 - 9 - 7 = 2 would be the children: government (smaller) goes too,
    # and children + government (9) are shown together as Other groups.
    assert d.shown == ["isp"]
    assert d.other_shown and d.other_count == 9
    assert d.remainder == 0


def test_suppressed_groups_together_as_other_groups():
    d = disclose({"children": 3, "parents": 3, "isp": 6}, 12, 5)
    assert d.shown == ["isp"] and d.other_shown and d.other_count == 6 and d.remainder == 0


def test_threshold_is_never_below_three():
    assert disclose({"a": 3, "b": 3}, 6, 1).threshold == 3
    assert disclose({"a": 2, "b": 5}, 7, 2).shown == []  # a (2) hidden, so b would give it away


# --- group tallies of every kind, on the database -----------------------------------------------


@pytest.fixture
def event(any_ctx, make_bare_event):
    event = make_bare_event()
    for position, key in enumerate(["isp", "government", "parents"], start=2):
        event.groups.append(StakeholderGroup(key=key, label=key.upper(), position=position))
    db.session.commit()
    return event


@pytest.fixture
def item(event):
    return next(i for i in event.agenda_items() if not i.is_break)


def make_poll(event, item, kind, n=3, settings=None):
    options = (
        []
        if kind in ("rating", "wordcloud", "opentext")
        else [{"label": f"Option {i}", "correct": i == 0} for i in range(n)]
    )
    poll = polls.save_poll(
        event.id,
        {"item_id": item.id, "kind": kind, "question": f"{kind}?", "options": options, "settings": settings},
    )
    polls.open_poll(poll)
    db.session.commit()
    return poll


def crowd(event, poll, spec):
    """``spec``: ``[(group or None, answer), ...]``: one new participant per answer."""
    for group, answer in spec:
        participant = Participant(event_id=event.id, group_key=group)
        db.session.add(participant)
        db.session.flush()
        polls.cast_response(poll, participant, answer, cid())
    db.session.commit()


def column(result, key):
    return next((c for c in result["columns"] if c["key"] == key), None)


def test_single_choice_by_group_with_other_groups_and_everyone(event, item):
    poll = make_poll(event, item, "single")
    a, b, c = (o.id for o in poll.options)
    spec = (
        [("children", {"option": a})] * 5
        + [("children", {"option": b})] * 2
        + [("isp", {"option": c})] * 6
        + [("government", {"option": a})] * 2
        + [("parents", {"option": b})] * 3
    )
    crowd(event, poll, spec)
    result = group_tally(poll)
    keys = [c["key"] for c in result["columns"]]
    assert keys == ["children", "isp", OTHER, EVERYONE]
    assert column(result, "children")["counts"] == {str(a): 5, str(b): 2, str(c): 0}
    assert column(result, "children")["total"] == 7
    other = column(result, OTHER)
    assert other["total"] == 5 and other["counts"] == {str(a): 2, str(b): 3, str(c): 0}
    assert other["groups"] == ["GOVERNMENT", "PARENTS"]
    everyone = column(result, EVERYONE)
    assert everyone["total"] == 18 and everyone["counts"] == polls.tally(poll)["counts"]
    assert result["withheld"] == ["GOVERNMENT", "PARENTS"]
    # One answer without a group: Everyone - children - ISPs - Other groups would be that one
    # person's, so Other groups is folded back (the 6 left over are not readable one by one).
    crowd(event, poll, [(None, {"option": c})])
    result = group_tally(poll)
    assert [c["key"] for c in result["columns"]] == ["children", "isp", EVERYONE]
    assert column(result, EVERYONE)["total"] == 19


def test_every_kind_splits_like_its_own_tally(event, item):
    cases = {
        "multiple": lambda p: {"options": [p.options[0].id, p.options[1].id]},
        "quiz": lambda p: {"option": p.options[0].id},
        "rating": lambda p: {"value": 4},
        "ranking": lambda p: {"order": [o.id for o in p.options]},
        "points": lambda p: {"points": {str(p.options[0].id): 70, str(p.options[1].id): 30}},
        "wordcloud": lambda p: {"words": ["safety", "trust"]},
        "opentext": lambda p: {"texts": ["Teach parents about privacy settings"]},
    }
    for kind, answer in cases.items():
        poll = make_poll(event, item, kind)
        crowd(event, poll, [(g, answer(poll)) for g in ["children"] * 5 + ["isp"] * 5 + [None] * 5])
        result = group_tally(poll, staff=True)
        ordinary = polls.tally(poll)
        everyone = column(result, EVERYONE)
        children = column(result, "children")
        assert everyone["total"] == ordinary["total"] == 15, kind  # no group: Everyone only
        assert children["total"] == 5, kind
        if kind in ("multiple", "quiz"):
            assert everyone["counts"] == ordinary["counts"]
            assert children["counts"][str(poll.options[0].id)] == 5
        if kind == "quiz":
            assert children["correct_share"] == 100
        if kind == "rating":
            assert children["mean"] == 4 and everyone["counts"] == ordinary["counts"]
        if kind == "ranking":
            assert everyone["ranking"] == ordinary["ranking"]
            assert children["ranking"][0]["score"] == 5 * 2
        if kind == "points":
            assert children["average"][str(poll.options[0].id)] == 70
            assert everyone["points"] == ordinary["points"]
        if kind == "wordcloud":
            assert sorted(children["words"]) == [["safety", 5], ["trust", 5]]
        if kind == "opentext":
            assert children["shown"] == 5 and len(everyone["answers"]) == 15


def test_chosen_columns_and_the_subtraction_rule(event, item):
    poll = make_poll(event, item, "single")
    a = poll.options[0].id
    crowd(
        event,
        poll,
        [("children", {"option": a})] * 6
        + [("isp", {"option": a})] * 5
        + [("government", {"option": a})] * 2,
    )
    # Children | ISPs | Everyone: Everyone - children - ISPs would be the 2 government answers.
    result = group_tally(poll, ["children", "isp", EVERYONE])
    assert [c["key"] for c in result["columns"]] == ["children", EVERYONE]
    assert result["withheld"] == ["ISP"]
    # Without the small group in the room there is nothing to recover: both shown.
    poll2 = make_poll(event, item, "single")
    crowd(
        event,
        poll2,
        [("children", {"option": poll2.options[0].id})] * 6 + [("isp", {"option": poll2.options[1].id})] * 5,
    )
    result = group_tally(poll2, ["children", "isp", EVERYONE])
    assert [c["key"] for c in result["columns"]] == ["children", "isp", EVERYONE]


def test_held_and_hidden_free_text_never_reaches_a_group_column(event, item):
    poll = make_poll(event, item, "opentext", settings={"premoderate": True})
    crowd(event, poll, [("children", {"texts": [f"idea {i}"]}) for i in range(6)])
    result = group_tally(poll)
    assert column(result, "children")["answers"] == [] and column(result, "children")["total"] == 6


def test_bad_column_choices_are_refused(event, item):
    poll = make_poll(event, item, "single")
    for bad, code in (
        (["nobody"], "unknown_group"),
        ("children", "bad_payload"),
        ([], "bad_payload"),
        (["children", "isp", "parents", "government", EVERYONE], "too_many_groups"),
    ):
        with pytest.raises(RoundtableError) as info:
            clean_wanted(poll, bad)
        assert info.value.code == code
    assert clean_wanted(poll, ["isp", "isp", EVERYONE]) == ["isp", EVERYONE]


answers_over_groups = st.lists(
    st.tuples(st.sampled_from(["children", "isp", "government", "parents", None]), st.integers(0, 2)),
    max_size=40,
)


@given(
    spec=answers_over_groups,
    wanted=st.none()
    | st.lists(
        st.sampled_from(["children", "isp", "government", "parents"]), unique=True, min_size=1, max_size=3
    ),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_group_tallies_show_no_small_population(event, item, spec, wanted):
    """Any distribution of answers over groups: every shown column counts at least the threshold
    of respondents, and its counts are exactly theirs; Everyone minus any shown columns leaves
    0 or at least the threshold."""
    poll = make_poll(event, item, "single")
    options = [o.id for o in poll.options]
    crowd(event, poll, [(g, {"option": options[i]}) for g, i in spec])
    result = group_tally(poll, None if wanted is None else [*wanted, EVERYONE])
    everyone = column(result, EVERYONE)
    split = [c for c in result["columns"] if c["key"] != EVERYONE]
    assert everyone["total"] == len(spec)
    for col in split:
        assert col["total"] >= 5
        if col["key"] != OTHER:
            members = Counter(i for g, i in spec if g == col["key"])
            assert col["total"] == sum(members.values())
            assert col["counts"] == {str(o): members[n] for n, o in enumerate(options)}
    for r in range(1, len(split) + 1):
        for subset in itertools.combinations(split, r):
            left = everyone["total"] - sum(c["total"] for c in subset)
            assert left == 0 or left >= 5
            for n in range(len(options)):
                # The per-option difference is a count over those same people: never negative.
                key = str(options[n])
                assert everyone["counts"][key] >= sum(c["counts"][key] for c in subset)

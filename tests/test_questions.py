"""The question wall's business logic: asking, upvoting, moderation, help requests and views.

Service-level tests inside one app context (``ctx``), except the races, which use one app
context (one database session and connection) per moderator, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from sqlalchemy import func, select, update

from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.models import (
    MAX_TEXT,
    QUESTION_STATUSES,
    AgendaItem,
    Event,
    HelpRequest,
    LiveState,
    Participant,
    Question,
    QuestionUpvote,
    QuestionWall,
    User,
)
from roundtable.questions import service, views

# --- helpers -------------------------------------------------------------------------------------


def _item(event: Event, *, mode: str = "open", children: bool = False, index: int = 0) -> AgendaItem:
    """A working session of the seeded event, set up as the test says."""
    item = [i for i in event.agenda_items() if not i.is_break][index]
    item.question_mode = mode
    item.involves_children = children
    db.session.commit()
    return item


def _moderator(username: str = "mod", role: str = "moderator") -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role)
        user.set_password("x" * 12)
        db.session.add(user)
        db.session.commit()
    return user


def _ask(item: AgendaItem, participant: Participant, text: str, **kwargs: Any) -> Question:
    question, duplicate = service.ask(item, participant, text, **kwargs)
    assert not duplicate
    db.session.commit()
    return question


def _code(excinfo: pytest.ExceptionInfo[RoundtableError]) -> str:
    return excinfo.value.code


def _count_questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


@pytest.fixture
def wall(ctx, make_event, make_participant):
    """An event with an open, adults-only session live, two participants and a moderator."""
    event = make_event()
    item = _item(event)
    live_state.set_current_item(event, item.id)
    db.session.commit()

    class Wall:
        pass

    w = Wall()
    w.event, w.item = event, item
    w.alice, w.bob = make_participant(event), make_participant(event)
    w.mod = _moderator()
    w.make_participant = lambda: make_participant(event)
    return w


# --- asking -------------------------------------------------------------------------------------


def test_a_clean_question_in_an_open_session_is_published(wall):
    question = _ask(wall.item, wall.alice, "  How will   ISPs report abuse?  ", name="Jane")
    assert question.status == "published"
    assert question.text == "How will ISPs report abuse?"
    assert question.name == "Jane"
    assert question.reasons == []
    assert (question.upvotes, question.version, question.previous_status) == (0, 1, None)
    assert question.participant_id == wall.alice.id
    assert service.wall_seq(wall.item.id) == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_text"),
        ("   \n\t ", "empty_text"),
        ("\x00\x01", "empty_text"),
        ("x" * (MAX_TEXT + 1), "too_long"),
        (None, "bad_payload"),
        (42, "bad_payload"),
        (["a question"], "bad_payload"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_stored(wall, text, code):
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(wall.item, wall.alice, text)
    assert _code(excinfo) == code
    db.session.rollback()
    assert _count_questions() == 0
    assert service.wall_seq(wall.item.id) == 0


def test_the_longest_question_is_accepted(wall):
    assert _ask(wall.item, wall.alice, "y" * MAX_TEXT).text == "y" * MAX_TEXT


def test_a_long_name_is_refused(wall):
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(wall.item, wall.alice, "A question?", name="n" * 61)
    assert _code(excinfo) == "too_long"


def test_a_blank_name_means_anonymous(wall):
    assert _ask(wall.item, wall.alice, "A question?", name="   ").name is None


def test_questions_are_closed_in_closed_sessions_breaks_and_when_nothing_is_live(wall):
    closed = _item(wall.event, mode="closed", index=1)
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(closed, wall.alice, "Anyone there?")
    assert _code(excinfo) == "questions_closed"
    a_break = next(i for i in wall.event.agenda_items() if i.is_break)
    a_break.question_mode = "open"  # even if someone opened it: a break has no wall
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(a_break, wall.alice, "Anyone there?")
    assert _code(excinfo) == "questions_closed"
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(None, wall.alice, "Anyone there?")
    assert _code(excinfo) == "questions_closed"
    db.session.rollback()
    assert _count_questions() == 0


def test_a_participant_cannot_ask_in_another_events_session(wall, make_event, make_participant):
    other = make_event()
    stranger = make_participant(other)
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(wall.item, stranger, "Hello?")
    assert _code(excinfo) == "unknown_item"


@pytest.mark.parametrize(
    "again",
    [
        "How will ISPs report abuse?",
        "how will isps report abuse",
        "HOW WILL ISPs  REPORT ABUSE ??",
        "How, will ISPs report... abuse!",
        "Ｈｏｗ will ISPs report abuse?",  # full-width letters
    ],
)
def test_the_same_question_twice_in_a_session_is_a_duplicate(wall, again):
    _ask(wall.item, wall.alice, "How will ISPs report abuse?")
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(wall.item, wall.bob, again)
    assert _code(excinfo) == "duplicate_question"


def test_a_held_question_counts_as_asked_for_its_author_only(wall):
    premoderated = _item(wall.event, mode="premoderated", index=1)
    _ask(premoderated, wall.alice, "Is there a national hotline?")
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(premoderated, wall.alice, "is there a national hotline")
    assert _code(excinfo) == "duplicate_question"
    # Someone else asking it learns nothing about Alice's held question: theirs is held too.
    question, duplicate = service.ask(premoderated, wall.bob, "is there a national hotline")
    assert question.status == "pending" and not duplicate


def test_a_question_may_be_asked_again_after_rejection_or_in_another_session(wall):
    first = _ask(wall.item, wall.alice, "Who funds the helpline?")
    service.reject(first, wall.mod, first.version, "off topic")
    db.session.commit()
    assert _ask(wall.item, wall.bob, "Who funds the helpline?").status == "published"
    other = _item(wall.event, index=1)
    assert _ask(other, wall.bob, "Who funds the helpline?").status == "published"


def test_different_questions_are_not_duplicates(wall):
    _ask(wall.item, wall.alice, "Who funds the helpline?")
    _ask(wall.item, wall.bob, "Who funds the helplines in 2025?")
    _ask(wall.item, wall.bob, "???")
    _ask(wall.item, wall.alice, "!!!")
    assert _count_questions() == 4


def test_a_retry_with_the_same_client_id_returns_the_same_question(wall):
    first, duplicate = service.ask(wall.item, wall.alice, "Retry safe?", client_id="client-0001")
    db.session.commit()
    assert not duplicate
    again, duplicate = service.ask(wall.item, wall.alice, "Retry safe?", client_id="client-0001")
    assert duplicate and again.id == first.id
    # Another participant's client id is their own.
    other, duplicate = service.ask(wall.item, wall.bob, "Something else?", client_id="client-0001")
    assert not duplicate and other.id != first.id
    db.session.commit()
    assert _count_questions() == 2


@pytest.mark.parametrize("client_id", ["short", "x" * 65, "bad id!!", 12345678, ""])
def test_a_malformed_client_id_is_refused(wall, client_id):
    with pytest.raises(RoundtableError) as excinfo:
        service.ask(wall.item, wall.alice, "Hi?", client_id=client_id)
    assert _code(excinfo) == "bad_payload"


def test_html_is_stored_as_typed(wall):
    text = '<script>alert("x")</script><img src=x onerror=alert(1)> & &amp;'
    question = _ask(wall.item, wall.alice, text)
    assert question.text == text
    assert views.wall(wall.item)["questions"][0]["text"] == text


def test_control_and_direction_override_characters_are_dropped(wall):
    question = _ask(wall.item, wall.alice, "Safe\x00 text\u202e reversed\u2066?\x07")
    assert question.text == "Safe text reversed?"


# --- safety --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 0712 345 678 after the session",
        "my number is +254 712-345-678",
        "whatsapp 0112.345.678",
        "write to jane.doe@gmail.com",
        "jane at gmail dot com",
        "see www.example.com for my page",
        "follow me @kid_kenya2009",
        "you are an idiot",
    ],
)
def test_a_flagged_question_waits_with_its_reasons_even_in_an_open_session(wall, text):
    question = _ask(wall.item, wall.alice, text)
    assert question.status == "pending"
    assert question.reasons  # the moderator sees why
    assert views.wall(wall.item)["questions"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Call 116 if a child needs help: is it free?",
        "Why did 45% of children aged 12-17 see harmful content in 2022?",
        "Can the 09:30 session start at 10:00?",
        "Section 14 of the Act costs KES 5,000 to implement?",
        "Is the assessment in Scunthorpe comparable?",
    ],
)
def test_ordinary_numbers_and_innocent_words_pass(wall, text):
    question = _ask(wall.item, wall.alice, text)
    assert (question.status, question.reasons) == ("published", [])


def test_a_phone_number_in_the_name_holds_the_question(wall):
    question = _ask(wall.item, wall.alice, "A fine question?", name="Jane 0712345678")
    assert question.status == "pending"
    assert question.reasons and all(r.startswith("Name: ") for r in question.reasons)
    assert question.name is None  # a flagged name is never stored


def test_premoderated_sessions_hold_every_question_without_a_reason(wall):
    item = _item(wall.event, mode="premoderated", index=1)
    question = _ask(item, wall.alice, "A harmless question?", name="Jane")
    assert (question.status, question.reasons, question.name) == ("pending", [], "Jane")


@pytest.mark.parametrize("mode", ["open", "premoderated"])
def test_sessions_with_children_are_premoderated_and_never_keep_a_name(wall, mode):
    item = _item(wall.event, mode=mode, children=True, index=1)
    question = _ask(item, wall.alice, "What do children think?", name="Amani")
    assert question.status == "pending"
    assert question.name is None


def test_names_are_hidden_if_a_session_later_involves_children(wall):
    question = _ask(wall.item, wall.alice, "Named question?", name="Jane")
    assert views.wall(wall.item)["questions"][0]["name"] == "Jane"
    wall.item.involves_children = True
    db.session.commit()
    assert views.public_question(question)["name"] is None
    assert views.wall(wall.item)["questions"][0]["name"] is None
    assert views.my_questions(wall.alice)[0]["name"] is None


def test_the_seeded_childrens_sessions_are_premoderated(ctx, make_event, make_participant):
    event = make_event()
    child_sessions = [i for i in event.agenda_items() if i.involves_children]
    assert child_sessions
    participant = make_participant(event)
    question, _ = service.ask(child_sessions[0], participant, "Can I ask this?", name="Zawadi")
    assert (question.status, question.name) == ("pending", None)


# --- upvotes ------------------------------------------------------------------------------------


def _upvote_rows(question: Question) -> int:
    return db.session.scalar(
        select(func.count()).select_from(QuestionUpvote).where(QuestionUpvote.question_id == question.id)
    )


def test_an_upvote_toggles_and_the_count_follows_the_rows(wall):
    question = _ask(wall.item, wall.alice, "Upvote me?")
    seq = service.wall_seq(wall.item.id)
    carol = wall.make_participant()
    assert service.upvote(question, wall.bob) == (True, 1)
    assert service.upvote(question, carol) == (True, 2)
    assert service.upvote(question, wall.bob) == (False, 1)  # tap again to take it back
    db.session.commit()
    assert question.upvotes == _upvote_rows(question) == 1
    assert service.wall_seq(wall.item.id) == seq + 3


def test_an_upvote_with_an_explicit_state_is_safe_to_retry(wall):
    question = _ask(wall.item, wall.alice, "Retry my upvote?")
    seq = service.wall_seq(wall.item.id)
    assert service.upvote(question, wall.bob, True) == (True, 1)
    assert service.upvote(question, wall.bob, True) == (True, 1)
    assert service.upvote(question, wall.bob, False) == (False, 0)
    assert service.upvote(question, wall.bob, False) == (False, 0)
    db.session.commit()
    assert _upvote_rows(question) == 0
    assert service.wall_seq(wall.item.id) == seq + 2  # only real changes count
    with pytest.raises(RoundtableError) as excinfo:
        service.upvote(question, wall.bob, "yes")
    assert _code(excinfo) == "bad_payload"


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_only_questions_on_the_wall_can_be_upvoted(wall, status):
    question = _ask(wall.item, wall.alice, "Hidden?")
    question.status = status
    db.session.commit()
    with pytest.raises(RoundtableError) as excinfo:
        service.upvote(question, wall.bob)
    assert _code(excinfo) == "unknown_question"
    assert _upvote_rows(question) == 0


def test_ones_own_question_cannot_be_upvoted_and_nothing_changes(wall):
    question = _ask(wall.item, wall.alice, "Mine to upvote?")
    seq = service.wall_seq(wall.item.id)
    for up in (None, True):
        with pytest.raises(RoundtableError) as excinfo:
            service.upvote(question, wall.alice, up)
        assert _code(excinfo) == "own_question"
    assert _upvote_rows(question) == 0
    assert service.wall_seq(wall.item.id) == seq


def test_answered_questions_can_still_be_upvoted(wall):
    question = _ask(wall.item, wall.alice, "Answered?")
    service.answer(question, wall.mod, 1)
    assert service.upvote(question, wall.bob) == (True, 1)


def test_a_question_of_another_event_is_unknown(wall, make_event):
    question = _ask(wall.item, wall.alice, "Mine?")
    other = make_event()
    with pytest.raises(RoundtableError) as excinfo:
        service.get_question(other.id, question.id)
    assert _code(excinfo) == "unknown_question"
    with pytest.raises(RoundtableError) as excinfo:
        service.get_question(wall.event.id, "1")
    assert _code(excinfo) == "bad_payload"


# --- moderation ---------------------------------------------------------------------------------


def _pending(wall, text: str = "Please moderate me?") -> Question:
    item = _item(wall.event, mode="premoderated")
    return _ask(item, wall.alice, text)


def test_approve_publishes_and_records_who_and_when(wall):
    question = _pending(wall)
    seq = service.wall_seq(question.agenda_item_id)
    service.approve(question, wall.mod, 1)
    db.session.commit()
    assert (question.status, question.previous_status, question.version) == ("published", "pending", 2)
    assert question.moderated_by == wall.mod.id and question.moderated_at is not None
    assert service.wall_seq(question.agenda_item_id) == seq + 1
    assert [q["id"] for q in views.wall(question.agenda_item)["questions"]] == [question.id]


def test_approve_with_an_edit_keeps_the_original_for_staff_and_undo_restores_it(wall):
    question = _ask(wall.item, wall.alice, "Call me on 0712 345 678 about the plan?")
    assert question.status == "pending"
    service.approve(question, wall.mod, 1, text="Call me on [removed] about the plan?")
    db.session.commit()
    assert question.text == "Call me on [removed] about the plan?"
    # The asked text stays for the staff, without the phone number the moderator redacted.
    assert question.original_text == "Call me on [removed] about the plan?"
    public = json.dumps(views.wall(wall.item))
    assert "0712" not in public and "original" not in public
    service.undo(question, wall.mod, 2)
    db.session.commit()
    assert (question.status, question.text, question.original_text) == (
        "pending",
        "Call me on [removed] about the plan?",
        None,
    )


def test_a_redaction_may_make_the_longest_question_a_little_longer(wall):
    text = "x" * 272 + " a@b.co?"
    question = _ask(wall.item, wall.alice, text)
    assert len(text) == MAX_TEXT and question.status == "pending"
    suggested = views.staff_question(question)["suggested_text"]
    assert len(suggested) > MAX_TEXT
    service.approve(question, wall.mod, 1, text=suggested)
    db.session.commit()
    assert question.text == suggested and question.original_text == "x" * 272 + " [removed]?"


def test_approve_with_the_same_text_is_not_an_edit(wall):
    question = _pending(wall)
    service.approve(question, wall.mod, 1, text="  Please   moderate me?")
    assert question.original_text is None


@pytest.mark.parametrize(("text", "code"), [("", "empty_text"), ("z" * 301, "too_long"), (5, "bad_payload")])
def test_a_bad_edit_is_refused_and_changes_nothing(wall, text, code):
    question = _pending(wall)
    with pytest.raises(RoundtableError) as excinfo:
        service.approve(question, wall.mod, 1, text=text)
    assert _code(excinfo) == code
    db.session.rollback()
    assert (question.status, question.version) == ("pending", 1)


def test_reject_keeps_a_private_reason_and_undo_clears_it(wall):
    question = _pending(wall)
    service.reject(question, wall.mod, 1, "Names a child's school")
    db.session.commit()
    assert (question.status, question.reject_reason) == ("rejected", "Names a child's school")
    mine = json.dumps(views.my_questions(wall.alice))
    assert "school" not in mine and "reject" not in mine.replace('"rejected"', "")
    service.undo(question, wall.mod, 2)
    db.session.commit()
    assert (question.status, question.reject_reason, question.previous_status) == ("pending", None, None)


def test_an_undo_cannot_be_undone(wall):
    question = _pending(wall)
    service.approve(question, wall.mod, 1)
    service.undo(question, wall.mod, 2)
    with pytest.raises(RoundtableError) as excinfo:
        service.undo(question, wall.mod, 3)
    assert _code(excinfo) == "nothing_to_undo"
    with pytest.raises(RoundtableError) as excinfo:
        service.undo(_pending(wall, "Fresh question?"), wall.mod, 1)
    assert _code(excinfo) == "nothing_to_undo"


# Which action may start from which status (everything else is "bad_transition").
ALLOWED = {
    "approve": {"pending": "published"},
    "reject": {"pending": "rejected", "published": "rejected"},
    "answer": {"published": "answered"},
    "archive": {"published": "archived", "answered": "archived"},
}


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("start", QUESTION_STATUSES)
def test_every_transition(wall, action, start):
    question = _pending(wall)
    question.status = start
    db.session.commit()
    do = getattr(service, action)
    if start in ALLOWED[action]:
        do(question, wall.mod, 1)
        db.session.commit()
        assert (question.status, question.previous_status, question.version) == (
            ALLOWED[action][start],
            start,
            2,
        )
        service.undo(question, wall.mod, 2)
        db.session.commit()
        assert (question.status, question.version) == (start, 3)
    else:
        with pytest.raises(RoundtableError) as excinfo:
            do(question, wall.mod, 1)
        assert _code(excinfo) == "bad_transition"
        db.session.rollback()
        assert (question.status, question.version) == (start, 1)


@pytest.mark.parametrize("version", [None, "1", 1.0, True])
def test_a_moderation_without_a_proper_version_is_refused(wall, version):
    question = _pending(wall)
    with pytest.raises(RoundtableError) as excinfo:
        service.approve(question, wall.mod, version)
    assert _code(excinfo) == "bad_payload"


def test_a_moderator_acting_on_an_old_version_changes_nothing(wall):
    question = _pending(wall)
    service.approve(question, wall.mod, 1)
    db.session.commit()
    for act, args in [(service.reject, ("late",)), (service.archive, ()), (service.undo, ())]:
        with pytest.raises(RoundtableError) as excinfo:
            act(question, wall.mod, 1, *args)
        assert _code(excinfo) == "question_changed"
        assert excinfo.value.message == "Another moderator already changed this question."
    db.session.rollback()
    assert (question.status, question.version) == ("published", 2)


def test_the_database_refuses_a_stale_change_the_session_did_not_see(wall, app):
    """The conditional UPDATE is the guard, not the Python check: another moderator's change
    committed through another connection after this session loaded the question still wins."""
    question = _pending(wall)
    assert question.version == 1  # loaded: this session believes version 1
    with db.engine.begin() as other:  # another moderator's process
        other.execute(update(Question).where(Question.id == question.id).values(status="rejected", version=2))
    assert question.version == 1  # still the stale copy
    with pytest.raises(RoundtableError) as excinfo:
        service.approve(question, wall.mod, 1)
    assert _code(excinfo) == "question_changed"
    db.session.rollback()
    assert db.session.get(Question, question.id).status == "rejected"


def _race(app, question_id: int, actions: list[tuple[str, tuple]], user_id: int) -> list[str]:
    """Run each action in its own thread, app context and database connection, all released at
    once, on the version they all saw; return each one's outcome ("ok" or an error code)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = [""] * len(actions)

    def moderate(index: int, name: str, args: tuple) -> None:
        with app.app_context():
            try:
                question = db.session.get(Question, question_id)
                user = db.session.get(User, user_id)
                version = question.version
                barrier.wait(timeout=10)
                getattr(service, name)(question, user, version, *args)
                db.session.commit()
                outcomes[index] = "ok"
            except RoundtableError as error:
                db.session.rollback()
                outcomes[index] = error.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=moderate, args=(i, n, a)) for i, (n, a) in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_two_moderators_at_once_produce_exactly_one_outcome(any_ctx, make_event, make_participant, round_):
    app = any_ctx
    event = make_event()
    item = _item(event, mode="premoderated")
    participant = make_participant(event)
    user = _moderator()
    ids = []
    for n in range(4):
        ids.append(_ask(item, participant, f"Race number {n}?").id)
    user_id = user.id
    db.session.commit()
    db.session.close()  # no connection of ours holds a lock while the threads run

    pairs = [
        [("approve", ()), ("reject", ("no",))],
        [("approve", ()), ("approve", ())],
        [("reject", ("a",)), ("reject", ("b",))],
        [("approve", ()), ("reject", ("c",)), ("approve", ())],
    ]
    for question_id, actions in zip(ids, pairs, strict=True):
        outcomes = _race(app, question_id, actions, user_id)
        assert sorted(outcomes).count("ok") == 1, outcomes
        assert set(outcomes) <= {"ok", "question_changed"}, outcomes
        winner = actions[outcomes.index("ok")][0]
        db.session.expire_all()
        question = db.session.get(Question, question_id)
        assert question.status == {"approve": "published", "reject": "rejected"}[winner]
        assert question.version == 2


def test_approve_many_approves_each_on_its_own_terms(wall):
    item = _item(wall.event, mode="premoderated")
    a, b, c, d = (_ask(item, wall.alice, f"Batch question {n}?") for n in "abcd")
    service.approve(c, wall.mod, 1)  # someone approved c meanwhile
    service.reject(d, wall.mod, 1)
    db.session.commit()
    approved, skipped = service.approve_many(
        wall.event,
        [
            {"question_id": a.id, "version": 1},
            {"question_id": b.id, "version": 1},
            {"question_id": c.id, "version": 1},
            {"question_id": d.id, "version": 2},
            {"question_id": 999999, "version": 1},
        ],
        wall.mod,
    )
    db.session.commit()
    assert [q.id for q in approved] == [a.id, b.id]
    assert {s["question_id"]: s["error"]["code"] for s in skipped} == {
        c.id: "question_changed",
        d.id: "bad_transition",
        999999: "unknown_question",
    }
    assert (a.status, b.status, c.status, d.status) == ("published", "published", "published", "rejected")


@pytest.mark.parametrize(
    "items",
    [
        None,
        [],
        "1,2",
        [1, 2],
        [{"question_id": 1}],
        [{"question_id": "1", "version": 1}],
        [{"question_id": 1, "version": 1}, {"question_id": 1, "version": 1}],
        [{"question_id": n, "version": 1} for n in range(101)],
    ],
)
def test_approve_many_refuses_bad_input_as_a_whole(wall, items):
    question = _pending(wall)
    with pytest.raises(RoundtableError) as excinfo:
        service.approve_many(wall.event, items, wall.mod)
    assert _code(excinfo) in {"bad_payload", "too_large"}
    db.session.rollback()
    assert question.status == "pending"


# --- highlight ----------------------------------------------------------------------------------


def test_one_highlighted_question_at_a_time(wall):
    first = _ask(wall.item, wall.alice, "First on screen?")
    second = _ask(wall.item, wall.bob, "Second on screen?")
    seq = service.wall_seq(wall.item.id)
    service.highlight(wall.event, first)
    db.session.commit()
    assert views.highlighted(wall.event)["id"] == first.id
    assert service.wall_seq(wall.item.id) == seq + 1  # walls carry the highlight
    service.highlight(wall.event, second)
    db.session.commit()
    assert views.highlighted_id(wall.event) == second.id
    assert views.wall(wall.item)["highlighted"]["id"] == second.id
    service.highlight(wall.event, None)
    db.session.commit()
    assert views.highlighted(wall.event) is None


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_only_wall_questions_can_be_highlighted(wall, status):
    question = _ask(wall.item, wall.alice, "Highlight me?")
    question.status = status
    db.session.commit()
    with pytest.raises(RoundtableError) as excinfo:
        service.highlight(wall.event, question)
    assert _code(excinfo) == "not_published"


def test_answered_questions_can_be_highlighted(wall):
    question = _ask(wall.item, wall.alice, "Highlight me answered?")
    service.answer(question, wall.mod, 1)
    service.highlight(wall.event, question)
    assert views.highlighted(wall.event)["status"] == "answered"


@pytest.mark.parametrize(
    "leave",
    [
        lambda q, mod: service.reject(q, mod, q.version, "x"),
        lambda q, mod: service.archive(q, mod, q.version),
        lambda q, mod: service.undo(q, mod, q.version),  # back to pending
    ],
)
def test_a_question_leaving_the_wall_leaves_the_projector(wall, leave):
    question = _pending(wall, "On screen, then gone?")
    service.approve(question, wall.mod, 1)
    service.highlight(wall.event, question)
    db.session.commit()
    leave(question, wall.mod)
    db.session.commit()
    assert db.session.get(LiveState, wall.event.id).highlighted_question_id is None
    assert views.highlighted(wall.event) is None


def test_a_highlight_never_shows_a_question_that_left_the_wall(wall):
    question = _ask(wall.item, wall.alice, "Sneaky?")
    service.highlight(wall.event, question)
    db.session.commit()
    # Whatever path a change takes, the view checks the status itself.
    db.session.execute(update(Question).where(Question.id == question.id).values(status="rejected"))
    db.session.commit()
    assert views.highlighted(wall.event) is None
    assert live_state.screen_view(wall.event)["highlighted"] is None


# --- help requests ------------------------------------------------------------------------------


def test_a_help_request_is_stored_with_what_the_check_found(wall):
    request = service.send_help(wall.event, wall.alice, "report", "Someone sent me 0712 345 678", wall.item)
    db.session.commit()
    assert (request.kind, request.status, request.agenda_item_id) == ("report", "open", wall.item.id)
    assert request.message == "Someone sent me 0712 345 678"  # delivered to staff as written
    assert request.reasons
    plain = service.send_help(wall.event, wall.bob, "help")
    assert (plain.message, plain.reasons) == (None, [])


@pytest.mark.parametrize(
    ("kind", "message", "code"),
    [
        ("other", None, "bad_payload"),
        (None, None, "bad_payload"),
        ("help", "m" * 501, "too_long"),
        ("help", 5, "bad_payload"),
    ],
)
def test_a_bad_help_request_is_refused(wall, kind, message, code):
    with pytest.raises(RoundtableError) as excinfo:
        service.send_help(wall.event, wall.alice, kind, message)
    assert _code(excinfo) == code
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_a_help_request_is_handled_once(wall):
    request = service.send_help(wall.event, wall.alice, "help", "I feel unsafe")
    db.session.commit()
    service.handle_help(request, wall.mod)
    db.session.commit()
    assert (request.status, request.handled_by) == ("handled", wall.mod.id)
    assert request.handled_at is not None
    with pytest.raises(RoundtableError) as excinfo:
        service.handle_help(request, _moderator("other"))
    assert _code(excinfo) == "already_handled"
    assert views.open_help(wall.event) == []


def test_help_requests_are_scoped_to_their_event(wall, make_event):
    request = service.send_help(wall.event, wall.alice, "help")
    db.session.commit()
    with pytest.raises(RoundtableError) as excinfo:
        service.get_help(make_event().id, request.id)
    assert _code(excinfo) == "unknown_request"


# --- views --------------------------------------------------------------------------------------

STAFF_ONLY_KEYS = {"reasons", "reject_reason", "original_text", "participant_id", "version", "findings"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _populate(wall) -> dict[str, Question]:
    q = {
        "top": _ask(wall.item, wall.alice, "Most upvoted?"),
        "new": _ask(wall.item, wall.bob, "Newest, no votes?"),
        "answered": _ask(wall.item, wall.alice, "Already answered?"),
        "held": _ask(wall.item, wall.bob, "Reach me at 0712345678"),
        "rejected": _ask(wall.item, wall.alice, "Rejected one?"),
        "archived": _ask(wall.item, wall.bob, "Archived one?"),
    }
    service.upvote(q["top"], wall.bob)
    service.upvote(q["top"], wall.make_participant())
    service.upvote(q["answered"], wall.bob)
    service.answer(q["answered"], wall.mod, 1)
    service.reject(q["rejected"], wall.mod, 1, "PRIVATE-REASON")
    service.archive(q["archived"], wall.mod, 1)
    db.session.commit()
    return q


def test_the_wall_holds_only_published_and_answered_questions_top_first(wall):
    q = _populate(wall)
    data = views.wall(wall.item)
    assert data["item_id"] == wall.item.id and data["seq"] == service.wall_seq(wall.item.id)
    assert [x["id"] for x in data["questions"]] == [q["top"].id, q["answered"].id, q["new"].id]
    assert _keys(data) & STAFF_ONLY_KEYS == set()
    dumped = json.dumps(data)
    for secret in ("0712345678", "PRIVATE-REASON", "Rejected one", "Archived one", wall.alice.id):
        assert secret not in dumped


def test_the_screen_shows_the_top_published_questions(wall):
    q = _populate(wall)
    for n in range(8):
        _ask(wall.item, wall.make_participant(), f"Filler question {n}?")
    data = views.screen_wall(wall.item)
    assert len(data["questions"]) == views.SCREEN_TOP
    assert data["questions"][0]["id"] == q["top"].id
    assert all(x["status"] == "published" for x in data["questions"])
    assert _keys(data) & STAFF_ONLY_KEYS == set()


def test_a_participant_sees_their_own_questions_in_every_status_but_no_moderators_detail(wall):
    q = _populate(wall)
    mine = views.my_questions(wall.bob)
    assert {x["id"]: x["status"] for x in mine} == {
        q["new"].id: "published",
        q["held"].id: "pending",
        q["archived"].id: "archived",
    }
    assert _keys(mine) & STAFF_ONLY_KEYS == set()
    assert views.my_upvotes(wall.bob) == sorted([q["top"].id, q["answered"].id])


def test_the_staff_queue_has_everything(wall):
    q = _populate(wall)
    data = views.queue(wall.item)
    assert data["counts"] == {"pending": 1, "published": 2, "answered": 1, "rejected": 1, "archived": 1}
    by_id = {x["id"]: x for x in data["questions"]}
    assert len(by_id) == 6
    held = by_id[q["held"].id]
    assert held["reasons"] and held["flagged"]
    assert held["suggested_text"] == "Reach me at [removed]"
    assert held["findings"][0]["kind"] == "phone"
    assert by_id[q["rejected"].id]["reject_reason"] == "PRIVATE-REASON"
    assert by_id[q["rejected"].id]["moderated_by"] == "mod"
    assert views.counts_by_item(wall.event) == {str(wall.item.id): data["counts"]}


def test_the_three_live_views_carry_the_wall(wall):
    q = _populate(wall)
    service.highlight(wall.event, q["top"])
    service.send_help(wall.event, wall.alice, "help", "HELP-MESSAGE")
    db.session.commit()

    participant = live_state.participant_view(wall.event)
    assert [x["id"] for x in participant["wall"]["questions"]] == [q["top"].id, q["answered"].id, q["new"].id]
    screen = live_state.screen_view(wall.event)
    assert screen["highlighted"]["id"] == q["top"].id
    assert screen["wall"]["questions"][0]["id"] == q["top"].id
    for public in (participant, screen):
        dumped = json.dumps(public)
        assert "HELP-MESSAGE" not in dumped and "PRIVATE-REASON" not in dumped and "0712345678" not in dumped
        assert _keys(public) & STAFF_ONLY_KEYS == set()

    staff = live_state.staff_view(wall.event)
    assert staff["live"]["highlighted_question_id"] == q["top"].id
    assert len(staff["queue"]["questions"]) == 6
    assert [h["message"] for h in staff["help"]] == ["HELP-MESSAGE"]
    assert staff["question_counts"][str(wall.item.id)]["pending"] == 1


def test_nothing_live_means_no_wall(ctx, make_event):
    event = make_event()
    assert live_state.participant_view(event)["wall"] is None
    assert live_state.screen_view(event)["wall"] is None
    assert live_state.staff_view(event)["queue"] is None


def test_the_wall_sequence_only_grows(wall):
    seqs = [service.wall_seq(wall.item.id)]
    question = _ask(wall.item, wall.alice, "Seq?")
    seqs.append(service.wall_seq(wall.item.id))
    service.upvote(question, wall.bob)
    seqs.append(service.wall_seq(wall.item.id))
    service.answer(question, wall.mod, 1)
    seqs.append(service.wall_seq(wall.item.id))
    service.highlight(wall.event, question)
    seqs.append(service.wall_seq(wall.item.id))
    assert seqs == sorted(set(seqs)) and len(seqs) == 5
    assert db.session.get(QuestionWall, wall.item.id).seq == seqs[-1]


def test_deleting_a_session_deletes_its_questions_and_clears_the_highlight(wall):
    question = _ask(wall.item, wall.alice, "Cascade?")
    service.upvote(question, wall.bob)
    service.highlight(wall.event, question)
    db.session.commit()
    db.session.delete(wall.item)
    db.session.commit()
    assert _count_questions() == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionUpvote)) == 0
    assert db.session.get(LiveState, wall.event.id).highlighted_question_id is None

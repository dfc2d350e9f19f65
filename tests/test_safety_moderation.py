"""Server-side moderation of flagged items (issue 10): nothing flagged is published by one
click; "Publish anyway" needs a reason and is audited; possible grooming is never published as
it is and alerts the staff; personal data in sessions with children can only be redacted; the
event's own lists; the safeguarding log and the safety lists pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from roundtable import audit
from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.models import (
    AgendaItem,
    AuditEntry,
    Event,
    HelpRequest,
    Poll,
    Question,
    SafetyFlag,
    SafetyList,
    User,
)
from roundtable.polls import service as polls
from roundtable.questions import service, views
from roundtable.safety import store

PHONE = "Call me on 0712 345 678 after the session"
GROOMING = "You are so mature for your age, send me a photo of you and don't tell your parents"
DISCLOSURE = "My name is Wanjiru, class 7 at Olympic Primary School in Kibera"
ABUSE = "The speaker is an idiot"


def _moderator(username: str = "mod", role: str = "moderator") -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role)
        user.set_password("x" * 12)
        db.session.add(user)
        db.session.commit()
    return user


@pytest.fixture
def wall(ctx, make_event, make_participant):
    event = make_event()
    item = [i for i in event.agenda_items() if not i.is_break][0]
    item.question_mode, item.involves_children = "open", False
    live_state.set_current_item(event, item.id)
    db.session.commit()

    class Wall:
        pass

    w = Wall()
    w.event, w.item, w.mod = event, item, _moderator()
    w.participant = lambda: make_participant(event)

    def ask(text: str, children: bool = False) -> Question:
        w.item.involves_children = children
        db.session.commit()
        question, _ = service.ask(w.item, w.participant(), text)
        db.session.commit()
        return question

    w.ask = ask
    return w


def _refused(fn, *args, **kwargs) -> str:
    with pytest.raises(RoundtableError) as info:
        fn(*args, **kwargs)
    db.session.rollback()
    return info.value.code


def _entries(event: Event, action: str) -> list[AuditEntry]:
    return [e for e in audit.entries(event) if e.action == action]


# --- questions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [PHONE, DISCLOSURE, ABUSE, GROOMING])
def test_a_flagged_question_is_never_approved_as_it_is(wall, text):
    q = wall.ask(text)
    assert q.status == "pending" and q.reasons
    code = _refused(service.approve, q, wall.mod, q.version)
    assert code in ("needs_redaction", "grooming_not_publishable")
    # the same text sent back as an "edit" is no redaction either
    code = _refused(service.approve, q, wall.mod, q.version, text)
    assert code in ("needs_redaction", "grooming_not_publishable")
    db.session.refresh(q)
    assert (q.status, q.version, q.text) == ("pending", 1, text)
    assert views.wall(wall.item)["questions"] == []


def test_redacting_the_flagged_parts_publishes_and_is_audited(wall):
    q = wall.ask(PHONE)
    staff = views.staff_question(q)
    assert staff["flagged"] and staff["categories"] == ["personal_data"] and staff["can_publish_anyway"]
    assert [PHONE[f["start"] : f["end"]] for f in staff["findings"]] == ["0712 345 678"]
    service.approve(q, wall.mod, q.version, staff["suggested_text"])
    db.session.commit()
    # The text as asked stays for the staff, without the phone number the moderator removed
    # (issue 9.9: a child's number is kept nowhere once redacted).
    assert (q.status, q.text, q.original_text) == (
        "published",
        "Call me on [removed] after the session",
        "Call me on [removed] after the session",
    )
    flag = store.flag_of("question", q.id)
    assert (flag.status, flag.handled_by) == ("redacted", wall.mod.id)
    assert len(_entries(wall.event, "question.redact_approve")) == 1


def test_a_redaction_that_leaves_a_flagged_part_is_not_a_redaction(wall):
    q = wall.ask("Call 0712 345 678 or mail me at jane@gmail.com")
    assert (
        _refused(service.approve, q, wall.mod, q.version, "Call 0712 345 678 or mail me") == "needs_redaction"
    )
    db.session.refresh(q)
    assert q.status == "pending"


def test_publish_anyway_needs_a_reason_and_records_it(wall):
    q = wall.ask(ABUSE)
    for blank in (None, "", "   "):
        assert _refused(service.approve, q, wall.mod, q.version, publish_anyway=blank) == "needs_redaction"
    assert _refused(service.approve, q, wall.mod, q.version, publish_anyway=42) == "bad_payload"
    service.approve(q, wall.mod, q.version, publish_anyway="Quoting what a bully wrote, for discussion")
    db.session.commit()
    assert (q.status, q.text) == ("published", ABUSE)
    [entry] = _entries(wall.event, "question.publish_anyway")
    assert entry.detail["reason"] == "Quoting what a bully wrote, for discussion"
    assert entry.detail["categories"] == ["abuse"] and entry.username == "mod"
    assert store.flag_of("question", q.id).status == "published_anyway"


def test_possible_grooming_is_never_published_anyway_only_redacted_or_rejected(wall):
    q = wall.ask(GROOMING)
    staff = views.staff_question(q)
    assert staff["grooming"] and not staff["can_publish_anyway"]
    assert (
        _refused(service.approve, q, wall.mod, q.version, publish_anyway="I know them")
        == "grooming_not_publishable"
    )
    service.approve(q, wall.mod, q.version, staff["suggested_text"])
    db.session.commit()
    assert q.status == "published" and "photo" not in q.text
    other = wall.ask(GROOMING + " please")
    service.reject(other, wall.mod, other.version, "Safeguarding lead informed")
    db.session.commit()
    assert store.flag_of("question", other.id).status == "rejected"


def test_in_sessions_with_children_personal_data_can_only_be_redacted(wall):
    for text in (PHONE, DISCLOSURE):
        q = wall.ask(text, children=True)
        assert not views.staff_question(q)["can_publish_anyway"]
        assert (
            _refused(service.approve, q, wall.mod, q.version, publish_anyway="It is fine")
            == "redact_required"
        )
        service.approve(q, wall.mod, q.version, views.staff_question(q)["suggested_text"])
        db.session.commit()
        assert q.status == "published"
    # abuse is not personal data: a moderator may still publish it anyway with a reason
    q = wall.ask(ABUSE, children=True)
    service.approve(q, wall.mod, q.version, publish_anyway="The child is quoting an insult they received")
    db.session.commit()
    assert q.status == "published"


def test_approve_many_skips_flagged_questions(wall):
    wall.item.question_mode = "premoderated"
    db.session.commit()
    clean, _ = service.ask(wall.item, wall.participant(), "How do we teach digital literacy?")
    flagged, _ = service.ask(wall.item, wall.participant(), PHONE)
    db.session.commit()
    approved, skipped = service.approve_many(
        wall.event, [{"question_id": q.id, "version": q.version} for q in (clean, flagged)], wall.mod
    )
    db.session.commit()
    assert [q.id for q in approved] == [clean.id]
    assert skipped == [{"question_id": flagged.id, "error": skipped[0]["error"]}]
    assert skipped[0]["error"]["code"] == "needs_redaction"


def test_undo_reopens_the_flag(wall):
    q = wall.ask(PHONE)
    service.approve(q, wall.mod, q.version, views.staff_question(q)["suggested_text"])
    db.session.commit()
    service.undo(q, wall.mod, q.version)
    db.session.commit()
    # Back in the queue with its flag open; the number the moderator removed does not come back.
    assert (q.status, q.text) == ("pending", "Call me on [removed] after the session")
    assert store.flag_of("question", q.id).status == "open"


def test_grooming_goes_to_the_top_of_the_queue(wall):
    wall.item.question_mode = "premoderated"
    db.session.commit()
    first = wall.ask("When does the next session start?")
    second = wall.ask(PHONE)
    groom = wall.ask(GROOMING)
    order = [q["id"] for q in views.queue(wall.item)["questions"]]
    assert order[0] == groom.id and set(order) == {first.id, second.id, groom.id}
    assert views.safety_alert(groom)["reasons"][0].startswith("Possible grooming")


def test_a_flag_records_the_text_as_submitted_and_its_categories(wall):
    q = wall.ask(GROOMING)
    flag = store.flag_of("question", q.id)
    assert (flag.text, flag.grooming, flag.status, flag.event_id) == (GROOMING, True, "open", wall.event.id)
    assert flag.categories == ["grooming"]


# --- the event's own lists --------------------------------------------------------------------------


def test_event_lists_extend_the_checks_for_that_event_only(wall, make_event):
    assert not wall.ask("The food was wack").reasons
    store.save_lists(wall.event.id, {"abuse_words": "wack\n\n  wack  ", "places": ["Kasisit"]}, wall.mod)
    db.session.commit()
    assert store.lists_dict(wall.event.id)["abuse_words"] == ["wack"]
    assert wall.ask("That talk was wack").reasons
    assert store.check(wall.event.id, "mimi ni Juma, kwetu ni kasisit").has("disclosure")
    other = make_event("OTHER1")
    assert not store.check(other.id, "That talk was wack").flagged


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("words", "bad_payload"),
        ({"colours": []}, "bad_payload"),
        ({"places": [1, 2]}, "bad_payload"),
        ({"places": ["x" * 81]}, "too_long"),
        ({"schools": [f"School {i}" for i in range(501)]}, "too_large"),
    ],
)
def test_bad_lists_are_refused_and_change_nothing(wall, data, code):
    assert _refused(store.save_lists, wall.event.id, data, wall.mod) == code
    assert db.session.get(SafetyList, wall.event.id) is None


def test_try_text_uses_the_unsaved_lists(wall):
    out = store.try_text("Mimi ni Zuri wa Kasisit Juu", {"places": ["Kasisit Juu"]}, wall.event.id)
    assert out["flagged"] and out["categories"] == ["disclosure"]
    assert {f["match"] for f in out["findings"]} >= {"Zuri"}
    assert _refused(store.try_text, None) == "bad_payload"
    assert _refused(store.try_text, "x" * 2001) == "too_long"


# --- poll answers -----------------------------------------------------------------------------------


@pytest.fixture
def open_wall(wall):
    poll = polls.save_poll(wall.event.id, {"item_id": wall.item.id, "kind": "opentext", "question": "Ideas?"})
    polls.open_poll(poll)
    db.session.commit()
    return poll


def _answer(poll: Poll, participant, text: str) -> int:
    polls.cast_response(poll, participant, {"texts": [text]}, f"c{participant.id[:12]}x")
    polls.flag_answers(poll, participant)
    db.session.commit()
    [held] = [h for h in polls.staff_tally(poll)["held"] if h["text"] == text]
    return held["id"]


def test_a_flagged_answer_is_never_approved_in_a_batch(wall, open_wall):
    item_id = _answer(open_wall, wall.participant(), PHONE)
    assert _refused(polls.moderate_items, open_wall, [item_id], "approve") == "needs_redaction"
    assert polls.tally(open_wall)["answers"] == []
    assert _refused(polls.approve_answer, open_wall, item_id, wall.mod) == "needs_redaction"
    held = polls.staff_tally(open_wall)["held"][0]
    polls.approve_answer(open_wall, item_id, wall.mod, held["suggested_text"])
    db.session.commit()
    assert [a["text"] for a in polls.tally(open_wall)["answers"]] == [
        "Call me on [removed] after the session"
    ]
    answers = db.session.scalars(select(polls.Response.answer)).all()
    assert answers == [{"texts": ["Call me on [removed] after the session"]}]
    assert len(_entries(wall.event, "answer.redact_approve")) == 1


def test_a_grooming_answer_is_flagged_first_and_never_published_anyway(wall, open_wall):
    _answer(open_wall, wall.participant(), PHONE)
    item_id = _answer(open_wall, wall.participant(), GROOMING)
    held = polls.staff_tally(open_wall)["held"]
    assert held[0]["id"] == item_id and held[0]["grooming"] and not held[0]["can_publish_anyway"]
    code = _refused(polls.approve_answer, open_wall, item_id, wall.mod, publish_anyway="ok")
    assert code == "grooming_not_publishable"
    polls.moderate_items(open_wall, [item_id], "hide", wall.mod)
    db.session.commit()
    flag = store.flag_of("answer", item_id)
    assert (flag.grooming, flag.status) == (True, "hidden")


def test_publish_anyway_for_an_answer_is_audited(wall, open_wall):
    item_id = _answer(open_wall, wall.participant(), ABUSE)
    polls.approve_answer(open_wall, item_id, wall.mod, publish_anyway="Quoted from a survey")
    db.session.commit()
    [entry] = _entries(wall.event, "answer.publish_anyway")
    assert entry.detail["reason"] == "Quoted from a survey"
    assert polls.tally(open_wall)["answers"][0]["text"] == ABUSE


# --- sockets -------------------------------------------------------------------------------------------


@pytest.fixture
def live(app, seed_event, socket_client, in_db):
    ev = seed_event()
    item_id = ev.working_items[1]["id"]

    def run() -> None:
        item = db.session.get(AgendaItem, item_id)
        item.question_mode, item.involves_children = "open", False
        live_state.set_current_item(db.session.get(Event, ev.id), item_id)
        db.session.commit()

    in_db(run)
    return ev, item_id


def _ack(sock, name: str, data: dict[str, Any]) -> dict[str, Any]:
    return sock.emit(name, data, callback=True)


def test_socket_approve_of_a_flagged_question_needs_redaction_or_a_reason(live, socket_client, in_db):
    ev, _ = live
    phone, staff = (
        socket_client("participant", ev),
        socket_client("staff", ev, user_role="moderator", username="m"),
    )
    staff.emit("snapshot", {}, callback=True)
    q = _ack(phone, "question:ask", {"text": ABUSE})["question"]
    ack = _ack(staff, "mod:approve", {"question_id": q["id"], "version": 1})
    assert not ack["ok"] and ack["error"]["code"] == "needs_redaction"
    ack = _ack(staff, "mod:approve", {"question_id": q["id"], "version": 1, "publish_anyway": "  "})
    assert ack["error"]["code"] == "needs_redaction"
    ack = _ack(staff, "mod:approve", {"question_id": q["id"], "version": 1, "publish_anyway": "A quote"})
    assert ack["ok"] and ack["question"]["status"] == "published"
    assert in_db(
        lambda: _entries(db.session.get(Event, ev.id), "question.publish_anyway")[0].detail["reason"]
    ) == ("A quote")


def test_socket_grooming_alerts_the_staff_only(live, socket_client):
    ev, _ = live
    phone, other = socket_client("participant", ev), socket_client("participant", ev)
    staff, screen = socket_client("staff", ev), socket_client("screen", ev)
    for s in (other, staff, screen):
        s.emit("snapshot", {}, callback=True)
        s.get_received()
    q = _ack(phone, "question:ask", {"text": GROOMING})["question"]
    alerts = [m["args"][0] for m in staff.get_received() if m["name"] == "safety:alert"]
    assert alerts and alerts[0]["question_id"] == q["id"] and alerts[0]["kind"] == "grooming"
    for s in (other, screen, phone):
        assert all(m["name"] != "safety:alert" for m in s.get_received())
    ack = _ack(staff, "mod:approve", {"question_id": q["id"], "version": 1, "publish_anyway": "fine"})
    assert ack["error"]["code"] == "grooming_not_publishable"


def test_socket_answer_approve(live, socket_client, in_db):
    ev, item_id = live

    def make_poll() -> int:
        poll = polls.save_poll(ev.id, {"item_id": item_id, "kind": "opentext", "question": "Ideas?"})
        polls.open_poll(poll)
        db.session.commit()
        return poll.id

    poll_id = in_db(make_poll)
    phone, staff = (
        socket_client("participant", ev),
        socket_client("staff", ev, user_role="moderator", username="m"),
    )
    staff.emit("snapshot", {}, callback=True)
    staff.get_received()
    assert _ack(
        phone, "vote", {"poll_id": poll_id, "client_id": "answer-0001", "answer": {"texts": [GROOMING]}}
    )["ok"]
    assert any(m["name"] == "safety:alert" for m in staff.get_received())
    item = in_db(lambda: db.session.scalar(select(polls.ResponseItem.id)))
    ack = _ack(staff, "staff:answers_moderate", {"poll_id": poll_id, "item_ids": [item], "action": "approve"})
    assert ack["error"]["code"] == "needs_redaction"
    ack = _ack(staff, "staff:answer_approve", {"poll_id": poll_id, "item_id": item, "publish_anyway": "ok"})
    assert ack["error"]["code"] == "grooming_not_publishable"
    ack = _ack(staff, "staff:answer_approve", {"poll_id": poll_id, "item_id": item, "text": "[removed]"})
    assert ack["ok"] and ack["text"] == "[removed]"
    assert (
        _ack(phone, "staff:answer_approve", {"poll_id": poll_id, "item_id": item})["error"]["code"]
        == "forbidden"
    )


# --- pages ------------------------------------------------------------------------------------------


def test_safeguarding_log_is_for_admins_only_and_lists_help_and_grooming(app, seed_event, login, in_db):
    ev = seed_event()

    def setup() -> None:
        event = db.session.get(Event, ev.id)
        item = [i for i in event.agenda_items() if not i.is_break][0]
        from roundtable.models import Participant

        p = Participant(event_id=event.id)
        db.session.add(p)
        db.session.flush()
        q, _ = service.ask(item, p, GROOMING)
        db.session.add(
            HelpRequest(
                event_id=event.id, participant_id=p.id, kind="report", message="=1+1 bad man", status="open"
            )
        )
        db.session.commit()

    in_db(setup)
    facilitator = app.test_client()
    login(facilitator)
    assert facilitator.get(f"/staff/{ev.code}/safeguarding").status_code == 403
    assert facilitator.get(f"/staff/{ev.code}/safeguarding.csv").status_code == 403
    admin = app.test_client()
    login(admin, username="admin", role="admin")
    page = admin.get(f"/staff/{ev.code}/safeguarding")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "send me a photo of you" in html and "bad man" in html and "Waiting for a moderator" in html
    assert "127.0.0.1" not in html
    csv_text = admin.get(f"/staff/{ev.code}/safeguarding.csv").get_data(as_text=True)
    assert "possible grooming" in csv_text and "help request" in csv_text
    assert "'=1+1 bad man" in csv_text  # never a formula
    assert "127.0.0.1" not in csv_text


def test_safety_lists_page_saves_and_tries(app, seed_event, login, in_db):
    ev = seed_event()
    client = app.test_client()
    login(client)
    page = client.get(f"/staff/{ev.code}/safety")
    assert page.status_code == 200 and 'data-testid="try-text"' in page.get_data(as_text=True)
    # forms need the CSRF token (the test config may disable CSRF: then this just saves)
    response = client.post(
        f"/staff/{ev.code}/safety", data={"places": "Kasisit\nKasisit", "abuse_words": "wack"}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert in_db(lambda: db.session.get(SafetyList, ev.id).places) == ["Kasisit"]
    tried = client.post(f"/staff/{ev.code}/safety/try", json={"text": "nitumie picha yako"}).get_json()
    assert tried["ok"] and tried["categories"] == ["grooming"]
    bad = client.post(f"/staff/{ev.code}/safety/try", json={"text": 5})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_payload"
    moderator = app.test_client()
    login(moderator, username="m", role="moderator")
    assert moderator.get(f"/staff/{ev.code}/safety").status_code == 403
    assert moderator.post(f"/staff/{ev.code}/safety/try", json={"text": "x"}).status_code == 403
    assert in_db(lambda: db.session.scalar(select(func.count()).select_from(SafetyFlag))) == 0

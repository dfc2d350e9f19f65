"""The lite page: every poll kind, the question wall and help as plain HTML forms, through the same
business logic, safety checks and rate limits as the sockets; CSRF-protected; both languages."""

from __future__ import annotations

import re

import pytest
from conftest import join

from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.models import Event, HelpRequest, Poll, Question, Response
from roundtable.polls import service as polls

SW = {"Accept-Language": "sw"}


def open_poll_of_kind(in_db, event, kind):
    """Set live the first session with a poll of ``kind``, open that poll; return its id."""
    item = next(i for i in event.items if any(p["kind"] == kind for p in i["polls"]))
    poll_id = next(p["id"] for p in item["polls"] if p["kind"] == kind)

    def run():
        ev = db.session.get(Event, event.id)
        live_state.set_current_item(ev, item["id"])
        poll = db.session.get(Poll, poll_id)
        polls.open_poll(poll)
        poll.results_mode = "after_vote"
        db.session.commit()

    in_db(run)
    return poll_id


def form_fields(page: str, poll_id: int) -> dict:
    form = re.search(rf'<form class="box poll" id="poll-{poll_id}".*?</form>', page, re.S).group(0)
    return {
        "csrf_token": "",
        "client_id": re.search(r'name="client_id" value="([^"]+)"', form).group(1),
        "options": [int(v) for v in re.findall(r'name="option[s]?" value="(\d+)"', form)],
        "places": [int(v) for v in re.findall(r'name="place-(\d+)"', form)],
        "points": [int(v) for v in re.findall(r'name="points-(\d+)"', form)],
    }


def answer_of(in_db, poll_id):
    return in_db(
        lambda: [
            (r.answer, r.language)
            for r in db.session.scalars(db.select(Response).where(Response.poll_id == poll_id))
        ]
    )


def test_the_lite_page_needs_a_joined_participant(client, seed_event):
    event = seed_event()
    response = client.get(f"/lite/{event.code}")
    assert response.status_code == 302 and response.location == f"/lite/{event.code}/join"
    page = client.get(f"/lite/{event.code}/join").get_data(as_text=True)
    assert "<script" not in page
    response = client.post(f"/lite/{event.code}/join", data={"group": "children"})
    assert response.status_code == 302 and response.location == f"/lite/{event.code}"
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "<script" not in page  # no JavaScript at all
    assert 'data-testid="lite-refresh"' in page
    assert client.get("/lite/000000").status_code == 404


@pytest.mark.parametrize(
    "kind",
    ["single", "multiple", "quiz", "rating", "ranking", "points", "wordcloud", "opentext"],
)
def test_every_poll_kind_is_answered_with_a_form(client, seed_event, in_db, kind):
    event = seed_event()
    join(client, event)
    poll_id = open_poll_of_kind(in_db, event, kind)
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    fields = form_fields(page, poll_id)
    data = {"client_id": fields["client_id"]}
    if kind in ("single", "quiz"):
        data["option"] = fields["options"][0]
        expected = {"option": fields["options"][0]}
    elif kind == "multiple":
        data["options"] = fields["options"][:2]
        expected = {"options": sorted(fields["options"][:2])}
    elif kind == "rating":
        data["value"] = "4"
        expected = {"value": 4}
    elif kind == "ranking":
        ids = fields["places"]
        for place, option_id in enumerate(reversed(ids), start=1):
            data[f"place-{option_id}"] = str(place)
        expected = {"order": list(reversed(ids))}
    elif kind == "points":
        ids = fields["points"]
        data[f"points-{ids[0]}"] = "60"
        data[f"points-{ids[1]}"] = "40"
        expected = {"points": {str(ids[0]): 60, str(ids[1]): 40}}
    elif kind == "wordcloud":
        data["words"] = ["Salama", ""]
        expected = {"words": ["salama"]}
    else:
        data["texts"] = ["More safety lessons at school"]
        expected = {"texts": ["More safety lessons at school"]}
    response = client.post(f"/lite/{event.code}/vote/{poll_id}", data=data)
    assert response.status_code == 302
    assert response.location == f"/lite/{event.code}#poll-{poll_id}"
    assert answer_of(in_db, poll_id) == [(expected, "en")]
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "Vote received." in page
    assert 'data-testid="lite-results"' in page  # results shown after voting ("after_vote")
    # The same form sent again (a double tap) is stored once.
    client.post(f"/lite/{event.code}/vote/{poll_id}", data=data)
    assert len(answer_of(in_db, poll_id)) == 1


def test_a_bad_answer_gets_the_kinds_own_message_in_kiswahili_and_changes_nothing(client, seed_event, in_db):
    event = seed_event()
    client.post("/lang", data={"lang": "sw", "next": "/"})
    join(client, event)
    poll_id = open_poll_of_kind(in_db, event, "points")
    fields = form_fields(client.get(f"/lite/{event.code}").get_data(as_text=True), poll_id)
    data = {"client_id": fields["client_id"], f"points-{fields['points'][0]}": "30"}
    client.post(f"/lite/{event.code}/vote/{poll_id}", data=data)
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "Gawa pointi 100 kamili (umetoa 30)." in page
    assert answer_of(in_db, poll_id) == []


def test_a_closed_poll_refuses_the_form(client, seed_event, in_db):
    event = seed_event()
    join(client, event)
    poll_id = open_poll_of_kind(in_db, event, "single")
    fields = form_fields(client.get(f"/lite/{event.code}").get_data(as_text=True), poll_id)
    in_db(lambda: (polls.close_poll(db.session.get(Poll, poll_id)), db.session.commit()))
    client.post(
        f"/lite/{event.code}/vote/{poll_id}",
        data={"client_id": fields["client_id"], "option": fields["options"][0]},
    )
    assert answer_of(in_db, poll_id) == []


def test_every_form_needs_the_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        code = db.session.scalars(db.select(Event.code)).first()
    client = app.test_client()
    for path in ("join", "vote/1", "ask", "upvote/1", "help"):
        assert client.post(f"/lite/{code}/{path}", data={"group": ""}).status_code == 400, path
    with app.app_context():
        assert db.session.scalars(db.select(Response)).all() == []


def test_asking_goes_through_the_safety_checks(client, seed_event, in_db):
    event = seed_event()
    join(client, event)
    open_poll_of_kind(in_db, event, "ranking")  # a session with a question wall
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    client_id = re.search(r'id="ask".*?name="client_id" value="([^"]+)"', page, re.S).group(1)
    client.post(f"/lite/{event.code}/ask", data={"text": "Call me on 0712 345 678", "client_id": client_id})
    question = in_db(lambda: db.session.scalars(db.select(Question)).one())
    assert question.status == "pending" and question.reasons  # held for a moderator, with why
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "A moderator will look at your question" in page
    assert "0712 345 678" in page  # the author sees their own question, never anyone else
    other = client.application.test_client()
    join(other, event)
    assert "0712 345 678" not in other.get(f"/lite/{event.code}").get_data(as_text=True)


def test_upvoting_from_the_lite_page(client, seed_event, in_db):
    event = seed_event()
    join(client, event)
    open_poll_of_kind(in_db, event, "single")

    def publish():
        from roundtable.questions import service as questions

        ev = db.session.get(Event, event.id)
        item = questions.live_item(ev)
        item.question_mode = "open"
        item.involves_children = False
        db.session.flush()
        from roundtable.models import Participant

        author = Participant(event_id=ev.id)
        db.session.add(author)
        db.session.flush()
        question, _ = questions.ask(item, author, "What is being done about scams?", None, "clientabc1")
        db.session.commit()
        return question.id

    question_id = in_db(publish)
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "What is being done about scams?" in page
    client.post(f"/lite/{event.code}/upvote/{question_id}", data={"up": "1"})
    assert in_db(lambda: db.session.get(Question, question_id).upvotes) == 1
    client.post(f"/lite/{event.code}/upvote/{question_id}", data={"up": "1"})  # sent twice: once
    assert in_db(lambda: db.session.get(Question, question_id).upvotes) == 1
    assert "Remove my upvote" in client.get(f"/lite/{event.code}").get_data(as_text=True)
    client.post(f"/lite/{event.code}/upvote/{question_id}", data={"up": "0"})
    assert in_db(lambda: db.session.get(Question, question_id).upvotes) == 0


def test_help_reaches_the_facilitators_and_shows_the_helpline_in_kiswahili(client, seed_event, in_db):
    event = seed_event()
    client.post("/lang", data={"lang": "sw", "next": "/"})
    join(client, event, group="children")
    response = client.post(f"/lite/{event.code}/help", data={"kind": "help", "message": "Naogopa"})
    assert response.status_code == 302
    request = in_db(lambda: db.session.scalars(db.select(HelpRequest)).one())
    assert (request.kind, request.message) == ("help", "Naogopa")
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert "Mwezeshaji amearifiwa. Atakuja kukuona." in page
    assert "piga simu Childline Kenya kwa 116" in page
    # No kind chosen: a clear error, nothing stored.
    client.post(f"/lite/{event.code}/help", data={"message": "x"})
    assert "Sema kama unahitaji msaada" in client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert in_db(lambda: len(db.session.scalars(db.select(HelpRequest)).all())) == 1


def test_the_lite_page_shows_content_in_the_participants_language(client, seed_event, in_db):
    event = seed_event()
    join(client, event)
    poll_id = open_poll_of_kind(in_db, event, "single")
    question, question_sw = in_db(
        lambda: (lambda p: (p.question, p.question_sw))(db.session.get(Poll, poll_id))
    )
    assert question in client.get(f"/lite/{event.code}").get_data(as_text=True)
    client.post("/lang", data={"lang": "sw", "next": "/"})
    page = client.get(f"/lite/{event.code}").get_data(as_text=True)
    assert question_sw in page and question not in page
    assert '<html lang="sw">' in page


def test_the_lite_page_formats_the_date_in_the_participants_language(client, seed_event, in_db):
    import datetime as dt

    event = seed_event()
    join(client, event)
    open_poll_of_kind(in_db, event, "single")

    def set_date():
        ev = db.session.get(Event, event.id)
        live_state.current_item(ev).day.date = dt.date(2027, 3, 9)
        db.session.commit()

    in_db(set_date)
    assert "Tuesday, 9 March 2027" in client.get(f"/lite/{event.code}").get_data(as_text=True)
    client.post("/lang", data={"lang": "sw", "next": "/"})
    assert "Jumanne, 9 Machi 2027" in client.get(f"/lite/{event.code}").get_data(as_text=True)

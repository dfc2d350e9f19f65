"""Every stored text is neutralised: no bidi override, invisible filler or control character
reaches the database, whichever field it came in (issue 9.7)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roundtable.extensions import db
from roundtable.models import (
    AgendaItem,
    Day,
    Event,
    HelpRequest,
    Participant,
    Poll,
    PollOption,
    Question,
    ResponseItem,
)
from roundtable.text import neutralise, one_line

# Each one of these, in every field, must be gone once stored.
TRICKS = (
    "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u2060\ufeff\u00ad\u3164\x00\x07\x1b\x7f\x85"
)


def tricky(text: str) -> str:
    """``text`` with every trick character slipped in, twice."""
    return TRICKS + text[:1] + TRICKS + text[1:] + TRICKS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u202egnp.exe", "gnp.exe"),
        ("f\u200bu\u2060ck", "fuck"),
        ("a\x00b\x1bc", "abc"),
        ("line\nbreak\tand tab", "line\nbreak\tand tab"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("family 👨\u200d👩\u200d👧 stays", "family 👨\u200d👩\u200d👧 stays"),  # ZWJ sequences kept
        ("Kiswahili: habari yako?", "Kiswahili: habari yako?"),
        ("\u3164", ""),
    ],
)
def test_neutralise(raw, expected):
    assert neutralise(raw) == expected


def test_one_line_folds_spacing():
    assert one_line(" a \u202e\n b\t ") == "a b"


def _clean(value: str | None) -> bool:
    return value is None or not any(ch in value for ch in TRICKS)


def test_every_stored_text_is_neutralised(app, seed_event, socket_client, in_db):
    ev = seed_event()
    item = ev.working_items[1]
    staff = socket_client("staff", ev)
    phone = socket_client("participant", ev)

    def ok(sock, name, data):
        reply = sock.emit(name, data, callback=True)
        assert reply["ok"], (name, reply)
        return reply

    ok(staff, "staff:set_live", {"item_id": item["id"]})
    ok(
        staff,
        "staff:event_save",
        {"title": tricky("Roundtable"), "hosts": tricky("Hosts"), "helpline": tricky("Call 116")},
    )
    ok(staff, "staff:day_save", {"day_id": _first_day(in_db, ev.id), "title": tricky("Day one")})
    ok(
        staff,
        "staff:item_save",
        {
            "item_id": item["id"],
            "title": tricky("Session"),
            "facilitator": tricky("Facilitator"),
            "points": tricky("Point"),
        },
    )
    choice = ok(
        staff,
        "staff:poll_save",
        {
            "item_id": item["id"],
            "kind": "single",
            "question": tricky("Which?"),
            "options": [tricky("Yes"), {"label": tricky("No")}],
        },
    )["poll_id"]
    words = ok(
        staff,
        "staff:poll_save",
        {
            "item_id": item["id"],
            "kind": "wordcloud",
            "question": tricky("Words"),
            "settings": {"max_words": 3, "premoderate": False},
        },
    )["poll_id"]
    texts = ok(
        staff,
        "staff:poll_save",
        {
            "item_id": item["id"],
            "kind": "opentext",
            "question": tricky("Say"),
            "settings": {"max_answers": 1, "premoderate": False},
        },
    )["poll_id"]
    rating = ok(
        staff,
        "staff:poll_save",
        {
            "item_id": item["id"],
            "kind": "rating",
            "question": "Rate",
            "settings": {"scale": 5, "min_label": tricky("low"), "max_label": tricky("high")},
        },
    )["poll_id"]
    for poll_id in (words, texts):
        ok(staff, "staff:poll_open", {"poll_id": poll_id})
    ok(phone, "vote", {"poll_id": words, "client_id": "text-test-1", "answer": {"words": [tricky("safety")]}})
    ok(phone, "vote", {"poll_id": texts, "client_id": "text-test-2", "answer": {"texts": [tricky("Listen")]}})
    ok(phone, "nickname:set", {"nickname": tricky("Zawadi")})
    asked = ok(
        phone,
        "question:ask",
        {"text": tricky("Who helps children?"), "name": tricky("Amina"), "client_id": "text-test-3"},
    )["question"]
    held = ok(phone, "question:ask", {"text": tricky("Another question please"), "client_id": "text-test-4"})
    ok(phone, "help:send", {"kind": "help", "message": tricky("I need \ud800 help")})
    ok(
        staff,
        "mod:reject",
        {
            "question_id": held["question"]["id"],
            "version": _version(in_db, held),
            "reason": tricky("Off topic"),
        },
    )
    ok(staff, "staff:word_hide", {"poll_id": words, "word": tricky("other"), "hidden": True})

    def stored() -> list[str | None]:
        values: list[str | None] = []
        event = db.session.get(Event, ev.id)
        values += [event.title, event.hosts, event.helpline]
        values += [d.title for d in db.session.scalars(select(Day).where(Day.event_id == ev.id))]
        it = db.session.get(AgendaItem, item["id"])
        values += [it.title, it.facilitator, it.points]
        for poll_id in (choice, words, texts, rating):
            poll = db.session.get(Poll, poll_id)
            values.append(poll.question)
            values += [str(v) for v in poll.settings.values()]
        values += [
            o.label for o in db.session.scalars(select(PollOption).where(PollOption.poll_id == choice))
        ]
        values += list(db.session.scalars(select(ResponseItem.text)))
        values += [p.nickname for p in db.session.scalars(select(Participant))]
        for q in db.session.scalars(select(Question)):
            values += [q.text, q.name, q.reject_reason, q.fingerprint]
        values += [h.message for h in db.session.scalars(select(HelpRequest))]
        return values

    values = in_db(stored)
    dirty = [v for v in values if not _clean(v)]
    assert not dirty, [ascii(v) for v in dirty]
    assert "Who helps children?" in values and "safety" in values and "Listen" in values
    assert "I need \ufffd help" in values  # the help request arrived, surrogate and all
    assert asked["text"] == "Who helps children?"


def _first_day(in_db, event_id):
    return in_db(lambda: db.session.scalar(select(Day.id).where(Day.event_id == event_id).order_by(Day.id)))


def _version(in_db, reply):
    return in_db(lambda: db.session.get(Question, reply["question"]["id"]).version)

"""No payload of any shape gives a 500, a ``server_error`` or a traceback (issue 9.6).

Hypothesis sends every socket event (each one in ``roundtable.schemas.SOCKET_EVENTS``, plus the
reserved names ``connect`` / ``disconnect`` and unknown ones) from a participant, a facilitator
and a projector socket, with payloads of every shape: random JSON with lone surrogates, NUL
bytes, bidi overrides, integers beyond 64 bits, non-finite floats, deep nesting; and payloads
shaped like the event's schema, with real ids of the seeded event, so that many reach the
business rules. Every form and query route gets the same treatment over HTTP. Checked for each:
no HTTP 500, no ``server_error``, nothing logged at ERROR (no traceback), and a refused event
leaves every table exactly as it was. Run on SQLite and PostgreSQL; the counts are written to
``test-artifacts/fuzz-<database>.json`` for the closing note.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from roundtable.extensions import db
from roundtable.models import HelpRequest, Poll, Question, ResponseItem
from roundtable.schemas import SOCKET_EVENTS

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVENTS = sorted(SOCKET_EVENTS) + ["connect", "disconnect", "no:such_event"]

SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "help \udfff me",
    "\u202etxet desrever\u202c",
    "\u2066isolate\u2069",
    "\u200b\u2060\ufeff",
    "é",
    "0712 345 678",
    "<script>alert(1)</script>",
    "x" * 300,
    "w" * 20_000,
    "single",
    "results",
    "approve",
    "help",
    "up",
]
HUGE = [2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**30, -1, 0]

texts = st.one_of(st.sampled_from(SPECIAL_TEXT), st.text(st.characters(exclude_categories=()), max_size=40))
integers = st.one_of(st.integers(-3, 40), st.sampled_from(HUGE), st.integers())
scalars = st.one_of(st.none(), st.booleans(), integers, st.floats(allow_nan=True, allow_infinity=True), texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=10,
)
deep = st.integers(5, 40).map(lambda n: _nest(n))


def _nest(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, app_factory):
    """Every fixture of this module (socket clients, seeding, logins) on both databases."""
    return app_factory(request.param)


def _fingerprint() -> str:
    """A hash of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
        rows = db.session.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {order}'))  # noqa: S608
        digest.update(table.name.encode())
        for row in rows:
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()
    return digest.hexdigest()


class Counts(dict):
    def add(self, key: str, n: int = 1) -> None:
        self[key] = self.get(key, 0) + n


def _ids(in_db) -> dict[str, list[int]]:
    def read() -> dict[str, list[int]]:
        return {
            "poll": list(db.session.scalars(select(Poll.id).limit(12))),
            "question": list(db.session.scalars(select(Question.id))),
            "request": list(db.session.scalars(select(HelpRequest.id))),
            "item": list(db.session.scalars(text("SELECT id FROM agenda_items ORDER BY id LIMIT 8"))),
            "day": list(db.session.scalars(text("SELECT id FROM days"))),
            "option": list(db.session.scalars(text("SELECT id FROM poll_options ORDER BY id LIMIT 20"))),
            "answer": list(db.session.scalars(select(ResponseItem.id))) or [1],
        }

    return in_db(read)


def _field_values(ids: dict[str, list[int]]) -> dict[str, st.SearchStrategy]:
    def some(kind: str) -> st.SearchStrategy:
        return st.sampled_from(ids[kind] or [1]) | integers | json_values

    option = st.sampled_from(ids["option"] or [1])
    answers = st.dictionaries(
        st.sampled_from(["option", "options", "value", "order", "points", "words", "texts", "x"]),
        st.one_of(
            option,
            st.lists(option, max_size=5),
            st.dictionaries(option.map(str), integers, max_size=4),
            st.lists(texts, max_size=4),
            json_values,
        ),
        max_size=2,
    )
    return {
        "poll_id": some("poll"),
        "question_id": some("question"),
        "request_id": some("request"),
        "item_id": some("item"),
        "day_id": some("day"),
        "version": st.integers(0, 5) | json_values,
        "item_ids": st.lists(some("answer"), max_size=3) | json_values,
        "answer": answers | json_values,
        "options": st.lists(
            texts | st.fixed_dictionaries({"label": texts}, optional={"id": option, "correct": json_values}),
            max_size=4,
        )
        | json_values,
        "items": st.lists(
            st.fixed_dictionaries({"question_id": some("question"), "version": st.integers(0, 5)}), max_size=3
        )
        | json_values,
        "settings": st.dictionaries(
            st.sampled_from(
                [
                    "scale",
                    "max_words",
                    "max_answers",
                    "max_selections",
                    "hidden_words",
                    "premoderate",
                    "leaderboard",
                    "min_label",
                ]
            ),
            json_values,
            max_size=3,
        )
        | json_values,
    }


def _payloads(event: str, fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    schema = SOCKET_EVENTS.get(event)
    names = sorted(schema.model_fields) if schema is not None else []
    shaped = st.fixed_dictionaries({}, optional={k: fields.get(k, texts | json_values) for k in names})
    return st.one_of(shaped, shaped, shaped, json_values, deep)


# Each role mostly sends its own events (so that payloads get past the role check and into the
# business rules), and sometimes anyone else's.
OWN = {
    "participant": ["vote", "nickname:set", "question:ask", "question:upvote", "help:send", "snapshot"],
    "staff": [
        e
        for e in EVENTS
        if e.startswith(("staff:", "mod:")) or e in ("help:handle", "help:take", "help:reply")
    ],
    "screen": ["snapshot"],
}


def test_no_socket_payload_gives_a_server_error(app, seed_event, socket_client, in_db, caplog):
    event = seed_event()
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    staff = socket_client("staff", event)
    participant = socket_client("participant", event)
    screen = socket_client("screen", event)
    working = event.working_items[1]
    assert staff.emit("staff:set_live", {"item_id": working["id"]}, callback=True)["ok"]
    for poll in working["polls"]:
        assert staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True)["ok"]
    asked = participant.emit(
        "question:ask", {"text": "How do we report abuse?", "client_id": "fuzz-seed-1"}, callback=True
    )
    assert asked["ok"], asked
    assert participant.emit("help:send", {"kind": "help", "message": "fuzz"}, callback=True)["ok"]
    fields = _field_values(_ids(in_db))
    sockets = {"participant": participant, "staff": staff, "screen": screen}
    counts = Counts()
    problems: list[str] = []

    @settings(
        max_examples=500 if database == "sqlite" else 250,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        database=None,
    )
    @given(data=st.data())
    def run(data):
        role = data.draw(st.sampled_from(sorted(sockets)))
        name = data.draw(st.sampled_from(OWN[role]) | st.sampled_from(EVENTS))
        payload = data.draw(_payloads(name, fields))
        sock = sockets[role]
        before = in_db(_fingerprint)
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            ack = sock.emit(name, payload, callback=True)
        after = in_db(_fingerprint)
        counts.add("payloads")
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        if errors:
            counts.add("tracebacks", len(errors))
            problems.append(f"{role} {name} {payload!r:.200}: logged {errors[0].getMessage()}")
        if not isinstance(ack, dict):
            counts.add("no_answer")  # unknown event names and the reserved ones
            if after != before:
                counts.add("state_changes_on_refusal")
                problems.append(f"{role} {name}: no answer but the database changed")
            return
        if ack.get("ok"):
            counts.add("accepted")
            return
        counts.add("refusals")
        code = ack["error"]["code"]
        if code == "server_error":
            counts.add("server_errors")
            problems.append(f"{role} {name} {payload!r:.300}: server_error")
        if after != before:
            counts.add("state_changes_on_refusal")
            problems.append(f"{role} {name} {payload!r:.200}: refused ({code}) but the database changed")
        if not sock.is_connected():
            problems.append(f"{role} {name}: the socket was disconnected")

    run()
    counts.setdefault("server_errors", 0)
    counts.setdefault("tracebacks", 0)
    counts.setdefault("state_changes_on_refusal", 0)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"fuzz-sockets-{database}.json").write_text(json.dumps(counts, indent=2, sort_keys=True))
    assert not problems, problems[:10]
    assert counts["refusals"] > counts["payloads"] // 3 and counts["accepted"] > 0, counts


ROUTES = ["/", "/j/{x}", "/e/{x}", "/qr/{x}.svg", "/screen/{x}", "/staff/{x}", "/staff/login", "/staff/"]


def _raw(value: str) -> str:
    """Percent-encoded bytes of any text, lone surrogates included (invalid UTF-8 on the wire)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def test_no_form_or_query_gives_a_500(app, seed_event, login, caplog):
    event = seed_event()
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    clients = {"anonymous": app.test_client(), "participant": app.test_client(), "staff": app.test_client()}
    assert clients["participant"].post(f"/j/{event.code}").status_code == 302
    login(clients["staff"])
    counts = Counts()
    problems: list[str] = []
    fuzz_values = texts | integers.map(str)

    @settings(
        max_examples=200 if database == "sqlite" else 100,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        who=st.sampled_from(sorted(clients)),
        route=st.sampled_from(ROUTES),
        segment=st.one_of(st.just(event.code), fuzz_values),
        method=st.sampled_from(["GET", "POST"]),
        fields=st.dictionaries(
            st.sampled_from(["code", "key", "group", "username", "password", "next", "csrf_token"]) | texts,
            st.one_of(st.just(event.screen_key), st.just("other"), fuzz_values),
            max_size=4,
        ),
    )
    def run(who, route, segment, method, fields):
        path = route.format(x=_raw(segment) or "x")
        _request_and_check(app, clients[who], who, method, path, fields, counts, problems, caplog)

    run()
    _report(counts, f"fuzz-http-{database}.json", problems)


def _db_fingerprint(app) -> str:
    with app.app_context():
        return _fingerprint()


def _request_and_check(app, client, who, method, path, fields, counts, problems, caplog) -> None:
    """Send one fuzzed request (fields as a query for GET, a form body otherwise) and record what
    must never happen: a 500, anything logged at ERROR, a refusal that changed the database."""
    encoded = "&".join(f"{_raw(k)}={_raw(v)}" for k, v in fields.items())
    before = _db_fingerprint(app)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        if method == "GET":
            reply = client.get(path + ("?" + encoded if encoded else ""))
        else:
            form = "application/x-www-form-urlencoded"
            reply = client.open(path, method=method, data=encoded.encode(), content_type=form)
    counts.add("requests")
    counts.add(f"status_{reply.status_code}")
    if reply.status_code >= 500:
        counts.add("http_500")
        problems.append(f"{who} {method} {path} {fields!r:.200}: {reply.status_code}")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    if errors:
        counts.add("tracebacks", len(errors))
        problems.append(f"{who} {method} {path}: logged {errors[0].getMessage()}")
    if reply.status_code >= 400 and _db_fingerprint(app) != before:
        counts.add("state_changes_on_refusal")
        problems.append(f"{who} {method} {path}: refused ({reply.status_code}) but the database changed")


def _report(counts: Counts, name: str, problems: list[str]) -> None:
    """Write the counts for the closing note (every failure kind present, 0 when none), then fail
    on the first problems found."""
    for key in ("http_500", "tracebacks", "state_changes_on_refusal"):
        counts.setdefault(key, 0)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_text(json.dumps(counts, indent=2, sort_keys=True))
    assert not problems, problems[:10]


# Every route the app has (its url_map), as anyone, a participant and an admin, with path
# arguments that are real ids of the seeded event or anything else, and form fields named as the
# app's forms name them. Left out: logging out and new event codes or projector keys (each would
# end the run's own access for the requests after it: they are tested on their own), and the
# PDFs (WeasyPrint takes a second a page: tests/test_exports.py renders them).
SKIPPED_ENDPOINTS = {"staff.logout", "manage.new_code", "manage.new_screen_key", "static"}
FORM_FIELDS = [
    "code", "key", "group", "username", "password", "new_password", "confirm", "next", "lang",
    "language", "title", "title_sw", "text", "message", "kind", "topic", "location", "name",
    "answer", "option", "options", "value", "points", "role", "roles", "active", "scope",
    "include_questions", "direction", "date", "starts_on", "ends_on", "timezone", "hosts",
    "helpline", "facilitator", "involves_children", "question_mode", "words", "outcome",
    "target", "id", "sessionId", "serviceCode", "phoneNumber", "from", "to", "linkId",
]


def _routes(app) -> list[tuple[str, str, list[str]]]:
    """(rule, method, argument names) of every route but the skipped ones."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.endswith(".pdf"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, sorted(rule.arguments)))
    return sorted(found)


def test_no_route_of_the_app_gives_a_500(app, seed_event, login, in_db, caplog):
    event = seed_event()
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    clients = {"anonymous": app.test_client(), "participant": app.test_client(), "staff": app.test_client()}
    assert clients["participant"].post(f"/j/{event.code}").status_code == 302
    login(clients["staff"])
    ids = _ids(in_db)
    real_ids = sorted({i for values in ids.values() for i in values})[:50] or [1]
    routes = _routes(app)
    assert len(routes) > 50, routes  # the whole app, not a sample
    counts = Counts()
    problems: list[str] = []
    fuzz_values = texts | integers.map(str)
    argument = re.compile(r"<(?:(\w+):)?(\w+)>")

    @settings(
        max_examples=400 if database == "sqlite" else 200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.data())
    def run(data):
        who = data.draw(st.sampled_from(sorted(clients)))
        rule, method, _ = data.draw(st.sampled_from(routes))

        def fill(match: re.Match) -> str:
            converter = match.group(1)
            if converter == "int":
                return str(data.draw(st.sampled_from(real_ids) | st.integers(0, 2**70)))
            if match.group(2) == "code":
                return _raw(data.draw(st.just(event.code) | st.just(event.code) | fuzz_values)) or "x"
            return _raw(data.draw(fuzz_values)) or "x"

        path = argument.sub(fill, rule)
        fields = data.draw(
            st.dictionaries(
                st.sampled_from(FORM_FIELDS) | texts,
                st.one_of(st.just(event.screen_key), st.sampled_from(["1", "on", "en", "sw"]), fuzz_values),
                max_size=5,
            )
        )
        _request_and_check(app, clients[who], who, method, path, fields, counts, problems, caplog)

    run()
    counts["routes"] = len(routes)
    _report(counts, f"fuzz-routes-{database}.json", problems)

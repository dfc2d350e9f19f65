"""The programme file format: the built-in file, export/import round trips, and refused files
(each problem named with its field and line, nothing created)."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from roundtable.agenda import programme_file as pf
from roundtable.extensions import db
from roundtable.models import Event, Poll, PollOption
from roundtable.polls.kinds import KINDS


def builtin() -> dict:
    return json.loads(pf.BUILTIN.read_text(encoding="utf-8"))


def without_schema_key(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "$schema"}


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


# --- the schema and the built-in file -------------------------------------------------------------


def test_schema_is_a_valid_json_schema_and_lists_every_poll_kind():
    Draft202012Validator.check_schema(pf.schema())
    assert set(pf.schema()["$defs"]["poll"]["properties"]["kind"]["enum"]) == set(KINDS)


def test_builtin_file_is_valid_and_seed_loads_it(ctx, make_event):
    assert pf.check(builtin()) == []
    event = make_event()
    # The seeded event is exactly the file (the file is the seed).
    assert pf.export_programme(event) == without_schema_key(builtin())


def test_builtin_file_has_the_kiswahili_keys_only_as_optional_extras(ctx):
    # Any *_sw key may be absent: the file is valid without a single translation.
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("_sw")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    assert pf.check(strip(builtin())) == []


# --- round trips -----------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_programme(any_ctx):
    first = pf.load_builtin()
    db.session.commit()
    exported = pf.export_programme(first)
    second = pf.import_programme(pf.dumps(exported))
    db.session.commit()
    assert second.id != first.id and second.code != first.code
    assert second.screen_key != first.screen_key
    assert pf.export_programme(second) == exported
    assert sum(len(i.polls) for i in second.agenda_items()) == sum(len(i.polls) for i in first.agenda_items())


def full_programme() -> dict:
    """Every field of the format, with translations, dates and every poll kind."""
    return {
        "format": "roundtable-programme",
        "version": 1,
        "title": "Youth forum on digital rights",
        "title_sw": "Jukwaa la vijana kuhusu haki za kidijitali",
        "hosts": "A youth network",
        "objective": "Hear young people.",
        "outcomes": ["A charter", "A network"],
        "timezone": "Africa/Nairobi",
        "expected_size": 120,
        "helpline": "Call 116.",
        "helpline_sw": "Piga 116.",
        "starts_on": "2027-02-10",
        "ends_on": "2027-02-11",
        "groups": [
            {"key": "youth", "label": "Young people", "label_sw": "Vijana", "is_children": True},
            {"key": "other", "label": "Other", "is_children": False},
        ],
        "days": [
            {
                "title": "Day one",
                "title_sw": "Siku ya kwanza",
                "date": "2027-02-10",
                "sessions": [
                    {
                        "title": "Opening",
                        "title_sw": "Ufunguzi",
                        "starts_at": "09:00",
                        "ends_at": "10:00",
                        "facilitator": "Amina",
                        "points": ["Welcome", "Goals"],
                        "points_sw": ["Karibu", "Malengo"],
                        "is_break": False,
                        "involves_children": True,
                        "children_led": True,
                        "question_mode": "premoderated",
                        "questions_to": "",
                        "split_by_group": False,
                        "polls": [
                            {
                                "kind": "single",
                                "question": "Ready?",
                                "question_sw": "Tayari?",
                                "options": [{"label": "Yes", "label_sw": "Ndiyo"}, {"label": "No"}],
                                "settings": {},
                                "allow_change": True,
                                "results_mode": "live",
                            },
                            {
                                "kind": "multiple",
                                "question": "Which apps?",
                                "options": [{"label": "A"}, {"label": "B"}, {"label": "C"}],
                                "settings": {"max_selections": 2},
                                "allow_change": False,
                                "results_mode": "after_vote",
                            },
                            {
                                "kind": "quiz",
                                "question": "2 + 2?",
                                "options": [
                                    {"label": "4", "correct": True},
                                    {"label": "5", "correct": False},
                                ],
                                "settings": {"leaderboard": False},
                                "allow_change": True,
                                "results_mode": "on_reveal",
                            },
                            {
                                "kind": "rating",
                                "question": "How safe?",
                                "settings": {"scale": 10, "min_label": "Not", "max_label": "Very"},
                                "allow_change": True,
                                "results_mode": "never",
                            },
                            {
                                "kind": "wordcloud",
                                "question": "One word",
                                "settings": {"max_words": 1, "premoderate": True, "hidden_words": []},
                                "allow_change": True,
                                "results_mode": "live",
                            },
                            {
                                "kind": "opentext",
                                "question": "Tell us",
                                "settings": {"max_answers": 2, "premoderate": True},
                                "allow_change": True,
                                "results_mode": "live",
                            },
                        ],
                    },
                    {
                        "title": "Tea",
                        "starts_at": "10:00",
                        "ends_at": "10:30",
                        "facilitator": "",
                        "points": [],
                        "is_break": True,
                        "involves_children": False,
                        "children_led": False,
                        "question_mode": "closed",
                        "questions_to": "",
                        "split_by_group": False,
                        "polls": [],
                    },
                ],
            },
            {
                "title": "Day two",
                "date": "2027-02-11",
                "sessions": [
                    {
                        "title": "Answers",
                        "starts_at": "14:00",
                        "ends_at": "15:30",
                        "facilitator": "DCS",
                        "points": [],
                        "is_break": False,
                        "involves_children": False,
                        "children_led": False,
                        "question_mode": "open",
                        "questions_to": "Duty bearers",
                        "split_by_group": True,
                        "polls": [
                            {
                                "kind": "ranking",
                                "question": "Order these",
                                "options": [{"label": "X"}, {"label": "Y"}],
                                "settings": {},
                                "allow_change": True,
                                "results_mode": "on_reveal",
                            },
                            {
                                "kind": "points",
                                "question": "Share 100",
                                "options": [{"label": "P"}, {"label": "Q"}],
                                "settings": {"budget": 100},
                                "allow_change": True,
                                "results_mode": "on_reveal",
                            },
                        ],
                    }
                ],
            },
        ],
    }


def test_every_field_survives_the_round_trip(any_ctx):
    doc = full_programme()
    event = pf.import_programme(pf.dumps(doc))
    db.session.commit()
    db.session.expire_all()
    assert pf.export_programme(event) == doc
    assert event.days[0].items[0].polls[0].options[0].label_sw == "Ndiyo"
    assert event.days[0].items[0].points_sw == "Karibu\nMalengo"
    assert str(event.starts_on) == "2027-02-10"


def test_defaults_of_a_minimal_file_are_the_protective_ones(ctx):
    doc = {
        "format": "roundtable-programme",
        "version": 1,
        "title": "Small",
        "days": [
            {
                "title": "D",
                "sessions": [
                    {"title": "Kids", "starts_at": "09:00", "ends_at": "10:00", "involves_children": True},
                    {"title": "Lunch", "starts_at": "12:00", "ends_at": "13:00", "is_break": True},
                    {"title": "Adults", "starts_at": "13:00", "ends_at": "14:00"},
                ],
            }
        ],
    }
    event = pf.import_programme(doc)
    modes = [i.question_mode for i in event.agenda_items()]
    assert modes == ["premoderated", "closed", "open"]
    assert event.timezone == "Africa/Nairobi"


# --- refused files: the problem named with its field and line, nothing created ----------------------


def session0(doc):
    return doc["days"][0]["sessions"][1]


def mutate_wrong_field(doc):
    session0(doc)["titel"] = session0(doc).pop("title")


def mutate_missing_field(doc):
    del session0(doc)["starts_at"]


def mutate_unknown_kind(doc):
    session0(doc)["polls"][0]["kind"] = "slider"


def mutate_overlap(doc):
    doc["days"][0]["sessions"][2]["starts_at"] = "09:15"


def mutate_day_outside(doc):
    doc["starts_on"], doc["ends_on"] = "2027-03-01", "2027-03-02"
    doc["days"][0]["date"], doc["days"][1]["date"] = "2027-03-01", "2027-03-05"


def mutate_bad_time(doc):
    session0(doc)["ends_at"] = "9:30"


def mutate_ends_before(doc):
    session0(doc)["ends_at"] = "08:45"


def mutate_wrong_type(doc):
    session0(doc)["involves_children"] = "yes"


def mutate_bad_timezone(doc):
    doc["timezone"] = "Mars/Olympus"


def mutate_duplicate_group(doc):
    doc["groups"][1]["key"] = doc["groups"][0]["key"]


def mutate_one_option(doc):
    session0(doc)["polls"][1]["options"] = session0(doc)["polls"][1]["options"][:1]


def mutate_quiz_without_answer(doc):
    quiz = doc["days"][0]["sessions"][2]["polls"][0]
    for option in quiz["options"]:
        option["correct"] = False


def mutate_leaderboard_with_children(doc):
    doc["days"][0]["sessions"][2]["polls"][0]["settings"] = {"leaderboard": True}


def mutate_children_led_without_children(doc):
    session0(doc)["involves_children"] = False
    session0(doc)["children_led"] = True


def mutate_unknown_version(doc):
    doc["version"] = 2


def mutate_bad_date(doc):
    doc["days"][0]["date"] = "2027-02-30"


def mutate_break_with_polls(doc):
    doc["days"][0]["sessions"][0]["polls"] = copy.deepcopy(session0(doc)["polls"][:1])


CASES = [
    (mutate_wrong_field, "days[0].sessions[1].titel", "unknown field 'titel'", '"titel"'),
    (mutate_missing_field, "days[0].sessions[1]", "'starts_at' is missing", None),
    (mutate_unknown_kind, "days[0].sessions[1].polls[0].kind", "unknown poll kind 'slider'", '"slider"'),
    (mutate_overlap, "days[0].sessions[2].starts_at", "overlaps sessions[1]", '"09:15"'),
    (mutate_day_outside, "days[1].date", "outside the event", '"2027-03-05"'),
    (mutate_bad_time, "days[0].sessions[1].ends_at", "not a time", '"9:30"'),
    (mutate_ends_before, "days[0].sessions[1].ends_at", "must end after it starts", '"08:45"'),
    (mutate_wrong_type, "days[0].sessions[1].involves_children", "must be true or false", '"yes"'),
    (mutate_bad_timezone, "timezone", "not a time zone", "Mars/Olympus"),
    (mutate_duplicate_group, "groups[1].key", "two groups have the key", None),
    (mutate_one_option, "days[0].sessions[1].polls[1].options", "needs 2 to 12 options", '"options"'),
    (mutate_quiz_without_answer, "days[0].sessions[2].polls[0].settings", "exactly one option", None),
    (mutate_leaderboard_with_children, "days[0].sessions[2].polls[0].settings", "leaderboard", '"settings"'),
    (mutate_children_led_without_children, "days[0].sessions[1].children_led", "involves_children", None),
    (mutate_unknown_version, "version", "must be 1", '"version"'),
    (mutate_bad_date, "days[0].date", "not a date of the calendar", '"2027-02-30"'),
    (mutate_break_with_polls, "days[0].sessions[0].polls", "a break carries no polls", '"polls"'),
]


@pytest.mark.parametrize("mutate, path, words, on_line", CASES, ids=[c[0].__name__[7:] for c in CASES])
def test_a_bad_file_is_refused_naming_field_and_line_and_creates_nothing(
    any_ctx, mutate, path, words, on_line
):
    doc = builtin()
    mutate(doc)
    text = pf.dumps(doc)
    before = (
        event_count(),
        db.session.scalar(select(func.count()).select_from(Poll)),
        db.session.scalar(select(func.count()).select_from(PollOption)),
    )
    with pytest.raises(pf.ProgrammeError) as info:
        pf.import_programme(text)
    problems = info.value.problems
    problem = next((p for p in problems if p.path == path), None)
    assert problem is not None, [str(p) for p in problems]
    assert words in problem.message
    assert problem.line is not None
    line = text.splitlines()[problem.line - 1]
    if on_line:
        assert on_line in line, (problem.line, line)
    assert path in info.value.message or len(problems) > 1
    assert info.value.code == "bad_programme"
    db.session.commit()
    assert (
        event_count(),
        db.session.scalar(select(func.count()).select_from(Poll)),
        db.session.scalar(select(func.count()).select_from(PollOption)),
    ) == before


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"format": "roundtable-programme",\n  "version": 1,\n  "title": "x",,\n}', "not valid JSON"),
        ("[1, 2]", "must be an object"),
        ("", "not valid JSON"),
    ],
)
def test_not_a_programme_at_all(ctx, text, words):
    before = event_count()
    with pytest.raises(pf.ProgrammeError) as info:
        pf.import_programme(text)
    assert words in info.value.message
    assert event_count() == before


def test_syntax_error_names_its_line(ctx):
    with pytest.raises(pf.ProgrammeError) as info:
        pf.import_programme('{\n  "format": "roundtable-programme",\n  "version": 1\n  "title": "x"\n}')
    assert info.value.problems[0].line == 4


def test_bytes_not_utf8_and_too_large(ctx):
    with pytest.raises(pf.ProgrammeError) as info:
        pf.import_programme(b"\xff\xfe{}")
    assert "UTF-8" in info.value.message
    with pytest.raises(pf.ProgrammeError) as info:
        pf.import_programme(b" " * (pf.MAX_BYTES + 1))
    assert "larger" in info.value.message


def test_locate_finds_keys_and_items():
    text = '{\n  "a": [\n    1,\n    {"b": "x\\"y"}\n  ],\n  "c": null\n}'
    lines = pf.locate(text)
    assert lines[("a",)] == 2
    assert lines[("a", 0)] == 3
    assert lines[("a", 1, "b")] == 4
    assert lines[("c",)] == 6


def test_cli_export_then_import(app, runner, tmp_path):
    with app.app_context():
        event = pf.load_builtin()
        db.session.commit()
        code = event.code
    out = tmp_path / "p.json"
    result = runner.invoke(args=["roundtable", "export-programme", code, str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["title"].startswith("Roundtable Discussion")
    result = runner.invoke(args=["roundtable", "import-programme", str(out)])
    assert result.exit_code == 0, result.output
    assert "event code" in result.output
    bad = tmp_path / "bad.json"
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["days"][0]["sessions"][0]["starts_at"] = "8:30"
    bad.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    with app.app_context():
        before = event_count()
    result = runner.invoke(args=["roundtable", "import-programme", str(bad)])
    assert result.exit_code != 0
    assert "days[0].sessions[0].starts_at" in result.output and "not a time" in result.output
    with app.app_context():
        assert event_count() == before

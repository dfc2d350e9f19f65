"""A programme as a JSON file: export, validation with errors that name the field and the line,
and import as a new event.

The format is documented in docs/programme.md and described by docs/programme.schema.json (JSON
Schema 2020-12), which this module applies first; the checks that a schema cannot express
(times that overlap, a day outside the event, a poll's options and settings) follow. The built-in
roundtable is one such file (``programmes/roundtable-2026.json``): ``seed`` and an organiser's
import go through the same ``import_programme``.

Invariant: ``import_programme`` checks the whole file before it adds anything, so a refused file
creates nothing; ``export_programme(import_programme(x))`` gives ``x`` back in its normal form.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..errors import RoundtableError
from ..extensions import db
from ..models import AgendaItem, Day, Event, LiveState, StakeholderGroup
from ..polls.kinds import KINDS
from ..polls.service import save_poll
from .codes import new_event_code

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "programme.schema.json"
PROGRAMMES = Path(__file__).resolve().parent / "programmes"
BUILTIN = PROGRAMMES / "roundtable-2026.json"
FORMAT = "roundtable-programme"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_PROBLEMS = 20

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.path or 'the file'}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


class ProgrammeError(RoundtableError):
    """A programme file that cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems[:MAX_PROBLEMS]
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__("bad_programme", f"This programme cannot be imported: {first}{more}.")

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": [p.as_dict() for p in self.problems]}


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- where each value is: a small scanner over the JSON text ----------------------------------

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def locate(text: str) -> dict[Path_, int]:
    """The line (1-based) of every value and key of a valid JSON document, by path."""
    lines: dict[Path_, int] = {}
    decoder_scanstring = json.decoder.scanstring

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def skip(pos: int) -> int:
        return _SPACE.match(text, pos).end()

    def value(pos: int, path: Path_) -> int:
        pos = skip(pos)
        lines.setdefault(path, line_of(pos))
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                pos = skip(pos)
                key, end = decoder_scanstring(text, pos + 1)
                lines[(*path, key)] = line_of(pos)
                pos = skip(end)
                pos = value(pos + 1, (*path, key))  # past the colon
                pos = skip(pos)
                if text[pos] == "}":
                    return pos + 1
                pos += 1  # the comma
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, (*path, index)))
                if text[pos] == "]":
                    return pos + 1
                pos += 1
                index += 1
        if char == '"':
            return decoder_scanstring(text, pos + 1)[1]
        for literal in ("true", "false", "null"):
            if text.startswith(literal, pos):
                return pos + len(literal)
        return _NUMBER.match(text, pos).end()

    value(0, ())
    return lines


# --- reading and checking ----------------------------------------------------------------------


def parse(source: str | bytes) -> tuple[Any, dict[Path_, int]]:
    """The document and the line of each of its values, or ``ProgrammeError`` for bad JSON."""
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            raise ProgrammeError([Problem("", None, f"the file is larger than {MAX_BYTES // 1000} kB")])
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProgrammeError([Problem("", None, "the file is not UTF-8 text")]) from None
    if len(source) > MAX_BYTES:
        raise ProgrammeError([Problem("", None, f"the file is larger than {MAX_BYTES // 1000} kB")])
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise ProgrammeError(
            [Problem("", error.lineno, f"not valid JSON ({error.msg}, column {error.colno})")]
        ) from None
    return data, locate(source)


_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def _schema_message(error) -> tuple[Path_, str]:
    path: Path_ = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = re.match(r"'([^']+)'", error.message)
        return path, f"the field '{missing.group(1) if missing else error.message}' is missing"
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        allowed = sorted(error.schema.get("properties", {}))
        name = extra[0] if extra else "?"
        return (*path, name), f"unknown field '{name}' (the fields here are: {', '.join(allowed)})"
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        if path and path[-1] == "kind":
            return path, f"unknown poll kind {error.instance!r}: the kinds are {choices}"
        return path, f"{error.instance!r} is not allowed here: choose one of {choices}"
    if kind == "const":
        return path, f"must be {json.dumps(error.validator_value)}"
    if kind == "type":
        expected = error.validator_value
        names = [_TYPES.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
        return path, f"must be {' or '.join(names)}, not {json.dumps(error.instance)[:40]}"
    if kind == "pattern":
        if "[0-5][0-9]$" in error.validator_value:
            return path, f"{error.instance!r} is not a time: give HH:MM on a 24-hour clock, for example 09:30"
        if (path[-1] if path else "") == "key":
            return path, f"{error.instance!r} is not a valid key: lower-case letters, digits, - and _"
        return path, f"{error.instance!r} is not in the expected form"
    if kind == "anyOf":
        return path, f"{json.dumps(error.instance)[:40]} is not a date: give YYYY-MM-DD or null"
    if kind == "minLength":
        return path, "cannot be empty"
    if kind == "maxLength":
        return path, f"can be at most {error.validator_value} characters"
    if kind == "minItems":
        return (
            path,
            f"needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}",
        )
    if kind == "maxItems":
        return path, f"can have at most {error.validator_value} entries"
    if kind in ("minimum", "maximum"):
        return path, f"must be {'at least' if kind == 'minimum' else 'at most'} {error.validator_value}"
    return path, error.message


def check(data: Any, lines: dict[Path_, int] | None = None) -> list[Problem]:
    """Every problem of the document (an empty list: it can be imported)."""
    lines = lines or {}

    def problem(path: Path_, message: str) -> Problem:
        # The line of the value, or of the nearest enclosing one that has a line.
        line = None
        for n in range(len(path), -1, -1):
            if path[:n] in lines:
                line = lines[path[:n]]
                break
        return Problem(dotted(path), line, message)

    validator = Draft202012Validator(schema())
    schema_errors = sorted(
        validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    )
    if schema_errors:
        return [problem(*_schema_message(e)) for e in schema_errors]
    problems: list[Problem] = []
    if not data["title"].strip():
        problems.append(problem(("title",), "cannot be empty"))
    timezone = data.get("timezone", "Africa/Nairobi")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(
            problem(("timezone",), f"{timezone!r} is not a time zone (for example Africa/Nairobi)")
        )

    def date(path: Path_, raw: str | None) -> dt.date | None:
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(problem(path, f"{raw!r} is not a date of the calendar"))
            return None

    starts_on, ends_on = date(("starts_on",), data.get("starts_on")), date(("ends_on",), data.get("ends_on"))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(problem(("ends_on",), f"the event ends ({ends_on}) before it starts ({starts_on})"))
    keys = [g["key"] for g in data.get("groups", [])]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            problems.append(problem(("groups", index, "key"), f"two groups have the key {key!r}"))
    seen_dates: dict[dt.date, int] = {}
    for d, day in enumerate(data["days"]):
        day_date = date(("days", d, "date"), day.get("date"))
        if day_date is not None:
            if starts_on and day_date < starts_on or ends_on and day_date > ends_on:
                problems.append(
                    problem(
                        ("days", d, "date"),
                        f"{day_date} is outside the event ({starts_on or '…'} to {ends_on or '…'})",
                    )
                )
            if day_date in seen_dates:
                problems.append(
                    problem(("days", d, "date"), f"days[{seen_dates[day_date]}] has the same date")
                )
            seen_dates.setdefault(day_date, d)
        spans = []
        for s, session in enumerate(day["sessions"]):
            path = ("days", d, "sessions", s)
            if not session["title"].strip():
                problems.append(problem((*path, "title"), "cannot be empty"))
            if session["ends_at"] <= session["starts_at"]:
                problems.append(
                    problem(
                        (*path, "ends_at"),
                        "the session must end after it starts "
                        f"({session['starts_at']} to {session['ends_at']})",
                    )
                )
            else:
                spans.append((session["starts_at"], session["ends_at"], s))
            if session.get("children_led") and not session.get("involves_children", False):
                problems.append(
                    problem(
                        (*path, "children_led"), "a children's own session must also set involves_children"
                    )
                )
            if session.get("is_break") and session.get("polls"):
                problems.append(problem((*path, "polls"), "a break carries no polls"))
            for p, poll in enumerate(session.get("polls", [])):
                message = _poll_problem(poll, session)
                if message:
                    problems.append(problem((*path, "polls", p, message[0]), message[1]))
        spans.sort()
        for (start_a, end_a, a), (start_b, end_b, b) in zip(spans, spans[1:], strict=False):
            if start_b < end_a:
                problems.append(
                    problem(
                        ("days", d, "sessions", b, "starts_at"),
                        f"overlaps sessions[{a}] ({start_a}–{end_a} and {start_b}–{end_b})",
                    )
                )
    return problems


def _poll_problem(poll: dict[str, Any], session: dict[str, Any]) -> tuple[str, str] | None:
    """The first problem of one poll as ``(field, message)``: the checks ``save_poll`` makes."""
    kind = KINDS.get(poll["kind"])
    if kind is None:
        return "kind", f"unknown poll kind {poll['kind']!r}: the kinds are {', '.join(KINDS)}"
    if not poll["question"].strip():
        return "question", "cannot be empty"
    options = poll.get("options", [])
    if kind.has_options:
        if not kind.min_options <= len(options) <= kind.max_options:
            return (
                "options",
                f"a {kind.label.lower()} poll needs {kind.min_options} to {kind.max_options} options",
            )
        labels = [" ".join(o["label"].split()).casefold() for o in options]
        if any(not label for label in labels):
            return "options", "an option cannot be empty"
        if len(set(labels)) != len(labels):
            return "options", "two options have the same text"
    elif options:
        return "options", f"a {kind.label.lower()} poll has no options"
    settings = dict(poll.get("settings", {}))
    if kind.free_text and "premoderate" not in settings:
        settings["premoderate"] = session.get("children_led", False)
    try:
        settings = kind.validate_settings(
            settings, [{"label": o["label"], "correct": o.get("correct", False)} for o in options]
        )
    except RoundtableError as error:
        return "settings", error.message
    if settings.get("leaderboard") and session.get("involves_children", False):
        return "settings", "a quiz leaderboard is not available in sessions with children"
    return None


# --- import and export ---------------------------------------------------------------------------


def import_programme(source: str | bytes | dict[str, Any], *, code: str | None = None) -> Event:
    """Create a new event from a programme (JSON text or an already parsed document).

    Every problem is found before anything is added: ``ProgrammeError`` lists them, with the field
    and the line of each, and the database is untouched. Flushes; the caller commits.
    """
    if isinstance(source, dict):
        data, lines = source, {}
    else:
        data, lines = parse(source)
    problems = check(data, lines)
    if problems:
        raise ProgrammeError(problems)
    event = Event(
        code=code or new_event_code(),
        title=" ".join(data["title"].split()),
        title_sw=data.get("title_sw", ""),
        hosts=data.get("hosts", ""),
        objective=data.get("objective", ""),
        outcomes="\n".join(data.get("outcomes", [])),
        timezone=data.get("timezone", "Africa/Nairobi"),
        expected_size=data.get("expected_size", 50),
        helpline=data.get("helpline", ""),
        helpline_sw=data.get("helpline_sw", ""),
        starts_on=_date(data.get("starts_on")),
        ends_on=_date(data.get("ends_on")),
    )
    for position, group in enumerate(data.get("groups", [])):
        event.groups.append(
            StakeholderGroup(
                key=group["key"],
                label=group["label"],
                label_sw=group.get("label_sw", ""),
                position=position,
                is_children=group.get("is_children", False),
            )
        )
    db.session.add(event)
    sessions: list[tuple[AgendaItem, dict[str, Any]]] = []
    for day_position, day_data in enumerate(data["days"]):
        day = Day(
            title=day_data["title"],
            title_sw=day_data.get("title_sw", ""),
            date=_date(day_data.get("date")),
            position=day_position,
        )
        event.days.append(day)
        for position, session in enumerate(day_data["sessions"]):
            item = new_item(session, position)
            day.items.append(item)
            sessions.append((item, session))
    db.session.flush()
    for item, session in sessions:
        for poll_data in session.get("polls", []):
            poll = save_poll(event.id, poll_payload(poll_data, item.id))
            poll.question_sw = poll_data.get("question_sw", "")
            for option, option_data in zip(poll.options, poll_data.get("options", []), strict=True):
                option.label_sw = option_data.get("label_sw", "")
    db.session.add(LiveState(event_id=event.id))
    db.session.flush()
    return event


def new_item(session: dict[str, Any], position: int) -> AgendaItem:
    """An ``AgendaItem`` from a checked session of a programme."""
    is_break = session.get("is_break", False)
    involves_children = session.get("involves_children", False)
    default_mode = "closed" if is_break else ("premoderated" if involves_children else "open")
    return AgendaItem(
        position=position,
        title=" ".join(session["title"].split()),
        title_sw=session.get("title_sw", ""),
        starts_at=session["starts_at"],
        ends_at=session["ends_at"],
        facilitator=session.get("facilitator", ""),
        points="\n".join(session.get("points", [])),
        points_sw="\n".join(session.get("points_sw", [])),
        is_break=is_break,
        involves_children=involves_children,
        children_led=session.get("children_led", False),
        question_mode=session.get("question_mode", default_mode),
        questions_to=session.get("questions_to", ""),
        split_by_group=session.get("split_by_group", False),
    )


def poll_payload(poll: dict[str, Any], item_id: int) -> dict[str, Any]:
    """A programme's poll as ``save_poll``'s payload (plus its Kiswahili texts)."""
    payload: dict[str, Any] = {
        "item_id": item_id,
        "kind": poll["kind"],
        "question": poll["question"],
        "options": [
            {"label": o["label"], "correct": o.get("correct", False)} for o in poll.get("options", [])
        ],
    }
    for name in ("settings", "allow_change", "results_mode"):
        if name in poll:
            payload[name] = poll[name]
    return payload


def _date(raw: str | None) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def _with_sw(out: dict[str, Any], name: str, value: str) -> None:
    if value:
        out[f"{name}_sw"] = value


def export_programme(event: Event) -> dict[str, Any]:
    """The event's programme as a document of the format (no answers, participants or state)."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "title": event.title}
    _with_sw(out, "title", event.title_sw)
    out.update(
        hosts=event.hosts,
        objective=event.objective,
        outcomes=[line for line in event.outcomes.splitlines() if line.strip()],
        timezone=event.timezone,
        expected_size=event.expected_size,
        helpline=event.helpline,
    )
    _with_sw(out, "helpline", event.helpline_sw)
    out["starts_on"] = event.starts_on.isoformat() if event.starts_on else None
    out["ends_on"] = event.ends_on.isoformat() if event.ends_on else None
    groups = []
    for group in event.groups:
        g: dict[str, Any] = {"key": group.key, "label": group.label}
        _with_sw(g, "label", group.label_sw)
        g["is_children"] = group.is_children
        groups.append(g)
    out["groups"] = groups
    out["days"] = [_export_day(day) for day in event.days]
    return out


def _export_day(day: Day) -> dict[str, Any]:
    d: dict[str, Any] = {"title": day.title}
    _with_sw(d, "title", day.title_sw)
    d["date"] = day.date.isoformat() if day.date else None
    d["sessions"] = [export_session(item) for item in day.items]
    return d


def export_session(item: AgendaItem) -> dict[str, Any]:
    s: dict[str, Any] = {"title": item.title}
    _with_sw(s, "title", item.title_sw)
    s.update(
        starts_at=item.starts_at, ends_at=item.ends_at, facilitator=item.facilitator, points=item.point_list
    )
    points_sw = [line.strip() for line in item.points_sw.splitlines() if line.strip()]
    if points_sw:
        s["points_sw"] = points_sw
    s.update(
        is_break=item.is_break,
        involves_children=item.involves_children,
        children_led=item.children_led,
        question_mode=item.question_mode,
        questions_to=item.questions_to,
        split_by_group=item.split_by_group,
        polls=[export_poll(poll) for poll in item.polls],
    )
    return s


def export_poll(poll) -> dict[str, Any]:
    p: dict[str, Any] = {"kind": poll.kind, "question": poll.question}
    _with_sw(p, "question", poll.question_sw)
    if KINDS[poll.kind].has_options:
        options = []
        for option in poll.options:
            o: dict[str, Any] = {"label": option.label}
            _with_sw(o, "label", option.label_sw)
            if poll.kind == "quiz":
                o["correct"] = option.is_correct
            options.append(o)
        p["options"] = options
    p.update(
        settings=dict(poll.settings or {}), allow_change=poll.allow_change, results_mode=poll.results_mode
    )
    return p


def dumps(document: dict[str, Any]) -> str:
    """The document as the file's text: indented, UTF-8 characters as they are."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_builtin(code: str | None = None) -> Event:
    """The built-in roundtable (``programmes/roundtable-2026.json``), as ``seed`` creates it."""
    return import_programme(BUILTIN.read_text(encoding="utf-8"), code=code)

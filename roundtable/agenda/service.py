"""Events and their agenda: the built-in seed, look-ups, and facilitators' edits.

Functions flush and leave the commit to the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select, text

from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..i18n import _l, field
from ..models import QUESTION_MODES, AgendaItem, Day, Event
from ..text import neutralise
from .codes import CODE_DIGITS, new_event_code  # noqa: F401 - re-exported (tests, callers)
from .programme_file import load_builtin

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code) if ch.isalnum()).upper()[:12]


def find_event(code: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.code == normalise_code(code)))


# Written once as SQL: built with the ORM on every connect, these cost more than running them.
EVENT_ID_BY_CODE = text("SELECT id FROM events WHERE code = :code")
PARTICIPANT_IN_EVENT = text("SELECT 1 FROM participants WHERE id = :pid AND event_id = :event_id")


def joined_participant(code: str, joined: dict[str, Any]) -> tuple[int, str] | None:
    """``(event id, participant id)`` if ``joined`` (a session's ``{event id: participant id}``)
    holds a participant of the event with this code, else None.

    Two one-row reads, no objects loaded: a reconnect storm is thousands of these at once.
    """
    event_id = db.session.execute(EVENT_ID_BY_CODE, {"code": normalise_code(code)}).scalar()
    participant_id = joined.get(str(event_id)) if event_id is not None else None
    if not isinstance(participant_id, str):
        return None
    found = db.session.execute(PARTICIPANT_IN_EVENT, {"pid": participant_id, "event_id": event_id}).first()
    return (event_id, participant_id) if found is not None else None


def get_event(code: str) -> Event:
    event = find_event(code)
    if event is None:
        raise NotFound("unknown_event", _l("There is no event with that code."))
    return event


def default_event() -> Event | None:
    return db.session.scalar(select(Event).order_by(Event.id).limit(1))


def seed_default_event(code: str | None = None) -> Event:
    """Create the built-in roundtable (its programme file) with its groups and starter polls."""
    return load_builtin(code)


def update_event(event: Event, data: Any) -> None:
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", _l("Send the event as an object."))
    changes = {
        "title": _text(data, "title", 300, event.title),
        "hosts": _text(data, "hosts", 1000, event.hosts, allow_empty=True),
        "objective": _text(data, "objective", 2000, event.objective, allow_empty=True),
        "outcomes": _text(data, "outcomes", 4000, event.outcomes, allow_empty=True, lines=True),
        "helpline": _text(data, "helpline", 1000, event.helpline, allow_empty=True),
        "title_sw": _text(data, "title_sw", 300, event.title_sw or "", allow_empty=True),
        "helpline_sw": _text(data, "helpline_sw", 1000, event.helpline_sw or "", allow_empty=True),
    }
    for name, value in changes.items():
        setattr(event, name, value)
    db.session.flush()


def update_day(event: Event, data: Any) -> Day:
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", _l("Send the day as an object."))
    day = db.session.get(Day, data.get("day_id")) if isinstance(data.get("day_id"), int) else None
    if day is None or day.event_id != event.id:
        raise NotFound("unknown_day", _l("There is no such day."))
    title = _text(data, "title", 120, day.title)
    title_sw = _text(data, "title_sw", 120, day.title_sw or "", allow_empty=True)
    raw_date = data.get("date", day.date.isoformat() if day.date else "")
    if raw_date in ("", None):
        date = None
    else:
        try:
            date = dt.date.fromisoformat(str(raw_date))
        except ValueError:
            raise RoundtableError("bad_date", _l("Give the date as YYYY-MM-DD.")) from None
    day.title, day.title_sw, day.date = title, title_sw, date
    db.session.flush()
    return day


def update_item(event: Event, data: Any) -> AgendaItem:
    from ..polls.service import get_item

    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", _l("Send the session as an object."))
    item = get_item(event.id, data.get("item_id"))
    starts_at = data.get("starts_at", item.starts_at)
    ends_at = data.get("ends_at", item.ends_at)
    for value in (starts_at, ends_at):
        if not isinstance(value, str) or not TIME.match(value):
            raise RoundtableError("bad_time", _l("Give times as HH:MM, for example 09:30."))
    if ends_at <= starts_at:
        raise RoundtableError("bad_time", _l("A session must end after it starts."))
    for other in item.day.items:
        if other.id != item.id and starts_at < other.ends_at and other.starts_at < ends_at:
            raise RoundtableError(
                "overlapping_sessions",
                f"{starts_at}–{ends_at} overlaps “{other.title}” ({other.starts_at}–{other.ends_at}).",
            )
    mode = data.get("question_mode", item.question_mode)
    if mode not in QUESTION_MODES:
        raise RoundtableError("bad_payload", _l("Unknown question mode."))
    flags = {}
    for name in ("involves_children", "children_led", "split_by_group", "is_break"):
        value = data.get(name, getattr(item, name))
        if not isinstance(value, bool):
            raise RoundtableError("bad_payload", _l("%(field)s must be true or false.", field=name))
        flags[name] = value
    # Every field is checked before any is set, so a refused edit changes nothing.
    texts = {
        "title": _text(data, "title", 300, item.title),
        "facilitator": _text(data, "facilitator", 200, item.facilitator, allow_empty=True),
        "points": _text(data, "points", 4000, item.points, allow_empty=True, lines=True),
        "title_sw": _text(data, "title_sw", 300, item.title_sw or "", allow_empty=True),
        "points_sw": _text(data, "points_sw", 4000, item.points_sw or "", allow_empty=True, lines=True),
        "questions_to": _text(data, "questions_to", 200, item.questions_to, allow_empty=True),
    }
    item.starts_at, item.ends_at, item.question_mode = starts_at, ends_at, mode
    for name, value in {**texts, **flags}.items():
        setattr(item, name, value)
    db.session.flush()
    return item


def _text(data, name, limit, current, *, allow_empty=False, lines=False) -> str:
    value = data.get(name, current)
    if not isinstance(value, str):
        raise RoundtableError("bad_payload", _l("The %(field)s must be text.", field=field(name)))
    value = neutralise(value)
    if lines:
        value = "\n".join(" ".join(line.split()) for line in value.splitlines() if line.strip())
    else:
        value = " ".join(value.split())
    if not value and not allow_empty:
        raise RoundtableError("empty_text", _l("The %(field)s cannot be empty.", field=field(name)))
    if len(value) > limit:
        raise RoundtableError(
            "too_long",
            _l("The %(field)s can be at most %(limit)s characters.", field=field(name), limit=limit),
        )
    return value

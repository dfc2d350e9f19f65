"""Building an event's programme: new events, adding, removing and reordering days and sessions,
duplicating an event, and issuing a new event code or screen key.

Plain functions over models: they check everything first, raise ``RoundtableError`` before any
change, flush, and leave the commit (and the broadcast) to the caller.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy import func, select

from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..models import AgendaItem, Day, Event, LiveState, Question, Response, StakeholderGroup
from . import programme_file
from .codes import new_event_code, new_screen_key
from .service import TIME, _text

DEFAULT_GROUPS = [
    ("children", "Children", True),
    ("other", "Other / prefer not to say", False),
]


def _date(raw: Any, field: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise RoundtableError("bad_date", f"Give the {field} as YYYY-MM-DD.") from None


def _timezone(raw: Any) -> str:
    name = raw if isinstance(raw, str) and raw.strip() else "Africa/Nairobi"
    try:
        zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise RoundtableError(
            "bad_timezone", f"{name!r} is not a time zone (for example Africa/Nairobi)."
        ) from None
    return name.strip()


def create_event(data: Any) -> Event:
    """A new, empty event: ``{title, hosts?, timezone?, starts_on?, ends_on?}``.

    One day per date from ``starts_on`` to ``ends_on`` (or one undated day), no sessions yet, the
    default stakeholder groups, a fresh code and screen key.
    """
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send the event as an object.")
    title = _text(data, "title", 300, "")
    hosts = _text(data, "hosts", 1000, "", allow_empty=True)
    timezone = _timezone(data.get("timezone"))
    starts_on, ends_on = _date(data.get("starts_on"), "first day"), _date(data.get("ends_on"), "last day")
    if ends_on and not starts_on:
        starts_on = ends_on
    if starts_on and not ends_on:
        ends_on = starts_on
    if starts_on and ends_on and ends_on < starts_on:
        raise RoundtableError("bad_date", "The last day cannot be before the first day.")
    if starts_on and ends_on and (ends_on - starts_on).days > 30:
        raise RoundtableError("bad_date", "An event can last at most 31 days.")
    event = Event(
        code=new_event_code(),
        title=title,
        hosts=hosts,
        timezone=timezone,
        starts_on=starts_on,
        ends_on=ends_on,
        helpline="",
    )
    for position, (key, label, is_children) in enumerate(DEFAULT_GROUPS):
        event.groups.append(
            StakeholderGroup(key=key, label=label, position=position, is_children=is_children)
        )
    if starts_on and ends_on:
        for n in range((ends_on - starts_on).days + 1):
            event.days.append(Day(title=f"Day {n + 1}", position=n, date=starts_on + dt.timedelta(days=n)))
    else:
        event.days.append(Day(title="Day 1", position=0))
    db.session.add(event)
    db.session.flush()
    db.session.add(LiveState(event_id=event.id))
    db.session.flush()
    return event


def update_dates(event: Event, data: Any) -> None:
    """``{starts_on, ends_on, timezone?}``: refused if a day's date would fall outside."""
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send the dates as an object.")
    starts_on, ends_on = _date(data.get("starts_on"), "first day"), _date(data.get("ends_on"), "last day")
    if starts_on and ends_on and ends_on < starts_on:
        raise RoundtableError("bad_date", "The last day cannot be before the first day.")
    for day in event.days:
        if day.date and (starts_on and day.date < starts_on or ends_on and day.date > ends_on):
            raise RoundtableError(
                "day_outside_event", f"{day.title} ({day.date}) would be outside the event."
            )
    timezone = _timezone(data.get("timezone", event.timezone))
    event.starts_on, event.ends_on, event.timezone = starts_on, ends_on, timezone
    db.session.flush()


def _check_day_date(event: Event, date: dt.date | None, day: Day | None = None) -> None:
    if date is None:
        return
    if event.starts_on and date < event.starts_on or event.ends_on and date > event.ends_on:
        raise RoundtableError(
            "day_outside_event",
            f"{date} is outside the event ({event.starts_on or '…'} to {event.ends_on or '…'}).",
        )
    for other in event.days:
        if other.date == date and (day is None or other.id != day.id):
            raise RoundtableError("duplicate_date", f"{other.title} is already on {date}.")


def get_day(event: Event, day_id: Any) -> Day:
    if not isinstance(day_id, int) or isinstance(day_id, bool):
        raise RoundtableError("bad_payload", "A day id must be a number.")
    day = db.session.get(Day, day_id)
    if day is None or day.event_id != event.id:
        raise NotFound("unknown_day", "There is no such day.")
    return day


def add_day(event: Event, data: Any) -> Day:
    """``{title?, date?}``: a new day at the end of the programme."""
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send the day as an object.")
    title = _text(data, "title", 120, f"Day {len(event.days) + 1}")
    date = _date(data.get("date"), "date")
    if date is None and event.days and event.days[-1].date:
        candidate = event.days[-1].date + dt.timedelta(days=1)
        if not event.ends_on or candidate <= event.ends_on:
            date = candidate
    _check_day_date(event, date)
    if len(event.days) >= 31:
        raise RoundtableError("too_many_days", "An event can have at most 31 days.")
    day = Day(title=title, date=date, position=len(event.days))
    event.days.append(day)
    db.session.flush()
    return day


def answers_in(items: list[AgendaItem]) -> dict[str, int]:
    """What removing ``items`` would lose: answers, polls and questions."""
    ids = [i.id for i in items]
    if not ids:
        return {"polls": 0, "answers": 0, "questions": 0}
    from ..models import Poll

    poll_ids = db.session.scalars(select(Poll.id).where(Poll.agenda_item_id.in_(ids))).all()
    answers = (
        db.session.scalar(select(func.count()).select_from(Response).where(Response.poll_id.in_(poll_ids)))
        if poll_ids
        else 0
    )
    questions = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.agenda_item_id.in_(ids))
    )
    return {"polls": len(poll_ids), "answers": answers or 0, "questions": questions or 0}


def counted(n: int, noun: str) -> str:
    """``counted(1, "answer")`` -> "1 answer"; ``counted(3, "poll")`` -> "3 polls"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _needs_confirmation(lost: dict[str, int], confirm: Any, what: str) -> None:
    if (lost["answers"] or lost["questions"]) and confirm is not True:
        raise RoundtableError(
            "confirm_required",
            f"Removing {what} deletes {counted(lost['answers'], 'answer')} to "
            f"{counted(lost['polls'], 'poll')} and {counted(lost['questions'], 'question')}. "
            "Confirm to remove it anyway.",
        )


def delete_day(event: Event, day: Day, confirm: Any = False) -> dict[str, int]:
    if len(event.days) <= 1:
        raise RoundtableError("last_day", "An event keeps at least one day.")
    lost = answers_in(list(day.items))
    _needs_confirmation(lost, confirm, day.title)
    _leave_live(event, [i.id for i in day.items])
    db.session.delete(day)
    db.session.flush()
    db.session.expire(event, ["days"])
    for position, each in enumerate(event.days):
        each.position = position
    db.session.flush()
    return lost


def move_day(event: Event, day: Day, direction: Any) -> None:
    _move(event.days, day, direction)


def _move(siblings: list, thing, direction: Any) -> None:
    if direction not in ("up", "down"):
        raise RoundtableError("bad_payload", "Move it 'up' or 'down'.")
    ordered = list(siblings)
    index = ordered.index(thing)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, each in enumerate(ordered):
            each.position = position
        siblings.sort(key=lambda each: each.position)
    db.session.flush()


def _overlap(day: Day, starts_at: str, ends_at: str, item: AgendaItem | None = None) -> None:
    for other in day.items:
        if item is not None and other.id == item.id:
            continue
        if starts_at < other.ends_at and other.starts_at < ends_at:
            raise RoundtableError(
                "overlapping_sessions",
                f"{starts_at}–{ends_at} overlaps “{other.title}” ({other.starts_at}–{other.ends_at}).",
            )


def add_item(event: Event, day: Day, data: Any) -> AgendaItem:
    """A new session of ``day``: the fields of a programme file's session (docs/programme.md)."""
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send the session as an object.")
    session: dict[str, Any] = {}
    session["title"] = _text(data, "title", 300, "")
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        if not isinstance(value, str) or not TIME.match(value):
            raise RoundtableError("bad_time", "Give times as HH:MM, for example 09:30.")
        session[name] = value
    if session["ends_at"] <= session["starts_at"]:
        raise RoundtableError("bad_time", "A session must end after it starts.")
    session["facilitator"] = _text(data, "facilitator", 200, "", allow_empty=True)
    points = _text(data, "points", 4000, "", allow_empty=True, lines=True)
    session["points"] = [line for line in points.splitlines() if line]
    for name in ("is_break", "involves_children", "children_led", "split_by_group"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            raise RoundtableError("bad_payload", f"{name} must be true or false.")
        session[name] = value
    if session["children_led"] and not session["involves_children"]:
        raise RoundtableError("bad_payload", "A children's own session must also involve children.")
    mode = data.get("question_mode")
    if mode is not None:
        if mode not in ("open", "premoderated", "closed"):
            raise RoundtableError("bad_payload", "Unknown question mode.")
        session["question_mode"] = mode
    session["questions_to"] = _text(data, "questions_to", 200, "", allow_empty=True)
    _overlap(day, session["starts_at"], session["ends_at"])
    if len(day.items) >= 60:
        raise RoundtableError("too_many_sessions", "A day can have at most 60 sessions.")
    # In time order: the new session goes before the first one that starts later.
    later = [i for i in day.items if i.starts_at >= session["ends_at"]]
    position = later[0].position if later else len(day.items)
    for each in day.items:
        if each.position >= position:
            each.position += 1
    item = programme_file.new_item(session, position)
    day.items.append(item)
    day.items.sort(key=lambda each: each.position)
    db.session.flush()
    return item


def check_item_times(item: AgendaItem, starts_at: str, ends_at: str) -> None:
    """For an edit of a session's times: no overlap with the other sessions of its day."""
    _overlap(item.day, starts_at, ends_at, item)


def delete_item(event: Event, item: AgendaItem, confirm: Any = False) -> dict[str, int]:
    lost = answers_in([item])
    _needs_confirmation(lost, confirm, f"“{item.title}”")
    _leave_live(event, [item.id])
    day = item.day
    db.session.delete(item)
    db.session.flush()
    db.session.expire(day, ["items"])
    for position, each in enumerate(day.items):
        each.position = position
    db.session.flush()
    return lost


def move_item(event: Event, item: AgendaItem, direction: Any) -> None:
    _move(item.day.items, item, direction)


def _leave_live(event: Event, item_ids: list[int]) -> None:
    state = db.session.get(LiveState, event.id)
    if state is not None and state.current_item_id in item_ids:
        state.current_item_id = None
        state.revision += 1


def duplicate_event(event: Event, title: Any = None) -> Event:
    """A copy of ``event``'s programme and polls: no answers, participants, questions or staff;
    a new code and screen key. Goes through the programme file format, so a copy is exactly what
    an export and import would give."""
    document = programme_file.export_programme(event)
    if title is None:
        document["title"] = ("Copy of " + event.title)[:300]
    else:
        document["title"] = _text({"title": title}, "title", 300, "")
    return programme_file.import_programme(document)


def new_code(event: Event) -> str:
    """A fresh event code: the old one stops working at once (no alias is kept)."""
    event.code = new_event_code()
    db.session.flush()
    return event.code


def new_key(event: Event) -> str:
    """A fresh screen key: the old projector link stops working at once."""
    event.screen_key = new_screen_key()
    db.session.flush()
    return event.screen_key

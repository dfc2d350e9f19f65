"""An event's live state and the views of it that each audience may see.

Three views, one per Socket.IO room:
- ``participant_view``: safe for any phone: the live session, its open (or revealed) polls and
  never an unrevealed result, a held question or a staff detail;
- ``screen_view``: what the projector shows, as the facilitator chose it;
- ``staff_view``: everything the console needs.
Every view carries the state's ``revision``; it grows with every change (one UPDATE in the
database, so that several processes agree) and clients drop any view older than the one they have.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from ..errors import RoundtableError
from ..extensions import db
from ..models import SCREEN_MODES, AgendaItem, Event, LiveState, Poll, Response
from ..polls.kinds import kind_of
from ..polls.service import get_item, get_poll, participant_sees_results, tally
from ..questions import views as question_views


def get_state(event: Event) -> LiveState:
    state = db.session.get(LiveState, event.id)
    if state is None:
        state = LiveState(event_id=event.id)
        db.session.add(state)
        db.session.flush()
    return state


def bump(event: Event) -> None:
    """Mark that something participants, screens or staff see has changed."""
    state = get_state(event)
    db.session.execute(
        update(LiveState).where(LiveState.event_id == event.id).values(revision=LiveState.revision + 1)
    )
    db.session.flush()
    db.session.expire(state)


def set_current_item(event: Event, item_id: Any) -> None:
    state = get_state(event)
    state.current_item_id = None if item_id is None else get_item(event.id, item_id).id
    bump(event)


def set_screen(event: Event, mode: Any, poll_id: Any = None) -> None:
    if mode not in SCREEN_MODES:
        raise RoundtableError("bad_payload", f"The screen can show: {', '.join(SCREEN_MODES)}.")
    state = get_state(event)
    poll = get_poll(event.id, poll_id) if mode == "results" else None
    state.screen_mode = mode
    state.screen_poll_id = poll.id if poll else None
    bump(event)


# --- building blocks --------------------------------------------------------------------


def item_dict(item: AgendaItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "id": item.id,
        "day": item.day.title,
        "date": item.day.date.isoformat() if item.day.date else None,
        "title": item.title,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "facilitator": item.facilitator,
        "points": item.point_list,
        "is_break": item.is_break,
        "involves_children": item.involves_children,
        "children_led": item.children_led,
        "question_mode": item.question_mode,
        "questions_to": item.questions_to,
        "split_by_group": item.split_by_group,
    }


def poll_dict(poll: Poll, *, staff: bool = False) -> dict[str, Any]:
    data = {
        "id": poll.id,
        "item_id": poll.agenda_item_id,
        "kind": poll.kind,
        "renderer": kind_of(poll).renderer,
        "question": poll.question,
        "status": poll.status,
        "allow_change": poll.allow_change,
        "results_mode": poll.results_mode,
        "results_revealed": poll.results_revealed,
        "generation": poll.generation,
        "settings": dict(poll.settings or {}),
        "options": [{"id": o.id, "label": o.label} for o in poll.options],
    }
    if staff:
        data["position"] = poll.position
        for option, source in zip(data["options"], poll.options, strict=True):
            option["correct"] = source.is_correct
    return data


def next_item(event: Event, current: AgendaItem | None) -> AgendaItem | None:
    items = event.agenda_items()
    if current is None or current not in items:
        return None
    later = items[items.index(current) + 1 :]
    return later[0] if later else None


def current_item(event: Event) -> AgendaItem | None:
    return _current(event, get_state(event))


def _current(event: Event, state: LiveState) -> AgendaItem | None:
    if state.current_item_id is None:
        return None
    return db.session.get(AgendaItem, state.current_item_id)


def _event_dict(event: Event) -> dict[str, Any]:
    return {"id": event.id, "code": event.code, "title": event.title, "hosts": event.hosts}


def public_results(poll: Poll) -> bool:
    """Whether every participant may see this poll's results now (``after_vote`` is per person)."""
    return participant_sees_results(poll, answered=False)


def screen_sees_results(poll: Poll) -> bool:
    """Whether the projector may draw this poll's results now. The room reads the projector, so
    it shows nothing that phones may not see: "live" and "after you vote" polls (the room has
    voted), "on reveal" ones once revealed, "never" ones never."""
    return poll.results_mode in ("live", "after_vote") or participant_sees_results(poll, answered=False)


def screen_tally(poll: Poll, result: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tally the projector gets: the whole result when it may show it, otherwise only how many
    have answered (``hidden: true``), so nothing hidden from phones reaches the screen."""
    result = result if result is not None else tally(poll)
    if screen_sees_results(poll):
        return result
    keep = ("poll_id", "seq", "kind", "generation", "total", "respondents")
    return {**{k: result[k] for k in keep if k in result}, "hidden": True}


def visible_polls(item: AgendaItem | None) -> list[Poll]:
    """The polls a participant sees: open ones, and closed ones whose results they may see."""
    if item is None:
        return []
    return [
        p
        for p in item.polls
        if p.status == "open"
        or (p.status == "closed" and (public_results(p) or p.results_mode == "after_vote"))
    ]


# --- the three views ---------------------------------------------------------------------


def participant_view(event: Event) -> dict[str, Any]:
    state = get_state(event)
    current = _current(event, state)
    polls = visible_polls(current)
    return {
        "revision": state.revision,
        "event": _event_dict(event),
        "helpline": event.helpline,
        "item": item_dict(current),
        "next": item_dict(next_item(event, current)),
        "polls": [poll_dict(p) for p in polls],
        "tallies": {str(p.id): tally(p) for p in polls if public_results(p)},
        "wall": question_views.wall(current) if current else None,
    }


def screen_view(event: Event) -> dict[str, Any]:
    state = get_state(event)
    current = _current(event, state)
    poll = db.session.get(Poll, state.screen_poll_id) if state.screen_poll_id else None
    mode = state.screen_mode if (state.screen_mode != "results" or poll) else "join"
    return {
        "revision": state.revision,
        "event": _event_dict(event),
        "mode": mode,
        "item": item_dict(current),
        "next": item_dict(next_item(event, current)),
        "poll": poll_dict(poll) if poll and mode == "results" else None,
        "tally": screen_tally(poll) if poll and mode == "results" else None,
        "agenda": agenda_dict(event) if mode == "agenda" else None,
        "wall": question_views.screen_wall(current) if current else None,
        "highlighted": question_views.highlighted(event),
    }


def agenda_dict(event: Event, *, staff: bool = False) -> list[dict[str, Any]]:
    days = []
    for day in event.days:
        items = []
        for item in day.items:
            data = item_dict(item)
            if staff:
                data["polls"] = [poll_dict(p, staff=True) for p in item.polls]
            items.append(data)
        days.append(
            {
                "id": day.id,
                "title": day.title,
                "date": day.date.isoformat() if day.date else None,
                "items": items,
            }
        )
    return days


def response_counts(event: Event) -> dict[str, int]:
    poll_ids = [p.id for item in event.agenda_items() for p in item.polls]
    if not poll_ids:
        return {}
    rows = db.session.execute(
        select(Response.poll_id, func.count())
        .where(Response.poll_id.in_(poll_ids))
        .group_by(Response.poll_id)
    )
    return {str(poll_id): count for poll_id, count in rows}


def staff_view(event: Event) -> dict[str, Any]:
    state = get_state(event)
    return {
        "revision": state.revision,
        "event": {
            **_event_dict(event),
            "objective": event.objective,
            "outcomes": event.outcomes,
            "helpline": event.helpline,
            "timezone": event.timezone,
        },
        "live": {
            "item_id": state.current_item_id,
            "screen_mode": state.screen_mode,
            "screen_poll_id": state.screen_poll_id,
            "highlighted_question_id": state.highlighted_question_id,
        },
        "agenda": agenda_dict(event, staff=True),
        "groups": [{"key": g.key, "label": g.label} for g in event.groups],
        "response_counts": response_counts(event),
        **question_views.staff_parts(event, state.current_item_id),
    }

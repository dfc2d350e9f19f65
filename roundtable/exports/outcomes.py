"""Tagging polls and questions with one of the event's expected outcomes (for the report).

The event's expected outcomes are the lines of ``Event.outcomes`` (the built-in roundtable has
three); a tag is the outcome's number, 1-based, or ``None`` to clear it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..models import AgendaItem, Day, Event, Poll, Question

TARGETS = ("poll", "question")


def outcome_list(event: Event) -> list[str]:
    return [line.strip() for line in (event.outcomes or "").splitlines() if line.strip()]


def _target(event: Event, target: Any, target_id: Any) -> Poll | Question:
    if target not in TARGETS:
        raise RoundtableError("bad_payload", "Tag a 'poll' or a 'question'.")
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise RoundtableError("bad_payload", "The id must be a number.")
    model = Poll if target == "poll" else Question
    found = db.session.scalar(
        select(model)
        .join(AgendaItem, model.agenda_item_id == AgendaItem.id)
        .join(Day, AgendaItem.day_id == Day.id)
        .where(model.id == target_id, Day.event_id == event.id)
    )
    if found is None:
        raise NotFound(f"unknown_{target}", f"There is no such {target}.")
    return found


def tag(event: Event, target: Any, target_id: Any, outcome: Any) -> Poll | Question:
    """Set (or clear, with ``None``) the expected outcome a poll or question serves."""
    thing = _target(event, target, target_id)
    count = len(outcome_list(event))
    if outcome is not None and (
        not isinstance(outcome, int) or isinstance(outcome, bool) or not 1 <= outcome <= count
    ):
        raise RoundtableError("bad_outcome", f"Choose an expected outcome from 1 to {count}, or none.")
    thing.outcome = outcome
    db.session.flush()
    return thing

"""Per-event roles: the one place that decides what a staff member may do at an event.

Roles at an event, strongest first: ``admin`` (every event, and staff management),
``facilitator`` (runs the agenda and polls, moderates, reads the audit log, clears data),
``moderator`` (questions, held answers, help requests). Someone with no role at an event gets
nothing of it: pages answer 404 as for an unknown code, sockets refuse to connect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import Event, EventStaff, User

if TYPE_CHECKING:
    from collections.abc import Iterable

RUN = ("admin", "facilitator")
MODERATE = ("admin", "facilitator", "moderator")


def event_role(user: Any, event: Event | int | None) -> str | None:
    """``user``'s role at ``event``, or ``None``: no access at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return None
    if event is None:
        return None
    if user.role == "admin":
        return "admin"
    event_id = event.id if isinstance(event, Event) else event
    return db.session.scalar(
        select(EventStaff.role).where(EventStaff.user_id == user.id, EventStaff.event_id == event_id)
    )


def can(user: Any, event: Event | int | None, roles: Iterable[str] = MODERATE) -> bool:
    return event_role(user, event) in tuple(roles)


def can_run(user: Any, event: Event | int | None) -> bool:
    return can(user, event, RUN)


def visible_events(user: Any) -> list[Event]:
    """The events ``user`` may open, oldest first: all of them for an admin."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return []
    query = select(Event).order_by(Event.id)
    if user.role != "admin":
        query = query.join(EventStaff, EventStaff.event_id == Event.id).where(EventStaff.user_id == user.id)
    return list(db.session.scalars(query))


def roles_by_event(user: User) -> dict[int, str]:
    rows = db.session.execute(
        select(EventStaff.event_id, EventStaff.role).where(EventStaff.user_id == user.id)
    )
    return dict(rows.all())


def event_for(user: Any, code: str, roles: Iterable[str] = MODERATE) -> Event:
    """The event with ``code`` if ``user`` holds one of ``roles`` there; otherwise ``NotFound``,
    the same answer as for a code that does not exist (nothing of another event leaks)."""
    from ..agenda.service import find_event

    event = find_event(code)
    if event is None or not can(user, event, roles):
        raise NotFound("unknown_event", "There is no event with that code.")
    return event

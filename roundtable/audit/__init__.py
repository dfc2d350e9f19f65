"""Recording staff actions in the event's audit log (see ``roundtable.models.audit``).

``record`` adds the entry to the current database session and flushes nothing: it is committed
with the action it describes, or rolled back with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Event, User

MAX_DETAIL_TEXT = 300


def record(
    event: Event | int | None,
    user: User | None,
    action: str,
    target_type: str = "",
    target_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add one audit entry for ``user`` doing ``action`` at ``event`` (on ``target``)."""
    event_id = event.id if isinstance(event, Event) else event
    entry = AuditEntry(
        event_id=event_id,
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", "") or "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail={k: (v[:MAX_DETAIL_TEXT] if isinstance(v, str) else v) for k, v in detail.items()},
    )
    db.session.add(entry)
    return entry


def entries(event: Event | int, limit: int = 500) -> list[AuditEntry]:
    """The event's entries, newest first."""
    event_id = event.id if isinstance(event, Event) else event
    query = (
        select(AuditEntry)
        .where(AuditEntry.event_id == event_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))

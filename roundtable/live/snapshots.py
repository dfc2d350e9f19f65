"""The participant view, built once per change instead of once per phone.

A reconnect storm is thousands of phones asking for the same ``participant_view`` within
seconds; building it costs a dozen queries and lazy loads. The view depends only on the event's
live state (``revision``, which every staff change bumps, the live session and the highlighted
question), the event's code (an id reused after ``reset`` is another event), the ``seq`` of the
live session's polls (every answer, reset and moderation bumps it)
and the session's wall ``seq`` (every question asked, upvoted or moderated bumps it). One query
reads those numbers; while they are unchanged the cached view is served (as a copy), so a view
is never older than the database says, in any process. A phone gets the view in its own language
only (``i18n.one_language``), also made once per version and language, not once per phone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import text

from ..extensions import db
from ..i18n import one_language
from ..models import Event
from . import state as live_state

_lock = threading.Lock()


def _cache() -> dict[int, tuple[tuple, dict[str, Any], dict[str, dict[str, Any]]]]:
    # Per app: tests build many apps whose events share ids.
    return current_app.extensions.setdefault("roundtable_participant_views", {})


# One statement, written once: building it with the ORM on every snapshot cost more than
# running it.
VERSION = text(
    """
    SELECT s.revision, s.current_item_id, s.highlighted_question_id,
           (SELECT count(*) FROM polls p WHERE p.agenda_item_id = s.current_item_id),
           (SELECT coalesce(sum(p.seq), 0) FROM polls p WHERE p.agenda_item_id = s.current_item_id),
           (SELECT w.seq FROM question_walls w WHERE w.agenda_item_id = s.current_item_id),
           (SELECT e.code FROM events e WHERE e.id = s.event_id)
    FROM live_states s WHERE s.event_id = :event_id
    """
)


def version(event_id: int) -> tuple | None:
    """What the participant view of the event depends on, as one row of numbers."""
    row = db.session.execute(VERSION, {"event_id": event_id}).first()
    return tuple(row) if row is not None else None


def participant_view(event_id: int, load_event: Callable[[], Event], language: str) -> dict[str, Any]:
    """``state.participant_view(event)`` in ``language`` only, from the cache while nothing it
    shows has changed.

    ``load_event()`` gives the event (or raises) and is called only when the view is built: a
    snapshot served from the cache costs one query.
    """
    key = version(event_id)
    cache = _cache()
    with _lock:
        hit = cache.get(event_id)
    if key is None or hit is None or hit[0] != key:
        hit = (key, live_state.participant_view(load_event()), {})
        if key is not None:
            with _lock:
                cache[event_id] = hit
    reduced = hit[2].get(language)
    if reduced is None:
        reduced = hit[2][language] = one_language(hit[1], language)
    # The caller adds this participant's own results: never into the shared copy.
    return {**reduced, "tallies": dict(reduced["tallies"])}

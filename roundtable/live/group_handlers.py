"""Socket handlers for results by stakeholder group and for outcome tags.

``staff:group_results`` is a read: it neither commits nor broadcasts a state (the console asks
again when a poll's ``tally`` arrives, so it follows the room at the tally's coalesced pace).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from .. import audit
from ..errors import Forbidden
from ..exports import outcomes
from ..extensions import socketio
from ..polls import service as polls
from ..polls.groups import clean_wanted, group_tally
from ..staff import access
from . import state as live_state
from .sockets import connected_event, connection, handler, ok, staff_event


@socketio.on("staff:group_results")
@handler
def group_results(data: dict[str, Any]) -> dict[str, Any]:
    """Any staff role: ``{poll_id, groups?}`` -> ``{result}``, the poll by group (every group,
    "Other groups" and "Everyone" unless ``groups`` chooses columns)."""
    if connection().get("role") != "staff" or not current_user.is_authenticated:
        raise Forbidden("Only staff can do that.")
    event = connected_event()
    if access.event_role(current_user, event) is None:
        raise Forbidden("Only staff can do that.")
    poll = polls.get_poll(event.id, data.get("poll_id"))
    wanted = data.get("groups")
    wanted = clean_wanted(poll, wanted) if wanted is not None else None
    return ok(result=group_tally(poll, wanted, staff=True))


@staff_event("staff:outcome_tag")
def outcome_tag(event, data: dict[str, Any]) -> dict[str, Any]:
    """Facilitator: ``{target: "poll" | "question", id, outcome: 1..n | null}``."""
    thing = outcomes.tag(event, data.get("target"), data.get("id"), data.get("outcome"))
    audit.record(event, current_user, "outcome.tag", data["target"], thing.id, outcome=thing.outcome)
    live_state.bump(event)
    return {"id": thing.id, "outcome": thing.outcome}

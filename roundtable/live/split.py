"""The poll on the projector split by stakeholder group: what the screen, the staff and the
phones receive of it.

The facilitator chooses the columns (``staff:screen`` with ``groups``); they are kept in
``LiveState.screen_groups``. The split is a ``group_tally`` (``roundtable.polls.groups``), so the
disclosure control has already removed every figure that could single out a small group. Phones
receive it only while they may see the poll's results anyway (the same rule as for tallies), and
only for a poll they are shown: never an unrevealed result in a room that may hold a participant.
"""

from __future__ import annotations

from typing import Any

from ..extensions import socketio
from ..models import LiveState, Poll
from ..polls.groups import clean_wanted, group_tally
from ..polls.service import participant_sees_results

__all__ = ["clean_wanted", "participant_split", "screen_split", "send"]


def _hidden(result: dict[str, Any]) -> dict[str, Any]:
    """Only the columns' headcounts: the projector shows nothing that phones may not see."""
    columns = [{k: c[k] for k in ("key", "label", "children", "total")} for c in result["columns"]]
    return {**result, "columns": columns, "hidden": True}


def screen_split(state: LiveState, poll: Poll | None, visible: bool = True) -> dict[str, Any] | None:
    """The screen's split; ``visible``: whether the projector may draw the poll's results now
    (``live_state.screen_sees_results``), otherwise only each column's number of respondents."""
    if poll is None or not state.screen_groups:
        return None
    result = group_tally(poll, list(state.screen_groups))
    return result if visible else _hidden(result)


def participant_split(state: LiveState, shown: list[Poll]) -> dict[str, Any] | None:
    """The screen's split, for phones, when its poll is one they see with its results public."""
    if state.screen_mode != "results" or not state.screen_groups:
        return None
    poll = next((p for p in shown if p.id == state.screen_poll_id), None)
    if poll is None or not participant_sees_results(poll, answered=False):
        return None
    return group_tally(poll, list(state.screen_groups))


def send(poll: Poll, state: LiveState, staff_room: str, screen_room: str, event_room: str,
         voters_room: str, *, on_screen: bool) -> None:
    """Send the split of the poll on screen (call once per tick for a poll that changed);
    ``on_screen``: whether the projector may draw its results now."""
    result = group_tally(poll, list(state.screen_groups))
    socketio.emit("group_tally", result, to=staff_room)
    socketio.emit("group_tally", result if on_screen else _hidden(result), to=screen_room)
    if participant_sees_results(poll, answered=False):
        socketio.emit("group_tally", result, to=event_room)
    elif poll.results_mode == "after_vote":
        socketio.emit("group_tally", result, to=voters_room)

"""Many participants' answers at once, in one transaction (group commit of votes).

``cast_many(requests)`` applies a batch of votes with a handful of set-based statements instead
of a dozen ORM round trips per vote: the polls, participants, receipts and current responses of
the whole batch are read with one query each, every vote is decided in memory in arrival order
(exactly the rules of ``service.cast_response``: the same checks in the same order, the same
error codes), then all new responses, changed responses, their items, the receipts and each
poll's ``seq`` are written with one statement each. It flushes and never commits: the caller
commits and only then acknowledges the votes, so an acknowledged vote is always stored.

Invariants kept: one response per participant per poll (a later answer replaces the earlier
one, also within one batch); a ``client_id`` already used by the participant changes nothing
(a retry in the same batch as its original counts once); ``Poll.seq`` grows by one per stored
answer. If the database refuses the batch (a unique constraint: the same participant voting
through another process at the same instant), the caller retries each vote on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import selectinload

from ..errors import Forbidden, NotFound, RoundtableError
from ..extensions import db
from ..i18n import _l
from ..models import (
    AgendaItem,
    Day,
    Participant,
    Poll,
    Response,
    ResponseItem,
    SpentVoteId,
    VoteReceipt,
    utcnow,
)
from .kinds import kind_of
from .service import CLIENT_ID, _moderated_texts

# Bounded so that one batch blocks the event loop for a few milliseconds at most (SQLite does
# not yield): pings and acks go out between batches even in a burst.
MAX_BATCH = 100


@dataclass
class VoteRequest:
    event_id: int
    participant_id: str
    poll_id: Any
    answer: Any
    client_id: Any


@dataclass
class VoteOutcome:
    poll_id: int
    generation: int
    results_mode: str
    free_text: bool
    answer: Any
    duplicate: bool


@dataclass
class _Slot:
    """The answer a participant holds for a poll, as the batch goes along."""

    response_id: int | None  # the stored response, if there is one
    answer: Any
    changed: bool = False
    client_id: str = ""
    items: list[dict[str, Any]] | None = None
    earlier: dict[str, dict[str, Any]] | None = None  # moderated texts of the stored answer


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def cast_many(requests: list[VoteRequest]) -> list[VoteOutcome | RoundtableError]:
    """Apply ``requests`` in order; return one outcome or error per request (flushed, not committed)."""
    poll_ids = {r.poll_id for r in requests if _is_id(r.poll_id)}
    participant_ids = {r.participant_id for r in requests}
    client_ids = {r.client_id for r in requests if isinstance(r.client_id, str)}

    polls: dict[int, tuple[Poll, int]] = {}
    if poll_ids:
        rows = db.session.execute(
            select(Poll, Day.event_id)
            .options(selectinload(Poll.options))
            .join(AgendaItem, Poll.agenda_item_id == AgendaItem.id)
            .join(Day, AgendaItem.day_id == Day.id)
            .where(Poll.id.in_(poll_ids))
        )
        polls = {poll.id: (poll, event_id) for poll, event_id in rows}
    participants = {
        row.id: row
        for row in db.session.execute(
            select(Participant.id, Participant.event_id, Participant.group_key, Participant.language).where(
                Participant.id.in_(participant_ids)
            )
        )
    }
    receipts: dict[tuple[str, str], int] = {}
    if client_ids:
        for pid, cid, poll_id in db.session.execute(
            select(VoteReceipt.participant_id, VoteReceipt.client_id, VoteReceipt.poll_id).where(
                VoteReceipt.participant_id.in_(participant_ids), VoteReceipt.client_id.in_(client_ids)
            )
        ):
            receipts[(pid, cid)] = poll_id
    # Vote ids spent before a poll was reset (only polls that were reset pay for this look-up).
    spent: set[tuple[int, str]] = set()
    reset_polls = [poll.id for poll, _ in polls.values() if poll.generation]
    if reset_polls and client_ids:
        spent = {
            (poll_id, cid)
            for poll_id, cid in db.session.execute(
                select(SpentVoteId.poll_id, SpentVoteId.client_id).where(
                    SpentVoteId.poll_id.in_(reset_polls), SpentVoteId.client_id.in_(client_ids)
                )
            )
        }
    slots: dict[tuple[int, str], _Slot] = {}
    if polls:
        for response_id, poll_id, pid, answer in db.session.execute(
            select(Response.id, Response.poll_id, Response.participant_id, Response.answer).where(
                Response.poll_id.in_(list(polls)), Response.participant_id.in_(participant_ids)
            )
        ):
            slots[(poll_id, pid)] = _Slot(response_id, answer)

    outcomes: list[VoteOutcome | RoundtableError] = []
    new_receipts: list[dict[str, Any]] = []
    stored: dict[int, int] = defaultdict(int)
    for request in requests:
        try:
            decided = _decide(request, polls, participants, receipts, spent, slots, new_receipts, stored)
            outcomes.append(decided)
        except RoundtableError as error:
            outcomes.append(error)
    _write(slots, participants, new_receipts, stored)
    return outcomes


def _decide(request, polls, participants, receipts, spent, slots, new_receipts, stored) -> VoteOutcome:
    # The checks of on_vote + cast_response, in their order.
    if not _is_id(request.poll_id):
        raise RoundtableError("bad_payload", _l("A poll id must be a number."))
    found = polls.get(request.poll_id)
    if found is None or found[1] != request.event_id:
        raise NotFound("unknown_poll", _l("There is no such poll."))
    poll = found[0]
    participant = participants.get(request.participant_id)
    if participant is None:
        raise Forbidden(_l("Join the event again."))
    client_id = request.client_id
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise RoundtableError("bad_payload", _l("A vote needs a client id of 8 to 64 letters or digits."))
    kind = kind_of(poll)
    key = (poll.id, participant.id)
    slot = slots.get(key)

    def outcome(answer: Any, duplicate: bool) -> VoteOutcome:
        return VoteOutcome(poll.id, poll.generation, poll.results_mode, kind.free_text, answer, duplicate)

    receipt = receipts.get((participant.id, client_id))
    if receipt is not None:
        if receipt != poll.id:
            raise RoundtableError("client_id_reused", _l("That vote id was already used for another poll."))
        return outcome(slot.answer if slot else None, True)
    if (poll.id, client_id) in spent:
        # A vote from before a reset: recognised, and stays forgotten.
        return outcome(slot.answer if slot else None, True)
    if poll.status != "open":
        raise RoundtableError("poll_closed", _l("This poll is not open for answers."))
    answer = kind.validate(poll, request.answer)
    if slot is not None and not poll.allow_change:
        raise RoundtableError("already_answered", _l("You have already answered this poll."))
    if slot is None:
        slot = slots[key] = _Slot(None, None)
    if kind.free_text and slot.response_id is not None and slot.earlier is None:
        slot.earlier = _moderated_texts(db.session.get(Response, slot.response_id))
    items = []
    for item in kind.items(poll, answer):
        if slot.earlier and item.get("text") in slot.earlier:
            # An unchanged text keeps the moderator's decision (as in cast_response).
            item = {**item, **slot.earlier[item["text"]]}
        items.append({"poll_id": poll.id, **item})
    slot.answer, slot.client_id, slot.items, slot.changed = answer, client_id, items, True
    receipts[(participant.id, client_id)] = poll.id
    new_receipts.append({"participant_id": participant.id, "client_id": client_id, "poll_id": poll.id})
    stored[poll.id] += 1
    return outcome(answer, False)


def _write(slots, participants, new_receipts, stored) -> None:
    changed = [(key, slot) for key, slot in slots.items() if slot.changed]
    if not changed:
        return
    now = utcnow()
    fresh = [(key, slot) for key, slot in changed if slot.response_id is None]
    replaced = [(key, slot) for key, slot in changed if slot.response_id is not None]
    if replaced:
        ids = [slot.response_id for _, slot in replaced]
        db.session.execute(
            delete(ResponseItem).where(ResponseItem.response_id.in_(ids)),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(Response),
            [{"id": slot.response_id, "answer": slot.answer, "client_id": slot.client_id, "updated_at": now}
             for _, slot in replaced],
        )
    if fresh:
        new_ids = db.session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True),
            [
                {
                    "poll_id": poll_id,
                    "participant_id": pid,
                    "group_key": participants[pid].group_key,
                    "language": participants[pid].language,
                    "answer": slot.answer,
                    "client_id": slot.client_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for (poll_id, pid), slot in fresh
            ],
        ).all()
        for (_, slot), response_id in zip(fresh, new_ids, strict=True):
            slot.response_id = response_id
    items = [{**item, "response_id": slot.response_id} for _, slot in changed for item in slot.items or ()]
    if items:
        db.session.execute(insert(ResponseItem), items)
    db.session.execute(insert(VoteReceipt), [{**r, "created_at": now} for r in new_receipts])
    for poll_id, count in sorted(stored.items()):
        # One UPDATE per poll, in id order (two writers lock polls in the same order).
        db.session.execute(
            update(Poll).where(Poll.id == poll_id).values(seq=Poll.seq + count),
            execution_options={"synchronize_session": False},
        )
    db.session.flush()

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

Cost: this runs for every vote, so apart from the polls (ORM objects, which the poll kinds
validate against) it uses Core statements on the tables, built once at import with expanding
bind parameters so that SQLAlchemy compiles each of them once, and executed on the session's
connection. Nothing is cached between batches but the statements themselves: every batch reads
the database afresh (another process may have written since).
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import joinedload

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
from .kinds import KINDS, PollKind, kind_of
from .service import CLIENT_ID, moderated_texts

# Bounded so that one batch blocks the event loop for a few milliseconds at most (SQLite does
# not yield): pings and acks go out between batches even in a burst.
MAX_BATCH = 100

_polls = Poll.__table__
_participants = Participant.__table__
_responses = Response.__table__
_items = ResponseItem.__table__
_receipts = VoteReceipt.__table__
_spent = SpentVoteId.__table__


def _many(name: str):
    return bindparam(name, expanding=True)


# Options joined in, not a second SELECT: a batch has a handful of polls (half the cost).
_READ_POLLS = (
    select(Poll, Day.event_id)
    .options(joinedload(Poll.options))
    .join(AgendaItem, Poll.agenda_item_id == AgendaItem.id)
    .join(Day, AgendaItem.day_id == Day.id)
    .where(Poll.id.in_(_many("poll_ids")))
)
_READ_PARTICIPANTS = select(_participants.c.id, _participants.c.group_key, _participants.c.language).where(
    _participants.c.id.in_(_many("participant_ids"))
)
_READ_SPENT = select(_spent.c.poll_id, _spent.c.client_id).where(
    _spent.c.poll_id.in_(_many("poll_ids")), _spent.c.client_id.in_(_many("client_ids"))
)
_READ_RESPONSES = select(
    _responses.c.id, _responses.c.poll_id, _responses.c.participant_id, _responses.c.answer
).where(
    _responses.c.poll_id.in_(_many("poll_ids")), _responses.c.participant_id.in_(_many("participant_ids"))
)
_DELETE_ITEMS = delete(_items).where(_items.c.response_id.in_(_many("response_ids")))
# The columns to set come from the parameters (answer, client_id, language, updated_at), as
# cast_response changes them.
_UPDATE_RESPONSE = update(_responses).where(_responses.c.id == bindparam("response_id"))
# The new ids come back keyed by (poll, participant), which is unique: asking for them in
# parameter order instead makes SQLAlchemy insert the rows one statement each on SQLite.
_INSERT_RESPONSES = insert(_responses).returning(
    _responses.c.poll_id, _responses.c.participant_id, _responses.c.id
)
_INSERT_ITEMS = insert(_items)
# Every item row names the same columns (what the kind left out, as the columns' defaults), so
# a batch's items go in one executemany whatever mix of kinds it holds.
_ITEM_DEFAULTS = {"option_id": None, "text": None, "number": None, "status": _items.c.status.default.arg}
_INSERT_RECEIPTS = insert(_receipts)
_BUMP_SEQ = (
    update(_polls).where(_polls.c.id == bindparam("poll")).values(seq=_polls.c.seq + bindparam("stored"))
)


@functools.lru_cache(maxsize=MAX_BATCH)
def _read_receipts(pairs: int):
    """The receipts of ``pairs`` (participant, client id) pairs, one index look-up each.

    Spelled as ORs of the primary key: ``participant_id IN (..) AND client_id IN (..)`` probes
    every combination (n² look-ups; PostgreSQL often scans the table instead), and SQLite scans
    the whole table for a row-value ``(participant_id, client_id) IN (VALUES ..)``. One statement
    per number of pairs, made once (at most ``MAX_BATCH`` pairs a statement).
    """
    receipt = _receipts.c
    return select(receipt.participant_id, receipt.client_id, receipt.poll_id).where(
        or_(*(
            and_(receipt.participant_id == bindparam(f"p{n}"), receipt.client_id == bindparam(f"c{n}"))
            for n in range(pairs)
        ))
    )


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


@dataclass(slots=True)
class _PollFacts:
    """What the decisions read of a poll, read once per batch (plain values, not ORM attributes)."""

    poll: Poll  # for the kind's ``validate`` and ``items``
    id: int
    event_id: int
    kind: PollKind | None  # None: an unknown kind, refused when a vote reaches that check
    status: str
    allow_change: bool
    generation: int
    results_mode: str


@dataclass
class _Slot:
    """The answer a participant holds for a poll, as the batch goes along."""

    response_id: int | None  # the stored response, if there is one
    answer: Any
    changed: bool = False
    client_id: str = ""
    items: list[dict[str, Any]] | None = None
    earlier: dict[str, dict[str, Any]] | None = None  # moderated texts of the stored answer


def _free_text(poll: _PollFacts) -> bool:
    return poll.kind is not None and poll.kind.free_text


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def cast_many(requests: list[VoteRequest]) -> list[VoteOutcome | RoundtableError]:
    """Apply ``requests`` in order; return one outcome or error per request (flushed, not committed)."""
    poll_ids = list({r.poll_id for r in requests if _is_id(r.poll_id)})
    participant_ids = list({r.participant_id for r in requests})
    client_ids = list({r.client_id for r in requests if isinstance(r.client_id, str)})

    polls: dict[int, _PollFacts] = {}
    if poll_ids:
        for poll, event_id in db.session.execute(_READ_POLLS, {"poll_ids": poll_ids}).unique():
            polls[poll.id] = _PollFacts(
                poll, poll.id, event_id, KINDS.get(poll.kind), poll.status, poll.allow_change,
                poll.generation, poll.results_mode,
            )
    connection = db.session.connection()
    # (.all(): one fetch for the batch, not one per row.)
    participants = {
        row.id: row
        for row in connection.execute(_READ_PARTICIPANTS, {"participant_ids": participant_ids}).all()
    }
    receipts: dict[tuple[str, str], int] = {}
    # Only a well-formed client id reaches the receipt check.
    pairs = list({(r.participant_id, r.client_id) for r in requests
                  if isinstance(r.client_id, str) and CLIENT_ID.match(r.client_id)})
    for start in range(0, len(pairs), MAX_BATCH):
        chunk = pairs[start:start + MAX_BATCH]
        params = {}
        for n, (pid, cid) in enumerate(chunk):
            params[f"p{n}"], params[f"c{n}"] = pid, cid
        for pid, cid, poll_id in connection.execute(_read_receipts(len(chunk)), params).all():
            receipts[(pid, cid)] = poll_id
    # Vote ids spent before a poll was reset (only polls that were reset pay for this look-up).
    spent: set[tuple[int, str]] = set()
    reset_polls = [poll.id for poll in polls.values() if poll.generation]
    if reset_polls and client_ids:
        rows = connection.execute(_READ_SPENT, {"poll_ids": reset_polls, "client_ids": client_ids})
        spent = {(poll_id, cid) for poll_id, cid in rows.all()}
    slots: dict[tuple[int, str], _Slot] = {}
    if polls:
        rows = connection.execute(
            _READ_RESPONSES, {"poll_ids": list(polls), "participant_ids": participant_ids}
        )
        for response_id, poll_id, pid, answer in rows.all():
            slots[(poll_id, pid)] = _Slot(response_id, answer)
        # The moderation of stored free-text answers, which an unchanged text keeps.
        free_text = [slot.response_id for (poll_id, _), slot in slots.items() if _free_text(polls[poll_id])]
        if free_text:
            earlier = moderated_texts(free_text)
            for (poll_id, _), slot in slots.items():
                if _free_text(polls[poll_id]):
                    slot.earlier = earlier.get(slot.response_id, {})

    outcomes: list[VoteOutcome | RoundtableError] = []
    new_receipts: list[dict[str, Any]] = []
    stored: dict[int, int] = defaultdict(int)
    for request in requests:
        try:
            decided = _decide(request, polls, participants, receipts, spent, slots, new_receipts, stored)
            outcomes.append(decided)
        except RoundtableError as error:
            outcomes.append(error)
    _write(connection, slots, participants, new_receipts, stored)
    return outcomes


def _decide(request, polls, participants, receipts, spent, slots, new_receipts, stored) -> VoteOutcome:
    # The checks of on_vote + cast_response, in their order.
    if not _is_id(request.poll_id):
        raise RoundtableError("bad_payload", _l("A poll id must be a number."))
    poll = polls.get(request.poll_id)
    if poll is None or poll.event_id != request.event_id:
        raise NotFound("unknown_poll", _l("There is no such poll."))
    participant = participants.get(request.participant_id)
    if participant is None:
        raise Forbidden(_l("Join the event again."))
    client_id = request.client_id
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise RoundtableError("bad_payload", _l("A vote needs a client id of 8 to 64 letters or digits."))
    kind = poll.kind or kind_of(poll.poll)
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
    answer = kind.validate(poll.poll, request.answer)
    if slot is not None and not poll.allow_change:
        raise RoundtableError("already_answered", _l("You have already answered this poll."))
    if slot is None:
        slot = slots[key] = _Slot(None, None)
    items = []
    for item in kind.items(poll.poll, answer):
        if slot.earlier and item.get("text") in slot.earlier:
            # An unchanged text keeps the moderator's decision (as in cast_response).
            item = {**item, **slot.earlier[item["text"]]}
        items.append({"poll_id": poll.id, **item})
    slot.answer, slot.client_id, slot.items, slot.changed = answer, client_id, items, True
    receipts[(participant.id, client_id)] = poll.id
    new_receipts.append({"participant_id": participant.id, "client_id": client_id, "poll_id": poll.id})
    stored[poll.id] += 1
    return outcome(answer, False)


def _write(connection, slots, participants, new_receipts, stored) -> None:
    changed = [(key, slot) for key, slot in slots.items() if slot.changed]
    if not changed:
        return
    now = utcnow()
    fresh = [(key, slot) for key, slot in changed if slot.response_id is None]
    replaced = [(key, slot) for key, slot in changed if slot.response_id is not None]
    if replaced:
        connection.execute(_DELETE_ITEMS, {"response_ids": [slot.response_id for _, slot in replaced]})
        connection.execute(
            _UPDATE_RESPONSE,
            [{"response_id": slot.response_id, "answer": slot.answer, "client_id": slot.client_id,
              "language": participants[pid].language or "en", "updated_at": now}
             for (_, pid), slot in replaced],
        )
    if fresh:
        rows = connection.execute(
            _INSERT_RESPONSES,
            [
                {
                    "poll_id": poll_id,
                    "participant_id": pid,
                    "group_key": participants[pid].group_key,
                    "language": participants[pid].language or "en",
                    "answer": slot.answer,
                    "client_id": slot.client_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for (poll_id, pid), slot in fresh
            ],
        )
        for poll_id, pid, response_id in rows.all():
            slots[(poll_id, pid)].response_id = response_id
    items = [
        {**_ITEM_DEFAULTS, **item, "response_id": slot.response_id}
        for _, slot in changed
        for item in slot.items or ()
    ]
    # Items with reasons and items without go in separate statements (in their order): a
    # left-out ``reasons`` is SQL NULL, an explicit None would be stored as JSON null.
    for _, run in itertools.groupby(items, key=lambda item: "reasons" in item):
        connection.execute(_INSERT_ITEMS, list(run))
    connection.execute(_INSERT_RECEIPTS, [{**r, "created_at": now} for r in new_receipts])
    # One UPDATE per poll, in id order (two writers lock polls in the same order).
    connection.execute(
        _BUMP_SEQ, [{"poll": poll_id, "stored": count} for poll_id, count in sorted(stored.items())]
    )

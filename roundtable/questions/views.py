"""The question wall as each audience may see it.

- ``wall`` / ``screen_wall``: for rooms that may hold participants or a projector: only published
  and answered questions, never a name in a session with children, never a reason, a reject
  reason, an original text, a participant id or anything about help requests;
- ``my_questions`` / ``my_upvotes``: for one participant, their own questions whatever their
  status (still without any moderator's detail);
- ``queue``, ``counts_by_item``, ``open_help``: staff only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import func, select, text

from ..extensions import db
from ..models import (
    QUESTION_STATUSES,
    VISIBLE_STATUSES,
    AgendaItem,
    Day,
    Event,
    HelpRequest,
    LiveState,
    Participant,
    Question,
    QuestionUpvote,
    User,
)
from ..safety import PERSONAL_CATEGORIES, redact
from ..safety import store as safety
from .service import event_id_of, wall_seq

__all__ = ["wall_seq"]  # also the wall's seq for the handlers

# Participants get the whole wall (up to this many, the most upvoted), the projector its top.
WALL_LIMIT = 300
SCREEN_TOP = 6
MY_LIMIT = 100


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _top_order():
    # "Top": most upvotes first, then the newest.
    return (Question.upvotes.desc(), Question.created_at.desc(), Question.id.desc())


def public_question(question: Question, item: AgendaItem | None = None) -> dict[str, Any]:
    """A question as anyone may see it once it is on the wall (and as its author sees it)."""
    item = item or question.agenda_item
    return {
        "id": question.id,
        "item_id": question.agenda_item_id,
        "text": question.text,
        "name": None if item.involves_children else question.name,
        "status": question.status,
        "upvotes": question.upvotes,
        "created_at": iso(question.created_at),
    }


# Its author's view is the same: their own status, never why a moderator held or rejected it.
own_question = public_question


def highlighted_id(event: Event) -> int | None:
    return db.session.scalar(select(LiveState.highlighted_question_id).where(LiveState.event_id == event.id))


def highlighted(event: Event) -> dict[str, Any] | None:
    """The question on the projector, while it is on the wall."""
    question_id = highlighted_id(event)
    question = db.session.get(Question, question_id) if question_id else None
    if question is None or question.status not in VISIBLE_STATUSES:
        return None
    return public_question(question)


def _visible(item: AgendaItem, statuses: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Question)
        .where(Question.agenda_item_id == item.id, Question.status.in_(statuses))
        .order_by(*_top_order())
        .limit(limit)
    )
    return [public_question(q, item) for q in rows]


def wall(item: AgendaItem) -> dict[str, Any]:
    """What phones see: the session's published and answered questions, most upvoted first.

    ``seq`` is read first: the questions may be newer than it, never older.
    """
    seq = wall_seq(item.id)
    return {
        "item_id": item.id,
        "seq": seq,
        "questions": _visible(item, VISIBLE_STATUSES, WALL_LIMIT),
        "highlighted": highlighted(item.day.event),
    }


def wall_delta(item: AgendaItem, base: int) -> dict[str, Any]:
    """What changed on a session's wall since ``base``, for phones (``wall_delta``).

    ``questions``: published or answered questions whose text, name or status changed, in full
    (at most ``WALL_LIMIT``, the most upvoted); ``upvotes``: ``[id, n]`` for those whose upvotes
    alone changed; ``removed``: ids of questions that left the wall. Nothing about a question that
    never was on the wall. Its size follows what changed, not the size of the wall. ``seq`` is read
    first: the changes may be newer than it, never older.
    """
    seq = wall_seq(item.id)
    changed = list(
        db.session.scalars(
            select(Question)
            .where(Question.agenda_item_id == item.id, Question.wall_seq > base)
            .order_by(*_top_order())
        )
    )
    visible = [q for q in changed if q.status in VISIBLE_STATUSES]
    full = [q for q in visible if q.content_seq > base][:WALL_LIMIT]
    full_ids = {q.id for q in full}
    return {
        "item_id": item.id,
        "base": base,
        "seq": seq,
        "questions": [public_question(q, item) for q in full],
        "upvotes": [[q.id, q.upvotes] for q in visible if q.id not in full_ids][:WALL_LIMIT],
        "removed": [q.id for q in changed if q.status not in VISIBLE_STATUSES and q.left_wall_seq > base],
        "highlighted": highlighted(item.day.event),
    }


def screen_wall(item: AgendaItem) -> dict[str, Any]:
    """What the projector shows: the top published questions (answered ones leave the screen)."""
    seq = wall_seq(item.id)
    return {
        "item_id": item.id,
        "seq": seq,
        "questions": _visible(item, ("published",), SCREEN_TOP),
        "highlighted": highlighted(item.day.event),
    }


def my_questions(participant: Participant) -> list[dict[str, Any]]:
    """A participant's own questions in the event, newest first, in every status."""
    rows = db.session.scalars(
        select(Question)
        .where(Question.participant_id == participant.id)
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(MY_LIMIT)
    )
    return [own_question(q) for q in rows]


# One statement, written once (the ORM's version cost more to build than to run).
WHAT_IS_MINE = text(
    """
    SELECT EXISTS (SELECT 1 FROM questions WHERE participant_id = :pid),
           EXISTS (SELECT 1 FROM question_upvotes WHERE participant_id = :pid),
           EXISTS (SELECT 1 FROM help_requests WHERE participant_id = :pid)
    """
)


def what_is_mine(participant: Participant) -> tuple[bool, bool, bool]:
    """Whether the participant has (questions, upvotes, help requests): one cheap read, so that a
    snapshot skips the three lists of a participant who has none (most phones, most of the time)."""
    row = db.session.execute(WHAT_IS_MINE, {"pid": participant.id}).one()
    return bool(row[0]), bool(row[1]), bool(row[2])


def my_upvotes(participant: Participant) -> list[int]:
    """The wall questions this participant has upvoted."""
    return list(
        db.session.scalars(
            select(QuestionUpvote.question_id)
            .join(Question, Question.id == QuestionUpvote.question_id)
            .where(
                QuestionUpvote.participant_id == participant.id,
                Question.status.in_(VISIBLE_STATUSES),
            )
            .order_by(QuestionUpvote.question_id)
        )
    )


# --- staff ---------------------------------------------------------------------------------


def _usernames(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


def staff_question(
    question: Question,
    item: AgendaItem | None = None,
    usernames: dict[int, str] | None = None,
    flags: dict[int, Any] | None = None,
) -> dict[str, Any]:
    """Everything a moderator needs about a question: why it was held, what to redact, history,
    and what the server will allow (``safety``: categories, grooming, may it be published anyway)."""
    item = item or question.agenda_item
    if usernames is None:
        usernames = _usernames({question.moderated_by})
    flag = flags.get(question.id) if flags is not None else safety.flag_of("question", question.id)
    data = public_question(question, item)
    data.update(
        name=question.name,
        version=question.version,
        previous_status=question.previous_status,
        reasons=list(question.reasons or []),
        flagged=bool(question.reasons),
        reject_reason=question.reject_reason,
        original_text=question.original_text,
        moderated_at=iso(question.moderated_at),
        moderated_by=usernames.get(question.moderated_by) if question.moderated_by else None,
        findings=[],
        suggested_text=None,
        categories=list(flag.categories) if flag is not None else [],
        grooming=bool(flag is not None and flag.grooming),
        flag_status=flag.status if flag is not None else None,
        publish_note=flag.note if flag is not None and flag.status == "published_anyway" else None,
        can_publish_anyway=True,
    )
    if question.status == "pending" and (question.reasons or flag is not None):
        # Where the check finds something, and the text with those parts removed: the console
        # marks them and opens the redact editor on "Approve". Cheap (linear), so not stored.
        result = safety.check(event_id_of(item), question.text)
        if result.flagged:
            data["findings"] = [f.as_dict() for f in result.findings]
            data["suggested_text"] = redact(question.text, result)
        found = set(data["categories"]) | set(result.categories)
        data["categories"] = [c for c in ("grooming", "personal_data", "disclosure", "abuse") if c in found]
        data["flagged"] = bool(found) or data["flagged"]
        data["can_publish_anyway"] = "grooming" not in found and not (
            item.involves_children and found & PERSONAL_CATEGORIES
        )
    return data


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(QUESTION_STATUSES, 0)
    for status, count in rows:
        counts[status] = count
    return counts


def queue(item: AgendaItem) -> dict[str, Any]:
    """A session's whole queue for moderators: every question in every status, oldest first."""
    seq = wall_seq(item.id)
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.agenda_item_id == item.id)
            .order_by(Question.created_at, Question.id)
        )
    )
    usernames = _usernames({q.moderated_by for q in questions})
    flags = safety.flags_of("question", [q.id for q in questions])
    # Possible grooming waiting for a moderator goes first: a safeguarding concern in the room.
    questions.sort(
        key=lambda q: 0 if q.status == "pending" and q.id in flags and flags[q.id].grooming else 1
    )
    return {
        "item_id": item.id,
        "seq": seq,
        "questions": [staff_question(q, item, usernames, flags) for q in questions],
        "counts": _counts(Counter(q.status for q in questions).items()),
    }


def counts_by_item(event: Event) -> dict[str, dict[str, int]]:
    """``{item_id: {status: n}}`` for every session of the event that has questions."""
    rows = db.session.execute(
        select(Question.agenda_item_id, Question.status, func.count())
        .join(AgendaItem, Question.agenda_item_id == AgendaItem.id)
        .join(Day, AgendaItem.day_id == Day.id)
        .where(Day.event_id == event.id)
        .group_by(Question.agenda_item_id, Question.status)
    )
    grouped: dict[int, list[tuple[str, int]]] = {}
    for item_id, status, count in rows:
        grouped.setdefault(item_id, []).append((status, count))
    return {str(item_id): _counts(pairs) for item_id, pairs in sorted(grouped.items())}


def help_dict(request: HelpRequest, usernames: dict[int, str] | None = None) -> dict[str, Any]:
    """A help request as the staff see it: what, where, who is on the way, the replies sent."""
    if usernames is None:
        usernames = _usernames(_help_user_ids([request]))
    item = request.agenda_item
    return {
        "id": request.id,
        "kind": request.kind,
        "topic": request.topic,
        "location": request.location,
        "message": request.message,
        "reasons": list(request.reasons or []),
        "status": request.status,
        "item_id": request.agenda_item_id,
        "item_title": item.title if item is not None else None,
        "created_at": iso(request.created_at),
        "taken_at": iso(request.taken_at),
        "taken_by": usernames.get(request.taken_by) if request.taken_by else None,
        "handled_at": iso(request.handled_at),
        "handled_by": usernames.get(request.handled_by) if request.handled_by else None,
        "replies": [
            {"text": r.get("text"), "at": r.get("at"), "by": usernames.get(r.get("by"))}
            for r in request.replies or []
        ],
    }


def safety_alert(question: Question) -> dict[str, Any]:
    """The staff alert for a question flagged as possible grooming (like a help request's)."""
    item = question.agenda_item
    flag = safety.flag_of("question", question.id)
    return {
        "kind": "grooming",
        "target_type": "question",
        "question_id": question.id,
        "item_id": item.id,
        "item_title": item.title,
        "reasons": list(flag.reasons) if flag is not None else list(question.reasons or []),
        "created_at": iso(question.created_at),
    }


def _help_user_ids(requests: list[HelpRequest]) -> set[int | None]:
    ids: set[int | None] = set()
    for request in requests:
        ids.update({request.taken_by, request.handled_by})
        ids.update(r.get("by") for r in request.replies or [])
    return ids


def open_help(event: Event) -> list[dict[str, Any]]:
    """Help requests not yet handled (nobody on the way, or someone on the way), oldest first."""
    rows = list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.event_id == event.id, HelpRequest.status.in_(("open", "taken")))
            .order_by(HelpRequest.created_at, HelpRequest.id)
        )
    )
    usernames = _usernames(_help_user_ids(rows))
    return [help_dict(r, usernames) for r in rows]


MY_HELP_LIMIT = 5


def own_help(request: HelpRequest) -> dict[str, Any]:
    """A help request as its sender's phone shows it: its state and the replies, never who is
    coming, the safety reasons or anything about other people's requests."""
    return {
        "id": request.id,
        "kind": request.kind,
        "status": request.status,
        "created_at": iso(request.created_at),
        "replies": [{"text": r.get("text"), "at": r.get("at")} for r in request.replies or []],
    }


def my_help(participant: Participant) -> list[dict[str, Any]]:
    """The participant's latest help requests, newest first."""
    rows = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.participant_id == participant.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(MY_HELP_LIMIT)
    )
    return [own_help(r) for r in rows]


def staff_parts(event: Event, live_item_id: int | None) -> dict[str, Any]:
    """The question wall's part of the staff view."""
    item = db.session.get(AgendaItem, live_item_id) if live_item_id else None
    return {
        "queue": queue(item) if item is not None else None,
        "question_counts": counts_by_item(event),
        "help": open_help(event),
    }

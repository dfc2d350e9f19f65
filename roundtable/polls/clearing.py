"""After a rehearsal and after the event: clearing answers, and deleting participants' data while
keeping the results.

- ``clear_answers`` (rehearsal): every answer of a poll, a session, a day or the event goes (and
  the questions too, if asked); the polls stay, back to drafts, ready for the real run.
- ``delete_participant_data`` (data retention, Kenya's Data Protection Act 2019): the event's
  participants and their individual answers go; what each poll's tally needs stays, as
  ``AggregateItem`` rows (one per distinct stakeholder group, option, text, number and status,
  with how many answer items it stands for; open answers one row each) and
  ``AggregateRespondents`` (how many answered, per group and language). Tallies sum over
  ``ResponseItem`` and ``AggregateItem`` alike (``kinds.counted``), so every result, the report
  and the exports read the same numbers before and after. Questions stay (without the asker's
  name and upvoters); help requests stay for the safeguarding log, unlinked from any phone.

Plain functions: they flush, never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select, update

from ..errors import RoundtableError
from ..extensions import db
from ..models import (
    AgendaItem,
    AggregateItem,
    AggregateRespondents,
    Day,
    Event,
    HelpRequest,
    Participant,
    Poll,
    Question,
    QuestionUpvote,
    QuestionWall,
    Response,
    ResponseItem,
    VoteReceipt,
    utcnow,
)
from .kinds import kind_of

SCOPES = ("poll", "item", "day", "event")


def polls_in(event: Event, scope: Any, target_id: Any) -> tuple[list[Poll], list[int]]:
    """The polls and session ids that ``scope``/``target_id`` names within ``event``."""
    from ..agenda.manage import get_day
    from .service import get_item, get_poll

    if scope not in SCOPES:
        raise RoundtableError("bad_payload", f"Clear a {', a '.join(SCOPES)}.")
    if scope == "poll":
        poll = get_poll(event.id, target_id)
        return [poll], []
    if scope == "item":
        items = [get_item(event.id, target_id)]
    elif scope == "day":
        items = list(get_day(event, target_id).items)
    else:
        items = event.agenda_items()
    return [p for item in items for p in item.polls], [i.id for i in items]


def clear_answers(event: Event, scope: Any, target_id: Any = None, questions: Any = False) -> dict[str, int]:
    """Rehearsal over: forget the answers (and, with ``questions``, the questions) of the scope.

    The polls stay, as drafts with results hidden; their ``generation`` grows, so phones forget
    the answers they showed. Returns what was cleared.
    """
    if not isinstance(questions, bool):
        raise RoundtableError("bad_payload", "questions must be true or false.")
    polls, item_ids = polls_in(event, scope, target_id)
    poll_ids = [p.id for p in polls]
    answers = 0
    if poll_ids:
        answers = (
            db.session.scalar(
                select(func.count()).select_from(Response).where(Response.poll_id.in_(poll_ids))
            )
            or 0
        )
        answers += (
            db.session.scalar(
                select(func.sum(AggregateRespondents.respondents)).where(
                    AggregateRespondents.poll_id.in_(poll_ids)
                )
            )
            or 0
        )
        db.session.execute(delete(ResponseItem).where(ResponseItem.poll_id.in_(poll_ids)))
        db.session.execute(delete(Response).where(Response.poll_id.in_(poll_ids)))
        db.session.execute(delete(VoteReceipt).where(VoteReceipt.poll_id.in_(poll_ids)))
        db.session.execute(delete(AggregateItem).where(AggregateItem.poll_id.in_(poll_ids)))
        db.session.execute(delete(AggregateRespondents).where(AggregateRespondents.poll_id.in_(poll_ids)))
        db.session.execute(
            update(Poll)
            .where(Poll.id.in_(poll_ids))
            .values(
                seq=Poll.seq + 1,
                generation=Poll.generation + 1,
                status="draft",
                results_revealed=False,
                opened_at=None,
                closed_at=None,
            ),
            execution_options={"synchronize_session": False},
        )
        for poll in polls:
            db.session.expire(poll)
    cleared_questions = 0
    if questions and item_ids:
        cleared_questions = (
            db.session.scalar(
                select(func.count()).select_from(Question).where(Question.agenda_item_id.in_(item_ids))
            )
            or 0
        )
        from ..models import LiveState

        state = db.session.get(LiveState, event.id)
        if state is not None and state.highlighted_question_id is not None:
            highlighted = db.session.get(Question, state.highlighted_question_id)
            if highlighted is not None and highlighted.agenda_item_id in item_ids:
                state.highlighted_question_id = None
        question_ids = select(Question.id).where(Question.agenda_item_id.in_(item_ids))
        db.session.execute(delete(QuestionUpvote).where(QuestionUpvote.question_id.in_(question_ids)))
        db.session.execute(delete(Question).where(Question.agenda_item_id.in_(item_ids)))
        db.session.execute(
            update(QuestionWall)
            .where(QuestionWall.agenda_item_id.in_(item_ids))
            .values(seq=QuestionWall.seq + 1)
        )
    db.session.flush()
    return {"polls": len(poll_ids), "answers": int(answers), "questions": int(cleared_questions)}


def _event_poll_ids(event: Event) -> list[int]:
    return list(
        db.session.scalars(
            select(Poll.id)
            .join(AgendaItem, Poll.agenda_item_id == AgendaItem.id)
            .join(Day, AgendaItem.day_id == Day.id)
            .where(Day.event_id == event.id)
        )
    )


def delete_participant_data(event: Event) -> dict[str, int]:
    """Delete the event's participants and their individual answers, keeping every tally.

    Returns how many participants and answers were deleted.
    """
    poll_ids = _event_poll_ids(event)
    answers = 0
    for poll_id in poll_ids:
        poll = db.session.get(Poll, poll_id)
        answers += _aggregate(poll)
    participants = (
        db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.event_id == event.id)
        )
        or 0
    )
    keeper = None
    item_ids = [i.id for i in event.agenda_items()]
    has_questions = item_ids and db.session.scalar(
        select(Question.id).where(Question.agenda_item_id.in_(item_ids)).limit(1)
    )
    has_help = db.session.scalar(select(HelpRequest.id).where(HelpRequest.event_id == event.id).limit(1))
    if has_questions or has_help:
        # Questions and help requests must point at a participant: one anonymous stand-in per
        # event, with no group, language or nickname, holds them once the real ones are gone.
        keeper = Participant(event_id=event.id)
        db.session.add(keeper)
        db.session.flush()
        participant_ids = select(Participant.id).where(
            Participant.event_id == event.id, Participant.id != keeper.id
        )
        db.session.execute(delete(QuestionUpvote).where(QuestionUpvote.participant_id.in_(participant_ids)))
        db.session.execute(
            update(Question)
            .where(Question.agenda_item_id.in_(item_ids))
            .values(participant_id=keeper.id, name=None, client_id=None),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(HelpRequest).where(HelpRequest.event_id == event.id).values(participant_id=keeper.id),
            execution_options={"synchronize_session": False},
        )
    condition = Participant.event_id == event.id
    if keeper is not None:
        condition = condition & (Participant.id != keeper.id)
    doomed = select(Participant.id).where(condition)
    if poll_ids:
        db.session.execute(delete(ResponseItem).where(ResponseItem.poll_id.in_(poll_ids)))
        db.session.execute(delete(Response).where(Response.poll_id.in_(poll_ids)))
    db.session.execute(delete(VoteReceipt).where(VoteReceipt.participant_id.in_(doomed)))
    db.session.execute(delete(Participant).where(condition))
    event.participant_data_deleted_at = utcnow()
    db.session.flush()
    db.session.expire_all()
    return {"participants": int(participants), "answers": int(answers)}


def _aggregate(poll: Poll) -> int:
    """Add the poll's live answers to its aggregate rows; return how many answers that was."""
    respondents = db.session.execute(
        select(Response.group_key, Response.language, func.count())
        .where(Response.poll_id == poll.id)
        .group_by(Response.group_key, Response.language)
    ).all()
    for group_key, language, count in respondents:
        db.session.add(
            AggregateRespondents(poll_id=poll.id, group_key=group_key, language=language, respondents=count)
        )
    columns = (ResponseItem.option_id, ResponseItem.text, ResponseItem.number, ResponseItem.status)
    base = select(Response.group_key, *columns).join(Response, ResponseItem.response_id == Response.id)
    if kind_of(poll).name == "opentext":
        # Each open answer is a result of its own (the wall lists them): one row each, in order.
        rows = db.session.execute(
            base.add_columns(func.count())
            .where(ResponseItem.poll_id == poll.id)
            .group_by(ResponseItem.id, Response.group_key, *columns)
            .order_by(ResponseItem.id)
        )
    else:
        rows = db.session.execute(
            base.add_columns(func.count())
            .where(ResponseItem.poll_id == poll.id)
            .group_by(Response.group_key, *columns)
            .order_by(func.min(ResponseItem.id))
        )
    for group_key, option_id, text, number, status, count in rows:
        db.session.add(
            AggregateItem(
                poll_id=poll.id,
                group_key=group_key,
                option_id=option_id,
                text=text,
                number=number,
                status=status,
                count=count,
            )
        )
    db.session.flush()
    return sum(count for _, _, count in respondents)


def data_kept_since(event: Event) -> dt.datetime | None:
    """When the event's oldest participant joined (None: no participant data held)."""
    if event.participant_data_deleted_at is not None:
        return db.session.scalar(
            select(func.min(Participant.created_at)).where(
                Participant.event_id == event.id, Participant.created_at > event.participant_data_deleted_at
            )
        )
    return db.session.scalar(select(func.min(Participant.created_at)).where(Participant.event_id == event.id))


def participant_count(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.event_id == event.id)
        )
        or 0
    )

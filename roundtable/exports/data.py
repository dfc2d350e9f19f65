"""What every export reads: numbered participants, local times, answers in words, result lines,
questions and participation. Plain functions over models; nothing here writes.

What is never read here, so no export can hold it: help requests, network addresses,
participants' nicknames and names, the text of a rejected or pending question, held or hidden
free text, moderators' reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AgendaItem,
    Day,
    Event,
    Participant,
    Poll,
    Question,
    QuestionUpvote,
    Response,
)
from ..polls.groups import EVERYONE, group_tally
from ..polls.kinds import kind_of
from ..polls.service import tally

EAT = dt.timezone(dt.timedelta(hours=3), "EAT")
PUBLIC_QUESTION_STATUSES = ("published", "answered", "archived")
NO_GROUP = "No group given"


def zone(event: Event) -> dt.tzinfo:
    try:
        return ZoneInfo(event.timezone or "Africa/Nairobi")
    except (ZoneInfoNotFoundError, ValueError):
        return EAT


def local(event: Event, moment: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time in the event's time zone (East Africa Time), without tzinfo."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC).astimezone(zone(event)).replace(tzinfo=None)


def local_text(event: Event, moment: dt.datetime | None) -> str:
    value = local(event, moment)
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def participant_numbers(event: Event) -> dict[str, int]:
    """Participants numbered 1, 2, ... in the order they joined: the exports' only identifier."""
    rows = db.session.scalars(
        select(Participant.id)
        .where(Participant.event_id == event.id)
        .order_by(Participant.created_at, Participant.id)
    )
    return {participant_id: n for n, participant_id in enumerate(rows, start=1)}


def group_labels(event: Event) -> dict[str | None, str]:
    labels: dict[str | None, str] = {g.key: g.label for g in event.groups}
    labels[None] = NO_GROUP
    return labels


def working_items(event: Event, day: Day | None = None) -> list[AgendaItem]:
    """Sessions in programme order (breaks left out)."""
    days = [day] if day is not None else list(event.days)
    return [item for d in days for item in d.items if not item.is_break]


def polls_of(event: Event, day: Day | None = None) -> list[Poll]:
    return [poll for item in working_items(event, day) for poll in item.polls]


def answered_polls(event: Event, day: Day | None = None) -> list[Poll]:
    """Polls that were run: opened at least once, or holding answers."""
    polls = polls_of(event, day)
    counts = response_counts([p.id for p in polls])
    return [p for p in polls if p.status != "draft" or counts.get(p.id)]


def response_counts(poll_ids: list[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    rows = db.session.execute(
        select(Response.poll_id, func.count())
        .where(Response.poll_id.in_(poll_ids))
        .group_by(Response.poll_id)
    )
    return dict(rows.all())


# --- one poll's answers, in words ------------------------------------------------------------


def answer_in_words(poll: Poll, response: Response) -> tuple[str, str]:
    """``(answer, moderation)``: the answer as a person would read it, and for free text the
    moderation state of each entry ("visible", "held", "hidden"). Held and hidden text is left
    out of the answer; only its state is given."""
    labels = {o.id: o.label for o in poll.options}
    answer = response.answer or {}
    kind = poll.kind
    if kind in ("single", "quiz"):
        label = labels.get(answer.get("option"), "")
        if kind == "quiz":
            correct = next((o.id for o in poll.options if o.is_correct), None)
            label += " (correct)" if answer.get("option") == correct else " (not correct)"
        return label, ""
    if kind == "multiple":
        return "; ".join(labels.get(o, "") for o in answer.get("options", [])), ""
    if kind == "rating":
        return f"{answer.get('value')} of {int(poll.settings.get('scale', 5))}", ""
    if kind == "ranking":
        return "; ".join(f"{n}. {labels.get(o, '')}" for n, o in enumerate(answer.get("order", []), 1)), ""
    if kind == "points":
        points = answer.get("points", {})
        return "; ".join(f"{o.label}: {points[str(o.id)]}" for o in poll.options if str(o.id) in points), ""
    # Free text: only what a moderator let through (or what never needed one) is exported.
    items = sorted((i for i in response.items if i.text is not None), key=lambda i: i.id)
    shown = [i.text for i in items if i.status == "visible"]
    return " | ".join(shown), "; ".join(i.status for i in items)


@dataclass
class ResponseRow:
    participant: int
    group: str
    time: str
    answer: str
    moderation: str
    language: str


RESPONSE_COLUMNS = [
    ("participant", "Participant"),
    ("group", "Stakeholder group"),
    ("time", "Time (EAT)"),
    ("answer", "Answer"),
    ("moderation", "Moderation (free text)"),
    ("language", "Language"),
]


def response_rows(event: Event, poll: Poll, numbers: dict[str, int] | None = None) -> list[ResponseRow]:
    numbers = numbers if numbers is not None else participant_numbers(event)
    labels = group_labels(event)
    responses = db.session.scalars(
        select(Response)
        .options(selectinload(Response.items))
        .where(Response.poll_id == poll.id)
        .order_by(Response.updated_at, Response.id)
    )
    rows = []
    for response in responses:
        answer, moderation = answer_in_words(poll, response)
        rows.append(
            ResponseRow(
                participant=numbers.get(response.participant_id, 0),
                group=labels.get(response.group_key, response.group_key or NO_GROUP),
                time=local_text(event, response.updated_at),
                answer=answer,
                moderation=moderation,
                language=response.language or "",
            )
        )
    return rows


# --- results as lines ----------------------------------------------------------------------


@dataclass
class ResultLine:
    item: str
    count: float | None  # votes, Borda score, points or mentions
    share: float | None  # 0..1
    mean: float | None = None


def result_lines(poll: Poll, result: dict[str, Any]) -> list[ResultLine]:
    """A result (the ordinary tally, or one column of a group tally) as rows of a table."""
    labels = {str(o.id): o.label for o in poll.options}
    total = result.get("total") or 0
    kind = poll.kind
    lines: list[ResultLine] = []
    if kind in ("single", "multiple", "quiz"):
        for key, label in labels.items():
            n = result["counts"].get(key, 0)
            correct = kind == "quiz" and str(result.get("correct_option")) == key
            text = label + (" (correct)" if correct else "")
            lines.append(ResultLine(text, n, n / total if total else None))
    elif kind == "rating":
        for value, n in result["counts"].items():
            lines.append(ResultLine(f"Rating {value}", n, n / total if total else None))
    elif kind == "ranking":
        for row in result["ranking"]:
            lines.append(ResultLine(labels.get(str(row["option_id"]), ""), row["score"], None,
                                    row["average_position"]))
    elif kind == "points":
        spent = sum(result["points"].values())
        for key, label in labels.items():
            points = result["points"].get(key, 0)
            lines.append(ResultLine(label, points, points / spent if spent else None,
                                    result["average"].get(key)))
    elif kind == "wordcloud":
        for word, n in result["words"]:
            lines.append(ResultLine(word, n, n / total if total else None))
    elif kind == "opentext":
        for answer in result["answers"]:
            lines.append(ResultLine(answer["text"], None, None))
    return lines


COUNT_HEADING = {
    "single": "Votes", "multiple": "Votes", "quiz": "Votes", "rating": "Votes",
    "ranking": "Borda score", "points": "Points", "wordcloud": "Mentions", "opentext": "",
}
MEAN_HEADING = {"ranking": "Average position", "points": "Mean points"}


def staff_result(poll: Poll) -> dict[str, Any]:
    """The ordinary tally, with a quiz's share correct whether or not it was revealed."""
    result = tally(poll)
    if poll.kind == "quiz" and "correct_option" not in result:
        correct = next((o for o in poll.options if o.is_correct), None)
        if correct is not None:
            result["correct_option"] = correct.id
            right = result["counts"].get(str(correct.id), 0)
            result["correct_share"] = round(100 * right / result["total"]) if result["total"] else 0
    return result


def by_group(poll: Poll) -> dict[str, Any]:
    """Every group, "Other groups" and "Everyone", under the disclosure control."""
    return group_tally(poll, staff=True)


def split_columns(poll: Poll) -> list[dict[str, Any]]:
    return [c for c in by_group(poll)["columns"] if c["key"] != EVERYONE]


def summary(poll: Poll, result: dict[str, Any]) -> str:
    """One line for a poll's headline figure."""
    kind = poll.kind
    if kind == "rating" and result.get("mean") is not None:
        return f"Mean {result['mean']} of {int(poll.settings.get('scale', 5))}"
    if kind == "quiz" and result.get("correct_share") is not None:
        return f"{result['correct_share']}% answered correctly"
    return ""


# --- questions ---------------------------------------------------------------------------------


@dataclass
class QuestionRow:
    session: str
    text: str
    upvotes: int
    state: str
    answered: str
    outcome: int | None
    asked: str
    item_id: int = 0


QUESTION_COLUMNS = [
    ("session", "Session"),
    ("text", "Question"),
    ("upvotes", "Upvotes"),
    ("state", "State"),
    ("answered", "Answered"),
    ("outcome", "Expected outcome"),
    ("asked", "Asked (EAT)"),
]


def question_rows(event: Event, day: Day | None = None) -> list[QuestionRow]:
    """Questions that reached the wall (published, answered, archived), most upvoted first per
    session in programme order. Rejected and pending ones are only counted (``question_counts``)."""
    items = working_items(event, day)
    if not items:
        return []
    order = {item.id: n for n, item in enumerate(items)}
    titles = {item.id: item.title for item in items}
    questions = db.session.scalars(
        select(Question).where(
            Question.agenda_item_id.in_(list(order)), Question.status.in_(PUBLIC_QUESTION_STATUSES)
        )
    )
    rows = sorted(questions, key=lambda q: (order[q.agenda_item_id], -q.upvotes, q.created_at, q.id))
    return [
        QuestionRow(
            session=titles[q.agenda_item_id],
            text=q.text,
            upvotes=q.upvotes,
            state=q.status,
            answered="yes" if q.status == "answered" else "no",
            outcome=q.outcome,
            asked=local_text(event, q.created_at),
            item_id=q.agenda_item_id,
        )
        for q in rows
    ]


def question_counts(event: Event, day: Day | None = None) -> dict[str, int]:
    """Every status counted, rejected and pending included (their texts are never exported)."""
    items = [item.id for item in working_items(event, day)]
    counts = {status: 0 for status in ("pending", "published", "answered", "rejected", "archived")}
    if items:
        rows = db.session.execute(
            select(Question.status, func.count())
            .where(Question.agenda_item_id.in_(items))
            .group_by(Question.status)
        )
        counts.update(dict(rows.all()))
    return counts


def free_text_counts(poll: Poll) -> dict[str, int]:
    """How many free-text entries are visible, held or hidden (texts only for visible ones)."""
    from ..models import ResponseItem

    counts = {"visible": 0, "held": 0, "hidden": 0}
    if not kind_of(poll).free_text:
        return counts
    rows = db.session.execute(
        select(ResponseItem.status, func.count())
        .where(ResponseItem.poll_id == poll.id)
        .group_by(ResponseItem.status)
    )
    counts.update(dict(rows.all()))
    return counts


# --- participation -------------------------------------------------------------------------


def participation(event: Event) -> dict[str, Any]:
    """Joined and active participants by day (EAT date) and stakeholder group.

    Joined: participants who joined that day. Active: participants who answered a poll, asked a
    question or upvoted one that day. Counts of people only, no answers.
    """
    labels = group_labels(event)
    group_of: dict[str, str | None] = {}
    joined: dict[dt.date, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for participant_id, group, created in db.session.execute(
        select(Participant.id, Participant.group_key, Participant.created_at).where(
            Participant.event_id == event.id
        )
    ):
        group_of[participant_id] = group
        joined[local(event, created).date()][group] += 1
    item_ids = [item.id for item in event.agenda_items()]
    poll_ids = [p.id for item in event.agenda_items() for p in item.polls]
    activity: set[tuple[dt.date, str]] = set()
    sources = []
    if poll_ids:
        sources.append(
            select(Response.participant_id, Response.updated_at).where(Response.poll_id.in_(poll_ids))
        )
    if item_ids:
        sources.append(
            select(Question.participant_id, Question.created_at).where(Question.agenda_item_id.in_(item_ids))
        )
        sources.append(
            select(QuestionUpvote.participant_id, QuestionUpvote.created_at)
            .join(Question, QuestionUpvote.question_id == Question.id)
            .where(Question.agenda_item_id.in_(item_ids))
        )
    for query in sources:
        for participant_id, moment in db.session.execute(query):
            if participant_id in group_of:
                activity.add((local(event, moment).date(), participant_id))
    active: dict[dt.date, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for day, participant_id in activity:
        active[day][group_of[participant_id]] += 1
    day_titles = {d.date: d.title for d in event.days if d.date}
    dates = sorted(set(joined) | set(active))
    keys: list[str | None] = [g.key for g in event.groups]
    if any(None in by_group for by_group in (*joined.values(), *active.values())):
        keys.append(None)
    total_by_group: dict[str | None, int] = defaultdict(int)
    for group in group_of.values():
        total_by_group[group] += 1
    return {
        "groups": [{"key": k, "label": labels.get(k, k or NO_GROUP)} for k in keys],
        "days": [
            {
                "date": date.isoformat(),
                "title": day_titles.get(date, ""),
                "joined": {labels.get(k, k or NO_GROUP): joined[date].get(k, 0) for k in keys},
                "active": {labels.get(k, k or NO_GROUP): active[date].get(k, 0) for k in keys},
            }
            for date in dates
        ],
        "total_joined": len(group_of),
        "total_active": len({p for _, p in activity}),
        "joined_by_group": {labels.get(k, k or NO_GROUP): total_by_group.get(k, 0) for k in keys},
    }


def by_group_threshold() -> int:
    from ..polls.groups import threshold

    return max(threshold(), 3)


def disclosure_rule() -> str:
    from ..polls.groups import threshold

    return (
        f"A stakeholder group with fewer than {max(threshold(), 3)} respondents to a poll is never shown "
        "on its own; such groups are shown together as 'Other groups' only if together they reach "
        "that number, and a further group is withheld when the figures shown would let a small "
        "group be recovered by subtraction."
    )

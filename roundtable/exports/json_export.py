"""The whole event as one JSON document: programme, polls with results, questions, participation.

Its schema is documented in docs/export-json.md (``format`` names its version). The same
exclusions as every export: no help request, no participant id, nickname, name or address, no
text of a rejected or waiting question, no held or hidden free text (counts only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..models import Event, Poll
from ..polls.groups import EVERYONE
from ..polls.kinds import kind_of
from . import data
from .outcomes import outcome_list

FORMAT = "roundtable-event/1"


def _poll(poll: Poll) -> dict[str, Any]:
    result = data.staff_result(poll)
    split = data.by_group(poll)
    for key in ("poll_id", "seq", "generation", "kind", "leaderboard"):
        result.pop(key, None)
    return {
        "id": poll.id,
        "kind": poll.kind,
        "kind_label": kind_of(poll).label,
        "question": poll.question,
        "question_sw": poll.question_sw,
        "status": poll.status,
        "outcome": poll.outcome,
        "options": [
            {"id": o.id, "label": o.label, "label_sw": o.label_sw, **({"correct": o.is_correct}
                                                                        if poll.kind == "quiz" else {})}
            for o in poll.options
        ],
        "settings": {k: v for k, v in (poll.settings or {}).items() if k != "hidden_words"},
        "results": result,
        "free_text": data.free_text_counts(poll) if kind_of(poll).free_text else None,
        "by_group": {
            "threshold": split["threshold"],
            "columns": [
                {k: v for k, v in column.items() if k not in ("poll_id", "seq")}
                for column in split["columns"]
                if column["key"] != EVERYONE
            ],
            "withheld": split["withheld"],
        },
    }


def event_document(event: Event) -> dict[str, Any]:
    polls = {p.id for p in data.answered_polls(event)}
    questions = data.question_rows(event)
    return {
        "format": FORMAT,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "event": {
            "code": event.code,
            "title": event.title,
            "title_sw": event.title_sw,
            "hosts": event.hosts,
            "objective": event.objective,
            "outcomes": outcome_list(event),
            "timezone": event.timezone,
            "groups": [
                {"key": g.key, "label": g.label, "label_sw": g.label_sw, "children": g.is_children}
                for g in event.groups
            ],
        },
        "participation": data.participation(event),
        "programme": [
            {
                "title": day.title,
                "title_sw": day.title_sw,
                "date": day.date.isoformat() if day.date else None,
                "sessions": [
                    {
                        "title": item.title,
                        "title_sw": item.title_sw,
                        "starts_at": item.starts_at,
                        "ends_at": item.ends_at,
                        "facilitator": item.facilitator,
                        "points": item.point_list,
                        "is_break": item.is_break,
                        "involves_children": item.involves_children,
                        "split_by_group": item.split_by_group,
                        "polls": [_poll(p) for p in item.polls if p.id in polls],
                        "questions": [
                            {"text": q.text, "upvotes": q.upvotes, "state": q.state,
                             "answered": q.answered == "yes", "outcome": q.outcome, "asked": q.asked}
                            for q in questions
                            if q.item_id == item.id
                        ],
                    }
                    for item in day.items
                ],
            }
            for day in event.days
        ],
        "question_counts": data.question_counts(event),
        "disclosure_threshold": data.by_group_threshold(),
    }

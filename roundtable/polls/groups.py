"""Results by stakeholder group, for every poll kind, under the disclosure control.

Like the ordinary tallies these are ``GROUP BY`` queries over ``response_items``, joined to the
group stored with each ``Response`` (the participant's group when they answered): one query for
the respondents per group and one for the kind's figures per group, never a loop over answers.
Participants who gave no group count in "Everyone" only.

``group_tally(poll, wanted)`` returns columns in the shape of the kind's own tally (so the
browser draws each column with the kind's usual renderer): the groups that may be shown, then
"Other groups" when the disclosure control allows it, then "Everyone". Which groups may be shown
is decided by ``disclosure.disclose`` alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select

from ..errors import RoundtableError
from ..extensions import db
from ..models import AgendaItem, Day, Poll, Response, ResponseItem, StakeholderGroup
from .disclosure import disclose

EVERYONE = "everyone"
OTHER = "other_groups"
EVERYONE_LABEL = "Everyone"
OTHER_LABEL = "Other groups"
MAX_SCREEN_GROUPS = 4
WORDS_SHOWN = 30
ANSWERS_SHOWN = 40

Rows = dict[Any, list[float]]


def threshold() -> int:
    if has_app_context():
        return int(current_app.config.get("ROUNDTABLE_DISCLOSURE_THRESHOLD", 5))
    return 5


def event_groups(poll: Poll) -> list[StakeholderGroup]:
    return list(
        db.session.scalars(
            select(StakeholderGroup)
            .join(Day, Day.event_id == StakeholderGroup.event_id)
            .join(AgendaItem, AgendaItem.day_id == Day.id)
            .where(AgendaItem.id == poll.agenda_item_id)
            .order_by(StakeholderGroup.position)
        ).unique()
    )


def respondents_by_group(poll: Poll) -> dict[str | None, int]:
    rows = db.session.execute(
        select(Response.group_key, func.count())
        .where(Response.poll_id == poll.id)
        .group_by(Response.group_key)
    )
    return {key: n for key, n in rows}


def _grouped(poll: Poll, *columns, where=()) -> dict[str | None, Rows]:
    """``{group: {dimension: [figures]}}`` from one ``GROUP BY group, dimension`` query."""
    dimension, *figures = columns
    rows = db.session.execute(
        select(Response.group_key, dimension, *figures)
        .select_from(ResponseItem)
        .join(Response, ResponseItem.response_id == Response.id)
        .where(ResponseItem.poll_id == poll.id, *where)
        .group_by(Response.group_key, dimension)
    )
    out: dict[str | None, Rows] = defaultdict(dict)
    for group, key, *values in rows:
        out[group][key] = [float(v or 0) for v in values]
    return out


def _figures(poll: Poll) -> dict[str | None, Rows]:
    kind = poll.kind
    if kind in ("single", "multiple", "quiz"):
        return _grouped(poll, ResponseItem.option_id, func.count())
    if kind == "rating":
        return _grouped(poll, ResponseItem.number, func.count())
    if kind == "ranking":
        return _grouped(poll, ResponseItem.option_id, func.count(), func.sum(ResponseItem.number))
    if kind == "points":
        return _grouped(poll, ResponseItem.option_id, func.sum(ResponseItem.number))
    if kind == "wordcloud":
        return _grouped(poll, ResponseItem.text, func.count(), where=(ResponseItem.status == "visible",))
    if kind == "opentext":
        rows = db.session.execute(
            select(Response.group_key, ResponseItem.id, ResponseItem.text)
            .join(Response, ResponseItem.response_id == Response.id)
            .where(ResponseItem.poll_id == poll.id, ResponseItem.status == "visible")
        )
        out: dict[str | None, Rows] = defaultdict(dict)
        for group, item_id, text in rows:
            out[group][(item_id, text)] = [1.0]
        return out
    raise RoundtableError("unknown_kind", f"There is no poll kind called {kind!r}.")


def _merge(parts: Iterable[Rows]) -> Rows:
    merged: Rows = {}
    for rows in parts:
        for key, values in rows.items():
            if key in merged:
                merged[key] = [a + b for a, b in zip(merged[key], values, strict=True)]
            else:
                merged[key] = list(values)
    return merged


def _result(poll: Poll, rows: Rows, total: int, *, staff: bool) -> dict[str, Any]:
    """One column's figures, in the shape of the kind's ordinary tally."""
    kind = poll.kind
    result: dict[str, Any] = {"total": total}
    if kind in ("single", "multiple", "quiz"):
        result["counts"] = {str(o.id): int(rows.get(o.id, [0])[0]) for o in poll.options}
        if kind == "quiz" and (staff or poll.results_revealed):
            correct = next((o for o in poll.options if o.is_correct), None)
            if correct is not None:
                right = result["counts"][str(correct.id)]
                result["correct_option"] = correct.id
                result["correct_share"] = round(100 * right / total) if total else 0
    elif kind == "rating":
        scale = int(poll.settings.get("scale", 5))
        counts = {str(n): 0 for n in range(1, scale + 1)}
        weighted = answered = 0
        for number, (count,) in rows.items():
            counts[str(int(number))] = int(count)
            weighted += number * count
            answered += count
        result["counts"] = counts
        result["mean"] = round(weighted / answered, 2) if answered else None
    elif kind == "ranking":
        n = len(poll.options)
        ranking = []
        for option in poll.options:
            count, places = rows.get(option.id, [0, 0])
            ranking.append(
                {
                    "option_id": option.id,
                    "score": int(count * n - places),
                    "average_position": round(places / count, 2) if count else None,
                }
            )
        ranking.sort(key=lambda row: (-row["score"], row["average_position"] or math.inf))
        result["ranking"] = ranking
    elif kind == "points":
        sums = {o.id: int(rows.get(o.id, [0])[0]) for o in poll.options}
        result["points"] = {str(k): v for k, v in sums.items()}
        result["average"] = {str(k): round(v / total, 1) if total else 0 for k, v in sums.items()}
    elif kind == "wordcloud":
        words = sorted(((text, int(v[0])) for text, v in rows.items()), key=lambda w: (-w[1], w[0]))
        result["words"] = [list(w) for w in words[:WORDS_SHOWN]]
    elif kind == "opentext":
        answers = sorted(rows, key=lambda key: -key[0])
        result["shown"] = len(answers)
        result["answers"] = [{"id": item_id, "text": text} for item_id, text in answers[:ANSWERS_SHOWN]]
    return result


def clean_wanted(poll: Poll, wanted: Any) -> list[str]:
    """A facilitator's choice of columns: known group keys and ``"everyone"``, in their order."""
    if not isinstance(wanted, list) or not all(isinstance(k, str) for k in wanted):
        raise RoundtableError("bad_payload", "Choose the groups as a list of group keys.")
    known = {g.key for g in event_groups(poll)} | {EVERYONE}
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise RoundtableError("unknown_group", f"There is no stakeholder group {unknown[0]!r}.")
    chosen = list(dict.fromkeys(wanted))
    if not chosen:
        raise RoundtableError("bad_payload", "Choose at least one group.")
    if len(chosen) > MAX_SCREEN_GROUPS:
        raise RoundtableError("too_many_groups", f"Choose at most {MAX_SCREEN_GROUPS} columns.")
    return chosen


def group_tally(
    poll: Poll, wanted: Sequence[str] | None = None, *, staff: bool = False, limit: int | None = None
) -> dict[str, Any]:
    """The poll's results by stakeholder group, under the disclosure control.

    ``wanted``: the columns asked for (group keys, and ``"everyone"``), in order; ``None`` is
    every group, then "Other groups", then "Everyone" (the console's and the report's view).
    ``staff`` adds what only staff see before a reveal (a quiz's share correct).
    """
    groups = event_groups(poll)
    labels = {g.key: g.label for g in groups}
    children = {g.key for g in groups if g.is_children}
    seq = db.session.scalar(select(Poll.seq).where(Poll.id == poll.id)) or 0
    respondents = respondents_by_group(poll)
    total = sum(respondents.values())
    counts = {key: n for key, n in respondents.items() if key is not None}
    if wanted is None:
        asked = [g.key for g in groups] + sorted(k for k in counts if k not in labels)
        with_everyone = True
    else:
        asked = [k for k in wanted if k != EVERYONE]
        with_everyone = EVERYONE in wanted
    decision = disclose(counts, total, threshold(), asked)
    figures = _figures(poll)
    columns = []
    for key in asked:
        if key in decision.shown:
            columns.append(
                {
                    "key": key,
                    "label": labels.get(key, key),
                    "children": key in children,
                    **_result(poll, figures.get(key, {}), counts[key], staff=staff),
                }
            )
    if decision.other_shown:
        rows = _merge(figures.get(key, {}) for key in decision.suppressed)
        columns.append(
            {
                "key": OTHER,
                "label": OTHER_LABEL,
                "children": False,
                "groups": [labels.get(k, k) for k in decision.suppressed],
                **_result(poll, rows, decision.other_count, staff=staff),
            }
        )
    if with_everyone:
        columns.append(
            {
                "key": EVERYONE,
                "label": EVERYONE_LABEL,
                "children": False,
                **_result(poll, _merge(figures.values()), total, staff=staff),
            }
        )
    withheld = [k for k in asked if k not in decision.shown and (k in counts or wanted is not None)]
    return {
        "poll_id": poll.id,
        "seq": seq,
        "kind": poll.kind,
        "generation": poll.generation,
        "threshold": decision.threshold,
        "wanted": list(wanted) if wanted is not None else None,
        "columns": columns,
        # Asked-for groups not shown on their own (too few answers, or to stop a subtraction);
        # whether they sit in "Other groups" is said by that column's ``groups``.
        "withheld": [labels.get(k, k) for k in withheld],
    }

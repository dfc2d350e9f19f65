"""CSV exports: one poll's responses (one row per response) and the results of every poll.

UTF-8 with a byte-order mark, so that Excel opens Kiswahili and other accented text correctly;
LibreOffice and Python read it as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..models import Event, Poll
from ..polls.groups import EVERYONE
from . import data


def _csv(rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def poll_responses_csv(event: Event, poll: Poll) -> str:
    rows: list[list[object]] = [[title for _, title in data.RESPONSE_COLUMNS]]
    for row in data.response_rows(event, poll):
        rows.append([getattr(row, name) for name, _ in data.RESPONSE_COLUMNS])
    return _csv(rows)


RESULT_COLUMNS = [
    "Day", "Session", "Poll", "Kind", "Group", "Respondents", "Item", "Count or score",
    "Share", "Mean",
]


def results_rows(event: Event, polls: list[Poll] | None = None) -> list[list[object]]:
    """Every run poll's results for Everyone, then by group (under the disclosure control)."""
    rows: list[list[object]] = []
    for poll in polls if polls is not None else data.answered_polls(event):
        item = poll.agenda_item
        head = [item.day.title, item.title, poll.question, kind_label(poll)]
        columns = data.by_group(poll)["columns"]
        everyone = next(c for c in columns if c["key"] == EVERYONE)
        ordered = [everyone, *(c for c in columns if c["key"] != EVERYONE)]
        for column in ordered:
            result = data.staff_result(poll) if column["key"] == EVERYONE else column
            for line in data.result_lines(poll, result):
                rows.append(
                    [*head, column["label"], column["total"], line.item,
                     "" if line.count is None else line.count,
                     "" if line.share is None else round(line.share, 4),
                     "" if line.mean is None else line.mean]
                )
            if result.get("mean") is not None and poll.kind == "rating":
                rows.append([*head, column["label"], column["total"], "Mean rating", "", "", result["mean"]])
    return rows


def results_csv(event: Event) -> str:
    return _csv([RESULT_COLUMNS, *results_rows(event)])


def questions_csv(event: Event) -> str:
    rows: list[list[object]] = [[title for _, title in data.QUESTION_COLUMNS]]
    for row in data.question_rows(event):
        rows.append(["" if getattr(row, n) is None else getattr(row, n) for n, _ in data.QUESTION_COLUMNS])
    return _csv(rows)


def kind_label(poll: Poll) -> str:
    from ..polls.kinds import kind_of

    return kind_of(poll).label

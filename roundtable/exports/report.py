"""The outcome report: what the room said, per event or per day, as HTML that prints on A4 and
as a PDF of the same HTML (WeasyPrint).

``report_context(event, day)`` gathers everything the template shows: the event, hosts and
dates, participation by group, each working session in programme order with its polls' results
(charts drawn here as SVG) and, where the session asks for it, the split by stakeholder group
under the disclosure control; the top questions that reached the wall, the word clouds' words,
approved open answers; "Policy recommendations" (ranking and 100-points polls, and what a
facilitator tagged with the recommendations outcome); the report read by expected outcome; and
a method annex.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from flask import render_template

from ..models import Day, Event, Poll
from ..polls.groups import EVERYONE
from ..polls.kinds import kind_of
from . import data, svg
from .outcomes import outcome_list

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "static" / "css" / "report.css"
TOP_QUESTIONS = 5
RECOMMENDATION_KINDS = ("ranking", "points")


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing."""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def poll_chart(poll: Poll, result: dict[str, Any]) -> dict[str, Any]:
    """A poll's headline: its chart (SVG), or its words, or its approved answers."""
    kind = poll.kind
    total = result.get("total") or 0
    lines = data.result_lines(poll, result)
    out: dict[str, Any] = {"chart": None, "answers": [], "summary": data.summary(poll, result)}
    if kind in ("single", "multiple", "quiz", "rating"):
        correct = {i for i, line in enumerate(lines) if line.item.endswith("(correct)")}
        out["chart"] = svg.bars(
            [(line.item, line.share or 0, f"{_pct(line.share)} ({int(line.count or 0)})") for line in lines],
            maximum=1, title=poll.question, highlight=correct,
        )
    elif kind == "ranking":
        rows = [(line.item, line.count or 0, f"{int(line.count or 0)} pts") for line in lines]
        out["chart"] = svg.bars(rows, title=poll.question)
        out["summary"] = "Borda score: first of n places earns n−1 points."
    elif kind == "points":
        rows = sorted(lines, key=lambda line: -(line.mean or 0))
        out["chart"] = svg.bars([(line.item, line.mean or 0, f"{line.mean or 0:g}") for line in rows],
                                title=poll.question, maximum=100)
        out["summary"] = "Mean of 100 points given to each option."
    elif kind == "wordcloud":
        words = [(line.item, int(line.count or 0)) for line in lines][:40]
        out["chart"] = svg.word_cloud(words, title=poll.question)
        out["words"] = words
    elif kind == "opentext":
        out["answers"] = [line.item for line in lines]
    out["total"] = total
    return out


def split_chart(poll: Poll, split: dict[str, Any]) -> dict[str, Any]:
    """The by-group comparison: grouped bars, or words / answers per group."""
    columns = split["columns"]
    out: dict[str, Any] = {"chart": None, "columns": columns, "withheld": split["withheld"], "lists": []}
    if len([c for c in columns if c["key"] != EVERYONE]) == 0:
        return out
    labels = [f"{c['label']} ({c['total']})" for c in columns]
    kind = poll.kind
    if kind in ("single", "multiple", "quiz", "rating"):
        per = [data.result_lines(poll, c) for c in columns]
        items = [line.item.replace(" (correct)", "") for line in per[-1]]
        out["chart"] = svg.grouped_bars(
            items, [(labels[n], [line.share for line in lines]) for n, lines in enumerate(per)],
            maximum=1, title=poll.question,
        )
    elif kind == "ranking":
        # Borda points per respondent, so groups of different sizes compare.
        per = []
        order = [row["option_id"] for row in columns[-1]["ranking"]]
        for column in columns:
            score = {row["option_id"]: row["score"] for row in column["ranking"]}
            per.append([score.get(o, 0) / column["total"] if column["total"] else None for o in order])
        names = {o.id: o.label for o in poll.options}
        out["chart"] = svg.grouped_bars([names[o] for o in order], list(zip(labels, per, strict=True)),
                                        fmt="{:.1f}", title=poll.question)
        out["note"] = "Mean Borda points per respondent."
    elif kind == "points":
        names = [o.label for o in poll.options]
        per = [[column["average"].get(str(o.id), 0) for o in poll.options] for column in columns]
        out["chart"] = svg.grouped_bars(names, list(zip(labels, per, strict=True)), fmt="{:g}",
                                        title=poll.question)
        out["note"] = "Mean points per respondent."
    elif kind == "wordcloud":
        out["lists"] = [(labels[n], [f"{w} ({c})" for w, c in column["words"][:12]])
                        for n, column in enumerate(columns)]
    elif kind == "opentext":
        out["lists"] = [(labels[n], [a["text"] for a in column["answers"][:12]])
                        for n, column in enumerate(columns) if column["key"] != EVERYONE]
    return out


def _poll_entry(poll: Poll, split_wanted: bool) -> dict[str, Any]:
    result = data.staff_result(poll)
    entry = {
        "poll": poll,
        "kind": kind_of(poll).label,
        "result": result,
        "outcome": poll.outcome,
        **poll_chart(poll, result),
        "free_text": data.free_text_counts(poll) if kind_of(poll).free_text else None,
    }
    entry["split"] = split_chart(poll, data.by_group(poll)) if split_wanted else None
    return entry


def report_context(event: Event, day: Day | None = None) -> dict[str, Any]:
    outcomes = outcome_list(event)
    polls = {p.id for p in data.answered_polls(event, day)}
    questions = data.question_rows(event, day)
    sessions = []
    all_entries = []
    for item in data.working_items(event, day):
        entries = [_poll_entry(p, item.split_by_group) for p in item.polls if p.id in polls]
        asked = [q for q in questions if q.item_id == item.id]
        top = sorted((q for q in asked if q.state in ("published", "answered")),
                     key=lambda q: -q.upvotes)[:TOP_QUESTIONS]
        all_entries += entries
        sessions.append({"item": item, "polls": entries, "questions": top, "asked": len(asked)})
    recommendations = [e for e in all_entries if e["poll"].kind in RECOMMENDATION_KINDS or e["outcome"] == 3]
    by_outcome = [
        {
            "number": n,
            "title": title,
            "polls": [e for e in all_entries if e["outcome"] == n],
            "questions": [q for q in questions if q.outcome == n],
        }
        for n, title in enumerate(outcomes, start=1)
    ]
    people = data.participation(event)
    if day is not None and day.date is not None:
        people["days"] = [d for d in people["days"] if d["date"] == day.date.isoformat()]
    joined = people["joined_by_group"]
    counts = data.question_counts(event, day)
    free = {"visible": 0, "held": 0, "hidden": 0}
    for entry in all_entries:
        for key, value in (entry["free_text"] or {}).items():
            free[key] += value
    return {
        "event": event,
        "day": day,
        "dates": [d.date for d in ([day] if day else event.days) if d.date],
        "outcomes": outcomes,
        "people": people,
        "participation_chart": svg.compact_bars(
            [(label, n, str(n)) for label, n in joined.items()], title="Participants by group"
        ) if people["total_joined"] else None,
        "sessions": sessions,
        "recommendations": recommendations,
        "recommended_questions": [q for q in questions if q.outcome == 3],
        "by_outcome": by_outcome,
        "question_counts": counts,
        "free_text": free,
        "disclosure_rule": data.disclosure_rule(),
        "threshold": data.by_group_threshold(),
        "generated": data.local_text(event, dt.datetime.now(dt.UTC).replace(tzinfo=None)),
        "polls_run": len(all_entries),
        "responses": sum(e["result"]["total"] for e in all_entries),
    }


def render_report(event: Event, day: Day | None = None, *, for_pdf: bool = False) -> str:
    return render_template("report.html", for_pdf=for_pdf, **report_context(event, day))


def report_pdf(event: Event, day: Day | None = None) -> bytes:
    """The same report as a PDF. ``PdfUnavailable`` says clearly what to install when WeasyPrint
    or its system libraries are missing (``make run`` installs them on Debian)."""
    try:
        from weasyprint import CSS as WeasyCSS
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        log.warning("PDF export unavailable: %s", error)
        raise PdfUnavailable(
            "PDF export needs WeasyPrint and its system libraries (Pango). Run `make run` once, "
            "or install them with: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0 fonts-dejavu-core"
        ) from error
    html = render_report(event, day, for_pdf=True)
    return HTML(string=html, base_url=str(ROOT)).write_pdf(stylesheets=[WeasyCSS(filename=str(CSS))])


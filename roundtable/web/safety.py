"""Staff pages of the safety feature.

- ``/staff/<code>/safety``: organisers (admins and facilitators) extend the checks' word lists and
  gazetteer for their event, and try a text against them (``/safety/try``, JSON, CSRF-checked);
- ``/staff/<code>/safeguarding`` (+ ``.csv``): admins only: every help request with how it was
  handled, and every item flagged as possible grooming with its outcome. No network address is
  ever stored, and no participant id is shown.

Every role check is on the server; the views parse input and call ``roundtable.safety.store``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import audit
from ..agenda.service import find_event
from ..errors import RoundtableError
from ..extensions import db
from ..models import SAFETY_LIST_FIELDS, AgendaItem, Event, HelpRequest, SafetyFlag, User
from ..safety import CATEGORY_LABELS
from ..safety import store as safety
from ..staff import access

bp = Blueprint("safety", __name__, url_prefix="/staff")

LIST_LABELS = {
    "abuse_words": ("Abusive words", "One a line. word* also matches endings, a phrase matches in order."),
    "grooming_phrases": ("Grooming phrases", "Phrases that signal luring in your community, one a line."),
    "places": ("Places", "Estates, villages, settlements and landmarks near the venue, one a line."),
    "schools": ("Schools", "School names (as children write them), one a line."),
}
OUTCOMES = {
    "open": "Waiting for a moderator",
    "redacted": "Published with the flagged parts removed",
    "published_anyway": "Published anyway",
    "rejected": "Rejected",
    "hidden": "Hidden",
}


def _staff_event(code: str, *roles: str) -> Event:
    """The event if the logged-in person holds one of ``roles`` at it (its own membership, or
    admin): 404 for a stranger to the event, as for an unknown code; 403 for a weaker role."""
    event = find_event(code)
    role = access.event_role(current_user, event) if event is not None else None
    if role is None:
        abort(404)
    if role not in roles:
        abort(403)
    return event


@bp.route("/<code>/safety", methods=["GET", "POST"])
@login_required
def lists(code: str):
    event = _staff_event(code, "admin", "facilitator")
    error = None
    saved = False
    values = safety.lists_dict(event.id)
    if request.method == "POST":
        submitted = {f: request.form.get(f, "") for f in SAFETY_LIST_FIELDS}
        try:
            row = safety.save_lists(event.id, submitted, current_user._get_current_object())
            audit.record(
                event,
                current_user,
                "safety.lists_save",
                "event",
                event.id,
                **{f: len(getattr(row, f)) for f in SAFETY_LIST_FIELDS},
            )
            db.session.commit()
            return redirect(url_for("safety.lists", code=event.code, saved=1))
        except RoundtableError as exc:
            db.session.rollback()
            error = exc.message
            values = {f: submitted[f].splitlines() for f in SAFETY_LIST_FIELDS}
    saved = request.args.get("saved") == "1"
    return render_template(
        "safety_lists.html",
        event=event,
        user=current_user,
        fields=[(f, *LIST_LABELS[f], "\n".join(values[f])) for f in SAFETY_LIST_FIELDS],
        error=error,
        saved=saved,
    ), (400 if error else 200)


@bp.post("/<code>/safety/try")
@login_required
def try_text(code: str):
    """``{text, lists?}`` -> what would be flagged and why (``lists``: unsaved edits to try)."""
    event = _staff_event(code, "admin", "facilitator")
    data: Any = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(ok=False, error={"code": "bad_payload", "message": "Send JSON."}), 400
    try:
        result = safety.try_text(data.get("text"), data.get("lists"), event.id)
    except RoundtableError as exc:
        return jsonify(ok=False, error=exc.as_dict()), 400
    result["labels"] = CATEGORY_LABELS
    return jsonify(ok=True, **result)


# --- the safeguarding log --------------------------------------------------------------------------


def _usernames(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


def _titles(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(
        db.session.execute(select(AgendaItem.id, AgendaItem.title).where(AgendaItem.id.in_(wanted))).all()
    )


def _handling(h: HelpRequest, names: dict[int, str]) -> str:
    """How a help request was handled, step by step: who went, what they replied, who closed it."""
    steps = []
    if h.taken_by:
        steps.append(f"On the way: {names.get(h.taken_by, '?')} at {_stamp(h.taken_at)}")
    for r in h.replies or []:
        steps.append(f"Reply from {names.get(r.get('by'), '?')}: {r.get('text', '')}")
    if h.status == "handled":
        steps.append(f"Handled by {names.get(h.handled_by, '?')} at {_stamp(h.handled_at)}")
    return "; ".join(steps) or "Not yet taken"


def _stamp(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def safeguarding_rows(event: Event) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """``(help_requests, grooming_flags)`` of the event, oldest first, as display strings."""
    helps = list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.event_id == event.id)
            .order_by(HelpRequest.created_at, HelpRequest.id)
        )
    )
    flags = list(
        db.session.scalars(
            select(SafetyFlag)
            .where(SafetyFlag.event_id == event.id, SafetyFlag.grooming.is_(True))
            .order_by(SafetyFlag.created_at, SafetyFlag.id)
        )
    )
    staff_ids = {h.handled_by for h in helps} | {h.taken_by for h in helps} | {f.handled_by for f in flags}
    for h in helps:
        staff_ids.update(r.get("by") for r in h.replies or [])
    names = _usernames(staff_ids)
    titles = _titles({h.agenda_item_id for h in helps} | {f.agenda_item_id for f in flags})
    help_rows = [
        {
            "when": _stamp(h.created_at),
            "kind": ("Report" if h.kind == "report" else "Help") + (f" ({h.topic})" if h.topic else ""),
            "session": titles.get(h.agenda_item_id, "") if h.agenda_item_id else "",
            "message": h.message or "",
            "location": h.location or "",
            "handling": _handling(h, names),
            "checks": "; ".join(h.reasons or []),
            "status": {"handled": "Handled", "taken": "Someone is on the way"}.get(h.status, "Open"),
            "handled_by": names.get(h.handled_by, "") if h.handled_by else "",
            "handled_at": _stamp(h.handled_at),
        }
        for h in helps
    ]
    flag_rows = [
        {
            "when": _stamp(f.created_at),
            "where": "Question" if f.target_type == "question" else "Poll answer",
            "session": titles.get(f.agenda_item_id, "") if f.agenda_item_id else "",
            "text": f.text,
            "reasons": "; ".join(f.reasons or []),
            "outcome": OUTCOMES.get(f.status, f.status),
            "note": f.note or "",
            "handled_by": names.get(f.handled_by, "") if f.handled_by else "",
            "handled_at": _stamp(f.handled_at),
        }
        for f in flags
    ]
    return help_rows, flag_rows


@bp.get("/<code>/safeguarding")
@login_required
def safeguarding(code: str):
    event = _staff_event(code, "admin")
    help_rows, flag_rows = safeguarding_rows(event)
    return render_template(
        "safeguarding.html", event=event, user=current_user, help_rows=help_rows, flag_rows=flag_rows
    )


CSV_HEADER = [
    "type", "when", "kind / where", "session", "text", "checks / reasons", "status / outcome", "how / note",
    "handled by", "handled at",
]  # fmt: skip


@bp.get("/<code>/safeguarding.csv")
@login_required
def safeguarding_csv(code: str):
    event = _staff_event(code, "admin")
    help_rows, flag_rows = safeguarding_rows(event)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for h in help_rows:
        writer.writerow(
            ["help request", h["when"], h["kind"], h["session"], _cell(h["message"]), _cell(h["checks"]),
             h["status"], _cell(h["handling"]), h["handled_by"], h["handled_at"]]
        )  # fmt: skip
    for f in flag_rows:
        writer.writerow(
            ["possible grooming", f["when"], f["where"], f["session"], _cell(f["text"]), f["reasons"],
             f["outcome"], _cell(f["note"]), f["handled_by"], f["handled_at"]]
        )  # fmt: skip
    audit.record(event, current_user, "safeguarding.export", "event", event.id)
    db.session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="safeguarding-{event.code}.csv"'},
    )


def _cell(value: str) -> str:
    """Participant text in a spreadsheet must never run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

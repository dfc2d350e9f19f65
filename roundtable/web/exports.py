"""Staff downloads and the outcome report: CSV, XLSX, JSON, the report page and its PDF, and the
page where facilitators tag polls and questions with an expected outcome.

Facilitators and admins get everything; moderators get the questions export only (checked here,
on the server, for every route). Every download is recorded in the audit log.
"""

from __future__ import annotations

import json
import re
from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import audit
from ..agenda.service import find_event
from ..errors import RoundtableError
from ..exports import csv_export, json_export
from ..exports import data as export_data
from ..exports import outcomes as outcome_tags
from ..exports import report as outcome_report
from ..extensions import db
from ..models import Day, Event, Question
from ..polls.service import get_poll
from ..staff import access

bp = Blueprint("exports", __name__, url_prefix="/staff/<code>")


def _event(code: str, roles: tuple[str, ...]) -> Event:
    """The event if the logged-in person holds one of ``roles`` there: 404 for a stranger (as for
    an unknown code), 403 for a member whose role may not export this."""
    event = find_event(code)
    role = access.event_role(current_user, event) if event is not None else None
    if role is None:
        abort(404)
    if role not in roles:
        abort(403)
    return event


def staff_route(*, moderators: bool = False):
    """Logged in, and a facilitator or admin of this event (or any staff role when ``moderators``)."""

    def decorate(fn):
        @wraps(fn)
        @login_required
        def wrapper(code: str, **kwargs):
            return fn(_event(code, access.MODERATE if moderators else access.RUN), **kwargs)

        return wrapper

    return decorate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "export"


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _record(event: Event, action: str, target_type: str = "event", target_id: int | None = None) -> None:
    audit.record(event, current_user, action, target_type, target_id if target_id is not None else event.id)
    db.session.commit()


@bp.get("/exports")
@staff_route(moderators=True)
def index(event: Event):
    polls = export_data.answered_polls(event)
    return render_template("exports.html", event=event, polls=polls, user=current_user,
                           counts=export_data.response_counts([p.id for p in polls]))


@bp.get("/export/poll/<int:poll_id>.csv")
@staff_route()
def poll_csv(event: Event, poll_id: int):
    try:
        poll = get_poll(event.id, poll_id)
    except RoundtableError:
        abort(404)
    body = csv_export.poll_responses_csv(event, poll)
    _record(event, "export.poll_csv", "poll", poll.id)
    name = f"{event.code}-poll-{poll.id}-{_slug(poll.question)}.csv"
    return _download(body, "text/csv; charset=utf-8", name)


@bp.get("/export/results.csv")
@staff_route()
def results_csv(event: Event):
    body = csv_export.results_csv(event)
    _record(event, "export.results_csv")
    return _download(body, "text/csv; charset=utf-8", f"{event.code}-results.csv")


@bp.get("/export/questions.csv")
@staff_route(moderators=True)
def questions_csv(event: Event):
    body = csv_export.questions_csv(event)
    _record(event, "export.questions_csv")
    return _download(body, "text/csv; charset=utf-8", f"{event.code}-questions.csv")


@bp.get("/export/event.xlsx")
@staff_route()
def event_xlsx(event: Event):
    # openpyxl (with Pillow) is imported by the first workbook, not at start: about 8 MB that a
    # server would otherwise hold for an export it makes once an event, if ever.
    from ..exports import xlsx_export

    body = xlsx_export.event_workbook(event)
    _record(event, "export.xlsx")
    return _download(
        body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{event.code}-event.xlsx"
    )


@bp.get("/export/event.json")
@staff_route()
def event_json(event: Event):
    body = json.dumps(json_export.event_document(event), ensure_ascii=False, indent=2, default=str)
    _record(event, "export.json")
    return _download(body, "application/json; charset=utf-8", f"{event.code}-event.json")


def _day(event: Event, day_id: int) -> Day:
    day = db.session.get(Day, day_id)
    if day is None or day.event_id != event.id:
        abort(404)
    return day


@bp.get("/report")
@staff_route()
def report(event: Event):
    return outcome_report.render_report(event)


@bp.get("/report/day/<int:day_id>")
@staff_route()
def day_report(event: Event, day_id: int):
    return outcome_report.render_report(event, _day(event, day_id))


def _pdf(event: Event, day: Day | None):
    try:
        body = outcome_report.report_pdf(event, day)
    except outcome_report.PdfUnavailable as error:
        return render_template("error.html", title="PDF not available", message=str(error)), 503
    _record(event, "export.report_pdf", "day" if day else "event", day.id if day else event.id)
    name = f"{event.code}-report" + (f"-{_slug(day.title)}" if day else "") + ".pdf"
    return _download(body, "application/pdf", name)


@bp.get("/report.pdf")
@staff_route()
def report_pdf(event: Event):
    return _pdf(event, None)


@bp.get("/report/day/<int:day_id>.pdf")
@staff_route()
def day_report_pdf(event: Event, day_id: int):
    return _pdf(event, _day(event, day_id))


class TagForm(FlaskForm):
    pass


@bp.route("/outcomes", methods=["GET", "POST"])
@staff_route()
def outcomes(event: Event):
    """Tag polls and questions that reached the wall with an expected outcome (a plain form)."""
    form = TagForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        target = request.form.get("target")
        raw_id, raw_outcome = request.form.get("id", ""), request.form.get("outcome", "")
        if not raw_id.isdigit() or (raw_outcome and not raw_outcome.isdigit()):
            abort(400)
        try:
            thing = outcome_tags.tag(event, target, int(raw_id), int(raw_outcome) if raw_outcome else None)
        except RoundtableError as error:
            db.session.rollback()
            flash(error.message)
            return redirect(url_for("exports.outcomes", code=event.code))
        audit.record(event, current_user, "outcome.tag", target, thing.id, outcome=thing.outcome)
        db.session.commit()
        return redirect(url_for("exports.outcomes", code=event.code) + f"#{target}-{thing.id}")
    questions = {}
    for item in export_data.working_items(event):
        rows = db.session.scalars(
            db.select(Question)
            .where(
                Question.agenda_item_id == item.id,
                Question.status.in_(export_data.PUBLIC_QUESTION_STATUSES),
            )
            .order_by(Question.upvotes.desc(), Question.id)
        ).all()
        if rows:
            questions[item.id] = rows
    return render_template(
        "outcomes.html", event=event, form=form, outcomes=outcome_tags.outcome_list(event),
        items=export_data.working_items(event), questions=questions,
    )


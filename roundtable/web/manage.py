"""Organising events in the console: create, import, export and duplicate events; build the
programme (days and sessions: add, edit, remove, reorder); new codes and screen keys; clearing
rehearsal answers and deleting participants' data; the audit log; staff management (admins).

Server-rendered forms (CSRF-protected) over the same business logic as the sockets. Every view
checks the person's role in that event on the server (``access.event_for``): a member of another
event gets a 404, the same as for a code that does not exist. Changes are recorded in the audit
log and pushed to open consoles, phones and screens with the event's next state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import audit
from ..agenda import manage, programme_file
from ..agenda import service as agenda
from ..errors import NotFound, RoundtableError
from ..extensions import db, socketio
from ..live import state as live_state
from ..live.broadcaster import broadcaster, screen_room, staff_room
from ..live.staff_sessions import end_sessions, sweep
from ..models import EVENT_ROLES, ROLES, Event, User
from ..polls import clearing
from ..polls.service import get_item
from ..staff import access, accounts

bp = Blueprint("manage", __name__, url_prefix="/staff")


def _admin() -> None:
    if not (current_user.is_authenticated and current_user.active and current_user.role == "admin"):
        raise NotFound("not_found", "There is nothing at this address.")


def _me() -> User:
    return current_user._get_current_object()


def _changed(event: Event, action: str, target_type: str = "", target_id: int | None = None, **detail: Any):
    """Record, commit, and let every open page of the event see the change."""
    audit.record(event, _me(), action, target_type, target_id, **detail)
    live_state.bump(event)
    db.session.commit()
    broadcaster.state_changed(event)


def _flag(name: str) -> bool:
    return request.form.get(name) in ("on", "true", "1", "yes")


def _int(name: str) -> int | None:
    raw = request.form.get(name, "")
    return int(raw) if raw.isdigit() else None


# --- events: create, import, export, duplicate --------------------------------------------------


def _home_with(problems: list | None = None, error: str | None = None, status: int = 400):
    from .staff import event_summary

    events = [event_summary(e) for e in access.visible_events(current_user)]
    return render_template(
        "staff_home.html", events=events, user=current_user, import_problems=problems, create_error=error
    ), status


@bp.post("/events")
@login_required
def create():
    _admin()
    try:
        event = manage.create_event(
            {
                "title": request.form.get("title", ""),
                "hosts": request.form.get("hosts", ""),
                "timezone": request.form.get("timezone", ""),
                "starts_on": request.form.get("starts_on", ""),
                "ends_on": request.form.get("ends_on", ""),
            }
        )
    except RoundtableError as error:
        db.session.rollback()
        return _home_with(error=error.message)
    audit.record(event, _me(), "event.create", "event", event.id)
    db.session.commit()
    return redirect(url_for("manage.programme", code=event.code))


@bp.post("/import")
@login_required
def import_file():
    _admin()
    upload = request.files.get("programme")
    if upload is None or not upload.filename:
        return _home_with(error="Choose a programme file (.json) to import.")
    try:
        event = programme_file.import_programme(upload.read())
    except programme_file.ProgrammeError as error:
        db.session.rollback()
        return _home_with(problems=error.problems)
    audit.record(event, _me(), "event.import", "event", event.id, file=upload.filename)
    db.session.commit()
    return redirect(url_for("manage.programme", code=event.code))


@bp.get("/<code>/programme.json")
@login_required
def export(code: str):
    event = access.event_for(current_user, code, access.RUN)
    text = programme_file.dumps(programme_file.export_programme(event))
    audit.record(event, _me(), "export.programme", "event", event.id)
    db.session.commit()
    name = f"programme-{event.code}.json"
    return Response(
        text,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<code>/duplicate")
@login_required
def duplicate(code: str):
    _admin()
    event = access.event_for(current_user, code)
    title = request.form.get("title") or None
    try:
        copy = manage.duplicate_event(event, title)
    except RoundtableError as error:
        db.session.rollback()
        return _home_with(error=error.message)
    audit.record(copy, _me(), "event.duplicate", "event", copy.id, source=event.code)
    audit.record(event, _me(), "event.duplicated", "event", copy.id, copy=copy.code)
    db.session.commit()
    return redirect(url_for("manage.programme", code=copy.code))


# --- the programme editor --------------------------------------------------------------------


def _programme_page(event: Event, error: str | None = None, confirm: dict | None = None, status: int = 200):
    from sqlalchemy import func, select

    from ..models import Participant
    from ..models import Response as Answer

    answers = {}
    for item in event.agenda_items():
        poll_ids = [p.id for p in item.polls]
        answers[item.id] = (
            db.session.scalar(select(func.count()).select_from(Answer).where(Answer.poll_id.in_(poll_ids)))
            if poll_ids
            else 0
        )
    participants = db.session.scalar(
        select(func.count()).select_from(Participant).where(Participant.event_id == event.id)
    )
    return render_template(
        "programme.html",
        event=event,
        user=current_user,
        role=access.event_role(current_user, event),
        answers=answers,
        participants=participants,
        error=error,
        confirm=confirm,
        timezones=COMMON_TIMEZONES,
    ), status


COMMON_TIMEZONES = [
    "Africa/Nairobi",
    "Africa/Kampala",
    "Africa/Dar_es_Salaam",
    "Africa/Kigali",
    "Africa/Addis_Ababa",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Europe/London",
    "Europe/Berlin",
    "UTC",
]


@bp.get("/<code>/programme")
@login_required
def programme(code: str):
    event = access.event_for(current_user, code, access.RUN)
    return _programme_page(event)


def _run(code: str, fn, action: str, target_type: str = "", target_id_of=None, **detail):
    """POST helper: check the role, apply ``fn(event)``, record it, redirect to the programme;
    a refusal re-renders the page with the error and changes nothing."""
    event = access.event_for(current_user, code, access.RUN)
    try:
        result = fn(event)
    except RoundtableError as error:
        db.session.rollback()
        if error.code == "confirm_required":
            return _programme_page(
                event, confirm={"message": error.message, "form": request.form}, status=409
            )
        if isinstance(error, NotFound):
            raise
        return _programme_page(event, error=error.message, status=400)
    target_id = target_id_of(result) if target_id_of else None
    _changed(event, action, target_type, target_id, **detail)
    return redirect(
        url_for("manage.programme", code=event.code) + (f"#{target_type}-{target_id}" if target_id else "")
    )


@bp.post("/<code>/programme/event")
@login_required
def event_edit(code: str):
    def apply(event):
        agenda.update_event(
            event,
            {
                "title": request.form.get("title", event.title),
                "hosts": request.form.get("hosts", event.hosts),
                "objective": request.form.get("objective", event.objective),
                "helpline": request.form.get("helpline", event.helpline),
            },
        )
        manage.update_dates(
            event,
            {
                "starts_on": request.form.get("starts_on", ""),
                "ends_on": request.form.get("ends_on", ""),
                "timezone": request.form.get("timezone", event.timezone),
            },
        )
        return event

    return _run(code, apply, "event.edit", "event", lambda e: e.id)


@bp.post("/<code>/programme/days")
@login_required
def day_add(code: str):
    def apply(event):
        data = {"date": request.form.get("date", "")}
        if request.form.get("title", "").strip():
            data["title"] = request.form["title"]
        return manage.add_day(event, data)

    return _run(code, apply, "day.add", "day", lambda d: d.id)


@bp.post("/<code>/programme/days/<int:day_id>")
@login_required
def day_edit(code: str, day_id: int):
    def apply(event):
        day = manage.get_day(event, day_id)
        date = request.form.get("date", "")
        manage._check_day_date(event, manage._date(date, "date"), day)
        return agenda.update_day(
            event, {"day_id": day.id, "title": request.form.get("title", day.title), "date": date}
        )

    return _run(code, apply, "day.edit", "day", lambda d: d.id)


@bp.post("/<code>/programme/days/<int:day_id>/delete")
@login_required
def day_delete(code: str, day_id: int):
    return _run(
        code,
        lambda event: manage.delete_day(event, manage.get_day(event, day_id), _flag("confirm")),
        "day.delete",
        "day",
        lambda lost: day_id,
    )


@bp.post("/<code>/programme/days/<int:day_id>/move")
@login_required
def day_move(code: str, day_id: int):
    return _run(
        code,
        lambda event: manage.move_day(event, manage.get_day(event, day_id), request.form.get("direction")),
        "day.move",
        "day",
        lambda _: day_id,
    )


def _session_form() -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": request.form.get("title", ""),
        "starts_at": request.form.get("starts_at", ""),
        "ends_at": request.form.get("ends_at", ""),
        "facilitator": request.form.get("facilitator", ""),
        "points": request.form.get("points", ""),
        "questions_to": request.form.get("questions_to", ""),
    }
    for name in ("is_break", "involves_children", "children_led", "split_by_group"):
        data[name] = _flag(name)
    if request.form.get("question_mode"):
        data["question_mode"] = request.form["question_mode"]
    return data


@bp.post("/<code>/programme/days/<int:day_id>/sessions")
@login_required
def item_add(code: str, day_id: int):
    return _run(
        code,
        lambda event: manage.add_item(event, manage.get_day(event, day_id), _session_form()),
        "agenda_item.add",
        "agenda_item",
        lambda item: item.id,
    )


@bp.post("/<code>/programme/sessions/<int:item_id>")
@login_required
def item_edit(code: str, item_id: int):
    def apply(event):
        item = get_item(event.id, item_id)
        data = _session_form()
        if data["children_led"] and not data["involves_children"]:
            raise RoundtableError("bad_payload", "A children's own session must also involve children.")
        data.setdefault("question_mode", item.question_mode)
        return agenda.update_item(event, {"item_id": item.id, **data})

    return _run(code, apply, "agenda_item.edit", "agenda_item", lambda item: item.id)


@bp.post("/<code>/programme/sessions/<int:item_id>/delete")
@login_required
def item_delete(code: str, item_id: int):
    return _run(
        code,
        lambda event: manage.delete_item(event, get_item(event.id, item_id), _flag("confirm")),
        "agenda_item.delete",
        "agenda_item",
        lambda lost: item_id,
    )


@bp.post("/<code>/programme/sessions/<int:item_id>/move")
@login_required
def item_move(code: str, item_id: int):
    return _run(
        code,
        lambda event: manage.move_item(event, get_item(event.id, item_id), request.form.get("direction")),
        "agenda_item.move",
        "agenda_item",
        lambda _: item_id,
    )


# --- codes and keys ----------------------------------------------------------------------------


@bp.post("/<code>/new-code")
@login_required
def new_code(code: str):
    event = access.event_for(current_user, code, access.RUN)
    old = event.code
    manage.new_code(event)
    _changed(event, "event.new_code", "event", event.id, old=old, new=event.code)
    _tell_screens_and_consoles(event, "code")
    return redirect(url_for("manage.programme", code=event.code) + "#codes")


@bp.post("/<code>/new-screen-key")
@login_required
def new_screen_key(code: str):
    event = access.event_for(current_user, code, access.RUN)
    manage.new_key(event)
    _changed(event, "event.new_screen_key", "event", event.id)
    _tell_screens_and_consoles(event, "key")
    return redirect(url_for("manage.programme", code=event.code) + "#codes")


def _tell_screens_and_consoles(event: Event, what: str) -> None:
    """The old link stops working at once: screens are told and disconnected (every process's
    tick drops sockets opened with an old code or key), consoles get the new address."""
    socketio.emit(
        "screen_revoked",
        {"message": "This projector link was replaced. Open the new link from the console."},
        to=screen_room(event.id),
    )
    socketio.emit(
        "event_moved",
        {"what": what, "console_url": url_for("staff.console", code=event.code)},
        to=staff_room(event.id),
    )
    sweep()


# --- rehearsal and data retention --------------------------------------------------------------


def _data_page(event: Event, message: str | None = None, error: str | None = None, status: int = 200):
    kept_since = clearing.data_kept_since(event)
    days = (dt.datetime.now(dt.UTC).replace(tzinfo=None) - kept_since).days if kept_since else None
    return render_template(
        "event_data.html",
        event=event,
        user=current_user,
        role=access.event_role(current_user, event),
        kept_since=kept_since,
        kept_days=days,
        participants=clearing.participant_count(event),
        message=message,
        error=error,
    ), status


@bp.get("/<code>/data")
@login_required
def data(code: str):
    event = access.event_for(current_user, code, access.RUN)
    return _data_page(event)


@bp.post("/<code>/data/clear")
@login_required
def clear(code: str):
    event = access.event_for(current_user, code, access.RUN)
    scope = request.form.get("scope", "")
    target = _int("target_id")
    if scope == "event":
        target = None
    try:
        result = clearing.clear_answers(event, scope, target, _flag("questions"))
    except RoundtableError as error:
        db.session.rollback()
        return _data_page(event, error=error.message, status=400)
    _changed(event, "answers.clear", scope, target, **result)
    for poll_id in _poll_ids(event):
        broadcaster.poll_changed(poll_id)
    return _data_page(
        event,
        message=f"Cleared {manage.counted(result['answers'], 'answer')} "
        f"to {manage.counted(result['polls'], 'poll')}"
        + (f" and {manage.counted(result['questions'], 'question')}" if _flag("questions") else "")
        + ". The polls are drafts again.",
    )


def _poll_ids(event: Event) -> list[int]:
    return [p.id for i in event.agenda_items() for p in i.polls]


@bp.post("/<code>/data/delete-participants")
@login_required
def delete_participants(code: str):
    event = access.event_for(current_user, code, access.RUN)
    if request.form.get("confirm_code", "").strip() != event.code:
        return _data_page(event, error="Type the event code to confirm.", status=400)
    result = clearing.delete_participant_data(event)
    _changed(event, "participants.delete", "event", event.id, **result)
    return _data_page(
        event,
        message=f"Deleted {manage.counted(result['participants'], 'participant')} and their "
        f"{manage.counted(result['answers'], 'answer')}. "
        "The results, questions and report are kept.",
    )


# --- the audit log ------------------------------------------------------------------------------


@bp.get("/<code>/audit")
@login_required
def audit_log(code: str):
    event = access.event_for(current_user, code, access.RUN)
    return render_template(
        "audit.html",
        event=event,
        user=current_user,
        role=access.event_role(current_user, event),
        entries=audit.entries(event, limit=1000),
    )


# --- staff (admins) -----------------------------------------------------------------------------


def _people_page(
    message: str | None = None, error: str | None = None, password: dict | None = None, status=200
):
    users = accounts.all_users()
    events = list(db.session.scalars(db.select(Event).order_by(Event.id)))
    roles = {u.id: access.roles_by_event(u) for u in users}
    return render_template(
        "people.html",
        user=current_user,
        users=users,
        events=events,
        roles=roles,
        ROLES=ROLES,
        EVENT_ROLES=EVENT_ROLES,
        message=message,
        error=error,
        password=password,
    ), status


@bp.get("/people")
@login_required
def people():
    _admin()
    return _people_page()


@bp.post("/people")
@login_required
def person_add():
    _admin()
    try:
        user, password = accounts.create_user(
            request.form.get("username", ""), request.form.get("role", "facilitator")
        )
        for event in db.session.scalars(db.select(Event)):
            role = request.form.get(f"event_{event.id}", "")
            if role:
                accounts.set_event_role(user, event, role)
                audit.record(event, _me(), "staff.add", "user", user.id, username=user.username, role=role)
        audit.record(None, _me(), "staff.create", "user", user.id, username=user.username, role=user.role)
    except RoundtableError as error:
        db.session.rollback()
        return _people_page(error=error.message, status=400)
    db.session.commit()
    return _people_page(
        message=f"Added {user.username}.", password={"username": user.username, "password": password}
    )


def _person(user_id: int) -> User:
    _admin()
    return accounts.get_user(user_id)


@bp.post("/people/<int:user_id>/roles")
@login_required
def person_roles(user_id: int):
    user = _person(user_id)
    reduced = False
    try:
        if request.form.get("role"):
            reduced = user.role == "admin" and request.form["role"] != "admin"
            accounts.set_global_role(user, request.form["role"], by=_me())
        for event in db.session.scalars(db.select(Event)):
            field = f"event_{event.id}"
            if field in request.form:
                before = access.roles_by_event(user).get(event.id)
                role = request.form[field] or None
                if role != before:
                    accounts.set_event_role(user, event, role)
                    reduced = reduced or bool(before and role is None)
                    audit.record(
                        event, _me(), "staff.role", "user", user.id, username=user.username, role=role or ""
                    )
        if reduced and user.id != current_user.id:
            # A role taken away takes the open consoles with it: they reconnect to what is left.
            accounts.end_logins(user)
    except RoundtableError as error:
        db.session.rollback()
        return _people_page(error=error.message, status=400)
    db.session.commit()
    if reduced and user.id != current_user.id:
        end_sessions(user)
    return _people_page(message=f"Saved the roles of {user.username}.")


@bp.post("/people/<int:user_id>/password")
@login_required
def person_password(user_id: int):
    user = _person(user_id)
    password = accounts.reset_password(user)
    audit.record(None, _me(), "staff.password_reset", "user", user.id, username=user.username)
    db.session.commit()
    end_sessions(user)
    return _people_page(
        message=f"{user.username}'s password was reset; every login of theirs has ended.",
        password={"username": user.username, "password": password},
    )


@bp.post("/people/<int:user_id>/active")
@login_required
def person_active(user_id: int):
    user = _person(user_id)
    active = request.form.get("active") == "true"
    try:
        accounts.set_active(user, active, by=_me())
    except RoundtableError as error:
        db.session.rollback()
        return _people_page(error=error.message, status=400)
    audit.record(
        None,
        _me(),
        "staff.activate" if active else "staff.deactivate",
        "user",
        user.id,
        username=user.username,
    )
    db.session.commit()
    if not active:
        end_sessions(user)
    return _people_page(message=f"{user.username} is {'active' if active else 'deactivated'}.")

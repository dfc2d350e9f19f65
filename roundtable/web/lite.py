"""The lite page: the whole phone experience as plain HTML forms, for browsers that run little or
no JavaScript (Opera Mini's extreme mode, old feature-phone browsers, a socket that cannot start).

Every action goes through the same business logic and safety checks as the socket handlers
(``cast_response``, ``questions.service.ask`` / ``upvote`` / ``send_help``), the same per-person
and per-address rate limits, and then the same broadcaster (tallies and walls are coalesced,
help requests reach the staff at once). Forms are CSRF-protected (Flask-WTF's ``CSRFProtect``)
and follow post/redirect/get: the answer shows on the page after the redirect, with a refresh
link for what changed since. Each form carries a fresh ``client_id``, so a form sent twice (a
double tap, a resend after a timeout) is stored once.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..agenda.service import find_event
from ..errors import RoundtableError
from ..extensions import db
from ..i18n import event_helpline, pick
from ..models import Event, Participant, Poll
from ..polls import service as polls
from ..questions import service as questions
from ..questions import views as question_views

bp = Blueprint("lite", __name__, url_prefix="/lite")

MAX_FORM_WORDS = 3


def _event_or_404(code: str) -> Event:
    event = find_event(code)
    if event is None:
        raise RoundtableError("unknown_event", _("There is no such event."), 404)
    return event


def _participant(event: Event) -> Participant | None:
    participant_id = (session.get("participants") or {}).get(str(event.id))
    participant = db.session.get(Participant, participant_id) if participant_id else None
    return participant if participant and participant.event_id == event.id else None


def _allow(action: str, participant: Participant) -> bool:
    limits = current_app.extensions["roundtable_socket_limits"]
    return limits.allow(action, participant.id, request.remote_addr)


def _back(event: Event, anchor: str = ""):
    return redirect(url_for("lite.page", code=event.code) + (f"#{anchor}" if anchor else ""))


def _client_id() -> str:
    return secrets.token_urlsafe(12)


# --- reading the forms --------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def answer_from_form(poll: Poll, form) -> Any:
    """The ``answer`` object the vote handler would get, built from an HTML form.

    Anything malformed is passed on as it is, so the poll kind's own validation answers with its
    own code and message (the same as for the full page).
    """
    kind = poll.kind
    if kind in ("single", "quiz"):
        return {"option": _int(form.get("option"))}
    if kind == "multiple":
        return {"options": [_int(v) for v in form.getlist("options")]}
    if kind == "rating":
        return {"value": _int(form.get("value"))}
    if kind == "ranking":
        # One "place" field per option: sort the options by the place given to each.
        places = []
        for option in poll.options:
            place = _int(form.get(f"place-{option.id}"))
            if place is None:
                raise RoundtableError("incomplete_ranking", _("Put every option in order."))
            places.append((place, option.id))
        if len({p for p, _ in places}) != len(places):
            raise RoundtableError("duplicate_option", _("Give each option a different place."))
        return {"order": [option_id for _, option_id in sorted(places)]}
    if kind == "points":
        points = {}
        for option in poll.options:
            raw = (form.get(f"points-{option.id}") or "").strip()
            value = _int(raw) if raw else 0
            if value is None:
                raise RoundtableError("bad_payload", _("Points must be whole numbers."))
            points[str(option.id)] = value
        return {"points": points}
    if kind == "wordcloud":
        return {"words": [w for w in form.getlist("words") if w.strip()]}
    if kind == "opentext":
        return {"texts": [t for t in form.getlist("texts") if t.strip()]}
    return None


# --- what the page shows ------------------------------------------------------------------------


def _results(poll: Poll, tally: dict[str, Any]) -> list[dict[str, Any]]:
    """Result lines ``{label, value, share}`` for a plain list of bars."""
    labels = {o.id: pick(o.label, o.label_sw) for o in poll.options}
    total = tally.get("total") or 0
    lines: list[dict[str, Any]] = []
    if "counts" in tally and poll.kind != "rating":
        for option in poll.options:
            n = tally["counts"].get(str(option.id), 0)
            lines.append(
                {"label": labels[option.id], "value": n, "share": round(100 * n / total) if total else 0}
            )
    elif poll.kind == "rating":
        for value, n in sorted(tally.get("counts", {}).items(), key=lambda kv: int(kv[0])):
            lines.append({"label": value, "value": n, "share": round(100 * n / total) if total else 0})
    elif "ranking" in tally:
        top = max((r["score"] for r in tally["ranking"]), default=0) or 1
        for row in tally["ranking"]:
            lines.append(
                {
                    "label": labels.get(row["option_id"], ""),
                    "value": row["score"],
                    "share": round(100 * row["score"] / top),
                }
            )
    elif "points" in tally:
        spent = sum(tally["points"].values()) or 1
        for option in poll.options:
            n = tally["points"].get(str(option.id), 0)
            lines.append({"label": labels[option.id], "value": n, "share": round(100 * n / spent)})
    elif "words" in tally:
        top = max((n for _, n in tally["words"]), default=0) or 1
        for word, n in tally["words"][:20]:
            lines.append({"label": word, "value": n, "share": round(100 * n / top)})
    elif "answers" in tally:
        for answer in tally["answers"][:20]:
            lines.append({"label": answer["text"], "value": None, "share": None})
    return lines


def _poll_card(poll: Poll, mine: dict[int, Any], participant: Participant) -> dict[str, Any]:
    answered = poll.id in mine
    card: dict[str, Any] = {
        "poll": poll,
        "question": pick(poll.question, poll.question_sw),
        "options": [{"id": o.id, "label": pick(o.label, o.label_sw)} for o in poll.options],
        "answer": mine.get(poll.id),
        "answered": answered,
        "can_answer": poll.status == "open" and (poll.allow_change or not answered),
        "client_id": _client_id(),
        "results": None,
        "held": [],
    }
    if polls.participant_sees_results(poll, answered=answered):
        tally = polls.tally(poll)
        card["results"] = _results(poll, tally)
        card["total"] = tally.get("total", 0)
        if poll.kind == "quiz" and "correct_option" in tally:
            card["correct"] = tally["correct_option"]
        if poll.kind == "rating":
            card["mean"] = tally.get("mean")
    if answered and polls.kind_of(poll).free_text:
        card["held"] = polls.held_texts(poll, participant)
    return card


@bp.get("/<code>")
def page(code: str):
    event = find_event(code)
    if event is None:
        return render_template("unknown_event.html", code=code), 404
    participant = _participant(event)
    if participant is None:
        return redirect(url_for("lite.join", code=event.code))
    from ..live import state as live_state

    item = live_state.current_item(event)
    shown = live_state.visible_polls(item)
    mine = polls.answers_of(participant, [p.id for p in shown])
    wall = question_views.wall(item)["questions"] if item and not item.is_break else []
    group = next((g for g in event.groups if g.key == participant.group_key), None)
    return render_template(
        "lite.html",
        event=event,
        item=item,
        points=[line.strip() for line in pick(item.points, item.points_sw).splitlines() if line.strip()]
        if item
        else [],
        cards=[_poll_card(p, mine, participant) for p in shown],
        wall=wall,
        upvoted=set(question_views.my_upvotes(participant)),
        my_questions=question_views.my_questions(participant)[:10],
        questions_open=bool(item and questions.live_item(event) is not None and not item.is_break),
        ask_client_id=_client_id(),
        child=bool(group and group.is_children) or bool(item and item.involves_children),
        group=group,
        helpline=event_helpline(event),
    )


@bp.get("/<code>/join")
def join(code: str):
    event = find_event(code)
    if event is None:
        return render_template("unknown_event.html", code=code), 404
    if _participant(event):
        return redirect(url_for("lite.page", code=event.code))
    return render_template("lite_join.html", event=event)


@bp.post("/<code>/join")
def join_post(code: str):
    """The same join as the full page's (``participant.join_post``), then back to the lite page."""
    from .participant import join_post as full_join

    response = full_join(code)
    if getattr(response, "status_code", 200) in (301, 302, 303):
        event = find_event(code)
        return redirect(url_for("lite.page", code=event.code if event else code))
    return response


@bp.post("/<code>/vote/<int:poll_id>")
def vote(code: str, poll_id: int):
    event = _event_or_404(code)
    participant = _participant(event)
    if participant is None:
        return redirect(url_for("lite.join", code=event.code))
    anchor = f"poll-{poll_id}"
    try:
        if not _allow("vote", participant):
            raise RoundtableError("rate_limited", _("Too many votes at once: wait a moment and try again."))
        poll = polls.get_poll(event.id, poll_id)
        answer = answer_from_form(poll, request.form)
        answer, duplicate = polls.cast_response(poll, participant, answer, request.form.get("client_id"))
        db.session.commit()
    except RoundtableError as error:
        db.session.rollback()
        flash(error.text, f"error:{anchor}")
        return _back(event, anchor)
    from ..live.broadcaster import broadcaster

    if not duplicate:
        broadcaster.poll_changed(poll_id)
    flash(_("Vote received."), f"ok:{anchor}")
    return _back(event, anchor)


@bp.post("/<code>/ask")
def ask(code: str):
    event = _event_or_404(code)
    participant = _participant(event)
    if participant is None:
        return redirect(url_for("lite.join", code=event.code))
    try:
        if not _allow("ask", participant):
            raise RoundtableError(
                "rate_limited", _("You have asked several questions already: wait a minute.")
            )
        item = questions.live_item(event)
        question, duplicate = questions.ask(
            item,
            participant,
            request.form.get("text"),
            request.form.get("name") or None,
            request.form.get("client_id"),
        )
        db.session.commit()
    except RoundtableError as error:
        db.session.rollback()
        flash(error.text, "error:ask")
        return _back(event, "ask")
    from ..live.question_handlers import walls

    if not duplicate:
        walls.mark(question.agenda_item_id)
    if question.status == "pending":
        flash(_("Sent. A moderator will look at your question before it appears."), "ok:ask")
    else:
        flash(_("Your question is on the wall."), "ok:ask")
    return _back(event, "ask")


@bp.post("/<code>/upvote/<int:question_id>")
def upvote(code: str, question_id: int):
    event = _event_or_404(code)
    participant = _participant(event)
    if participant is None:
        return redirect(url_for("lite.join", code=event.code))
    try:
        if not _allow("upvote", participant):
            raise RoundtableError("rate_limited", _("Too many upvotes at once: wait a moment."))
        question = questions.get_question(event.id, question_id)
        questions.upvote(question, participant, request.form.get("up") == "1")
        db.session.commit()
    except RoundtableError as error:
        db.session.rollback()
        flash(error.text, "error:wall")
        return _back(event, "wall")
    from ..live.question_handlers import walls

    walls.mark(question.agenda_item_id)
    return _back(event, f"q-{question_id}")


@bp.post("/<code>/help")
def help_request(code: str):
    event = _event_or_404(code)
    participant = _participant(event)
    if participant is None:
        return redirect(url_for("lite.join", code=event.code))
    try:
        if not _allow("help", participant):
            raise RoundtableError(
                "rate_limited",
                _(
                    "Your earlier messages have reached the facilitators. %(helpline)s",
                    helpline=event_helpline(event),
                ),
            )
        help_request = questions.send_help(
            event,
            participant,
            request.form.get("kind"),
            request.form.get("message"),
            questions.live_item(event),
        )
        db.session.commit()
    except RoundtableError as error:
        db.session.rollback()
        flash(error.text, "error:help")
        return _back(event, "help")
    from ..extensions import socketio
    from ..live.broadcaster import staff_room

    socketio.emit(
        "help", {"request": question_views.help_dict(help_request), "alert": True}, to=staff_room(event.id)
    )
    flash(_("A facilitator has been told. They will come to you."), "ok:help")
    return _back(event, "help")

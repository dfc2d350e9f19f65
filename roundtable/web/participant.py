"""Participants: enter a code, join with an optional stakeholder group, then the live page.

No account and no personal data: the participant id lives in the signed session cookie.
"""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..agenda.service import find_event, normalise_code
from ..extensions import db, limiter
from ..i18n import current_language
from ..models import Event, Participant
from ..schemas import HomeQuery, JoinForm, parse_http

bp = Blueprint("participant", __name__)


def _joined(event: Event) -> Participant | None:
    participant_id = (session.get("participants") or {}).get(str(event.id))
    participant = db.session.get(Participant, participant_id) if participant_id else None
    return participant if participant and participant.event_id == event.id else None


def _unknown(code: str):
    return render_template("unknown_event.html", code=code), 404


def _limits_on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _lookup(code: str) -> tuple[Event | None, Any]:
    """The event of ``code``, or the response to give instead: its unknown page (a miss, counted
    per address), or 429 for every code once this address has missed too often, so that codes
    cannot be enumerated (roundtable/web/throttle.py)."""
    guard = current_app.extensions["roundtable_code_guard"]
    address = request.remote_addr
    if _limits_on() and guard.exhausted(address):
        event = find_event(code)
        if event is not None and _joined(event):
            return event, None  # a phone that already joined is never kept out
        return None, (
            render_template(
                "error.html",
                title="Slow down",
                message="Too many wrong event codes from here: wait a minute, then check the code.",
            ),
            429,
        )
    event = find_event(code)
    if event is None:
        if _limits_on():
            guard.missed(address)
        return None, _unknown(code)
    return event, None


@bp.get("/")
def home():
    code = parse_http(HomeQuery, request.args).get("code", "")
    if code:
        return redirect(url_for("participant.join", code=normalise_code(code)))
    return render_template("home.html")


@bp.get("/j/<code>")
def join(code: str):
    event, refusal = _lookup(code)
    if event is None:
        return refusal
    if _joined(event):
        return redirect(url_for("participant.event_page", code=event.code))
    return render_template("join.html", event=event)


@bp.post("/j/<code>")
# Per address, and generous: a whole venue usually shares one address behind its Wi-Fi's NAT.
@limiter.limit(lambda: current_app.config["ROUNDTABLE_JOIN_LIMIT"])
def join_post(code: str):
    event, refusal = _lookup(code)
    if event is None:
        return refusal
    participant = _joined(event)
    group = parse_http(JoinForm, request.form).get("group", "")
    keys = {g.key for g in event.groups}
    if group and group not in keys:
        return render_template("join.html", event=event, error=_("Choose one of the groups.")), 400
    if participant is None:
        participant = Participant(event_id=event.id)
        db.session.add(participant)
    participant.language = current_language()
    participant.group_key = group or None
    db.session.commit()
    joined = dict(session.get("participants") or {})
    joined[str(event.id)] = participant.id
    session["participants"] = joined
    session.permanent = True
    return redirect(url_for("participant.event_page", code=event.code))


@bp.get("/e/<code>")
def event_page(code: str):
    event = find_event(code)
    participant = _joined(event) if event is not None else None
    if participant is None:
        # Unknown and not joined look the same: the join page (where codes are limited) decides.
        return redirect(url_for("participant.join", code=normalise_code(code)))
    group = next((g for g in event.groups if g.key == participant.group_key), None)
    return render_template("participant.html", event=event, group=group)


@bp.get("/qr/<code>.svg")
def qr(code: str):
    import segno  # imported by the first QR code drawn, not by every process at start

    from .urls import join_url

    # Drawn for any code without looking it up: the QR code only encodes the join address, and a
    # 404 for unknown codes would let anyone test codes here instead of on the limited join page.
    buffer = io.BytesIO()
    segno.make(join_url(normalise_code(code) or "0"), error="m").save(
        buffer, kind="svg", scale=10, border=2, dark="#0b1b2b", light="#ffffff", xmldecl=False
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "max-age=300"})

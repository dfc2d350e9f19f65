"""The projector: one page that follows the facilitator's choice, opened with a secret key."""

from __future__ import annotations

import secrets

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..agenda.service import find_event
from .urls import join_url, short_join_address

bp = Blueprint("screen", __name__, url_prefix="/screen")


@bp.get("/<code>")
def screen(code: str):
    event = find_event(code)
    key = request.args.get("key", "")
    if event is None or not secrets.compare_digest(key, event.screen_key):
        # Nothing of the event, not even whether the code exists, for a wrong key.
        return render_template(
            "error.html",
            title=_("This screen link is not valid"),
            message=_("Ask the facilitator for the projector link shown in the console."),
        ), 404
    return render_template(
        "screen.html",
        event=event,
        key=key,
        join_url=join_url(event.code),
        short_address=short_join_address(),
    )

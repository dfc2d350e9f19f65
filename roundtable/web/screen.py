"""The projector: one page that follows the facilitator's choice, opened with a secret key."""

from __future__ import annotations

import functools
import secrets

from flask import Blueprint, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from ..agenda.service import find_event
from ..i18n import bilingual, bilingual_content, clean_language, current_language
from ..schemas import ScreenQuery, parse_http
from .urls import join_url, short_join_address

bp = Blueprint("screen", __name__, url_prefix="/screen")


@bp.get("/<code>")
def screen(code: str):
    event = find_event(code)
    key = parse_http(ScreenQuery, request.args)["key"] if "key" in request.args else ""
    # Bytes, not str: compare_digest refuses non-ASCII text (a key of "é" was an HTTP 500).
    if event is None or not secrets.compare_digest(key.encode(), event.screen_key.encode()):
        # Nothing of the event, not even whether the code exists, for a wrong key.
        return render_template(
            "error.html",
            title=_("This screen link is not valid"),
            message=_("Ask the facilitator for the projector link shown in the console."),
        ), 404
    # ?lang=en | sw | both: the room is bilingual, so the projector can show both at once.
    choice = request.args.get("lang", "")
    languages = (
        ("en", "sw") if choice == "both" else ((clean_language(choice),) if clean_language(choice) else None)
    )
    languages = languages or (current_language(),)
    with force_locale(languages[0]):
        return render_template(
            "screen.html",
            event=event,
            key=key,
            join_url=join_url(event.code),
            short_address=short_join_address(),
            screen_languages=languages,
            bi=functools.partial(bilingual, languages),
            bi_content=functools.partial(bilingual_content, languages),
        )

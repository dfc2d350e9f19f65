"""The language choice: ``POST /lang`` (English | Kiswahili), from any page, with or without JS.

The choice goes into the session cookie (``lang``), so every later page and socket connection of
this browser uses it, and onto each participant this browser joined as (``Participant.language``),
so that what the server says to them, and the language their answers are filed under, follow it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, session, url_for

from ..extensions import db
from ..i18n import clean_language
from ..models import Participant

bp = Blueprint("language", __name__)


def safe_next(target: str | None) -> str | None:
    """A path on this site only (never another host), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def remember(language: str) -> None:
    """Keep ``language`` for this browser and for every participant it joined as."""
    session["lang"] = language
    session.permanent = True
    for participant_id in (session.get("participants") or {}).values():
        participant = db.session.get(Participant, participant_id)
        if participant is not None:
            participant.language = language


@bp.post("/lang")
def choose():
    language = clean_language(request.form.get("lang"))
    target = safe_next(request.form.get("next")) or url_for("participant.home")
    if language is None:
        return redirect(target)
    remember(language)
    db.session.commit()
    return redirect(target)

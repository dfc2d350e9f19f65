"""The USSD menu: a state machine driven by Africa's Talking's callback, one screen a request.

The gateway sends every input of the session so far in ``text`` (``1*2*3``); this module keeps
the session's state in ``UssdSession`` and takes the new input as what follows the ``text`` it
saw last, so a ``*`` typed inside an answer ("1*3" for two choices) stays part of it. A retried
request (the same ``text`` again) gets the same screen and changes nothing.

Screens: event code (unless the channel is bound to an event) -> language (first visit, or from
the menu) -> stakeholder group (first visit, optional) -> menu of the live session: its open
polls, "Ask a question", "I need help", "Lugha/Language". Lists page with ``98 More`` /
``0 Back``. Every screen fits ``screens.MAX_SCREEN`` characters, in both languages.

Nothing slow happens here: a few indexed queries and one write per request. Like every business
function it flushes but never commits; what must be broadcast is added to ``Effects``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..agenda.service import find_event
from ..errors import RoundtableError
from ..extensions import db
from ..models import Event, Participant, Poll, UssdSession, utcnow
from ..polls.service import get_poll
from . import service
from .screens import BACK, MAX_SCREEN, MORE, clip, paged, screen
from .texts import both, error_text, t

MAX_STEPS = 300
MAX_CODE_TRIES = 3


@dataclass
class UssdRequest:
    session_id: str
    service_code: str
    number: str  # normalised (E.164); used for the hash only, never stored
    network_code: str
    text: str


@dataclass
class Ctx:
    session: UssdSession
    request: UssdRequest
    effects: service.Effects
    event: Event | None = None
    participant: Participant | None = None

    @property
    def lang(self) -> str:
        return self.session.language or "en"

    @property
    def state(self) -> dict[str, Any]:
        return self.session.state or {}


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def handle(request: UssdRequest, *, bound_code: str, ttl: int, effects: service.Effects) -> str:
    """The reply (``CON ...`` or ``END ...``) to one gateway request."""
    key = session_key(request.session_id)
    now = utcnow()
    session = db.session.scalar(select(UssdSession).where(UssdSession.session_key == key))
    if session is not None and session.updated_at < now - dt.timedelta(seconds=ttl):
        lang = session.language
        db.session.delete(session)
        db.session.flush()
        return screen("END", t("expired", lang) if lang else both("expired"))
    dialled_code = None
    if session is None and request.text != "":
        # Dialled with the event code in the service code (*384*1234*<code>#): the gateway's
        # first request already carries it. Anything else is a session we do not know (expired
        # and purged, or the server restarted): nothing to resume, and nothing stored.
        dialled_code = find_event(request.text) if "*" not in request.text and not bound_code else None
        if dialled_code is None:
            return screen("END", both("expired"))
    if session is None:
        stale = now - dt.timedelta(seconds=ttl)
        db.session.execute(delete(UssdSession).where(UssdSession.updated_at < stale))
        session = UssdSession(session_key=key, state={}, last_text="", last_reply="", steps=0)
        try:
            with db.session.begin_nested():
                db.session.add(session)
        except IntegrityError:
            # The gateway's retry of this first request overtook it: answer as the other did.
            other = db.session.scalar(select(UssdSession).where(UssdSession.session_key == key))
            if other is not None and other.last_reply:
                return other.last_reply
            return screen("END", both("expired"))
        ctx = Ctx(session, request, effects)
        reply = _enter_event(ctx, dialled_code) if dialled_code else _start(ctx, bound_code)
    else:
        if request.text == session.last_text and session.last_reply:
            return session.last_reply
        ctx = Ctx(session, request, effects)
        if not _load(ctx):
            return screen("END", t("refused", ctx.lang))
        if session.steps >= MAX_STEPS:
            reply = screen("END", t("expired", ctx.lang))
        else:
            reply = _step(ctx, _new_input(session.last_text, request.text))
    session.last_text = request.text
    session.last_reply = reply
    session.updated_at = now
    session.steps = (session.steps or 0) + 1
    db.session.flush()
    return reply


def _new_input(previous: str, text: str) -> str:
    if previous == "":
        return text
    if text.startswith(previous + "*"):
        return text[len(previous) + 1 :]
    return text.rsplit("*", 1)[-1]


def _load(ctx: Ctx) -> bool:
    """The session's event and participant; ``False`` when the number is not the session's."""
    session = ctx.session
    if session.event_id is not None:
        ctx.event = db.session.get(Event, session.event_id)
    if session.participant_id is not None:
        ctx.participant = db.session.get(Participant, session.participant_id)
        if ctx.participant is None or ctx.event is None:
            return False
        if ctx.participant.phone_hash != service.phone_hash(ctx.event, ctx.request.number):
            return False
    return True


def _go(ctx: Ctx, name: str, notice: str = "", **state: Any) -> str:
    ctx.session.state = {"screen": name, **state}
    return RENDER[name](ctx, notice)


def _start(ctx: Ctx, bound_code: str) -> str:
    if bound_code:
        event = find_event(bound_code)
        if event is None:
            return screen("END", both("invalid"))
        return _enter_event(ctx, event)
    return _go(ctx, "code", tries=0)


def _enter_event(ctx: Ctx, event: Event) -> str:
    participant, new = service.participant_for(event, ctx.request.number, "ussd")
    ctx.event, ctx.participant = event, participant
    ctx.session.event_id, ctx.session.participant_id = event.id, participant.id
    if participant.language and not new:
        ctx.session.language = participant.language
        return _go(ctx, "menu", page=0)
    return _go(ctx, "lang", first=new)


def _step(ctx: Ctx, inp: str) -> str:
    name = ctx.state.get("screen", "menu")
    if name != "code" and (ctx.event is None or ctx.participant is None):
        return screen("END", both("expired"))
    return INPUT[name](ctx, inp.strip())


# --- screens: each has a renderer (state -> reply) and an input handler --------------------------


def _render_code(ctx: Ctx, notice: str) -> str:
    lines = [both("welcome")]
    if notice:
        lines.insert(0, notice)
    return screen("CON", *lines)


def _input_code(ctx: Ctx, inp: str) -> str:
    event = find_event(inp) if inp else None
    if event is None:
        tries = ctx.state.get("tries", 0) + 1
        if tries >= MAX_CODE_TRIES:
            return screen("END", both("code_unknown").replace(" Try again:", "").replace(" Jaribu tena:", ""))
        return _go(ctx, "code", both("code_unknown"), tries=tries)
    return _enter_event(ctx, event)


def _render_lang(ctx: Ctx, notice: str) -> str:
    head = f"{t('choose_language', 'en')} / {t('choose_language', 'sw')}"
    return screen("CON", notice, head, "1 English", "2 Kiswahili")


def _input_lang(ctx: Ctx, inp: str) -> str:
    lang = {"1": "en", "2": "sw"}.get(inp)
    if lang is None:
        return _go(ctx, "lang", both("bad_choice"), first=ctx.state.get("first", False))
    ctx.session.language = lang
    service.set_language(ctx.participant, lang)
    if ctx.state.get("first"):
        return _go(ctx, "group", page=0)
    return _go(ctx, "menu", page=0)


def _group_items(ctx: Ctx) -> list[str]:
    return [service.group_label(g, ctx.lang) for g in ctx.event.groups] + [t("skip", ctx.lang)]


def _list(
    ctx: Ctx, header: str, items: list[str], notice: str, *, back: bool = True, label_limit: int = 56
) -> str:
    page = ctx.state.get("page", 0)
    head = "\n".join(x for x in (notice, header) if x)
    shown_back = t("back", ctx.lang) if back or page > 0 else None
    shown = paged(head, items, page, more=t("more", ctx.lang), back=shown_back, label_limit=label_limit)
    # What "98" means on the next request depends on what this screen showed.
    ctx.session.state = {**ctx.state, "page": page, "has_more": shown.has_more}
    return "CON " + shown.body


def _paging(ctx: Ctx, inp: str, items: list[str], *, back_to) -> str | int | None:
    """Handle ``98``/``0`` on a list screen: a reply, or the chosen item's index, or None."""
    page = ctx.state.get("page", 0)
    if inp == MORE and ctx.state.get("has_more"):
        ctx.session.state = {**ctx.state, "page": page + 1}
        return RENDER[ctx.state["screen"]](ctx, "")
    if inp == BACK:
        if page > 0:
            ctx.session.state = {**ctx.state, "page": page - 1}
            return RENDER[ctx.state["screen"]](ctx, "")
        return back_to()
    if inp.isdigit() and 1 <= int(inp) <= len(items):
        return int(inp) - 1
    return None


def _render_group(ctx: Ctx, notice: str) -> str:
    return _list(ctx, t("group_header", ctx.lang), _group_items(ctx), notice)


def _input_group(ctx: Ctx, inp: str) -> str:
    items = _group_items(ctx)
    chosen = _paging(ctx, inp, items, back_to=lambda: _go(ctx, "lang", first=True))
    if isinstance(chosen, str):
        return chosen
    if chosen is None:
        return _go(ctx, "group", t("bad_choice", ctx.lang), page=ctx.state.get("page", 0))
    groups = ctx.event.groups
    service.set_group(ctx.event, ctx.participant, groups[chosen].key if chosen < len(groups) else None)
    return _go(ctx, "menu", page=0)


def _menu_entries(ctx: Ctx) -> tuple[str, list[list[Any]], list[str]]:
    item = service.live_item(ctx.event)
    lang = ctx.lang
    entries: list[list[Any]] = []
    labels: list[str] = []
    header = clip(service.item_title(item, lang), 60) if item else t("no_session", lang)
    polls = service.open_polls(ctx.event)
    if item is not None and not polls:
        header += "\n" + t("no_polls", lang)
    answered = service.polls.answers_of(ctx.participant, [p.id for p in polls])
    for poll in polls:
        mark = t("done_mark", lang) if poll.id in answered else ""
        entries.append(["poll", poll.id])
        labels.append(clip(service.question_of(poll, lang), 44 - len(mark)) + mark)
    if service.questions_open(item):
        entries.append(["ask"])
        labels.append(t("ask_item", lang))
    entries.append(["help"])
    labels.append(t("help_item", lang))
    entries.append(["lang"])
    labels.append(t("language_item", lang))
    return header, entries, labels


def _render_menu(ctx: Ctx, notice: str) -> str:
    header, entries, labels = _menu_entries(ctx)
    # The numbers mean what this screen showed, even if a poll opens or closes meanwhile.
    ctx.session.state = {**ctx.state, "entries": entries}
    return _list(ctx, header, labels, notice, back=False)


def _input_menu(ctx: Ctx, inp: str) -> str:
    entries = ctx.state.get("entries") or []
    chosen = _paging(ctx, inp, [str(e) for e in entries], back_to=lambda: _go(ctx, "menu", page=0))
    if isinstance(chosen, str):
        return chosen
    if chosen is None:
        return _go(ctx, "menu", t("bad_choice", ctx.lang), page=ctx.state.get("page", 0))
    entry = entries[chosen]
    if entry[0] == "poll":
        return _open_poll(ctx, entry[1])
    if entry[0] == "ask":
        return _go(ctx, "ask")
    if entry[0] == "help":
        service.ask_help(ctx.event, ctx.participant, None, ctx.effects)
        sent, helpline = t("help_sent", ctx.lang), service.helpline(ctx.event, ctx.lang)
        if len(sent) + len(helpline) + 5 > MAX_SCREEN:
            # A long helpline of the event's own: the number matters more than our sentence.
            return screen("END", helpline)
        return screen("END", sent, helpline)
    return _go(ctx, "lang", first=False)


# --- polls ------------------------------------------------------------------------------------

POLL_SCREENS = {
    "single": "choice",
    "quiz": "choice",
    "multiple": "choice",
    "rating": "rating",
    "ranking": "rank",
    "points": "points",
    "wordcloud": "text",
    "opentext": "text",
}


def _poll(ctx: Ctx) -> Poll | None:
    try:
        poll = get_poll(ctx.event.id, ctx.state.get("poll"))
    except RoundtableError:
        return None
    return poll


def _open_poll(ctx: Ctx, poll_id: int, notice: str = "") -> str:
    try:
        poll = get_poll(ctx.event.id, poll_id)
    except RoundtableError as error:
        return _go(ctx, "menu", error_text(error.code, ctx.lang), page=0)
    if poll.status != "open":
        return _go(ctx, "menu", error_text("poll_closed", ctx.lang), page=0)
    answered = service.has_answered(poll, ctx.participant)
    if answered and not poll.allow_change:
        lines = [error_text("already_answered", ctx.lang), *service.results_lines(poll, ctx.lang)]
        ctx.session.state = {"screen": "info"}
        return screen("CON", *lines, footer=(t("to_menu", ctx.lang),))
    name = POLL_SCREENS.get(poll.kind, "unsupported")
    return _go(ctx, name, notice, poll=poll.id, page=0, answered=answered, order=[], points=[])


def _question_header(ctx: Ctx, poll: Poll, notice: str, hint: str = "", limit: int = 100) -> str:
    lines = [notice, clip(service.question_of(poll, ctx.lang), limit)]
    if ctx.state.get("answered") and not notice:
        lines.append(t("answered_before", ctx.lang))
    lines.append(hint)
    return "\n".join(x for x in lines if x)


def _cast(ctx: Ctx, poll: Poll, payload: Any) -> str:
    vote_id = service.client_id("ussd", ctx.session.session_key, ctx.session.steps)
    try:
        with db.session.begin_nested():
            service.answer(poll, ctx.participant, payload, vote_id, ctx.lang, ctx.effects)
    except RoundtableError as error:
        notice = error_text(error.code, ctx.lang, service.error_limit(poll, error.code))
        if error.code == "poll_closed":
            return _go(ctx, "menu", notice, page=0)
        return _open_poll(ctx, poll.id, notice)
    lines = [t("saved", ctx.lang)]
    if service.held_after(poll, ctx.participant):
        lines.append(t("held", ctx.lang))
    lines += service.results_lines(poll, ctx.lang)
    ctx.session.state = {"screen": "info"}
    return screen("CON", *lines, footer=(t("to_menu", ctx.lang),))


def _render_choice(ctx: Ctx, notice: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    hint = ""
    if poll.kind == "multiple":
        hint = t("choose_many", ctx.lang, n=poll.settings.get("max_selections") or len(poll.options))
    header = _question_header(ctx, poll, notice, hint, limit=90)
    return _list(ctx, header, [service.label_of(o, ctx.lang) for o in poll.options], "")


def _input_choice(ctx: Ctx, inp: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    labels = [o.label for o in poll.options]
    if inp in (MORE, BACK):
        chosen = _paging(ctx, inp, labels, back_to=lambda: _go(ctx, "menu", page=0))
        if isinstance(chosen, str):
            return chosen
    if poll.kind == "multiple":
        return _cast(ctx, poll, {"options": service.options_for(poll, inp)})
    return _cast(ctx, poll, {"option": service.option_for(poll, inp) if inp else inp})


def _render_rating(ctx: Ctx, notice: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    settings = poll.settings or {}
    hint = t(
        "rate",
        ctx.lang,
        n=settings.get("scale", 5),
        low=clip(settings.get("min_label", ""), 24),
        high=clip(settings.get("max_label", ""), 24),
    )
    return screen("CON", _question_header(ctx, poll, notice, hint), footer=(t("back", ctx.lang),))


def _input_rating(ctx: Ctx, inp: str) -> str:
    poll = _poll(ctx)
    if poll is None or inp == BACK:
        return _go(ctx, "menu", page=0)
    return _cast(ctx, poll, {"value": service.number_of(inp)})


def _render_rank(ctx: Ctx, notice: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    order = ctx.state.get("order", [])
    remaining = [o for o in poll.options if o.id not in order]
    hint = t("rank_step", ctx.lang, k=len(order) + 1)
    header = _question_header(ctx, poll, notice, hint, limit=40 if order else 56)
    labels = [service.label_of(o, ctx.lang) for o in remaining]
    return _list(ctx, header, labels, "", label_limit=40)


def _input_rank(ctx: Ctx, inp: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    order = list(ctx.state.get("order", []))
    remaining = [o for o in poll.options if o.id not in order]
    chosen = _paging(ctx, inp, [o.label for o in remaining], back_to=lambda: _go(ctx, "menu", page=0))
    if isinstance(chosen, str):
        return chosen
    if chosen is None:
        return _go(ctx, "rank", t("bad_choice", ctx.lang), **{**ctx.state, "page": 0})
    order.append(remaining[chosen].id)
    remaining = [o for o in poll.options if o.id not in order]
    if len(remaining) == 1:
        return _cast(ctx, poll, {"order": [*order, remaining[0].id]})
    ctx.session.state = {**ctx.state, "order": order, "page": 0}
    return _render_rank(ctx, "")


def _render_points(ctx: Ctx, notice: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    given = ctx.state.get("points", [])
    left = 100 - sum(given)
    option = poll.options[len(given)]
    hint = t("points_step", ctx.lang, label=clip(service.label_of(option, ctx.lang), 60), left=left)
    return screen("CON", _question_header(ctx, poll, notice, hint, limit=70))


def _input_points(ctx: Ctx, inp: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    given = list(ctx.state.get("points", []))
    left = 100 - sum(given)
    value = service.number_of(inp)
    if not isinstance(value, int):
        return _go(ctx, "points", error_text("bad_payload", ctx.lang), **ctx.state)
    if value > left:
        return _go(ctx, "points", error_text("points_total", ctx.lang), **ctx.state)
    given.append(value)
    if len(given) == len(poll.options) - 1 or sum(given) == 100:
        # The last option gets what is left (the total is always 100); none left, the rest get 0.
        given.append(100 - sum(given))
        given += [0] * (len(poll.options) - len(given))
        points = {str(o.id): n for o, n in zip(poll.options, given, strict=True)}
        return _cast(ctx, poll, {"points": points})
    ctx.session.state = {**ctx.state, "points": given}
    return _render_points(ctx, "")


def _render_text(ctx: Ctx, notice: str) -> str:
    poll = _poll(ctx)
    if poll is None:
        return _go(ctx, "menu", page=0)
    if poll.kind == "wordcloud":
        n = poll.settings.get("max_words", 3)
        hint = t("word_one", ctx.lang) if n == 1 else t("words_many", ctx.lang, n=n)
    else:
        hint = t("text_prompt", ctx.lang)
    return screen("CON", _question_header(ctx, poll, notice, hint), footer=(t("back", ctx.lang),))


def _input_text(ctx: Ctx, inp: str) -> str:
    poll = _poll(ctx)
    if poll is None or inp == BACK:
        return _go(ctx, "menu", page=0)
    return _cast(ctx, poll, service.payload_for(poll, inp))


def _render_unsupported(ctx: Ctx, notice: str) -> str:
    return screen("CON", notice, t("not_on_phone", ctx.lang), footer=(t("back", ctx.lang),))


def _to_menu(ctx: Ctx, inp: str) -> str:
    return _go(ctx, "menu", page=0)


# --- questions ---------------------------------------------------------------------------------


def _render_ask(ctx: Ctx, notice: str) -> str:
    return screen("CON", notice, t("ask_prompt", ctx.lang), footer=(t("back", ctx.lang),))


def _input_ask(ctx: Ctx, inp: str) -> str:
    if inp == BACK:
        return _go(ctx, "menu", page=0)
    question_id = service.client_id("ussd-q", ctx.session.session_key, ctx.session.steps)
    try:
        with db.session.begin_nested():
            question = service.ask_question(ctx.event, ctx.participant, inp, question_id, ctx.effects)
    except RoundtableError as error:
        if error.code == "questions_closed":
            return _go(ctx, "menu", error_text(error.code, ctx.lang), page=0)
        return _go(ctx, "ask", error_text(error.code, ctx.lang))
    key = "asked_published" if question.status == "published" else "asked_pending"
    ctx.session.state = {"screen": "info"}
    return screen("CON", t(key, ctx.lang), footer=(t("to_menu", ctx.lang),))


RENDER = {
    "code": _render_code,
    "lang": _render_lang,
    "group": _render_group,
    "menu": _render_menu,
    "choice": _render_choice,
    "rating": _render_rating,
    "rank": _render_rank,
    "points": _render_points,
    "text": _render_text,
    "unsupported": _render_unsupported,
    "ask": _render_ask,
    "info": lambda ctx, notice: _go(ctx, "menu", notice, page=0),
}

INPUT = {
    "code": _input_code,
    "lang": _input_lang,
    "group": _input_group,
    "menu": _input_menu,
    "choice": _input_choice,
    "rating": _input_rating,
    "rank": _input_rank,
    "points": _input_points,
    "text": _input_text,
    "unsupported": _to_menu,
    "ask": _input_ask,
    "info": _to_menu,
}

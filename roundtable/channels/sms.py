"""SMS commands: ``<code> <answer>``, ``<code> Q <question>``, ``<code> HELP [message]``.

``<answer>`` answers the live session's open poll (the one opened last; ``<code> P2 <answer>``
picks another of the open polls, numbered as the console orders them): ``2`` or ``B`` for a
choice, ``1 3`` / ``13`` / ``AC`` for several, ``4`` for a rating, ``312`` for a ranking,
``50 30 20`` (or ``A50 B30 C20``) for 100 points, words with commas between, or free text.
``<code>`` alone replies with the open poll and how to answer; ``<code> SW`` / ``<code> EN``
choose the reply language. When the channel is bound to an event (``ROUNDTABLE_CHANNELS_EVENT``)
the code may be left out. Kiswahili keywords work too: ``SWALI``, ``MSAADA``.

A reply is built only from the event's own texts (poll questions, option labels, the helpline)
and this package's messages: it never repeats what the sender wrote, which may hold personal
data, and never holds a phone number.
"""

from __future__ import annotations

import re

from ..agenda.service import find_event
from ..errors import RoundtableError
from ..extensions import db
from ..models import Event, Participant, Poll
from . import service
from .screens import MAX_SMS, clip, gsm
from .texts import both, error_text, t

HELP_WORDS = {"HELP": "en", "MSAADA": "sw"}
ASK_WORDS = {"Q": "en", "SWALI": "sw"}
LANGUAGE_WORDS = {"EN": "en", "ENGLISH": "en", "SW": "sw", "KISWAHILI": "sw", "SWAHILI": "sw"}


def handle(number: str, text: str, message_id: str, *, bound_code: str, effects: service.Effects) -> str:
    """Apply one inbound SMS; return the reply to send (GSM text, at most one SMS)."""
    words = text.strip().split(None, 1)
    event = find_event(words[0]) if words else None
    rest = words[1] if event is not None and len(words) > 1 else ""
    if event is None:
        event = find_event(bound_code) if bound_code else None
        rest = text.strip()
        if event is None:
            return _fit(both("sms_need_code", example="ABC123 2"))
    participant, _new = service.participant_for(event, number, "sms")
    lang = participant.language or "en"
    head, _, tail = rest.partition(" ")
    keyword = head.upper()
    if keyword in LANGUAGE_WORDS and not tail.strip():
        service.set_language(participant, LANGUAGE_WORDS[keyword])
        return _fit(t("sms_language", LANGUAGE_WORDS[keyword]))
    if keyword in HELP_WORDS or keyword in ASK_WORDS:
        if participant.language is None:
            lang = HELP_WORDS.get(keyword) or ASK_WORDS[keyword]
            service.set_language(participant, lang)
        if keyword in HELP_WORDS:
            service.ask_help(event, participant, tail.strip() or None, effects)
            return _fit(t("help_sent", lang) + " " + service.helpline(event, lang))
        return _ask(event, participant, tail, message_id, lang, effects)
    return _answer(event, participant, rest, keyword, tail, message_id, lang, effects)


def _ask(event: Event, participant: Participant, text: str, message_id: str, lang: str, effects) -> str:
    try:
        with db.session.begin_nested():
            question = service.ask_question(
                event, participant, text, service.client_id("sms-q", message_id), effects
            )
    except RoundtableError as error:
        return _fit(error_text(error.code, lang))
    return _fit(t("asked_published" if question.status == "published" else "asked_pending", lang))


def _answer(
    event: Event,
    participant: Participant,
    rest: str,
    keyword: str,
    tail: str,
    message_id: str,
    lang: str,
    effects: service.Effects,
) -> str:
    polls = service.open_polls(event)
    if not polls:
        return _fit(t("sms_no_poll", lang, code=event.code))
    chosen = re.fullmatch(r"P(\d{1,2})", keyword)
    if chosen and tail.strip():
        index = int(chosen.group(1))
        if not 1 <= index <= len(polls):
            return _fit(error_text("unknown_poll", lang) + " " + _several(event, polls, lang))
        poll, answer_text = polls[index - 1], tail.strip()
    else:
        poll, answer_text = _latest(polls), rest.strip()
    if not answer_text:
        if len(polls) > 1:
            return _fit(_several(event, polls, lang))
        return _fit(clip(service.question_of(poll, lang), 90) + " " + how(event, poll, lang))
    try:
        with db.session.begin_nested():
            service.answer(
                poll,
                participant,
                service.payload_for(poll, answer_text),
                service.client_id("sms", message_id),
                lang,
                effects,
            )
    except RoundtableError as error:
        limit = service.error_limit(poll, error.code)
        return _fit(error_text(error.code, lang, limit) + " " + how(event, poll, lang))
    reply = t("sms_saved", lang, question=clip(service.question_of(poll, lang), 60))
    if service.held_after(poll, participant):
        reply += " " + t("held", lang)
    results = " ".join(service.results_lines(poll, lang, width=18, rows=3))
    if results and len(gsm(reply + " " + results)) <= MAX_SMS:
        reply += " " + results
    return _fit(reply)


def _latest(polls: list[Poll]) -> Poll:
    return max(polls, key=lambda p: (p.opened_at is not None, p.opened_at or 0, -p.position))


def _several(event: Event, polls: list[Poll], lang: str) -> str:
    listing = "; ".join(f"P{n} {clip(service.question_of(p, lang), 28)}" for n, p in enumerate(polls[:4], 1))
    return t("sms_several", lang, list=listing, code=event.code)


def how(event: Event, poll: Poll, lang: str) -> str:
    """How to answer ``poll`` by SMS, in a few words."""
    n = len(poll.options)
    kind = poll.kind
    if kind in ("single", "quiz"):
        hint = t("sms_how_choice", lang, n=n, letter=service.LETTERS[n - 1])
    elif kind == "multiple":
        hint = t("sms_how_many", lang, n=poll.settings.get("max_selections") or n)
    elif kind == "rating":
        hint = t("sms_how_rating", lang, n=poll.settings.get("scale", 5))
    elif kind == "ranking":
        example = "21" + "".join(str(i) for i in range(3, n + 1)) if n <= 9 else "2 1 3 ..."
        hint = t("sms_how_ranking", lang, example=example)
    elif kind == "points":
        share = [100 // n] * n
        share[0] += 100 - sum(share)
        hint = t("sms_how_points", lang, example=" ".join(str(x) for x in share))
    elif kind == "wordcloud":
        hint = t("sms_how_words", lang)
    else:
        hint = t("sms_how_text", lang)
    return t("sms_how", lang, code=event.code, how=hint)


def _fit(text: str) -> str:
    return clip(text, MAX_SMS)

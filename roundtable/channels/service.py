"""What USSD and SMS share: who the caller is, what is open, answers, questions, help, results.

Every action goes through the same business functions as the phone page (``cast_response``,
``ask``, ``send_help``): the same validation codes, safety checks, moderation and tallies. Like
them, these functions flush but never commit and never emit; what the caller must broadcast
after its commit is collected in ``Effects``.

Phone numbers: a participant who comes by USSD or SMS is found by ``phone_hash`` = HMAC-SHA256
of the number in E.164 form, keyed with the event's own ``phone_key``. The number itself is
never stored, logged or sent back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..agenda import programme
from ..errors import RoundtableError
from ..extensions import db
from ..models import (
    AgendaItem,
    Event,
    HelpRequest,
    Participant,
    Poll,
    PollOption,
    Question,
    Response,
    StakeholderGroup,
)
from ..polls import service as polls
from ..questions import service as questions
from .texts import t

CHANNELS = ("ussd", "sms")
LETTERS = "ABCDEFGHIJKL"


# --- numbers and participants -------------------------------------------------------------------


def normalise_number(raw: Any) -> str | None:
    """A phone number in E.164 form (``+2547...``), or ``None`` when it is not one.

    Kenyan local forms (07.., 01.., 2547..) become +254...; other countries must come with +.
    """
    if not isinstance(raw, str) or len(raw) > 32:
        return None
    number = re.sub(r"[\s\-().]", "", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[17]\d{8}", number):
        number = "+254" + number[1:]
    elif re.fullmatch(r"254[17]\d{8}", number):
        number = "+" + number
    return number if re.fullmatch(r"\+[1-9]\d{6,14}", number) else None


def phone_hash(event: Event, number: str) -> str:
    return hmac.new(event.phone_key.encode(), number.encode(), hashlib.sha256).hexdigest()


def find_participant(event: Event, number: str) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.event_id == event.id, Participant.phone_hash == phone_hash(event, number)
        )
    )


def participant_for(event: Event, number: str, channel: str) -> tuple[Participant, bool]:
    """The participant behind ``number`` in ``event``, made on first contact; ``(p, new)``.

    One number is one participant whether it comes by USSD or SMS: one answer per poll.
    """
    if channel not in CHANNELS:
        raise RoundtableError("bad_payload", "Unknown channel.")
    participant = find_participant(event, number)
    if participant is not None:
        return participant, False
    participant = Participant(event_id=event.id, channel=channel, phone_hash=phone_hash(event, number))
    try:
        with db.session.begin_nested():
            db.session.add(participant)
    except IntegrityError:
        # The same number's other request (USSD and SMS at once) made it first.
        existing = find_participant(event, number)
        if existing is None:
            raise
        return existing, False
    return participant, True


def set_language(participant: Participant, lang: str) -> None:
    participant.language = lang
    db.session.flush()


def set_group(event: Event, participant: Participant, key: str | None) -> None:
    if key is not None and key not in {g.key for g in event.groups}:
        raise RoundtableError("bad_payload", "Choose one of the groups.")
    participant.group_key = key
    db.session.flush()


# --- what the caller sees, in their language ---------------------------------------------------


def event_title(event: Event, lang: str) -> str:
    return (lang == "sw" and event.title_sw) or event.title


def item_title(item: AgendaItem, lang: str) -> str:
    return (lang == "sw" and item.title_sw) or item.title


def question_of(poll: Poll, lang: str) -> str:
    return (lang == "sw" and poll.question_sw) or poll.question


def label_of(option: PollOption, lang: str) -> str:
    return (lang == "sw" and option.label_sw) or option.label


def group_label(group: StakeholderGroup, lang: str) -> str:
    return (lang == "sw" and group.label_sw) or group.label


def helpline(event: Event, lang: str) -> str:
    """The event's helpline in ``lang``: its own Kiswahili text, or the built-in one when the
    event kept the built-in helpline (a changed English helpline is never replaced by ours)."""
    if lang == "sw":
        if event.helpline_sw:
            return event.helpline_sw
        if not event.helpline or event.helpline == programme.HELPLINE:
            return t("helpline_default", "sw")
    return event.helpline or programme.HELPLINE


def live_item(event: Event) -> AgendaItem | None:
    return questions.live_item(event)


def open_polls(event: Event) -> list[Poll]:
    """The live session's open polls, in the console's order."""
    item = live_item(event)
    if item is None:
        return []
    return [p for p in item.polls if p.status == "open"]


def questions_open(item: AgendaItem | None) -> bool:
    return item is not None and not item.is_break and item.question_mode != "closed"


# --- turning typed text into the phone page's answer payloads -----------------------------------

_SPLIT = re.compile(r"[\s,*.;+#/]+")


def tokens(text: str) -> list[str]:
    return [tok for tok in _SPLIT.split(text.strip()) if tok]


def option_for(poll: Poll, token: str) -> Any:
    """The option id that ``token`` ("2", "B") names, ``-1`` for a number or letter that names
    none (the poll kind then answers ``unknown_option``), the token itself when it is neither
    (``bad_payload``)."""
    token = token.strip()
    if token.isdigit():
        n = int(token)
    elif len(token) == 1 and token.upper() in LETTERS:
        n = LETTERS.index(token.upper()) + 1
    else:
        return token
    return poll.options[n - 1].id if 1 <= n <= len(poll.options) else -1


def options_for(poll: Poll, text: str) -> list[Any]:
    """Several options: "1 3", "1*3", "1,3", "13" (up to 9 options), "A C" or "AC"."""
    parts = tokens(text)
    if len(parts) == 1 and len(parts[0]) > 1:
        word = parts[0]
        digits = word.isdigit() and len(poll.options) <= 9
        letters = word.isalpha() and all(ch.upper() in LETTERS for ch in word)
        if digits or letters:
            parts = list(word)
    return [option_for(poll, part) for part in parts]


def number_of(text: str) -> Any:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 6 else text


def payload_for(poll: Poll, text: str) -> Any:
    """The answer payload of one typed reply (SMS, or one USSD input) for ``poll``'s kind."""
    kind = poll.kind
    if kind in ("single", "quiz"):
        parts = tokens(text)
        return {"option": option_for(poll, parts[0]) if len(parts) == 1 else text}
    if kind == "multiple":
        return {"options": options_for(poll, text)}
    if kind == "rating":
        return {"value": number_of(text)}
    if kind == "ranking":
        return {"order": options_for(poll, text)}
    if kind == "points":
        return {"points": points_for(poll, text)}
    if kind == "wordcloud":
        return {"words": [w for w in re.split(r"[,*\n;]+", text) if w.strip()]}
    if kind == "opentext":
        return {"texts": [text]}
    raise RoundtableError("bad_payload", "This poll cannot be answered here.")


def points_for(poll: Poll, text: str) -> dict[str, Any]:
    """ "50 30 20" (in the options' order, the rest 0) or "A50 B30 C20"."""
    parts = tokens(text)
    points: dict[str, Any] = {}
    lettered = [re.fullmatch(r"([A-La-l])[:=-]?(\d{1,4})", p) for p in parts]
    if parts and all(lettered):
        for match in lettered:
            index = LETTERS.index(match.group(1).upper())
            key = str(poll.options[index].id) if index < len(poll.options) else "0"
            points[key] = points.get(key, 0) + int(match.group(2))
        return points
    for index, part in enumerate(parts):
        key = str(poll.options[index].id) if index < len(poll.options) else "0"
        points[key] = int(part) if part.isdigit() else part
    return points


def error_limit(poll: Poll | None, code: str) -> Any:
    """The number a short error message needs (the most choices, words, the scale)."""
    if poll is None:
        return ""
    settings = poll.settings or {}
    return {
        "too_many_options": settings.get("max_selections") or len(poll.options),
        "off_scale": settings.get("scale", 5),
        "too_many_words": settings.get("max_words", 3),
        "too_many_answers": settings.get("max_answers", 1),
    }.get(code, "")


# --- actions ----------------------------------------------------------------------------------


@dataclass
class Effects:
    """What to broadcast once the caller has committed."""

    polls: set[int] = field(default_factory=set)
    walls: set[int] = field(default_factory=set)
    help: list[int] = field(default_factory=list)


def client_id(*parts: Any) -> str:
    """A vote/question id made from the gateway's ids: a retried request is a duplicate."""
    return "ch" + hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:40]


def answer(
    poll: Poll, participant: Participant, payload: Any, vote_id: str, lang: str, effects: Effects
) -> tuple[Any, bool]:
    stored, duplicate = polls.cast_response(poll, participant, payload, vote_id)
    if not duplicate:
        effects.polls.add(poll.id)
        db.session.execute(
            update(Response)
            .where(Response.poll_id == poll.id, Response.participant_id == participant.id)
            .values(language=lang)
            .execution_options(synchronize_session=False)
        )
    return stored, duplicate


def has_answered(poll: Poll, participant: Participant) -> bool:
    return poll.id in polls.answers_of(participant, [poll.id])


def ask_question(
    event: Event, participant: Participant, text: Any, question_id: str, effects: Effects
) -> Question:
    # Never a name by phone: nothing to show but the question.
    question, duplicate = questions.ask(live_item(event), participant, text, None, question_id)
    if not duplicate:
        effects.walls.add(question.agenda_item_id)
    return question


def ask_help(event: Event, participant: Participant, message: Any, effects: Effects) -> HelpRequest:
    request = questions.send_help(event, participant, "help", message or None, live_item(event))
    effects.help.append(request.id)
    return request


def held_after(poll: Poll, participant: Participant) -> bool:
    return polls.kind_of(poll).free_text and bool(polls.held_texts(poll, participant))


def results_lines(poll: Poll, lang: str, *, width: int = 24, rows: int = 4) -> list[str]:
    """The results a participant who answered may see (``results_mode`` / reveal, exactly as on
    the phone page), as a few short lines; ``[]`` when they may not see them."""
    if not polls.participant_sees_results(poll, answered=True):
        return []
    result = polls.tally(poll)
    total = result.get("total", 0)
    lines = [t("results", lang, n=total)]
    labels = {str(o.id): label_of(o, lang) for o in poll.options}
    kind = poll.kind
    if kind in ("single", "multiple", "quiz"):
        counts = sorted(result["counts"].items(), key=lambda kv: -kv[1])
        for option_id, count in counts[:rows]:
            share = round(100 * count / total) if total else 0
            lines.append(f"{_short(labels[option_id], width)}: {share}%")
        if kind == "quiz" and result.get("correct_option") is not None:
            lines.append(t("correct", lang, label=_short(labels[str(result["correct_option"])], width)))
    elif kind == "rating":
        if result.get("mean") is not None:
            lines.append(t("average", lang, x=result["mean"], n=poll.settings.get("scale", 5)))
    elif kind == "ranking":
        for place, row in enumerate(result["ranking"][:rows], 1):
            lines.append(f"{place}. {_short(labels[str(row['option_id'])], width)}")
    elif kind == "points":
        ordered = sorted(result["points"].items(), key=lambda kv: -kv[1])
        for option_id, _sum in ordered[:rows]:
            lines.append(f"{_short(labels[option_id], width)}: {result['average'][option_id]}")
    elif kind == "wordcloud":
        words = ", ".join(word for word, _n in result["words"][:6])
        if words:
            lines.append(words)
    elif kind == "opentext":
        lines.append(t("shown_answers", lang, n=result["shown"]))
    return lines


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "."

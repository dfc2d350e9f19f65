"""Poll operations: staff edits and state changes, participants' answers, tallies.

Functions here take models and ids, flush but never commit (the caller commits at its boundary,
then broadcasts), never read ``request`` and never emit. Every failure raises ``RoundtableError``
before anything is changed.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..i18n import _l
from ..i18n import field as i18n_field
from ..models import (
    RESULTS_MODES,
    AgendaItem,
    AggregateItem,
    AggregateRespondents,
    Day,
    Participant,
    Poll,
    PollOption,
    Response,
    ResponseItem,
    SpentVoteId,
    User,
    VoteReceipt,
    utcnow,
)
from ..text import one_line
from .kinds import KINDS, kind_of

MAX_QUESTION = 300
MAX_OPTION = 200
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def get_poll(event_id: int, poll_id: Any) -> Poll:
    """The poll ``poll_id`` of this event, or ``NotFound``: a poll of another event does not exist."""
    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise RoundtableError("bad_payload", _l("A poll id must be a number."))
    poll = db.session.scalar(
        select(Poll)
        .options(selectinload(Poll.options))
        .join(AgendaItem, Poll.agenda_item_id == AgendaItem.id)
        .join(Day, AgendaItem.day_id == Day.id)
        .where(Poll.id == poll_id, Day.event_id == event_id)
    )
    if poll is None:
        raise NotFound("unknown_poll", _l("There is no such poll."))
    return poll


def get_item(event_id: int, item_id: Any) -> AgendaItem:
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise RoundtableError("bad_payload", _l("A session id must be a number."))
    item = db.session.scalar(
        select(AgendaItem)
        .join(Day, AgendaItem.day_id == Day.id)
        .where(AgendaItem.id == item_id, Day.event_id == event_id)
    )
    if item is None:
        raise NotFound("unknown_item", _l("There is no such session."))
    return item


def has_responses(poll: Poll) -> bool:
    """Live answers, or aggregates kept after participants' data was deleted."""
    if db.session.scalar(select(Response.id).where(Response.poll_id == poll.id).limit(1)) is not None:
        return True
    kept = select(AggregateRespondents.id).where(AggregateRespondents.poll_id == poll.id).limit(1)
    return db.session.scalar(kept) is not None


def _optional_text(value: Any, field: str, limit: int) -> str:
    """An optional text (a Kiswahili version): "" when empty, else as ``_clean_text``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return _clean_text(value, field, limit)


def _clean_text(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise RoundtableError("bad_payload", _l("The %(field)s must be text.", field=i18n_field(field)))
    text = one_line(value)
    if not text:
        raise RoundtableError("empty_text", _l("The %(field)s cannot be empty.", field=i18n_field(field)))
    if len(text) > limit:
        raise RoundtableError(
            "too_long",
            _l("The %(field)s can be at most %(limit)s characters.", field=i18n_field(field), limit=limit),
        )
    return text


def save_poll(event_id: int, data: Any) -> Poll:
    """Create a poll (no ``poll_id``) or edit one.

    ``data``: ``{poll_id?, item_id, kind, question, options: [{id?, label, correct?}],
    settings?, allow_change?}``. Labels and the question can change at any time; the kind and
    the set of options only while the poll has no answers, so no stored answer ever points at
    an option that is gone.
    """
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", _l("Send the poll as an object."))
    poll_id = data.get("poll_id")
    poll = get_poll(event_id, poll_id) if poll_id is not None else None
    item = get_item(event_id, data.get("item_id", poll.agenda_item_id if poll else None))
    kind_name = data.get("kind", poll.kind if poll else None)
    if kind_name not in KINDS:
        raise RoundtableError("unknown_kind", _l("Choose a poll kind."))
    kind = KINDS[kind_name]
    question = _clean_text(data.get("question"), "question", MAX_QUESTION)
    # The Kiswahili version is optional ("" = none, phones then show the English); absent on an
    # edit, it keeps what the poll has.
    question_sw = _optional_text(
        data.get("question_sw", poll.question_sw if poll else ""), "question_sw", MAX_QUESTION
    )

    raw_options = data.get("options", [])
    if not isinstance(raw_options, list):
        raise RoundtableError("bad_payload", _l("The options must be a list."))
    options: list[tuple[int | None, str, bool]] = []
    labels_sw: list[str | None] = []
    for raw in raw_options:
        if isinstance(raw, str):
            raw = {"label": raw}
        if not isinstance(raw, dict):
            raise RoundtableError("bad_payload", _l("Each option must be an object with a label."))
        label = _clean_text(raw.get("label"), "option", MAX_OPTION)
        option_id = raw.get("id")
        if option_id is not None and (not isinstance(option_id, int) or isinstance(option_id, bool)):
            raise RoundtableError("bad_payload", _l("An option id must be a number."))
        options.append((option_id, label, bool(raw.get("correct", False))))
        label_sw = raw.get("label_sw")
        labels_sw.append(None if label_sw is None else _optional_text(label_sw, "option_sw", MAX_OPTION))
    if kind.has_options:
        if not kind.min_options <= len(options) <= kind.max_options:
            raise RoundtableError(
                "bad_options",
                _l(
                    "This kind of poll needs %(low)s to %(high)s options.",
                    low=kind.min_options,
                    high=kind.max_options,
                ),
            )
        labels = [label.casefold() for _, label, _ in options]
        if len(set(labels)) != len(labels):
            raise RoundtableError("duplicate_option", _l("Two options have the same text."))
    else:
        options = []

    settings = data.get("settings")
    if settings is None:
        settings = dict(poll.settings or {}) if poll and poll.kind == kind.name else {}
    if not isinstance(settings, dict):
        raise RoundtableError("bad_payload", _l("The settings must be an object."))
    if kind.free_text and "premoderate" not in settings:
        # Children's answers are read by a moderator before the room sees them.
        settings = {**settings, "premoderate": item.children_led}
    settings = kind.validate_settings(
        settings, [{"label": label, "correct": correct} for _, label, correct in options]
    )
    if settings.get("leaderboard") and item.involves_children:
        raise RoundtableError(
            "leaderboard_unavailable", _l("A quiz leaderboard is not available in sessions with children.")
        )
    allow_change = data.get("allow_change", poll.allow_change if poll else True)
    if not isinstance(allow_change, bool):
        raise RoundtableError("bad_payload", _l("allow_change must be true or false."))
    results_mode = data.get("results_mode", poll.results_mode if poll else "on_reveal")
    if results_mode not in RESULTS_MODES:
        raise RoundtableError(
            "bad_payload", _l("results_mode is one of %(modes)s.", modes=", ".join(RESULTS_MODES))
        )

    if poll is None:
        position = len(item.polls)
        poll = Poll(agenda_item=item, position=position, kind=kind.name, question=question)
        db.session.add(poll)
        existing: dict[int, PollOption] = {}
    else:
        existing = {option.id: option for option in poll.options}
        sent_ids = [o for o, _, _ in options if o is not None]
        if len(set(sent_ids)) != len(sent_ids):
            # A repeated id would add an option while looking like the same set (issue 9.9).
            raise RoundtableError("duplicate_option", "An option appears twice.")
        structural = kind.name != poll.kind or {o for o, _, _ in options} != set(existing)
        if structural and has_responses(poll):
            raise RoundtableError(
                "poll_has_answers",
                _l("This poll already has answers: reset it before changing its kind or options."),
            )
        if any(o is not None and o not in existing for o, _, _ in options):
            raise RoundtableError("unknown_option", _l("That option is not part of this poll."))
        if poll.agenda_item_id != item.id:
            poll.agenda_item = item
            poll.position = len(item.polls)
        poll.kind = kind.name
        poll.question = question
    poll.question_sw = question_sw

    poll.settings = settings
    poll.allow_change = allow_change
    poll.results_mode = results_mode
    kept = []
    for position, (option_id, label, correct) in enumerate(options):
        option = existing.pop(option_id) if option_id in existing else PollOption(poll=poll)
        option.position, option.label, option.is_correct = position, label, correct
        if labels_sw[position] is not None:
            option.label_sw = labels_sw[position]
        elif option.label_sw is None:
            option.label_sw = ""
        kept.append(option)
    poll.options = kept
    db.session.flush()
    return poll


def delete_poll(poll: Poll) -> None:
    item = poll.agenda_item
    db.session.delete(poll)
    db.session.flush()
    _renumber(item)


def _renumber(item: AgendaItem) -> None:
    db.session.refresh(item)
    for position, poll in enumerate(item.polls):
        poll.position = position


def move_poll(poll: Poll, direction: Any) -> None:
    if direction not in ("up", "down"):
        raise RoundtableError("bad_payload", _l("Move a poll 'up' or 'down'."))
    polls = list(poll.agenda_item.polls)
    index = polls.index(poll)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(polls):
        return
    polls[index], polls[target] = polls[target], polls[index]
    for position, each in enumerate(polls):
        each.position = position
    db.session.flush()


def open_poll(poll: Poll) -> None:
    poll.status = "open"
    poll.opened_at = utcnow()
    poll.closed_at = None
    db.session.flush()


def close_poll(poll: Poll) -> None:
    if poll.status != "open":
        raise RoundtableError("poll_not_open", _l("This poll is not open."))
    poll.status = "closed"
    poll.closed_at = utcnow()
    db.session.flush()


def reset_poll(poll: Poll) -> None:
    """Forget every answer, and who answered: the vote receipts go too (issue 9.9). Their client
    ids stay as ``SpentVoteId`` (no participant), so a vote retried from before the reset is
    still recognised and not re-applied."""
    spent = (
        select(VoteReceipt.poll_id, VoteReceipt.client_id)
        .where(VoteReceipt.poll_id == poll.id)
        .distinct()
    )
    db.session.execute(
        insert(SpentVoteId).from_select(["poll_id", "client_id"], spent)
    )
    db.session.execute(delete(VoteReceipt).where(VoteReceipt.poll_id == poll.id))
    db.session.execute(delete(ResponseItem).where(ResponseItem.poll_id == poll.id))
    db.session.execute(delete(Response).where(Response.poll_id == poll.id))
    db.session.execute(delete(AggregateItem).where(AggregateItem.poll_id == poll.id))
    db.session.execute(delete(AggregateRespondents).where(AggregateRespondents.poll_id == poll.id))
    poll.generation = (poll.generation or 0) + 1
    _bump_seq(poll)
    db.session.flush()


def reveal_results(poll: Poll, revealed: Any) -> None:
    if not isinstance(revealed, bool):
        raise RoundtableError("bad_payload", _l("revealed must be true or false."))
    poll.results_revealed = revealed
    db.session.flush()


def _bump_seq(poll: Poll) -> None:
    # One UPDATE in the database, so concurrent voters in several processes never lose a step.
    # synchronize_session=False: the ORM need not find and refresh the Poll object in memory
    # (``tally`` reads ``seq`` with its own query), which halves the cost of a vote.
    db.session.execute(
        update(Poll).where(Poll.id == poll.id).values(seq=Poll.seq + 1),
        execution_options={"synchronize_session": False},
    )


def cast_response(poll: Poll, participant: Participant, payload: Any, client_id: Any) -> tuple[Any, bool]:
    """Store a participant's answer; return ``(answer, duplicate)``.

    A ``client_id`` seen before from this participant changes nothing and returns the stored
    answer, so a retry after a dropped connection never counts twice. A later answer replaces the
    earlier one when the poll allows changes. ``Response.language`` records the language the
    participant was using (``Participant.language``), for exports and the report.
    """
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise RoundtableError("bad_payload", _l("A vote needs a client id of 8 to 64 letters or digits."))
    receipt = db.session.get(VoteReceipt, (participant.id, client_id))
    if receipt is not None:
        if receipt.poll_id != poll.id:
            raise RoundtableError("client_id_reused", _l("That vote id was already used for another poll."))
        return _current_answer(poll, participant), True
    if poll.generation and db.session.get(SpentVoteId, (poll.id, client_id)) is not None:
        # A vote from before a reset (only polls that were reset pay for this look-up).
        return _current_answer(poll, participant), True
    if poll.status != "open":
        raise RoundtableError("poll_closed", _l("This poll is not open for answers."))
    answer = kind_of(poll).validate(poll, payload)

    earlier: dict[str, dict[str, Any]] = {}
    response = db.session.scalar(
        select(Response).where(Response.poll_id == poll.id, Response.participant_id == participant.id)
    )
    if response is not None and not poll.allow_change:
        raise RoundtableError("already_answered", _l("You have already answered this poll."))
    try:
        with db.session.begin_nested():
            if response is None:
                response = Response(
                    poll_id=poll.id,
                    participant_id=participant.id,
                    group_key=participant.group_key,
                    answer=answer,
                    client_id=client_id,
                    language=participant.language or "en",
                )
                db.session.add(response)
            else:
                earlier = _moderated_texts(response)
                db.session.execute(delete(ResponseItem).where(ResponseItem.response_id == response.id))
                db.session.expire(response, ["items"])
                response.answer = answer
                response.client_id = client_id
                response.language = participant.language or "en"
                response.updated_at = utcnow()
            db.session.flush()
            for item in kind_of(poll).items(poll, answer):
                if item.get("text") in earlier:
                    # An unchanged text keeps the moderator's decision: no second review, and a
                    # hidden word cannot come back by answering again.
                    item = {**item, **earlier[item["text"]]}
                db.session.add(ResponseItem(response_id=response.id, poll_id=poll.id, **item))
            db.session.add(VoteReceipt(participant_id=participant.id, client_id=client_id, poll_id=poll.id))
            _bump_seq(poll)
            db.session.flush()
    except IntegrityError:
        # The same participant's vote raced another one (two tabs, or a retry that overtook its
        # original). The other one won; report it as a duplicate rather than an error.
        return _current_answer(poll, participant), True
    return answer, False


def _moderated_texts(response: Response) -> dict[str, dict[str, Any]]:
    return moderated_texts([response.id]).get(response.id, {})


def moderated_texts(response_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """Each response's texts that a moderator (or the check) has decided on: text -> decision."""
    rows = db.session.execute(
        select(ResponseItem.response_id, ResponseItem.text, ResponseItem.status, ResponseItem.reasons).where(
            ResponseItem.response_id.in_(response_ids),
            ResponseItem.text.is_not(None),
            ResponseItem.status.in_(("visible", "hidden")),
        )
    )
    texts: dict[int, dict[str, dict[str, Any]]] = {}
    for response_id, text, status, reasons in rows:
        texts.setdefault(response_id, {})[text] = {"status": status, "reasons": reasons}
    return texts


def moderate_items(poll: Poll, item_ids: Any, action: Any, by: User | None = None) -> int:
    """Approve (make visible) or hide free-text items of ``poll``; return how many changed.

    A flagged item is never approved here (in a batch): it needs ``approve_answer``, with a
    redaction or "Publish anyway" and a reason. A batch that holds one changes nothing.
    """
    from ..safety import store as safety

    if action not in ("approve", "hide"):
        raise RoundtableError("bad_payload", _l("The action is 'approve' or 'hide'."))
    if not kind_of(poll).free_text:
        raise RoundtableError("not_free_text", _l("Only open-text and word-cloud answers are moderated."))
    if not isinstance(item_ids, list) or not item_ids or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in item_ids
    ):
        raise RoundtableError("bad_payload", _l("Send a list of answer ids."))
    event_id = poll.agenda_item.day.event_id
    rows = db.session.execute(
        select(ResponseItem.id, ResponseItem.text).where(
            ResponseItem.poll_id == poll.id, ResponseItem.id.in_(item_ids), ResponseItem.status == "held"
        )
    ).all()
    flags = safety.flags_of("answer", [item_id for item_id, _ in rows])
    if action == "approve":
        for item_id, text in rows:
            flag = flags.get(item_id)
            if safety.check(event_id, text or "").flagged or (
                flag is not None and flag.status == "open" and flag.text == text
            ):
                raise RoundtableError(
                    "needs_redaction",
                    _l(
                        "A flagged answer cannot be approved as it is: open it to remove the marked "
                        "parts, or publish it anyway with a reason."
                    ),
                    409,
                )
    elif by is not None:
        for item_id, text in rows:
            flag = flags.get(item_id)
            if flag is not None and flag.status == "open" and flag.text == text:
                safety.close_flag(flag, "hidden", by)
    status = "visible" if action == "approve" else "hidden"
    result = db.session.execute(
        update(ResponseItem)
        .where(ResponseItem.poll_id == poll.id, ResponseItem.id.in_(item_ids))
        .values(status=status)
    )
    _bump_seq(poll)
    db.session.flush()
    return result.rowcount or 0


def approve_answer(
    poll: Poll, item_id: Any, by: User, text: Any = None, publish_anyway: Any = None
) -> ResponseItem:
    """Publish one held answer (or word): redacted with ``text``, or unchanged with
    ``publish_anyway`` (a reason, audited) where the rule of ``roundtable.safety.store.decide``
    allows it. The participant's stored answer gets the redaction too."""
    from .. import audit
    from ..safety import store as safety
    from .kinds import normalise_word

    if not kind_of(poll).free_text:
        raise RoundtableError("not_free_text", "Only open-text and word-cloud answers are moderated.")
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise RoundtableError("bad_payload", "Send the answer's id.")
    row = db.session.get(ResponseItem, item_id)
    if row is None or row.poll_id != poll.id or row.status != "held":
        raise RoundtableError("unknown_answer", "That answer is not waiting for a moderator.", 404)
    original = row.text or ""
    final = original
    if text is not None:
        if not isinstance(text, str):
            raise RoundtableError("bad_payload", "The edited answer must be text.")
        final = normalise_word(text) if poll.kind == "wordcloud" else " ".join(text.split())
        if not final:
            raise RoundtableError("empty_text", "The edited answer cannot be empty.")
        if len(final) > 300:
            raise RoundtableError("too_long", "The edited answer can be at most 300 characters.")
    edited = final != original
    event_id = poll.agenda_item.day.event_id
    flag = safety.flag_of("answer", row.id)
    if flag is not None and flag.text != original:
        flag = None  # a flag of an earlier item that had this id
    outcome, _ = safety.decide(
        event_id,
        flag.categories if flag is not None else [],
        final,
        edited=edited,
        involves_children=poll.agenda_item.involves_children,
        anyway=publish_anyway,
    )
    if edited:
        row.text = final
        response = db.session.get(Response, row.response_id)
        if response is not None and isinstance(response.answer, dict):
            key = "words" if poll.kind == "wordcloud" else "texts"
            values = list(response.answer.get(key, []))
            response.answer = {**response.answer, key: [final if v == original else v for v in values]}
    row.status = "visible"
    note = safety.clean_reason(publish_anyway) if outcome == "published_anyway" else None
    if outcome != "clean":
        safety.close_flag(flag, "published_anyway" if note else "redacted", by, note)
        categories = flag.categories if flag is not None else []
        detail: dict[str, Any] = {"poll_id": poll.id, "categories": categories}
        if note:
            detail["reason"] = note
        action = "answer.publish_anyway" if note else "answer.redact_approve"
        audit.record(event_id, by, action, "answer", row.id, **detail)
    _bump_seq(poll)
    db.session.flush()
    return row


def flag_answers(poll: Poll, participant: Participant) -> list[Any]:
    """Record a flag for each of this participant's newly held, flagged items of ``poll``; return
    the flags that are possible grooming (the caller alerts the staff)."""
    from ..safety import store as safety

    rows = db.session.execute(
        select(ResponseItem.id, ResponseItem.text)
        .join(Response, ResponseItem.response_id == Response.id)
        .where(
            Response.poll_id == poll.id,
            Response.participant_id == participant.id,
            ResponseItem.status == "held",
        )
    ).all()
    existing = safety.flags_of("answer", [item_id for item_id, _ in rows])
    item = poll.agenda_item
    grooming = []
    for item_id, text in rows:
        flag = existing.get(item_id)
        if flag is not None and flag.text == text:
            continue
        result = safety.check(item.day.event_id, text or "")
        if result.flagged:
            flag = safety.record_flag(item.day.event_id, item.id, "answer", item_id, text or "", result)
            if flag.grooming:
                grooming.append(flag)
    return grooming


def hide_word(poll: Poll, word: Any, hidden: Any = True) -> None:
    """Hide (or show again) every entry of a word-cloud word, including later ones."""
    from .kinds import normalise_word

    if poll.kind != "wordcloud":
        raise RoundtableError("not_word_cloud", _l("Only word-cloud words can be hidden."))
    if not isinstance(word, str) or not normalise_word(word) or not isinstance(hidden, bool):
        raise RoundtableError("bad_payload", _l("Send the word to hide."))
    word = normalise_word(word)
    words = set(poll.settings.get("hidden_words", []))
    words = words | {word} if hidden else words - {word}
    poll.settings = {**poll.settings, "hidden_words": sorted(words)}
    db.session.execute(
        update(ResponseItem)
        .where(
            ResponseItem.poll_id == poll.id,
            ResponseItem.text == word,
            ResponseItem.status == ("visible" if hidden else "hidden"),
        )
        .values(status="hidden" if hidden else "visible")
    )
    _bump_seq(poll)
    db.session.flush()


def _current_answer(poll: Poll, participant: Participant) -> Any:
    return db.session.scalar(
        select(Response.answer).where(Response.poll_id == poll.id, Response.participant_id == participant.id)
    )


NICKNAME_MAX = 20


def set_nickname(participant: Participant, raw: Any) -> str | None:
    if not isinstance(raw, str):
        raise RoundtableError("bad_payload", _l("A nickname must be text."))
    nickname = one_line(raw)
    if len(nickname) > NICKNAME_MAX:
        raise RoundtableError(
            "too_long", _l("A nickname can be at most %(limit)s characters.", limit=NICKNAME_MAX)
        )
    from ..safety import store

    if nickname and store.check(participant.event_id, nickname).flagged:
        # No reason given: a nickname is public, and it must not carry contact details or insults.
        raise RoundtableError("nickname_refused", _l("Please choose another nickname."))
    participant.nickname = nickname or None
    db.session.flush()
    return participant.nickname


def held_texts(poll: Poll, participant: Participant) -> list[str]:
    """The participant's own free text that a moderator has not yet let through."""
    rows = db.session.scalars(
        select(ResponseItem.text)
        .join(Response, ResponseItem.response_id == Response.id)
        .where(
            Response.poll_id == poll.id,
            Response.participant_id == participant.id,
            ResponseItem.status == "held",
        )
    )
    return list(rows)


# Every phone's snapshot runs this: built once, with an expanding list of poll ids.
_ANSWERS_OF = select(Response.poll_id, Response.answer).where(
    Response.participant_id == bindparam("participant_id"),
    Response.poll_id.in_(bindparam("poll_ids", expanding=True)),
)


def answers_of(participant: Participant, poll_ids: list[int]) -> dict[int, Any]:
    """The participant's current answers to ``poll_ids``: poll id -> answer."""
    if not poll_ids:
        return {}
    rows = db.session.execute(_ANSWERS_OF, {"participant_id": participant.id, "poll_ids": list(poll_ids)})
    return dict(rows.all())


def tally(poll: Poll) -> dict[str, Any]:
    """The poll's results, computed from the database, with the sequence number they reflect.

    ``seq`` is read before the counts: a tally may include a vote newer than its ``seq`` but never
    misses one that its ``seq`` counts, so a client that keeps the highest ``seq`` is never behind.
    """
    seq = db.session.scalar(select(Poll.seq).where(Poll.id == poll.id)) or 0
    result = kind_of(poll).tally(poll)
    result.update(poll_id=poll.id, seq=seq, kind=poll.kind, generation=poll.generation)
    return result


def staff_tally(poll: Poll, public: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tally (``public``, if already computed) plus what only moderators see: free text
    waiting for them, with reasons."""
    result = dict(public) if public is not None else tally(poll)
    kind = kind_of(poll)
    if kind.free_text:
        result["held"] = kind.held(poll)
    return result


def participant_sees_results(poll: Poll, answered: bool) -> bool:
    mode = poll.results_mode
    if mode == "live":
        return True
    if mode == "after_vote":
        return answered
    if mode == "on_reveal":
        return poll.results_revealed
    return False

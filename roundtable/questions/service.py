"""Question wall operations: asking, upvoting, moderating, and private help requests.

Functions here take models and ids, flush but never commit (the caller commits, then
broadcasts), never read ``request`` and never emit. Every failure raises ``RoundtableError``
before anything is changed.

Moderation is optimistic: a moderator acts on the ``version`` of the question they saw, and the
change is one conditional ``UPDATE ... WHERE id = ? AND version = ? AND status = ?``. When two
moderators act on the same version at once, the database lets exactly one of them through; the
other gets ``question_changed`` and sees the winner's outcome with the next queue update.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_pgettext
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..i18n import _l
from ..i18n import field as i18n_field
from ..models import (
    HELP_KINDS,
    HELP_TOPICS,
    MAX_EDITED,
    MAX_HELP_LOCATION,
    MAX_HELP_MESSAGE,
    MAX_HELP_REPLIES,
    MAX_HELP_REPLY,
    MAX_NAME,
    MAX_REASON,
    MAX_TEXT,
    VISIBLE_STATUSES,
    AgendaItem,
    Day,
    Event,
    HelpRequest,
    LiveState,
    Participant,
    Question,
    QuestionUpvote,
    QuestionWall,
    StakeholderGroup,
    User,
    utcnow,
)
from ..safety import redact
from ..safety import store as safety
from ..safety.findings import PERSONAL_KINDS
from ..text import one_line

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BATCH = 100


# --- input ------------------------------------------------------------------------------


def _id(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RoundtableError("bad_payload", _l("A %(field)s id must be a number.", field=i18n_field(what)))
    return value


def clean_text(value: Any, field: str, limit: int, *, optional: bool = False) -> str | None:
    """Plain text on one line: ``roundtable.text.one_line`` (control, bidi and invisible characters
    dropped, runs of spaces collapsed).

    HTML is kept as typed (it is text, and every page inserts it with ``textContent``).
    """
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise RoundtableError("bad_payload", _l("The %(field)s must be text.", field=i18n_field(field)))
    text = one_line(value)
    if not text:
        if optional:
            return None
        raise RoundtableError("empty_text", _l("The %(field)s cannot be empty.", field=i18n_field(field)))
    if len(text) > limit:
        raise RoundtableError(
            "too_long",
            _l("The %(field)s can be at most %(limit)s characters.", field=i18n_field(field), limit=limit),
        )
    return text


def without_personal_data(event_id: int, text: str) -> str:
    """``text`` with its personal data and disclosures redacted, by the event's own checks (its
    extra word lists and places included)."""
    found = [f for f in safety.check(event_id, text).findings if f.kind in PERSONAL_KINDS]
    return redact(text, found) if found else text


def fingerprint(text: str) -> str:
    """What makes two questions the same: letters and digits, ignoring case, accents of width
    (NFKC), punctuation and spacing. A text with no letters or digits keeps its symbols."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return (" ".join(words) or " ".join(folded.split()))[:MAX_TEXT]


# --- look-ups ---------------------------------------------------------------------------


def event_id_of(item: AgendaItem) -> int:
    return item.day.event_id


def get_question(event_id: int, question_id: Any) -> Question:
    """The question ``question_id`` of this event, or ``NotFound`` (another event's does not exist)."""
    question = db.session.scalar(
        select(Question)
        .join(AgendaItem, Question.agenda_item_id == AgendaItem.id)
        .join(Day, AgendaItem.day_id == Day.id)
        .where(Question.id == _id(question_id, "question"), Day.event_id == event_id)
    )
    if question is None:
        raise NotFound("unknown_question", _l("There is no such question."))
    return question


def get_help(event_id: int, request_id: Any) -> HelpRequest:
    request = db.session.get(HelpRequest, _id(request_id, "request"))
    if request is None or request.event_id != event_id:
        raise NotFound("unknown_request", _l("There is no such help request."))
    return request


def live_item(event: Event) -> AgendaItem | None:
    state = db.session.get(LiveState, event.id)
    if state is None or state.current_item_id is None:
        return None
    return db.session.get(AgendaItem, state.current_item_id)


def bump_wall(item_id: int, question_id: int | None = None, *, content: bool = False,
              left: bool = False) -> int:
    """Grow the session's wall sequence number (one UPDATE: every process agrees) and return it.

    ``question_id``: the question that changed, stamped with the new seq (``content``: its text,
    name or status changed, not only its upvotes; ``left``: it left the wall), so that a
    ``wall_delta`` since any seq finds exactly the questions it must carry.
    """
    stmt = (
        update(QuestionWall)
        .where(QuestionWall.agenda_item_id == item_id)
        .values(seq=QuestionWall.seq + 1)
        .returning(QuestionWall.seq)
        .execution_options(synchronize_session=False)
    )
    seq = db.session.execute(stmt).scalar()
    if seq is None:
        try:
            with db.session.begin_nested():
                db.session.add(QuestionWall(agenda_item_id=item_id, seq=1))
            seq = 1
        except IntegrityError:
            # Another transaction made the row first: count on it.
            seq = db.session.execute(stmt).scalar()
    if question_id is not None:
        values: dict[str, Any] = {"wall_seq": seq}
        if content:
            values["content_seq"] = seq
        if left:
            values["left_wall_seq"] = seq
        db.session.execute(
            update(Question)
            .where(Question.id == question_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return seq


def wall_seq(item_id: int) -> int:
    return db.session.scalar(select(QuestionWall.seq).where(QuestionWall.agenda_item_id == item_id)) or 0


# --- participants -------------------------------------------------------------------------


def ask(
    item: AgendaItem | None,
    participant: Participant,
    text: Any,
    name: Any = None,
    client_id: Any = None,
) -> tuple[Question, bool]:
    """Ask ``text`` in ``item`` (the live session); return ``(question, duplicate)``.

    A ``client_id`` this participant already used returns that question unchanged (``True``), so a
    retry after a dropped connection never asks twice. The question is published at once only in
    an open session without children and when the safety check finds nothing; otherwise it waits
    for a moderator, with the check's reasons.
    """
    if client_id is not None:
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            raise RoundtableError(
                "bad_payload", _l("A question needs a client id of 8 to 64 letters or digits.")
            )
        earlier = _by_client_id(participant, client_id)
        if earlier is not None:
            return earlier, True
    if item is None or item.is_break or item.question_mode == "closed":
        raise RoundtableError("questions_closed", _l("Questions are closed for this session."))
    if event_id_of(item) != participant.event_id:
        raise NotFound("unknown_item", _l("There is no such session."))
    text = clean_text(text, "question", MAX_TEXT)
    name = clean_text(name, "name", MAX_NAME, optional=True)
    if name and _joined_as_child(participant):
        # The page hides the field for children; the server refuses it too (issue 9.9).
        raise RoundtableError("name_not_allowed", _l("Questions from children are asked without a name."))
    # Names are never asked for, stored or shown where children take part.
    if item.involves_children:
        name = None
    key = fingerprint(text)
    # A duplicate is one the asker can see: on the wall, or their own held question. Someone
    # else's held question is not revealed by refusing the same text (issue 9.9): it is held too.
    same = db.session.scalar(
        select(Question.id)
        .where(
            Question.agenda_item_id == item.id,
            Question.fingerprint == key,
            Question.status.in_(VISIBLE_STATUSES)
            | ((Question.status == "pending") & (Question.participant_id == participant.id)),
        )
        .limit(1)
    )
    if same is not None:
        raise RoundtableError(
            "duplicate_question", _l("This question has already been asked in this session.")
        )

    event_id = event_id_of(item)
    result = safety.check(event_id, text)
    reasons = list(result.reasons)
    if name and safety.check(event_id, name).flagged:
        # A name carrying contact details or abuse is not stored at all (it is optional).
        name = None
        reasons.append("Name: removed, it looked like personal data or abuse")
    held = bool(reasons) or item.question_mode == "premoderated" or item.involves_children
    question = Question(
        agenda_item_id=item.id,
        participant_id=participant.id,
        client_id=client_id,
        text=text,
        fingerprint=key,
        name=name,
        status="pending" if held else "published",
        reasons=reasons,
        upvotes=0,
        version=1,
    )
    try:
        with db.session.begin_nested():
            db.session.add(question)
    except IntegrityError:
        # The same client id raced in from another tab or an overtaking retry: that one won.
        earlier = _by_client_id(participant, client_id) if client_id else None
        if earlier is None:
            raise
        return earlier, True
    if result.flagged:
        safety.record_flag(event_id, item.id, "question", question.id, text, result)
    bump_wall(item.id, question.id, content=True)
    db.session.expire(question, ["wall_seq", "content_seq", "left_wall_seq"])
    return question, False


def _joined_as_child(participant: Participant) -> bool:
    if not participant.group_key:
        return False
    return bool(
        db.session.scalar(
            select(StakeholderGroup.is_children).where(
                StakeholderGroup.event_id == participant.event_id,
                StakeholderGroup.key == participant.group_key,
            )
        )
    )


def _by_client_id(participant: Participant, client_id: str) -> Question | None:
    return db.session.scalar(
        select(Question).where(Question.participant_id == participant.id, Question.client_id == client_id)
    )


def upvote(question: Question, participant: Participant, up: Any = None) -> tuple[bool, int]:
    """Upvote, or take an upvote back; return ``(upvoted, upvotes)``.

    ``up`` says the wanted state (a retry changes nothing); ``None`` toggles. A question that is
    not on the wall is "unknown", whatever it is, so that nothing about it leaks.
    """
    if up is not None and not isinstance(up, bool):
        raise RoundtableError("bad_payload", _l("up must be true or false."))
    if question.status not in VISIBLE_STATUSES:
        raise NotFound("unknown_question", _l("There is no such question."))
    if question.participant_id == participant.id:
        raise RoundtableError("own_question", _l("You cannot upvote your own question."))
    key = (question.id, participant.id)
    existing = db.session.get(QuestionUpvote, key)
    want = (existing is None) if up is None else up
    changed = False
    if want and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(QuestionUpvote(question_id=question.id, participant_id=participant.id))
                db.session.flush()
                _count(question, +1)
            changed = True
        except IntegrityError:
            pass  # the same participant's other tap got there first
    elif not want and existing is not None:
        db.session.expunge(existing)
        gone = db.session.execute(
            delete(QuestionUpvote)
            .where(QuestionUpvote.question_id == question.id, QuestionUpvote.participant_id == participant.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if gone:
            _count(question, -1)
            changed = True
    if changed:
        bump_wall(question.agenda_item_id, question.id)
    db.session.flush()
    count = db.session.scalar(select(Question.upvotes).where(Question.id == question.id)) or 0
    db.session.expire(question, ["upvotes"])
    return want, count


def _count(question: Question, step: int) -> None:
    db.session.execute(
        update(Question)
        .where(Question.id == question.id)
        .values(upvotes=Question.upvotes + step)
        .execution_options(synchronize_session=False)
    )


def send_help(
    event: Event,
    participant: Participant,
    kind: Any,
    message: Any = None,
    item: AgendaItem | None = None,
    *,
    topic: Any = None,
    location: Any = None,
) -> HelpRequest:
    """Store a private call for help or report. The message and the location are checked, and
    the reasons go to the facilitators with it; it is delivered to them whatever it says."""
    if kind not in HELP_KINDS:
        raise RoundtableError("bad_payload", _l("Say whether you need help or want to report something."))
    if topic is not None and topic not in HELP_TOPICS:
        raise RoundtableError(
            "bad_payload", _l("The kind of help is one of: %(topics)s.", topics=", ".join(HELP_TOPICS))
        )
    if participant.event_id != event.id:
        raise NotFound("unknown_event", _l("There is no such event."))
    message = clean_text(message, "message", MAX_HELP_MESSAGE, optional=True)
    location = clean_text(location, "location", MAX_HELP_LOCATION, optional=True)
    reasons: list[str] = []
    for text in (message, location):
        for reason in safety.check(event.id, text).reasons if text else ():
            if reason not in reasons:
                reasons.append(reason)
    request = HelpRequest(
        event_id=event.id,
        participant_id=participant.id,
        agenda_item_id=item.id if item is not None else None,
        kind=kind,
        topic=topic,
        location=location,
        message=message,
        reasons=reasons,
        status="open",
        replies=[],
    )
    db.session.add(request)
    db.session.flush()
    return request


def take_help(request: HelpRequest, by: User) -> HelpRequest:
    """"On my way": one facilitator takes an open request (the console stops re-alerting)."""
    done = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status == "open")
        .values(status="taken", taken_by=by.id, taken_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        db.session.refresh(request)
        if request.status == "taken":
            raise RoundtableError("already_taken", _l("Another facilitator is already on the way."))
        raise RoundtableError("already_handled", _l("Another facilitator already handled this request."))
    db.session.expire(request)
    return request


def handle_help(request: HelpRequest, by: User) -> HelpRequest:
    """Mark a help request handled (open or taken); only one facilitator can do it."""
    done = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status.in_(("open", "taken")))
        .values(status="handled", handled_by=by.id, handled_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise RoundtableError("already_handled", _l("Another facilitator already handled this request."))
    db.session.expire(request)
    return request


def reply_help(request: HelpRequest, by: User, text: Any) -> HelpRequest:
    """A short private reply that only the asker's phone shows ("Stay at your table, I'm coming").

    Staff-written, so it is not held; it is still cleaned (length, control characters)."""
    text = clean_text(text, "reply", MAX_HELP_REPLY)
    replies = list(request.replies or [])
    if len(replies) >= MAX_HELP_REPLIES:
        raise RoundtableError(
            "too_many_replies", _l("This request already has the most replies it can hold.")
        )
    replies.append({"text": text, "at": utcnow().isoformat(timespec="seconds") + "Z", "by": by.id})
    request.replies = replies
    db.session.flush()
    return request


# --- moderation ---------------------------------------------------------------------------

# action -> statuses it may start from, status it leads to
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": (("pending",), "published"),
    "reject": (("pending", "published"), "rejected"),
    "answer": (("published",), "answered"),
    "archive": (("published", "answered"), "archived"),
}

# The words of the "cannot be" message, with a context each: a status and an action that are the
# same word in English ("rejected") are not in Kiswahili ("limekataliwa" / "kukataliwa").
_VERBS = {
    "approve": lazy_pgettext("moderation action", "approved"),
    "reject": lazy_pgettext("moderation action", "rejected"),
    "answer": lazy_pgettext("moderation action", "marked answered"),
    "archive": lazy_pgettext("moderation action", "archived"),
    "undo": lazy_pgettext("moderation action", "undone"),
}
_STATUSES = {
    "pending": lazy_pgettext("question status", "pending"),
    "published": lazy_pgettext("question status", "published"),
    "answered": lazy_pgettext("question status", "answered"),
    "rejected": lazy_pgettext("question status", "rejected"),
    "archived": lazy_pgettext("question status", "archived"),
}


def _changed() -> RoundtableError:
    return RoundtableError("question_changed", _l("Another moderator already changed this question."), 409)


def _transition(
    question: Question,
    by: User,
    version: Any,
    action: str,
    allowed: tuple[str, ...],
    to: str,
    *,
    previous: str | None,
    **values: Any,
) -> Question:
    """The one place a question's status changes: checked, then one conditional UPDATE."""
    version = _version(version)
    if question.version != version:
        raise _changed()
    if question.status not in allowed:
        raise RoundtableError(
            "bad_transition",
            _l(
                "A %(status)s question cannot be %(action)s.",
                status=_STATUSES.get(question.status, question.status),
                action=_VERBS[action],
            ),
            409,
        )
    result = db.session.execute(
        update(Question)
        .where(Question.id == question.id, Question.version == version, Question.status == question.status)
        .values(
            status=to,
            previous_status=previous,
            version=Question.version + 1,
            moderated_at=utcnow(),
            moderated_by=by.id,
            **values,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _changed()
    left = question.status in VISIBLE_STATUSES and to not in VISIBLE_STATUSES
    db.session.expire(question)
    if to not in VISIBLE_STATUSES:
        _unhighlight(question.id)
    bump_wall(question.agenda_item_id, question.id, content=True, left=left)
    return question


def _version(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RoundtableError("bad_payload", _l("Send the version of the question you saw."))
    return value


def _act(action: str, question: Question, by: User, version: Any, **values: Any) -> Question:
    allowed, to = TRANSITIONS[action]
    return _transition(question, by, version, action, allowed, to, previous=question.status, **values)


def approve(
    question: Question, by: User, version: Any, text: Any = None, publish_anyway: Any = None
) -> Question:
    """Publish a waiting question, optionally with the moderator's edit (to redact a part).

    A flagged question passes ``roundtable.safety.store.decide`` first: the text to publish (the
    edit, if any) is checked again, and what is still flagged needs ``publish_anyway`` (a reason,
    recorded in the audit log), except possible grooming and, in sessions with children, personal
    data, which can only be removed. The text as asked is kept in ``original_text`` for the staff.
    """
    if question.version != _version(version):
        raise _changed()
    values: dict[str, Any] = {}
    final = question.text
    if text is not None:
        edited = clean_text(text, "question", MAX_EDITED)
        if edited != question.text:
            # The asked text stays for the staff, but without the personal data the moderator
            # redacted (issue 9.9): a child's phone number is not kept anywhere.
            asked = question.original_text or question.text
            values = {
                "text": edited,
                "original_text": without_personal_data(event_id_of(question.agenda_item), asked),
                "fingerprint": fingerprint(edited),
            }
            final = edited
    flag = safety.flag_of("question", question.id)
    outcome = None
    if question.status == "pending" and (flag is not None or question.reasons):
        item = question.agenda_item
        outcome, _ = safety.decide(
            event_id_of(item),
            flag.categories if flag is not None else [],
            final,
            edited=bool(values),
            involves_children=item.involves_children,
            anyway=publish_anyway,
        )
    _act("approve", question, by, version, **values)
    if outcome is not None:
        note = safety.clean_reason(publish_anyway) if outcome == "published_anyway" else None
        safety.close_flag(flag, "published_anyway" if note else "redacted", by, note)
        action = "question.publish_anyway" if note else "question.redact_approve"
        detail: dict[str, Any] = {"categories": flag.categories if flag is not None else []}
        if note:
            detail["reason"] = note
        audit.record(event_id_of(question.agenda_item), by, action, "question", question.id, **detail)
    return question


def reject(question: Question, by: User, version: Any, reason: Any = None) -> Question:
    """Keep a question off the wall, with a private reason only staff ever see."""
    reason = clean_text(reason, "reason", MAX_REASON, optional=True)
    _act("reject", question, by, version, reject_reason=reason)
    flag = safety.flag_of("question", question.id)
    if flag is not None and flag.status == "open":
        safety.close_flag(flag, "rejected", by, reason)
    return question


def answer(question: Question, by: User, version: Any) -> Question:
    return _act("answer", question, by, version)


def archive(question: Question, by: User, version: Any) -> Question:
    return _act("archive", question, by, version)


def undo(question: Question, by: User, version: Any) -> Question:
    """Go back one step, to ``previous_status`` (once: an undo cannot itself be undone).

    Back to "pending", the question gets its text as asked again (a moderator's edit belonged to
    the approval); leaving "rejected", it loses the rejection's reason.
    """
    target = question.previous_status
    if target is None:
        # A version that moved on means someone else acted: say that rather than "nothing to undo".
        if question.version != _version(version):
            raise _changed()
        raise RoundtableError("nothing_to_undo", _l("There is nothing to undo for this question."), 409)
    values: dict[str, Any] = {}
    if target == "pending" and question.original_text is not None:
        values.update(
            text=question.original_text, original_text=None, fingerprint=fingerprint(question.original_text)
        )
    if question.status == "rejected":
        values["reject_reason"] = None
    _transition(question, by, version, "undo", (question.status,), target, previous=None, **values)
    if target == "pending":
        # Back in the queue, the flag is open again: publishing needs the same decision again.
        safety.reopen_flag(safety.flag_of("question", question.id))
    return question


def approve_many(event: Event, items: Any, by: User) -> tuple[list[Question], list[dict[str, Any]]]:
    """Approve several waiting questions: ``items`` is ``[{question_id, version}, ...]``.

    Bad input refuses the whole batch. Otherwise each question is approved on its own terms:
    return ``(approved, skipped)``, ``skipped`` being ``[{question_id, error: {code, message}}]``
    for questions another moderator changed meanwhile (or that no longer wait).
    """
    if not isinstance(items, list) or not items:
        raise RoundtableError("bad_payload", _l("Send a list of {question_id, version}."))
    if len(items) > MAX_BATCH:
        raise RoundtableError(
            "too_large", _l("Approve at most %(limit)s questions at once.", limit=MAX_BATCH)
        )
    wanted: list[tuple[int, int]] = []
    for entry in items:
        if not isinstance(entry, dict):
            raise RoundtableError("bad_payload", _l("Send a list of {question_id, version}."))
        wanted.append((_id(entry.get("question_id"), "question"), _version(entry.get("version"))))
    if len({qid for qid, _ in wanted}) != len(wanted):
        raise RoundtableError("bad_payload", _l("A question appears twice."))
    approved: list[Question] = []
    skipped: list[dict[str, Any]] = []
    for question_id, version in wanted:
        try:
            approved.append(approve(get_question(event.id, question_id), by, version))
        except RoundtableError as error:
            skipped.append({"question_id": question_id, "error": error.as_dict()})
    return approved, skipped


def highlight(event: Event, question: Question | None) -> None:
    """Put ``question`` on the projector (replacing any other), or nothing (``None``).

    One column of the event's live state holds it, so there is at most one by construction.
    """
    state = db.session.get(LiveState, event.id)
    if state is None:
        state = LiveState(event_id=event.id)
        db.session.add(state)
    if question is not None and question.status not in VISIBLE_STATUSES:
        raise RoundtableError("not_published", _l("Only a published question can be highlighted."), 409)
    state.highlighted_question_id = question.id if question is not None else None
    db.session.flush()
    # Walls carry the highlighted question: the live session's wall has changed.
    if state.current_item_id is not None:
        bump_wall(state.current_item_id)


def _unhighlight(question_id: int) -> None:
    """Take a question that leaves the wall off the projector too."""
    state = db.session.scalar(select(LiveState).where(LiveState.highlighted_question_id == question_id))
    if state is None:
        return
    cleared = db.session.execute(
        update(LiveState)
        .where(LiveState.event_id == state.event_id, LiveState.highlighted_question_id == question_id)
        .values(highlighted_question_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(state)
    if cleared and state.current_item_id is not None:
        bump_wall(state.current_item_id)

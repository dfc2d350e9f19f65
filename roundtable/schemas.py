"""One declarative schema per socket event and per form or query: the shape of every input,
checked at the boundary before any handler or view runs (pydantic v2).

What a schema guarantees to the code behind it:
- every value is JSON-shaped (objects with text keys, lists, text, numbers, true/false, null),
  nested at most ``MAX_DEPTH`` deep; anything else is refused;
- every string, wherever it sits (keys too), went through ``roundtable.text.neutralise``: no
  control character, NUL, bidi override, invisible filler or lone surrogate reaches the database;
- every integer fits in 64 bits (SQLite and PostgreSQL both store it), floats are finite;
- the fields a schema names have the declared type (``Id`` a whole number, ``Text`` text, ``Flag``
  true or false, lists and nested objects as declared). Absent fields stay absent (handlers tell
  "not sent" from ``null``), and fields a schema does not name are kept (sanitised), so the
  business functions still give their own precise codes (``unknown_kind``, ``too_long``...).

A refusal is ``RoundtableError("bad_payload", "<field>: <what was expected>")``: nothing ran,
nothing changed. The socket ``handler`` decorator looks the schema up by event name
(``SOCKET_EVENTS``); views use ``parse_form`` / ``parse_args``. The per-vote cost is one walk
over a small dict plus pydantic-core's check (microseconds).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError, model_validator

from .errors import RoundtableError
from .text import neutralise

MAX_DEPTH = 6
INT64 = 2**63


def clean_json(value: Any, depth: int = 0) -> Any:
    """``value`` with every string neutralised; ``ValueError`` if it is not JSON-shaped."""
    if isinstance(value, str):
        return neutralise(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -INT64 <= value < INT64:
            raise ValueError("a number too large")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a finite number")
        return value
    if depth >= MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("an object with text keys")
            cleaned[neutralise(key)] = clean_json(item, depth + 1)
        return cleaned
    if isinstance(value, list | tuple):
        return [clean_json(item, depth + 1) for item in value]
    raise ValueError("JSON data")


def _text(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


Id = Annotated[int, Strict(), Field(ge=-INT64, lt=INT64)]
Text = Annotated[str, BeforeValidator(_text), Strict()]
Flag = Annotated[bool, Strict()]
Json = Annotated[Any, BeforeValidator(clean_json)]


class Schema(BaseModel):
    """Base of every schema: JSON-shaped, sanitised, unknown fields kept (sanitised)."""

    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def _json_shaped(cls, data: Any) -> Any:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ValueError("an object")
        return clean_json(data)

    def data(self) -> dict[str, Any]:
        """The fields that were sent (declared ones checked, the rest sanitised), as a dict."""
        return self.model_dump(exclude_unset=True)


class Empty(Schema):
    pass


# --- participants -----------------------------------------------------------------------------


class Vote(Schema):
    poll_id: Id = None  # type: ignore[assignment]  (absent: the poll look-up refuses it)
    client_id: Text = None  # type: ignore[assignment]
    answer: Json = None  # each poll kind checks its own answer's shape (roundtable/polls/kinds.py)


class Nickname(Schema):
    nickname: Text = None  # type: ignore[assignment]


class Ask(Schema):
    text: Text = None  # type: ignore[assignment]
    name: Text | None = None
    client_id: Text | None = None
    item_id: Id | None = None


class Upvote(Schema):
    question_id: Id = None  # type: ignore[assignment]
    up: Flag | None = None


class Help(Schema):
    kind: Text = None  # type: ignore[assignment]
    message: Text | None = None
    topic: Text | None = None
    location: Text | None = None


# --- staff: polls and agenda ----------------------------------------------------------------------


class PollRef(Schema):
    poll_id: Id = None  # type: ignore[assignment]


class SetLive(Schema):
    item_id: Id | None = None


class Screen(Schema):
    mode: Text = None  # type: ignore[assignment]
    poll_id: Id | None = None


class OptionIn(Schema):
    id: Id | None = None
    label: Text = None  # type: ignore[assignment]
    correct: Flag = False


class PollSave(Schema):
    poll_id: Id | None = None
    item_id: Id = None  # type: ignore[assignment]
    kind: Text = None  # type: ignore[assignment]
    question: Text = None  # type: ignore[assignment]
    options: list[Text | OptionIn] = Field(default_factory=list)
    settings: dict[str, Json] | None = None
    allow_change: Flag = True
    results_mode: Text = None  # type: ignore[assignment]


class Reveal(PollRef):
    revealed: Flag = None  # type: ignore[assignment]


class Move(PollRef):
    direction: Text = None  # type: ignore[assignment]


class AnswersModerate(PollRef):
    item_ids: list[Id] = None  # type: ignore[assignment]
    action: Text = None  # type: ignore[assignment]


class WordHide(PollRef):
    word: Text = None  # type: ignore[assignment]
    hidden: Flag = True


class EventSave(Schema):
    title: Text = None  # type: ignore[assignment]
    hosts: Text = None  # type: ignore[assignment]
    objective: Text = None  # type: ignore[assignment]
    outcomes: Text = None  # type: ignore[assignment]
    helpline: Text = None  # type: ignore[assignment]


class DaySave(Schema):
    day_id: Id = None  # type: ignore[assignment]
    title: Text = None  # type: ignore[assignment]
    date: Text | None = None


class ItemSave(Schema):
    item_id: Id = None  # type: ignore[assignment]
    title: Text = None  # type: ignore[assignment]
    starts_at: Text = None  # type: ignore[assignment]
    ends_at: Text = None  # type: ignore[assignment]
    facilitator: Text = None  # type: ignore[assignment]
    points: Text = None  # type: ignore[assignment]
    question_mode: Text = None  # type: ignore[assignment]
    questions_to: Text = None  # type: ignore[assignment]
    involves_children: Flag = None  # type: ignore[assignment]
    children_led: Flag = None  # type: ignore[assignment]
    split_by_group: Flag = None  # type: ignore[assignment]
    is_break: Flag = None  # type: ignore[assignment]


# --- staff: moderation ----------------------------------------------------------------------------


class QuestionVersion(Schema):
    question_id: Id = None  # type: ignore[assignment]
    version: Id = None  # type: ignore[assignment]


class Approve(QuestionVersion):
    text: Text | None = None


class Reject(QuestionVersion):
    reason: Text | None = None


class ApproveMany(Schema):
    items: list[QuestionVersion] = None  # type: ignore[assignment]


class Highlight(Schema):
    question_id: Id | None = None


class QueueOf(Schema):
    item_id: Id = None  # type: ignore[assignment]


class HelpHandle(Schema):
    request_id: Id = None  # type: ignore[assignment]


class HelpReply(HelpHandle):
    text: Text = None  # type: ignore[assignment]


class GroupResults(PollRef):
    groups: list[Text] | None = None


class AnswerApprove(PollRef):
    item_id: Id = None  # type: ignore[assignment]
    text: Text | None = None
    publish_anyway: Text | None = None


class OutcomeTag(Schema):
    target: Text = None  # type: ignore[assignment]
    id: Id = None  # type: ignore[assignment]
    # ``outcome`` (1..N or null) is checked by exports.outcomes.tag, which names the range.


# Every client-to-server event; an event another module adds without a schema gets ``Schema``
# (sanitised, JSON-shaped) until it declares one here.
SOCKET_EVENTS: dict[str, type[Schema]] = {
    "snapshot": Empty,
    "vote": Vote,
    "nickname:set": Nickname,
    "question:ask": Ask,
    "question:upvote": Upvote,
    "help:send": Help,
    "staff:set_live": SetLive,
    "staff:screen": Screen,
    "staff:poll_save": PollSave,
    "staff:poll_open": PollRef,
    "staff:poll_close": PollRef,
    "staff:poll_reset": PollRef,
    "staff:poll_delete": PollRef,
    "staff:poll_reveal": Reveal,
    "staff:poll_move": Move,
    "staff:answers_moderate": AnswersModerate,
    "staff:word_hide": WordHide,
    "staff:group_results": GroupResults,
    "staff:answer_approve": AnswerApprove,
    "staff:outcome_tag": OutcomeTag,
    "staff:event_save": EventSave,
    "staff:day_save": DaySave,
    "staff:item_save": ItemSave,
    "mod:approve": Approve,
    "mod:reject": Reject,
    "mod:answer": QuestionVersion,
    "mod:archive": QuestionVersion,
    "mod:undo": QuestionVersion,
    "mod:approve_many": ApproveMany,
    "mod:highlight": Highlight,
    "mod:queue": QueueOf,
    "help:handle": HelpHandle,
    "help:take": HelpHandle,
    "help:reply": HelpReply,
}


# --- the handshake and HTTP ------------------------------------------------------------------------


class Auth(Schema):
    """The Socket.IO handshake's ``auth`` object."""

    role: Text | None = None
    code: Text | None = None
    key: Text | None = None


class JoinForm(Schema):
    group: Text = ""


class LoginForm(Schema):
    username: Text = ""
    password: Text = ""


class ScreenQuery(Schema):
    key: Text = ""


class HomeQuery(Schema):
    code: Text = ""


# --- applying them -----------------------------------------------------------------------------------

_EXPECTED = {
    "int_type": "a whole number",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "greater_than_equal": "a smaller number",
    "less_than": "a smaller number",
}


def _message(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"] if not str(part).startswith(("function-", "str")))
    what = _EXPECTED.get(first["type"])
    if what is None:
        ctx = first.get("ctx") or {}
        what = str(ctx.get("error") or first["msg"]).removeprefix("Value error, ")
    return f"{where}: expected {what}." if where else f"Send {what}."


def validate(schema: type[Schema], data: Any) -> dict[str, Any]:
    """``data`` checked against ``schema``: the sent fields as a dict, or ``bad_payload``."""
    try:
        return schema.model_validate(data).data()
    except ValidationError as error:
        raise RoundtableError("bad_payload", _message(error)) from None


def parse_http(schema: type[Schema], values: Any) -> dict[str, Any]:
    """A form or query string (werkzeug's MultiDict: the first value of each name) checked
    against ``schema``; ``bad_payload`` (shown as a 400 page) when it does not fit."""
    return validate(schema, values.to_dict(flat=True))


def for_event(name: str | None) -> type[Schema]:
    return SOCKET_EVENTS.get(name or "", Schema)

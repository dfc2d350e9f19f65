"""The database model, in SQLAlchemy 2.0 typed style: one module per feature, one import path.

Where tables live (the one rule): every table is defined in a module of this package named after
its feature (``staff``, ``agenda``, ``polls``, ``live``, ``questions``, ...), and everything else
imports it from ``roundtable.models``. The modules refer to each other's classes by name in
``relationship()`` and ``ForeignKey()`` only, so no module of this package imports another except
``base``; importing the package puts every table on the metadata (the app, Alembic, a script).

Invariants kept by the feature code:
- one ``Response`` per participant per poll (unique constraint); a changed answer replaces it;
- every ``Response`` row has its ``ResponseItem`` rows (one per chosen option, ranked option,
  word, ...), so tallies are ``GROUP BY`` queries rather than Python loops over answers;
- ``Poll.seq`` and ``LiveState.revision`` only ever grow: clients use them to drop stale updates;
- a ``VoteReceipt`` remembers every client-made vote id, so a retried vote is never applied twice.
"""

from .agenda import QUESTION_MODES, AgendaItem, Day, Event, StakeholderGroup
from .audit import AuditEntry
from .base import new_token, utcnow
from .channels import UssdSession
from .live import SCREEN_MODES, LiveState
from .polls import (
    POLL_STATUSES,
    RESULTS_MODES,
    AggregateItem,
    AggregateRespondents,
    Participant,
    Poll,
    PollOption,
    Response,
    ResponseItem,
    SpentVoteId,
    VoteReceipt,
)
from .questions import (
    HELP_KINDS,
    HELP_STATUSES,
    HELP_TOPICS,
    MAX_EDITED,
    MAX_HELP_LOCATION,
    MAX_HELP_MESSAGE,
    MAX_HELP_REPLIES,
    MAX_HELP_REPLY,
    MAX_NAME,
    MAX_REASON,
    MAX_TEXT,
    QUESTION_STATUSES,
    VISIBLE_STATUSES,
    HelpRequest,
    Question,
    QuestionUpvote,
    QuestionWall,
    Upvote,
)
from .safety import FLAG_STATUSES, FLAG_TARGETS, SAFETY_LIST_FIELDS, SafetyFlag, SafetyList
from .staff import EVENT_ROLES, ROLES, EventStaff, User

__all__ = [
    "HELP_KINDS", "HELP_STATUSES", "HELP_TOPICS", "MAX_HELP_LOCATION", "MAX_HELP_REPLIES",
    "MAX_HELP_REPLY", "MAX_EDITED", "MAX_HELP_MESSAGE", "MAX_NAME", "MAX_REASON",
    "MAX_TEXT", "POLL_STATUSES", "QUESTION_MODES", "QUESTION_STATUSES", "RESULTS_MODES", "ROLES",
    "SCREEN_MODES", "VISIBLE_STATUSES", "EVENT_ROLES", "AggregateItem", "AggregateRespondents",
    "EventStaff", "FLAG_STATUSES", "FLAG_TARGETS", "SAFETY_LIST_FIELDS", "SafetyFlag", "SafetyList",
    "AgendaItem", "AuditEntry", "Day", "Event", "HelpRequest",
    "LiveState",
    "Participant", "Poll", "PollOption", "Question", "QuestionUpvote", "QuestionWall", "Response",
    "ResponseItem", "SpentVoteId", "StakeholderGroup", "Upvote", "User", "UssdSession", "VoteReceipt",
    "new_token", "utcnow",
]

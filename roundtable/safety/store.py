"""The database side of the safety checks: an event's own lists, flagged items, and the one rule
that decides whether a flagged text may be published.

The detectors in this package are pure; this module is what the question wall and the polls call:

- ``extras_for(event_id)`` / ``check(event_id, text)``: the checks with the event's additions;
- ``save_lists(event, data, by)``: organisers' additions, validated before anything changes;
- ``record_flag(...)``: remember a flagged text (categories, reasons, the text as submitted);
- ``decide(...)``: may this (possibly redacted) text be published? Raises ``RoundtableError``
  unless it may, and says how: ``"clean"``, ``"redacted"`` or ``"published_anyway"``.

The rule, enforced here for every path that publishes:
- a text whose flagged parts are still there is published only with "Publish anyway" and a reason
  (recorded in the audit log by the caller);
- possible grooming is never published as is: only redacted (so that the check no longer finds it)
  or rejected;
- in a session with children, personal data (contact details, ID numbers, disclosures) can only be
  redacted, never published anyway.

Functions flush but never commit, never read ``request`` and never emit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..errors import RoundtableError
from ..extensions import db
from ..models import SAFETY_LIST_FIELDS, SafetyFlag, SafetyList, User, utcnow
from . import PERSONAL_CATEGORIES, CheckResult, Extras, check_text

MAX_ENTRIES = 500
MAX_ENTRY = 80
MAX_ANYWAY_REASON = 300
_CACHE_KEY = "roundtable_safety_extras"


# --- an event's own lists ------------------------------------------------------------------------


def extras_for(event_id: int | None) -> Extras:
    """The event's additions (cached in the database session until the lists change)."""
    if event_id is None:
        return Extras()
    cache: dict[int, Extras] = db.session.info.setdefault(_CACHE_KEY, {})
    if event_id not in cache:
        row = db.session.get(SafetyList, event_id)
        cache[event_id] = (
            Extras(**{f: tuple(getattr(row, f) or ()) for f in SAFETY_LIST_FIELDS}) if row else Extras()
        )
    return cache[event_id]


def check(event_id: int | None, text: str) -> CheckResult:
    return check_text(text, extras=extras_for(event_id))


def lists_dict(event_id: int) -> dict[str, list[str]]:
    extras = extras_for(event_id)
    return {f: list(getattr(extras, f)) for f in SAFETY_LIST_FIELDS}


def parse_entries(value: Any, field: str) -> list[str]:
    """A list of entries from a list of strings or a text with one entry per line."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RoundtableError("bad_payload", f"The {field.replace('_', ' ')} must be text, one entry a line.")
    entries: list[str] = []
    for raw in value:
        entry = " ".join(raw.split())
        if not entry or entry in entries:
            continue
        if len(entry) > MAX_ENTRY:
            raise RoundtableError("too_long", f"An entry can be at most {MAX_ENTRY} characters: {entry[:30]}")
        entries.append(entry)
    if len(entries) > MAX_ENTRIES:
        raise RoundtableError("too_large", f"At most {MAX_ENTRIES} entries in one list.")
    return entries


def parse_lists(data: Any) -> dict[str, list[str]]:
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send the lists.")
    unknown = set(data) - set(SAFETY_LIST_FIELDS)
    if unknown:
        raise RoundtableError("bad_payload", f"Unknown list: {sorted(unknown)[0]}.")
    return {f: parse_entries(data.get(f, []), f) for f in SAFETY_LIST_FIELDS}


def save_lists(event_id: int, data: Any, by: User) -> SafetyList:
    """Replace the event's additions with ``data`` (every list validated first)."""
    lists = parse_lists(data)
    row = db.session.get(SafetyList, event_id)
    if row is None:
        row = SafetyList(event_id=event_id)
        db.session.add(row)
    for f, entries in lists.items():
        setattr(row, f, entries)
    row.updated_at = utcnow()
    row.updated_by = by.id
    db.session.flush()
    db.session.info.pop(_CACHE_KEY, None)
    return row


def try_text(text: Any, data: Any = None, event_id: int | None = None) -> dict[str, Any]:
    """What the checks would flag in ``text`` and why, with the given (unsaved) lists or the
    event's saved ones: for the console's "try a text" box."""
    if not isinstance(text, str):
        raise RoundtableError("bad_payload", "Type a text to try.")
    if len(text) > 2000:
        raise RoundtableError("too_long", "Try at most 2,000 characters at once.")
    if data is None:
        extras = extras_for(event_id)
    else:
        extras = Extras(**{f: tuple(v) for f, v in parse_lists(data).items()})
    result = check_text(text, extras=extras)
    return {
        "flagged": result.flagged,
        "categories": result.categories,
        "reasons": result.reasons,
        "findings": [dict(f.as_dict(), match=f.match) for f in result.findings],
    }


# --- flags ---------------------------------------------------------------------------------------


def record_flag(
    event_id: int, item_id: int | None, target_type: str, target_id: int, text: str, result: CheckResult
) -> SafetyFlag:
    flag = SafetyFlag(
        event_id=event_id,
        agenda_item_id=item_id,
        target_type=target_type,
        target_id=target_id,
        categories=result.categories,
        reasons=result.reasons,
        grooming=result.has("grooming"),
        text=text[:300],
        status="open",
    )
    db.session.add(flag)
    db.session.flush()
    return flag


def flag_of(target_type: str, target_id: int) -> SafetyFlag | None:
    return db.session.scalar(
        select(SafetyFlag)
        .where(SafetyFlag.target_type == target_type, SafetyFlag.target_id == target_id)
        .order_by(SafetyFlag.id.desc())
        .limit(1)
    )


def flags_of(target_type: str, target_ids: Iterable[int]) -> dict[int, SafetyFlag]:
    ids = list(target_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(SafetyFlag)
        .where(SafetyFlag.target_type == target_type, SafetyFlag.target_id.in_(ids))
        .order_by(SafetyFlag.id)
    )
    return {f.target_id: f for f in rows}  # the newest of each target wins


def close_flag(flag: SafetyFlag | None, status: str, by: User, note: str | None = None) -> None:
    if flag is None:
        return
    flag.status = status
    flag.note = note
    flag.handled_by = by.id
    flag.handled_at = utcnow()


def reopen_flag(flag: SafetyFlag | None) -> None:
    if flag is None:
        return
    flag.status, flag.note, flag.handled_by, flag.handled_at = "open", None, None, None


# --- the publishing rule -------------------------------------------------------------------------


def clean_reason(value: Any) -> str | None:
    if value is None or value is False:
        return None
    if not isinstance(value, str):
        raise RoundtableError("bad_payload", "The reason for publishing anyway must be text.")
    reason = " ".join(value.split())
    if not reason:
        return None
    if len(reason) > MAX_ANYWAY_REASON:
        raise RoundtableError("too_long", f"The reason can be at most {MAX_ANYWAY_REASON} characters.")
    return reason


def decide(
    event_id: int,
    flagged_categories: Iterable[str],
    final_text: str,
    *,
    edited: bool,
    involves_children: bool,
    anyway: Any = None,
) -> tuple[str, CheckResult]:
    """May ``final_text`` be published? ``("clean" | "redacted" | "published_anyway", result)``.

    ``flagged_categories`` are what the check found when the text came in; ``final_text`` is the
    text that would be published (the moderator's redaction when ``edited``), checked again with
    the event's lists: a redaction that left a flagged part in counts as unredacted.
    """
    result = check(event_id, final_text)
    remaining = set(result.categories)
    if not edited:
        remaining |= set(flagged_categories)
    if not remaining:
        return ("redacted" if edited else "clean"), result
    if "grooming" in remaining:
        raise RoundtableError(
            "grooming_not_publishable",
            "Possible grooming is never published as it is: remove the marked parts or reject it.",
            409,
        )
    if involves_children and remaining & PERSONAL_CATEGORIES:
        raise RoundtableError(
            "redact_required",
            "This session involves children: personal data can only be removed, not published anyway.",
            409,
        )
    reason = clean_reason(anyway)
    if reason is None:
        raise RoundtableError(
            "needs_redaction",
            "This was flagged: remove the marked parts, or choose “Publish anyway” and give a reason.",
            409,
        )
    return "published_anyway", result

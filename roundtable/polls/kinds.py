"""Poll kinds: how an answer is validated, stored as countable items, tallied and drawn.

One kind is one small class. ``validate`` turns a participant's raw payload into a normalised
answer or raises ``RoundtableError``; ``items`` turns that answer into ``ResponseItem`` values; and
``tally`` computes results with ``GROUP BY`` queries over those items, never by loading every
answer. ``renderer`` names the drawing used by the browser pages (static/js/charts.js).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import func, select

from ..errors import RoundtableError
from ..extensions import db
from ..models import Poll, Response, ResponseItem


class PollKind:
    name: ClassVar[str]
    label: ClassVar[str]
    renderer: ClassVar[str] = "bars"
    has_options: ClassVar[bool] = True
    min_options: ClassVar[int] = 2
    max_options: ClassVar[int] = 12

    def validate_settings(self, settings: dict[str, Any], n_options: int) -> dict[str, Any]:
        """Return the poll's normalised settings (staff input)."""
        return {}

    def validate(self, poll: Poll, payload: Any) -> Any:
        raise NotImplementedError

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def tally(self, poll: Poll) -> dict[str, Any]:
        raise NotImplementedError

    # Helpers shared by the option-based kinds.
    @staticmethod
    def _option_ids(poll: Poll) -> set[int]:
        return {option.id for option in poll.options}

    @staticmethod
    def _respondents(poll: Poll) -> int:
        return (
            db.session.scalar(select(func.count()).select_from(Response).where(Response.poll_id == poll.id))
            or 0
        )

    @staticmethod
    def _counts_by_option(poll: Poll) -> dict[int, int]:
        rows = db.session.execute(
            select(ResponseItem.option_id, func.count())
            .where(ResponseItem.poll_id == poll.id)
            .group_by(ResponseItem.option_id)
        )
        return {option_id: count for option_id, count in rows if option_id is not None}


def _bad(message: str, code: str = "invalid_answer") -> RoundtableError:
    return RoundtableError(code, message)


class SingleChoice(PollKind):
    name = "single"
    label = "Single choice"

    def validate(self, poll: Poll, payload: Any) -> Any:
        if not isinstance(payload, dict) or set(payload) != {"option"}:
            raise _bad('Send one option as {"option": id}.', "bad_payload")
        option = payload["option"]
        if not isinstance(option, int) or isinstance(option, bool):
            raise _bad("The option must be a number.", "bad_payload")
        if option not in self._option_ids(poll):
            raise _bad("That option is not part of this poll.", "unknown_option")
        return {"option": option}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": answer["option"]}]

    def tally(self, poll: Poll) -> dict[str, Any]:
        counts = self._counts_by_option(poll)
        return {
            "total": self._respondents(poll),
            "counts": {str(option.id): counts.get(option.id, 0) for option in poll.options},
        }


class MultipleChoice(SingleChoice):
    name = "multiple"
    label = "Multiple choice"

    def validate_settings(self, settings: dict[str, Any], n_options: int) -> dict[str, Any]:
        raw = settings.get("max_selections", n_options)
        if raw in (None, ""):
            raw = n_options
        try:
            max_selections = int(raw)
        except (TypeError, ValueError):
            raise _bad("The most choices must be a whole number.", "bad_settings") from None
        if not 1 <= max_selections <= max(n_options, 1):
            raise _bad(f"The most choices must be between 1 and {max(n_options, 1)}.", "bad_settings")
        return {"max_selections": max_selections}

    def validate(self, poll: Poll, payload: Any) -> Any:
        if not isinstance(payload, dict) or set(payload) != {"options"}:
            raise _bad('Send the chosen options as {"options": [ids]}.', "bad_payload")
        chosen = payload["options"]
        if not isinstance(chosen, list) or not all(
            isinstance(o, int) and not isinstance(o, bool) for o in chosen
        ):
            raise _bad("The options must be a list of numbers.", "bad_payload")
        if not chosen:
            raise _bad("Choose at least one option.", "empty_answer")
        if len(set(chosen)) != len(chosen):
            raise _bad("An option was chosen twice.", "duplicate_option")
        limit = int(poll.settings.get("max_selections") or len(poll.options))
        if len(chosen) > limit:
            raise _bad(f"Choose at most {limit}.", "too_many_options")
        if not set(chosen) <= self._option_ids(poll):
            raise _bad("That option is not part of this poll.", "unknown_option")
        return {"options": sorted(chosen)}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": option} for option in answer["options"]]


KINDS: dict[str, PollKind] = {kind.name: kind for kind in (SingleChoice(), MultipleChoice())}


def kind_of(poll_or_name: Poll | str) -> PollKind:
    name = poll_or_name if isinstance(poll_or_name, str) else poll_or_name.kind
    try:
        return KINDS[name]
    except KeyError:
        raise RoundtableError("unknown_kind", f"There is no poll kind called {name!r}.") from None

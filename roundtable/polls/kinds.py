"""Poll kinds: how an answer is validated, stored as countable items, tallied and drawn.

One kind is one small class, registered in ``KINDS``:
- ``validate_settings(settings, options)``: the poll's normalised settings (staff input);
- ``validate(poll, payload)``: a participant's raw payload -> a normalised answer, or
  ``RoundtableError`` with a specific code; nothing is stored before this passes;
- ``items(poll, answer)``: the answer as ``ResponseItem`` values (one per chosen option, ranked
  option, word, ...), so that
- ``tally(poll)`` is a handful of ``GROUP BY`` queries over those items, never a Python loop over
  every answer;
- ``renderer``: which drawing the browser pages use (the CSS class ``results-<renderer>``).

The browser half of a kind is one module, ``static/js/kinds/<name>.js`` (its answer widget, its
results drawing, its editor settings, its labels), registered in ``static/js/kinds/index.js``
with the same ``name``, ``label`` and ``renderer`` (tests/test_browser_layout.py checks both lists).

Free text (open answers, word-cloud words) passes the safety checks before anyone but its author
and the moderators can see it: a flagged item is stored as "held" with its reasons.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from sqlalchemy import desc, func, literal, select, union_all

from ..errors import RoundtableError
from ..extensions import db
from ..i18n import _l
from ..models import AggregateItem, AggregateRespondents, Poll, Response, ResponseItem
from ..text import one_line


def counted(poll: Poll):
    """The poll's countable items: its ``ResponseItem`` rows (each counts once, ``n`` = 1) and
    the ``AggregateItem`` rows kept after participants' data was deleted (``n`` = how many items
    each stands for). Tallies sum ``n`` over this, so they are the same before and after."""
    live = select(
        ResponseItem.id.label("id"),
        ResponseItem.option_id.label("option_id"),
        ResponseItem.text.label("text"),
        ResponseItem.number.label("number"),
        ResponseItem.status.label("status"),
        literal(1).label("n"),
    ).where(ResponseItem.poll_id == poll.id)
    kept = select(
        AggregateItem.id,
        AggregateItem.option_id,
        AggregateItem.text,
        AggregateItem.number,
        AggregateItem.status,
        AggregateItem.count,
    ).where(AggregateItem.poll_id == poll.id)
    return union_all(live, kept).subquery("counted")


def _bad(message: str, code: str = "invalid_answer") -> RoundtableError:
    return RoundtableError(code, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape(payload: Any, keys: set[str], example: str) -> dict[str, Any]:
    if not isinstance(payload, dict) or set(payload) != keys:
        raise _bad(_l("Send the answer as %(example)s.", example=example), "bad_payload")
    return payload


def _int_setting(settings: dict[str, Any], name: str, default: int, low: int, high: int, label: str) -> int:
    raw = settings.get(name, default)
    if raw in (None, ""):
        raw = default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise _bad(_l("%(setting)s must be a whole number.", setting=label), "bad_settings") from None
    if isinstance(raw, float) and raw != value:
        raise _bad(_l("%(setting)s must be a whole number.", setting=label), "bad_settings")
    if not low <= value <= high:
        raise _bad(
            _l("%(setting)s must be between %(low)s and %(high)s.", setting=label, low=low, high=high),
            "bad_settings",
        )
    return value


def normalise_word(raw: str) -> str:
    """One word-cloud entry: case and spacing folded, so "Safe" and " safe " are one word."""
    return one_line(raw).casefold()


class PollKind:
    name: ClassVar[str]
    label: ClassVar[str]
    renderer: ClassVar[str] = "bars"
    has_options: ClassVar[bool] = True
    min_options: ClassVar[int] = 2
    max_options: ClassVar[int] = 12
    free_text: ClassVar[bool] = False

    def validate_settings(self, settings: dict[str, Any], options: list[dict[str, Any]]) -> dict[str, Any]:
        return {}

    def validate(self, poll: Poll, payload: Any) -> Any:
        raise NotImplementedError

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def tally(self, poll: Poll) -> dict[str, Any]:
        raise NotImplementedError

    def held(self, poll: Poll) -> list[dict[str, Any]]:
        """Items waiting for a moderator (staff only)."""
        return []

    # Shared helpers --------------------------------------------------------------------------

    @staticmethod
    def option_ids(poll: Poll) -> set[int]:
        return {option.id for option in poll.options}

    @staticmethod
    def respondents(poll: Poll) -> int:
        live = db.session.scalar(
            select(func.count()).select_from(Response).where(Response.poll_id == poll.id)
        )
        kept = db.session.scalar(
            select(func.sum(AggregateRespondents.respondents)).where(AggregateRespondents.poll_id == poll.id)
        )
        return int(live or 0) + int(kept or 0)

    @staticmethod
    def counts_by_option(poll: Poll) -> dict[int, int]:
        items = counted(poll)
        rows = db.session.execute(
            select(items.c.option_id, func.sum(items.c.n))
            .where(items.c.option_id.is_not(None))
            .group_by(items.c.option_id)
        )
        return {option_id: int(count) for option_id, count in rows}

    def option_counts(self, poll: Poll) -> dict[str, int]:
        counts = self.counts_by_option(poll)
        return {str(option.id): counts.get(option.id, 0) for option in poll.options}


class SingleChoice(PollKind):
    name = "single"
    label = "Single choice"

    def validate(self, poll: Poll, payload: Any) -> Any:
        option = _shape(payload, {"option"}, '{"option": id}')["option"]
        if not _is_int(option):
            raise _bad(_l("The option must be a number."), "bad_payload")
        if option not in self.option_ids(poll):
            raise _bad(_l("That option is not part of this poll."), "unknown_option")
        return {"option": option}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": answer["option"]}]

    def tally(self, poll: Poll) -> dict[str, Any]:
        return {"total": self.respondents(poll), "counts": self.option_counts(poll)}


class MultipleChoice(SingleChoice):
    name = "multiple"
    label = "Multiple choice"

    def validate_settings(self, settings, options):
        n = max(len(options), 1)
        return {"max_selections": _int_setting(settings, "max_selections", n, 1, n, _l("The most choices"))}

    def validate(self, poll: Poll, payload: Any) -> Any:
        chosen = _shape(payload, {"options"}, '{"options": [ids]}')["options"]
        if not isinstance(chosen, list) or not all(_is_int(o) for o in chosen):
            raise _bad(_l("The options must be a list of numbers."), "bad_payload")
        if not chosen:
            raise _bad(_l("Choose at least one option."), "empty_answer")
        if len(set(chosen)) != len(chosen):
            raise _bad(_l("An option was chosen twice."), "duplicate_option")
        limit = int(poll.settings.get("max_selections") or len(poll.options))
        if len(chosen) > limit:
            raise _bad(_l("Choose at most %(limit)s.", limit=limit), "too_many_options")
        if not set(chosen) <= self.option_ids(poll):
            raise _bad(_l("That option is not part of this poll."), "unknown_option")
        return {"options": sorted(chosen)}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": option} for option in answer["options"]]


class Quiz(SingleChoice):
    """One correct option. No speed-based scoring: only whether the answer was right."""

    name = "quiz"
    label = "Quiz"

    def validate_settings(self, settings, options):
        correct = [o for o in options if o.get("correct")]
        if len(correct) != 1:
            raise _bad(_l("Mark exactly one option as the correct answer."), "bad_options")
        leaderboard = settings.get("leaderboard", False)
        if not isinstance(leaderboard, bool):
            raise _bad(_l("leaderboard must be true or false."), "bad_settings")
        return {"leaderboard": leaderboard}

    def tally(self, poll: Poll) -> dict[str, Any]:
        result = super().tally(poll)
        if poll.results_revealed:
            correct = next((o for o in poll.options if o.is_correct), None)
            if correct is not None:
                right = result["counts"][str(correct.id)]
                result["correct_option"] = correct.id
                result["correct_share"] = round(100 * right / result["total"]) if result["total"] else 0
            if poll.settings.get("leaderboard") and not poll.agenda_item.involves_children:
                result["leaderboard"] = self.leaderboard(poll)
        return result

    LEADERBOARD_SIZE = 10

    def leaderboard(self, poll: Poll) -> list[dict[str, Any]]:
        """Nicknames by correct answers over the session's revealed leaderboard quizzes.

        Only participants who chose a nickname appear, never one who joined as a child, and the
        order is by how many answers were right (then by name): speed never counts.
        """
        from ..models import Participant, PollOption, StakeholderGroup

        quizzes = [
            p.id
            for p in poll.agenda_item.polls
            if p.kind == "quiz" and p.results_revealed and p.settings.get("leaderboard")
        ]
        children = select(StakeholderGroup.key).where(StakeholderGroup.is_children.is_(True))
        correct = func.count().label("correct")
        rows = db.session.execute(
            select(Participant.nickname, correct)
            .select_from(ResponseItem)
            .join(Response, ResponseItem.response_id == Response.id)
            .join(Participant, Response.participant_id == Participant.id)
            .join(PollOption, ResponseItem.option_id == PollOption.id)
            .where(
                ResponseItem.poll_id.in_(quizzes),
                PollOption.is_correct.is_(True),
                Participant.nickname.is_not(None),
                (Participant.group_key.is_(None)) | (Participant.group_key.not_in(children)),
            )
            .group_by(Participant.id, Participant.nickname)
            .order_by(desc(correct), Participant.nickname)
            .limit(self.LEADERBOARD_SIZE)
        )
        return [{"nickname": nickname, "correct": n} for nickname, n in rows]


class Rating(PollKind):
    name = "rating"
    label = "Rating scale"
    renderer = "rating"
    has_options = False

    def validate_settings(self, settings, options):
        scale = settings.get("scale", 5)
        if scale not in (5, 10, "5", "10"):
            raise _bad(_l("A rating scale goes from 1 to 5 or from 1 to 10."), "bad_settings")
        labels = {}
        # Each end label may carry a Kiswahili version (``min_label_sw``; "" = none).
        ends = (
            ("min_label", "Not at all"),
            ("max_label", "Very much"),
            ("min_label_sw", ""),
            ("max_label_sw", ""),
        )
        for end, default in ends:
            value = settings.get(end, default)
            if not isinstance(value, str) or len(value.strip()) > 40:
                raise _bad(_l("The end labels must be text of at most 40 characters."), "bad_settings")
            labels[end] = one_line(value)
        # An empty Kiswahili label is no label: it is not stored (phones fall back to English).
        labels = {end: value for end, value in labels.items() if value or not end.endswith("_sw")}
        return {"scale": int(scale), **labels}

    def validate(self, poll: Poll, payload: Any) -> Any:
        value = _shape(payload, {"value"}, '{"value": n}')["value"]
        scale = int(poll.settings.get("scale", 5))
        if not _is_int(value):
            raise _bad(_l("The rating must be a whole number."), "bad_payload")
        if not 1 <= value <= scale:
            raise _bad(_l("Choose a rating from 1 to %(scale)s.", scale=scale), "off_scale")
        return {"value": value}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"number": answer["value"]}]

    def tally(self, poll: Poll) -> dict[str, Any]:
        scale = int(poll.settings.get("scale", 5))
        items = counted(poll)
        rows = db.session.execute(select(items.c.number, func.sum(items.c.n)).group_by(items.c.number))
        counts = {str(n): 0 for n in range(1, scale + 1)}
        total = weighted = 0
        for number, count in rows:
            count = int(count)
            counts[str(int(number))] = count
            total += count
            weighted += number * count
        return {"total": total, "counts": counts, "mean": round(weighted / total, 2) if total else None}


class Ranking(PollKind):
    """Options in order; results by Borda score (first of n gets n-1 points, last gets 0)."""

    name = "ranking"
    label = "Ranking"
    renderer = "ranking"
    max_options = 10

    def validate(self, poll: Poll, payload: Any) -> Any:
        order = _shape(payload, {"order"}, '{"order": [ids, first to last]}')["order"]
        if not isinstance(order, list) or not all(_is_int(o) for o in order):
            raise _bad(_l("The order must be a list of option numbers."), "bad_payload")
        if len(set(order)) != len(order):
            raise _bad(_l("An option appears twice in your ranking."), "duplicate_option")
        ids = self.option_ids(poll)
        if not set(order) <= ids:
            raise _bad(_l("That option is not part of this poll."), "unknown_option")
        if set(order) != ids:
            raise _bad(_l("Put every option in order."), "incomplete_ranking")
        return {"order": order}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": option, "number": place} for place, option in enumerate(answer["order"], 1)]

    def tally(self, poll: Poll) -> dict[str, Any]:
        n = len(poll.options)
        items = counted(poll)
        rows = db.session.execute(
            select(items.c.option_id, func.sum(items.c.n), func.sum(items.c.number * items.c.n)).group_by(
                items.c.option_id
            )
        )
        stats = {option_id: (int(count), places or 0) for option_id, count, places in rows}
        ranking = []
        for option in poll.options:
            count, places = stats.get(option.id, (0, 0))
            ranking.append(
                {
                    "option_id": option.id,
                    "score": int(count * n - places),  # sum of (n - place) over answers
                    "average_position": round(places / count, 2) if count else None,
                }
            )
        ranking.sort(key=lambda row: (-row["score"], row["average_position"] or math.inf))
        return {"total": self.respondents(poll), "ranking": ranking}


class Points(PollKind):
    """Share a fixed budget (100 points) over the options."""

    name = "points"
    label = "100 points"
    renderer = "points"
    BUDGET = 100

    def validate_settings(self, settings, options):
        return {"budget": self.BUDGET}

    def validate(self, poll: Poll, payload: Any) -> Any:
        points = _shape(payload, {"points"}, '{"points": {"option id": n}}')["points"]
        if not isinstance(points, dict):
            raise _bad(_l("Send points as an object of option ids."), "bad_payload")
        ids = self.option_ids(poll)
        clean: dict[str, int] = {}
        for key, value in points.items():
            if not isinstance(key, str) or not key.isdigit() or int(key) not in ids:
                raise _bad(_l("That option is not part of this poll."), "unknown_option")
            if not _is_int(value):
                raise _bad(_l("Points must be whole numbers."), "bad_payload")
            if value < 0:
                raise _bad(_l("Points cannot be negative."), "negative_points")
            if value:
                clean[str(int(key))] = value
        spent = sum(clean.values())
        if spent != self.BUDGET:
            raise _bad(
                _l("Share exactly %(budget)s points (you gave %(spent)s).", budget=self.BUDGET, spent=spent),
                "points_total",
            )
        return {"points": clean}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [{"option_id": int(key), "number": value} for key, value in answer["points"].items()]

    def tally(self, poll: Poll) -> dict[str, Any]:
        items = counted(poll)
        rows = db.session.execute(
            select(items.c.option_id, func.sum(items.c.number * items.c.n)).group_by(items.c.option_id)
        )
        sums = {option_id: int(total or 0) for option_id, total in rows}
        total = self.respondents(poll)
        return {
            "total": total,
            "points": {str(o.id): sums.get(o.id, 0) for o in poll.options},
            "average": {str(o.id): round(sums.get(o.id, 0) / total, 1) if total else 0 for o in poll.options},
        }


class _FreeText(PollKind):
    has_options = False
    free_text = True

    @staticmethod
    def _premoderate(settings: dict[str, Any]) -> bool:
        premoderate = settings.get("premoderate", False)
        if not isinstance(premoderate, bool):
            raise _bad(_l("premoderate must be true or false."), "bad_settings")
        return premoderate

    def _check(self, poll: Poll, text: str) -> dict[str, Any]:
        from ..safety import store

        result = store.check(poll.agenda_item.day.event_id, text)
        if result.flagged:
            return {"text": text, "status": "held", "reasons": result.reasons}
        if poll.settings.get("premoderate"):
            return {"text": text, "status": "held", "reasons": ["Waiting for a moderator"]}
        return {"text": text, "status": "visible"}

    def held(self, poll: Poll) -> list[dict[str, Any]]:
        """Held items with what moderators need to redact them: the flagged spans, the text with
        them removed, and whether the server allows "Publish anyway" (possible grooming first)."""
        from ..safety import PERSONAL_CATEGORIES, redact, store

        rows = db.session.execute(
            select(ResponseItem.id, ResponseItem.text, ResponseItem.reasons)
            .where(ResponseItem.poll_id == poll.id, ResponseItem.status == "held")
            .order_by(ResponseItem.id)
            .limit(200)
        )
        item = poll.agenda_item
        out = []
        for item_id, text, reasons in rows:
            result = store.check(item.day.event_id, text or "")
            categories = result.categories
            out.append(
                {
                    "id": item_id,
                    "text": text,
                    "reasons": reasons or [],
                    "flagged": result.flagged,
                    "categories": categories,
                    "grooming": "grooming" in categories,
                    "findings": [f.as_dict() for f in result.findings],
                    "suggested_text": redact(text or "", result) if result.flagged else None,
                    "can_publish_anyway": "grooming" not in categories
                    and not (item.involves_children and set(categories) & PERSONAL_CATEGORIES),
                }
            )
        out.sort(key=lambda d: 0 if d["grooming"] else 1)
        return out


class WordCloud(_FreeText):
    name = "wordcloud"
    label = "Word cloud"
    renderer = "cloud"
    MAX_WORD = 25
    SHOWN = 80

    def validate_settings(self, settings, options):
        premoderate = self._premoderate(settings)
        hidden = settings.get("hidden_words", [])
        if not isinstance(hidden, list) or not all(isinstance(w, str) for w in hidden):
            raise _bad(_l("hidden_words must be a list of words."), "bad_settings")
        return {
            "max_words": _int_setting(settings, "max_words", 3, 1, 3, _l("The number of words")),
            "premoderate": premoderate,
            "hidden_words": sorted({normalise_word(w) for w in hidden if w.strip()}),
        }

    def validate(self, poll: Poll, payload: Any) -> Any:
        words = _shape(payload, {"words"}, '{"words": ["word", ...]}')["words"]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _bad(_l("Send your words as a list of text."), "bad_payload")
        limit = int(poll.settings.get("max_words", 3))
        clean: list[str] = []
        for raw in words:
            word = normalise_word(raw)
            if not word:
                raise _bad(_l("A word cannot be empty."), "empty_text")
            if len(word) > self.MAX_WORD:
                raise _bad(_l("A word can be at most %(limit)s characters.", limit=self.MAX_WORD), "too_long")
            if word not in clean:
                clean.append(word)
        if not clean:
            raise _bad(_l("Enter at least one word."), "empty_answer")
        if len(clean) > limit:
            raise _bad(_l("Enter at most %(limit)s words.", limit=limit), "too_many_words")
        return {"words": clean}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        hidden = set(poll.settings.get("hidden_words", []))
        items = []
        for word in answer["words"]:
            item = self._check(poll, word)
            if word in hidden:
                item = {"text": word, "status": "hidden"}
            items.append(item)
        return items

    def tally(self, poll: Poll) -> dict[str, Any]:
        items = counted(poll)
        total_n = func.sum(items.c.n).label("total_n")
        rows = db.session.execute(
            select(items.c.text, total_n)
            .where(items.c.status == "visible")
            .group_by(items.c.text)
            .order_by(desc("total_n"), items.c.text)
            .limit(self.SHOWN)
        )
        return {"total": self.respondents(poll), "words": [[text, int(n)] for text, n in rows]}


class OpenText(_FreeText):
    name = "opentext"
    label = "Open text"
    renderer = "wall"
    MAX_TEXT = 280
    SHOWN = 60

    def validate_settings(self, settings, options):
        premoderate = self._premoderate(settings)
        return {
            "max_answers": _int_setting(settings, "max_answers", 1, 1, 5, _l("The number of answers")),
            "premoderate": premoderate,
        }

    def validate(self, poll: Poll, payload: Any) -> Any:
        texts = _shape(payload, {"texts"}, '{"texts": ["answer", ...]}')["texts"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise _bad(_l("Send your answers as a list of text."), "bad_payload")
        limit = int(poll.settings.get("max_answers", 1))
        clean = []
        for raw in texts:
            text = one_line(raw)
            if not text:
                raise _bad(_l("An answer cannot be empty."), "empty_text")
            if len(text) > self.MAX_TEXT:
                raise _bad(
                    _l("An answer can be at most %(limit)s characters.", limit=self.MAX_TEXT), "too_long"
                )
            clean.append(text)
        if not clean:
            raise _bad(_l("Write an answer first."), "empty_answer")
        if len(clean) > limit:
            raise _bad(_l("You can give at most %(limit)s answers.", limit=limit), "too_many_answers")
        return {"texts": clean}

    def items(self, poll: Poll, answer: Any) -> list[dict[str, Any]]:
        return [self._check(poll, text) for text in answer["texts"]]

    def tally(self, poll: Poll) -> dict[str, Any]:
        items = counted(poll)
        # Kept answers are aggregate rows, one per answer for open text, stored in answer order.
        rows = db.session.execute(
            select(items.c.id, items.c.text)
            .where(items.c.status == "visible")
            .order_by(items.c.id.desc())
            .limit(self.SHOWN)
        )
        visible = int(db.session.scalar(select(func.sum(items.c.n)).where(items.c.status == "visible")) or 0)
        return {
            "total": self.respondents(poll),
            "shown": visible,
            "answers": [{"id": item_id, "text": text} for item_id, text in rows],
        }


KINDS: dict[str, PollKind] = {
    kind.name: kind
    for kind in (
        SingleChoice(),
        MultipleChoice(),
        WordCloud(),
        OpenText(),
        Rating(),
        Ranking(),
        Points(),
        Quiz(),
    )
}


def kind_of(poll_or_name: Poll | str) -> PollKind:
    name = poll_or_name if isinstance(poll_or_name, str) else poll_or_name.kind
    try:
        return KINDS[name]
    except KeyError:
        raise RoundtableError(
            "unknown_kind", _l("There is no poll kind called %(name)r.", name=name)
        ) from None

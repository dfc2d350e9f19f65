"""Recall and precision of the checks on a labelled set (``tests/data/safety_labelled.tsv``).

Used by ``scripts/safety_eval.py`` (prints the table) and by the test that keeps the goal true:
recall >= 0.95 and precision >= 0.9 in every category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import CATEGORIES, check_text

NONE = "-"


@dataclass(frozen=True)
class Example:
    labels: frozenset[str]
    language: str
    text: str
    line: int


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[Example] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def load(path: str | Path) -> list[Example]:
    """Read the set; a malformed line or an unknown category is an error (with its line)."""
    examples = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3 or not parts[2].strip():
            raise ValueError(f"line {number}: expected 'labels<TAB>language<TAB>text'")
        labels = frozenset() if parts[0] == NONE else frozenset(parts[0].split(","))
        unknown = labels - set(CATEGORIES)
        if unknown:
            raise ValueError(f"line {number}: unknown categories {sorted(unknown)}")
        examples.append(Example(labels, parts[1], parts[2], number))
    return examples


def evaluate(examples: list[Example]) -> dict[str, Score]:
    scores = {c: Score() for c in CATEGORIES}
    for ex in examples:
        found = set(check_text(ex.text).categories)
        for category, score in scores.items():
            want, got = category in ex.labels, category in found
            if want and got:
                score.tp += 1
            elif got:
                score.fp += 1
                score.false_alarms.append(ex)
            elif want:
                score.fn += 1
                score.misses.append(ex)
    return scores

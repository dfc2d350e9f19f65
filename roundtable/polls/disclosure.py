"""Disclosure control for results by stakeholder group: which group figures may be shown.

Children are in the room, so a split of a poll's results must never let anyone read the answers
of fewer than ``threshold`` people (``ROUNDTABLE_DISCLOSURE_THRESHOLD``, 5 by default, never
below 3), neither from one figure nor by subtracting shown figures from each other or from
"Everyone" (the poll's ordinary result, always taken as known).

``disclose`` is the one function that decides it; every view (console, projector, phones),
every export and the report go through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_THRESHOLD = 3


@dataclass(frozen=True)
class Disclosure:
    """What may be shown: ``shown`` groups on their own (in the order asked), and ``other``
    (the suppressed groups together as "Other groups") when ``other_shown``."""

    shown: list[str]
    suppressed: list[str]
    other_shown: bool
    other_count: int
    threshold: int
    # Respondents in no shown figure except "Everyone" (no group, groups not asked for, and
    # suppressed groups not in a shown "Other groups"): 0 or at least ``threshold``.
    remainder: int = 0
    notes: list[str] = field(default_factory=list)


def disclose(
    counts: Mapping[str, int],
    total: int,
    threshold: int,
    wanted: Sequence[str] | None = None,
) -> Disclosure:
    """Decide which of the groups ``wanted`` (default: every group in ``counts``) may be shown.

    ``counts`` is the number of respondents to the poll per stakeholder group (participants with
    no group are not in it); ``total`` is every respondent, grouped or not ("Everyone").

    The rules, in order:
    1. a group with fewer than ``threshold`` respondents is never shown on its own;
    2. the suppressed groups are shown together as "Other groups" only if together they reach
       the threshold;
    3. what the shown figures leave over ("Everyone" minus the shown groups and "Other groups")
       is the answers of the remaining respondents, readable by subtraction: it must be 0 or at
       least the threshold. If it is not, "Other groups" is folded back into the remainder when
       that is enough; otherwise the next smallest shown group is suppressed too, and the rules
       are applied again.

    So every figure that can be read, shown or recovered by subtracting shown figures, is a sum
    of parts (shown groups, "Other groups", the remainder) each of 0 or at least ``threshold``
    respondents: none stands for fewer than the threshold.
    """
    threshold = max(int(threshold), MIN_THRESHOLD)
    order = list(dict.fromkeys(wanted if wanted is not None else counts.keys()))
    size = {key: max(int(counts.get(key, 0)), 0) for key in order}
    # Groups with no respondent carry no answers: never shown, never part of "Other groups".
    present = [key for key in order if size[key] > 0]
    shown = [key for key in present if size[key] >= threshold]
    suppressed = [key for key in present if size[key] < threshold]
    notes: list[str] = []
    while True:
        other = sum(size[key] for key in suppressed)
        rest = total - sum(size[key] for key in shown)
        other_shown = other >= threshold and (rest - other == 0 or rest - other >= threshold)
        remainder = rest - other if other_shown else rest
        if remainder == 0 or remainder >= threshold or not shown:
            break
        # Showing every one of these groups would let the few others be read by subtraction.
        smallest = min(shown, key=lambda key: (size[key], -order.index(key)))
        shown.remove(smallest)
        suppressed.append(smallest)
        notes.append(f"{smallest} suppressed so that no small group can be recovered by subtraction")
    return Disclosure(
        shown=shown,
        suppressed=[key for key in order if key in suppressed],
        other_shown=other_shown,
        other_count=other if other_shown else 0,
        threshold=threshold,
        remainder=remainder,
        notes=notes,
    )

"""Result types shared by the detectors, and :func:`redact`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The order in which kinds are reported to moderators: a safeguarding concern first, then the
# most identifying personal data.
KIND_ORDER: tuple[str, ...] = (
    "grooming", "phone", "email", "link", "handle", "national_id", "disclosure", "abuse",
)  # fmt: skip

# Each kind belongs to one category, which is what moderation rules are about:
# - "personal_data": contact details and ID numbers (phone, e-mail, link, handle, ID);
# - "disclosure": a person named together with where they live or study;
# - "grooming": an adult luring a child (photos, secrecy, gifts, private apps, meeting, ...);
# - "abuse": insults, vulgarity, slurs, threats.
CATEGORY_OF_KIND: dict[str, str] = {
    "phone": "personal_data", "email": "personal_data", "link": "personal_data",
    "handle": "personal_data", "national_id": "personal_data",
    "disclosure": "disclosure", "grooming": "grooming", "abuse": "abuse",
}  # fmt: skip
CATEGORIES: tuple[str, ...] = ("grooming", "personal_data", "disclosure", "abuse")
# Categories that identify a child: in sessions with children they can only be redacted.
PERSONAL_CATEGORIES = frozenset({"personal_data", "disclosure"})
PERSONAL_KINDS = frozenset(k for k, c in CATEGORY_OF_KIND.items() if c in PERSONAL_CATEGORIES)

CATEGORY_LABELS = {
    "grooming": "Possible grooming",
    "personal_data": "Personal data",
    "disclosure": "Says who and where someone is",
    "abuse": "Abusive language",
}

REDACTION = "[removed]"


@dataclass(frozen=True)
class Finding:
    """One problem found in a text.

    ``start``/``end`` index the *original* text (``text[start:end] == match``).
    """

    kind: str  # "phone" | "email" | "link" | "handle" | "national_id" | "disclosure" | ...
    reason: str  # short human text for the moderator
    start: int
    end: int
    match: str

    @property
    def category(self) -> str:
        """``"personal_data"``, ``"disclosure"``, ``"grooming"`` or ``"abuse"``."""
        return CATEGORY_OF_KIND.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "category": self.category,
            "reason": self.reason,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything :func:`roundtable.safety.check_text` found, ordered by position."""

    findings: tuple[Finding, ...] = ()

    @property
    def flagged(self) -> bool:
        """True when the text must be held for a moderator."""
        return bool(self.findings)

    @property
    def categories(self) -> list[str]:
        """The categories found, in :data:`CATEGORIES` order."""
        found = {f.category for f in self.findings}
        return [c for c in CATEGORIES if c in found] + sorted(found - set(CATEGORIES))

    def has(self, category: str) -> bool:
        return any(f.category == category for f in self.findings)

    @property
    def reasons(self) -> list[str]:
        """Unique human-readable reasons, grouped in :data:`KIND_ORDER`."""
        seen: list[str] = []
        for kind in KIND_ORDER:
            for f in self.findings:
                if f.kind == kind and f.reason not in seen:
                    seen.append(f.reason)
        for f in self.findings:  # kinds this module does not know about, if any
            if f.reason not in seen:
                seen.append(f.reason)
        return seen


def redact(text: str, findings: CheckResult | Iterable[Finding]) -> str:
    """Replace every finding's span in ``text`` with ``"[removed]"``.

    Overlapping or touching spans are merged first, so each removed stretch of text
    becomes a single ``[removed]``. ``findings`` may be a :class:`CheckResult` or any
    iterable of :class:`Finding` (spans are clamped to the text).
    """
    if isinstance(findings, CheckResult):
        findings = findings.findings
    n = len(text)
    spans = sorted(
        (max(0, min(f.start, n)), max(0, min(f.end, n))) for f in findings if f.end > f.start
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(text[pos:start])
        out.append(REDACTION)
        pos = end
    out.append(text[pos:])
    return "".join(out)

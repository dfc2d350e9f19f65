"""Result types shared by the detectors, and :func:`redact`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The order in which kinds are reported to moderators (most identifying first).
KIND_ORDER: tuple[str, ...] = ("phone", "email", "link", "handle", "national_id", "abuse")
PERSONAL_KINDS = frozenset(KIND_ORDER[:-1])

REDACTION = "[removed]"


@dataclass(frozen=True)
class Finding:
    """One problem found in a text.

    ``start``/``end`` index the *original* text (``text[start:end] == match``).
    """

    kind: str  # "phone" | "email" | "link" | "handle" | "national_id" | "abuse"
    reason: str  # short human text for the moderator
    start: int
    end: int
    match: str


@dataclass(frozen=True)
class CheckResult:
    """Everything :func:`roundtable.safety.check_text` found, ordered by position."""

    findings: tuple[Finding, ...] = ()

    @property
    def flagged(self) -> bool:
        """True when the text must be held for a moderator."""
        return bool(self.findings)

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

"""Grooming and luring: what an adult says to draw a child in, in English, Kiswahili and Sheng.

The signals (patterns in ``grooming/patterns.txt``, a data file with a small macro syntax):
requests for photos or videos of the child, secrecy ("don't tell your parents", "delete our
chat", "usimwambie mtu"), offers of money, airtime, M-Pesa or gifts, moving to a private app,
meeting offline, questions about age or being alone, and flattery about maturity.

One signal is enough to hold a text: a groomer needs only one message to start. Texts that talk
*about* grooming pass: questions on how to spot it, report it or what the law says ("How do I
report someone who sends my child money on M-Pesa?", "Mtoto afanye nini akiombwa picha?"), and
advice to keep a password secret. Organisers may add phrases of their own per event.

All patterns are compiled once into one alternation per signal; each is a linear scan.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from .findings import Finding
from .normalize import NormalizedText, normalize

_PACKAGE = __name__.rpartition(".")[0]
REASON_PREFIX = "Possible grooming: "
REASON_EXTRA = REASON_PREFIX + "matches a phrase the organisers listed"

# Talk about grooming, not grooming: how to spot, report or stop it.
_ABOUT = re.compile(
    r"""\b(?:groom(?:ing|er|ers|ed|s)?|predators?|offenders?|perpetrators?|abusers?|
        paedophiles?|pedophiles?|sextortion|report(?:ed|ing|s)?|ripoti|kuripoti|tunaripoti|
        nitaripoti|anaripoti|wanaripoti|signs?\s+of|warning\s+signs|red\s+flags?|dalili|sheria|
        the\s+law|laws|legal|illegal|police|polisi|is\s+(?:that|this|it)\s+(?:grooming|normal|ok|safe)|
        what\s+should\s+(?:i|we|a\s+child|children|parents|they)|who\s+do\s+i\s+tell|
        nifanye\s+nini|afanye\s+nini|tufanye\s+nini|wafanye\s+nini|
        how\s+(?:do|can|should)\s+(?:we|i|parents|teachers|schools|children|kids)\s+
          (?:report|stop|spot|warn|protect|teach|respond|deal|tell|know|help)|
        tunawezaje|wazazi\s+wafundishwe|warn\s+(?:children|kids)|rubuni|anayemrubuni)\b""",
    re.VERBOSE,
)
_ADVICE_AFTER = re.compile(r"\W*(?:\w+\W+){0,3}?(?:password|passwords|pin|passcode|nenosiri|neno\s+siri)\b")


@dataclass(frozen=True)
class Signal:
    name: str
    reason: str
    body: str  # the alternation of the signal's patterns


def parse_patterns(text: str) -> list[tuple[str, str, list[str]]]:
    """``[(signal, reason, [regex, ...])]`` from the patterns file (macros expanded)."""
    macros: dict[str, str] = {}
    groups: list[tuple[str, str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            name, _, value = line[1:].partition("=")
            macros[name.strip()] = value.strip()
            continue
        if line.startswith("["):
            name, _, reason = line[1:].partition("]")
            groups.append((name.strip(), reason.strip(), []))
            continue
        if not groups:
            raise ValueError(f"pattern outside a [signal] group: {line!r}")
        expanded = re.sub(r"\{(\w+)\}", lambda m: f"(?:{macros[m.group(1)]})", line)
        groups[-1][2].append(expanded)
    return groups


@functools.cache
def signals() -> tuple[Signal, ...]:
    path = resources.files(_PACKAGE).joinpath("grooming", "patterns.txt")
    out = []
    for name, reason, patterns in parse_patterns(path.read_text(encoding="utf-8")):
        body = "|".join(f"(?:{p})" for p in patterns)
        out.append(Signal(name, REASON_PREFIX + reason[:1].lower() + reason[1:], body))
    return tuple(out)


@functools.cache
def _combined() -> tuple[re.Pattern[str], dict[str, Signal]]:
    """Every signal in one pattern (a named group each): one scan of the text, not six."""
    by_group = {f"s{i}": sig for i, sig in enumerate(signals())}
    joined = "|".join(f"(?P<{group}>{sig.body})" for group, sig in by_group.items())
    return re.compile(r"(?<!\w)(?:" + joined + ")"), by_group


@functools.lru_cache(maxsize=32)
def _extra_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for phrase in phrases:
        words = normalize(phrase).text.split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)")


def extra_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    if isinstance(phrases, str):
        phrases = (phrases,)
    return _extra_pattern(tuple(sorted({p.strip() for p in phrases if p and p.strip()})))


def is_about_grooming(text: str) -> bool:
    """True for talk about grooming (spotting, reporting, the law) rather than grooming."""
    return _ABOUT.search(text) is not None


def find_grooming(nt: NormalizedText, extra_phrases: Iterable[str] = ()) -> list[Finding]:
    text = nt.text
    if is_about_grooming(text):
        return []
    spans: list[tuple[int, int, str]] = []
    pattern, by_group = _combined()
    for m in pattern.finditer(text):
        signal = by_group[m.lastgroup or ""]
        s, e = m.span()
        while s < e and not text[s].isalnum():
            s += 1  # the "," that may start an "app" pattern
        if signal.name == "secret" and _ADVICE_AFTER.match(text, e):
            continue  # "don't tell anyone your password" is advice
        if e > s:
            spans.append((s, e, signal.reason))
    extra = extra_pattern(extra_phrases)
    if extra is not None:
        spans.extend((m.start(), m.end(), REASON_EXTRA) for m in extra.finditer(text))
    findings = []
    for s, e, reason in sorted(spans):
        os_, oe = nt.span(s, e)
        findings.append(Finding("grooming", reason, os_, oe, nt.original[os_:oe]))
    return findings

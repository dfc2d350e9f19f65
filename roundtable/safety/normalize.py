"""A lower-cased, de-obfuscated view of a text that remembers where each character came from.

Every detector in this package searches the *normalised* text, so it never has to care
about upper case, full-width digits, accents, look-alike Cyrillic letters or invisible
zero-width characters that someone slipped between letters. Findings must still point
into the *original* text (that is what moderators see and what :func:`redact` edits), so
:class:`NormalizedText` keeps, for every normalised character, the index of the original
character it came from.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing and are used to break up words ("f\u200buck").
_INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # arabic letter mark
    "\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/joiners, lrm/rlm
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner and invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u3164\ufeff\uffa0"
)

# Latin look-alikes from Cyrillic and Greek, after case folding. Only the letters that are
# practically indistinguishable in common fonts; this is not a full confusables table.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t",
    "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Latin variants that NFKD leaves alone
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ɡ": "g", "ɑ": "a",
}  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Normalise one character: case-fold, compatibility-decompose, drop accents."""
    if ch in _INVISIBLE:
        return ""
    out = []
    for c in unicodedata.normalize("NFKD", ch.casefold()):
        if unicodedata.combining(c):
            continue
        out.append(_CONFUSABLES.get(c, c))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` is the normalised form of ``original``; ``index[i]`` is the original
    position of ``text[i]`` (``None`` means the identity mapping, for plain ASCII)."""

    original: str
    text: str
    index: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` back onto :attr:`original`."""
        if self.index is None:
            return start, end
        if end <= start:
            pos = self.index[start] if start < len(self.index) else len(self.original)
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


def normalize(text: str) -> NormalizedText:
    """Build the normalised view of ``text``. Plain ASCII takes a fast path."""
    if text.isascii():
        return NormalizedText(text, text.lower(), None)
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for c in folded:
            chars.append(c)
            index.append(i)
    return NormalizedText(text, "".join(chars), tuple(index))

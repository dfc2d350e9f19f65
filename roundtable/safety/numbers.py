"""Phone numbers written in any shape: grouped in pairs or single digits, with brackets, dots,
slashes or dashes between the groups, spelled out in English or Kiswahili number words
("zero seven double two ...", "sifuri saba mbili ..."), or mixed ("07 two two 345 678",
"07one2", "O7I2").

The text is read as a sequence of *number units* (a run of digits, a number word, a letter O or
I standing in for a digit inside a token that has digits, "double"/"triple"/Sheng "dabo") joined
by short separators. Any other word, a colon (times) or a long gap ends the sequence. Inside a
sequence, a Kenyan phone number is a stretch of digits that starts and ends on unit boundaries
and has one of the shapes ``0[17]xxxxxxxx``, ``254[17]xxxxxxxx`` (``2540...`` too) or, when
written with words or separators, a bare ``7xxxxxxxx``.

What passes: toll-free ``0800`` lines and short codes (116, 1195, 22555) have other shapes;
dates ("01.10.2024") are masked first; sums of money are not read as bare numbers.

Linear in the text length: one regex scan for tokens, then a bounded look at each start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WORD_DIGITS = {
    # English
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9",
    # Kiswahili (and the usual spellings)
    "sifuri": "0", "sufuri": "0", "ziro": "0", "moja": "1", "mbili": "2", "tatu": "3",
    "nne": "4", "tano": "5", "sita": "6", "saba": "7", "nane": "8", "tisa": "9",
}  # fmt: skip
# "double two" = 22; Sheng spells it dabo/dubo.
REPEATERS = {"double": 2, "dabo": 2, "dubo": 2, "dbl": 2, "triple": 3, "tripo": 3}
# Letters that stand for digits inside a token that also has digits ("O7I2").
LETTER_DIGITS = {"o": "0", "i": "1", "l": "1"}

_TOKEN = re.compile(r"[a-z0-9]+")
_ALPHA = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_PIECE = re.compile(r"[0-9]+|[a-z]+")
# What may stand between two units of one number: spaces, dots, dashes, slashes, brackets,
# commas, a plus; at most a few characters. A colon ("09:30") or a word ends the number.
_GAP = re.compile(r"[\s.\-/()\[\],+_*]{0,4}")
_DATE = re.compile(r"(?<!\d)(?<!\d[./\-])\d{1,2}([./\-])\d{1,2}\1(?:\d{4}|\d{2})(?![./\-]?\d)")
_MONEY_BEFORE = re.compile(r"(?:ksh|kshs|kes|sh|shs|usd|us\$|\$|€|£|shillings?|bob)\.?\s*$")
_MONEY_AFTER = re.compile(r"^\s*(?:/=|/-|bob\b|shillings?\b|ksh\b|kes\b|dollars?\b|usd\b|million|billion)")
_PHONE_SHAPES = re.compile(r"0[17]\d{8}|2540?[17]\d{8}|7\d{8}")
_LENGTHS = (13, 12, 10, 9)


class _Unit:
    __slots__ = ("digits", "start", "end", "spelled")

    def __init__(self, digits: str, start: int, end: int, spelled: bool) -> None:
        self.digits = digits
        self.start = start
        self.end = end
        self.spelled = spelled


def _units_of(token: str, start: int) -> list[_Unit] | None:
    """The number units of one token, or None if it is an ordinary word."""
    if token.isalpha() and token not in WORD_DIGITS and token not in REPEATERS:
        return None  # the common case: an ordinary word
    if token in WORD_DIGITS:
        return [_Unit(WORD_DIGITS[token], start, start + len(token), True)]
    if token in REPEATERS:
        return [_Unit("", start, start + len(token), True)]  # applied to the next unit
    pieces = list(_PIECE.finditer(token))
    if len(pieces) == 1 and pieces[0].group().isdigit():
        return [_Unit(token, start, start + len(token), False)]
    if not any(p.group().isdigit() for p in pieces):
        return None
    units = []
    for p in pieces:
        s = start + p.start()
        part = p.group()
        if part.isdigit():
            units.append(_Unit(part, s, s + len(part), False))
        elif part in WORD_DIGITS:
            units.append(_Unit(WORD_DIGITS[part], s, s + len(part), True))
        elif all(c in LETTER_DIGITS for c in part):
            units.append(_Unit("".join(LETTER_DIGITS[c] for c in part), s, s + len(part), True))
        else:
            return None  # "a55", "10am", "3rd": a model number or a unit, not a phone
    return units


def _sequences(text: str) -> Iterator[list[_Unit]]:
    """Runs of number units joined only by short separators."""
    masked = _DATE.sub(lambda m: "#" * len(m.group()), text)
    run: list[_Unit] = []
    repeat = 1
    prev_end = -1
    for m in _TOKEN.finditer(masked):
        units = _units_of(m.group(), m.start())
        joined = prev_end >= 0 and _GAP.fullmatch(masked, prev_end, m.start()) is not None
        if units is None or not joined:
            if len(run) >= 1:
                yield run
            run, repeat = [], 1
            if units is None:
                prev_end = -1
                continue
        for unit in units:
            if unit.digits == "":
                repeat = REPEATERS.get(text[unit.start : unit.end], 2)
                continue
            if repeat > 1:
                unit.digits *= repeat
                repeat = 1
            run.append(unit)
        prev_end = m.end()
    if run:
        yield run


def find_phone_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans (in ``text``, already normalised) of phone numbers in unusual shapes."""
    # A phone number has 9 digits or more; a number word stands for at most three ("triple").
    digits = len(_DIGIT.findall(text))
    if digits < 9:
        words = sum(1 for w in _ALPHA.findall(text) if w in WORD_DIGITS or w in REPEATERS)
        if digits + 3 * words < 9:
            return
    for run in _sequences(text):
        total = sum(len(u.digits) for u in run)
        if total < 9:
            continue
        digits = "".join(u.digits for u in run)
        # where each unit starts in ``digits``
        offsets = []
        pos = 0
        for u in run:
            offsets.append(pos)
            pos += len(u.digits)
        ends = {off + len(u.digits): k for k, (off, u) in enumerate(zip(offsets, run, strict=True))}
        i = 0
        while i < len(run):
            off = offsets[i]
            found = False
            for length in _LENGTHS:
                k = ends.get(off + length)
                if k is None or k < i:
                    continue
                candidate = digits[off : off + length]
                if not _PHONE_SHAPES.fullmatch(candidate):
                    continue
                units = run[i : k + 1]
                if candidate[0] == "7" and not _bare_ok(text, units):
                    continue
                yield units[0].start, units[-1].end
                i = k + 1
                found = True
                break
            if not found:
                i += 1


def _bare_ok(text: str, units: list[_Unit]) -> bool:
    """A bare 7xx xxx xxx is a phone when it is not money and was not typed as one number."""
    s, e = units[0].start, units[-1].end
    if _MONEY_BEFORE.search(text[max(0, s - 10) : s]) or _MONEY_AFTER.match(text[e : e + 12]):
        return False
    return len(units) > 1

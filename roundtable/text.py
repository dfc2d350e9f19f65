"""The one normalisation every stored text goes through: questions, answers, words, nicknames,
names, options, titles, reasons, help messages, event and session texts.

``neutralise(text)`` returns the text as people meant it, with what could mislead or break removed:

- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
  direction marks (U+200E, U+200F, U+061C): they make a projected text read differently from what
  the moderator approved ("Trojan Source");
- invisible characters that split words or fake empty names: zero-width space, word joiner and
  invisible operators, BOM, soft hyphen, combining grapheme joiner, the Hangul and Mongolian
  fillers, interlinear annotation marks. Zero-width (non-)joiners stay: emoji sequences and
  several scripts need them;
- control characters (C0, DEL, C1), NUL included (PostgreSQL cannot store it); tabs and line
  breaks stay (each field then folds spacing its own way);
- lone surrogates, which are not text (they cannot be encoded): replaced by U+FFFD, so a help
  message that carries one still arrives.

It is applied at the boundary (``roundtable.schemas`` runs it on every string of every socket
payload and form) and again by the business functions that store text, so nothing stored ever
carries these characters, whoever calls them. It is linear and allocation-free for plain text.
"""

from __future__ import annotations

import re

_REMOVED = (
    "\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # control characters but \t \n \r
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200e\u200f"  # zero-width space, direction marks
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u2069"  # word joiner, invisible operators, bidi isolates
    "\u3164\ufeff\uffa0\ufff9-\ufffb"
)
_STRIP = re.compile(f"[{_REMOVED}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def neutralise(text: str) -> str:
    if text.isascii():
        # Plain ASCII (most answers): only control characters can be there.
        return _STRIP.sub("", text) if not text.isprintable() else text
    text = _SURROGATE.sub("\ufffd", text)
    return _STRIP.sub("", text)


def one_line(text: str) -> str:
    """``neutralise``, then every run of white space (line breaks too) as one space."""
    return " ".join(neutralise(text).split())

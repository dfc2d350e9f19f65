"""Fitting text on a feature phone: the GSM alphabet, 182-character USSD screens, paged lists.

A USSD screen is at most ``MAX_SCREEN`` characters, ``CON ``/``END `` included. Characters
outside the GSM 7-bit alphabet would switch the whole screen to UCS-2 and halve what fits (or
show as boxes on old phones), so text is folded to GSM first ("16–17" becomes "16-17").
Lists that do not fit page with ``98 More`` / ``0 Back``; an item keeps its number on every
page, so a number always means the same thing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_SCREEN = 182
MAX_SMS = 160
MORE = "98"
BACK = "0"

# The GSM 03.38 basic character set (the escape-table characters cost two: left out).
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_FOLD = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\t": " ",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "~": "-",
    "^": "",
    "|": "/",
    "\\": "/",
    "€": "EUR",
}


def gsm(text: str) -> str:
    """``text`` in the GSM 7-bit basic alphabet: known look-alikes folded, accents dropped
    where the alphabet lacks them, anything else replaced by ``?``."""
    out = []
    for ch in text:
        if ch in _GSM:
            out.append(ch)
            continue
        if ch in _FOLD:
            out.append(_FOLD[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(c in _GSM for c in base) else "?")
    return "".join(out)


def clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word where possible, with "..."."""
    text = " ".join(gsm(text).split())
    if len(text) <= limit:
        return text
    if limit <= 3:
        return text[:limit]
    cut = text[: limit - 3]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "..."


@dataclass
class Page:
    body: str
    has_more: bool
    first: int  # the number of the page's first item
    last: int


def paged(
    header: str,
    items: list[str],
    page: int,
    *,
    more: str,
    back: str | None,
    prefix: str = "CON ",
    label_limit: int = 56,
    header_limit: int = 100,
) -> Page:
    """Page ``page`` (from 0) of a numbered list under ``header``, fitting one screen.

    Items are numbered 1..n across pages. ``back`` (e.g. "0 Back") is the last line of every
    page when given; ``more`` ("98 More") is shown when later pages exist.
    """
    header = "\n".join(clip(line, header_limit) for line in header.split("\n") if line.strip())
    lines = [f"{n} {clip(label, label_limit)}" for n, label in enumerate(items, 1)]
    pages: list[tuple[int, int]] = []
    start = 0
    while start < len(lines) or not pages:
        end = start
        footer = [back] if back else []
        while end < len(lines):
            trial_more = end + 1 < len(lines)
            candidate = [header, *lines[start : end + 1], *([more] if trial_more else []), *footer]
            if len(prefix + "\n".join(x for x in candidate if x)) > MAX_SCREEN:
                break
            end += 1
        if end == start and start < len(lines):
            # Not even one item fits with this header: cut the item to what is left.
            room = MAX_SCREEN - len(prefix + header) - 2 - len(more) - sum(len(f) + 1 for f in footer)
            lines[start] = clip(lines[start], max(room, 8))
            end = start + 1
        pages.append((start, end))
        if end >= len(lines):
            break
        start = end
    page = max(0, min(page, len(pages) - 1))
    start, end = pages[page]
    has_more = page + 1 < len(pages)
    body = "\n".join(
        x for x in [header, *lines[start:end], *([more] if has_more else []), *([back] if back else [])] if x
    )
    return Page(body=body, has_more=has_more, first=start + 1, last=end)


def page_count(header: str, items: list[str], **kwargs) -> int:
    count = 0
    while True:
        page = paged(header, items, count, **kwargs)
        count += 1
        if not page.has_more:
            return count


def screen(kind: str, *parts: str, footer: tuple[str, ...] = ()) -> str:
    """``CON``/``END`` and the non-empty parts, one per line, fitting one screen: the parts are
    cut (from the end) so that the ``footer`` lines (``0 Menu``) always stay."""
    tail = "\n".join(gsm(f) for f in footer if f)
    text = "\n".join(gsm(p) for p in parts if p)
    room = MAX_SCREEN - len(kind) - 1 - (len(tail) + 1 if tail else 0)
    if len(text) > room:
        text = text[: room - 3].rstrip() + "..."
    return f"{kind} " + "\n".join(x for x in (text, tail) if x)

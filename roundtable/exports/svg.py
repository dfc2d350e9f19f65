"""Charts drawn on the server as SVG, so the printed report and its PDF need no JavaScript.

Only presentation attributes (``fill``, ``font-size``), never ``style``: the page's
Content-Security-Policy allows no inline styles. Every text is XML-escaped.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from markupsafe import Markup

WIDTH = 640
LABEL_CHARS = 70
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
INK = "#1d2733"
MUTED = "#5b6673"
TRACK = "#eef1f5"
PALETTE = ["#1f4e79", "#2a9d8f", "#e9a23b", "#7b5ea7", "#c8553d", "#6c8ead"]


def _text(x: float, y: float, text: str, *, size: int = 11, fill: str = INK, anchor: str = "start",
          weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return lines


def _svg(height: float, body: list[str], title: str) -> Markup:
    # Safe: every text in ``body`` went through ``escape`` in ``_text``; the rest is our numbers.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        + "".join(body)
        + "</svg>"
    )


def bars(rows: list[tuple[str, float, str]], *, title: str = "", maximum: float | None = None,
         color: str = PALETTE[0], highlight: set[int] | None = None) -> Markup:
    """Horizontal bars: ``(label, value, shown value)`` per row, the label above its bar."""
    top = maximum if maximum else max((v for _, v, _ in rows), default=0) or 1
    body: list[str] = []
    y = 4.0
    track = WIDTH - 70
    for index, (label, value, shown) in enumerate(rows):
        for line in _lines(label):
            y += 14
            body.append(_text(0, y, line))
        y += 5
        body.append(f'<rect x="0" y="{y:.1f}" width="{track}" height="14" rx="3" fill="{TRACK}"/>')
        fill = PALETTE[2] if highlight and index in highlight else color
        width = max(track * (value / top), 2 if value else 0)
        body.append(f'<rect x="0" y="{y:.1f}" width="{width:.1f}" height="14" rx="3" fill="{fill}"/>')
        body.append(_text(track + 8, y + 11, shown, weight="bold"))
        y += 22
    return _svg(y + 2, body, title)


def compact_bars(rows: list[tuple[str, float, str]], *, title: str = "", label_width: int = 230) -> Markup:
    """One line per row, the label left of its bar: for short labels (groups, counts)."""
    top = max((v for _, v, _ in rows), default=0) or 1
    track = WIDTH - label_width - 50
    body: list[str] = []
    y = 2.0
    for label, value, shown in rows:
        short = textwrap.shorten(label, 38, placeholder="…")
        body.append(_text(label_width - 8, y + 11, short, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y:.1f}" width="{track}" height="14" rx="3" fill="{TRACK}"/>'
        )
        if value:
            width = max(track * value / top, 2)
            body.append(f'<rect x="{label_width}" y="{y:.1f}" width="{width:.1f}" height="14" rx="3" '
                        f'fill="{PALETTE[1]}"/>')
        body.append(_text(label_width + track + 8, y + 11, shown, weight="bold"))
        y += 20
    return _svg(y + 2, body, title)


def grouped_bars(items: list[str], columns: list[tuple[str, list[float]]], *, fmt: str = "{:.0%}",
                 maximum: float | None = None, title: str = "") -> Markup:
    """One bar per column (stakeholder group) for each item, with a legend: the comparison of
    what children said beside what duty bearers said."""
    values = [v for _, vs in columns for v in vs if v is not None]
    top = maximum if maximum else max(values, default=0) or 1
    body: list[str] = []
    x = 0.0
    for n, (label, _) in enumerate(columns):
        color = PALETTE[n % len(PALETTE)]
        body.append(f'<rect x="{x:.1f}" y="4" width="12" height="12" rx="2" fill="{color}"/>')
        short = textwrap.shorten(label, 44, placeholder="…")
        body.append(_text(x + 17, 14.5, short, size=10.5, fill=MUTED))
        x += 28 + 6.0 * len(short)
    y = 26.0
    track = WIDTH - 70
    for i, item in enumerate(items):
        for line in _lines(item):
            y += 14
            body.append(_text(0, y, line))
        y += 4
        for n, (_, vs) in enumerate(columns):
            value = vs[i] if i < len(vs) else None
            color = PALETTE[n % len(PALETTE)]
            body.append(f'<rect x="0" y="{y:.1f}" width="{track}" height="10" rx="2" fill="{TRACK}"/>')
            if value:
                body.append(
                    f'<rect x="0" y="{y:.1f}" width="{max(track * value / top, 2):.1f}" height="10" '
                    f'rx="2" fill="{color}"/>'
                )
            body.append(_text(track + 8, y + 9, "–" if value is None else fmt.format(value), size=10))
            y += 13
        y += 6
    return _svg(y + 2, body, title)


def word_cloud(words: list[tuple[str, int]], *, title: str = "") -> Markup:
    """The words in rows, sized by how often they were given (largest first)."""
    if not words:
        return Markup("")
    top = max(n for _, n in words) or 1
    body: list[str] = []
    x, y, row_height = 0.0, 0.0, 0.0
    for index, (word, n) in enumerate(words):
        size = 12 + 22 * (n / top) ** 0.8
        width = 0.6 * size * len(word) + 18
        if x + width > WIDTH:
            x, y = 0.0, y + row_height
            row_height = 0.0
        row_height = max(row_height, size * 1.35)
        color = PALETTE[index % 4]
        weight = "bold" if n == top else "normal"
        body.append(_text(x, y + size, word, size=round(size), fill=color, weight=weight))
        x += width
    return _svg(y + row_height + 4, body, title)

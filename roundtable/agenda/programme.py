"""The built-in event: the two-day roundtable on child online safety (shared/PROGRAMME.md).

Its programme is a file of the documented programme format (``programmes/roundtable-2026.json``,
see docs/programme.md), loaded by ``seed`` through the same import as an organiser's file, so that
facilitators' later edits happen in the database and the file stays the record of what a fresh
install starts with.
"""

from __future__ import annotations

from .programme_file import BUILTIN

# What a participant sees when an event gives no helpline of its own.
HELPLINE = (
    "If you or a child you know needs help, call Childline Kenya on 116 (free, 24 hours), "
    "or talk to a facilitator."
)

__all__ = ["BUILTIN", "HELPLINE"]

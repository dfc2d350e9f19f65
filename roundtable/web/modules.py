"""The browser modules a page loads, so that its template can preload them all at once.

A page's entry module (static/js/participant.js, ...) imports the panels and poll kinds it needs;
fetched one import after another that is several round trips on a slow phone link. Templates call
``browser_modules("participant.js")`` and emit one ``<link rel="modulepreload">`` per module, so the
browser fetches the whole graph in parallel. The graph is read from the modules' own ``import ...
from "..."`` lines once per process: adding a module (a poll kind, a panel) needs no list to edit.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']""", re.M
)


@lru_cache(maxsize=16)
def module_graph(js_folder: str, entry: str) -> tuple[str, ...]:
    """Every module reachable from ``entry`` (paths relative to ``js_folder``), entry first."""
    root = Path(js_folder)
    seen: list[str] = []
    stack = [entry]
    while stack:
        module = stack.pop()
        if module in seen or not (root / module).is_file():
            continue
        seen.append(module)
        source = (root / module).read_text(encoding="utf-8")
        folder = posixpath.dirname(module)
        for match in _IMPORT.finditer(source):
            stack.append(posixpath.normpath(posixpath.join(folder, match.group(1) or match.group(2))))
    return (seen[0], *sorted(seen[1:])) if seen else ()

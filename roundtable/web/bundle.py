"""One file for a page's whole module graph, made by the server when it starts (no build step).

A phone on a slow link pays for every request: ~300 bytes of headers, and on HTTP/1.1 at most six
at a time. The phone page's entry module imports some thirty small modules (one per panel and per
poll kind), so ``bundle(js_root, "participant.js")`` joins them into one ES module, which
web/assets.py serves in place of ``js/participant.js``.

Each module becomes a block of its own (its top-level names stay its own), evaluated in the
order the browser would (depth first, in import order, each after what it imports); its exports
go into a table, and each ``import { a, b } from "./x.js"`` becomes ``const { a, b } =`` that
table. It relies on what the browser code keeps to (tests/test_browser_layout.py): imports are
acyclic (an import circle is refused here too), and exports are declarations (``export function
f``, ``export const c``, ``export default``), never reassigned ``let``s (importers get the
value, not a live binding); anything else is refused with ``BundleError``. The sources keep
their modules: only the served copy is joined. ``import.meta.url`` stays right because the bundle
is served from the entry's folder.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

_IMPORT = re.compile(
    r"""^[ \t]*import\s+(?:(?P<default>[A-Za-z_$][\w$]*)\s+from\s+|\{(?P<names>[^}]*)\}\s*from\s+|)"""
    r"""["'](?P<spec>[^"']+)["'];?[ \t]*$""",
    re.M | re.S,
)
_EXPORT_NAME = re.compile(
    r"^export\s+(?:async\s+)?(?:function\*?|const|let|class|var)\s+([A-Za-z_$][\w$]*)", re.M
)
_EXPORT_DEFAULT = re.compile(r"^export\s+default\s+", re.M)
_EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b|var\b)", re.M)


class BundleError(ValueError):
    pass


def _default_name(module: str) -> str:
    return "__default_" + re.sub(r"\W", "_", module)


def bundle(js_root: Path, entry: str) -> str:
    order: list[str] = []
    sources: dict[str, str] = {}
    visiting: set[str] = set()

    def visit(module: str) -> None:
        if module in order:
            return
        if module in visiting:
            raise BundleError(f"import circle through {module}")
        visiting.add(module)
        path = js_root / module
        if not path.is_file():
            raise BundleError(f"{module} is imported but missing")
        source = path.read_text(encoding="utf-8")
        sources[module] = source
        folder = posixpath.dirname(module)
        for match in _IMPORT.finditer(source):
            visit(posixpath.normpath(posixpath.join(folder, match.group("spec"))))
        visiting.discard(module)
        order.append(module)

    visit(entry)
    parts = ["const __modules = {};"]
    for module in order:
        source = sources[module]
        folder = posixpath.dirname(module)

        def replace_import(match: re.Match, folder: str = folder) -> str:
            target = json.dumps(posixpath.normpath(posixpath.join(folder, match.group("spec"))))
            if match.group("default"):
                return f"const {match.group('default')} = __modules[{target}].default;"
            names = match.group("names")
            return f"const {{{names}}} = __modules[{target}];" if names else ""

        body = _IMPORT.sub(replace_import, source)
        exported = _EXPORT_NAME.findall(body)
        body = _EXPORT.sub("", body)
        body, defaults = _EXPORT_DEFAULT.subn("const __default = ", body)
        if defaults > 1:
            raise BundleError(f"{module} has {defaults} default exports")
        if re.search(r"^\s*(?:import|export)\b(?!\.meta)", body, re.M):
            raise BundleError(f"{module}: an import or export form the bundler does not know")
        table = ", ".join([*exported, *(["default: __default"] if defaults else [])])
        # Each module in a block of its own: its top-level names stay its own, as in a module.
        parts.append(f"// --- {module}\n{{\n{body}\n__modules[{json.dumps(module)}] = {{ {table} }};\n}}")
    return "\n".join(parts)

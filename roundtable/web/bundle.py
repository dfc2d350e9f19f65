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

A dynamic ``import("./x.js")`` (a literal path) marks code the page loads on demand, not at
first paint: ``chunks(js_root, entry)`` lists those modules, and ``bundle(js_root, "x.js",
skip=...)`` joins one of them with what it imports that the entry does not (served at
``js/+x.js``, see ``chunk_name``; web/assets.py). The joined files share one module table
(``globalThis.__roundtableModules``), so a module the entry already ran is not run again, and
``import("./x.js")`` becomes ``__chunk("x.js")``, a promise of that table entry, as
``import()`` gives a module's exports. Two chunks may join the same module: the first to arrive
runs it, the other finds it in the table.
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
_DYNAMIC = re.compile(r"""\bimport\(\s*["'](?P<spec>\.{1,2}/[^"']+)["']\s*\)""")
# A chunk is served beside the entry, under a flat name ("+kinds~rating-widget.js"), so that
# relative URLs in it (import.meta.url, __chunk) resolve as they do in the entry; the entry's
# query (its language) comes along.
_PRELUDE = (
    "const __modules = (globalThis.__roundtableModules ||= {});\n"
    "const __chunk = (m) => import(new URL("
    "`+${m.replaceAll(\"/\", \"~\")}${new URL(import.meta.url).search}`, import.meta.url)"
    ").then(() => __modules[m]);"
)


def chunk_name(module: str) -> str:
    """Where the chunk of ``module`` is served, in the entry's folder."""
    return "+" + module.replace("/", "~")


class BundleError(ValueError):
    pass


def _default_name(module: str) -> str:
    return "__default_" + re.sub(r"\W", "_", module)


def _resolve(folder: str, spec: str) -> str:
    return posixpath.normpath(posixpath.join(folder, spec))


def graph(js_root: Path, entry: str) -> tuple[list[str], dict[str, str]]:
    """The modules ``entry`` imports statically, in the order the browser runs them, and their
    sources."""
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
            visit(_resolve(folder, match.group("spec")))
        visiting.discard(module)
        order.append(module)

    visit(entry)
    return order, sources


def chunks(js_root: Path, entry: str) -> list[str]:
    """Every module that ``entry``'s code loads on demand (``import("./x.js")``), directly or
    from another such module, in the order met."""
    found: list[str] = []
    todo = [entry]
    seen: set[str] = set()
    while todo:
        order, sources = graph(js_root, todo.pop(0))
        for module in order:
            if module in seen:
                continue
            seen.add(module)
            folder = posixpath.dirname(module)
            for match in _DYNAMIC.finditer(sources[module]):
                target = _resolve(folder, match.group("spec"))
                if target not in found and target != entry:
                    found.append(target)
                    todo.append(target)
    return found


def bundle(js_root: Path, entry: str, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """``entry`` and what it imports, as one module; with ``skip`` (the modules of the page's
    entry), a chunk: only what the page has not run yet."""
    order, sources = graph(js_root, entry)
    parts = [_PRELUDE]
    for module in order:
        if module in skip:
            continue
        source = sources[module]
        folder = posixpath.dirname(module)

        def replace_import(match: re.Match, folder: str = folder) -> str:
            target = json.dumps(_resolve(folder, match.group("spec")))
            if match.group("default"):
                return f"const {match.group('default')} = __modules[{target}].default;"
            names = match.group("names")
            return f"const {{{names}}} = __modules[{target}];" if names else ""

        def replace_dynamic(match: re.Match, folder: str = folder) -> str:
            return f"__chunk({json.dumps(_resolve(folder, match.group('spec')))})"

        body = _IMPORT.sub(replace_import, source)
        body = _DYNAMIC.sub(replace_dynamic, body)
        exported = _EXPORT_NAME.findall(body)
        body = _EXPORT.sub("", body)
        body, defaults = _EXPORT_DEFAULT.subn("const __default = ", body)
        if defaults > 1:
            raise BundleError(f"{module} has {defaults} default exports")
        unknown = re.search(r"^\s*(?:import|export)\b(?!\.meta)", body, re.M)
        if unknown or re.search(r"\bimport\(\s*[^\s)\"']", body):  # import(variable): no chunk for it
            raise BundleError(f"{module}: an import or export form the bundler does not know")
        table = ", ".join([*exported, *(["default: __default"] if defaults else [])])
        key = json.dumps(module)
        # Each module in a block of its own: its top-level names stay its own, as in a module;
        # a chunk's block runs only if no other file of the page ran that module already.
        guard = f"if (!({key} in __modules)) " if skip else ""
        parts.append(f"// --- {module}\n{guard}{{\n{body}\n__modules[{key}] = {{ {table} }};\n}}")
    return "\n".join(parts)

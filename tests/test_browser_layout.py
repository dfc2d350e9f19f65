"""The browser code's layout stays small and flat (see the README's architecture section).

- no module in static/js is over 600 lines;
- no name is defined at the top level of two modules (a helper, a table, a class is written
  once and imported where it is needed);
- the modules' import graph has no circles;
- the poll kinds of the browser (static/js/kinds/index.js) are those of the server
  (roundtable/polls/kinds.py KINDS), with the same names, labels and renderers, one module each;
- each page preloads exactly the modules its entry module imports (roundtable/web/modules.py).

The modules are read with a small scanner (below) that skips comments, strings, template
literals and regular expressions and tracks bracket depth: enough for plain modules, with no
JavaScript toolchain needed to run the tests.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from roundtable.polls.kinds import KINDS
from roundtable.web.modules import module_graph

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "static" / "js"
MAX_LINES = 600

# After one of these (or at the start), a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_KEYWORDS = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
}


def modules() -> dict[str, str]:
    """Every browser module by its path under static/js ("kinds/rating.js")."""
    return {p.relative_to(JS).as_posix(): p.read_text(encoding="utf-8") for p in sorted(JS.rglob("*.js"))}


def code_only(source: str) -> str:
    """The source with comments, string and template contents and regex bodies blanked out
    (newlines kept, so that line numbers and depths stay right)."""
    out: list[str] = []
    i, n = 0, len(source)
    last = ""  # the last significant character or word written

    def blank(text: str) -> str:
        return "".join("\n" if ch == "\n" else " " for ch in text)

    while i < n:
        ch = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if ch == "/" and nxt == "/":
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(blank(source[i:end]))
            i = end
        elif ch == "/" and nxt == "*":
            end = source.index("*/", i + 2) + 2
            out.append(blank(source[i:end]))
            i = end
        elif ch in "'\"`":
            j = i + 1
            depth = 0  # ${ ... } inside a template literal
            while j < n:
                c = source[j]
                if c == "\\":
                    j += 2
                    continue
                if ch == "`" and c == "$" and j + 1 < n and source[j + 1] == "{":
                    depth += 1
                    j += 2
                    continue
                if ch == "`" and c == "}" and depth:
                    depth -= 1
                elif c == ch and not depth:
                    break
                j += 1
            out.append(ch + blank(source[i + 1 : j]) + ch)
            i = j + 1
            last = ch
        elif ch == "/" and (not last or last in _REGEX_AFTER or last in _REGEX_KEYWORDS):
            j = i + 1
            in_class = False
            while j < n and (source[j] != "/" or in_class):
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            out.append("/" + blank(source[i + 1 : j]) + "/")
            i = j + 1
            last = "/"
        else:
            word = re.match(r"[A-Za-z_$][\w$]*", source[i:])
            if word:
                out.append(word.group())
                last = word.group()
                i += len(word.group())
                continue
            out.append(ch)
            if not ch.isspace():
                last = ch
            i += 1
    return "".join(out)


def top_level(code: str) -> str:
    """Only what is at bracket depth 0 (each nested block reduced to its brackets)."""
    out: list[str] = []
    depth = 0
    for ch in code:
        if ch in "([{":
            if depth == 0:
                out.append(ch)
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                out.append(ch)
        elif depth == 0 or ch == "\n":
            out.append(ch)
    return "".join(out)


_DECLARATION = re.compile(
    r"^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)|class\s+([A-Za-z_$][\w$]*)"
    r"|(?:const|let|var)\s+([A-Za-z_$][\w$]*))",
    re.M,
)


def definitions(source: str) -> list[str]:
    """The names a module defines at its top level: functions, classes, constants, variables
    (imports are bindings of another module's names, not definitions)."""
    return [next(g for g in m.groups() if g) for m in _DECLARATION.finditer(top_level(code_only(source)))]


_IMPORT = re.compile(
    r"^\s*(?:import|export)\b[^;]*?\bfrom\s+[\"']([^\"']+)[\"']|^\s*import\s+[\"']([^\"']+)[\"']", re.M
)


def imports(path: str, source: str) -> list[str]:
    folder = posixpath.dirname(path)
    specs = [m.group(1) or m.group(2) for m in _IMPORT.finditer(source)]
    return [posixpath.normpath(posixpath.join(folder, spec)) for spec in specs]


def import_graph() -> dict[str, list[str]]:
    return {path: imports(path, source) for path, source in modules().items()}


def reachable(graph: dict[str, list[str]], entry: str) -> set[str]:
    seen: set[str] = set()
    stack = [entry]
    while stack:
        module = stack.pop()
        if module not in seen:
            seen.add(module)
            stack.extend(graph[module])
    return seen


# --- the scanner itself ------------------------------------------------------------------------


def test_scanner_sees_only_top_level_definitions():
    source = """
import { a } from "./a.js";
// function commented() {}
const text = "function inString() {}";
const pattern = /function inRegex\\(\\) {/;
export function outer() {
  function inner() {}
  const local = `${"x"} function inTemplate() {}`;
  return local.split(/\\s+/);
}
export class Box { method() { const x = 1; } }
export default { name: "thing" };
let counter = 0, other = 1;
export const arrow = () => { const nested = 1; };
"""
    assert definitions(source) == ["text", "pattern", "outer", "Box", "counter", "arrow"]
    assert imports("kinds/x.js", source) == ["kinds/a.js"]


# --- the rules -------------------------------------------------------------------------------------


def test_browser_code_exists():
    assert "live.js" in modules()
    assert len(modules()) > 10


@pytest.mark.parametrize("path", sorted(modules()))
def test_no_module_is_over_600_lines(path):
    lines = modules()[path].count("\n")
    assert lines <= MAX_LINES, f"static/js/{path} has {lines} lines: split it (one module per panel)"


def test_no_name_is_defined_in_two_modules():
    where: dict[str, list[str]] = {}
    for path, source in modules().items():
        for name in definitions(source):
            where.setdefault(name, []).append(path)
    twice = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert not twice, f"defined more than once (define once, import elsewhere): {twice}"


def test_imports_resolve_and_have_no_circles():
    graph = import_graph()
    for path, targets in graph.items():
        for target in targets:
            assert target in graph, f"static/js/{path} imports {target}, which does not exist"
    # Depth-first search; a grey module met again closes a circle.
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "grey"
        for target in graph[module]:
            assert state.get(target) != "grey", f"import circle: {' -> '.join([*trail, module, target])}"
            if target not in state:
                visit(target, [*trail, module])
        state[module] = "black"

    for module in graph:
        if module not in state:
            visit(module, [])


def _kind_fields(source: str) -> dict[str, str]:
    fields = {}
    for key in ("name", "label", "renderer"):
        match = re.search(rf'^\s*{key}: "([^"]*)",', source, re.M)
        if match:
            fields[key] = match.group(1)
    return fields


def test_every_server_kind_is_one_registered_browser_module():
    index = modules()["kinds/index.js"]
    registered = re.search(r"export const KINDS = \[([^\]]*)\]", index).group(1)
    names = [name.strip() for name in registered.split(",") if name.strip()]
    imported = dict(re.findall(r'^import (\w+) from "\./(\w+)\.js";', index, re.M))
    assert sorted(names) == sorted(KINDS), "kinds/index.js registers the kinds of roundtable/polls/kinds.py"
    for name in names:
        assert imported.get(name) == name, f"kinds/index.js: import {name} from \"./{name}.js\""
        fields = _kind_fields(modules()[f"kinds/{name}.js"])
        kind = KINDS[name]
        expected = {"name": kind.name, "label": kind.label, "renderer": kind.renderer}
        assert fields == expected, f"kinds/{name}.js"


@pytest.mark.parametrize("table", ["KIND_LABELS", "ICONS"])
def test_kind_labels_and_icons_are_not_tables_of_their_own(table):
    for path, source in modules().items():
        assert table not in definitions(source), f"static/js/{path} defines {table} (kinds/, icons.js)"


@pytest.mark.parametrize(("template", "entry"), [
    ("participant.html", "participant.js"), ("console.html", "console.js"), ("screen.html", "screen.js"),
])
def test_pages_preload_exactly_their_modules(template, entry):
    page = (ROOT / "templates" / template).read_text(encoding="utf-8")
    assert f'browser_modules("{entry}")' in page
    assert f"filename='js/{entry}'" in page  # and load the entry itself as a module
    graph = module_graph(str(JS), entry)
    assert graph[0] == entry
    assert set(graph) == reachable(import_graph(), entry)


def _nested_template_lines(source: str) -> list[int]:
    """Lines where a template literal starts inside another one's ``${…}``."""
    hits: list[int] = []
    mode = ["code"]
    i, line, n = 0, 1, len(source)
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
        state = mode[-1]
        if state == "tpl":
            if c == "\\":
                i += 1
            elif c == "`":
                mode.pop()
            elif source.startswith("${", i):
                mode.append("expr")
                i += 1
        else:  # code, an expression inside ${…}, or a brace within one
            if c in "\"'":
                i += 1
                while i < n and source[i] != c:
                    i += 2 if source[i] == "\\" else 1
            elif source.startswith("//", i):
                while i < n and source[i] != "\n":
                    i += 1
                continue
            elif source.startswith("/*", i):
                end = source.index("*/", i)
                line += source.count("\n", i, end)
                i = end + 2
                continue
            elif c == "`":
                if state != "code":
                    hits.append(line)
                mode.append("tpl")
            elif c == "{" and state != "code":
                mode.append("brace")
            elif c == "}" and state != "code":
                mode.pop()
        i += 1
    return hits


def test_the_nested_template_scanner_finds_them():
    assert _nested_template_lines("const a = `x ${b ? `y ${c} z` : ''}`;\nconst d = `e ${f}`;") == [1]
    assert _nested_template_lines("const a = `x ${ {k: 1}.k }` + '`' + \"`\"; // `${`\n") == []


@pytest.mark.parametrize("path", sorted(modules()))
def test_no_template_literal_inside_another(path):
    """The static files are minified when served (rjsmin, web/assets.py), and rjsmin reads a
    template literal as one string from backtick to backtick: one nested in another's ``${…}``
    has its spaces squeezed ("up to 3words"). Concatenate instead."""
    assert _nested_template_lines(modules()[path]) == []

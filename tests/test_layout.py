"""The folder layout keeps its promises: no import cycles in the grader package."""

from __future__ import annotations

import ast
from pathlib import Path

GRADER = Path(__file__).resolve().parents[1] / "grader"


def module_name(path: Path) -> str:
    rel = path.relative_to(GRADER.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """grader module -> the grader modules it imports anywhere (top level or inside functions)."""
    modules = {module_name(p): p for p in GRADER.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name and not name.startswith(t + "."):  # a package's own __init__ is no edge
                    graph[name].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_grader_package_has_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


ENGINE_EXEMPT = {"grader.synth"}  # it writes synthetic classes, planting mistakes in named functions


def test_the_engine_names_no_exercise() -> None:
    """Everything about one exercise module lives with it (its solution, its suite in
    grader/suites/, course.yml): no engine module mentions an exercise module or function."""
    import yaml

    course = yaml.safe_load((GRADER.parent / "course.yml").read_text(encoding="utf-8"))
    modules: set[str] = set()
    functions: set[str] = set()
    qualified: set[str] = set()
    for spec in course["assignments"].values():
        for module, fns in spec["modules"].items():
            modules.add(module)
            functions.update(fns)
            qualified.update(f"{module}.{f}" for f in fns)
    found = []
    for path in sorted(GRADER.rglob("*.py")):
        name = module_name(path)
        if name.startswith(("grader.suites", "grader.student")) or name in ENGINE_EXEMPT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                # a module's name as a whole string ("plots"), or "module.function" anywhere
                hits = ({node.value} & modules) | {q for q in qualified if q in node.value}
            elif isinstance(node, (ast.Name, ast.Attribute, ast.FunctionDef)):
                ident = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else node.name
                hits = {ident} & functions
            else:
                continue
            found += [f"{name}:{getattr(node, 'lineno', '?')}: {h}" for h in sorted(hits)]
    assert not found, "\n".join(found)

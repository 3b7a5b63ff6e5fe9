"""Generate the student's ``exercises/<module>.py`` stubs from ``solutions/<module>.py``.

A stub keeps what a student needs to start: the module docstring, the imports,
public module constants (with the docstring string under them), and each
public function's exact signature and docstring, with the body replaced by
``raise NotImplementedError``. Everything else is dropped: private helpers,
private constants, classes and any other top-level code, so no solution code
can survive. Signatures and docstrings are copied as source text (not
re-rendered), so a stub reads exactly like the solution's header.

Run ``python -m grader.stubgen [ROOT]`` to rewrite the checked-in stubs.
"""

from __future__ import annotations

import ast
import builtins
import copy
import io
import sys
import tokenize
from pathlib import Path

STUB_BODY = "raise NotImplementedError"
PACKAGE_INIT = '"""Your exercise modules: fill in each function, then run pytest."""\n'


def _is_docstring(node: ast.stmt | None) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _public_names(node: ast.stmt) -> bool:
    """True for an assignment whose targets are all plain public names."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets = [node.target]
    else:
        return False
    return all(isinstance(t, ast.Name) and not t.id.startswith("_") for t in targets)


def _lines(source: list[str], first: int, last: int) -> str:
    """Source lines ``first``..``last`` (1-based, inclusive) with their comments removed."""
    return _drop_comments("\n".join(source[first - 1 : last]))


def _drop_comments(text: str) -> str:
    """``text`` without ``#`` comments (which could hold solution hints); comment-only lines go."""
    lines = text.splitlines()
    readline = io.StringIO(text + "\n").readline
    for tok in tokenize.generate_tokens(readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col].rstrip() or "\0"
    return "\n".join(line for line in lines if line != "\0").rstrip()


def _function_stub(node: ast.FunctionDef | ast.AsyncFunctionDef, source: list[str]) -> str:
    """The function's header (decorators, signature, docstring) and a ``raise`` body."""
    start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    indent = " " * (node.body[0].col_offset if node.body else 4)
    if _is_docstring(node.body[0]) and node.body[0].lineno > node.lineno:
        header = _lines(source, start, node.body[0].end_lineno or node.body[0].lineno)
        return f"{header}\n{indent}{STUB_BODY}"
    # No docstring (or a one-line ``def f(): ...``): re-render the header from the AST.
    empty = copy.copy(node)
    empty.body = [node.body[0]] if _is_docstring(node.body[0]) else [ast.Pass()]
    text = ast.unparse(empty).removesuffix("\n    pass")
    return f"{text}\n    {STUB_BODY}"


# A kept constant's value may only be a plain expression: no lambdas, comprehensions
# or other code that could carry part of a solution.
_PLAIN = (ast.Constant, ast.Name, ast.Attribute, ast.Load, ast.UnaryOp, ast.BinOp, ast.operator,
          ast.unaryop, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Call, ast.keyword)


def _plain_constant(node: ast.stmt, defined: set[str]) -> bool:
    """A public assignment whose value is a plain expression of names already defined."""
    value = getattr(node, "value", None)
    if not _public_names(node) or value is None:
        return False
    for sub in ast.walk(value):
        if not isinstance(sub, _PLAIN):
            return False
        if isinstance(sub, ast.Name) and sub.id not in defined and not hasattr(builtins, sub.id):
            return False
    return True


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {t.id for t in targets if isinstance(t, ast.Name)}


def _kept(tree: ast.Module) -> list[tuple[str, ast.stmt]]:
    """The top-level statements a stub keeps, each tagged with its kind."""
    kept: list[tuple[str, ast.stmt]] = []
    defined: set[str] = set()
    for i, node in enumerate(tree.body):
        if i == 0 and _is_docstring(node):
            kept.append(("docstring", node))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            kept.append(("import", node))
            defined |= _bound_names(node)
        elif _plain_constant(node, defined):
            kept.append(("constant", node))
            defined |= _bound_names(node)
        elif _is_docstring(node) and kept and kept[-1] == ("constant", tree.body[i - 1]):
            kept.append(("constant-doc", node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            kept.append(("function", node))
    return kept


def _gap(before: tuple[str, ast.stmt], after: tuple[str, ast.stmt]) -> str:
    """The blank lines between two kept statements (PEP 8 and isort friendly)."""
    (kind_a, a), (kind_b, b) = before, after
    if kind_b == "constant-doc":
        return "\n"
    if "function" in (kind_a, kind_b):
        return "\n\n\n"
    if kind_a == kind_b == "import":
        # Keep the original grouping (standard library / third party / local).
        return "\n\n" if b.lineno - (a.end_lineno or a.lineno) > 1 else "\n"
    if kind_a == kind_b == "constant" or (kind_a == "constant-doc" and kind_b == "constant"):
        return "\n"
    return "\n\n"


def stub_source(source: str, filename: str = "<solution>") -> str:
    """The stub of one solution module's source text."""
    tree = ast.parse(source, filename=filename)
    lines = source.splitlines()
    kept = _kept(tree)
    parts: list[str] = []
    for i, (kind, node) in enumerate(kept):
        if i:
            parts.append(_gap(kept[i - 1], (kind, node)))
        if kind == "function":
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            parts.append(_function_stub(node, lines))
        else:
            parts.append(_lines(lines, node.lineno, node.end_lineno or node.lineno))
    text = "".join(parts).rstrip() + "\n"
    ast.parse(text, filename=f"stub of {filename}")  # the stub must itself be valid Python
    return text


def solution_modules(root: Path) -> list[str]:
    """Every module in ``solutions/`` (except the package's ``__init__``), sorted."""
    return sorted(p.stem for p in (root / "solutions").glob("*.py") if p.stem != "__init__")


def generate(root: Path | str, modules: list[str] | None = None) -> dict[str, str]:
    """File name (relative to ``exercises/``) -> stub text, for the given or all modules."""
    root = Path(root)
    names = solution_modules(root) if modules is None else list(modules)
    files = {"__init__.py": PACKAGE_INIT}
    for name in names:
        path = root / "solutions" / f"{name}.py"
        files[f"{name}.py"] = stub_source(path.read_text(encoding="utf-8"), str(path))
    return files


def write(root: Path | str) -> list[Path]:
    """Rewrite ``exercises/`` from ``solutions/``; returns the files that changed."""
    root = Path(root)
    changed = []
    for name, text in generate(root).items():
        path = root / "exercises" / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    changed = write(root)
    wanted = {"__init__.py", *(f"{m}.py" for m in solution_modules(root))}  # the names generate() writes
    stale = sorted(set(p.name for p in (root / "exercises").glob("*.py")) - wanted)
    for path in changed:
        print(f"wrote {path.relative_to(root)}")
    if not changed:
        print("exercises/ is up to date")
    for name in stale:
        print(f"warning: exercises/{name} has no solution module; delete it if it is obsolete")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

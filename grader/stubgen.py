"""Generate the student's ``exercises/<module>.py`` stubs from ``solutions/<module>.py``.

A stub keeps what a student needs to start: the module docstring, the imports,
public module constants (with the docstring string under them), and each
public function's exact signature and docstring, with the body replaced by
``raise NotImplementedError``. Everything else is dropped: private helpers,
private constants, classes and any other top-level code, so no solution code
can survive. Signatures and docstrings are copied as source text (not
re-rendered), so a stub reads exactly like the solution's header.

The docstrings can come in another language (``generate(root, modules, lang="ja")``,
what ``grader release`` does for a course in that language): the code and the
signatures stay exactly the same, and each docstring (the module's, each public
function's and each kept constant's) is replaced by its translation from
``grader/locale/<lang>/docstrings/<module>.yaml``: one mapping per module, ``""``
for the module docstring and the function's (or constant's) name for each other,
every value the docstring's text (no indentation, as :func:`inspect.cleandoc`
gives it). ``__init__.yaml`` holds the docstring of the package's ``__init__.py``.
A docstring without a translation is an error naming it, never an English
fallback; ``tests/test_docstrings_ja.py`` keeps the Japanese ones in step.

Run ``python -m grader.stubgen [ROOT]`` to rewrite the checked-in stubs (English).
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import io
import sys
import tokenize
from collections.abc import Mapping
from pathlib import Path

from grader.errors import ConfigError

STUB_BODY = "raise NotImplementedError"
PACKAGE_INIT = '"""Your exercise modules: fill in each function, then run pytest."""\n'
LOCALE = Path(__file__).resolve().parent / "locale"
MODULE_DOC = ""  # the key of a module's own docstring in a translation file
LANGUAGE_NAMES = {"ja": "Japanese"}


class DocstringError(ConfigError):
    """The docstrings of a language are missing for a stub, or their file is unreadable."""


class MissingDocstrings(DocstringError):
    """:func:`stub_source` was given translations that lack some of the stub's docstrings."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(f"no translated docstring for: {', '.join(k or '(module)' for k in keys)}")
        self.keys = keys


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


def _function_stub(node: ast.FunctionDef | ast.AsyncFunctionDef, source: list[str],
                   doc: str | None = None) -> str:
    """The function's header (decorators, signature, docstring) and a ``raise`` body.

    ``doc`` (a translation) replaces the docstring's text; the header's source is kept."""
    start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    indent = " " * (node.body[0].col_offset if node.body else 4)
    if _is_docstring(node.body[0]) and node.body[0].lineno > node.lineno:
        if doc is None:
            header = _lines(source, start, node.body[0].end_lineno or node.body[0].lineno)
        else:
            header = _drop_comments(_replaced(source, start, node.body[0], _literal(doc, indent)))
        return f"{header}\n{indent}{STUB_BODY}"
    # No docstring (or a one-line ``def f(): ...``): re-render the header from the AST.
    empty = copy.copy(node)
    keep_doc = _is_docstring(node.body[0]) and doc is None
    empty.body = [node.body[0]] if keep_doc else [ast.Pass()]
    text = ast.unparse(empty).removesuffix("\n    pass")
    if doc is not None:
        text += f"\n    {_literal(doc, '    ')}"
    return f"{text}\n    {STUB_BODY}"


def _replaced(source: list[str], first: int, node: ast.stmt, text: str) -> str:
    """Source lines ``first``..the end of ``node`` with ``node``'s own span replaced by ``text``."""
    end_lineno = node.end_lineno or node.lineno
    lines = source[first - 1 : end_lineno]

    def column(line: str, offset: int | None) -> int:  # ast's offsets count UTF-8 bytes
        return len(line.encode("utf-8")[: offset or 0].decode("utf-8"))

    head = lines[node.lineno - first]
    tail = lines[end_lineno - first]
    before = head[: column(head, node.col_offset)]
    after = tail[column(tail, node.end_col_offset):]
    return "\n".join([*lines[: node.lineno - first], before + text + after])


def _literal(text: str, indent: str) -> str:
    """``text`` as a triple-quoted docstring whose first line starts where the string does
    and whose other lines are indented by ``indent`` (closing quotes on their own line)."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body[:-1]}\\""""' if body.endswith('"') else f'"""{body}"""'
    rest = [f"{indent}{line}" if line.strip() else "" for line in lines[1:]]
    return "\n".join([f'"""{lines[0]}', *rest, f'{indent}"""'])


def clean(text: str) -> str:
    """A docstring's text as compared and translated: :func:`inspect.cleandoc` of it."""
    return inspect.cleandoc(text)


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


def _key(kind: str, node: ast.stmt, kept: list[tuple[str, ast.stmt]], i: int) -> str | None:
    """The translation key of a kept statement's docstring, or None if it has none."""
    if kind == "docstring":
        return MODULE_DOC
    if kind == "constant-doc":
        constant = kept[i - 1][1]
        return sorted(_bound_names(constant))[0]
    if kind == "function":
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        return node.name if node.body and _is_docstring(node.body[0]) else None
    return None


def docstring_keys(source: str, filename: str = "<solution>") -> list[str]:
    """The docstrings a module's stub carries, as translation keys: ``""`` for the module
    docstring, then each kept function's (and documented constant's) name, in order."""
    kept = _kept(ast.parse(source, filename=filename))
    keys = [_key(kind, node, kept, i) for i, (kind, node) in enumerate(kept)]
    return [k for k in keys if k is not None]


def stub_source(source: str, filename: str = "<solution>",
                docstrings: Mapping[str, str] | None = None) -> str:
    """The stub of one solution module's source text.

    With ``docstrings`` (key -> text, see :func:`docstring_keys`), every docstring of
    the stub is that text instead (:class:`MissingDocstrings` names any that is missing)."""
    tree = ast.parse(source, filename=filename)
    lines = source.splitlines()
    kept = _kept(tree)
    if docstrings is not None:
        missing = [k for k in docstring_keys(source, filename) if k not in docstrings]
        if missing:
            raise MissingDocstrings(missing)
    parts: list[str] = []
    for i, (kind, node) in enumerate(kept):
        if i:
            parts.append(_gap(kept[i - 1], (kind, node)))
        key = _key(kind, node, kept, i)
        doc = None if docstrings is None or key is None else clean(docstrings[key])
        if kind == "function":
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            parts.append(_function_stub(node, lines, doc))
        elif doc is not None:  # the module's or a constant's docstring, at the top level
            parts.append(_literal(doc, ""))
        else:
            parts.append(_lines(lines, node.lineno, node.end_lineno or node.lineno))
    text = "".join(parts).rstrip() + "\n"
    stub = ast.parse(text, filename=f"stub of {filename}")  # the stub must itself be valid Python
    if docstrings is not None:
        _check_docstrings(stub, docstrings, filename)
    return text


def _check_docstrings(stub: ast.Module, docstrings: Mapping[str, str], filename: str) -> None:
    """Each translated docstring reads back from the stub as exactly its text."""
    kept = _kept(stub)
    for i, (kind, node) in enumerate(kept):
        key = _key(kind, node, kept, i)
        if key is None:
            continue
        if kind == "function":
            text = ast.get_docstring(node)  # type: ignore[arg-type]
        else:
            text = clean(node.value.value)  # type: ignore[attr-defined]
        if text != clean(docstrings[key]):
            raise RuntimeError(f"stub of {filename}: the docstring of {key or 'the module'} "
                               "does not read back as its translation")


def solution_modules(root: Path) -> list[str]:
    """Every module in ``solutions/`` (except the package's ``__init__``), sorted."""
    return sorted(p.stem for p in (root / "solutions").glob("*.py") if p.stem != "__init__")


def docstring_file(lang: str, module: str) -> Path:
    """Where the ``lang`` docstrings of ``module``'s stub are (``__init__`` for the package)."""
    return LOCALE / lang / "docstrings" / f"{module}.yaml"


def _shown(path: Path) -> str:
    """``path`` as a user reads it: relative to the project when it is inside."""
    try:
        return str(path.relative_to(LOCALE.parent.parent))
    except ValueError:
        return str(path)


def load_docstrings(lang: str, module: str) -> dict[str, str]:
    """Key -> docstring text of ``module`` in ``lang``; empty when the file does not exist."""
    import yaml

    path = docstring_file(lang, module)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocstringError(f"{_shown(path)}: not readable YAML: {' '.join(str(exc).split())}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise DocstringError(f"{_shown(path)}: must map each function name (and \"\" for the module) "
                             "to its docstring text")
    return data


def generate(root: Path | str, modules: list[str] | None = None, lang: str = "en") -> dict[str, str]:
    """File name (relative to ``exercises/``) -> stub text, for the given or all modules.

    With ``lang`` other than ``en`` every docstring (the package ``__init__``'s too) comes
    from ``grader/locale/<lang>/docstrings/``, and :class:`DocstringError` names each one
    missing there: never an English fallback."""
    root = Path(root)
    names = solution_modules(root) if modules is None else list(modules)
    if lang == "en":
        files = {"__init__.py": PACKAGE_INIT}
        for name in names:
            path = root / "solutions" / f"{name}.py"
            files[f"{name}.py"] = stub_source(path.read_text(encoding="utf-8"), str(path))
        return files
    language = LANGUAGE_NAMES.get(lang, repr(lang))
    folder = docstring_file(lang, "__init__").parent
    if not folder.is_dir():
        raise DocstringError(f"{_shown(folder)}: no such folder: the stubs have no {language} docstrings "
                             "(use English, --lang en)")
    sources = {"__init__": ("__init__.py", PACKAGE_INIT)}
    for name in names:
        path = root / "solutions" / f"{name}.py"
        sources[name] = (str(path), path.read_text(encoding="utf-8"))
    files = {}
    missing: list[str] = []
    for name, (filename, source) in sources.items():
        try:
            files[f"{name}.py"] = stub_source(source, filename, load_docstrings(lang, name))
        except MissingDocstrings as exc:
            what = ", ".join(f"{name}.{k}" if k != MODULE_DOC else f"the module docstring of {name}"
                             for k in exc.keys)
            missing.append(f"{what} (in {_shown(docstring_file(lang, name))})")
    if missing:
        raise DocstringError(f"no {language} docstring for {'; '.join(missing)}: translate "
                             "the English ones of solutions/ there, or use English (--lang en)")
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

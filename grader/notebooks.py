"""Turn a student's Jupyter or Colab notebook (``.ipynb``) into exercise modules.

Students who work in Jupyter or Colab hand in notebooks instead of ``.py``
files: one notebook with every function (any name), one notebook per module
named like it (``losses.ipynb``), or nbgrader's released notebooks. A notebook
is untrusted input, so it is only read as JSON (standard library, size-capped,
outputs never looked at) and its code is only parsed (``ast``), never run here.
:func:`read_notebook` returns each module's Python source, where each exercise
function came from, and plain-words notes for the student's feedback.

THE RULE (what of a notebook is graded; quoted in the student README):

    Only code cells count, read top to bottom. From them the grader keeps the
    top-level `import` and `from ... import` lines, the `def` and `class`
    definitions, and constants: assignments such as `EPS = 1e-12` or
    `X = np.array([1.0, 2.0])` whose value uses only literals, imported
    names, constants defined above it and simple built-ins such as `float`.
    Everything else at the top level (calls such as `print(sse([1, 2], [1, 3]))`
    or `plt.show()`, loops, `assert`s, your own tests) is left out, so it never
    runs while grading: put whatever a function needs inside it or in a
    constant. IPython lines (`%matplotlib inline`, `!pip install ...`,
    `get_ipython()...`, `name?`) and imports of notebook-only modules
    (`google.colab`, `IPython`) are left out too, and so is a whole cell that
    starts with a `%%` cell magic. When a function is defined more than once,
    the last definition counts, as when the notebook runs top to bottom. Each
    module gets all of the notebook's imports, its own functions and the
    definitions and constants those functions use.

More precisely:

* A function goes to the module that owns its name in course.yml; a notebook
  named after a module (``module_hint``) holds that module only. Helpers,
  classes and constants owned by no module go to every module whose code uses
  them (directly or through other helpers); one owned by another module is
  copied along when used. A module none of whose functions is defined is not
  returned (the caller reports it missing).
* nbgrader: autograder test cells (``grade`` and not ``solution``) are left out
  whole; read-only cells (``locked`` and not ``solution``, like the setup cell
  of :mod:`grader.nbgrader_export`) give only their imports and constants (the
  setup cell's ``EPS`` is needed by the answers); answer cells follow the rule.
* A cell that does not parse is left out with a note, unless it holds the
  definition that counts of an exercise function: then its text goes in as it
  is, so that module reports the student's real ``SyntaxError``.
* Places are the cell's position in the notebook, counting every cell
  (markdown too) from 1, as the student sees them scrolling: ``"submission.ipynb,
  cell 7"``. (The ``In [n]`` numbers change on every run, so they are not used.)
  Each part of a built module starts with a comment naming its cell.
* Notes also name the cells left out and why, a function defined twice, and a
  name a kept function reads that only left-out code sets (a NameError to be).

Limits: a notebook over ``max_bytes`` (5 MB; outputs such as images make most
of it) or with more than :data:`MAX_CODE_CHARS` of code is refused with a
:class:`NotebookError`, as are invalid or deeply nested JSON and JSON that is
not a notebook (nbformat 4, or 3). Work is linear in the notebook's size: each
cell is parsed at most twice, each statement walked once, nothing rescanned.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from grader.i18n import t

MAX_NOTEBOOK_BYTES = 5 * 2**20
MAX_CODE_CHARS = 2**18  # code in all code cells (a full nbgrader notebook of this course has ~40 000)
SAFE_BUILTINS = frozenset({"abs", "bool", "complex", "dict", "float", "frozenset", "int", "len", "list",
                           "max", "min", "pow", "range", "round", "set", "str", "sum", "tuple"})
_LINE_MAGIC = re.compile(r"\s*(?:[%!]|\?|get_ipython\(\))|\s*[A-Za-z_][\w.]*\?\??\s*$")
_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
_LISTED = 8  # cell numbers listed in one note before "and N more"
NOTEBOOK_ONLY = ("google.colab", "IPython")  # importable only in a notebook: left out, with a note


@dataclass
class NotebookModules:
    """What a notebook holds: module sources, where each function came from, notes."""

    sources: dict[str, str] = field(default_factory=dict)  # module -> Python source
    origins: dict[str, str] = field(default_factory=dict)  # "module.function" -> "x.ipynb, cell 7"
    cells: dict[str, list[int]] = field(default_factory=dict)  # module -> the cells its functions came from
    notes: list[str] = field(default_factory=list)          # plain words, for the student (course language)


class NotebookError(ValueError):
    """The file cannot be read as a notebook (not JSON, not a notebook, too large): one plain
    line for the student, in the course's language."""


def looks_like_notebook(name: str) -> bool:
    """Whether a file name is a Jupyter notebook's (``.ipynb``, any case)."""
    return name.lower().endswith(".ipynb")


@dataclass
class _Cell:
    number: int         # position among all cells, from 1
    source: str | None  # None when it is not text
    role: str           # "code", "locked" (nbgrader read-only) or "test" (nbgrader autograder)


@dataclass
class _Item:
    """One kept top-level part: a definition or constant, or a whole cell that does not parse."""

    cell: int
    text: str
    names: tuple[str, ...]  # the names it binds
    uses: frozenset[str]    # the global names it reads
    is_def: bool            # a def or class (or an unparsable cell holding one)
    error: str = ""         # why the cell does not parse (unparsable cells only)


def read_notebook(data: bytes, name: str, modules: Mapping[str, Iterable[str]], *,
                  module_hint: str | None = None, max_bytes: int = MAX_NOTEBOOK_BYTES) -> NotebookModules:
    """The exercise modules in a notebook, built by the rule in this module's docstring.

    ``modules`` maps each module to its function names (course.yml; a mapping of
    function -> points works too). ``module_hint`` names the module a notebook
    named after it (``losses.ipynb``) holds. Raises :class:`NotebookError` when
    the file is not a readable notebook; everything else becomes a note.
    """
    label = "".join(ch if ch.isprintable() else "?" for ch in name)  # it goes into comments and notes
    functions = {m: list(fs) for m, fs in modules.items()}
    if module_hint is not None and module_hint not in functions:
        raise ValueError(f"unknown module {module_hint!r}")
    targets = {module_hint: functions[module_hint]} if module_hint else functions
    reader = _Reader(label, {f for fs in targets.values() for f in fs})
    for cell in _code_cells(data, label, max_bytes):
        reader.add(cell)
    return reader.build(targets)


# --- the JSON ----------------------------------------------------------------------------------


def _code_cells(data: bytes, label: str, max_bytes: int) -> list[_Cell]:
    """The notebook's code cells with their nbgrader role; NotebookError if it is no notebook."""
    if len(data) > max_bytes:
        raise NotebookError(t("{name} is {size} MB, over the {limit} MB limit for a notebook; clear its outputs "
                              "(Edit > Clear all outputs) and save it again", name=label,
                              size=f"{len(data) / 2**20:.1f}", limit=f"{max_bytes / 2**20:g}"))
    try:
        nb = json.loads(data.decode("utf-8-sig"), parse_int=_small_int)
    except UnicodeDecodeError:
        raise NotebookError(t("{name} is not a Jupyter notebook: it is not UTF-8 text", name=label)) from None
    except json.JSONDecodeError as exc:
        raise NotebookError(t("{name} is not a Jupyter notebook: it is not valid JSON "
                              "(line {line}, column {column}: {error})", name=label, line=exc.lineno,
                              column=exc.colno, error=exc.msg)) from None
    except RecursionError:
        raise NotebookError(t("{name} is not a Jupyter notebook: its JSON is nested too deeply",
                              name=label)) from None
    except ValueError:
        raise NotebookError(t("{name} is not a Jupyter notebook: it is not valid JSON", name=label)) from None
    if not isinstance(nb, dict):
        raise NotebookError(t("{name} is JSON but not a Jupyter notebook (no cells)", name=label))
    version = nb.get("nbformat")
    if isinstance(nb.get("cells"), list):  # nbformat 4
        raw, key = nb["cells"], "source"
    elif version == 3 and isinstance(nb.get("worksheets"), list):
        raw = [c for ws in nb["worksheets"] if isinstance(ws, dict) and isinstance(ws.get("cells"), list)
               for c in ws["cells"]]
        key = "input"
    elif isinstance(version, int) and not 3 <= version <= 4:
        raise NotebookError(t("{name} is a notebook in format {version}, which cannot be read; "
                              "save it from a current Jupyter or Colab", name=label, version=version))
    else:
        raise NotebookError(t("{name} is JSON but not a Jupyter notebook (no cells)", name=label))
    cells: list[_Cell] = []
    for number, cell in enumerate(raw, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get(key)
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            source = None
        meta = cell.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        nbg = nbg if isinstance(nbg, dict) else {}
        solution = nbg.get("solution") is True
        role = ("test" if nbg.get("grade") is True and not solution
                else "locked" if nbg.get("locked") is True and not solution else "code")
        cells.append(_Cell(number, source, role))
    if sum(len(c.source or "") for c in cells) > MAX_CODE_CHARS:  # parsing costs ~100x the text in memory
        raise NotebookError(t("{name} has more than {count} characters of code; it is not read", name=label,
                              count=f"{MAX_CODE_CHARS:,}"))
    return cells


def _small_int(text: str) -> int:
    """JSON integers (counts, versions): a huge one would only cost time, so it becomes 0."""
    return int(text) if len(text) <= 20 else 0


# --- the code ----------------------------------------------------------------------------------


def _drop_magics(source: str) -> tuple[str, int, str | None]:
    """(source without IPython lines, how many were dropped, the cell magic if the cell has one).

    Dropped lines become blank, so line numbers still match the cell.
    """
    lines = source.split("\n")
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.startswith("%%"):
        return "", 0, first.split()[0]
    dropped = 0
    for i, line in enumerate(lines):
        if _LINE_MAGIC.match(line):
            lines[i] = ""
            dropped += 1
    return "\n".join(lines), dropped, None


def _parse(source: str) -> ast.Module | str:
    """The cell's syntax tree, or why it does not parse (one line, in the course's language;
    Python's own message stays as Python words it)."""
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        return t("line {line}: {error}", line=exc.lineno, error=exc.msg)
    except ValueError as exc:  # e.g. a null byte
        return str(exc)
    except (RecursionError, MemoryError):
        return t("it is nested too deeply")


def _segment(lines: list[bytes], node: ast.stmt) -> str:
    """The statement's own text (a simple one may share its line: ``import os; print(1)``).

    ``lines`` are the cell's lines as UTF-8, the unit of the ast's column offsets.
    Decorators belong to their definition.
    """
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    end = node.end_lineno or node.lineno
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return b"\n".join(lines[start - 1 : end]).decode()
    last = len(lines[end - 1]) if node.end_col_offset is None else node.end_col_offset
    if start == end:
        return lines[start - 1][node.col_offset : last].decode()
    return b"\n".join([lines[start - 1][node.col_offset :], *lines[start : end - 1],
                       lines[end - 1][:last]]).decode()


def _names(node: ast.AST) -> tuple[set[str], set[str]]:
    """(names the code reads, names it binds, parameters included), in one walk."""
    loaded: set[str] = set()
    bound: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (loaded if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
    return loaded, bound


def _constant_names(node: ast.stmt, loaded: set[str], bound: set[str], known: set[str]) -> list[str] | None:
    """The names a constant assignment binds, or None when the statement is not one.

    ``loaded``/``bound`` are :func:`_names` of the statement; ``known`` the names it may read.
    """
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets = [node.target]
    else:
        return None
    names: list[str] = []
    for target in targets:
        parts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        if not all(isinstance(p, ast.Name) for p in parts):
            return None
        names += [p.id for p in parts if isinstance(p, ast.Name)]
    if bound != set(names) or not loaded <= known | SAFE_BUILTINS:  # a walrus or lambda binds more
        return None
    return names


def _notebook_only(node: ast.Import | ast.ImportFrom) -> bool:
    modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
    return any(m == n or m.startswith(n + ".") for m in modules for n in NOTEBOOK_ONLY)


def _calls_ipython(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and any(isinstance(n, ast.Name) and n.id == "get_ipython" for n in ast.walk(node.value.func)))


def _cells(numbers: list[int]) -> str:
    """Cell numbers in words: "cell 3", "cells 3 and 8", "cells 1, 2, ..., 8 and 4 more"."""
    shown = [str(n) for n in numbers[:_LISTED]]
    if len(numbers) > _LISTED:
        return t("cells {numbers} and {count} more", numbers=", ".join(shown), count=len(numbers) - _LISTED)
    if len(shown) == 1:
        return t("cell {number}", number=shown[0])
    return t("cells {numbers} and {last}", numbers=", ".join(shown[:-1]), last=shown[-1])


class _Reader:
    """Reads code cells in notebook order, keeping what the rule keeps and noting the rest."""

    def __init__(self, label: str, owned: set[str]) -> None:
        self.label = label
        self.owned = owned                  # the exercise functions that may be defined
        self.items: list[_Item] = []
        self.imports: dict[str, str] = {}   # ast.dump -> text, first occurrence, in order
        self.known: set[str] = set()        # imported names and constants so far
        self.magics = 0                     # IPython lines dropped
        self.notebook_imports: list[str] = []  # imports of NOTEBOOK_ONLY modules left out
        self.cell_magics: list[tuple[int, str]] = []
        self.skipped: list[int] = []        # cells with top-level code left out
        self.unparsable: list[tuple[int, str]] = []
        self.unreadable: list[int] = []
        self.tests = 0                      # nbgrader autograder cells left out
        self.set_by_skipped: dict[str, int] = {}  # name -> cell of left-out code that assigns it

    def add(self, cell: _Cell) -> None:
        if cell.role == "test":
            self.tests += 1
            return
        if cell.source is None:
            self.unreadable.append(cell.number)
            return
        source = cell.source.replace("\r\n", "\n").replace("\r", "\n")
        tree = _parse(source)
        if isinstance(tree, str):  # maybe only because of IPython lines
            source, dropped, magic = _drop_magics(source)
            if magic:
                self.cell_magics.append((cell.number, magic))
                return
            self.magics += dropped if cell.role != "locked" else 0  # not the student's lines
            tree = _parse(source) if dropped else tree
        if isinstance(tree, str):
            names = tuple(n for n in _DEF.findall(source) if n in self.owned)
            if names:
                self.items.append(_Item(cell.number, source.strip("\n"), names, frozenset(), True, tree))
            else:
                self.unparsable.append((cell.number, tree))
            return
        self._statements(cell, tree, source.encode().split(b"\n"))

    def _statements(self, cell: _Cell, tree: ast.Module, lines: list[bytes]) -> None:
        skipped = False
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and _notebook_only(node):
                self.notebook_imports.append(_segment(lines, node))
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.imports.setdefault(ast.dump(node), _segment(lines, node))
                self.known.update(a.asname or a.name.split(".")[0] for a in node.names if a.name != "*")
                continue
            loaded, bound = _names(node)
            constant = _constant_names(node, loaded, bound, self.known)
            uses = frozenset(loaded - bound)  # roughly: the globals it reads
            if constant is not None:
                self.items.append(_Item(cell.number, _segment(lines, node), tuple(constant), uses, False))
                self.known.update(constant)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and cell.role != "locked":
                self.items.append(_Item(cell.number, _segment(lines, node), (node.name,), uses, True))
            elif _calls_ipython(node):
                self.magics += 1
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a bare string (a docstring) or number does nothing
            elif cell.role != "locked":  # a read-only cell's other code is not the student's
                skipped = True
                self.set_by_skipped.update(dict.fromkeys(bound, cell.number))
        if skipped:
            self.skipped.append(cell.number)

    def build(self, targets: dict[str, list[str]]) -> NotebookModules:
        out = NotebookModules()
        winner = {name: i for i, item in enumerate(self.items) for name in item.names}  # the last one wins
        live = [any(winner[n] == i for n in item.names) for i, item in enumerate(self.items)]
        imports = sorted(self.imports.values(), key=lambda text: not text.startswith("from __future__"))
        unset: dict[str, set[str]] = {}  # left-out name -> kept names that use it
        for module, functions in targets.items():
            roots = [winner[f] for f in functions if f in winner and self.items[winner[f]].is_def]
            if not roots:
                continue
            keep, todo = set(roots), list(roots)
            while todo:
                item = self.items[todo.pop()]
                for name in item.uses:
                    i = winner.get(name)
                    if i is not None and i not in keep:
                        keep.add(i)
                        todo.append(i)
                    elif i is None and name in self.set_by_skipped and name not in self.known:
                        unset.setdefault(name, set()).update(item.names)
            out.sources[module] = self._source(module, imports, sorted(keep))
            cells = set()
            for f in functions:
                if f in winner and winner[f] in keep:
                    cells.add(cell := self.items[winner[f]].cell)
                    out.origins[f"{module}.{f}"] = f"{self.label}, cell {cell}"
            out.cells[module] = sorted(cells)
        self._notes(out, targets, live, unset)
        return out

    def _source(self, module: str, imports: list[str], keep: list[int]) -> str:
        parts = [f"# {module}: built by the grader from {self.label} "
                 "(its imports, definitions and constants; nothing else is run)"]
        if imports:
            parts.append("\n".join(imports))
        cell = 0
        for i in keep:
            item = self.items[i]
            parts.append(item.text if item.cell == cell else f"# {self.label}, cell {item.cell}\n{item.text}")
            cell = item.cell
        return "\n\n\n".join(parts) + "\n"

    def _notes(self, out: NotebookModules, targets: dict[str, list[str]],
               live: list[bool], unset: dict[str, set[str]]) -> None:
        notes = out.notes
        if self.magics:
            notes.append(t("Left out {count} IPython line (%magic, !shell, get_ipython() or ? help): "
                           "they are not Python.", count=self.magics) if self.magics == 1 else
                         t("Left out {count} IPython lines (%magic, !shell, get_ipython() or ? help): "
                           "they are not Python.", count=self.magics))
        dropped = list(dict.fromkeys(self.notebook_imports))
        if dropped:
            imports = "; ".join(text[:80] for text in dropped[:3])
            notes.append(t("Left out {imports} (and {count} more): these modules exist only inside Jupyter "
                           "or Colab.", imports=imports, count=len(dropped) - 3) if len(dropped) > 3 else
                         t("Left out {imports}: these modules exist only inside Jupyter or Colab.", imports=imports))
        for number, magic in self.cell_magics[:_LISTED]:
            notes.append(t("Cell {number} starts with the cell magic {magic}, so the whole cell was left out.",
                           number=number, magic=magic[:40]))
        if len(self.cell_magics) > _LISTED:
            notes.append(t("{count} more cells with cell magics were left out.",
                           count=len(self.cell_magics) - _LISTED))
        if self.skipped:
            notes.append(t("Code outside functions in {cells} is not run when grading (calls, prints, plots, "
                           "loops, asserts): only imports, definitions and constants are used.",
                           cells=_cells(self.skipped)))
        if self.tests:
            notes.append(t("The notebook's {count} nbgrader test cell were left out: the grader runs its own "
                           "tests.", count=self.tests) if self.tests == 1 else
                         t("The notebook's {count} nbgrader test cells were left out: the grader runs its own "
                           "tests.", count=self.tests))
        broken = [(item.cell, item.error) for item, ok in zip(self.items, live, strict=True) if item.error and not ok]
        broken = sorted(self.unparsable + broken)
        if broken:
            cells = _cells([n for n, _ in broken]).capitalize()
            if len(broken) == 1:
                notes.append(t("{cells} does not parse as Python ({error}) and holds no exercise function that "
                               "counts, so it was left out.", cells=cells, error=broken[0][1]))
            else:
                first = t("cell {number}, {error}", number=broken[0][0], error=broken[0][1])
                notes.append(t("{cells} do not parse as Python ({error}) and hold no exercise function that "
                               "counts, so they were left out.", cells=cells, error=first))
        for item, ok in zip(self.items, live, strict=True):
            if item.error and ok:
                fns = ", ".join(n for n in item.names if n in self.owned)
                notes.append(t("Cell {number} does not parse as Python ({error}); it holds your {functions}, "
                               "so it is used as it is and its module reports that error.",
                               number=item.cell, error=item.error, functions=fns))
        if self.unreadable:
            cells = _cells(self.unreadable).capitalize()
            notes.append(t("{cells} could not be read and was left out.", cells=cells) if len(self.unreadable) == 1
                         else t("{cells} could not be read and were left out.", cells=cells))
        defined_in: dict[str, list[int]] = {}
        for item in self.items:
            for f in item.names:
                if item.is_def and f in self.owned and item.cell not in defined_in.setdefault(f, [])[-1:]:
                    defined_in[f].append(item.cell)
        for f, cells_of in defined_in.items():
            if len(cells_of) > 1:
                notes.append(t("{function} is defined in {cells}; the last definition (cell {number}) is used, "
                               "as when the notebook runs top to bottom.",
                               function=f, cells=_cells(cells_of), number=cells_of[-1]))
        for name in sorted(unset)[:_LISTED]:
            users = ", ".join(sorted(unset[name])[:3])
            values = {"users": users, "name": name, "number": self.set_by_skipped[name]}
            notes.append(t("{users} uses {name}, which only code outside functions sets (cell {number}); that "
                           "code is not run when grading, so {name} will be undefined: make it a constant or "
                           "compute it inside the function.", **values) if len(unset[name]) == 1 else
                         t("{users} use {name}, which only code outside functions sets (cell {number}); that "
                           "code is not run when grading, so {name} will be undefined: make it a constant or "
                           "compute it inside the function.", **values))
        if not out.sources:
            wanted = [f for fs in targets.values() for f in fs]
            shown = ", ".join(wanted[:6]) + (", ..." if len(wanted) > 6 else "")
            notes.append(t("{notebook} defines none of the exercise functions ({functions}).",
                           notebook=self.label, functions=shown))

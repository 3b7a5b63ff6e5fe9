"""Export the course as an nbgrader course folder, from the same sources of truth.

``export(course, out_dir)`` writes ``nbgrader_config.py`` and one notebook per
exercise module under ``source/<assignment>/``. Each notebook holds:

* a markdown introduction to the topic and to how the notebook is graded;
* a read-only setup cell: the module's imports and constants (``EPS``), the
  probe functions its tests pass as arguments, and ``check(...)``, a compact
  copy of :mod:`grader.checks` (same tolerance, same rejections of NaN/inf,
  empty results, wrong types and sizes, same shape and unchanged-input rules);
* per function, an answer cell with the reference between ``### BEGIN
  SOLUTION``/``### END SOLUTION`` (signature and docstring outside, so the
  released notebook keeps them), then ONE autograder cell PER TEST.

Why one cell per test: nbgrader scores a test cell all-or-nothing, while
``grader grade`` gives each test its share of the function's points
(:func:`grader.scoring.test_points`). With one cell per test, each worth exactly
that share, nbgrader's totals equal ``grader grade``'s on any submission, not
only on all-right/all-wrong ones. nbgrader accepts fractional points (the
metadata schema says "number", the gradebook stores floats); the cells of a
function add up to its course.yml points (up to float rounding, ~1e-15).

Inputs and expected values are precomputed from the reference (via
:func:`grader.plan.build_plan`) and written as exact Python literals (floats by
``repr``, which round-trips); probes appear by name. Public tests are visible;
hidden tests sit between ``### BEGIN HIDDEN TESTS``/``### END HIDDEN TESTS``,
so the released cell keeps only its title comment. Notebooks never import
``grader`` or ``solutions``.

Like :func:`grader.checks.judge`, a shape or unchanged test also needs the
right value; in a public test that value check is hidden unless a public value
test already shows it (the call may be shared with a hidden value test).

Private helpers of the solutions (``_residuals``) go inside the solution region
of the first graded function that needs them, so the release keeps none of them.

Functions judged by figure checks (:func:`not_exported`) get no test cells: the
figure reader is far too large to copy into a notebook. Their answer cell is an
nbgrader *manually graded answer* worth the function's points
(:func:`figure_cells`), followed by a read-only cell that draws the figure. So
nbgrader's maximum equals ``grader grade``'s (84 for the bundled course: 70 in
test cells, 14 in figure cells). ``nbgrader autograde`` scores the test cells and
leaves a changed figure cell waiting for a grade (an untouched one gets 0);
``grader grade --gradebook`` records those points from the figure's data
(:mod:`grader.gradebook`), or a grader gives them by hand in the formgrader,
where the figure is shown.
"""

from __future__ import annotations

import ast
import inspect
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader import probes
from grader.cases import Test
from grader.config import Course
from grader.errors import GraderError
from grader.i18n import _, language, t
from grader.wire import Fn

CONFIG_MARKER = "# Written by `grader nbgrader` from course.yml: delete this line to keep your own edits."
ASSIGNMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
WIDTH = 96  # soft line width of generated code
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_FORBIDDEN_IMPORTS = ("solutions", "grader", "exercises")


class ExportError(GraderError):
    """The course cannot be written as nbgrader notebooks (one-line reason)."""


class NbgraderMissing(GraderError):
    """The optional nbgrader extra is not installed."""

    def __init__(self, what: str = "nbgrader") -> None:
        super().__init__(f'{what} is not installed; install the extra with: pip install -e ".[nbgrader]"')


def require_nbgrader() -> None:
    """Raise :class:`NbgraderMissing` unless nbgrader is installed: checked before a command
    that needs it writes anything."""
    import importlib.util

    if importlib.util.find_spec("nbgrader") is None:
        raise NbgraderMissing()


# --- layout: which cells exist, their ids and points (shared with grader.gradebook) ------------


@dataclass(frozen=True)
class TestCell:
    """One autograder cell: one test, its nbgrader grade_id and its share of points."""

    __test__ = False  # not a pytest test class
    test: Test
    grade_id: str
    points: float


@dataclass(frozen=True)
class FunctionCells:
    """The answer cell of one function and its test cells, in notebook order."""

    module: str
    function: str
    answer_id: str
    tests: tuple[TestCell, ...]

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)


def setup_id(module: str) -> str:
    return f"setup_{module}"


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "test"


def course_id(course: Course) -> str:
    """nbgrader course id derived from the course title."""
    return _slug(course.title, 40) or "course"


def _course_tests(course: Course, tests: list[Test] | None) -> list[Test]:
    from grader.suites import load_tests

    if tests is None:
        tests = [t for t in load_tests(list(course.modules)) if t.function in course.points]
    return tests


def not_exported(course: Course, tests: list[Test] | None = None) -> list[str]:
    """Functions left out of the notebooks: those judged by figure checks, which need
    :mod:`grader.figures` (far too large to copy into a notebook). ``grader grade`` grades them."""
    tests = _course_tests(course, tests)
    return [f for f in course.points if any(t.function == f and t.check == "figure" for t in tests)]


@dataclass(frozen=True)
class FigureCell:
    """The answer cell of a function graded from its figure: an nbgrader manually graded
    answer (``grade`` and ``solution``) worth all of the function's points."""

    module: str
    function: str
    grade_id: str
    tests: tuple[TestCell, ...]  # the function's tests (not cells of their own), whose shares add up

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)


def figure_cells(course: Course, tests: list[Test] | None = None) -> dict[str, list[FigureCell]]:
    """The figure functions' answer cells, by module in course order (see :func:`not_exported`).

    The grade id is the function's name (the answer cell's id in the notebook); its points
    are the function's course.yml points, the sum of its tests' shares."""
    from grader.plan import Plan
    from grader.scoring import test_points

    tests = _course_tests(course, tests)
    points = test_points(Plan(course, tests, [], []))
    out: dict[str, list[FigureCell]] = {}
    for qualname in not_exported(course, tests):
        module, function = qualname.split(".", 1)
        mine = tuple(TestCell(t, function, points[t.name]) for t in tests if t.function == qualname)
        out.setdefault(module, []).append(FigureCell(module, function, function, mine))
    return out


def layout(course: Course, tests: list[Test] | None = None) -> dict[str, list[FunctionCells]]:
    """Every exported module's function cells in notebook order, with grade ids and points.

    The gradebook writer uses this too, so its cell names always match the
    exported notebooks. Points come from :func:`grader.scoring.test_points`.
    Functions in :func:`not_exported` are left out, and so is a module left empty.
    """
    from grader.plan import Plan
    from grader.scoring import test_points

    tests = _course_tests(course, tests)
    points = test_points(Plan(course, tests, [], []))
    skipped = set(not_exported(course, tests))
    out: dict[str, list[FunctionCells]] = {}
    for module in course.modules:
        functions = [f for f in course.modules[module] if f"{module}.{f}" not in skipped]
        if not functions:
            continue
        source = _module_source(course, module, functions)
        cells: list[FunctionCells] = []
        taken = {setup_id(module)}
        for function in _notebook_order(functions, source):
            answer = function
            if answer in taken:
                raise ExportError(f"{module}: function {function} clashes with a notebook cell id")
            taken.add(answer)
            mine: list[TestCell] = []
            for test in (c for c in tests if c.function == f"{module}.{function}"):
                label = test.name.split(": ", 1)[-1]
                base = f"test_{function}-{_slug(label)}"
                gid, n = base, 2
                while gid in taken:
                    gid, n = f"{base}-{n}", n + 1
                taken.add(gid)
                mine.append(TestCell(test, gid, points[test.name]))
            cells.append(FunctionCells(module, function, answer, tuple(mine)))
        out[module] = cells
    return out


# --- reading the reference solutions ----------------------------------------------------------


@dataclass
class _ModuleSource:
    doc: str
    lines: list[str]
    setup: list[str]  # top-level statements other than defs, verbatim
    graded: dict[str, ast.FunctionDef]
    helpers: dict[str, ast.stmt]  # other top-level defs and classes
    uses: dict[str, set[str]]  # top-level name -> top-level defs it refers to


def _module_source(course: Course, module: str, functions: list[str]) -> _ModuleSource:
    """The solution module split into setup statements, the given (exported) functions and
    helpers (every other def or class, graded functions that are not exported included)."""
    path = course.root / "solutions" / f"{module}.py"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ExportError(f"solutions/{module}.py cannot be read") from None
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines()
    doc = ast.get_docstring(tree) or ""
    body = tree.body[1:] if doc else tree.body
    setup: list[str] = []
    graded: dict[str, ast.FunctionDef] = {}
    helpers: dict[str, ast.stmt] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            graded[node.name] = node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            helpers[node.name] = node
        else:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                relative = isinstance(node, ast.ImportFrom) and bool(node.level)
                if relative or any(n.split(".")[0] in _FORBIDDEN_IMPORTS for n in names):
                    raise ExportError(f"solutions/{module}.py imports from the project; a notebook must be "
                                      "self-contained")
            setup.append("\n".join(lines[_first_line(node) - 1 : node.end_lineno]))
    defs = {**graded, **helpers}
    uses = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in defs and n.id != name}
            for name, node in defs.items()}
    missing = [f for f in functions if f not in graded]
    if missing:
        raise ExportError(f"solutions/{module}.py has no top-level function {missing[0]}")
    return _ModuleSource(doc, lines, setup, graded, helpers, uses)


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _closure(src: _ModuleSource, name: str) -> set[str]:
    seen: set[str] = set()
    todo = list(src.uses.get(name, ()))
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(src.uses.get(n, ()))
    return seen


def _notebook_order(functions: list[str], src: _ModuleSource) -> list[str]:
    """Course order, moved only where a function calls a graded function listed after it
    (its test cells run right after its answer cell, so what it calls must exist by then)."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(fn: str) -> None:
        if fn in order or fn in visiting:
            return
        visiting.add(fn)
        for dep in functions:
            if dep in _closure(src, fn):
                visit(dep)
        order.append(fn)

    for fn in functions:
        visit(fn)
    return order


def _helpers_for(src: _ModuleSource, order: list[str]) -> dict[str, list[str]]:
    """Each private helper goes with the first function (in notebook order) that needs it."""
    placed: set[str] = set()
    out: dict[str, list[str]] = {}
    for fn in order:
        need = [h for h in src.helpers if h in _closure(src, fn) and h not in placed]
        placed.update(need)
        out[fn] = need
    return out


def answer_source(src: _ModuleSource, function: str, helpers: list[str], docstring: str | None = None) -> str:
    """Signature and docstring, then the body (and helpers) between the solution markers;
    ``docstring``, when given, replaces the reference's (the course's language)."""
    node = src.graded[function]
    lines = src.lines
    start = _first_line(node) - 1
    first = node.body[0]
    has_doc = ast.get_docstring(node, clean=False) is not None
    if has_doc and len(node.body) == 1:
        raise ExportError(f"{function}: the reference has only a docstring")
    stmt = node.body[1] if has_doc else first
    if stmt.lineno == node.lineno:
        raise ExportError(f"{function}: write the reference body on its own lines")
    split = first.end_lineno if has_doc else stmt.lineno - 1
    assert split is not None
    head = lines[start:split]
    while not has_doc and head and head[-1].strip().startswith("#"):  # comments belong to the body
        split -= 1
        head = head[:-1]
    indent = re.match(r"\s*", lines[stmt.lineno - 1]).group(0)  # type: ignore[union-attr]
    region = lines[split : node.end_lineno]
    for name in helpers:
        h = src.helpers[name]
        region += ["", ""] + lines[_first_line(h) - 1 : h.end_lineno]
    while region and not region[0].strip():
        region = region[1:]
    if docstring is not None and has_doc:  # the signature, then the translated docstring
        signature = lines[start: first.lineno - 1]
        text = docstring.strip("\n").replace('"""', '\\"\\"\\"')
        body = textwrap.indent(text, indent).splitlines()
        body[0] = indent + '"""' + body[0][len(indent):]
        head = [*signature, *body, indent + '"""'] if len(body) > 1 else [*signature, body[0] + '"""']
    return "\n".join([*head, indent + BEGIN_SOLUTION, *region, indent + END_SOLUTION])


# --- exact Python literals ----------------------------------------------------------------------


def _float(x: float) -> str:
    if math.isnan(x):
        return 'float("nan")'
    if math.isinf(x):
        return 'float("inf")' if x > 0 else '-float("inf")'
    return repr(float(x))


def literal(value: Any) -> str:
    """One-line Python source that evaluates (with ``np`` and the probes) to an equal value of
    the same type: floats round-trip exactly, arrays keep dtype and shape."""
    t = type(value)
    if isinstance(value, Fn):
        return value.name
    if value is None or t is bool or t is str:
        return repr(value)
    if t is int:
        return str(value)
    if t is float:
        return _float(value)
    if isinstance(value, np.generic):
        inner = _float(float(value)) if value.dtype.kind == "f" else repr(value.item())
        return f"np.{value.dtype.name}({inner})"
    if t is np.ndarray:
        return _array(value, literal)
    if t is list:
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if t is tuple:
        return "(" + ", ".join(literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if t is dict:
        return "{" + ", ".join(f"{k!r}: {literal(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"cannot write a {t.__name__} as a notebook literal")


def _array(value: np.ndarray, fmt: Any) -> str:
    if value.dtype.kind not in "biuf":
        raise ExportError(f"cannot write an array of {value.dtype} as a notebook literal")
    dtype = "" if value.dtype == np.float64 else f', dtype="{value.dtype.name}"'
    if value.size == 0:
        return f"np.zeros({value.shape!r}{dtype})"
    items = value.tolist() if value.dtype.kind != "f" else _floats(value)
    return f"np.array({fmt(items)}{dtype})"


def _floats(value: np.ndarray) -> Any:
    """Nested lists of Python floats (so the literal reads 1.0, not 1)."""
    if value.ndim == 0:
        return float(value)
    return [_floats(v) for v in value] if value.ndim > 1 else [float(v) for v in value]


def pretty(value: Any, indent: int = 0) -> str:
    """:func:`literal`, wrapped over several lines when it is too long."""
    one = literal(value)
    if indent + len(one) <= WIDTH or not isinstance(value, (list, tuple, np.ndarray)):
        return one
    if isinstance(value, np.ndarray):
        return _array(value, lambda items: pretty(items, indent))
    pad = " " * (indent + 4)
    opener, closer = ("[", "]") if isinstance(value, list) else ("(", ")")
    parts = [pretty(v, indent + 4) for v in value]  # every item ends with ",": (x,) stays a tuple
    if all("\n" not in p and not isinstance(v, (list, tuple, np.ndarray)) for p, v in zip(parts, value, strict=True)):
        rows, row = [], ""
        for p in parts:
            if row and len(pad) + len(row) + len(p) + 2 > WIDTH:
                rows.append(row)
                row = ""
            row = f"{row} {p}," if row else f"{p},"
        rows.append(row)
        body = "\n".join(pad + r for r in rows)
    else:
        body = "\n".join(f"{pad}{p}," for p in parts)
    return f"{opener}\n{body}\n{' ' * indent}{closer}"


# --- cells ----------------------------------------------------------------------------------------


CHECK_HELPERS = '''
def _check_numbers(value):
    """The value as a float array when it holds only real numbers (no bools), else None."""
    if type(value) in (int, float) or (isinstance(value, np.generic) and value.dtype.kind in "iuf"):
        return np.asarray(float(value))
    if type(value) is np.ndarray:
        return value.astype(float) if value.dtype.kind in "iuf" else None
    if type(value) in (list, tuple):
        parts = [_check_numbers(v) for v in value]
        if any(p is None for p in parts):
            return None
        try:
            return np.asarray(parts, dtype=float) if parts else np.zeros(0)
        except ValueError:  # ragged
            return None
    return None


def _check_fail(name, message):
    raise AssertionError(f"{name}: {message}")


def check(kind, fn, args, kwargs=None, expected=None, rtol=RTOL, atol=ATOL):
    """Call fn(*args, **kwargs) and check one thing about it; AssertionError if it is wrong.

    kind "value":     the returned numbers equal `expected` within atol + rtol * |expected|,
                      whatever list, tuple or array holds them; NaN, infinity, booleans,
                      None, empty results and a wrong number of values never pass.
    kind "shape":     the result has the expected form: "number" (a single number), an
                      array shape such as (3, 2), or an int n (a list/tuple/1-D array of n).
    kind "unchanged": the call leaves its list and array arguments exactly as they were.
    Warnings and stderr output of the call are kept out of the cell (nbgrader would
    count them as a failure).
    """
    name = getattr(fn, "__name__", "the function")
    before = copy.deepcopy([a for a in args if not callable(a)])
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        result = fn(*args, **(kwargs or {}))
    if kind == "unchanged":
        after = [a for a in args if not callable(a)]
        for i, (b, a) in enumerate(zip(before, after)):
            if not isinstance(b, (list, tuple, np.ndarray)):
                continue
            bn, an = np.asarray(b), _check_numbers(a)
            same = an is not None and an.shape == bn.shape and np.array_equal(an, bn.astype(float))
            if isinstance(b, np.ndarray):
                same = same and type(a) is np.ndarray and a.dtype == b.dtype
            if not same:
                _check_fail(name, f"it changed its input argument #{i + 1}; work on a copy")
        return
    got = _check_numbers(result)
    if got is None:
        what = "None (is a `return` missing?)" if result is None else repr(result)[:80]
        _check_fail(name, f"returned {what}, which is not a number or an array of numbers")
    if got.size and not np.all(np.isfinite(got)):
        _check_fail(name, "the result contains NaN or infinity")
    if kind == "shape":
        if isinstance(expected, tuple):
            ok = type(result) is np.ndarray and result.shape == expected
            want = f"an array of shape {expected}"
        elif isinstance(expected, int):
            ok = got.ndim == 1 and got.size == expected
            want = f"{expected} numbers"
        else:
            ok, want = got.ndim == 0, "a single number"
        if not ok:
            _check_fail(name, f"expected {want}, got {getattr(result, 'shape', type(result).__name__)}")
        return
    want = _check_numbers(expected)
    if got.size == 0:
        _check_fail(name, "returned an empty result")
    if got.size != want.size:
        _check_fail(name, f"returned {got.size} values where {want.size} were expected")
    dtype = getattr(result, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:  # float32/16 cannot be as exact
        loose = 1e-4 if dtype.itemsize == 4 else 1e-2
        scale = float(np.max(np.abs(want))) if want.size else 1.0
        rtol, atol = max(rtol, loose), max(atol, loose * max(1.0, scale) * 1e-2)
    bad = np.abs(got.ravel() - want.ravel()) > atol + rtol * np.abs(want.ravel())
    if np.any(bad):
        _check_fail(name, f"{int(bad.sum())} of {want.size} values are wrong: expected "
                          f"{np.array2string(want, precision=6)}, got {np.array2string(got, precision=6)}")
'''.strip("\n")


# The messages of CHECK_HELPERS a student sees when a test cell fails: (msgid, values). Each
# value is the f-string expression that fills the placeholder, so t() gives the f-string's text.
_CHECK_MESSAGES: tuple[tuple[str, dict[str, str]], ...] = (
    ("it changed its input argument #{n}; work on a copy", {"n": "{i + 1}"}),
    ("None (is a `return` missing?)", {}),
    ("returned {what}, which is not a number or an array of numbers", {"what": "{what}"}),
    ("the result contains NaN or infinity", {}),
    ("an array of shape {shape}", {"shape": "{expected}"}),
    ("{count} numbers", {"count": "{expected}"}),
    ("a single number", {}),
    ("expected {want}, got {got}", {"want": "{want}", "got": "{getattr(result, 'shape', type(result).__name__)}"}),
    ("returned an empty result", {}),
    ("returned {got} values where {expected} were expected", {"got": "{got.size}", "expected": "{want.size}"}),
    # the English f-string is split over two lines; the break goes with {expected}
    ("{bad} of {total} values are wrong: expected {expected}, got {got}",
     {"bad": "{int(bad.sum())}", "total": "{want.size}",
      "expected": '"\n                          f"{np.array2string(want, precision=6)}',
      "got": "{np.array2string(got, precision=6)}"}),
)


def check_helpers() -> str:
    """:data:`CHECK_HELPERS` with the messages a failed test shows in the current language."""
    cut = CHECK_HELPERS.index('    name = getattr(fn, "__name__"')  # the code after check()'s docstring
    head, text = CHECK_HELPERS[:cut], CHECK_HELPERS[cut:]
    for msgid, values in _CHECK_MESSAGES:
        english = msgid.format(**values)
        assert english in text, msgid  # a message changed in CHECK_HELPERS but not here
        text = text.replace(english, t(msgid, **values))
    return head + text


def _setup_source(course: Course, module: str, src: _ModuleSource, probe_names: list[str]) -> str:
    base = ["import contextlib", "import copy", "import io", "import math", "import warnings", "",
            "import numpy as np"]
    imports = [s for s in src.setup if s.startswith(("import ", "from ")) and s not in base]
    others = [s for s in src.setup if not s.startswith(("import ", "from "))]
    head = "# " + _("Setup (read-only): run this cell first; it is the same in every copy of the notebook.")
    if any(f.startswith(module + ".") for f in not_exported(course)):  # a module of figures
        head += "\n%matplotlib inline"
    parts = [head + "\n" + "\n".join(base + imports)]
    if others:
        parts.append("\n".join(others))
    parts.append(f"RTOL, ATOL = {course.rtol!r}, {course.atol!r}  # "
                 + _("how close a number must be (course.yml)"))
    for name in probe_names:
        parts.append(textwrap.dedent(inspect.getsource(probes.PROBES[name])).strip())
    parts.append(check_helpers())
    return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"


def _expected_spec(check: str, value: Any) -> Any:
    """What a test cell passes as ``expected``: the value, or for shape tests only the form."""
    if check == "shape":
        if isinstance(value, np.ndarray):
            return tuple(value.shape)
        if isinstance(value, (list, tuple)):
            return len(value)
        return "number"
    return value


def check_code(test: Test, expected: Any, course: Course, kind: str | None = None) -> str:
    """One ``check(...)`` call for a test (``kind`` defaults to the test's own check)."""
    call = test.call
    kind = kind or test.check
    head = f'check("{kind}", {call.function}, '
    args = pretty(tuple(call.args), 4)
    kwargs = dict(call.kwargs)
    extra = []
    if kwargs:
        extra.append(pretty(kwargs, 4))
    if kind in ("value", "shape"):
        extra.append(f"expected={pretty(_expected_spec(kind, expected), 4)}")
    if test.rtol is not None and test.rtol != course.rtol:
        extra.append(f"rtol={test.rtol!r}")
    if test.atol is not None and test.atol != course.atol:
        extra.append(f"atol={test.atol!r}")
    one = head + ", ".join([args, *extra]) + ")"
    if len(one) <= WIDTH and "\n" not in one:
        return one
    body = "\n".join(f"    {p}," for p in [f'"{kind}"', call.function, args, *extra])
    return f"check(\n{body}\n)"


def _call_key(test: Test) -> tuple[str, str, str]:
    return test.function, literal(tuple(test.call.args)), literal(dict(test.call.kwargs))


def grade_cell_source(test: Test, expected: Any, course: Course, public_values: set[tuple[str, str, str]]) -> str:
    """The source of a test's autograder cell.

    Like :func:`grader.checks.judge`, a shape or unchanged test passes only on
    the right value too, so its cell checks the value first. Where that value
    is not already shown by a public value test on the same call, the value
    check of a public test is hidden: the call may be shared with a hidden value
    test whose answer must stay out of the release.
    """
    label = test.name.split(": ", 1)[-1]
    code = check_code(test, expected, course)
    gate = check_code(test, expected, course, "value") if test.check in ("shape", "unchanged") else ""
    for c in (code, gate):
        compile(c, test.name, "exec")  # a rendering bug must fail here, not in nbgrader
    if not test.public:
        body = f"{gate}\n{code}" if gate else code
        title = t("Hidden test: {label} (it runs when your work is graded)", label=label)
        return f"# {title}\n{BEGIN_HIDDEN}\n{body}\n{END_HIDDEN}"
    if not gate:
        return f"# {t('Test: {label}', label=label)}\n{code}"
    if _call_key(test) in public_values:
        return f"# {t('Test: {label} (needs the right value as well)', label=label)}\n{gate}\n{code}"
    note = _("When graded, this test also needs the right value (that check is hidden).")
    return (f"# {t('Test: {label}', label=label)}\n# {note}\n"
            f"{BEGIN_HIDDEN}\n{gate}\n{END_HIDDEN}\n{code}")


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
                            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _module_intro(module: str) -> str:
    """The notebook's opening paragraph: the module's ``INTRO`` (in its suite), if it has one.

    In another language, the suite's ``INTRO_<LANG>`` (``INTRO_JA``), else the module
    docstring of that language's docstrings file (``""`` in
    ``grader/locale/<lang>/docstrings/<module>.yaml``), else nothing."""
    from grader.suites import suite

    lang = language()
    if lang == "en":
        return str(getattr(suite(module), "INTRO", "") or "")
    own = str(getattr(suite(module), f"INTRO_{lang.upper()}", "") or "")
    return own or _docstrings(module).get("", "")


def _docstrings_raw(module: str) -> dict[str, str]:
    """The current language's docstrings of ``module`` as written (empty in English)."""
    from grader import stubgen

    if language() == "en":
        return {}
    return stubgen.load_docstrings(language(), module)


def _docstrings(module: str) -> dict[str, str]:
    """The current language's docstrings of ``module`` (empty in English or without a file),
    unwrapped (:func:`_unwrap`)."""
    from grader import stubgen

    if language() == "en":
        return {}
    return {k: _unwrap(v) for k, v in stubgen.load_docstrings(language(), module).items()}


def _unwrap(text: str) -> str:
    """Each paragraph of ``text`` on one line (paragraphs stay apart): a line break between two
    non-ASCII characters (Japanese) goes, any other becomes a space."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(" ".join(re.sub(r"(?<=[^\x00-\x7f])[ \t]*\n\s*(?=[^\x00-\x7f])", "", p).split())
                       for p in paragraphs)


def _first_sentence(doc: str) -> str:
    text = " ".join((doc or "").strip().split("\n\n")[0].split())
    if text and language() == "ja":  # a Japanese docstring's first sentence ends at "。"
        return text.split("。")[0].rstrip("。") + "。"
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def _intro(course: Course, module: str, src: _ModuleSource, cells: list[FunctionCells],
           drawn: list[str] | None = None) -> str:
    drawn = drawn or []
    docs = _docstrings(module)
    topic = _module_intro(module) or " ".join(src.doc.split()) or t("The `{module}` exercises.", module=module)

    def summary(fn: str) -> str:
        return _first_sentence(docs.get(fn) or ast.get_docstring(src.graded[fn]) or "")

    items = []
    for fc in cells:
        node = src.graded[fc.function]
        items.append(f"- `{fc.function}({ast.unparse(node.args)})` ({_points(course.modules[module][fc.function])}): "
                     f"{summary(fc.function)}")
    for fn in drawn:
        node = src.graded[fn]
        graded = t("{points}, graded by the course's own grader from the figure",
                   points=_points(course.modules[module][fn]))
        items.append(f"- `{fn}({ast.unparse(node.args)})` ({graded}): {summary(fn)}")
    total = _points(sum(course.modules[module][fc.function] for fc in cells))
    if drawn:
        figures = _points(sum(course.modules[module][fn] for fn in drawn))
        total = (t("{total} here, {figures} graded from figures", total=total, figures=figures) if cells
                 else t("{figures}, graded from figures", figures=figures))
    left_out = [f for f in course.modules[module]
                if f not in {fc.function for fc in cells} and f not in drawn]
    if left_out:
        names = ", ".join(f"`{f}`" for f in left_out)
        items.append("- " + t("Not in this notebook: {names} (graded by the course's own grader).", names=names))
    return "\n".join([
        f"# {course.title}: `{module}`",
        "",
        topic,
        "",
        "## " + t("What you write ({total})", total=total),
        "",
        *items,
        "",
        "## " + _("How this notebook is graded"),
        "",
        _("Run the setup cell first, then fill in each function where it says `YOUR CODE HERE` "
          "(keep its name and parameters)."),
        *([] if not cells else [
            t("After each function come its test cells: visible ones "
              "show their inputs and expected results, so you can run them yourself; *hidden* ones show "
              "only their title and run when your work is graded. Each test cell is worth a share of its "
              "function's points, earned when its check holds: the numbers agree with the reference within "
              "`atol + rtol * |expected|` (rtol={rtol}, atol={atol}), are finite real "
              "numbers (not booleans or `None`), and come in the right number. A shape test or a "
              "leaves-its-inputs-alone test also needs the right value. Do not redefine `check` or other "
              "names from the setup cell.", rtol=f"{course.rtol:g}", atol=f"{course.atol:g}"),
        ]),
        *([] if not drawn else [
            "",
            _("A function that draws a figure has no test cells here: the cell after it calls it on "
              "sample inputs and shows the figure it returns, right below. Its points are part of this "
              "assignment's total; the course's own grader (`grader grade`) reads what that figure shows "
              "(its points, lines, contour lines and axis labels) and records them in the gradebook "
              "(until then nbgrader lists the answer as waiting for a grade)."),
        ]),
    ])


def _points(p: float) -> str:
    return t("{points} point", points=f"{p:g}") if p == 1 else t("{points} points", points=f"{p:g}")


def build_notebooks(course: Course, plan: Any | None = None) -> dict[str, Any]:
    """The source notebooks (``nbformat`` nodes), one per module, in course order."""
    try:
        import nbformat
        from nbformat import v4
    except ImportError:
        raise NbgraderMissing("nbformat") from None
    from grader.plan import build_plan

    plan = plan or build_plan(course, with_mistakes=False)
    cells_of = layout(course, plan.tests)
    drawn_of: dict[str, list[str]] = {}
    for qualname in not_exported(course, plan.tests):
        module, function = qualname.split(".", 1)
        drawn_of.setdefault(module, []).append(function)
    notebooks: dict[str, Any] = {}
    for module in course.modules:
        fcells, drawn = cells_of.get(module, []), drawn_of.get(module, [])
        if not fcells and not drawn:
            continue
        src = _module_source(course, module, [fc.function for fc in fcells] + drawn)
        order = [fc.function for fc in fcells]
        helpers = _helpers_for(src, order + drawn)
        probe_names = sorted({a.name for fc in fcells for tc in fc.tests
                              for a in (*tc.test.call.args, *dict(tc.test.call.kwargs).values())
                              if isinstance(a, Fn)})
        unknown = [p for p in probe_names if p not in probes.PROBES]
        if unknown:
            raise ExportError(f"{module}: the tests use an unknown probe {unknown[0]}")
        cells = [v4.new_markdown_cell(_intro(course, module, src, fcells, drawn)),
                 v4.new_code_cell(_setup_source(course, module, src, probe_names),
                                  metadata=_meta(setup_id(module), locked=True))]
        cells[0].id, cells[1].id = "intro", "setup"
        for fc in fcells:
            head = v4.new_markdown_cell(f"## `{fc.function}` ({_points(course.modules[module][fc.function])})")
            head.id = f"h-{fc.function}"[:64]
            answer = v4.new_code_cell(answer_source(src, fc.function, helpers[fc.function],
                                                    _docstrings_raw(module).get(fc.function)),
                                      metadata=_meta(fc.answer_id, solution=True))
            answer.id = f"a-{fc.function}"[:64]
            cells += [head, answer]
            public_values = {_call_key(tc.test) for tc in fc.tests if tc.test.public and tc.test.check == "value"}
            for i, tc in enumerate(fc.tests):
                text = grade_cell_source(tc.test, plan.expected[plan.index(tc.test)].value, course, public_values)
                cell = v4.new_code_cell(text, metadata=_meta(tc.grade_id, grade=True, locked=True,
                                                             points=tc.points))
                cell.id = f"t-{fc.function}-{i}"[:64]
                cells.append(cell)
        for function in drawn:
            points = float(course.modules[module][function])
            graded = t("{points}, graded from the figure by the course's grader", points=_points(points))
            head = v4.new_markdown_cell(f"## `{function}` ({graded})")
            head.id = f"h-{function}"[:64]
            # A manually graded answer: nbgrader counts its points in the maximum and waits for a
            # grade, which `grader grade --gradebook` records from the figure's data.
            answer = v4.new_code_cell(answer_source(src, function, helpers[function],
                                                    _docstrings_raw(module).get(function)),
                                      metadata=_meta(function, solution=True, grade=True, points=points))
            answer.id = f"a-{function}"[:64]
            draw = v4.new_code_cell(draw_source(plan.tests, module, function),
                                    metadata=_meta(f"draw_{function}", locked=True))
            draw.id = f"d-{function}"[:64]
            cells += [head, answer, draw]
        nb = v4.new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC),
                                                    "language_info": {"name": "python"}})
        nbformat.validate(nb)
        notebooks[module] = nb
    return notebooks


def draw_source(tests: list[Test], module: str, function: str) -> str:
    """The read-only cell after a figure function: call it on a public test's inputs, show the figure."""
    mine = [t for t in tests if t.function == f"{module}.{function}"]
    test = next((t for t in mine if t.public), mine[0] if mine else None)
    call = test.call if test is not None else None
    args = [pretty(a) for a in call.args] if call else []
    args += [f"{k}={pretty(v)}" for k, v in call.kwargs] if call else []
    return "\n".join([
        "# " + _("Your figure, drawn from sample inputs (read-only; the course's grader grades its data)."),
        f"fig = {function}({', '.join(args)})",
        "fig",
    ]) + "\n"


def config_source(course: Course, assignment: str) -> str:
    """The nbgrader_config.py of the exported course folder."""
    return f'''{CONFIG_MARKER}
"""nbgrader configuration for "{course.title}" (see `grader nbgrader --help`)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = {course_id(course)!r}
# The folder holding this file, wherever it is moved: source/, release/, submitted/, ...
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# Assignment written by `grader nbgrader`: source/{assignment}/
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
# A test cell deleted by a student is put back (and run) when autograding.
c.OverwriteCells.add_missing_cells = True
# Seconds one cell may run (course.yml limits.wall_seconds).
c.Execute.timeout = {max(1, math.ceil(course.limits.wall_seconds))}
'''


def export(course: Course, out_dir: Path, *, assignment: str = "ps1") -> list[Path]:
    """Write ``nbgrader_config.py`` and ``source/<assignment>/<module>.ipynb`` under ``out_dir``.

    An existing ``nbgrader_config.py`` without the generated-file marker line is
    kept (the instructor's own). Where nbgrader is installed and there is no
    ``gradebook.db`` yet, ``grader nbgrader`` creates an empty one (:func:`grader.gradebook.init_gradebook`),
    which spares nbgrader's first command a slow ``alembic`` run that fails
    outside an activated venv. Returns the paths written.
    """
    try:
        import nbformat
    except ImportError:
        raise NbgraderMissing("nbformat") from None
    if not ASSIGNMENT_RE.match(assignment):
        raise ExportError(f"assignment name {assignment!r}: use letters, digits, '_', '-' and '.'")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    notebooks = build_notebooks(course)
    source = out_dir / "source" / assignment
    try:
        source.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        config = out_dir / "nbgrader_config.py"
        if not config.exists() or config.read_text(encoding="utf-8").startswith(CONFIG_MARKER):
            config.write_text(config_source(course, assignment), encoding="utf-8")
            written.append(config)
        for module, nb in notebooks.items():
            path = source / f"{module}.ipynb"
            with path.open("w", encoding="utf-8") as fh:
                nbformat.write(nb, fh)
            written.append(path)
    except OSError as exc:
        raise ExportError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return written

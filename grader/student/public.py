"""Runs the public tests on your functions and explains the results in plain words.

Each public test calls one of your functions (on fresh copies of its inputs)
and judges the result exactly as the grader does. The test data lives in
``tests/public_cases.json`` (and ``tests/plot_cases.json`` for the figures);
the judging code beside this file is a copy of the grader's own.

A plot test also saves the figure your function returned as a PNG under
``figures/``, so you can look at it, and saves it again only when the code
that drew it changed. These tests never import matplotlib themselves: it is
loaded only when your plot function imports it, always with the
non-interactive Agg backend (no window opens).

Every message is in the language of this copy (``language:`` in ``course.yml``,
English when it has none), read from the catalogues in ``locale/`` beside this
file by ``i18n.py``.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import json
import os
import re
import signal
import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import judge, same_numbers
from .execute import Outcome, describe_exception, run_call
from .fonts import add_fallback_to
from .i18n import LANGUAGES, _, language, set_language, t
from .verdict import field_line, text_width
from .wire import decode

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
EXERCISES = ROOT / "exercises"
CASES_FILE = TESTS / "public_cases.json"
PLOT_CASES_FILE = TESTS / "plot_cases.json"
FIGURES = ROOT / "figures"
FIGURE_DPI = 80
COURSE_FILE = ROOT / "course.yml"
LOCALE = Path(__file__).resolve().parent / "locale"


def copy_language(path: Path = COURSE_FILE) -> str:
    """The language of this copy: the ``language:`` line of its course.yml (written by
    ``grader release``), else English."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "en"
    found = re.search(r"""^language:[ \t]*["']?([A-Za-z_-]+)["']?[ \t]*(?:#.*)?$""", text, flags=re.M)
    return found.group(1) if found and found.group(1) in LANGUAGES else "en"


set_language(copy_language(), root=LOCALE)  # before any message is made
# matplotlib reads this when it is first imported (by your plot function, if ever): the Agg
# backend draws into memory, so no window opens while the tests run.
os.environ["MPLBACKEND"] = "Agg"


@dataclass(frozen=True)
class Case:
    """One public test: a call of one function and the check made on its result."""

    name: str
    function: str  # "module.function"
    check: str  # value, shape, unchanged or figure
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    args_after: bool
    what: str
    expected: Any
    points: float
    rtol: float
    atol: float
    mistakes: tuple[tuple[str, Any], ...] = ()  # (hint, what that mistake returns here)
    title: str = ""  # the name as the student reads it (label in the course's language); "" = the name

    @property
    def shown(self) -> str:
        """The test's name for people; ``name`` stays the identifier (pytest ids, ``-k``)."""
        return self.title or self.name

    @property
    def module(self) -> str:
        return self.function.split(".")[0]


@dataclass
class Course:
    """The course as the public tests see it: title, functions in order, their points."""

    title: str
    points: dict[str, float]
    cases: list[Case] = field(default_factory=list)
    total_cases: int = 0  # every public test, the plot tests included
    call_seconds: float = 3.0  # the per-call time limit (course.yml's limits.call_seconds)


@dataclass
class Result:
    """What one public test found."""

    case: Case
    passed: bool
    kind: str
    reason: str = ""
    expected: str = ""
    actual: str = ""
    hint: str = ""
    where: str = ""
    figure: str = ""  # where the returned figure was saved (``figures/<name>.png``)

    @property
    def earned(self) -> float:
        return self.case.points if self.passed else 0.0

    def message(self) -> str:
        """The failure in a few plain lines (the same layout as the grader's feedback)."""
        lines = [f"{self.case.shown}: {self.reason}"]
        if self.case.what:
            lines.append(field_line(_("input"), self.case.what))
        if self.expected and self.kind in ("wrong value", "wrong size", "wrong shape", "modified input"):
            lines.append(field_line(_("expected"), self.expected))
            lines.append(field_line(_("got"), self.actual))
        elif self.actual and self.kind in ("wrong type", "empty", "not finite"):
            lines.append(field_line(_("got"), self.actual))
        if self.where:
            lines.append(field_line(_("where"), self.where))
        if self.hint:
            lines.append(field_line(_("hint"), self.hint))
        if self.figure.startswith("figures/"):
            lines.append(field_line(_("figure"), t("{path} (open it to see what you drew)", path=self.figure)))
        elif self.figure:
            lines.append(field_line(_("figure"), self.figure))
        return "\n".join(lines)


class CallTimeout(BaseException):
    """A call ran past the time limit (a BaseException, so `except Exception` cannot swallow it)."""


def call_with_limit(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``fn(*args, **kwargs)``, stopped after the course's per-call time limit with :class:`CallTimeout`.

    Linux and macOS: an alarm signal interrupts the call (pure-Python loops and most NumPy
    work). Windows (no alarm signal), or not in the main thread: the call runs in a
    background thread that is left behind if it does not finish, and the test fails.
    """
    seconds = course().call_seconds
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        def ring(_signum: int, _frame: Any) -> None:
            raise CallTimeout()

        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn(*args, **kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CallTimeout()
    if "error" in box:
        raise box["error"]
    return box["value"]


def load_cases(path: Path) -> list[Case]:
    """The cases of one cases file (``public_cases.json`` or ``plot_cases.json``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            name=c["name"], function=c["function"], check=c["check"],
            args=tuple(decode(a) for a in c["call"]["args"]),
            kwargs={k: decode(v) for k, v in c["call"]["kwargs"].items()},
            args_after=c["call"]["args_after"], what=c["what"],
            expected=decode(c["expected"]), points=c["points"], rtol=c["rtol"], atol=c["atol"],
            mistakes=tuple((hint, decode(out)) for hint, out in c.get("mistakes", [])),
            title=c.get("title", ""),
        )
        for c in data["cases"]
    ]


def load_course(path: Path = CASES_FILE) -> Course:
    """Read the functions and the (non-plot) public tests from ``public_cases.json``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    total = sum(f.get("public_tests", 0) for f in data["functions"])
    return Course(data["title"], {f["name"]: f["points"] for f in data["functions"]}, load_cases(path), total,
                  float(data.get("call_seconds", Course.call_seconds)))


def plot_cases() -> list[Case]:
    """The public figure tests (none when this course has no plot exercises)."""
    return load_cases(PLOT_CASES_FILE) if PLOT_CASES_FILE.is_file() else []


_course: Course | None = None


def course() -> Course:
    """The public tests, read once per run."""
    global _course
    if _course is None:
        _course = load_course()
    return _course


# -- loading and calling the student's code ---------------------------------------------

_modules: dict[str, tuple[types.ModuleType | None, str, str]] = {}


def _shown(filename: str) -> str:
    """A file name relative to this folder where possible (``exercises/losses.py``)."""
    try:
        return Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return filename


def _where(tb: types.TracebackType | None) -> str:
    """``exercises/<file>.py:<line>: <code>`` of the innermost frame in your exercises."""
    found = ""
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename).resolve()
        if path.parent == EXERCISES:
            found = f"exercises/{path.name}:{tb.tb_lineno}"
            try:
                code = path.read_text(encoding="utf-8").splitlines()[tb.tb_lineno - 1].strip()
            except (OSError, IndexError, UnicodeDecodeError):
                code = ""
            found += f": {code}" if code else ""
        tb = tb.tb_next
    return found


def load_module(name: str) -> tuple[types.ModuleType | None, str, str]:
    """Import ``exercises.<name>`` once; returns (module, problem, where)."""
    if name not in _modules:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        try:
            module = importlib.import_module(f"exercises.{name}")
            origin = Path(getattr(module, "__file__", "") or "").resolve()
            if origin != EXERCISES / f"{name}.py":
                _modules[name] = (None, t("imported exercises.{name} from {origin}, not from this folder",
                                          name=name, origin=origin), "")
            else:
                _modules[name] = (module, "", "")
        except SyntaxError as exc:
            problem = t("exercises/{name}.py could not be imported: {error}", name=name,
                        error=f"{type(exc).__name__}: {exc.msg}")
            where = f"{_shown(exc.filename)}:{exc.lineno}" if exc.filename and exc.lineno else ""
            code = (exc.text or "").strip()
            _modules[name] = (None, problem, f"{where}: {code}" if where and code else where)
        except BaseException as exc:  # noqa: BLE001 - any import failure is reported, not raised
            if isinstance(exc, KeyboardInterrupt):
                raise
            problem = t("exercises/{name}.py could not be imported: {error}", name=name,
                        error=_no_matplotlib() if _is_missing_matplotlib(exc) else describe_exception(exc))
            _modules[name] = (None, problem, _where(exc.__traceback__))
    return _modules[name]


def _is_missing_matplotlib(exc: BaseException) -> bool:
    return isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == "matplotlib"


def _no_matplotlib() -> str:
    return _("the plot tests need matplotlib, which is not installed here (pip install matplotlib)")


class _Watched:
    """Stands in for a module with one function, remembering what that function raised."""

    def __init__(self, name: str, fn: Callable[..., Any]) -> None:
        self.raised: BaseException | None = None

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return call_with_limit(fn, args, kwargs)
            except BaseException as exc:
                self.raised = exc
                raise

        setattr(self, name, call)


# -- judging ----------------------------------------------------------------------------

def run_case(case: Case) -> Result:
    """Call the student's function on this case's inputs and judge the outcome."""
    if case.check == "figure":
        use_agg()  # only if matplotlib is loaded already (then perhaps with another backend)
    module, problem, where = load_module(case.module)
    short = case.function.split(".")[1]
    if module is None:
        return Result(case, False, "error", problem, where=where)
    fn = getattr(module, short, None)
    if not callable(fn):
        return Result(case, False, "error", t("exercises/{module}.py has no function {function}",
                                              module=case.module, function=short))
    watched = _Watched(short, fn)
    actual = run_call(watched, short, case.args, case.kwargs, case.args_after)  # type: ignore[arg-type]
    raised = watched.raised
    where = _where(raised.__traceback__) if raised is not None else ""
    if isinstance(raised, KeyboardInterrupt):
        raise KeyboardInterrupt
    if isinstance(raised, CallTimeout):
        return Result(case, False, "timeout", t("{function} did not return within {seconds} s (an endless "
                                                "loop?), so the test {test} stopped it",
                                                function=case.function, seconds=f"{course().call_seconds:g}",
                                                test=case.shown))
    if raised is not None and _is_missing_matplotlib(raised):
        return Result(case, False, "error", _no_matplotlib(), where=where)
    saved = ""
    if case.check == "figure":  # saved before judging: judging reads the figure, then closes it
        saved = save_figure(case, actual.value if actual.ok else None)
    expected = Outcome(ok=True, value=case.expected)
    if case.check == "figure":
        _register_figure_checks(case.module)
    try:
        verdict = judge(case.check, case.args, expected, actual, case.rtol, case.atol)
    finally:
        if case.check == "figure" and actual.ok:
            _close(actual.value)
    result = Result(case, verdict.passed, verdict.kind, verdict.reason, verdict.expected, verdict.actual,
                    figure=saved)
    if verdict.kind == "error":
        result.where = where
    if not verdict.passed and case.check == "value" and actual.ok:
        result.hint = _hint(case, actual.value)
    return result


# -- figures ----------------------------------------------------------------------------


def _register_figure_checks(module: str) -> None:
    """Load what the figures of ``module`` must show (``figures_<module>.py`` beside this file)."""
    figures = importlib.import_module(f"{__package__}.figures")  # the copy's tests/_support/figures.py
    checks = importlib.import_module(f"{__package__}.figures_{module}")
    figures.register_figure_checks(checks.FIGURE_CHECKS)

def use_agg() -> None:
    """Switch an already imported matplotlib to the Agg backend (else ``MPLBACKEND`` does it)."""
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        try:
            matplotlib.use("Agg", force=True)
        except Exception:  # noqa: BLE001 - e.g. pyplot already showing windows: draw anyway
            pass


def figure_name(case: Case) -> str:
    """``<function>-<the test's label as a short slug>.png``: stable, safe on every system."""
    label = case.name.split(": ", 1)[-1]
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    if len(slug) > 48:
        slug = slug[:48].rsplit("-", 1)[0]
    return f"{case.function.split('.')[-1]}-{slug or 'figure'}.png"


def save_figure(case: Case, value: Any) -> str:
    """Save a returned Figure as ``figures/<name>.png``; returns that path or a short note.

    When the call returned no Figure, an old PNG of this test is removed, so
    the folder never shows a picture your current code did not draw. When the
    code that drew it is unchanged since the PNG was saved, the PNG is kept as
    it is (drawing a PNG takes longer than the rest of the test)."""
    figure_module = sys.modules.get("matplotlib.figure")  # loaded if your function made a Figure
    path = FIGURES / figure_name(case)
    shown = f"figures/{path.name}"
    if figure_module is None or not isinstance(value, figure_module.Figure):
        _forget(path)
        return ""
    key = _drawing_key(case)
    if path.is_file() and _saved_keys().get(path.name) == key:
        return shown
    try:
        FIGURES.mkdir(exist_ok=True)
        add_fallback_to(value)  # Japanese labels are drawn with a font that has their glyphs
        value.savefig(path, dpi=FIGURE_DPI)
    except Exception as exc:  # noqa: BLE001 - e.g. a label matplotlib cannot typeset
        _forget(path)
        return t("not saved ({error})", error=describe_exception(exc)[:120])
    _remember(path.name, key)
    return shown


SAVED_KEYS = ".saved.json"  # in figures/: for each PNG, the key of the code that drew it
_saved: dict[str, str] | None = None


def _saved_keys() -> dict[str, str]:
    global _saved
    if _saved is None:
        try:
            data = json.loads((FIGURES / SAVED_KEYS).read_text(encoding="utf-8"))
            _saved = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError):
            _saved = {}
    return _saved


def _remember(name: str, key: str | None) -> None:
    saved = _saved_keys()
    if key is None:
        saved.pop(name, None)
    else:
        saved[name] = key
    try:
        (FIGURES / SAVED_KEYS).write_text(json.dumps(saved, indent=0, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # a read-only folder: the PNG is simply drawn again next time


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
    if path.name in _saved_keys():
        _remember(path.name, None)


def _imported_names(source: str) -> set[str]:
    """The names of ``exercises`` modules an ``import`` statement of ``source`` names
    (``from exercises.a import f``, ``from .a import f``, ``from exercises import a, b``,
    ``from . import a``, ``import exercises.a, exercises.b``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("exercises."))
        elif isinstance(node, ast.ImportFrom):
            package = "." * node.level + (node.module or "")
            if package in ("exercises", "."):
                names.update(a.name for a in node.names)
            elif package.startswith(("exercises.", ".")) and node.level <= 1:
                names.add(package.split(".")[1] if package.startswith("exercises.") else package[1:].split(".")[0])
    return names


def exercise_imports(module: str) -> set[str]:
    """The modules of ``exercises/`` that ``exercises/<module>.py`` imports, directly or not
    (read from its ``import`` statements, so without running it)."""
    found: set[str] = set()
    todo = [module]
    while todo:
        try:
            source = (EXERCISES / f"{todo.pop()}.py").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for other in _imported_names(source):
            if other not in found and other != module and (EXERCISES / f"{other}.py").is_file():
                found.add(other)
                todo.append(other)
    return found


def _drawing_key(case: Case) -> str:
    """What decides the PNG of this test: your code (the module and the exercises it imports),
    the test, matplotlib's version and this copy's language."""
    digest = hashlib.sha256()
    for name in sorted({case.module, *exercise_imports(case.module)}):
        try:
            digest.update(name.encode() + b"\0" + (EXERCISES / f"{name}.py").read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0missing\0")
    matplotlib = sys.modules.get("matplotlib")
    digest.update(repr((case.name, _cases_digest(), FIGURE_DPI, getattr(matplotlib, "__version__", ""),
                        language())).encode())
    return digest.hexdigest()


_plot_cases_digest: list[str] = []


def _cases_digest() -> str:
    """The digest of ``plot_cases.json`` (the tests' inputs), read once per run."""
    if not _plot_cases_digest:
        try:
            _plot_cases_digest.append(hashlib.sha256(PLOT_CASES_FILE.read_bytes()).hexdigest())
        except OSError:
            _plot_cases_digest.append("")
    return _plot_cases_digest[0]


def _close(value: Any) -> None:
    """Release a figure from pyplot (if the student used pyplot at all)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and type(value).__name__ == "Figure":
        try:
            plt.close(value)
        except Exception:  # noqa: BLE001
            pass


def saved_figures(ran: list[Result]) -> list[str]:
    """The PNG files the tests that ran saved (paths relative to this folder)."""
    return [r.figure for r in ran if r.figure.startswith("figures/")]


results: dict[str, Result] = {}  # case name -> result, for the tests that ran
ONLY_MODULES = "PUBLIC_TESTS_ONLY"  # set by `pytest --watch`: run only these modules' tests ("a,b")
plugin_active = False  # set by conftest.py, which then reports failed checks itself


def check(case: Case) -> Result:
    """Run one case and remember its result for the report and the summary."""
    results[case.name] = result = run_case(case)
    return result


def _hint(case: Case, value: Any) -> str:
    """The hint of the known mistake that returns exactly this wrong value, if any."""
    for hint, mistaken in case.mistakes:
        if same_numbers(value, mistaken, case.rtol, case.atol):
            return hint
    return ""


# -- the summary ------------------------------------------------------------------------

DONE, FAILING, NOT_STARTED = "done", "failing", "not started"
SYMBOLS = {DONE: "✓", FAILING: "✗", NOT_STARTED: "·"}
PLAIN_SYMBOLS = {DONE: "+", FAILING: "x", NOT_STARTED: "-"}


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - text_width(text)) + text


def status_label(status: str) -> str:
    """A status in words, in the copy's language."""
    return {DONE: _("done"), FAILING: _("failing"), NOT_STARTED: _("not started")}[status]


def status_of(results: list[Result]) -> str:
    if all(r.passed for r in results):
        return DONE
    if all(r.kind == "not started" for r in results):
        return NOT_STARTED
    return FAILING


def styled_summary(course: Course, results: list[Result], *, total_cases: int,
                   unicode: bool = True) -> list[tuple[str, str]]:
    """The progress table (one row per function that ran, the total, and what to do next),
    each line with its style: "next" (the function to work on), "done" (everything passes) or ""."""
    symbols = SYMBOLS if unicode else PLAIN_SYMBOLS
    by_function: dict[str, list[Result]] = {}
    for r in results:
        by_function.setdefault(r.case.function, []).append(r)
    head_function, head_status, head_tests, head_points = _("function"), _("status"), _("tests"), _("points")
    total_label = _("total")
    width = max([len(f) for f in by_function] + [text_width(head_function), text_width(total_label)])
    labels = {status: f"{symbols[status]} {status_label(status)}" for status in (DONE, FAILING, NOT_STARTED)}
    status_width = max(text_width(head_status), *(text_width(label) for label in labels.values()))
    tests_width = max(5, text_width(head_tests))
    lines = [(f"  {ljust(head_function, width)}  {ljust(head_status, status_width)}  "
              f"{rjust(head_tests, tests_width)}  {head_points}", "")]
    earned = possible = 0.0
    next_up = ""
    for function in course.points:
        mine = by_function.get(function)
        if not mine:
            continue
        status = status_of(mine)
        got = sum(r.earned for r in mine)
        out_of = sum(r.case.points for r in mine)
        earned, possible = earned + got, possible + out_of
        passed = sum(r.passed for r in mine)
        tests = f"{passed}/{len(mine)}"
        lines.append((f"  {ljust(function, width)}  {ljust(labels[status], status_width)}  "
                      f"{rjust(tests, tests_width)}  {_num(got)} / {_num(out_of)}", ""))
        if status != DONE and not next_up:
            next_up = function
    lines.append((f"  {ljust(total_label, width)}  {'':<{status_width}}  {'':>{tests_width}}  "
                  f"{_num(earned)} / {_num(possible)}", ""))
    lines.append(("", ""))
    if len(results) < total_cases:
        lines.append((t("Only {ran} of the {total} public tests ran; run plain `pytest` for your full progress.",
                        ran=len(results), total=total_cases), ""))
    if next_up:
        lines.append((t("Next: work on {function}", function=next_up), "next"))
    elif len(results) == total_cases:
        lines.append((_("Congratulations: every public test passes! Hidden tests run when your "
                        "work is graded, so test your functions on other inputs too."), "done"))
    else:
        lines.append((_("Every test that ran passes."), ""))
    return lines

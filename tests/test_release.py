"""The student copy written by ``grader.release``: what is in it, what must never be,
and what a student sees when running plain ``pytest`` in it.

The student runs use an interpreter that has numpy and pytest but cannot import
the project's ``grader`` (or ``solutions``), like a student's machine.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import yaml

from grader import cases as grader_cases
from grader import release as rel
from grader.cases import Call
from grader.config import load_course
from grader.errors import InputError
from grader.plan import Plan, build_plan, mistake_outcomes
from grader.wire import decode

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT / "course.yml")
SHIPPED_SOURCES = [ROOT / "grader" / f"{n}.py" for n in rel.SUPPORT] + sorted((ROOT / "grader" / "student").glob("*"))


@dataclass(frozen=True)
class FakeMistake:
    """A mistake of our own, so the hint shown to the student is known to this test."""

    function: str
    name: str
    hint: str
    source: str
    affects: tuple[str, ...] = ()


SSE_MEAN = FakeMistake(
    "losses.sse", "test-mean", "TEST HINT: you averaged the squared errors instead of adding them up.",
    "def sse(y, y_hat):\n"
    "    residual_for_test = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))\n"
    "    return float(np.mean(residual_for_test * residual_for_test))\n",
)


@pytest.fixture(scope="module")
def hint_plan() -> Plan:
    """The course's plan with only ``SSE_MEAN`` as its mistake catalogue."""
    p = build_plan(COURSE, with_mistakes=False)
    with mock.patch("grader.suites.load_mistakes", lambda modules: [SSE_MEAN]):
        p.mistakes = mistake_outcomes(COURSE, p.calls)
    return p


@pytest.fixture(scope="module")
def default_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy released exactly as ``grader release`` does (the real mistake catalogue, if any)."""
    out = tmp_path_factory.mktemp("release") / "copy"
    rel.release(COURSE, out)
    return out


def _shipped(plan: Plan) -> list[grader_cases.Test]:
    """The public tests that travel in public_cases.json (figure checks have their own file)."""
    return [t for t in plan.tests if t.public and t.check != "figure"]


def _plots_shipped(plan: Plan) -> list[grader_cases.Test]:
    """The public figure tests, which travel in plot_cases.json."""
    return [t for t in plan.tests if t.public and t.check == "figure"]


def _cases(copy: Path) -> list[dict]:
    """Every shipped case, from both cases files."""
    return [c for name in ("public_cases.json", "plot_cases.json")
            for c in json.loads((copy / "tests" / name).read_text())["cases"]]


def _copy(tmp_path: Path, hint_plan: Plan) -> Path:
    out = tmp_path / "copy"
    rel.release(COURSE, out, plan=hint_plan)
    return out


# -- leak detection -----------------------------------------------------------------------

def _fragments(source: str) -> set[str]:
    """Distinctive pieces of every function body: unparsed statements and raw source lines."""
    tree, lines = ast.parse(source), source.splitlines()
    found: set[str] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
        for stmt in body:
            pieces = ast.unparse(stmt).splitlines() + lines[stmt.lineno - 1 : stmt.end_lineno]
            found |= {p.strip() for p in pieces if len(p.strip()) > 20}
    return found


def _leak_fragments(sources: list[str]) -> set[str]:
    """Fragments of ``sources`` that are not also common idioms of the shipped support code."""
    shipped = "".join(p.read_text(encoding="utf-8") for p in SHIPPED_SOURCES if p.is_file())
    return {f for s in sources for f in _fragments(s) if f not in shipped}


def _solution_sources() -> list[str]:
    """The solutions' code with every docstring removed (docstrings are meant to ship)."""
    import ast

    out = []
    for path in sorted((ROOT / "solutions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        tree = ast.parse(source)
        doc_lines: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
                first = node.body[0]
                doc_lines.update(range(first.lineno - 1, first.end_lineno or first.lineno))
        out.append("".join(line for i, line in enumerate(lines) if i not in doc_lines))
    return out


def _all_text(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leaks(folder: Path, needles: set[str]) -> list[str]:
    return [f"{name}: {n!r}" for name, text in _all_text(folder).items() for n in needles if n in text]


def test_leak_detector_finds_solution_code(tmp_path: Path) -> None:
    fragments = _leak_fragments(_solution_sources())
    assert len(fragments) > 40
    shutil.copy(ROOT / "solutions" / "regression.py", tmp_path / "oops.py")
    assert _leaks(tmp_path, fragments)


def _docstrings() -> str:
    import ast

    texts = []
    for path in sorted((ROOT / "solutions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Module, ast.FunctionDef)) and ast.get_docstring(node):
                texts.append(ast.get_docstring(node) or "")
    return "\n".join(texts)


def test_copy_has_no_solution_code(default_copy: Path) -> None:
    # A fragment the docstrings quote on purpose (e.g. how to make an Axes) is instruction, not answer.
    docs = _docstrings()
    fragments = {f for f in _leak_fragments(_solution_sources()) if f not in docs}
    assert _leaks(default_copy, fragments) == []


def test_copy_has_no_mistake_source(default_copy: Path, tmp_path: Path, hint_plan: Plan) -> None:
    from grader.suites import load_mistakes

    sources = [m.source for m in load_mistakes(list(COURSE.modules))]
    fragments = _leak_fragments(sources)
    assert _leaks(default_copy, fragments | {s.strip() for s in sources}) == []
    ours = _copy(tmp_path, hint_plan)
    assert SSE_MEAN.hint in (ours / "tests" / "public_cases.json").read_text()
    assert _leaks(ours, _leak_fragments([SSE_MEAN.source]) | {"residual_for_test"}) == []


def test_copy_has_no_hidden_tests(default_copy: Path, hint_plan: Plan) -> None:
    hidden = {t.name for t in hint_plan.tests if not t.public}
    public = {t.name for t in hint_plan.tests if t.public}
    assert hidden and not hidden & public
    assert _leaks(default_copy, hidden) == []
    cases = json.loads((default_copy / "tests" / "public_cases.json").read_text())["cases"]
    assert [c["name"] for c in cases] == [t.name for t in _shipped(hint_plan)]
    plots = json.loads((default_copy / "tests" / "plot_cases.json").read_text())["cases"]
    assert [c["name"] for c in plots] == [t.name for t in _plots_shipped(hint_plan)]
    assert plots and all(c["check"] == "figure" for c in plots)


def test_every_case_carries_the_reference_value(default_copy: Path, hint_plan: Plan) -> None:
    cases = json.loads((default_copy / "tests" / "public_cases.json").read_text())["cases"]
    public = _shipped(hint_plan)
    for case, test in zip(cases, public, strict=True):
        expected = hint_plan.expected[hint_plan.index(test)].value
        assert np.array_equal(np.asarray(decode(case["expected"]), dtype=float), np.asarray(expected, dtype=float))
        assert ("mistakes" in case) == (test.check == "value")
    plots = json.loads((default_copy / "tests" / "plot_cases.json").read_text())["cases"]
    for case, test in zip(plots, _plots_shipped(hint_plan), strict=True):
        assert decode(case["expected"]) == hint_plan.expected[hint_plan.index(test)].value


# -- contents -----------------------------------------------------------------------------

def test_copy_layout(default_copy: Path) -> None:
    files = set(_all_text(default_copy))
    expected = {"README.md", "pytest.ini", "course.yml", "exercises/__init__.py", "tests/conftest.py",
                "tests/test_public.py", "tests/public_cases.json", "tests/_support/__init__.py",
                "tests/_support/public.py", "tests/_support/checks.py", "tests/_support/wire.py",
                "tests/_support/execute.py", "tests/_support/probes.py", "tests/_support/figures.py",
                "tests/test_public_plots.py", "tests/plot_cases.json"}
    expected |= {f"exercises/{m}.py" for m in COURSE.modules}
    assert expected <= files
    assert not [f for f in files if f.startswith(("solutions", "grader"))]


def test_stubs_in_the_copy_are_the_generated_stubs(default_copy: Path) -> None:
    for module in COURSE.modules:
        assert (default_copy / "exercises" / f"{module}.py").read_text() == (
            ROOT / "exercises" / f"{module}.py").read_text()


def test_course_yml_is_student_safe(default_copy: Path) -> None:
    data = yaml.safe_load((default_copy / "course.yml").read_text())
    assert data == COURSE.student_safe()
    assert "limits" not in data and "feedback" not in data


def test_points_are_split_over_public_tests(default_copy: Path) -> None:
    per_function: dict[str, float] = {}
    for case in _cases(default_copy):
        per_function[case["function"]] = per_function.get(case["function"], 0.0) + case["points"]
    assert per_function == pytest.approx(COURSE.points)
    functions = json.loads((default_copy / "tests" / "public_cases.json").read_text())["functions"]
    assert [f["name"] for f in functions] == list(COURSE.points)  # course order, plot functions too
    counts = {f["name"]: f["public_tests"] for f in functions}
    assert sum(counts.values()) == len(_cases(default_copy))


def test_support_code_never_imports_grader(default_copy: Path) -> None:
    for path in (default_copy / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] in ("grader", "solutions") for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (node.module or "").split(".")[0] not in ("grader", "solutions"), path
    assert "class WireError(ValueError)" in (default_copy / "tests" / "_support" / "wire.py").read_text()


def test_readme_explains_the_essentials(default_copy: Path) -> None:
    text = (default_copy / "README.md").read_text()
    assert "{{" not in text and COURSE.title in text
    for needle in ("pytest -k sse", "pytest -x", "hint", "Next:", "hidden tests", "does not guarantee",
                   "zip", f"{COURSE.rtol:g}", f"{COURSE.atol:g}", "Do not modify the inputs", "`n` not started",
                   "## Looking at your figures", "`figures/`", "image viewer", "Agg", "tests/test_public_plots.py"):
        assert needle in text, needle


def test_readme_leaves_out_figures_without_plot_exercises() -> None:
    text = rel.readme(COURSE, 10, 0)
    assert "{{" not in text and "figures/" not in text and "Looking at your figures" not in text
    assert "`figures/`" in rel.readme(COURSE, 10, 4)


def test_release_refuses_a_non_empty_folder(tmp_path: Path, hint_plan: Plan) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(InputError) as info:
        rel.release(COURSE, tmp_path, plan=hint_plan)
    assert "not empty" in str(info.value) and "\n" not in str(info.value)
    written = rel.release(COURSE, tmp_path, force=True, plan=hint_plan)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert tmp_path / "tests" / "public_cases.json" in written


def test_release_refuses_the_course_folder_and_files(tmp_path: Path, hint_plan: Plan) -> None:
    with pytest.raises(InputError):
        rel.release(COURSE, ROOT, force=True, plan=hint_plan)
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError):
        rel.release(COURSE, tmp_path / "file", plan=hint_plan)


# -- the student's experience -------------------------------------------------------------

@pytest.fixture(scope="session")
def student_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Python with numpy and pytest but without this project's packages.

    A fresh venv whose .pth lists the project venv's site-packages as a plain
    path: that path's own .pth files (the editable install) are not processed."""
    venv = tmp_path_factory.mktemp("student") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = {str(Path(np.__file__).parents[1]), str(Path(pytest.__file__).parents[1]),
            sysconfig.get_paths()["purelib"]}
    (Path(purelib) / "student_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    probe = "import numpy, pytest\ntry:\n import grader\nexcept ImportError:\n print('isolated')"
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=venv, env=_env())
    assert out.stdout.strip() == "isolated", out.stdout + out.stderr
    return str(python)


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONSTARTUP")
    return {k: v for k, v in os.environ.items() if k not in drop}


def run_pytest(python: str, copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=copy,
                          capture_output=True, text=True, env=_env(), timeout=120)


def _use_solutions(copy: Path) -> None:
    for module in COURSE.modules:
        shutil.copy(ROOT / "solutions" / f"{module}.py", copy / "exercises" / f"{module}.py")


def _append(copy: Path, module: str, code: str) -> int:
    """Append code to a student module; returns the line number where it starts."""
    path = copy / "exercises" / f"{module}.py"
    text = path.read_text()
    path.write_text(text + "\n\n" + code)
    return text.count("\n") + 3


def _section(output: str, name: str, test: str = "test_public") -> str:
    """The FAILURES-section report of one test."""
    start = output.index("\n", output.index(f"{test}[{name}] _"))
    ends = [i for i in (output.find("\n_", start), output.find("\n=", start), output.find("\n-", start)) if i > 0]
    return output[start:min(ends)].strip("\n")


def test_stubs_read_as_not_started(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    done = run_pytest(student_python, copy)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and "FAILURES" not in out and "NotImplementedError" not in out
    n = len(_shipped(hint_plan)) + len(_plots_shipped(hint_plan))
    assert f"{n} not started" in out
    for function, points in COURSE.points.items():
        row = next(line for line in out.splitlines() if line.strip().startswith(function + " "))
        assert "· not started" in row and row.endswith(f"0 / {points:g}"), row
    assert f"0 / {COURSE.max_total:g}" in out
    assert "Next: work on losses.sse" in out


def test_solutions_pass_with_full_points(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    done = run_pytest(student_python, copy)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert f"{COURSE.max_total:g} / {COURSE.max_total:g}" in out
    assert "Congratulations" in out and "Next:" not in out
    assert all("✓ done" in line for line in out.splitlines()
               if line.strip().startswith(("losses.", "descent.", "plots.")))
    # Each plot test saved the student's figure as a PNG, and the summary says where.
    pngs = sorted((copy / "figures").glob("*.png"))
    expected = [f"{t.function.split('.')[1]}-" for t in _plots_shipped(hint_plan)]
    assert len(pngs) == len(expected) == 4
    for png, prefix in zip(pngs, sorted(expected), strict=True):
        assert png.name.startswith(prefix), png.name
        _valid_png(png)
    assert f"Your figures: figures/ ({len(pngs)} PNG files" in out
    rows = [line.split()[0] for line in out.splitlines() if line.startswith("  ") and line.split()[0] in COURSE.points]
    assert rows == list(COURSE.points)  # the table lists every function, plots included, in course order


def _valid_png(path: Path) -> None:
    from PIL import Image

    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as image:
        image.verify()
        assert image.size[0] >= 100 and image.size[1] >= 100


def test_known_mistake_shows_a_plain_report_and_hint(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    _append(copy, "losses", "def sse(y, y_hat):\n"
                            "    errors = np.subtract(np.ravel(y), np.ravel(y_hat))\n"
                            "    return float((errors ** 2).mean())\n")
    done = run_pytest(student_python, copy)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    report = _section(out, "losses.sse: small example")
    assert report.splitlines() == [
        "losses.sse: small example: wrong value",
        "  input:    y=[3, -0.5, 2, 7] (a list), y_hat=[2.5, 0, 2, 8] (a list)",
        "  expected: 1.5",
        "  got:      0.375",
        f"  hint:     {SSE_MEAN.hint}",
    ]
    for noise in ("Traceback", "AssertionError", "assert_allclose", "Mismatched elements", "np.testing", "E   "):
        assert noise not in out, noise
    assert _leaks_in_text(out) == []
    assert "losses.sse" in out and "✗ failing" in out and "Next: work on losses.sse" in out
    assert "2 failed" in out


NATURAL_LOG = """def plot_log_penalty(base=2):
    from matplotlib.figure import Figure

    p = np.geomspace(1e-3, 1.0, 100)
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot(p, -np.log(p))
    ax.set_xlabel("p")
    ax.set_ylabel("penalty")
    return fig
"""


def test_wrong_plot_fails_in_plain_words_and_keeps_the_png(student_python: str, tmp_path: Path,
                                                          hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    assert run_pytest(student_python, copy, "-k", "plots").returncode == 0
    fit_png = next((copy / "figures").glob("plot_fit-*.png"))
    _append(copy, "plots", NATURAL_LOG)  # natural log where base 2 was asked
    _append(copy, "plots", "def plot_fit(x, y, a, b):\n    from matplotlib.figure import Figure\n"
                          "    fig = Figure()\n    fig.add_subplot().plot(x, y)\n")
    done = run_pytest(student_python, copy, "-k", "plots")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    name = _plots_shipped(hint_plan)[0].name
    report = _section(out, name, "test_plot")
    png = next((copy / "figures").glob("plot_log_penalty-*.png"))
    assert report.splitlines() == [
        f"{name}: the curve has the shape of a logarithm but in the wrong base",
        f"  figure:   figures/{png.name} (open it to see what you drew)",
    ]
    _valid_png(png)
    fit = _section(out, next(t.name for t in _plots_shipped(hint_plan) if t.function == "plots.plot_fit"), "test_plot")
    assert "returned None, not the Figure (is `return fig` missing?)" in fit and "figure:" not in fit
    assert not fit_png.exists()  # no figure this time: the old picture is gone
    for noise in ("Traceback", "AssertionError", "E   ", "matplotlib."):
        assert noise not in out, noise
    assert "Your figures: figures/ (3 PNG files" in out
    assert "Next: work on plots.plot_log_penalty" in out


_PROBE = """

def pytest_sessionfinish(session, exitstatus):
    import sys
    print("\\nMATPLOTLIB-IMPORTED:", "matplotlib" in sys.modules)
"""


def test_only_the_plot_tests_import_matplotlib(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    with (copy / "tests" / "conftest.py").open("a") as fh:
        fh.write(_PROBE)
    for args, imported in ((["tests/test_public.py"], False), (["-k", "not plots"], False),
                           (["-k", "losses.sse"], False), ([], True), (["-k", "plot_fit"], True)):
        done = run_pytest(student_python, copy, "-s", *args)
        out = done.stdout + done.stderr
        assert done.returncode == 0, out
        assert f"MATPLOTLIB-IMPORTED: {imported}" in out, (args, out)
    assert "import matplotlib" not in (copy / "tests" / "test_public.py").read_text()


def _leaks_in_text(text: str) -> list[str]:
    return [f for f in _leak_fragments(_solution_sources()) if f in text]


def test_exception_shows_type_message_and_line(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    start = _append(copy, "losses", "def mae(y, y_hat):\n    scale = len(y)\n    raise ValueError('boom')\n")
    done = run_pytest(student_python, copy, "-k", "losses.mae")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    report = _section(out, "losses.mae: small example")
    assert "losses.mae: small example: raised ValueError: boom" in report
    assert f"  where:    exercises/losses.py:{start + 2}: raise ValueError('boom')" in report
    assert "Traceback" not in out and len(report.strip().splitlines()) <= 5
    assert "Only 2 of the" in out and "Next: work on losses.mae" in out


def test_syntax_error_is_reported_per_test(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    start = _append(copy, "regression", "def broken(:\n    pass\n")
    done = run_pytest(student_python, copy)
    out = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in out, out
    report = _section(out, "regression.center: the example [2, 4, 6]")
    assert "could not be imported: SyntaxError" in report
    assert f"exercises/regression.py:{start}" in report
    assert "Next: work on regression.center" in out


def test_partly_done_points_to_the_next_function(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    _append(copy, "losses", "def huber(y, y_hat, delta=1.0):\n    raise NotImplementedError\n")
    done = run_pytest(student_python, copy, "-v")
    out = done.stdout + done.stderr
    assert done.returncode == 1 and "NOT STARTED" in out, out
    assert "Next: work on losses.huber" in out and "FAILURES" not in out


def test_modified_inputs_are_caught(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    cases_file = copy / "tests" / "public_cases.json"
    data = json.loads(cases_file.read_text())
    y, y_hat = np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0])
    call = Call("losses", "mse", (y, y_hat), args_after=True)
    data["cases"].append({"name": "losses.mse: leaves its inputs alone (test)", "function": "losses.mse",
                          "check": "unchanged", "call": call.to_plain(), "what": "y=..., y_hat=...",
                          "expected": float(np.mean((y - y_hat) ** 2)), "points": 1.0, "rtol": 1e-6,
                          "atol": 1e-9})
    cases_file.write_text(rel.cases_json(data))
    _append(copy, "losses", "def mse(y, y_hat):\n"
                            "    d = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))\n"
                            "    if isinstance(y_hat, np.ndarray):\n"
                            "        y_hat[0] = 99.0\n"
                            "    return float(np.mean(d * d))\n")
    done = run_pytest(student_python, copy, "-k", "mse")
    out = done.stdout + done.stderr
    report = _section(out, "losses.mse: leaves its inputs alone (test)")
    assert "changed its input argument #2; work on a copy" in report, out
    assert "expected: array([1.5, 2, 2], shape (3,))" in report and "got:      array([99, 2, 2]" in report
    assert "1 failed, 2 passed" in out  # the value tests still pass: every call gets its own inputs


@pytest.mark.slow
def test_student_pytest_is_fast(student_python: str, tmp_path: Path, hint_plan: Plan) -> None:
    """Our part of a student's run (over pytest's, numpy's and matplotlib's own start-up) stays small.

    The tests of the other exercises are timed against a floor that imports
    numpy; the whole run (plot tests included) against one that also imports
    matplotlib, which only the plot tests do."""
    copy = _copy(tmp_path, hint_plan)
    floors = {}
    for name, imports in (("numpy", "import numpy"), ("matplotlib", "import numpy\nimport matplotlib.figure")):
        folder = floors[name] = tmp_path / f"floor-{name}"
        folder.mkdir()
        (folder / "test_nothing.py").write_text(f"{imports}\n\n\ndef test_nothing():\n    pass\n")
    runs = {"not plots": (copy, ("-k", "not plots")), "all": (copy, ()),
            "numpy": (floors["numpy"], ()), "matplotlib": (floors["matplotlib"], ())}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(5):
        for name, (folder, args) in runs.items():
            start = time.perf_counter()
            run_pytest(student_python, folder, *args)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in times.items()}
    shown = ", ".join(f"{name} {t:.3f}s" for name, t in median.items())
    assert median["not plots"] - median["numpy"] < 0.5, shown
    assert median["all"] - median["matplotlib"] < 0.5, shown


def test_an_endless_loop_fails_its_test_after_the_call_limit(student_python: str, tmp_path: Path,
                                                             hint_plan: Plan) -> None:
    """`while True: pass` in mae: each of its public tests stops after the course's per-call limit
    (limits.call_seconds, the same as in grading) with the function and the test named; the
    run goes on and the other functions are judged as usual."""
    copy = _copy(tmp_path, hint_plan)
    _use_solutions(copy)
    _append(copy, "losses", "def mae(y, y_hat):\n    while True:\n        pass\n")
    data = json.loads((copy / "tests" / "public_cases.json").read_text(encoding="utf-8"))
    assert data["call_seconds"] == COURSE.limits.call_seconds
    started = time.monotonic()
    out = run_pytest(student_python, copy)
    took = time.monotonic() - started
    n_mae = sum(c["function"] == "losses.mae" for c in data["cases"])
    assert took < 30 + n_mae * COURSE.limits.call_seconds, took
    text = out.stdout
    assert f"losses.mae did not return within {COURSE.limits.call_seconds:g} s (an endless loop?)" in text
    assert "so the test losses.mae: small example stopped it" in text
    assert "losses.sse" in text and f"{n_mae} failed" in text

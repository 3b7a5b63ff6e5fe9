"""The nbgrader integration, checked against the real nbgrader.

The README's "### nbgrader" commands are run verbatim, one line at a time in a
shell in a temporary folder with the venv's bin/ first on PATH (the module
fixture :func:`run`): ``grader nbgrader``, ``nbgrader generate_assignment``,
the loop that collects ``handins/<student>/`` into ``submitted/<student>/ps1/``,
``nbgrader autograde``, ``grader grade ... --gradebook`` and ``nbgrader
export``. The only thing the test adds is the students' notebooks, written into
``handins/`` from the release once it exists, for two students to keep the run
short: "reference" fills in the reference everywhere; "mixed" hands in the
untouched release notebooks, except for the notebook of one known mistake, which
holds the reference plus that mistake.

Each autograded cell's score in nbgrader's gradebook must equal our own score
of the same test on the same code (the code cells of the submitted notebook, run
in-process and judged by ``grader.scoring``), so the totals agree too; the plot
functions' answer cells are manually graded cells that make nbgrader's maximum
equal ``grader grade``'s. ``grader.gradebook.record`` is read back through
``nbgrader.api.Gradebook`` and ``nbgrader export``, and its refusals (students
graded ``error``, lower scores without ``overwrite``, unknown assignments) are
checked through the real ``grader grade`` command where it has the option, else
through :func:`grader.gradebook.record` (``--overwrite`` and
``--create-assignment``, until the CLI has them).
"""

from __future__ import annotations

import argparse
import base64
import csv
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("nbgrader", reason='nbgrader is not installed (pip install -e ".[nbgrader]")')

import nbformat  # noqa: E402 - only once nbgrader (which brings it) is known to be there

from grader import probes  # noqa: E402
from grader.bench_nbgrader import run_nbgrader  # noqa: E402
from grader.nbgrader_export import (  # noqa: E402
    BEGIN_SOLUTION,
    END_SOLUTION,
    check_code,
    export,
    figure_cells,
    layout,
    literal,
    not_exported,
    pretty,
)
from grader.plan import build_plan, load_solution_module, run_calls  # noqa: E402
from grader.scoring import StudentResult, score  # noqa: E402
from grader.wire import FigureSummary, Fn  # noqa: E402
from tests.conftest import ROOT, run_cli  # noqa: E402

ASSIGNMENT = "ps1"
STUDENTS = ("reference", "mixed")


# --- helpers ------------------------------------------------------------------------------------


def nbgrader(course_dir: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run the installed nbgrader CLI in the course folder (a failure fails the test, with its output)."""
    return run_nbgrader(course_dir, *args, timeout=timeout)


def grade_ids(nb: Any) -> dict[str, Any]:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def notebook_module(path: Path, name: str) -> types.ModuleType:
    """The submission's code: the setup and answer cells of the notebook, run as one module."""
    mod = types.ModuleType(name)
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (meta.get("grade") and not meta.get("solution")):  # test cells
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        try:
            exec(compile(code, f"{path.name}:{meta.get('grade_id')}", "exec"), mod.__dict__)  # noqa: S102
        except NotImplementedError:  # an untouched release cell may raise at top level
            pass
    return mod


def our_result(plan: Any, submitted: Path, student: str) -> StudentResult:
    """What ``grader.scoring`` gives the code in ``submitted/<student>/<assignment>/`` (a module
    without a notebook, one left out of the export, scores zero)."""
    modules = {m: notebook_module(submitted / f"{m}.ipynb", f"_nb_{student}_{m}") for m in plan.course.modules
               if (submitted / f"{m}.ipynb").is_file()}
    return score(plan, run_calls(modules, plan.calls), student_id=student)


def exported_total(run: Run, result: StudentResult) -> float:
    """Our score over the tests that were exported (all of them unless some are figure checks)."""
    names = {tc.test.name for fcs in run.cells.values() for fc in fcs for tc in fc.tests}
    return sum(t.score for t in result.tests if t.name in names)


def pick_mistake(plan: Any) -> tuple[str, str]:
    """(function, source) of the first catalogued mistake that loses some, not all, of its
    function's points (so per-test points matter), or a written one if there is no catalogue."""
    from grader.suites import load_mistakes

    course = plan.course
    CATALOGUE = load_mistakes(list(course.modules))
    for m in CATALOGUE:
        if m.function not in course.points:
            continue
        module = m.function.split(".")[0]
        mods = {name: load_solution_module(course.root, name, replace=m.source if name == module else None)
                for name in course.modules}
        earned = {f.function: f.earned for f in score(plan, run_calls(mods, plan.calls)).functions}
        if 0 < earned[m.function] < course.points[m.function]:
            return m.function, m.source
    return "losses.sse", (
        "def sse(y, y_hat):\n"
        "    r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))\n"
        "    return float(np.mean(r ** 2))\n")


# --- the README's commands, run once for the module ---------------------------------------------


def readme_section() -> str:
    """The README's "### nbgrader" section, up to the next heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.split(r"\n#{2,3} ", text.split("\n### nbgrader\n", 1)[1], maxsplit=1)[0]


def readme_commands() -> list[str]:
    """The command lines of the fenced sh block of the README's "### nbgrader" section."""
    block = re.search(r"```sh\n(.*?)```", readme_section(), re.S)
    assert block, "the README's nbgrader section has no ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def shell(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """One README line in a shell, with the venv's bin/ first on PATH (as after `make setup` and
    activating it); no user Jupyter config. A failure fails the test, with its output."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "JUPYTER_CONFIG_DIR": str(cwd / ".jupyter-config")}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(["sh", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"README line failed ({proc.returncode}): {line}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def write_handins(course_dir: Path, handins: Path, notebooks: list[str], mistake: tuple[str, str]) -> None:
    """The students' notebooks, made from the release as students would: "reference" fills in
    every answer cell, "mixed" only those of the mistake's module (plus the mistake)."""
    m_module, m_function = mistake[0].split(".")
    for student in STUDENTS:
        out = handins / student
        out.mkdir(parents=True)
        for module in notebooks:
            nb = nbformat.read(course_dir / "release" / ASSIGNMENT / f"{module}.ipynb", as_version=4)
            source = grade_ids(nbformat.read(course_dir / "source" / ASSIGNMENT / f"{module}.ipynb", as_version=4))
            if student == "reference" or module == m_module:
                for gid, cell in grade_ids(nb).items():
                    if cell.metadata["nbgrader"]["solution"]:
                        cell.source = source[gid].source
                        if student == "mixed" and gid == m_function:
                            cell.source += "\n\n\n" + mistake[1]  # redefined: later cells see the mistake
            nbformat.write(nb, out / f"{module}.ipynb")


def gradebook_state(db: Path, students: tuple[str, ...] = STUDENTS, assignment: str = ASSIGNMENT) -> dict[str, Any]:
    """Everything a student has in the gradebook: each grade's scores and flag, and the totals."""
    from nbgrader.api import Gradebook, MissingEntry

    out: dict[str, Any] = {"grades": {}, "totals": {}}
    with Gradebook(f"sqlite:///{db}") as gb:
        out["max"] = gb.find_assignment(assignment).max_score
        for s in students:
            try:
                sub = gb.find_submission(assignment, s)
            except MissingEntry:
                continue
            out["totals"][s] = sub.score
            for nb in sub.notebooks:
                for g in nb.grades:
                    out["grades"][(s, nb.name, g.name)] = (g.auto_score, g.manual_score, g.needs_manual_grade)
    return out


@dataclasses.dataclass
class Run:
    work: Path  # where the README's commands ran
    root: Path  # the nbgrader course folder (nbcourse/)
    plan: Any
    cells: dict[str, list[Any]]
    mistake: tuple[str, str]
    nbgrader_scores: dict[str, dict[str, float]]  # student -> grade_id -> score, right after autograde
    nbgrader_totals: dict[str, float]
    after_autograde: Path  # a copy of gradebook.db right after `nbgrader autograde`
    grade_output: str  # what the README's `grader grade ... --gradebook` line printed
    export_rows: dict[str, dict[str, str]]  # the README's `nbgrader export`: nbcourse/grades.csv
    ours: dict[str, StudentResult]
    seconds: dict[str, float]


@pytest.fixture(scope="module")
def run(course: Any, tmp_path_factory: pytest.TempPathFactory) -> Run:
    from nbgrader.api import Gradebook

    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    work = tmp_path_factory.mktemp("readme-nbgrader")
    root = work / "nbcourse"
    plan = build_plan(course, with_mistakes=False)
    cells = layout(course, plan.tests)
    drawn = {f.split(".")[0] for f in not_exported(course, plan.tests)}
    notebooks = [m for m in course.modules if m in cells or m in drawn]
    mistake = pick_mistake(plan)
    commands = readme_commands()
    assert any("handins/" in c for c in commands) and any("nbgrader autograde" in c for c in commands)
    grade_output, autograded = "", None
    for line in commands:
        if "handins/" in line:  # the students' notebooks, once the release they start from exists
            write_handins(root, work / "handins", notebooks, mistake)
        t = time.monotonic()
        proc = shell(line, work)
        seconds[line.split("#")[0].strip()[:40]] = time.monotonic() - t
        if "nbgrader autograde" in line:
            autograded = work / "after-autograde.db"
            shutil.copy(root / "gradebook.db", autograded)
        if line.startswith("grader grade"):
            grade_output = proc.stdout
    assert autograded is not None and grade_output

    scores: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    with Gradebook(f"sqlite:///{autograded}") as gb:
        for student in STUDENTS:
            totals[student] = gb.find_submission(ASSIGNMENT, student).score
            scores[student] = {}
            for module in cells:
                for g in gb.find_submission_notebook(module, ASSIGNMENT, student).grades:
                    scores[student][g.name] = g.score
    export_csv = root / "grades.csv"
    rows = {row["student_id"]: row for row in csv.DictReader(export_csv.open())} if export_csv.is_file() else {}
    ours = {s: our_result(plan, root / "submitted" / s / ASSIGNMENT, s) for s in STUDENTS}
    seconds["total"] = time.monotonic() - t0
    print("README nbgrader commands, timings:", {k: round(v, 1) for k, v in seconds.items()})
    return Run(work, root, plan, cells, mistake, scores, totals, autograded, grade_output, rows, ours, seconds)


# --- the export on its own ----------------------------------------------------------------------


def test_literals_round_trip_exactly(plan: Any) -> None:
    """Every test input and expected value is written as source that evaluates to the same
    value: same type, dtype, shape and bits."""
    ns: dict[str, Any] = {"np": np, **probes.PROBES}

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, Fn):
            return b is probes.PROBES[a.name]
        if type(a) is not type(b):
            return False
        if isinstance(a, np.ndarray):
            return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
        if isinstance(a, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return bool(a == b)

    values = [v for c, o in zip(plan.calls, plan.expected, strict=True)
              for v in (*c.args, *dict(c.kwargs).values(), o.value)
              if type(v) is not FigureSummary]  # figures are drawn in the notebook, never written out
    values += [np.float32(0.1), np.array([1, 2], dtype=np.int32), np.zeros((0, 3)), np.array(2.5), (1.0,),
               {"a": [1, 2.5]}, np.arange(40.0).reshape(8, 5) / 3]
    for v in values:
        assert same(v, eval(literal(v), ns)), literal(v)  # noqa: S307
        assert same(v, eval(pretty(v, 4), ns)), pretty(v, 4)  # noqa: S307


def test_cells_points_and_ids(course: Any, plan: Any) -> None:
    from grader.nbgrader_export import not_exported

    cells = layout(course, plan.tests)
    ids = [tc.grade_id for fcs in cells.values() for fc in fcs for tc in fc.tests]
    assert len(ids) == len(set(ids)) == len([t for t in plan.tests if t.check != "figure"])
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) and len(i) <= 100 for i in ids)
    for module, fcs in cells.items():
        exported = [f for f in course.modules[module] if f"{module}.{f}" not in not_exported(course, plan.tests)]
        assert [fc.function for fc in fcs] == exported  # course order holds here
        for fc in fcs:
            assert fc.points == pytest.approx(course.modules[module][fc.function], abs=1e-9)
    left_out = sum(course.points[f] for f in not_exported(course, plan.tests))
    assert sum(fc.points for fcs in cells.values() for fc in fcs) == pytest.approx(course.max_total - left_out)


def test_answer_cells_keep_signature_and_hide_helpers(tmp_path: Path, course: Any) -> None:
    export(course, tmp_path)
    nb = nbformat.read(tmp_path / "source" / ASSIGNMENT / "losses.ipynb", as_version=4)
    sse = grade_ids(nb)["sse"].source
    head, region = sse.split(BEGIN_SOLUTION)
    assert head.startswith("def sse(y, y_hat):") and '"""Sum of squared errors' in head
    assert "def _residuals" in region and region.rstrip().endswith(END_SOLUTION)
    setup = grade_ids(nb)["setup_losses"].source
    assert "EPS = 1e-12" in setup and "def check(" in setup and "_residuals" not in setup
    for text in (c.source for c in nb.cells if c.cell_type == "code"):
        assert not re.search(r"^\s*(from|import)\s+(grader|solutions|exercises)\b", text, re.M)
    deriv = nbformat.read(tmp_path / "source" / ASSIGNMENT / "derivatives.ipynb", as_version=4)
    assert "def bowl(x" in grade_ids(deriv)["setup_derivatives"].source  # probes by name, defined once


def test_functions_with_figure_checks_are_left_out(course: Any, plan: Any) -> None:
    from grader.nbgrader_export import build_notebooks, not_exported

    figure_plan = dataclasses.replace(plan, tests=[dataclasses.replace(t, check="figure")
                                                   if t.function == "descent.gradient_descent" else t
                                                   for t in plan.tests])
    assert not_exported(course, figure_plan.tests) == ["descent.gradient_descent", *not_exported(course, plan.tests)]
    cells = layout(course, figure_plan.tests)
    assert [fc.function for fc in cells["descent"]] == ["gradient_descent_step", "sse_gradient"]
    nb = build_notebooks(course, figure_plan)["descent"]
    assert "`gradient_descent(" in nb.cells[0].source and "graded by the course's own grader" in nb.cells[0].source
    ids = grade_ids(nb)  # an answer cell and a cell that draws it, but no test cells
    assert "def gradient_descent(" in ids["gradient_descent"].source and "draw_gradient_descent" in ids
    assert not [g for g in ids if g.startswith("test_gradient_descent-")]


def test_cli_writes_the_course_and_names_the_next_steps(tmp_path: Path, capsys: Any) -> None:
    from grader.cli import main

    assert main(["nbgrader", str(tmp_path / "c"), "--assignment", "ps1"]) == 0  # the course's assignment
    out = capsys.readouterr().out
    assert (tmp_path / "c" / "source" / "ps1" / "losses.ipynb").is_file()
    assert "nbgrader generate_assignment ps1" in out and "nbgrader autograde ps1" in out
    assert main(["nbgrader", str(tmp_path / "d"), "--assignment", "a b"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1


def test_cli_without_nbgrader_says_how_to_install(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    import importlib.util

    from grader import errors
    from grader.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nbgrader" else real(name, *a))
    code = main(["nbgrader", str(tmp_path / "c")])
    err = capsys.readouterr().err.strip()
    assert code == errors.EXIT_INPUT and len(err.splitlines()) == 1
    assert 'pip install -e ".[nbgrader]"' in err and not (tmp_path / "c").exists()


# --- against the real nbgrader ------------------------------------------------------------------


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)
SOLUTION = re.compile(rf"{BEGIN_SOLUTION}\n(.*?){END_SOLUTION}", re.S)
FLOAT = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


@pytest.mark.slow
def test_release_has_no_solutions_and_no_hidden_tests(run: Run, course: Any) -> None:
    for module in run.cells:
        source_nb = nbformat.read(run.root / "source" / ASSIGNMENT / f"{module}.ipynb", as_version=4)
        release_nb = nbformat.read(run.root / "release" / ASSIGNMENT / f"{module}.ipynb", as_version=4)
        release_text = "\n".join(c.source for c in release_nb.cells)
        visible = "\n".join(SOLUTION.sub("", HIDDEN.sub("", c.source)) for c in source_nb.cells)
        source_cells, release_cells = grade_ids(source_nb), grade_ids(release_nb)
        assert source_cells.keys() == release_cells.keys()
        for fc in run.cells[module]:
            body = SOLUTION.search(source_cells[fc.answer_id].source).group(1)
            for line in body.splitlines():
                if len(line.strip()) > 6 and not line.strip().startswith("#"):
                    assert line.strip() not in release_text, f"{module}: solution line in the release: {line}"
            released = release_cells[fc.answer_id].source
            assert released.startswith(f"def {fc.function}(") and "raise NotImplementedError()" in released
            for tc in fc.tests:
                src, rel = source_cells[tc.grade_id].source, release_cells[tc.grade_id].source
                hidden = HIDDEN.findall(src)
                assert bool(hidden) == (not tc.test.public or "that check is hidden" in src)
                if not tc.test.public:
                    assert "check(" not in rel and rel.startswith("# Hidden test:"), tc.grade_id
                    expected = run.plan.expected[run.plan.index(tc.test)].value
                    assert check_code(tc.test, expected, course) not in release_text
                for region in hidden:
                    assert region.strip() not in release_text
                    for number in FLOAT.findall(region):
                        if len(number) >= 8 and number not in visible:
                            assert number not in release_text, f"{tc.grade_id}: hidden {number} in the release"


@pytest.mark.slow
def test_reference_gets_full_marks(run: Run) -> None:
    exported_max = sum(fc.points for fcs in run.cells.values() for fc in fcs)
    assert run.nbgrader_totals["reference"] == pytest.approx(exported_max, abs=1e-6)
    assert all(v == pytest.approx(tc.points) for fcs in run.cells.values() for fc in fcs for tc in fc.tests
               for v in [run.nbgrader_scores["reference"][tc.grade_id]])
    assert exported_total(run, run.ours["reference"]) == pytest.approx(exported_max, abs=1e-6)


def _nbgrader_function_scores(run: Run, student: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for fcs in run.cells.values():
        for fc in fcs:
            out[f"{fc.module}.{fc.function}"] = sum(run.nbgrader_scores[student][tc.grade_id] for tc in fc.tests)
    return out


@pytest.mark.slow
def test_figure_functions_are_drawn_inline(run: Run, course: Any) -> None:
    """A figure function's notebook has its answer cell and, after it, a cell that shows the
    figure; nbgrader runs it, so the autograded reference notebook holds the picture."""
    drawn = [f.split(".") for f in not_exported(course, run.plan.tests)]
    assert drawn, "the course has figure functions"
    for module, function in drawn:
        release = grade_ids(nbformat.read(run.root / "release" / ASSIGNMENT / f"{module}.ipynb", as_version=4))
        assert release[function].source.startswith(f"def {function}(")
        assert "raise NotImplementedError()" in release[function].source
        draw = release[f"draw_{function}"]
        assert draw.metadata["nbgrader"]["locked"] and not draw.metadata["nbgrader"]["grade"]
        graded = nbformat.read(run.root / "autograded" / "reference" / ASSIGNMENT / f"{module}.ipynb", as_version=4)
        cell = grade_ids(graded)[f"draw_{function}"]
        pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(pngs) == 1, (function, cell.outputs)
        assert base64.b64decode(pngs[0]["data"]["image/png"]).startswith(b"\x89PNG")
    intro = nbformat.read(run.root / "source" / ASSIGNMENT / "plots.ipynb", as_version=4).cells[0].source
    assert "graded by the course's own grader" in intro and "Not in this notebook" not in intro


@pytest.mark.slow
def test_unfilled_release_notebooks_get_zero(run: Run) -> None:
    m_module = run.mistake[0].split(".")[0]
    nbgrader_scores = _nbgrader_function_scores(run, "mixed")
    ours = {f.function: f for f in run.ours["mixed"].functions}
    untouched = [f for f in ours if not f.startswith(m_module + ".") and f in nbgrader_scores]
    assert untouched
    for function in untouched:
        assert nbgrader_scores[function] == 0 and ours[function].earned == 0, function
        assert ours[function].status == "not started"


@pytest.mark.slow
def test_mistake_loses_points_on_its_function_only(run: Run, course: Any) -> None:
    function, _ = run.mistake
    m_module = function.split(".")[0]
    from grader.suites import load_mistakes

    CATALOGUE = load_mistakes(list(course.modules))
    affects = next((m.affects for m in CATALOGUE if m.function == function), ())
    nbgrader_scores = _nbgrader_function_scores(run, "mixed")
    in_module = {f: p for f, p in course.points.items() if f.startswith(m_module + ".")}
    lost = {f for f, p in in_module.items() if nbgrader_scores[f] < p - 1e-9}
    assert function in lost and lost <= {function, *affects}
    assert 0 < nbgrader_scores[function] < in_module[function]  # some of its tests still pass
    ours = {f.function: f for f in run.ours["mixed"].functions}
    assert {f for f in in_module if not ours[f].full} == lost


@pytest.mark.slow
def test_nbgrader_scores_equal_ours_cell_by_cell(run: Run) -> None:
    for student in STUDENTS:
        ours = {t.name: t.score for t in run.ours[student].tests}
        for fcs in run.cells.values():
            for fc in fcs:
                for tc in fc.tests:
                    got = run.nbgrader_scores[student][tc.grade_id]
                    assert got == pytest.approx(ours[tc.test.name], abs=1e-12), (student, tc.grade_id)
        assert run.nbgrader_totals[student] == pytest.approx(exported_total(run, run.ours[student]), abs=1e-6)


def full_total(result: StudentResult) -> float:
    """A complete result's exact total (the sum of every test's score, before rounding)."""
    assert result.complete
    return sum(t.score for t in result.tests)


@pytest.mark.slow
def test_gradebook_record_reads_back_and_exports(run: Run, course: Any, tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    from grader.gradebook import record

    results = list(run.ours.values())
    db = tmp_path / "gradebook.db"
    done = record(db, ASSIGNMENT, results, course, create_assignment=True)
    assert done.recorded == list(STUDENTS) and not done.refused
    record(db, ASSIGNMENT, results, course)  # idempotent

    def snapshot(path: Path) -> dict[str, Any]:
        with Gradebook(f"sqlite:///{path}") as gb:
            grades = {(s, g.name): (g.auto_score, g.needs_manual_grade)
                      for s in STUDENTS for m in course.modules
                      for g in gb.find_submission_notebook(m, ASSIGNMENT, s).grades}
            return {"totals": {s: gb.find_submission(ASSIGNMENT, s).score for s in STUDENTS},
                    "max": gb.find_assignment(ASSIGNMENT).max_score, "students": len(gb.students),
                    "grades": grades}

    snap = snapshot(db)
    per_student = len([t for t in run.plan.tests if t.check != "figure"]) + len(not_exported(course, run.plan.tests))
    assert snap["students"] == len(STUDENTS) and len(snap["grades"]) == len(STUDENTS) * per_student
    assert not any(manual for _, manual in snap["grades"].values())
    assert snap["max"] == pytest.approx(course.max_total)  # the plot functions' cells included
    for r in results:
        assert snap["totals"][r.student_id] == pytest.approx(full_total(r), abs=1e-6)
    assert snap["totals"]["reference"] == pytest.approx(course.max_total)
    record(db, ASSIGNMENT, results, course)
    assert snapshot(db) == snap

    # nbgrader export reads the same scores.
    csv_path = tmp_path / "grades.csv"
    nbgrader(run.root, "export", f"--db=sqlite:///{db}", f"--to={csv_path}")
    rows = {row["student_id"]: row for row in csv.DictReader(csv_path.open())}
    for r in results:
        assert float(rows[r.student_id]["score"]) == pytest.approx(full_total(r), abs=1e-6)
        assert float(rows[r.student_id]["max_score"]) == pytest.approx(course.max_total)

    # Into the gradebook nbgrader itself built: same cell names and points, so nothing is added;
    # nbgrader's scores equal ours (nothing lowered), and the plot cells get their points.
    nb_db = tmp_path / "nbgrader.db"
    shutil.copy(run.after_autograde, nb_db)
    done = record(nb_db, ASSIGNMENT, results, course)
    assert done.recorded == list(STUDENTS) and not done.refused
    after = snapshot(nb_db)
    assert len(after["grades"]) == len(snap["grades"])
    assert after["totals"] == pytest.approx({r.student_id: full_total(r) for r in results}, abs=1e-6)
    assert not any(manual for _, manual in after["grades"].values())

    # A gradebook whose cells no longer match the course is refused in one line.
    from grader.gradebook import GradebookError

    modules = {m: dict(fs) for m, fs in course.modules.items()}
    modules["losses"]["sse"] += 1
    with pytest.raises(GradebookError, match="does not match"):
        record(nb_db, ASSIGNMENT, results, dataclasses.replace(course, modules=modules))


# --- the README's numbers and the gradebook's rules ------------------------------------------------


def test_readme_states_the_numbers(course: Any, plan: Any) -> None:
    """Both count the same maximum: nbgrader's test cells hold the numeric functions' points, the
    plot functions' manually graded answer cells the rest; the README says so with these numbers."""
    numeric = sum(fc.points for fcs in layout(course, plan.tests).values() for fc in fcs)
    plots = sum(fc.points for fcs in figure_cells(course, plan.tests).values() for fc in fcs)
    assert numeric + plots == pytest.approx(course.max_total)
    assert plots == pytest.approx(sum(course.points[f] for f in not_exported(course, plan.tests))) and plots > 0
    n, p, total = f"{numeric:.10g}", f"{plots:.10g}", f"{course.max_total:.10g}"
    assert (n, p, total) == ("70", "14", "84")  # the bundled course, as the README states
    text = " ".join(readme_section().split())
    assert f"{n} of the {total} points" in text and f"the {p} plot points" in text and f"out of {total}" in text
    assert f"maximum, {total}" in text


def test_plot_answer_cells_are_manually_graded(course: Any, plan: Any, tmp_path: Path) -> None:
    export(course, tmp_path)
    for module, figs in figure_cells(course, plan.tests).items():
        ids = grade_ids(nbformat.read(tmp_path / "source" / ASSIGNMENT / f"{module}.ipynb", as_version=4))
        for fc in figs:
            meta = ids[fc.grade_id].metadata["nbgrader"]
            assert meta["grade"] and meta["solution"] and meta["points"] == course.points[f"{module}.{fc.function}"]
            assert not ids[f"draw_{fc.function}"].metadata["nbgrader"]["grade"]


@pytest.mark.slow
def test_readme_commands_run_as_written(run: Run, course: Any) -> None:
    """The README's sequence, run verbatim by the fixture: nbgrader finds the collected
    submissions, both count 84, and the gradebook step writes only what it should."""
    assert sorted(p.name for p in (run.root / "submitted").iterdir()) == sorted(STUDENTS)
    autograded = gradebook_state(run.after_autograde)
    assert autograded["max"] == pytest.approx(course.max_total)
    exported_max = sum(fc.points for fcs in run.cells.values() for fc in fcs)
    assert autograded["totals"]["reference"] == pytest.approx(exported_max)  # 70: the plot cells wait
    plot_cells = {(s, m, g): v for (s, m, g), v in autograded["grades"].items() if m == "plots"}
    assert all(v == (None, None, True) for (s, _, _), v in plot_cells.items() if s == "reference")
    assert all(v == (0.0, None, False) for (s, _, _), v in plot_cells.items() if s == "mixed")  # untouched

    graded = {row["student_id"]: row for row in csv.DictReader((run.work / "graded" / "grades.csv").open(encoding="utf-8-sig"))}
    assert {float(r["max_total"]) for r in graded.values()} == {course.max_total}
    out = run.grade_output
    recorded = [s for s in STUDENTS if graded[s]["status"] != "error"]
    assert f"Recorded {len(recorded)} of {len(STUDENTS)} student(s)" in out
    assert f"out of {course.max_total:g}, like grades.csv; the 14 plot points come from `grader grade`" in out
    final = gradebook_state(run.root / "gradebook.db")
    for s in STUDENTS:
        mine = {k: v for k, v in final["grades"].items() if k[0] == s}
        if graded[s]["status"] == "error":  # e.g. notebooks the grader cannot read (yet): nothing written
            assert f"{s}: not recorded: grading failed" in out
            assert mine == {k: v for k, v in autograded["grades"].items() if k[0] == s}
        else:
            assert final["totals"][s] == pytest.approx(float(graded[s]["total"]), abs=0.01)
    for s in STUDENTS:  # `nbgrader export`: the gradebook's totals, out of 84
        assert float(run.export_rows[s]["max_score"]) == pytest.approx(course.max_total)
        assert float(run.export_rows[s]["score"]) == pytest.approx(final["totals"][s])


def grade_options() -> set[str]:
    """The options `grader grade` has (--overwrite and --create-assignment are being added)."""
    from grader.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {o for a in sub.choices["grade"]._actions for o in a.option_strings}


def py_class(tmp_path: Path, course: Any, mistake: tuple[str, str]) -> Path:
    """A class folder: "reference" hands in .py files with one known mistake (less than its
    notebooks earned in the gradebook); "mixed" hands in nothing the grader can run (status error)."""
    subs = tmp_path / "subs"
    ref = subs / "reference"
    ref.mkdir(parents=True)
    for m in course.modules:
        shutil.copy(ROOT / "solutions" / f"{m}.py", ref / f"{m}.py")
    module = mistake[0].split(".")[0]
    (ref / f"{module}.py").write_text((ROOT / "solutions" / f"{module}.py").read_text() + "\n\n" + mistake[1])
    (subs / "mixed").mkdir()
    (subs / "mixed" / "notes.txt").write_text("I ran out of time, sorry.\n")
    return subs


def grades_csv(out: Path) -> dict[str, dict[str, str]]:
    return {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig"))}


@pytest.mark.slow
def test_cli_writes_nothing_for_errors_and_never_lowers(run: Run, course: Any, tmp_path: Path) -> None:
    """Through the real `grader grade --gradebook`: a student graded `error` gets nothing written,
    a student whose scores would go down is left as is; one line each says why."""
    db = tmp_path / "gradebook.db"
    shutil.copy(run.after_autograde, db)
    subs, out = py_class(tmp_path, course, run.mistake), tmp_path / "out"
    before = gradebook_state(db)
    proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--gradebook", str(db), "--assignment", ASSIGNMENT)
    assert proc.returncode == 0, proc.stderr
    graded = grades_csv(out)
    assert graded["mixed"]["status"] == "error"
    assert float(graded["reference"]["total"]) < course.max_total
    lines = proc.stdout.splitlines()
    assert "Recorded 0 of 2 student(s)" in proc.stdout
    refused = {ln.split(":")[0].strip(): ln.strip() for ln in lines if ": not recorded: " in ln}
    assert len(refused) == 2 and refused["reference"].startswith("reference: not recorded: it would lower")
    assert "--overwrite" in refused["reference"]
    assert refused["mixed"].startswith("mixed: not recorded: grading failed (status error: no exercise files found")
    assert gradebook_state(db) == before

    if "--overwrite" in grade_options():  # once the CLI has it
        proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--gradebook", str(db),
                       "--assignment", ASSIGNMENT, "--overwrite")
        assert proc.returncode == 0, proc.stderr
        after = gradebook_state(db)
        assert after["totals"]["reference"] == pytest.approx(float(graded["reference"]["total"]), abs=0.01)
        assert {k: v for k, v in after["grades"].items() if k[0] == "mixed"} == \
            {k: v for k, v in before["grades"].items() if k[0] == "mixed"}
        assert "mixed: not recorded: grading failed" in proc.stdout


@pytest.mark.slow
def test_overwrite_replaces_a_higher_score_never_an_error(run: Run, course: Any, tmp_path: Path) -> None:
    """Through `grader grade`'s gradebook step (grader.outputs) with the options the CLI will pass:
    a lower score is kept out without --overwrite and written with it; an `error` never."""
    from grader.outputs import _gradebook

    db = tmp_path / "gradebook.db"
    shutil.copy(run.after_autograde, db)
    lower = dataclasses.replace(run.ours["mixed"], student_id="reference")  # less than reference's notebooks
    broken = dataclasses.replace(run.ours["reference"], student_id="mixed", status="error",
                                 problems=["no exercise files found"])
    before = gradebook_state(db)

    def step(**options: Any) -> list[str]:
        args = argparse.Namespace(gradebook=str(db), assignment=ASSIGNMENT, **options)
        return _gradebook(args, course, [lower, broken])

    lines = step()
    assert lines[0].startswith("Recorded 0 of 2 student(s)")
    assert lines[1].strip().startswith("reference: not recorded: it would lower")
    assert lines[2].strip() == ("mixed: not recorded: grading failed (status error: no exercise files found); "
                                "nothing written for this student")
    assert gradebook_state(db) == before

    lines = step(overwrite=True)
    assert lines[0].startswith("Recorded 1 of 2 student(s)") and len(lines) == 2
    after = gradebook_state(db)
    assert after["totals"]["reference"] == pytest.approx(full_total(lower), abs=1e-6)
    assert after["totals"]["reference"] < before["totals"]["reference"]
    assert {k: v for k, v in after["grades"].items() if k[0] == "mixed"} == \
        {k: v for k, v in before["grades"].items() if k[0] == "mixed"}

    # A score a grader entered by hand always wins: recording ours leaves it as it is.
    from nbgrader.api import Gradebook

    from grader.gradebook import record

    with Gradebook(f"sqlite:///{db}") as gb:
        grade = gb.find_grade("plot_fit", "plots", ASSIGNMENT, "mixed")
        grade.manual_score = 2.5
        gb.db.commit()
    full = dataclasses.replace(run.ours["reference"], student_id="mixed")  # full marks: nothing lowered
    assert record(db, ASSIGNMENT, [full], course).recorded == ["mixed"]
    with Gradebook(f"sqlite:///{db}") as gb:
        assert gb.find_grade("plot_fit", "plots", ASSIGNMENT, "mixed").score == 2.5
        assert gb.find_grade("plot_fit", "plots", ASSIGNMENT, "mixed").auto_score == pytest.approx(3.0)


@pytest.mark.slow
def test_cli_refuses_an_unknown_assignment(run: Run, course: Any, tmp_path: Path) -> None:
    """A mistyped --assignment (or --gradebook) is a one-line `Error:`, exit 4, nothing written."""
    db = tmp_path / "gradebook.db"
    shutil.copy(run.after_autograde, db)
    data = db.read_bytes()
    subs, out = py_class(tmp_path, course, run.mistake), tmp_path / "out"
    proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--gradebook", str(db), "--assignment", "ps2")
    errors_ = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error:")]
    assert proc.returncode == 4 and len(errors_) == 1, proc.stderr
    assert "no assignment 'ps2' (it has: ps1)" in errors_[0] and "--create-assignment" in errors_[0]
    assert "Traceback" not in proc.stderr and db.read_bytes() == data

    typo = tmp_path / "gradbook.db"
    proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--gradebook", str(typo), "--assignment", ASSIGNMENT)
    errors_ = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error:")]
    assert proc.returncode == 4 and len(errors_) == 1 and "does not exist" in errors_[0], proc.stderr
    assert not typo.exists()

    if "--create-assignment" in grade_options():  # once the CLI has it
        proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--gradebook", str(db),
                       "--assignment", "ps2", "--create-assignment")
        assert proc.returncode == 0, proc.stderr
        assert gradebook_state(db, ("reference",), "ps2")["max"] == pytest.approx(course.other("ps2").max_total)


@pytest.mark.slow
def test_create_assignment_only_when_asked(run: Run, course: Any, tmp_path: Path) -> None:
    """Through grader.gradebook: an unknown assignment raises InputError (exit code 4) before
    anything is written; with create_assignment it is created, whole, and filled."""
    from grader.errors import InputError
    from grader.gradebook import check_assignment, init_gradebook, record

    db = tmp_path / "gradebook.db"
    shutil.copy(run.after_autograde, db)
    data = db.read_bytes()
    results = list(run.ours.values())
    with pytest.raises(InputError, match=r"no assignment 'ps2' \(it has: ps1\)") as info:
        record(db, "ps2", results, course)
    assert info.value.exit_code == 4 and "\n" not in str(info.value) and db.read_bytes() == data
    done = record(db, "ps2", results, course, create_assignment=True)
    assert done.recorded == list(STUDENTS) and done.max_score == pytest.approx(course.max_total)
    state = gradebook_state(db, assignment="ps2")
    assert state["totals"] == pytest.approx({r.student_id: full_total(r) for r in results}, abs=1e-6)
    check_assignment(db, "ps2")  # it exists now

    new = tmp_path / "new.db"
    with pytest.raises(InputError, match="does not exist"):
        record(new, ASSIGNMENT, results, course)
    assert not new.exists()
    empty = tmp_path / "empty.db"
    assert init_gradebook(empty)
    with pytest.raises(InputError, match="it has none yet"):
        check_assignment(empty, ASSIGNMENT)
    assert record(new, ASSIGNMENT, results, course, create_assignment=True).recorded == list(STUDENTS)

"""Record ``grader grade`` results in an nbgrader gradebook (``gradebook.db``).

So that ``nbgrader export`` and the formgrader show the same scores as our own
reports. The gradebook mirrors the layout of :mod:`grader.nbgrader_export`:
one notebook per module, one grade cell per test (same grade_id, max score =
the test's share of its function's points) and, for a function graded from its
figure, its manually graded answer cell (max score = the function's points). A
student's auto scores are exactly their per-test scores, the figure cells get
their function's points earned, and the totals equal ``grader grade``'s (84 of
84 for the bundled course, where ``nbgrader autograde`` alone fills 70).

What is never done (each refusal is one line in :attr:`Recorded.refused`, or
one :class:`~grader.errors.InputError` for the whole gradebook):

* A student whose grading failed (status ``error``: nothing could be run, e.g.
  files that could not be read) gets nothing written, whatever was there.
* A score already in the gradebook is never lowered unless ``overwrite``: the
  scores there are read first, and a student for whom any cell would go down
  is left as is. A score a grader entered by hand always wins (nbgrader's
  rule), so it is never changed either way.
* An assignment the gradebook does not have (a mistyped ``--assignment``, or a
  gradebook file that does not exist) is refused unless ``create_assignment``.
  Checked before anything is written (:func:`check_assignment`, cheap enough to
  call before grading).

Otherwise:

* If the assignment was put in the gradebook by ``nbgrader
  generate_assignment`` (the usual order), its grade cells must match the
  course (names and points); otherwise the exported notebooks are out of date
  and a one-line :class:`GradebookError` says what to re-run.
* If it was created here, its notebooks and grade cells are created too (grade
  cells only: running ``generate_assignment`` afterwards, once submissions
  exist, is refused by nbgrader, so export and generate first).
* Students and submissions are created as needed; every grade written gets
  ``auto_score`` = points earned and ``needs_manual_grade = False``. Each
  student is committed on its own. Running it twice changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.config import Course
from grader.errors import InputError
from grader.nbgrader_export import NbgraderMissing, TestCell, course_id, figure_cells, layout
from grader.scoring import StudentResult

TOLERANCE = 1e-9


class GradebookError(InputError):
    """The gradebook cannot be used for this course (one-line reason; exit code 4)."""


class UnknownAssignment(GradebookError):
    """The gradebook has no assignment of that name and creating one was not asked for."""


@dataclass(frozen=True)
class _Cell:
    """One grade cell as the gradebook has it: its id, max score and the tests its score adds up."""

    grade_id: str
    points: float
    tests: tuple[TestCell, ...]
    figure: bool = False  # a figure function's answer cell (not scored by nbgrader's autograde)


@dataclass
class Recorded:
    """What :func:`record` did: who was written, who was not and why (one line each)."""

    assignment: str
    recorded: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    max_score: float = 0.0       # the assignment's maximum in the gradebook, every cell included
    figure_points: float = 0.0   # the part of it in figure cells (absent from nbgrader's own autograde)


def _api() -> Any:
    try:
        from nbgrader import api
    except ImportError:
        raise NbgraderMissing() from None
    return api


def init_gradebook(path: Path) -> bool:
    """Create an empty gradebook at ``path`` (if there is none) stamped with nbgrader's current
    database revision, found in-process. nbgrader would otherwise run the ``alembic`` command by
    name to find it: slow (a second interpreter), and it fails where the venv is not activated.
    nbgrader adds its tables on first use. Returns whether a file was created."""
    path = Path(path)
    if path.exists():
        return False
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from nbgrader.dbutil import ALEMBIC_DIR

        cfg = Config()
        cfg.set_main_option("script_location", ALEMBIC_DIR)
        head = ScriptDirectory.from_config(cfg).get_current_head()
    except Exception:  # noqa: BLE001 - any trouble: leave it to nbgrader's own way
        return False
    if not head:
        return False
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            db.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))
            db.commit()
    except sqlite3.Error as exc:
        raise GradebookError(f"cannot create {path}: {exc}") from None
    return True


@contextlib.contextmanager
def _alembic_on_path() -> Iterator[None]:
    """nbgrader runs ``alembic`` by name when it creates a gradebook; a venv that is used
    without being activated has it next to the interpreter, not on PATH."""
    old = os.environ.get("PATH", "")
    here = os.path.dirname(sys.executable)
    if shutil.which("alembic") is None and os.path.isfile(os.path.join(here, "alembic")):
        os.environ["PATH"] = here + os.pathsep + old
    try:
        yield
    finally:
        os.environ["PATH"] = old


def _cells(course: Course) -> dict[str, list[_Cell]]:
    """Every grade cell of the exported notebooks, by module: test cells, then figure cells."""
    out: dict[str, list[_Cell]] = {}
    for module, fcells in layout(course).items():
        out.setdefault(module, []).extend(_Cell(tc.grade_id, tc.points, (tc,)) for fc in fcells for tc in fc.tests)
    for module, figs in figure_cells(course).items():
        out.setdefault(module, []).extend(_Cell(fc.grade_id, fc.points, fc.tests, figure=True) for fc in figs)
    return {m: out[m] for m in course.modules if m in out}


def assignments(gradebook_path: Path) -> list[str] | None:
    """The assignment names in the gradebook, read without writing anything (plain SQLite,
    read-only); None when there is no gradebook file."""
    path = Path(gradebook_path)
    if not path.exists():
        return None
    if not path.is_file():
        raise GradebookError(f"{gradebook_path} is not a file")
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "assignment" not in tables:
                return []  # an empty gradebook (`grader nbgrader` makes one): nbgrader adds tables on first use
            return [r[0] for r in db.execute("SELECT name FROM assignment ORDER BY name")]
    except sqlite3.Error as exc:
        raise GradebookError(f"{gradebook_path}: not a usable nbgrader gradebook ({exc})") from None


def check_assignment(gradebook_path: Path, assignment: str, *, create_assignment: bool = False) -> None:
    """Refuse (:class:`UnknownAssignment`, an InputError) an assignment the gradebook does not
    have, and a gradebook file that does not exist, unless ``create_assignment``. Writes nothing."""
    names = assignments(gradebook_path)
    if create_assignment or (names is not None and assignment in names):
        return
    if names is None:
        raise UnknownAssignment(
            f"the gradebook {gradebook_path} does not exist (`grader nbgrader` makes one with the course "
            "folder); check --gradebook, or add --create-assignment to start a new gradebook there")
    have = f"it has: {', '.join(names)}" if names else "it has none yet"
    raise UnknownAssignment(
        f"the gradebook {gradebook_path} has no assignment {assignment!r} ({have}); check --assignment, "
        "or add --create-assignment to create it")


def record(gradebook_path: Path, assignment: str, results: list[StudentResult], course: Course, *,
           overwrite: bool = False, create_assignment: bool = False) -> Recorded:
    """Record every student's per-test scores in the nbgrader gradebook at ``gradebook_path``.

    Students graded ``error`` are skipped, and so is a student for whom an existing score would
    go down, unless ``overwrite``; an unknown assignment raises :class:`UnknownAssignment` unless
    ``create_assignment``. Returns who was recorded and one line per student who was not."""
    api = _api()
    check_assignment(gradebook_path, assignment, create_assignment=create_assignment)
    cells = _cells(course)
    path = Path(gradebook_path).resolve()
    if not path.parent.is_dir():
        raise GradebookError(f"{path.parent} does not exist")
    init_gradebook(path)
    done = Recorded(assignment, figure_points=sum(c.points for cs in cells.values() for c in cs if c.figure))
    try:
        with _alembic_on_path(), warnings.catch_warnings(), \
                api.Gradebook(f"sqlite:///{path}", course_id=course_id(course)) as gb:
            # nbgrader's own add_submission trips SQLAlchemy 2's "not in session" warnings: noise.
            warnings.filterwarnings("ignore", message=".*not in session.*")
            _ensure_assignment(api, gb, assignment, cells)
            for result in results:
                refusal = _record_student(api, gb, assignment, result, cells, overwrite=overwrite)
                if refusal:
                    done.refused.append(f"{result.student_id}: not recorded: {refusal}")
                else:
                    done.recorded.append(result.student_id)
            done.max_score = float(gb.find_assignment(assignment).max_score)
    except (api.InvalidEntry, api.MissingEntry) as exc:
        raise GradebookError(f"{gradebook_path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
            from None
    except FileNotFoundError as exc:  # no `alembic` command: nbgrader's own requirement
        raise GradebookError(f"cannot create {gradebook_path}: nbgrader needs the `{exc.filename}` command "
                             "on PATH (activate the environment nbgrader is installed in)") from None
    except Exception as exc:  # sqlalchemy errors: not a gradebook, locked, read-only, ...
        if type(exc).__module__.startswith("sqlalchemy"):
            raise GradebookError(f"{gradebook_path}: not a usable nbgrader gradebook "
                                 f"({type(exc).__name__})") from None
        raise
    return done


def _ensure_assignment(api: Any, gb: Any, assignment: str, cells: dict[str, list[_Cell]]) -> None:
    """Create what is missing (the assignment only when :func:`check_assignment` allowed it);
    refuse a gradebook made by nbgrader from other notebooks."""
    try:
        gb.find_assignment(assignment)
    except api.MissingEntry:
        gb.add_assignment(assignment)
    for module, mine in cells.items():
        wanted = {c.grade_id: c.points for c in mine}
        try:
            notebook = gb.find_notebook(module, assignment)
        except api.MissingEntry:
            notebook = gb.add_notebook(module, assignment)
        have = {gc.name: gc for gc in notebook.grade_cells}
        made_by_nbgrader = bool(notebook.source_cells)
        stale = sorted(set(have) - set(wanted))
        changed = sorted(n for n in wanted if n in have and abs(have[n].max_score - wanted[n]) > TOLERANCE)
        missing = sorted(set(wanted) - set(have))
        if made_by_nbgrader and (stale or changed or missing):
            first = (stale or changed or missing)[0]
            raise GradebookError(
                f"the gradebook's notebook {assignment}/{module} does not match the course's tests "
                f"(cell {first}); re-run `grader nbgrader` and `nbgrader generate_assignment {assignment} --force`")
        for name in stale:  # only in notebooks we made: tests that no longer exist
            for grade in list(have[name].grades):
                gb.db.delete(grade)
            gb.db.delete(have[name])
        for name in changed:
            have[name].max_score = wanted[name]
        for name in missing:
            gb.db.add(api.GradeCell(name=name, notebook=notebook, max_score=wanted[name], cell_type="code"))
        gb.db.commit()


def _earned(result: StudentResult, cell: _Cell) -> float:
    scores = {t.name: t.score for t in result.tests}
    # a slim result lists only failed tests: the others earned their points
    return float(sum(scores.get(tc.test.name, 0.0 if result.complete else tc.points) for tc in cell.tests))


def _effective(grade: Any, auto: float | None) -> float | None:
    """The score nbgrader shows for a grade whose auto score is ``auto``: a manual score wins."""
    base = grade.manual_score if grade.manual_score is not None else auto
    return None if base is None else base + (grade.extra_credit or 0.0)


def _points(x: float) -> str:
    return f"{round(x, 2):g}"


def _record_student(api: Any, gb: Any, assignment: str, result: StudentResult,
                    cells: dict[str, list[_Cell]], *, overwrite: bool) -> str:
    """Write one student's scores (committed alone); the reason in words when nothing is written."""
    if result.status == "error":
        why = next((p.splitlines()[0] for p in result.problems if p.strip()), "")
        why = f": {why[:117]}..." if len(why) > 120 else (f": {why}" if why else "")
        return f"grading failed (status error{why}); nothing written for this student"
    new = {(m, c.grade_id): _earned(result, c) for m, mine in cells.items() for c in mine}
    try:
        existing = gb.find_submission(assignment, result.student_id)
    except api.MissingEntry:
        existing = None
    if existing is not None and not overwrite:
        lowered, before, after = [], 0.0, 0.0
        for nb in existing.notebooks:
            for g in nb.grades:
                key = (nb.notebook.name, g.cell.name)
                old = _effective(g, g.auto_score)
                now = _effective(g, new[key]) if key in new else old
                before += old or 0.0
                after += now or 0.0
                if old is not None and now is not None and now < old - TOLERANCE:
                    lowered.append(g.cell.name)
        if lowered:
            return (f"it would lower {len(lowered)} score(s) already in the gradebook (first: "
                    f"{sorted(lowered)[0]}; the total would go from {_points(before)} to {_points(after)}); "
                    "--overwrite replaces them")
    gb.update_or_create_student(result.student_id)
    submission = gb.update_or_create_submission(assignment, result.student_id)
    by_notebook = {nb.notebook.name: nb for nb in submission.notebooks}
    for module, mine in cells.items():
        submitted = by_notebook.get(module)
        if submitted is None:  # a notebook added after this submission was created
            submitted = api.SubmittedNotebook(notebook=gb.find_notebook(module, assignment), assignment=submission)
            gb.db.add(submitted)
        grades = {g.cell.name: g for g in submitted.grades}
        for cell in mine:
            grade = grades.get(cell.grade_id)
            if grade is None:
                grade = api.Grade(cell_id=gb.find_grade_cell(cell.grade_id, module, assignment).id,
                                  notebook=submitted)
                gb.db.add(grade)
            grade.auto_score = new[(module, cell.grade_id)]
            grade.needs_manual_grade = False
    gb.db.commit()
    return ""

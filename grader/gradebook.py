"""Record ``grader grade`` results in an nbgrader gradebook (``gradebook.db``).

So that ``nbgrader export`` and the formgrader show the same scores as our own
reports. The gradebook mirrors the layout of :mod:`grader.nbgrader_export`:
one notebook per module, one grade cell per test (same grade_id, max score =
the test's share of its function's points), so a student's auto scores are
exactly their per-test scores and the totals equal ``grader grade``'s.

* If the assignment was already put in the gradebook by ``nbgrader
  generate_assignment`` (the usual order), its grade cells must match the
  course (names and points); otherwise the exported notebooks are out of date
  and a one-line :class:`GradebookError` says what to re-run.
* Otherwise the assignment, notebooks and grade cells are created (grade cells
  only: running ``generate_assignment`` afterwards, once submissions exist, is
  refused by nbgrader, so export and generate first).
* Students and submissions are created as needed; every grade gets
  ``auto_score`` = points earned and ``needs_manual_grade = False``. Manual
  scores a grader entered in the formgrader are left alone (nbgrader lets a
  manual score override the auto score). Running it twice changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grader.config import Course
from grader.errors import GraderError
from grader.nbgrader_export import NbgraderMissing, course_id, layout
from grader.scoring import StudentResult

TOLERANCE = 1e-9


class GradebookError(GraderError):
    """The gradebook cannot be used for this course (one-line reason)."""


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


def record(gradebook_path: Path, assignment: str, results: list[StudentResult], course: Course) -> None:
    """Record every student's per-test scores in the nbgrader gradebook at ``gradebook_path``."""
    api = _api()
    cells = layout(course)
    path = Path(gradebook_path).resolve()
    if path.exists() and not path.is_file():
        raise GradebookError(f"{gradebook_path} is not a file")
    if not path.parent.is_dir():
        raise GradebookError(f"{path.parent} does not exist")
    init_gradebook(path)
    try:
        with _alembic_on_path(), warnings.catch_warnings(), \
                api.Gradebook(f"sqlite:///{path}", course_id=course_id(course)) as gb:
            # nbgrader's own add_submission trips SQLAlchemy 2's "not in session" warnings: noise.
            warnings.filterwarnings("ignore", message=".*not in session.*")
            _ensure_assignment(api, gb, assignment, cells)
            for result in results:
                _record_student(api, gb, assignment, result, cells)
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


def _ensure_assignment(api: Any, gb: Any, assignment: str, cells: dict[str, list[Any]]) -> None:
    """Create what is missing; refuse a gradebook made by nbgrader from other notebooks."""
    try:
        gb.find_assignment(assignment)
    except api.MissingEntry:
        gb.add_assignment(assignment)
    for module, fcells in cells.items():
        wanted = {tc.grade_id: tc.points for fc in fcells for tc in fc.tests}
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


def _record_student(api: Any, gb: Any, assignment: str, result: StudentResult,
                    cells: dict[str, list[Any]]) -> None:
    gb.update_or_create_student(result.student_id)
    submission = gb.update_or_create_submission(assignment, result.student_id)
    scores = {t.name: t.score for t in result.tests}
    by_notebook = {nb.notebook.name: nb for nb in submission.notebooks}
    for module, fcells in cells.items():
        submitted = by_notebook.get(module)
        if submitted is None:  # a notebook added after this submission was created
            submitted = api.SubmittedNotebook(notebook=gb.find_notebook(module, assignment), assignment=submission)
            gb.db.add(submitted)
        grades = {g.cell.name: g for g in submitted.grades}
        for fc in fcells:
            for tc in fc.tests:
                grade = grades.get(tc.grade_id)
                if grade is None:
                    cell = gb.find_grade_cell(tc.grade_id, module, assignment)
                    grade = api.Grade(cell_id=cell.id, notebook=submitted)
                    gb.db.add(grade)
                # a slim result lists only failed tests: the others earned their points
                default = 0.0 if result.complete else tc.points
                grade.auto_score = float(scores.get(tc.test.name, default))
                grade.needs_manual_grade = False
    gb.db.commit()

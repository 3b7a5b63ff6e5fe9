"""Outputs written after a grading run, beside ``grades.csv``.

:func:`write_extra` is called by ``grader grade`` (see :func:`grader.cli._extra_outputs`)
once every student is graded. It always writes the class report and, when
asked with ``--format``, the learning-platform CSVs. Every file goes through
:func:`grader.fsutil.atomic_write`, so an interrupted run never leaves half a
file; the lines it returns are printed on the terminal after the summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, cast

from grader import figure_files
from grader.config import Course
from grader.fsutil import atomic_write
from grader.writers import lms, report

if TYPE_CHECKING:  # only for types: the CLI hands us the run's objects untyped
    from grader.runner import RunSummary
    from grader.scoring import StudentResult

REPORT = "report.html"
CANVAS = "grades-canvas.csv"
MOODLE = "grades-moodle.csv"


def _gallery(grader: object, results: list[StudentResult], out: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Saved figures of the students who lost points on a plot (see grader/figure_files.py)."""
    plan = getattr(grader, "plan", None)
    if plan is None:
        return {}
    return figure_files.gallery(results, out / "feedback", figure_files.plot_functions(plan))


def write_extra(args: argparse.Namespace, course: Course, grader: object, summary: object) -> list[str]:
    """Write report.html (always) and the requested LMS CSVs; one terminal line per file.

    ``grader`` is the :class:`~grader.runner.ClassGrader` and ``summary`` its
    :class:`~grader.runner.RunSummary` (typed ``object`` to match the CLI's call).
    """
    run = cast("RunSummary", summary)
    out: Path = run.out_dir
    results = run.results
    formats = list(getattr(args, "format", None) or [])
    assignment = str(getattr(args, "lms_column", None) or course.assignment_title)  # the LMS column
    lines: list[str] = []

    atomic_write(out / REPORT, report.render(results, title=course.title, functions=course.functions,
                                             gallery=_gallery(grader, results, out)))
    lines.append(f"Wrote {out / REPORT} (open it in a browser).")

    # "csv" needs nothing here: grades.csv is always written by the runner.
    if "canvas" in formats:
        atomic_write(out / CANVAS, lms.render_canvas(results, assignment=assignment,
                                                     points_possible=course.max_total))
        lines.append(f"Wrote {out / CANVAS} (Canvas: Grades > Import; students matched by SIS Login ID).")
    if "moodle" in formats:
        atomic_write(out / MOODLE, lms.render_moodle(results, assignment=assignment))
        lines.append(f"Wrote {out / MOODLE} (Moodle: Grades > Import > CSV file; "
                     "map Username to username).")

    if getattr(args, "gradebook", None):
        lines += _gradebook(args, course, results)
    return lines


def _gradebook(args: argparse.Namespace, course: Course, results: list[StudentResult]) -> list[str]:
    """``--gradebook``: record the scores in nbgrader's gradebook (see :mod:`grader.gradebook`).

    Students graded ``error`` and students whose scores there would go down (without
    ``--overwrite``) are not written: one indented line each says why. An assignment the
    gradebook does not have raises a one-line InputError unless ``--create-assignment``."""
    from grader.gradebook import record

    assignment = course.assignment
    done = record(Path(args.gradebook), assignment, results, course,
                  overwrite=bool(getattr(args, "overwrite", False)),
                  create_assignment=bool(getattr(args, "create_assignment", False)))
    plots = (f"; the {done.figure_points:g} plot points come from `grader grade` (nbgrader's autograde "
             f"gives the other {done.max_score - done.figure_points:g})") if done.figure_points else ""
    lines = [f"Recorded {len(done.recorded)} of {len(results)} student(s) in the nbgrader gradebook "
             f"{args.gradebook} (assignment {assignment}): out of {done.max_score:g}, like grades.csv{plots}. "
             "`nbgrader export` lists the totals."]
    lines += [f"  {line}" for line in done.refused]
    return lines

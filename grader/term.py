"""One table across the term: every student's total per assignment, and overall.

``grader term graded/ps1 graded/ps2 graded/ps3 --out term.csv`` reads the output
folders of ``grader grade`` runs (one per assignment: their ``grades.csv`` and
``assignment.json``) and writes one CSV keyed by student id, in course order:

    student_id,ps1,ps2,ps3,total,max_total
    佐藤花子,84,61.5,,145.5,220

An empty cell means the student has no grade in that assignment (nothing was
handed in); it counts as 0 in ``total``. Like grades.csv, the file starts with a
UTF-8 byte order mark so Excel opens it correctly.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from grader.errors import InputError
from grader.scoring import round_points
from grader.writers.grades_csv import ASSIGNMENT_FILE, BOM, FILE, fmt


@dataclass(frozen=True)
class Graded:
    """One assignment's grades, as one ``grader grade`` run wrote them."""

    assignment: str
    max_total: float
    totals: dict[str, float]  # student id -> total


def read_graded(folder: Path) -> Graded:
    """A ``grader grade`` output folder; InputError naming what is missing or unreadable."""
    meta_path, grades_path = folder / ASSIGNMENT_FILE, folder / FILE
    if not (meta_path.is_file() and grades_path.is_file()):
        raise InputError(f"{folder} is not a `grader grade` output folder (no assignment.json and grades.csv)")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with grades_path.open(encoding="utf-8-sig", newline="") as f:
            totals = {row["student_id"]: float(row["total"]) for row in csv.DictReader(f)}
        return Graded(str(meta["assignment"]), float(meta["max_total"]), totals)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{folder}: cannot read its grades ({type(exc).__name__}: {exc})") from None


def render(graded: list[Graded], order: list[str] | None = None) -> str:
    """The term table, assignments in ``order`` (the course's) where given."""
    names = [g.assignment for g in graded]
    if len(set(names)) != len(names):
        raise InputError(f"two folders hold grades of the same assignment ({', '.join(names)})")
    if order:
        graded = sorted(graded, key=lambda g: order.index(g.assignment) if g.assignment in order else len(order))
    students = sorted({sid for g in graded for sid in g.totals})
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student_id", *(g.assignment for g in graded), "total", "max_total"])
    max_total = round_points(sum(g.max_total for g in graded))
    for sid in students:
        cells = [g.totals.get(sid) for g in graded]
        total = round_points(sum(c for c in cells if c is not None))
        w.writerow([sid, *("" if c is None else fmt(c) for c in cells), fmt(total), fmt(max_total)])
    return buf.getvalue()

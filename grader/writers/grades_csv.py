"""grades.csv: one row per student, ready for a gradebook import."""

from __future__ import annotations

import csv
import io

from grader.scoring import StudentResult


def fmt(x: float) -> str:
    """Points with at most two decimals and no trailing zeros (7, 3.5, 2.33)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def render(results: list[StudentResult], functions: list[str]) -> str:
    """``student_id,total,max_total,<module.function>...,status``, sorted by student id."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student_id", "total", "max_total", *functions, "status"])
    for r in sorted(results, key=lambda r: r.student_id):
        earned = {f.function: f.earned for f in r.functions}
        w.writerow([r.student_id, fmt(r.total), fmt(r.max_total),
                    *(fmt(earned.get(f, 0.0)) for f in functions), r.status])
    return buf.getvalue()

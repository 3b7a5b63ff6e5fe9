"""grades.csv: one row per student, ready for a gradebook import.

The student id is the name exactly as given (佐藤花子 stays 佐藤花子); the last
column, ``file_id``, names the student's files (``results/<file_id>.json``,
``feedback/<file_id>.md``), which differ from the id only where a file name
could not hold it. The file starts with a UTF-8 byte order mark, so Excel
(whatever the system's language) opens it as UTF-8; Python reads it with
``encoding="utf-8-sig"``.
"""

from __future__ import annotations

import csv
import io

from grader.scoring import StudentResult

FILE = "grades.csv"  # in a `grader grade` output folder, beside:
ASSIGNMENT_FILE = "assignment.json"  # which assignment these grades are for (grader term reads both)


def fmt(x: float) -> str:
    """Points with at most two decimals and no trailing zeros (7, 3.5, 2.33)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


BOM = "\ufeff"


def render(results: list[StudentResult], functions: list[str]) -> str:
    """``student_id,total,max_total,<module.function>...,status,file_id``, sorted by student id."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student_id", "total", "max_total", *functions, "status", "file_id"])
    for r in sorted(results, key=lambda r: r.student_id):
        earned = {f.function: f.earned for f in r.functions}
        w.writerow([r.student_id, fmt(r.total), fmt(r.max_total),
                    *(fmt(earned.get(f, 0.0)) for f in functions), r.status, r.file_id or r.student_id])
    return buf.getvalue()

"""Grade-import CSVs for learning platforms (Canvas, Moodle).

A student graded from a platform's own bulk download carries that platform's
identifiers (recovered from the download's file or folder names), and the
exports use them: Canvas's numeric user id, Moodle's participant id. Anyone
else is identified by our student id (the submission folder's name, as given),
taken to be the student's login name on the platform.
Rows are sorted by student id and points are written like ``grades.csv``
(:func:`grader.writers.grades_csv.fmt`: at most two decimals, no trailing zeros).

Canvas (``grades-canvas.csv``)
    The layout of Canvas's own gradebook export, which is also what its
    gradebook import reads::

        Student,ID,SIS User ID,SIS Login ID,Section,<assignment>
            Points Possible,,,,,<max total>
        alice,,,alice,,52.5

    ``Student`` holds our id (Canvas shows it in the import preview; the real
    name stays as Canvas has it). ``ID`` holds Canvas's numeric user id when the
    submissions came from Canvas's "Download Submissions" zip (each file name
    carries it), and Canvas matches on it; otherwise ``ID`` is empty and ``SIS
    Login ID`` holds our id, which Canvas then matches on. ``SIS User ID`` and
    ``Section`` are left empty. The second row gives the assignment's
    points possible, like an export does. Import with Grades > Import, choose the
    file, and check the preview. A column whose name matches an existing
    assignment updates it; any other name creates a new assignment, so pass the
    assignment's exact Canvas name with ``--assignment`` (an export's ``Name
    (12345)`` header works too). Students Canvas cannot match by login are
    listed in the preview for the instructor to pair by hand.

Moodle (``grades-moodle.csv``)
    When every student came from Moodle's "Download all submissions" (folders
    ``Full Name_12345_assignsubmission_file_``), the file is the assignment's
    grading worksheet, matched on Moodle's participant id::

        Identifier,Full name,Grade,Maximum Grade,Feedback comments
        Participant 12345,Sato Hanako,52.5,70,52.5 / 70 points (autograded). ...

    Upload it from the assignment: View all submissions > Grading action >
    Upload grading worksheet (tick "Allow updating records that have been
    modified more recently in Moodle" when re-grading). Otherwise it is a
    gradebook import, for Grades > Import > CSV file::

        Username,<assignment>,Feedback
        alice,52.5,52.5 / 70 points (autograded). ...

    In the import dialog, under "Identify user by", set *Map from* to
    ``Username`` and *Map to* to ``username``. Under "Grade item mappings", map
    ``<assignment>`` to the grade item (or to "New grade item") and
    ``Feedback`` to "Feedback for <that item>", or set it to ignore to import
    the grades alone. The grade item's maximum grade should be the course's
    maximum total, since Moodle does not rescale imported points.
"""

from __future__ import annotations

import csv
import io

from grader.i18n import _, t
from grader.scoring import StudentResult
from grader.writers.feedback import sentences
from grader.writers.grades_csv import fmt

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_LABEL = "    Points Possible"  # as Canvas writes it in its own exports
MOODLE_ID = "Username"
MOODLE_WORKSHEET = ["Identifier", "Full name", "Grade", "Maximum Grade", "Feedback comments"]
MOODLE_FEEDBACK = "Feedback"
MAX_NAMED = 6  # feedback names at most this many unfinished functions


def _sorted(results: list[StudentResult]) -> list[StudentResult]:
    return sorted(results, key=lambda r: r.student_id)


def render_canvas(results: list[StudentResult], *, assignment: str, points_possible: float) -> str:
    """Canvas gradebook-import CSV: one assignment column, login ids, a Points Possible row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*CANVAS_FIXED, assignment])
    w.writerow([CANVAS_POINTS_LABEL, "", "", "", "", fmt(points_possible)])
    for r in _sorted(results):
        canvas_id = r.lms.get("user_id", "") if r.lms.get("platform") == "canvas" else ""
        w.writerow([r.student_id, canvas_id, "", "" if canvas_id else r.student_id, "", fmt(r.total)])
    return buf.getvalue()


def feedback_line(r: StudentResult) -> str:
    """One line of feedback for the platform: the score, and what is not yet right.

    Names functions only, never hidden tests' inputs; the full feedback file
    stays the place for details. In the course's language; the CSV's own columns
    stay as the platform names them.
    """
    parts = [t("{total} / {max_total} points (autograded).", total=fmt(r.total), max_total=fmt(r.max_total))]
    if r.status == "timeout":
        parts.append(_("Your code could not be run completely (time limit)."))
    elif r.status == "error":
        parts.append(_("Your code could not be run completely."))
    todo = [f.function for f in r.functions if not f.full]
    if len(todo) > MAX_NAMED:
        parts.append(t("{count} of {total} functions are not yet fully right.", count=len(todo),
                       total=len(r.functions)))
    elif todo:
        parts.append(t("Not yet fully right: {functions}.", functions=", ".join(todo)))
    return sentences(*parts)


def render_moodle(results: list[StudentResult], *, assignment: str) -> str:
    """Moodle CSV: the assignment's grading worksheet when every student came from Moodle's
    bulk download (participant ids), else a gradebook import (username, points, feedback)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if results and all(r.lms.get("platform") == "moodle" for r in results):
        w.writerow(MOODLE_WORKSHEET)
        for r in _sorted(results):
            w.writerow([f"Participant {r.lms['participant']}", r.student_id, fmt(r.total), fmt(r.max_total),
                        feedback_line(r)])
        return buf.getvalue()
    w.writerow([MOODLE_ID, assignment, MOODLE_FEEDBACK])
    for r in _sorted(results):
        w.writerow([r.student_id, fmt(r.total), feedback_line(r)])
    return buf.getvalue()

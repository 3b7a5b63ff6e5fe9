"""Canvas and Moodle grade-import CSVs, and the extra outputs written after a run."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from types import SimpleNamespace

from grader import cli, outputs
from grader.config import Course
from grader.sandbox.limits import Limits
from grader.scoring import FunctionScore, StudentResult
from grader.writers import lms, report

POINTS = {"losses.sse": 4.0, "losses.mse": 3.0, "derivatives.sse_derivative": 2.0}


def student(sid: str, earned: dict[str, float] | None = None, status: str = "ok") -> StudentResult:
    """A result with the given points per function (full points where not given)."""
    earned = earned or {}
    functions = []
    for fn, pts in POINTS.items():
        got = earned.get(fn, pts)
        passed = 2 if got == pts else (1 if got else 0)
        functions.append(FunctionScore(fn, pts, got, passed, 2, "full" if passed == 2 else "partial"))
    return StudentResult(student_id=sid, total=round(sum(f.earned for f in functions), 6),
                         max_total=sum(POINTS.values()), status=status, functions=functions, tests=[])


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


CLASS = [student("zoe"), student("amir", {"losses.sse": 2.0}),
         student("smith, jo", {"losses.mse": 1.0 / 3.0}), student('o"neil', {"losses.sse": 0.0}),
         student("ben", {f: 0.0 for f in POINTS}, status="error")]


# -- Canvas -------------------------------------------------------------------------------

def test_canvas_header_lines_are_exact() -> None:
    text = lms.render_canvas(CLASS, assignment="ps1", points_possible=9.0)
    lines = text.splitlines()
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,ps1"
    assert lines[1] == "    Points Possible,,,,,9"
    assert text.endswith("\n")


def test_canvas_rows_sorted_formatted_and_parse_back() -> None:
    table = rows(lms.render_canvas(CLASS, assignment="ps1", points_possible=9.0))
    body = table[2:]
    assert [r[3] for r in body] == sorted(r.student_id for r in CLASS)  # SIS Login ID
    assert all(len(r) == 6 for r in table)
    got = {r[3]: r for r in body}
    assert got["amir"] == ["amir", "", "", "amir", "", "7"]
    assert got["smith, jo"][5] == "6.33"
    assert got['o"neil'][5] == "5"
    assert got["ben"][5] == "0"
    assert got["zoe"][5] == "9"


def test_canvas_quotes_ids_and_assignment_names() -> None:
    text = lms.render_canvas(CLASS, assignment='PS 1, "losses"', points_possible=12.5)
    lines = text.splitlines()
    assert lines[0].endswith(',"PS 1, ""losses"""')
    assert lines[1] == "    Points Possible,,,,,12.5"
    assert '"smith, jo",,,"smith, jo",,6.33' in lines
    assert '"o""neil",,,"o""neil",,5' in lines
    assert rows(text)[0][5] == 'PS 1, "losses"'


def test_canvas_empty_class_keeps_both_header_lines() -> None:
    assert lms.render_canvas([], assignment="ps1", points_possible=9) == (
        "Student,ID,SIS User ID,SIS Login ID,Section,ps1\n    Points Possible,,,,,9\n")


# -- Moodle -------------------------------------------------------------------------------

def test_moodle_header_rows_and_numbers() -> None:
    text = lms.render_moodle(CLASS, assignment="ps1")
    table = rows(text)
    assert text.splitlines()[0] == "Username,ps1,Feedback"
    assert [r[0] for r in table[1:]] == sorted(r.student_id for r in CLASS)
    assert all(len(r) == 3 for r in table)
    got = {r[0]: r for r in table[1:]}
    assert got["amir"][1] == "7" and got["smith, jo"][1] == "6.33" and got["ben"][1] == "0"
    assert '"smith, jo",6.33,' in text and '"o""neil",5,' in text


def test_moodle_feedback_is_one_safe_line() -> None:
    got = {r[0]: r[2] for r in rows(lms.render_moodle(CLASS, assignment="ps1"))[1:]}
    assert got["zoe"] == "9 / 9 points (autograded)."
    assert got["amir"] == "7 / 9 points (autograded). Not yet fully right: losses.sse."
    assert "could not be run" in got["ben"]
    assert all("\n" not in f for f in got.values())


def test_moodle_feedback_summarises_many_unfinished_functions() -> None:
    many = {f"m.f{i}": 1.0 for i in range(lms.MAX_NAMED + 2)}
    functions = [FunctionScore(f, p, 0.0, 0, 1, "zero") for f, p in many.items()]
    r = StudentResult("x", 0.0, float(len(many)), "ok", functions, [])
    assert lms.feedback_line(r).endswith(f"{len(many)} of {len(many)} functions are not yet fully right.")


def test_moodle_empty_class() -> None:
    assert lms.render_moodle([], assignment="ps1") == "Username,ps1,Feedback\n"


# -- the extra outputs after a run --------------------------------------------------------

def course(root: Path) -> Course:
    return Course(root=root, title="Loss functions", rtol=1e-6, atol=1e-9, limits=Limits(),
                  modules={"losses": {"sse": 4.0, "mse": 3.0}, "derivatives": {"sse_derivative": 2.0}},
                  max_zip_mb=50, show_hidden_inputs=False, show_hidden_expected=False)


def args(formats: list[str] | None, lms_column: str | None = None) -> argparse.Namespace:
    """``grader grade``'s arguments: ``--lms-column`` names the platform's column (else the
    assignment's title from course.yml)."""
    return argparse.Namespace(format=formats, assignment=None, lms_column=lms_column, gradebook=None)


def test_write_extra_writes_the_report_always(tmp_path: Path) -> None:
    out = tmp_path / "graded"
    summary = SimpleNamespace(results=CLASS, out_dir=out)
    lines = outputs.write_extra(args(None), course(tmp_path), object(), summary)
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]  # and no temporary files
    assert lines == [f"Wrote {out / 'report.html'} (open it in a browser)."]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page == report.render(CLASS, title="Loss functions", functions=list(POINTS))


def test_write_extra_writes_requested_platform_files(tmp_path: Path) -> None:
    out = tmp_path / "graded"
    summary = SimpleNamespace(results=CLASS, out_dir=out)
    lines = outputs.write_extra(args(["csv", "canvas", "moodle"], "PS 1"), course(tmp_path), object(), summary)
    assert sorted(p.name for p in out.iterdir()) == ["grades-canvas.csv", "grades-moodle.csv", "report.html"]
    assert (out / "grades-canvas.csv").read_text(encoding="utf-8") == lms.render_canvas(
        CLASS, assignment="PS 1", points_possible=9.0)
    assert (out / "grades-moodle.csv").read_text(encoding="utf-8") == lms.render_moodle(CLASS, assignment="PS 1")
    assert len(lines) == 3 and all(line.startswith(f"Wrote {out}") for line in lines)


def test_cli_hook_reaches_write_extra(tmp_path: Path) -> None:
    """``grader grade`` calls outputs through this hook, which hides ImportError: make sure
    the module imports and the hook writes the files."""
    out = tmp_path / "graded"
    lines = cli._extra_outputs(args(["moodle"]), course(tmp_path), object(),
                               SimpleNamespace(results=CLASS[:1], out_dir=out))
    assert len(lines) == 2 and (out / "grades-moodle.csv").is_file() and (out / "report.html").is_file()

"""Every user mistake on the command line is one ``Error: ...`` line with its documented
exit code (README, "Exit codes"), never a traceback, and writes nothing.

Each case runs the real ``grader`` command in a subprocess, in its own scratch tree of
wrong and right paths. All of them fail before any grading starts (no sandbox), and
they run side by side, so the whole table takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli

USAGE, CONFIG, INPUT, INTERNAL = 2, 3, 4, 70

IS_ROOT = os.geteuid() == 0
needs_nbgrader = pytest.mark.skipif(importlib.util.find_spec("nbgrader") is None, reason="nbgrader not installed")
# Root may write anywhere a mode allows no one to: a 0o500 folder proves nothing then.
# The /proc cases below are folders no one may write, root included.
not_as_root = pytest.mark.skipif(IS_ROOT, reason="running as root: permissions do not stop root, so a 0o500 "
                                                 "folder is writable (the /proc cases cover root; "
                                                 "`unshare -U pytest ...` runs these as root too)")


def make_place(t: Path) -> Path:
    """A scratch tree of wrong and right paths."""
    (t / "afile").write_text("not a folder\n")
    (t / "emptydir").mkdir()
    (t / "notes").mkdir()
    (t / "notes" / "notes.txt").write_text("no students here\n")
    (t / "klass" / "alice").mkdir(parents=True)     # a class of one (empty) student
    (t / "bad.yml").write_text("title: [unclosed\n")
    (t / "course-dir").mkdir()
    (t / "notdb.db").write_text("this is not SQLite\n")
    ro = t / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    return t


def tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


CASES = [
    # -- grade: the submissions path
    pytest.param(["grade", "{t}/nope"], INPUT, "no such file or folder", id="grade-missing-submissions"),
    pytest.param(["grade", "{t}/afile", "--out", "{t}/o"], INPUT, "is not a folder or a .zip file",
                 id="grade-submissions-not-folder-or-zip"),
    pytest.param(["grade", "{t}/emptydir", "--out", "{t}/o"], INPUT, "no submissions found in",
                 id="grade-empty-class"),
    pytest.param(["grade", "{t}/notes", "--out", "{t}/o"], INPUT, "skipped notes.txt",
                 id="grade-class-without-students"),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/klass"], INPUT, "is the submissions folder",
                 id="grade-out-is-submissions"),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/klass/graded"], INPUT, "is inside the submissions folder",
                 id="grade-out-inside-submissions"),
    pytest.param(["grade", "{t}/klass/alice", "--out", "{t}/klass"], INPUT, "is inside the output folder",
                 id="grade-submissions-inside-out"),
    # -- grade: --out
    pytest.param(["grade", "{t}/klass", "--out", "{t}/afile"], INPUT, "--out {t}/afile is a file, not a folder",
                 id="grade-out-is-a-file"),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/afile/graded"], INPUT, "{t}/afile is a file, not a folder",
                 id="grade-out-under-a-file"),
    pytest.param(["grade", "{t}/klass", "--out", "/proc/version/graded"], INPUT, "cannot be created",
                 id="grade-out-under-proc-file"),
    pytest.param(["grade", "{t}/klass", "--out", "/proc/grader-graded"], INPUT, "/proc is not writable",
                 id="grade-out-unwritable-even-for-root"),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/ro/graded"], INPUT, "{t}/ro is not writable",
                 id="grade-out-in-0o500-folder", marks=not_as_root),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/ro"], INPUT, "--out {t}/ro is not writable",
                 id="grade-out-is-0o500-folder", marks=not_as_root),
    # -- grade: options
    pytest.param(["grade", "{t}/klass", "--jobs", "0"], USAGE, "--jobs: must be at least 1", id="grade-jobs-0"),
    pytest.param(["grade", "{t}/klass", "--jobs", "abc"], USAGE, "expected a whole number", id="grade-jobs-abc"),
    pytest.param(["grade", "{t}/klass", "--format", "xls"], USAGE, "invalid choice: 'xls'", id="grade-format"),
    pytest.param(["grade", "{t}/klass", "--bogus"], USAGE, "unrecognized arguments", id="grade-unknown-option"),
    pytest.param(["grade"], USAGE, "required: submissions", id="grade-no-submissions"),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/o", "--gradebook", "{t}/emptydir"], INPUT,
                 "--gradebook {t}/emptydir is a folder", id="grade-gradebook-is-folder", marks=needs_nbgrader),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/o", "--gradebook", "{t}/nodir/gradebook.db"], INPUT,
                 "does not exist", id="grade-gradebook-missing-folder", marks=needs_nbgrader),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/o", "--gradebook", "{t}/notdb.db"], INPUT,
                 "not an nbgrader gradebook", id="grade-gradebook-not-sqlite", marks=needs_nbgrader),
    pytest.param(["grade", "{t}/klass", "--out", "{t}/o", "--gradebook", "/proc/grader.db"], INPUT,
                 "/proc is not writable", id="grade-gradebook-unwritable", marks=needs_nbgrader),
    # -- --course
    pytest.param(["--course", "{t}/course-dir", "grade", "{t}/klass", "--out", "{t}/o"], CONFIG,
                 "is a folder, not a course.yml file", id="course-is-folder"),
    pytest.param(["--course", "{t}/missing.yml", "grade", "{t}/klass", "--out", "{t}/o"], CONFIG,
                 "file not found", id="course-missing"),
    pytest.param(["--course", "{t}/bad.yml", "grade", "{t}/klass", "--out", "{t}/o"], CONFIG,
                 "not valid YAML", id="course-invalid-yaml"),
    pytest.param(["--course", "{t}/bad.yml", "release", "{t}/copy"], CONFIG, "not valid YAML",
                 id="course-invalid-yaml-release"),
    # -- check
    pytest.param(["check", "{t}/nope"], INPUT, "does not exist", id="check-missing"),
    pytest.param(["check", "{t}/emptydir"], INPUT, "found 0 submissions", id="check-empty-folder"),
    pytest.param(["check", "{t}/afile"], INPUT, "is not a folder or a .zip file", id="check-a-file"),
    pytest.param(["check"], USAGE, "required: path", id="check-no-path"),
    # -- release DEST
    pytest.param(["release", "{t}/afile"], INPUT, "release folder {t}/afile is a file, not a folder",
                 id="release-dest-is-file"),
    pytest.param(["release", "/proc/version/copy"], INPUT, "/proc/version is a file, not a folder",
                 id="release-dest-under-file"),
    pytest.param(["release", "/proc/grader-copy"], INPUT, "/proc is not writable", id="release-dest-unwritable"),
    pytest.param(["release", "{t}/ro/copy"], INPUT, "{t}/ro is not writable", id="release-dest-in-0o500-folder",
                 marks=not_as_root),
    pytest.param(["release", "{t}/notes"], INPUT, "folder is not empty", id="release-dest-not-empty"),
    # -- gradescope OUT.zip
    pytest.param(["gradescope", "{t}/emptydir"], INPUT, "is a folder, not a file", id="gradescope-out-is-folder"),
    pytest.param(["gradescope", "{t}/nodir/autograder.zip"], INPUT, "the folder {t}/nodir does not exist",
                 id="gradescope-out-missing-folder"),
    pytest.param(["gradescope", "/proc/grader-autograder.zip"], INPUT, "/proc is not writable",
                 id="gradescope-out-unwritable"),
    pytest.param(["gradescope", "{t}/ro/autograder.zip"], INPUT, "{t}/ro is not writable",
                 id="gradescope-out-in-0o500-folder", marks=not_as_root),
    pytest.param(["gradescope"], USAGE, "required: out_zip", id="gradescope-no-out"),
    # -- gradescope-run --root
    pytest.param(["gradescope-run", "--root", "{t}/nope"], INPUT, "no such folder", id="gradescope-run-missing-root"),
    pytest.param(["gradescope-run", "--root", "{t}/emptydir"], INPUT, "no submission folder",
                 id="gradescope-run-no-submission"),
    pytest.param(["gradescope-run", "--root", "/proc"], INPUT, "results folder /proc/results cannot be created",
                 id="gradescope-run-unwritable-results"),
    # -- nbgrader DEST
    pytest.param(["nbgrader", "{t}/afile"], INPUT, "is a file, not a folder", id="nbgrader-dest-is-file"),
    pytest.param(["nbgrader", "/proc/version/nb"], INPUT, "/proc/version is a file, not a folder",
                 id="nbgrader-dest-under-file"),
    pytest.param(["nbgrader", "/proc/grader-nb"], INPUT, "/proc is not writable", id="nbgrader-dest-unwritable"),
    pytest.param(["nbgrader", "{t}/nb", "--assignment", "a b"], USAGE, "no such assignment",
                 id="nbgrader-bad-assignment", marks=needs_nbgrader),
    pytest.param(["grade", "{t}/afile", "--assignment", "ps9"], USAGE, "the course has: ps1",
                 id="grade-unknown-assignment"),
    # -- bench
    pytest.param(["bench", "--students", "0"], USAGE, "--students: must be at least 1", id="bench-students-0"),
    pytest.param(["bench", "--jobs", "x"], USAGE, "expected a whole number", id="bench-jobs-x"),
    pytest.param(["bench", "--baseline-sample", "-1"], USAGE, "must be at least 0", id="bench-negative-sample"),
    pytest.param(["bench", "--json", "{t}/emptydir"], INPUT, "--json {t}/emptydir is a folder", id="bench-json-folder"),
    pytest.param(["bench", "--json", "/proc/version/b.json"], INPUT, "cannot be created", id="bench-json-under-file"),
    pytest.param(["bench", "--skip-module", "nope", "--nbgrader-sample", "0"], USAGE, "no such module",
                 id="bench-unknown-module"),
    # -- the rest of the command line
    pytest.param(["stubs", "extra"], USAGE, "unrecognized arguments", id="stubs-extra-argument"),
    pytest.param(["bogus"], USAGE, "invalid choice: 'bogus'", id="unknown-command"),
    pytest.param([], USAGE, "required: command", id="no-command"),
]


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, fragment: str) -> None:
    shown = f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stdout + proc.stderr, shown
    assert proc.returncode == code, shown
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), shown
    assert fragment in lines[0], shown


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, set[str], subprocess.CompletedProcess]]:
    """Every case run once, side by side: id -> (its scratch tree, the tree before, the run)."""
    def one(case: Any) -> tuple[str, tuple[Path, set[str], subprocess.CompletedProcess]]:
        case_id, (args, _, _) = case.id, case.values
        place = make_place(tmp_path_factory.mktemp(case_id))
        before = tree(place)
        return case_id, (place, before, run_cli(*(a.replace("{t}", str(place)) for a in args), timeout=60))

    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize(("args", "code", "fragment"), CASES)
def test_user_mistake_is_one_line(table: dict[str, Any], request: pytest.FixtureRequest, args: list[str], code: int,
                                  fragment: str) -> None:
    place, before, proc = table[request.node.callspec.id]
    assert_one_line_error(proc, code, fragment.replace("{t}", str(place)))
    assert tree(place) == before, "a refused command wrote something"


def _run_patched(patch: str, *args: str) -> subprocess.CompletedProcess:
    """The real ``main()`` in a subprocess, after ``patch`` (Python source) has run."""
    code = textwrap.dedent(patch) + "\nfrom grader.cli import main\nraise SystemExit(main(sys.argv[1:]))\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", "import sys\n" + code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


def test_a_write_failing_in_the_core_is_one_line(tmp_path: Path) -> None:
    """Disk full while the core writes: ``Error: cannot write <path>: <reason>``, exit 4."""
    full = """
        import errno, pathlib
        def full(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")
        pathlib.Path.write_bytes = full
    """
    proc = _run_patched(full, "release", str(tmp_path / "copy"), "--assignment", "ps1")
    assert_one_line_error(proc, INPUT, f"cannot write {tmp_path / 'copy'}: No space left on device")


def test_an_output_path_broken_during_the_run_is_one_line(tmp_path: Path) -> None:
    """A path in the way inside --out (here results/ is a file): named, exit 4. The only
    student has no files, so nothing reaches the sandbox."""
    (tmp_path / "klass" / "bob").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "results").write_text("in the way\n")
    proc = run_cli("grade", str(tmp_path / "klass"), "--out", str(out), "--quiet", timeout=60)
    assert_one_line_error(proc, INPUT, f"cannot write {out / 'results'}")


BUGS = {
    "exception": "raise ZeroDivisionError('division by zero')",
    # An OSError about a path that is not one of the command's outputs, and not a refusal
    # (permissions, full disk): the grader's own files, so a bug too.
    "own-file-missing": "raise FileNotFoundError(2, 'No such file or directory', '/nonexistent/solutions/x.py')",
}


@pytest.mark.parametrize("raise_it", list(BUGS.values()), ids=list(BUGS))
def test_a_bug_still_shows_its_traceback(tmp_path: Path, raise_it: str) -> None:
    """Anything that is not a user mistake is a bug: the traceback, and exit 70."""
    bug = f"""
        import grader.release
        def broken(*a, **k):
            {raise_it}
        grader.release.student_files = broken
    """
    proc = _run_patched(bug, "release", str(tmp_path / "copy"), "--assignment", "ps1")
    assert proc.returncode == INTERNAL, proc.stderr
    assert "Traceback" in proc.stderr and raise_it.split()[1].split("(")[0] in proc.stderr
    assert "a bug in the grader" in proc.stderr.splitlines()[-1]


def test_empty_class_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "submissions").mkdir()
    proc = run_cli("grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "graded"), timeout=60)
    assert_one_line_error(proc, INPUT, f"no submissions found in {tmp_path / 'submissions'}")
    assert not (tmp_path / "graded").exists()

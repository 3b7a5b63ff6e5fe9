"""`grader grade` through the real CLI: the bundled sample class, output formats,
resumability and the single-student paths."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SAMPLE = ROOT / "examples" / "sample-class"
EXPECTED = ROOT / "examples" / "sample-class.expected.csv"

# Gradescope's published results.json fields (autograder specification).
TOP_FIELDS = {"score", "max_score", "output", "stdout_visibility", "visibility", "tests", "execution_time"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "visibility", "tags", "number", "output_format",
               "name_format"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        h.update(str(p.relative_to(path)).encode())
        if p.is_file() and not p.is_symlink():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("graded")
    before = tree_digest(SAMPLE)
    proc = run_cli("grade", str(SAMPLE), "--out", str(out))
    assert tree_digest(SAMPLE) == before, "grading modified the submissions folder"
    return proc, out


def test_sample_class_grades_as_expected(sample_run) -> None:
    proc, out = sample_run
    assert proc.returncode == 0, proc.stderr
    assert (out / "grades.csv").read_text() == EXPECTED.read_text()


def test_one_total_everywhere(sample_run) -> None:
    """The one rounding rule: grades.csv, results/<id>.json and the feedback show the same
    total for every student (2 decimals, rounded once from the exact sum)."""
    _, out = sample_run
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig")))
    fractional = 0
    for row in rows:
        data = json.loads((out / "results" / f"{row['file_id']}.json").read_text(encoding="utf-8"))
        assert data["score"] == float(row["total"]) and round(data["score"], 2) == data["score"]
        feedback = (out / "feedback" / f"{row['file_id']}.md").read_text(encoding="utf-8")
        assert f"**Total: {row['total']} / {row['max_total']}**" in feedback
        fractional += "." in row["total"]
    assert fractional >= 3  # the rule is exercised by totals that are not whole numbers


def test_grades_csv_columns(sample_run, course) -> None:
    _, out = sample_run
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["student_id", "total", "max_total", *course.functions, "status", "file_id"]
    for row in rows:
        assert row["status"] in {"ok", "partial", "error", "timeout"}
        parts = sum(float(row[f]) for f in course.functions)
        assert abs(parts - float(row["total"])) < 0.02
    ids = [r["student_id"] for r in rows]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_bad_entries_cost_only_their_owner(sample_run, course) -> None:
    _, out = sample_run
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig"))}
    full = f"{course.max_total:g}"
    for correct in ("aiko", "ben", "chen", "dana", "emre", "fatima", "goro", "hana", "quinn"):
        assert rows[correct]["total"] == full and rows[correct]["status"] == "ok"
    assert rows["pablo"]["status"] == "error" and rows["pablo"]["total"] == "0"  # empty folder
    assert rows["taro"]["regression.center"] == "0" and rows["taro"]["status"] == "partial"  # syntax error
    assert rows["uma"]["descent.gradient_descent"] == "0"  # raises at import
    assert rows["olga"]["total"] == full and rows["olga"]["status"] == "ok"  # undeclared non-UTF-8: read, with a note
    assert rows["victor"]["status"] == "timeout" and rows["victor"]["losses.mae"] == "0"  # infinite loop
    assert rows["victor"]["losses.sse"] == "4"
    assert rows["wen"]["losses.huber"] == "0" and rows["wen"]["losses.sse"] == "4"  # memory bomb
    assert rows["xavier"]["losses.mse"] == "0" and rows["xavier"]["losses.sse"] == "4"  # fork bomb
    assert rows["yuki"]["total"] == full  # output flood, otherwise right
    assert rows["zoe"]["losses.sse"] == "0"  # tried to read solutions/
    assert rows["mallory"]["losses.mse"] == "0"  # __eq__ always True
    assert rows["eve"]["losses.cross_entropy"] == "0"  # sys.exit(0)
    assert rows["trudy"]["derivatives.sse_derivative"] == "0"  # kills its parent
    assert rows["sara"]["total"] == "0"  # stubs: not started


def test_problems_reach_feedback_and_summary(sample_run) -> None:
    proc, out = sample_run
    assert "was not saved as UTF-8" in (out / "feedback" / "olga.md").read_text()
    assert "kemal.zip" in (out / "feedback" / "kemal.md").read_text()
    assert "kemal" in proc.stdout and "duplicate" in proc.stdout
    for who in ("victor", "wen", "xavier", "pablo"):
        assert f"  {who}:" in proc.stdout
    assert "Mean total" in proc.stdout and "median" in proc.stdout
    assert "most often" in proc.stdout


def test_results_json_follow_gradescope_schema(sample_run, course, plan) -> None:
    _, out = sample_run
    files = sorted((out / "results").glob("*.json"))
    assert len(files) == len(list(csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig"))))
    names = {t.name for t in plan.tests}
    for path in files:
        data = json.loads(path.read_text())
        assert set(data) <= TOP_FIELDS and {"score", "max_score", "tests"} <= set(data)
        assert data["stdout_visibility"] == "hidden"
        assert len(data["tests"]) == len(plan.tests)
        for t in data["tests"]:
            assert set(t) <= TEST_FIELDS and t["visibility"] in VISIBILITIES
            assert t["name"] in names and t["name"].split(":")[0] in course.functions
            assert isinstance(t["score"], (int, float)) and 0 <= t["score"] <= t["max_score"] + 1e-9
        assert abs(sum(t["score"] for t in data["tests"]) - data["score"]) < 0.01


def test_feedback_never_reveals_hidden_inputs_or_expected(sample_run, plan) -> None:
    _, out = sample_run
    public_inputs = {t.what for t in plan.tests if t.public}
    hidden = [t for t in plan.tests if not t.public and len(t.what) > 12 and t.what not in public_inputs]
    for path in (out / "feedback").glob("*.md"):
        text = path.read_text()
        for t in hidden:
            assert t.what not in text, (path.name, t.name)
    for path in (out / "results").glob("*.json"):
        for t in json.loads(path.read_text())["tests"]:
            if t["visibility"] != "visible":
                assert "input:" not in t["output"] and "expected:" not in t["output"]


def test_rerun_reuses_everything_and_force_regrades(sample_run) -> None:
    _, out = sample_run
    first = (out / "grades.csv").read_bytes()
    again = run_cli("grade", str(SAMPLE), "--out", str(out), "--quiet")
    assert again.returncode == 0 and "0 graded now" in again.stdout
    assert (out / "grades.csv").read_bytes() == first


def _small_class(tmp: Path, course, n: int = 14) -> Path:
    from grader.synth import make_class

    make_class(course, tmp / "class", n, broken=2)
    return tmp / "class"


def test_kill_and_resume_gives_the_same_grades(tmp_path: Path, course) -> None:
    klass = _small_class(tmp_path, course)
    ref = tmp_path / "ref"
    assert run_cli("grade", str(klass), "--out", str(ref), "--quiet").returncode == 0
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for _attempt in range(3):  # kill at a few different points
        proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", str(klass), "--assignment", "ps1", "--out", str(out),
                                 "--jobs", "1", "--quiet"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        state = out / ".state"
        target = len(list(state.glob("*.json"))) + 3 if state.exists() else 3
        while time.monotonic() < deadline and proc.poll() is None:
            if state.exists() and len(list(state.glob("*.json"))) >= target:
                break
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        leftovers = [p for p in out.rglob("*.tmp")]
        for p in leftovers:  # a killed atomic write may leave its temporary file, never a half file
            assert p.name.startswith(".")
    final = run_cli("grade", str(klass), "--out", str(out), "--quiet")
    assert final.returncode == 0
    assert (out / "grades.csv").read_bytes() == (ref / "grades.csv").read_bytes()
    for path in (ref / "results").glob("*.json"):
        assert json.loads((out / "results" / path.name).read_text())["score"] == json.loads(path.read_text())["score"]


def test_only_changed_students_are_regraded(tmp_path: Path, course) -> None:
    klass = _small_class(tmp_path, course, n=6)
    out = tmp_path / "out"
    assert run_cli("grade", str(klass), "--out", str(out), "--quiet").returncode == 0
    victim = sorted(klass.iterdir())[-1]
    module = next(victim.rglob("losses.py"))
    module.write_text(module.read_text().replace("return float(np.sum(r * r))", "return 0.0"))
    again = run_cli("grade", str(klass), "--out", str(out), "--quiet")
    assert "1 graded now, 5 unchanged" in again.stdout
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig"))}
    assert rows[victim.name]["losses.sse"] == "0"
    forced = run_cli("grade", str(klass), "--out", str(out), "--quiet", "--force")
    assert "6 graded now" in forced.stdout


def test_bulk_zip_grades_like_the_folder(tmp_path: Path, course) -> None:
    klass = _small_class(tmp_path, course, n=5)
    bulk = tmp_path / "download.zip"
    with zipfile.ZipFile(bulk, "w") as zf:
        for p in klass.rglob("*"):
            if p.is_file():
                zf.write(p, "Assignment 1/" + p.relative_to(klass).as_posix())
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("grade", str(klass), "--out", str(a), "--quiet").returncode == 0
    assert run_cli("grade", str(bulk), "--out", str(b), "--quiet").returncode == 0
    assert (a / "grades.csv").read_text() == (b / "grades.csv").read_text()


def test_single_student_folder_is_a_class_of_one(tmp_path: Path) -> None:
    proc = run_cli("grade", str(SAMPLE / "lena"), "--out", str(tmp_path / "o"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader((tmp_path / "o" / "grades.csv").open(encoding="utf-8-sig")))
    assert [r["student_id"] for r in rows] == ["lena"]


def test_check_prints_one_students_full_result() -> None:
    proc = run_cli("check", str(SAMPLE / "lena"))
    assert proc.returncode == 5
    assert "lena:" in proc.stdout and "[hidden]" in proc.stdout and "hint:" in proc.stdout
    ok = run_cli("check", str(ROOT / "solutions"))
    assert ok.returncode == 0 and "84 / 84" in ok.stdout
    stubs = run_cli("check", str(ROOT / "exercises"))
    assert stubs.returncode == 5 and "0 / 84" in stubs.stdout


def test_user_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    missing = run_cli("grade", str(tmp_path / "nope"))
    assert missing.returncode == 4 and missing.stderr.startswith("Error: ") and "Traceback" not in missing.stderr
    inside = run_cli("grade", str(tmp_path), "--out", str(tmp_path / "graded"))
    assert inside.returncode == 4 and "inside" in inside.stderr
    not_zip = tmp_path / "grades.xlsx"
    not_zip.write_bytes(b"PK\x03\x04garbage")
    bad = run_cli("grade", str(not_zip), "--out", str(tmp_path / "x"))
    assert bad.returncode == 4 and bad.stderr.startswith("Error: ")
    usage = run_cli("grade")
    assert usage.returncode == 2

"""A real class, as a Japanese university course hands it in: names like 佐藤花子
(some spelled in NFD by macOS), a trailing underscore, a Canvas "Download
Submissions" zip, Moodle's "Download all submissions" zip and folders, a whole
copy zipped with its virtualenv and a data file, a PEP 263 coding line, cp932
text from a Japanese Windows editor, a helper module of the student's own, a
renamed download ("losses (1).py").

Every student here is honest: each must get full marks, under their own name
exactly as given, in every output, through the real `grader grade`.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest

from grader.synth import ClassMaker, replace_function
from tests.conftest import run_cli

HELPER = '''import numpy as np


def squared_residuals(y, y_hat):
    """My own helper: (y - y_hat) ** 2 for flat or column inputs."""
    y = np.asarray(y, dtype=float).reshape(-1)
    y_hat = np.asarray(y_hat, dtype=float).reshape(-1)
    return (y - y_hat) ** 2
'''
SSE_WITH_HELPER = '''def sse(y, y_hat):
    from exercises.helpers import squared_residuals
    return float(squared_residuals(y, y_hat).sum())
'''
MSE_WITH_HELPER = '''def mse(y, y_hat):
    import helpers
    return float(helpers.squared_residuals(y, y_hat).mean())
'''


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode() if isinstance(data, str) else data)
    return buf.getvalue()


def _files(root: Path, members: dict[str, bytes | str]) -> None:
    for name, data in members.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.fixture(scope="module")
def correct(course) -> dict[str, str]:
    return ClassMaker(course, seed=11).correct()


def _py(sources: dict[str, str], prefix: str = "") -> dict[str, bytes | str]:
    return {f"{prefix}{m}.py": text for m, text in sources.items()}


def grade(course_dir: Path, subs: Path, *extra: str) -> tuple[Path, dict[str, dict[str, str]]]:
    out = course_dir / "out"
    proc = run_cli("grade", str(subs), "--out", str(out), "--quiet", "--format", "canvas",
                   "--format", "moodle", "--lms-column", "課題1", *extra)
    assert proc.returncode == 0, proc.stderr
    with (out / "grades.csv").open(encoding="utf-8-sig") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    return out, rows


def assert_all_full(rows: dict[str, dict[str, str]], ids: set[str]) -> None:
    assert set(rows) == ids
    for sid, row in rows.items():
        assert row["total"] == row["max_total"] and row["status"] == "ok", (sid, row)


# -- folders with Japanese names, encodings, helpers, a whole copy -----------------------


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, correct: dict[str, str]):
    base = tmp_path_factory.mktemp("folders")
    subs = base / "subs"
    _files(subs / "佐藤花子", _py(correct))
    nfd = unicodedata.normalize("NFD", "山田だいち")            # as macOS spells it
    assert nfd != unicodedata.normalize("NFC", nfd)
    _files(subs / nfd, _py(correct, "exercises/"))
    _files(subs / "taro_", _py(correct))
    # PEP 263: a Latin-1 file that says so; cp932 from a Japanese Windows editor.
    latin = dict(_py(correct))
    latin["losses.py"] = ("# -*- coding: latin-1 -*-\n# Grüße aus Köln\n" + correct["losses"]).encode("latin-1")
    _files(subs / "Jürgen Müller", latin)
    sjis = dict(_py(correct))
    sjis["regression.py"] = ("# 最小二乗法で傾きを求める\n" + correct["regression"]).encode("cp932")
    _files(subs / "鈴木一郎", sjis)
    # Helper module of the student's own, imported both ways.
    helped = dict(correct)
    helped["losses"] = replace_function(replace_function(helped["losses"], "sse", SSE_WITH_HELPER),
                                        "mse", MSE_WITH_HELPER)
    _files(subs / "高橋 健", {**_py(helped, "exercises/"), "exercises/helpers.py": HELPER})
    # A browser's renamed download.
    renamed = _py(correct)
    renamed["losses (1).py"] = renamed.pop("losses.py")
    _files(subs / "伊藤美咲", renamed)
    # The whole copy zipped: a 12 MB virtualenv and a 12 MB data file beside the code.
    whole = {**_py(correct, "my-copy/exercises/"), "my-copy/README.md": "課題1\n",
             "my-copy/data/train.csv": b"0," * (6 * 2**20),
             **{f"my-copy/.venv/lib/python3.11/site-packages/pkg/m{i}.py": b"#" * 2**20 for i in range(6)},
             **{f"my-copy/venv/Lib/site-packages/pkg/m{i}.py": b"#" * 2**20 for i in range(6)}}
    (subs / "中村翔.zip").write_bytes(_zip(whole))
    out, rows = grade(base, subs)
    return {"out": out, "rows": rows, "nfd": nfd}


FOLDER_IDS = {"佐藤花子", unicodedata.normalize("NFC", "山田だいち"), "taro_", "Jürgen Müller", "鈴木一郎",
              "高橋 健", "伊藤美咲", "中村翔"}


def test_every_honest_student_gets_full_marks_under_their_own_name(folders) -> None:
    assert_all_full(folders["rows"], FOLDER_IDS)


def test_ids_are_kept_exactly_in_every_output(folders) -> None:
    out: Path = folders["out"]
    for sid, row in folders["rows"].items():
        fid = row["file_id"]
        assert fid == sid  # nothing here needs a different file name
        feedback = (out / "feedback" / f"{fid}.md").read_text(encoding="utf-8")
        assert feedback.splitlines()[0].endswith(f"feedback for {sid}")
        assert (out / "results" / f"{fid}.json").is_file()
    report = (out / "report.html").read_text(encoding="utf-8")
    for sid in FOLDER_IDS:
        assert f"<code>{sid}</code>" in report
    canvas = (out / "grades-canvas.csv").read_text(encoding="utf-8")
    moodle = (out / "grades-moodle.csv").read_text(encoding="utf-8")
    for sid in FOLDER_IDS:
        assert sid in canvas and sid in moodle
    assert "student-" not in canvas + moodle + (out / "grades.csv").read_text(encoding="utf-8")


def test_grades_csv_opens_in_excel_as_utf8(folders) -> None:
    assert (folders["out"] / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_how_files_were_read_is_told_to_the_student(folders) -> None:
    out: Path = folders["out"]
    sjis = (out / "feedback" / "鈴木一郎.md").read_text(encoding="utf-8")
    assert "Shift-JIS (cp932)" in sjis
    renamed = (out / "feedback" / "伊藤美咲.md").read_text(encoding="utf-8")
    assert "losses (1).py was graded as losses.py" in renamed
    for sid in ("佐藤花子", "高橋 健", "Jürgen Müller", "中村翔"):
        text = (out / "feedback" / f"{sid}.md").read_text(encoding="utf-8")
        assert "## Problems" not in text, (sid, text)


# -- Canvas ------------------------------------------------------------------------------


def canvas_zip(correct: dict[str, str]) -> bytes:
    members: dict[str, bytes | str] = {}
    for m, text in correct.items():
        members[f"satohanako_12345_67890_{m}.py"] = text
        members[f"suzukiichiro_late_23456_78901_{m}-1.py"] = text     # late, and a re-upload
    members["tanakayui_34567_89012_kadai1.zip"] = _zip(_py(correct, "kadai1/exercises/"))
    return _zip(members)


def test_a_canvas_bulk_download_grades_every_student(tmp_path: Path, correct: dict[str, str]) -> None:
    (tmp_path / "submissions.zip").write_bytes(canvas_zip(correct))
    out, rows = grade(tmp_path, tmp_path / "submissions.zip")
    assert_all_full(rows, {"satohanako", "suzukiichiro", "tanakayui"})
    with (out / "grades-canvas.csv").open(encoding="utf-8") as f:
        canvas = list(csv.DictReader(f))[1:]          # after the Points Possible row
    assert {r["Student"]: r["ID"] for r in canvas} == {"satohanako": "12345", "suzukiichiro": "23456",
                                                       "tanakayui": "34567"}


def test_a_canvas_zip_inside_the_class_folder_is_opened_as_the_class(tmp_path: Path,
                                                                      correct: dict[str, str]) -> None:
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "canvas-submissions.zip").write_bytes(canvas_zip(correct))
    _, rows = grade(tmp_path, tmp_path / "subs")
    assert_all_full(rows, {"satohanako", "suzukiichiro", "tanakayui"})


def test_an_unrecognised_bulk_layout_is_an_error_naming_what_was_expected(tmp_path: Path,
                                                                           correct: dict[str, str]) -> None:
    members = {f"{m}_by_student{i}.py": text for i in range(3) for m, text in correct.items()}
    (tmp_path / "class.zip").write_bytes(_zip(members))
    proc = run_cli("grade", str(tmp_path / "class.zip"), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 4
    assert proc.stderr.startswith("Error: ") and "Canvas" in proc.stderr and "Moodle" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- Moodle ------------------------------------------------------------------------------


def moodle_members(correct: dict[str, str]) -> dict[str, bytes | str]:
    members: dict[str, bytes | str] = {}
    members.update(_py(correct, "Sato Hanako_101_assignsubmission_file_/"))
    members.update(_py(correct, "佐藤 花子_102_assignsubmission_file_/exercises/"))
    members["Suzuki Ichiro_103_assignsubmission_file_/kadai.zip"] = _zip(_py(correct))
    members["Suzuki Ichiro_103_assignsubmission_onlinetext_/onlinetext.html"] = "<p>よろしく</p>"
    return members


@pytest.mark.parametrize("shape", ["zip", "folders"])
def test_a_moodle_download_grades_every_student_with_participant_ids(tmp_path: Path, correct: dict[str, str],
                                                                      shape: str) -> None:
    if shape == "zip":
        (tmp_path / "moodle.zip").write_bytes(_zip(moodle_members(correct)))
        subs = tmp_path / "moodle.zip"
    else:
        subs = tmp_path / "subs"
        _files(subs, moodle_members(correct))
    out, rows = grade(tmp_path, subs)
    assert_all_full(rows, {"Sato Hanako", "佐藤 花子", "Suzuki Ichiro"})
    with (out / "grades-moodle.csv").open(encoding="utf-8") as f:
        sheet = list(csv.DictReader(f))
    assert {r["Full name"]: r["Identifier"] for r in sheet} == {
        "Sato Hanako": "Participant 101", "佐藤 花子": "Participant 102", "Suzuki Ichiro": "Participant 103"}
    assert all(r["Grade"] == r["Maximum Grade"] for r in sheet)
    results = json.loads((out / "results" / "佐藤 花子.json").read_text(encoding="utf-8"))
    assert results["score"] == results["max_score"]


# -- notebooks: Colab, one per module, nbgrader's submitted/ layout ------------------------


def notebook(cells: list[tuple[str, str, dict]]) -> bytes:
    """An nbformat-4 notebook of (cell type, source, metadata) cells, outputs and all."""
    out = []
    for kind, source, meta in cells:
        cell = {"cell_type": kind, "metadata": meta, "source": source.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=7, outputs=[{"output_type": "stream", "name": "stdout",
                                                      "text": ["4.5\n"]}])
        out.append(cell)
    return json.dumps({"cells": out, "metadata": {"kernelspec": {"name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False).encode()


def colab_notebook(correct: dict[str, str]) -> bytes:
    cells: list[tuple[str, str, dict]] = [
        ("markdown", "# 課題1: 損失関数\n二乗和誤差から始める。", {}),
        ("code", "!pip install -q numpy\n%matplotlib inline\nfrom google.colab import drive", {}),
    ]
    for text in correct.values():
        cells.append(("code", text, {}))
        cells.append(("code", "print('試しに実行', 1 + 1)\nassert True", {}))
    cells.append(("code", "import matplotlib.pyplot as plt\nplt.show()", {}))
    return notebook(cells)


def nbgrader_notebook(module: str, text: str) -> bytes:
    meta = {"nbgrader": {"grade": False, "solution": True, "locked": False, "grade_id": f"{module}-answer",
                         "schema_version": 3}}
    test = {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 1,
                         "grade_id": f"{module}-test", "schema_version": 3}}
    return notebook([("markdown", f"## {module}", {}), ("code", text, meta),
                     ("code", "assert False, 'a test cell never runs in grading'", test)])


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory: pytest.TempPathFactory, correct: dict[str, str]):
    base = tmp_path_factory.mktemp("notebooks")
    subs = base / "submitted"
    _files(subs / "小林さくら", {"課題1_小林.ipynb": colab_notebook(correct)})
    _files(subs / "加藤陽介", {f"{m}.ipynb": notebook([("code", t, {})]) for m, t in correct.items()})
    _files(subs / "吉田恵", {f"ps1/{m}.ipynb": nbgrader_notebook(m, t) for m, t in correct.items()})
    out, rows = grade(base, subs)
    return {"out": out, "rows": rows}


def test_notebook_students_get_full_marks_in_every_layout(notebooks) -> None:
    assert_all_full(notebooks["rows"], {"小林さくら", "加藤陽介", "吉田恵"})


def test_feedback_says_which_cell_each_module_came_from(notebooks) -> None:
    text = (notebooks["out"] / "feedback" / "小林さくら.md").read_text(encoding="utf-8")
    assert "losses was read from 課題1_小林.ipynb (" in text and "cell " in text
    assert "## Problems" not in text


def test_modules_of_another_assignment_are_ignored_with_a_note(tmp_path: Path, correct: dict[str, str]) -> None:
    """A student who hands in the whole term's copy is graded on the assignment asked for."""
    from grader.config import load_course
    from tests.conftest import ROOT

    ps2 = ClassMaker(load_course(ROOT / "course.yml", assignment="ps2")).correct()
    _files(tmp_path / "subs" / "木村", {**_py(correct, "exercises/"), **_py(ps2, "exercises/")})
    out, rows = grade(tmp_path, tmp_path / "subs")
    assert_all_full(rows, {"木村"})
    feedback = (out / "feedback" / "木村.md").read_text(encoding="utf-8")
    assert "classification.py belongs to assignment ps2, not this one: not read" in feedback

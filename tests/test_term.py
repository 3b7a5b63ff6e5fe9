"""`grader term`: one table across the term, keyed by student id."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import run_cli


def graded(folder: Path, assignment: str, max_total: float, rows: dict[str, str]) -> Path:
    """An output folder as `grader grade` leaves it (only what `grader term` reads)."""
    folder.mkdir(parents=True)
    (folder / "assignment.json").write_text(json.dumps({"assignment": assignment, "title": assignment,
                                                        "max_total": max_total}), encoding="utf-8")
    lines = ["\ufeffstudent_id,total,max_total,status,file_id"]
    lines += [f"{sid},{total},{max_total:g},ok,{sid}" for sid, total in rows.items()]
    (folder / "grades.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_term_table_keys_every_student_by_id(tmp_path: Path) -> None:
    a = graded(tmp_path / "g1", "ps1", 84, {"佐藤花子": "80.83", "taro_": "84"})
    b = graded(tmp_path / "g2", "ps2", 50, {"佐藤花子": "49.5", "Jürgen Müller": "12.25"})
    proc = run_cli("term", str(b), str(a), "--out", str(tmp_path / "term.csv"))  # any order of folders
    assert proc.returncode == 0, proc.stderr
    raw = (tmp_path / "term.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((tmp_path / "term.csv").open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["student_id", "ps1", "ps2", "total", "max_total"]  # course order
    by_id = {r["student_id"]: r for r in rows}
    assert by_id["佐藤花子"] == {"student_id": "佐藤花子", "ps1": "80.83", "ps2": "49.5", "total": "130.33",
                               "max_total": "134"}
    assert by_id["taro_"]["ps2"] == "" and by_id["taro_"]["total"] == "84"
    assert by_id["Jürgen Müller"]["ps1"] == "" and by_id["Jürgen Müller"]["total"] == "12.25"


def test_term_refuses_what_is_not_grades(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run_cli("term", str(tmp_path / "empty"), "--out", str(tmp_path / "t.csv"))
    assert proc.returncode == 4 and proc.stderr.startswith("Error: ") and "not a `grader grade` output" in proc.stderr
    a = graded(tmp_path / "g1", "ps1", 84, {"x": "1"})
    b = graded(tmp_path / "g2", "ps1", 84, {"x": "2"})
    proc = run_cli("term", str(a), str(b), "--out", str(tmp_path / "t.csv"))
    assert proc.returncode == 4 and "same assignment" in proc.stderr

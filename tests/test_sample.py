"""`make sample`: the bundled class of each assignment grades as expected, and the term table
joins them. The commands are those of the Makefile's `sample` target, run through the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples"


def sample_commands() -> list[list[str]]:
    """The `grader ...` lines of the Makefile's sample target, as argument lists."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^sample:.*?\n((?:\t.*\n)+)", text, re.M)
    assert block, "the Makefile has a sample target"
    return [line.strip().split()[1:] for line in block.group(1).splitlines() if "/grader " in line]


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    for args in sample_commands():
        args = [str(out / a.removeprefix("graded/")) if a.startswith("graded") else
                str(ROOT / a) if a.startswith("examples/") else a for a in args]
        proc = run_cli(*args, assignment=None)
        assert proc.returncode == 0, (args, proc.stderr)
    return out


def test_the_sample_target_grades_every_assignment(sampled: Path) -> None:
    commands = sample_commands()
    assert [c[c.index("--assignment") + 1] for c in commands if c[0] == "grade"] == ["ps1", "ps2", "ps3"]
    assert commands[-1][0] == "term"


@pytest.mark.parametrize(("assignment", "expected"), [("ps1", "sample-class.expected.csv"),
                                                      ("ps2", "sample-class-ps2.expected.csv"),
                                                      ("ps3", "sample-class-ps3.expected.csv")])
def test_each_sample_class_grades_as_expected(sampled: Path, assignment: str, expected: str) -> None:
    assert (sampled / assignment / "grades.csv").read_bytes() == (EXAMPLES / expected).read_bytes()


def test_the_term_table_joins_the_assignments(sampled: Path) -> None:
    assert (sampled / "term.csv").read_bytes() == (EXAMPLES / "sample-term.expected.csv").read_bytes()
    rows = (sampled / "term.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "student_id,ps1,ps2,ps3,total,max_total"
    assert "aiko,84,45,45,174,174" in rows          # right in every assignment
    assert any(r.startswith("佐藤花子,,45,45,") for r in rows)  # not in ps1's class


def test_a_sample_class_graded_in_japanese(tmp_path: Path) -> None:
    """The same class in Japanese: the same grades, and what students and the instructor
    read (feedback, results, report) in Japanese."""
    out = tmp_path / "ja"
    proc = run_cli("grade", str(EXAMPLES / "sample-class-ps2"), "--assignment", "ps2", "--lang", "ja",
                   "--out", str(out), "--quiet", assignment=None)
    assert proc.returncode == 0, proc.stderr
    assert (out / "grades.csv").read_bytes() == (EXAMPLES / "sample-class-ps2.expected.csv").read_bytes()
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    for feedback in sorted((out / "feedback").glob("*.md")):
        text = feedback.read_text(encoding="utf-8")
        assert japanese.search(text.splitlines()[2]), feedback.name  # the total line, in Japanese
        assert "Points per function" not in text and "What to fix" not in text
    report = (out / "report.html").read_text(encoding="utf-8")
    assert japanese.search(report) and "Needs attention" not in report

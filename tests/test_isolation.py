"""Isolation properties of `grader grade`, proven with deliberately malicious
submissions (each kept in grader.synth.HOSTILE as a regression fixture).

Every hostile student is graded next to honest ones; the honest students must
be graded exactly as if the hostile ones were absent, and each hostile student
must gain nothing from the attack.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from grader.synth import HOSTILE, ClassMaker, write_folder
from tests.conftest import run_cli

# Attacks that fail quietly, after which the function computes the right answer.
STILL_RIGHT = {"output-flood", "writes-everywhere"}


def course_points() -> dict[str, float]:
    from grader.config import load_course
    from tests.conftest import ROOT

    return load_course(ROOT / "course.yml").points


# The function each attack lives in: it must score 0 there (the attack gains nothing).
TARGET = {kind: next(iter(spec)) for kind, spec in HOSTILE.items()}


def _rows(out: Path) -> dict[str, dict[str, str]]:
    return {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8-sig"))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, course):
    base = tmp_path_factory.mktemp("iso")
    maker = ClassMaker(course, seed=1)
    honest = base / "honest"
    mixed = base / "mixed"
    for name in ("alice", "bob"):
        write_folder(honest / name, maker.correct())
        write_folder(mixed / name, maker.correct())
    sources, _ = maker.with_mistakes(2)
    write_folder(honest / "carol", sources)
    write_folder(mixed / "carol", sources)
    for kind in HOSTILE:
        write_folder(mixed / f"x-{kind}", maker.hostile(kind))
    before = {p.name for p in Path("/tmp").iterdir()}
    out_honest, out_mixed = base / "out-honest", base / "out-mixed"
    a = run_cli("grade", str(honest), "--out", str(out_honest), "--quiet")
    b = run_cli("grade", str(mixed), "--out", str(out_mixed), "--quiet")
    assert a.returncode == 0 and b.returncode == 0, b.stderr
    return {"honest": _rows(out_honest), "mixed": _rows(out_mixed), "out": out_mixed, "base": base,
            "tmp_before": before, "stderr": b.stderr}


def test_honest_students_are_graded_as_if_attackers_were_absent(graded) -> None:
    for sid, row in graded["honest"].items():
        assert graded["mixed"][sid] == row


@pytest.mark.parametrize("kind", sorted(k for k in HOSTILE if k not in ("syntax-error", "raises-at-import")))
def test_an_attack_gains_nothing(graded, kind: str) -> None:
    row = graded["mixed"][f"x-{kind}"]
    target = TARGET[kind]
    if kind in STILL_RIGHT:  # the attack fails and the function then answers correctly
        assert float(row[target]) == course_points()[target]
        return
    assert row[target] == "0", f"{kind} earned points on {target}"
    assert float(row["total"]) < float(row["max_total"])


def test_nothing_written_outside_the_output_folder(graded) -> None:
    assert not Path("/tmp/PWNED.txt").exists()
    assert not (Path.home() / "PWNED.txt").exists()
    assert not list(graded["base"].rglob("PWNED.txt"))
    from tests.conftest import ROOT

    assert not (ROOT / "PWNED.txt").exists()
    produced = {p.relative_to(graded["out"]).parts[0] for p in graded["out"].iterdir()}
    assert produced <= {"grades.csv", "assignment.json", "results", "feedback", ".state", "report.html"}


def test_the_solutions_were_not_readable(graded) -> None:
    assert graded["mixed"]["x-reads-solutions"]["losses.sse"] == "0"  # returns 1.0 when it read them


def test_no_network(graded) -> None:
    # binary_cross_entropy returns 1.0 if any connection succeeded, -1.0 if none did: both wrong,
    # so look at what it returned in the instructor's view
    proc = run_cli("check", str(graded["base"] / "mixed" / "x-network"))
    assert "got:      -1" in proc.stdout


def test_the_sandbox_has_every_kernel_means_here(graded) -> None:
    if os.environ.get("GRADER_SANDBOX") == "rlimits":
        pytest.skip("fallback forced by GRADER_SANDBOX=rlimits")
    # Every kernel means is in place; the one warning left says that limits are per
    # process (no cgroup limits are used: see README, "Limits").
    warnings = [ln for ln in graded["stderr"].splitlines() if "WARNING: sandbox" in ln]
    assert len(warnings) == 1 and "limits are per process" in warnings[0], warnings

"""Grading one student: ``grader check`` (through pytest, printing everything)
and the shared single-submission path used by the Gradescope autograder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader import redact
from grader.config import Course
from grader.discovery import Submission, discover
from grader.errors import InputError
from grader.execute import Outcome
from grader.plan import Plan, build_plan
from grader.pytest_run import run_suites
from grader.sandbox import RawResult, SandboxPool
from grader.scoring import StudentResult
from grader.writers.grades_csv import fmt


def find_one(course: Course, path: Path) -> Submission:
    """The single submission at ``path`` (a student's folder or zip)."""
    found = discover(path, course.modules, max_unzipped_bytes=course.max_zip_mb * 2**20,
                     others=course.other_modules)
    if len(found.submissions) != 1:
        raise InputError(f"{path}: expected one student's files, found {len(found.submissions)} submissions "
                         "(use `grader grade` for a class)")
    return found.submissions[0]


def missing_outcomes(plan: Plan) -> list[Outcome]:
    """The outcomes of a submission with no exercise files: every call's module is missing."""
    return [Outcome(ok=False, error=f"{c.module}.py was not submitted") for c in plan.calls]


def module_errors_of(course: Course, sub: Submission, raw: RawResult) -> dict[str, str]:
    """The sandbox's module errors, in words the submission cannot choose (see
    :mod:`grader.redact`), plus "not submitted" for every module the student left out."""
    errors = {m: redact.module_error(m, e, sub.sources.get(m)) for m, e in raw.module_errors.items()}
    for m in course.modules:
        if m not in sub.sources:
            errors.setdefault(m, "not submitted")
    return errors


def run_in_sandbox(course: Course, plan: Plan, sub: Submission) -> tuple[list[Outcome], dict[str, Any], list[str]]:
    """Outcomes of every plan call for one submission, the scoring extras, and sandbox warnings."""
    warnings: list[str] = []
    raw = RawResult(missing_outcomes(plan))
    if sub.sources:
        with SandboxPool(plan.calls, course.limits, jobs=1, preload=preload_for(course),
                         known=plan.expected) as pool:
            warnings = list(pool.warnings)
            raw = pool.run(sub.sources)
    extra: dict[str, Any] = {"problems": sub.problems, "fingerprint": sub.fingerprint,
                             "module_errors": module_errors_of(course, sub, raw), "limits_hit": raw.limits_hit,
                             "stdout": raw.stdout, "cpu_ms": raw.cpu_ms, "wall_ms": raw.wall_ms}
    return raw.outcomes, extra, warnings


def preload_for(course: Course) -> tuple[str, ...]:
    """Modules the sandboxed worker imports before it seals itself off."""
    from grader.suites import figure_modules

    return ("matplotlib", "grader.figure_summary") if figure_modules(list(course.modules)) else ()


def check_one(course: Course, path: Path) -> tuple[str, StudentResult]:
    """Grade one submission in the sandbox, judged through pytest; return the report and result."""
    sub = find_one(course, path)
    plan = build_plan(course)
    outcomes, extra, warnings = run_in_sandbox(course, plan, sub)
    result, _ = run_suites(plan, outcomes, student_id=sub.student_id, extra=extra)
    return render(result, warnings), result


def render(result: StudentResult, warnings: list[str]) -> str:
    lines = [f"WARNING: sandbox: {w}" for w in warnings]
    lines.append(f"{result.student_id}: {fmt(result.total)} / {fmt(result.max_total)} ({result.status})")
    lines += [f"  note: {p}" for p in result.problems]
    lines += [f"  {m}.py: {e}" for m, e in sorted(result.module_errors.items())]
    lines += [f"  limit reached: {lim}" for lim in result.limits_hit]
    lines.append("")
    for f in result.functions:
        mark = "✓" if f.full else ("·" if f.status == "not started" else "✗")
        lines.append(f"  {mark} {f.function:<45} {fmt(f.earned):>5} / {fmt(f.points):<4} {f.passed}/{f.total} tests")
    failing = [t for t in result.tests if not t.passed and t.kind != "not started"]
    if failing:
        lines.append("")
        lines.append("Failures (hidden tests shown in full, for the instructor):")
        for t in failing:
            lines.append(("[public] " if t.public else "[hidden] ") + t.message(show_values=True))
    if result.stdout.strip():
        lines += ["", "Output printed by the submission (first lines):"]
        lines += ["  " + s for s in result.stdout.strip().splitlines()[:20]]
    return "\n".join(lines)

"""``grader check``: grade one student's folder through pytest and print everything."""

from __future__ import annotations

from pathlib import Path

from grader.config import Course
from grader.discovery import discover
from grader.errors import InputError
from grader.execute import Outcome
from grader.plan import build_plan
from grader.pytest_run import run_suites
from grader.sandbox import SandboxPool
from grader.scoring import StudentResult
from grader.writers.grades_csv import fmt


def check_one(course: Course, path: Path) -> tuple[str, StudentResult]:
    """Grade one submission (folder or zip) in the sandbox; return the report and result."""
    found = discover(path, list(course.modules), max_unzipped_bytes=course.max_zip_mb * 2**20)
    if len(found.submissions) != 1:
        raise InputError(f"{path}: expected one student's files, found {len(found.submissions)} submissions "
                         "(use `grader grade` for a class)")
    sub = found.submissions[0]
    plan = build_plan(course)
    extra: dict = {"problems": sub.problems, "fingerprint": sub.fingerprint}
    if sub.sources:
        with SandboxPool(plan.calls, course.limits, jobs=1,
                         preload=("matplotlib",) if "plots" in course.modules else ()) as pool:
            warnings = list(pool.warnings)
            raw = pool.run(sub.sources)
        outcomes = raw.outcomes
        errors = dict(raw.module_errors)
        extra.update(limits_hit=raw.limits_hit, stdout=raw.stdout, cpu_ms=raw.cpu_ms, wall_ms=raw.wall_ms)
    else:
        warnings = []
        outcomes = [Outcome(ok=False, error="not submitted") for _ in plan.calls]
        errors = {}
    for m in course.modules:
        if m not in sub.sources:
            errors.setdefault(m, "not submitted")
    extra["module_errors"] = errors
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

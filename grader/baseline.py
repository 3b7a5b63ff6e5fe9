"""The naive baseline the benchmark compares against: one fresh
``python -m pytest`` process per student, running the same hidden suites on
the student's modules imported in-process (no sandbox, nothing shared).

Usage: ``python -m grader.baseline STUDENT_FOLDER [MODULE,MODULE...]`` (prints the total).
"""

from __future__ import annotations

import sys
import types
from dataclasses import replace
from pathlib import Path

from grader import execute
from grader.config import load_course
from grader.discovery import discover
from grader.plan import build_plan
from grader.pytest_run import run_suites


def grade_naively(folder: Path, modules: list[str] | None = None) -> float:
    course = load_course(Path(__file__).resolve().parent.parent / "course.yml")
    if modules:
        course = replace(course, modules={m: course.modules[m] for m in modules})
    plan = build_plan(course)
    sub = discover(folder, course.modules).submissions[0]
    execute.install_sources(sub.sources)
    loaded: dict[str, types.ModuleType | None] = {}
    for m in course.modules:
        try:
            loaded[m] = execute.import_module(m) if m in sub.sources else None
        except BaseException:  # noqa: BLE001 - a broken module scores 0, like in the real grader
            loaded[m] = None
    outcomes = [execute.run_call(loaded.get(c.module), c.function, c.args, dict(c.kwargs), c.args_after)
                for c in plan.calls]
    result, _ = run_suites(plan, outcomes, student_id=sub.student_id)
    return result.total


if __name__ == "__main__":
    print(grade_naively(Path(sys.argv[1]), sys.argv[2].split(",") if len(sys.argv) > 2 else None))

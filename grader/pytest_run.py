"""Run the hidden suites through pytest's API against one implementation.

The implementation's outcomes are computed beforehand (in the sandbox for a
submission) and handed to the suites through the config stash; a reporter
plugin fills plain dataclasses from pytest's own reports. Nothing here parses
terminal output.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grader.cases import Test
from grader.execute import Outcome
from grader.plan import Plan
from grader.scoring import StudentResult, TestResult, judge_test, score_results, test_points

CONTEXT = pytest.StashKey["Context"]()
SUITES = Path(__file__).parent / "suites"


@dataclass
class Context:
    """The plan and the outcomes of the implementation under test."""

    plan: Plan
    outcomes: list[Outcome]
    results: dict[str, TestResult] = field(default_factory=dict)

    def verdict(self, test: Test) -> TestResult:
        points = test_points(self.plan)[test.name]
        result = judge_test(self.plan, test, self.outcomes[self.plan.index(test)], points)
        self.results[test.name] = result
        return result


def reference_context() -> Context:
    """The reference judged against itself (running ``pytest grader/suites`` directly)."""
    from dataclasses import replace

    from grader.config import load_course
    from grader.plan import build_plan

    course = load_course(Path(__file__).resolve().parent.parent / "course.yml")
    modules = {m: fs for a in course.assignments for m, fs in course.other(a).modules.items()}
    plan = build_plan(replace(course, modules=modules))  # every assignment's suites at once
    return Context(plan, list(plan.expected))


@dataclass
class PytestReport:
    """What pytest itself reported per test id: passed or failed."""

    outcomes: dict[str, str] = field(default_factory=dict)
    collected: int = 0


class _Reporter:
    def __init__(self, ctx: Context, report: PytestReport) -> None:
        self.ctx, self.report = ctx, report

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[CONTEXT] = self.ctx

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.report.collected = len(items)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.report.outcomes[report.nodeid] = report.outcome


def run_suites(plan: Plan, outcomes: list[Outcome], *, student_id: str = "",
               extra: dict | None = None) -> tuple[StudentResult, PytestReport]:
    """Run every hidden suite of the plan's modules with pytest; return the scored result."""
    ctx = Context(plan, outcomes)
    report = PytestReport()
    files = [str(SUITES / f"test_{m}.py") for m in plan.course.modules]
    args = [*files, "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=",
            "-o", "console_output_style=classic", f"--rootdir={SUITES}"]
    with redirect_stdout(io.StringIO()):
        code = pytest.main(args, plugins=[_Reporter(ctx, report)])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the hidden suites could not run (pytest exit code {int(code)})")
    missing = [t.name for t in plan.tests if t.name not in ctx.results]
    if missing or report.collected != len(plan.tests):
        raise RuntimeError(f"pytest ran {len(ctx.results)} of {len(plan.tests)} tests")
    failed_by_pytest = sum(1 for o in report.outcomes.values() if o != "passed")
    failed_by_us = sum(1 for r in ctx.results.values() if not r.passed)
    if failed_by_pytest != failed_by_us:
        raise RuntimeError("pytest's report and the verdicts disagree")
    results = [ctx.results[t.name] for t in plan.tests]  # judged once, by the suites' verdicts
    result = score_results(plan, results, student_id=student_id, **(extra or {}))
    return result, report

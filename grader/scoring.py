"""From outcomes to points: per-test results, per-function scores, a student's total.

All judging happens here, on the trusted side, with :mod:`grader.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from grader import redact
from grader.cases import Test
from grader.checks import as_numbers, identical, judge, same_arrays
from grader.execute import Outcome
from grader.i18n import _, display_name, translate
from grader.plan import Plan
from grader.verdict import Verdict, field_line

TIME_LIMITS = ("wall time", "call time", "cpu time")


def round_points(x: float) -> float:
    """The one rounding rule of every output: points to 2 decimals, halves rounded up.

    A student's total is rounded once, from the exact sum of every test's share,
    so grades.csv, results/<id>.json, the feedback, the report, the LMS exports
    and nbgrader's gradebook all show the same number. Per-function points are
    rounded the same way (they may not add up to the total to the last cent);
    per-test shares in results.json keep 4 decimals.
    """
    return float(Decimal(repr(float(x))).quantize(_CENT, rounding=ROUND_HALF_UP)) + 0.0


_CENT = Decimal("0.01")


@dataclass(slots=True)
class TestResult:
    """One test's result, with everything any report may need (renderers decide what to show)."""

    name: str
    function: str
    public: bool
    score: float
    max_score: float
    passed: bool
    kind: str
    reason: str = ""
    what: str = ""
    expected: str = ""
    actual: str = ""
    mistake: str | None = None
    hint: str | None = None

    def message(self, show_values: bool = True) -> str:
        """The failure in plain words; without values for hidden tests."""
        if self.passed:
            return _("passed")
        lines = [f"{display_name(self.name)}: {self.reason}"]
        if show_values and self.what:
            lines.append(field_line(_("input"), self.what))
        if show_values and self.expected and self.kind in ("wrong value", "wrong size", "modified input", "wrong shape"):
            lines.append(field_line(_("expected"), self.expected))
            if self.actual:  # a hidden test's answer is not kept (grader/redact.py)
                lines.append(field_line(_("got"), self.actual))
        elif show_values and self.actual and self.kind in ("wrong type", "empty", "not finite"):
            lines.append(field_line(_("got"), self.actual))
        if self.hint:
            lines.append(field_line(_("hint"), self.hint))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class FunctionScore:
    function: str
    points: float
    earned: float
    passed: int
    total: int
    status: str  # full, partial, zero, not started, error

    @property
    def full(self) -> bool:
        return self.passed == self.total


@dataclass(slots=True)
class StudentResult:
    student_id: str
    total: float
    max_total: float
    status: str  # ok, partial, error, timeout
    functions: list[FunctionScore]
    tests: list[TestResult]
    problems: list[str] = field(default_factory=list)
    module_errors: dict[str, str] = field(default_factory=dict)
    limits_hit: list[str] = field(default_factory=list)
    stdout: str = ""
    fingerprint: str = ""
    cpu_ms: float = 0.0
    wall_ms: float = 0.0
    complete: bool = True  # False: ``tests`` holds only the failed tests (see ``slim``)
    file_id: str = ""  # the safe file name of this student's files (grader.discovery.safe_file_name)
    notes: list[str] = field(default_factory=list)  # how the files were read: not problems
    lms: dict[str, str] = field(default_factory=dict)  # a platform's ids from its bulk download

    def slim(self) -> StudentResult:
        """A light copy for whole-class summaries: failed tests only, no captured output.

        Every student takes every test, so the passed ones are implied; keeping
        only failures keeps a 10,000-student run's memory flat.
        """
        if not self.complete:
            return self
        failed = [t for t in self.tests if not t.passed]
        return replace(self, tests=failed, stdout="", complete=False,
                       functions=[_shared(f) for f in self.functions])

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (what ``asdict`` gives, built directly: it runs once per student)."""
        data = {f: getattr(self, f) for f in _RESULT_FIELDS}
        data["functions"] = [{f: getattr(x, f) for f in _FUNCTION_FIELDS} for x in self.functions]
        data["tests"] = [{f: getattr(t, f) for f in _TEST_FIELDS} for t in self.tests]
        data["problems"], data["limits_hit"] = list(self.problems), list(self.limits_hit)
        data["notes"], data["lms"] = list(self.notes), dict(self.lms)
        data["module_errors"] = dict(self.module_errors)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudentResult:
        data = dict(data)
        data["functions"] = [_shared(FunctionScore(**f)) for f in data["functions"]]
        data["tests"] = [TestResult(**t) for t in data["tests"]]
        return cls(**data)

    @property
    def needs_attention(self) -> bool:
        """The run failed (error or timeout), hit a limit, or scored 0: worth a human look."""
        return self.status in ("error", "timeout") or bool(self.limits_hit) or self.total == 0

    @property
    def diagnosed(self) -> list[str]:
        """Names of the known mistakes recognised in this submission (one per function)."""
        seen: dict[str, str] = {}
        for t in self.tests:
            if t.mistake and t.function not in seen:
                seen[t.function] = t.mistake
        return list(seen.values())


_SHARED_SCORES: dict[tuple[Any, ...], FunctionScore] = {}


def _shared(f: FunctionScore) -> FunctionScore:
    """One instance per distinct function score (most students share them), so a class's
    slim results take a pointer per function instead of an object: flat memory at 10,000."""
    key = (f.function, f.points, f.earned, f.passed, f.total, f.status)
    found = _SHARED_SCORES.get(key)
    if found is None:
        if len(_SHARED_SCORES) >= 50_000:
            return f
        found = _SHARED_SCORES[key] = f
    return found


_RESULT_FIELDS = [f.name for f in fields(StudentResult)]
_FUNCTION_FIELDS = [f.name for f in fields(FunctionScore)]
_TEST_FIELDS = [f.name for f in fields(TestResult)]


def test_points(plan: Plan) -> dict[str, float]:
    """Each test's share of its function's points, by weight (computed once per plan)."""
    if plan._points is not None and len(plan._points) == len(plan.tests):
        return plan._points
    weights: dict[str, float] = {}
    for t in plan.tests:
        weights[t.function] = weights.get(t.function, 0.0) + t.weight
    pts = plan.course.points
    plan._points = {t.name: pts[t.function] * t.weight / weights[t.function] for t in plan.tests}
    return plan._points


def tolerances(plan: Plan, test: Test) -> tuple[float, float]:
    """The test's own (rtol, atol) where it sets them, else the course's."""
    return (test.rtol if test.rtol is not None else plan.course.rtol,
            test.atol if test.atol is not None else plan.course.atol)


def diagnose(plan: Plan, test: Test, actual: Outcome) -> tuple[str | None, str | None]:
    """The known mistake whose output equals this wrong output on the same call, if any.

    The answer is turned into numbers once, however many mistakes are compared
    (its size is already bounded by the sandbox pool), and each mistake's
    numbers once per plan.
    """
    candidates = plan.mistakes.get(test.function)
    if test.check != "value" or not actual.ok or not candidates:
        return None, None
    a = as_numbers(actual.value)
    if a is None or a.size == 0:
        return None, None
    i = plan.index(test)
    rtol, atol = tolerances(plan, test)
    expected = _numbers_of(plan, plan.expected[i])
    for mistake, outs in candidates:
        out = outs[i]
        if out is None or not out.ok:
            continue
        m = _numbers_of(plan, out)
        if same_arrays(m, expected, rtol, atol):
            continue
        if same_arrays(a, m, rtol, atol):
            return mistake.name, mistake.hint  # type: ignore[attr-defined]
    return None, None


def _numbers_of(plan: Plan, trusted: Outcome) -> Any:
    """A trusted outcome's value as numbers, computed once per plan."""
    key = id(trusted)
    if key not in plan.numbers:
        plan.numbers[key] = as_numbers(trusted.value)
    return plan.numbers[key]


def judge_test(plan: Plan, test: Test, actual: Outcome, points: float) -> TestResult:
    ref = plan.expected[plan.index(test)]
    if actual is ref or (actual.ok and identical(actual.value, ref.value)
                         and (test.check != "unchanged" or identical(actual.args_after, ref.args_after))):
        return TestResult(test.name, test.function, test.public, points, points, True, "pass", what=test.what)
    rtol, atol = tolerances(plan, test)
    v: Verdict = judge(test.check, test.call.args, ref, actual, rtol, atol)
    mistake, hint = (None, None) if v.passed else diagnose(plan, test, actual)
    reason, shown = v.reason, v.actual
    if not test.public and not v.passed:
        # Nothing the submission controls: fixed words, and its value only where the
        # course shows hidden inputs anyway (a value can be computed from them).
        reason = redact.hidden_reason(v, test.check, actual.error)
        shown = v.actual if plan.course.show_hidden_inputs and v.kind in _NUMERIC_KINDS else ""
    return TestResult(
        name=test.name, function=test.function, public=test.public,
        score=points if v.passed else 0.0, max_score=points, passed=v.passed, kind=v.kind,
        reason=reason, what=test.what, expected=v.expected, actual=shown,
        mistake=mistake, hint=translate(hint) if hint else hint,  # in the process's language
    )


_NUMERIC_KINDS = ("wrong value", "wrong size", "wrong shape", "modified input", "empty", "not finite")


def function_scores(plan: Plan, results: list[TestResult]) -> list[FunctionScore]:
    scores = []
    by_function: dict[str, list[TestResult]] = {}
    for r in results:
        by_function.setdefault(r.function, []).append(r)
    for function, points in plan.course.points.items():
        mine = by_function.get(function, [])
        passed = sum(r.passed for r in mine)
        earned = points if passed == len(mine) else sum(r.score for r in mine)
        if passed == len(mine):
            status = "full"
        elif all(r.kind == "not started" for r in mine):
            status = "not started"
        elif passed:
            status = "partial"
        elif all(r.kind in ("error", "timeout") for r in mine):
            status = "error"
        else:
            status = "zero"
        scores.append(FunctionScore(function, points, earned, passed, len(mine), status))
    return scores


def score(plan: Plan, outcomes: list[Outcome], **about: Any) -> StudentResult:
    """Judge every test of the plan on a submission's outcomes (one per plan call);
    ``about`` are :func:`score_results`' keyword arguments."""
    pts = test_points(plan)
    results = [judge_test(plan, t, outcomes[plan.index(t)], pts[t.name]) for t in plan.tests]
    return score_results(plan, results, **about)


def score_results(plan: Plan, results: list[TestResult], *, student_id: str = "", problems: list[str] | None = None,
                  module_errors: dict[str, str] | None = None, limits_hit: list[str] | None = None,
                  stdout: str = "", fingerprint: str = "", cpu_ms: float = 0.0,
                  wall_ms: float = 0.0, file_id: str = "", notes: list[str] | None = None,
                  lms: dict[str, str] | None = None) -> StudentResult:
    """Points, status and the whole result from tests already judged (one per plan test, in order)."""
    exact = function_scores(plan, results)
    total = round_points(sum(f.earned for f in exact))
    functions = [replace(f, earned=round_points(f.earned)) for f in exact]
    module_errors = module_errors or {}
    limits_hit = limits_hit or []
    loaded_any = any(m not in module_errors for m in plan.course.modules)  # helper modules aside
    if any(lim in TIME_LIMITS for lim in limits_hit):
        status = "timeout"
    elif not loaded_any:
        status = "error"
    elif module_errors or limits_hit or problems:
        status = "partial"
    else:
        status = "ok"
    return StudentResult(
        student_id=student_id, total=total, max_total=plan.course.max_total, status=status,
        functions=functions, tests=results, problems=list(problems or []),
        module_errors=dict(module_errors), limits_hit=list(limits_hit), stdout=stdout,
        fingerprint=fingerprint, cpu_ms=cpu_ms, wall_ms=wall_ms,
        file_id=file_id or student_id, notes=list(notes or []), lms=dict(lms or {}),
    )

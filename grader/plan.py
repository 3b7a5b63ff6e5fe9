"""The grading plan of a course: its tests, the calls they judge, and the
reference (and known-mistake) outcomes of those calls, computed once per run.

Everything here is trusted: it runs the instructor's own ``solutions`` and
mistake catalogue in-process. Submissions never come near it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.cases import Call, Test
from grader.config import Course
from grader.execute import Outcome, run_call
from grader.suites import load_tests
from grader.wire import decode, encode


def load_solution_module(root: Path, module: str, replace: str | None = None) -> types.ModuleType:
    """Load ``solutions/<module>.py`` as a private module, optionally with a function
    replaced by other source (a known mistake) so that callers inside it see the change."""
    path = root / "solutions" / f"{module}.py"
    name = f"_reference_{module}" if replace is None else f"_mistake_{module}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if replace is not None:
        exec(compile(replace, f"<mistake in {module}>", "exec"), mod.__dict__)  # noqa: S102
    return mod


def run_calls(modules: dict[str, types.ModuleType], calls: list[Call]) -> list[Outcome]:
    """Run trusted code (reference or mistake) in-process on every call.

    A returned matplotlib Figure becomes its plain summary (and is closed), just
    as it arrives from the sandbox, so both sides are judged on the same data.
    """
    outcomes = [
        run_call(modules.get(c.module), c.function, c.args, dict(c.kwargs), c.args_after)
        for c in calls
    ]
    for outcome in outcomes:
        if outcome.ok and type(outcome.value).__name__ == "Figure":
            outcome.value = decode(encode(outcome.value))
    return outcomes


@dataclass
class Plan:
    """Tests, unique calls and reference outcomes for one course."""

    course: Course
    tests: list[Test]
    calls: list[Call]
    expected: list[Outcome]
    _index: dict[int, int] = field(repr=False, default_factory=dict)
    mistakes: dict[str, list[tuple[object, list[Outcome | None]]]] = field(default_factory=dict)
    _points: dict[str, float] | None = field(repr=False, default=None, compare=False)  # see scoring.test_points
    numbers: dict[int, Any] = field(repr=False, default_factory=dict, compare=False)  # see scoring.diagnose

    def index(self, test: Test) -> int:
        return self._index[id(test.call)]

    def tests_of(self, function: str) -> list[Test]:
        return [t for t in self.tests if t.function == function]

    def fingerprint(self) -> str:
        """Changes whenever the tests, the solutions, or the course change."""
        h = hashlib.sha256()
        h.update(json.dumps(self.course.raw, sort_keys=True, default=str).encode())
        for module in self.course.modules:
            h.update((self.course.root / "solutions" / f"{module}.py").read_bytes())
        for t in self.tests:
            h.update(repr((t.name, t.check, t.public, t.weight)).encode())
            h.update(json.dumps(t.call.to_plain(), sort_keys=True).encode())
        return h.hexdigest()


def build_plan(course: Course, *, with_mistakes: bool = True) -> Plan:
    """Collect the course's tests and compute the reference outcome of every call."""
    tests = [t for t in load_tests(list(course.modules)) if t.function in course.points]
    calls: list[Call] = []
    index: dict[int, int] = {}
    for t in tests:
        if id(t.call) not in index:
            index[id(t.call)] = len(calls)
            calls.append(t.call)
    reference = {m: load_solution_module(course.root, m) for m in course.modules}
    expected = run_calls(reference, calls)
    for call, outcome in zip(calls, expected, strict=True):
        if not outcome.ok:
            raise RuntimeError(f"the reference {call.qualname} failed on a test input: {outcome.error}")
    plan = Plan(course, tests, calls, expected, index)
    if with_mistakes:
        plan.mistakes = mistake_outcomes(course, calls)
    return plan


def mistake_outcomes(course: Course, calls: list[Call]) -> dict[str, list[tuple[object, list[Outcome | None]]]]:
    """For each function, its catalogued mistakes and their outcomes on that function's calls."""
    from grader.suites import load_mistakes

    table: dict[str, list[tuple[object, list[Outcome | None]]]] = {}
    for mistake in load_mistakes(list(course.modules)):
        module, function = mistake.function.split(".")
        if module not in course.modules or function not in course.modules[module]:
            continue
        mod = load_solution_module(course.root, module, replace=mistake.source)
        outs: list[Outcome | None] = [
            run_call(mod, c.function, c.args, dict(c.kwargs), c.args_after)
            if c.qualname == mistake.function else None
            for c in calls
        ]
        table.setdefault(mistake.function, []).append((mistake, outs))
    return table

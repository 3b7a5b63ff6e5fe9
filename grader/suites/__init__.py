"""Hidden test suites, one per exercise module: everything about one module in one place.

Each ``test_<module>.py`` declares its tests as data (``TESTS``) and exposes
them to pytest through :func:`grader.suites.harness.pytest_tests`. The
implementation under test arrives through the ``outcomes`` fixture, never by
importing ``exercises`` or ``solutions``. The same file may hold the module's
known mistakes (``MISTAKES``, a list of :class:`grader.mistakes.Mistake`) and,
for a plot module, the checks of what each figure must show
(``FIGURE_CHECKS``: figure label -> requirements, see :mod:`grader.figures`).
The engine knows no exercise by name: adding a function touches its reference
solution, its suite and course.yml.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from grader.cases import Test
from grader.mistakes import Mistake


def suite(module: str) -> ModuleType:
    """The suite module of one exercise module (its figure checks registered on import)."""
    found = importlib.import_module(f"grader.suites.test_{module}")
    checks = getattr(found, "FIGURE_CHECKS", None)
    if checks:
        from grader.figures import register_figure_checks

        register_figure_checks(checks)
    return found


def load_tests(modules: list[str]) -> list[Test]:
    """All tests of the given exercise modules, in course order."""
    tests: list[Test] = []
    for module in modules:
        tests.extend(suite(module).TESTS)
    return tests


def load_mistakes(modules: list[str]) -> list[Mistake]:
    """The known mistakes of the given modules: each suite's ``MISTAKES``, in course order."""
    found: list[Mistake] = []
    for module in modules:
        found.extend(getattr(suite(module), "MISTAKES", []))
    return found


def figure_modules(modules: list[str]) -> list[str]:
    """The modules judged from figures (their suites hold figure tests), in course order."""
    return [m for m in modules if any(t.check == "figure" for t in suite(m).TESTS)]

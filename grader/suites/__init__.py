"""Hidden test suites, one per exercise module.

Each ``test_<module>.py`` declares its tests as data (``TESTS``) and exposes
them to pytest through :func:`grader.suites.harness.pytest_tests`. The
implementation under test arrives through the ``outcomes`` fixture, never by
importing ``exercises`` or ``solutions``.
"""

from __future__ import annotations

import importlib

from grader.cases import Test


def load_tests(modules: list[str]) -> list[Test]:
    """All tests of the given exercise modules, in course order."""
    tests: list[Test] = []
    for module in modules:
        suite = importlib.import_module(f"grader.suites.test_{module}")
        tests.extend(suite.TESTS)
    return tests

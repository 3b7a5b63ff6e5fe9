"""Turns a suite's data tests into pytest tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.cases import Test


def pytest_tests(tests: list[Test]) -> Callable[..., Any]:
    """One parametrized pytest test per data test, judged by the ``verdict`` fixture."""

    @pytest.mark.parametrize("case", tests, ids=[t.name for t in tests])
    def test_case(case: Test, verdict: Callable[[Test], Any]) -> None:
        result = verdict(case)
        if not result.passed:
            pytest.fail(result.message(), pytrace=False)

    return test_case

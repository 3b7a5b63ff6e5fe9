"""Fixtures for the hidden suites: the implementation under test arrives here.

``grader.pytest_run`` puts a :class:`grader.pytest_run.Context` (the plan and
the plain-data outcomes of the implementation under test) in the config stash.
Run directly (``pytest grader/suites``) the suites check the reference
solutions against themselves.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grader.cases import Test
from grader.pytest_run import CONTEXT, Context, reference_context
from grader.scoring import TestResult


@pytest.fixture(scope="session")
def grading(request: pytest.FixtureRequest) -> Context:
    ctx = request.config.stash.get(CONTEXT, None)
    if ctx is None:
        ctx = reference_context()
        request.config.stash[CONTEXT] = ctx
    return ctx


@pytest.fixture
def verdict(grading: Context) -> Callable[[Test], TestResult]:
    return grading.verdict

"""The public tests: a few checks per function, judged exactly as the grader judges.

They are only a sample: your work is graded later on more (hidden) tests.
Run ``pytest`` in this folder; ``pytest -k sse`` runs the tests of one function.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from _support.public import Case, course

CASES = course().cases


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_public(case: Case, check_case: Callable[[Case], None]) -> None:
    check_case(case)

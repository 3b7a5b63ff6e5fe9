"""Test cases as data: which function is called with which inputs, and what is checked.

The hidden suites in ``grader/suites`` declare their tests with these types.
Because a test is data, the same test can be run by pytest (``grader check``,
the project's own tests), by the fast bulk grader, and shipped to students as
precomputed public checks, and every path judges it with ``grader.checks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.wire import encode

# What a test verifies about one call's outcome:
#   value     - the returned value equals the reference's (within tolerance)
#   shape     - the returned value has the reference's shape (scalar, (n,), (n, 1), ...)
#   unchanged - the call left its array/list inputs exactly as they were
#   figure    - the returned figure shows what the reference figure shows (plots)
CHECKS = ("value", "shape", "unchanged", "figure")


@dataclass(frozen=True)
class Call:
    """One call of a function under test. Several tests may judge the same call."""

    module: str
    function: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()
    args_after: bool = False

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.function}"

    def to_plain(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "function": self.function,
            "args": [encode(a) for a in self.args],
            "kwargs": {k: encode(v) for k, v in self.kwargs},
            "args_after": self.args_after,
        }


@dataclass(frozen=True)
class Test:
    """One graded test: a check on a call, worth a share of its function's points."""

    name: str  # "<module>.<function>: <what>", unique in the course
    call: Call
    check: str = "value"
    public: bool = False
    weight: float = 1.0
    what: str = ""  # the inputs in plain words, for messages ("y=[1, 2], y_hat=[1, 3]")
    rtol: float | None = None
    atol: float | None = None
    # The words of the function's docstring (in exercises/<module>.py, or its module's
    # docstring) that promise what this test checks: a hidden test checks only what the
    # stub promises (tests/test_docstring_promises.py).
    doc: tuple[str, ...] = ()

    @property
    def function(self) -> str:
        return self.call.qualname

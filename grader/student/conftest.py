"""pytest plugin for the public tests: short, plain failure messages and a progress table.

A function that still raises ``NotImplementedError`` is reported as "not
started" (letter ``n``) instead of as a failure with a traceback, and the run
ends with a table of your functions, the points of the public tests, and which
function to work on next.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that `import exercises` finds your folder

from _support import public  # noqa: E402

_results: dict[str, public.Result] = {}  # test id -> what the public test found


@pytest.fixture
def check_case(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Run one public case and fail the test with a short message if it does not pass."""

    def check(case: public.Case) -> None:
        result = public.run_case(case)
        _results[request.node.nodeid] = result
        if not result.passed:
            pytest.fail(result.message(), pytrace=False)

    return check


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):  # type: ignore[no-untyped-def]
    """Report functions that are not written yet as "not started", not as failures."""
    result = _results.get(report.nodeid)
    if report.when == "call" and report.failed and result is not None and result.kind == "not started":
        return "not started", "n", ("NOT STARTED", {"yellow": True})
    return None


def _unicode_ok(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓✗·".encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    """Print the progress table after the failures."""
    ran = list(_results.values())
    if not ran:
        return
    c = public.course()
    tr = terminalreporter
    tr.write_sep("=", f"{c.title}: your progress on the public tests", bold=True)
    lines = public.summary(c, ran, total_cases=len(c.cases), unicode=_unicode_ok(sys.stdout))
    for line in lines:
        markup = {}
        if line.startswith("Next:"):
            markup = {"yellow": True, "bold": True}
        elif line.startswith("Congratulations"):
            markup = {"green": True, "bold": True}
        tr.write_line(line, **markup)

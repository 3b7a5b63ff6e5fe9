"""pytest plugin for the public tests: short, plain failure messages and a progress table.

A public test runs your function and records what it found; this plugin turns
a failed check into a failed test whose report is a few plain lines (no
traceback). A function that still raises ``NotImplementedError`` is reported
as "not started" (letter ``n``), and the run ends with a table of your
functions, the points of the public tests, and which function to work on next,
followed by where the plot tests saved your figures. Every message is in the
language of this copy (importing ``_support.public`` sets it).

``pytest --watch`` keeps running: each time you save a file in ``exercises/``
it reruns the tests of that module (see ``_support/watch.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that `import exercises` finds your folder

from _support import public  # noqa: E402
from _support.i18n import _, t  # noqa: E402

public.plugin_active = True


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--watch", action="store_true", default=False,
                     help=_("keep running: rerun a module's tests each time you save it in exercises/"))


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """``pytest --watch``: the watch loop instead of one run."""
    if not config.getoption("watch"):
        return None
    from _support import watch

    return watch.main([a for a in config.invocation_params.args if a != "--watch"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``pytest --watch``, keep only the tests of the modules that changed."""
    only = os.environ.get(public.ONLY_MODULES)
    if only is None:
        return
    wanted = set(only.split(","))
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        case = _case_of(item)
        (kept if case is None or case.module in wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _case_of(item: pytest.Item) -> public.Case | None:
    """The public case a test item runs, if it is one of ours."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("case") if callspec is not None else None
    return case if isinstance(case, public.Case) else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Turn a recorded failed check into a failed report with a short message."""
    outcome = yield
    report = outcome.get_result()
    case = _case_of(item)
    result = public.results.get(case.name) if case is not None else None
    if call.when != "call" or result is None or report.outcome != "passed" or result.passed:
        return
    report.outcome = "failed"
    report.longrepr = result.message()
    report.public_kind = result.kind


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    """Report functions that are not written yet as "not started", not as failures."""
    if report.when == "call" and report.failed and getattr(report, "public_kind", "") == "not started":
        return _("not started"), "n", (_("NOT STARTED"), {"yellow": True})
    return None


def _unicode_ok(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓✗·".encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print the progress table after the failures."""
    ran = list(public.results.values())
    if not ran:
        return
    course = public.course()
    tr = terminalreporter
    tr.write_sep("=", t("{title}: your progress on the public tests", title=course.title), bold=True)
    markups = {"next": {"yellow": True, "bold": True}, "done": {"green": True, "bold": True}}
    for line, style in public.styled_summary(course, ran, total_cases=course.total_cases,
                                             unicode=_unicode_ok(sys.stdout)):
        tr.write_line(line, **markups.get(style, {}))
    saved = public.saved_figures(ran)
    if saved:
        where = _shown_folder(public.FIGURES)
        if len(saved) == 1:
            tr.write_line(t("Your figures: {folder} (1 PNG file; open them in any image viewer)", folder=where))
        else:
            tr.write_line(t("Your figures: {folder} ({count} PNG files; open them in any image viewer)",
                            folder=where, count=len(saved)))


def _shown_folder(folder: Path) -> str:
    """The folder relative to the current directory when it is below it, else in full."""
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix() + "/"
    except ValueError:
        return str(folder) + "/"

"""The student's loop, timed in a released copy: plain ``pytest`` at three stages of the
work, one module's tests, and how soon ``pytest --watch`` shows the results of a save.

Every figure is wall time of a real subprocess, as a student meets it (the first run of
each kind is a warm-up and not counted: it writes ``__pycache__`` and the figures).
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.config import Course

STUB, HALF, DONE = "all stubs", "half done", "all done, with figures"


@dataclass
class StudentLoop:
    """Median seconds (and every run) of each part of the student's loop."""

    stages: dict[str, float] = field(default_factory=dict)
    stage_runs: dict[str, list[float]] = field(default_factory=dict)
    half_done_modules: list[str] = field(default_factory=list)
    module: str = ""  # the module of the `pytest -k <module>` runs
    module_median_s: float = 0.0
    module_runs: list[float] = field(default_factory=list)
    watch_median_s: float = 0.0  # from writing a file to the end of the rerun's output
    watch_runs: list[float] = field(default_factory=list)


def _env() -> dict[str, str]:
    """The environment of a student's shell: nothing of ours on the path, no extra pytest options."""
    drop = {"PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _copy(course: Course, folder: Path, done: list[str]) -> Path:
    """A released copy with the reference code of ``done`` in place of their stubs."""
    from grader.release import release

    release(course, folder)
    for module in done:
        shutil.copyfile(course.root / "solutions" / f"{module}.py", folder / "exercises" / f"{module}.py")
    return folder


def time_pytest(copy: Path, args: list[str], runs: int) -> list[float]:
    """Wall seconds of ``python -m pytest <args>`` in ``copy``, after one uncounted warm-up."""
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", *args], cwd=copy, capture_output=True, env=_env(),
                       check=False, timeout=300)
        if i:
            times.append(time.perf_counter() - t0)
    return times


def watch_marker(language: str) -> str:
    """The line ``pytest --watch`` prints when it waits for the next save, in the copy's language."""
    from grader.i18n import in_language, t

    with in_language(language):
        return t("Watching exercises/: save a file to rerun its tests (Ctrl-C to stop).")


def time_watch(copy: Path, module: str, runs: int, language: str = "en", timeout: float = 60.0) -> list[float]:
    """Seconds from saving ``exercises/<module>.py`` to the end of the rerun's output, ``runs`` times.

    Each save alternates the file between its text and the same text with one more comment
    line, written in one call as an editor would; the clock stops when the watcher prints
    that it waits again (it does so after the rerun's output is complete)."""
    marker = watch_marker(language)
    path = copy / "exercises" / f"{module}.py"
    original = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "--watch"], cwd=copy, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.put((time.perf_counter(), raw.decode("utf-8", "replace")))

    threading.Thread(target=read, daemon=True).start()

    def wait_ready() -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                when, line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if marker in line:
                return when
        raise TimeoutError(f"pytest --watch printed no {marker!r} within {timeout:g} s")

    times = []
    try:
        wait_ready()
        for i in range(runs + 1):
            time.sleep(0.3)  # the watcher is idle again, as between two saves
            path.write_bytes(original + (b"\n# edit %d\n" % i if i % 2 == 0 else b""))
            saved = time.perf_counter()
            shown = wait_ready()
            if i:
                times.append(shown - saved)
    finally:
        path.write_bytes(original)
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    return times


def time_student_loop(course: Course, runs: int = 7, watch_runs: int = 10) -> StudentLoop:
    """Plain ``pytest`` with every function a stub, with the first half of the modules done
    (the plot modules, last in a course, still stubs), and with everything done (figures
    drawn and saved); ``pytest -k <first module>``; and the watch mode's rerun latency."""
    from grader.suites import figure_modules

    modules = list(course.modules)
    figures = set(figure_modules(modules))
    numeric = [m for m in modules if m not in figures]
    half = modules[: max(1, (len(modules) + 1) // 2)]
    result = StudentLoop(half_done_modules=half, module=numeric[0] if numeric else modules[0])
    with tempfile.TemporaryDirectory() as tmp:
        for stage, done in ((STUB, []), (HALF, half), (DONE, modules)):
            copy = _copy(course, Path(tmp) / stage.replace(" ", "-").replace(",", ""), done)
            result.stage_runs[stage] = [round(x, 3) for x in time_pytest(copy, [], runs)]
            result.stages[stage] = round(statistics.median(result.stage_runs[stage]), 3)
            if stage == HALF:
                result.module_runs = [round(x, 3) for x in time_pytest(copy, ["-k", result.module], runs)]
                result.module_median_s = round(statistics.median(result.module_runs), 3)
            if stage == DONE and watch_runs and hasattr(os, "fork"):
                result.watch_runs = [round(x, 3) for x in time_watch(copy, result.module, watch_runs,
                                                                      course.language)]
                result.watch_median_s = round(statistics.median(result.watch_runs), 3)
    return result


def render(loop: StudentLoop) -> list[str]:
    """The student-loop lines of ``grader bench``'s report."""
    runs = len(next(iter(loop.stage_runs.values()), []))
    lines = [f"Student `pytest` in a released copy (median of {runs} runs after a warm-up): "
             + "; ".join(f"{stage} {seconds:.3f} s" for stage, seconds in loop.stages.items())
             + f" (half done = {', '.join(loop.half_done_modules)})"]
    if loop.module_runs:
        lines.append(f"Student `pytest -k {loop.module}` (one module, half-done copy): "
                     f"median {loop.module_median_s:.3f} s")
    if loop.watch_runs:
        lines.append(f"Student `pytest --watch`: from saving exercises/{loop.module}.py to the rerun's "
                     f"results on screen, median {loop.watch_median_s:.3f} s over {len(loop.watch_runs)} saves "
                     f"(max {max(loop.watch_runs):.3f} s)")
    return lines

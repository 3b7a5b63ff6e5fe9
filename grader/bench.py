"""``grader bench``: measure bulk-grading speed against the naive baseline.

Generates a synthetic class, grades it with every isolation guarantee on,
then grades a sample of the same class the naive way (one fresh
``python -m pytest`` process per student) and times the student's own loop
in a released copy (grader/bench_student.py: plain ``pytest`` at three stages,
one module, ``pytest --watch``). Prints the figures and writes them to JSON
so they can be compared across commits. No test asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from grader.bench_student import STUB, StudentLoop, time_student_loop
from grader.bench_student import render as render_student_loop
from grader.config import Course
from grader.runner import ClassGrader
from grader.synth import HOSTILE, make_class


def _pss_kb(pid: int) -> int | None:
    """Proportional set size: resident memory with shared pages split among their sharers."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc/<pid>/task/<tid>/children."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{p}/task/{tid}/children", "rb") as fh:
                    stack.extend(int(c) for c in fh.read().split())
            except (OSError, ValueError):
                continue
    return out


def _tree_memory_kb(root_pid: int) -> tuple[int, int]:
    """Memory of a process and all its descendants, in KB: (sum of RSS, sum of PSS).

    The RSS sum counts a page shared by forked workers once per process, so it
    overstates the machine's memory in use; the PSS sum counts it once in all
    (falling back to RSS for a process whose PSS cannot be read).
    """
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total_rss = total_pss = 0
    for pid in _descendants(root_pid):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                rss = int(fh.read().split()[1]) * page_kb
        except (OSError, ValueError, IndexError):
            continue
        pss = _pss_kb(pid)
        total_rss += rss
        total_pss += rss if pss is None else pss
    return total_rss, total_pss


class PeakMemory:
    """Samples the whole process tree's memory (RSS and PSS sums) in a background thread."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval, self.peak_kb, self.peak_rss_kb = interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = _tree_memory_kb(os.getpid())
            self.peak_kb, self.peak_rss_kb = max(self.peak_kb, pss), max(self.peak_rss_kb, rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        if sys.platform.startswith("linux"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class BenchResult:
    modules: list[str]
    students: int
    jobs: int
    seconds: float
    per_second: float
    cpu_ms_per_submission: float
    worker_cpu_ms_median: float
    worker_cpu_ms_p95: float
    peak_memory_mb: float  # peak PSS sum of the whole process tree (shared pages counted once)
    peak_rss_sum_mb: float = 0.0  # peak RSS sum (shared pages counted once per process: an upper bound)
    baseline_sample: int = 0
    baseline_seconds_per_submission: float = 0.0
    baseline_per_second: float = 0.0
    speedup: float = 0.0
    nbgrader_sample: int = 0
    nbgrader_seconds_per_submission: float = 0.0
    nbgrader_speedup: float = 0.0
    nbgrader_same_totals: bool = False
    student_pytest_median_s: float = 0.0  # plain `pytest`, every function a stub
    student_loop: StudentLoop | None = None  # the student's loop at three stages, one module, watch mode
    machine: dict[str, str] = field(default_factory=dict)
    command: str = ""


def grade_ours(course: Course, class_dir: Path, out: Path,
               jobs: int) -> tuple[float, float, tuple[float, float], list[float], dict[str, float]]:
    grader = ClassGrader(course, out, jobs=jobs, progress=False)
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    with PeakMemory() as mem:
        summary = grader.grade(class_dir, force=True)
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    worker = sorted(r.cpu_ms for r in summary.results)
    peaks = (mem.peak_kb / 1024, mem.peak_rss_kb / 1024)
    return seconds, cpu, peaks, worker, {r.student_id: r.total for r in summary.results}


def grade_baseline(class_dir: Path, sample: int, modules: list[str]) -> list[float]:
    times = []
    for student in sorted(p for p in class_dir.iterdir() if p.is_dir())[:sample]:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader.baseline", str(student), ",".join(modules)],
                       check=False, capture_output=True, timeout=120)
        times.append(time.perf_counter() - t0)
    return times


def without_module(course: Course, module: str) -> Course:
    """The same course with one module left out (to measure its share of the cost)."""
    return replace(course, modules={m: f for m, f in course.modules.items() if m != module})


def run_bench(course: Course, students: int, *, jobs: int, baseline_sample: int = 20,
              student_runs: int = 7, command: str = "", nbgrader_sample: int = 0) -> BenchResult:
    with tempfile.TemporaryDirectory() as tmp:
        class_dir = Path(tmp) / "class"
        planted = make_class(course, class_dir, students)
        seconds, cpu, (peak_mb, peak_rss_mb), worker, totals = grade_ours(course, class_dir, Path(tmp) / "out", jobs)
        p95 = worker[min(len(worker) - 1, int(0.95 * len(worker)))] if worker else 0.0
        result = BenchResult(
            modules=list(course.modules), students=students, jobs=jobs, seconds=round(seconds, 3), per_second=round(students / seconds, 1),
            cpu_ms_per_submission=round(1000 * cpu / students, 2),
            worker_cpu_ms_median=round(statistics.median(worker), 2) if worker else 0.0,
            worker_cpu_ms_p95=round(p95, 2), peak_memory_mb=round(peak_mb, 1),
            peak_rss_sum_mb=round(peak_rss_mb, 1),
            machine={"cpus": str(os.cpu_count()), "python": platform.python_version(),
                     "platform": platform.platform()},
            command=command,
        )
        if baseline_sample:
            times = grade_baseline(class_dir, min(baseline_sample, students), list(course.modules))
            per = statistics.mean(times)
            result.baseline_sample = len(times)
            result.baseline_seconds_per_submission = round(per, 3)
            result.baseline_per_second = round(1 / per, 2)
            result.speedup = round(result.per_second * per, 1)
        if nbgrader_sample:
            from grader.bench_nbgrader import time_autograde

            # Not the broken few: a module that raises half-way through import scores 0 here
            # but keeps its earlier functions when pasted into a notebook cell.
            usable = [s for s in sorted(planted) if planted[s] not in HOSTILE]
            sample = [class_dir / s for s in usable[:nbgrader_sample]]
            nb = time_autograde(course, sample)
            result.nbgrader_sample = nb.students
            result.nbgrader_seconds_per_submission = round(nb.seconds_per_submission, 3)
            result.nbgrader_speedup = round(result.per_second * nb.seconds_per_submission, 1)
            result.nbgrader_same_totals = all(abs(nb.totals[s] - totals[s]) < 1e-6 for s in nb.totals)
    if student_runs:
        result.student_loop = time_student_loop(course, student_runs, watch_runs=2 * student_runs)
        result.student_pytest_median_s = result.student_loop.stages[STUB]
    return result


def run_benchmarks(course: Course, students: int, *, jobs: int, baseline_sample: int, student_runs: int,
                   nbgrader_sample: int, full_only: bool = False, command: str = "",
                   on_result: Callable[[BenchResult], None] = lambda r: None,
                   scaling: bool = False) -> list[BenchResult]:
    """The whole course, then (unless ``full_only``) the same without the plot exercises.

    The student pytest timing goes with the first run, nbgrader's autograde with
    the run that has no plots (nbgrader cannot grade them).
    """
    from grader.suites import figure_modules

    figures = figure_modules(list(course.modules))
    split = bool(figures) and not full_only and len(figures) < len(course.modules)
    runs = [run_bench(course, students, jobs=jobs, baseline_sample=baseline_sample, student_runs=student_runs,
                      command=command, nbgrader_sample=0 if split else nbgrader_sample)]
    on_result(runs[0])
    if split:
        numeric = course
        for module in figures:
            numeric = without_module(numeric, module)
        runs.append(run_bench(numeric, students, jobs=jobs, baseline_sample=baseline_sample,
                              student_runs=0, command=command, nbgrader_sample=nbgrader_sample))
        on_result(runs[1])
    if scaling and jobs > 1:  # the same class with one worker: how throughput scales with cores
        runs.append(run_bench(course, students, jobs=1, baseline_sample=0, student_runs=0,
                              command=command, nbgrader_sample=0))
        on_result(runs[-1])
        ratio = runs[0].per_second / runs[-1].per_second if runs[-1].per_second else 0.0
        print(f"Scaling: {runs[-1].per_second:g} submissions/s with --jobs 1, {runs[0].per_second:g} with "
              f"--jobs {jobs} ({ratio:.2f}x on {jobs} workers)")
    return runs


def write_json(runs: list[BenchResult], path: Path) -> None:
    """The figures of every run, for comparing across commits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n", encoding="utf-8")


def render(r: BenchResult) -> str:
    lines = [
        f"Modules: {', '.join(r.modules)}",
        f"Graded {r.students} synthetic submissions with --jobs {r.jobs} in {r.seconds:.2f} s: "
        f"{r.per_second:.1f} submissions/s",
        f"CPU per submission (all processes): {r.cpu_ms_per_submission:.1f} ms; "
        f"sandboxed worker CPU median {r.worker_cpu_ms_median:.1f} ms, p95 {r.worker_cpu_ms_p95:.1f} ms",
        f"Peak memory of the whole run: {r.peak_memory_mb:.0f} MB PSS "
        f"(RSS summed over processes, counting shared pages repeatedly: {r.peak_rss_sum_mb:.0f} MB)",
    ]
    if r.baseline_sample:
        lines.append(f"Naive baseline (fresh python -m pytest per student, {r.baseline_sample} sampled): "
                     f"{r.baseline_seconds_per_submission:.3f} s/submission = {r.baseline_per_second:.2f}/s; "
                     f"speed-up {r.speedup:.1f}x")
    if r.nbgrader_sample:
        lines.append(f"nbgrader autograde (same students, {r.nbgrader_sample} sampled, one command): "
                     f"{r.nbgrader_seconds_per_submission:.2f} s/submission; speed-up {r.nbgrader_speedup:.1f}x; "
                     f"totals {'equal ours' if r.nbgrader_same_totals else 'DIFFER from ours'}")
    if r.student_loop is not None:
        lines.extend(render_student_loop(r.student_loop))
    return "\n".join(lines)

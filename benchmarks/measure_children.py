"""Per-submission CPU and page faults of the sandbox, measured through the real pool.

Usage (from the checkout to measure):
    python benchmarks/measure_children.py [--plots] [--n 300] [--jobs 1]

Reads /proc/<zygote>/stat of each zygote (the PID-1 process inside the namespaces,
a grandchild of the pool's Popen) before and after grading N synthetic submissions:
cutime+cstime and cminflt are the children's (the forked per-submission children),
utime+stime and minflt the zygote's own.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())

from grader.bench import without_module  # noqa: E402
from grader.check import preload_for  # noqa: E402
from grader.config import load_course  # noqa: E402
from grader.discovery import discovering  # noqa: E402
from grader.plan import build_plan  # noqa: E402
from grader.sandbox import SandboxPool  # noqa: E402
from grader.synth import make_class  # noqa: E402
from grader.sandbox import pool as _P  # noqa: E402
_env = _P._environment
_P._environment = lambda: _env() | {k: os.environ[k] for k in ("WARMN", "GCT") if k in os.environ}

TICK = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    fields = f.read().rpartition(b")")[2].split()
                kids.setdefault(int(fields[1]), []).append(int(name))
            except (OSError, ValueError):
                pass
    out, stack = [], [pid]
    while stack:
        for c in kids.get(stack.pop(), []):
            out.append(c)
            stack.append(c)
    return out


def stat(pid: int) -> dict[str, float]:
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rpartition(b")")[2].split()
    # fields[0] is state (field 3); field n is fields[n-3]
    g = lambda n: int(fields[n - 3])  # noqa: E731
    return {"minflt": g(10), "cminflt": g(11), "utime": g(14) / TICK, "stime": g(15) / TICK,
            "cutime": g(16) / TICK, "cstime": g(17) / TICK}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", action="store_true")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--assignment", default="ps1")
    a = ap.parse_args()
    course = load_course("course.yml", assignment=a.assignment)
    if not a.plots:
        for m in [m for m in course.modules if m.startswith("plots")]:
            course = without_module(course, m)
    plan = build_plan(course)
    with tempfile.TemporaryDirectory(dir="/work/logs") as tmp:
        make_class(course, Path(tmp) / "c", a.n)
        with discovering(Path(tmp) / "c", course.modules, others=course.other_modules) as found:
            subs = [s for s in found.read() if s.sources]
        with SandboxPool(plan.calls, course.limits, jobs=a.jobs, preload=preload_for(course),
                         known=plan.expected) as pool:
            # warm up: one submission per worker
            for _ in pool.map((i, s.sources) for i, s in enumerate(subs[: a.jobs * 2])):
                pass
            zyg = []
            for w in pool._workers:  # noqa: SLF001
                d = descendants(w.proc.pid)
                zyg.append(d[-1] if d else w.proc.pid)
            before = [stat(p) for p in zyg]
            print("zygote pids", zyg, flush=True)
            if os.environ.get("PAUSE"):
                time.sleep(float(os.environ["PAUSE"]))
            me0 = resource.getrusage(resource.RUSAGE_SELF)
            t0 = time.perf_counter()
            cpu_ms = []
            marks = []
            for _, raw in pool.map((i, s.sources) for i, s in enumerate(subs)):
                cpu_ms.append(raw.cpu_ms)
                for line in raw.stdout.splitlines():
                    if line.startswith("MARKS "):
                        marks.append({k: tuple(float(x) for x in v.split("/")) for k, v in (w.split("=") for w in line.split()[1:])})
            wall = time.perf_counter() - t0
            me1 = resource.getrusage(resource.RUSAGE_SELF)
            after = [stat(p) for p in zyg]
    n = len(subs)
    tot = {k: sum(x[k] - y[k] for x, y in zip(after, before)) for k in before[0]}
    child_cpu = (tot["cutime"] + tot["cstime"]) * 1000 / n
    zyg_cpu = (tot["utime"] + tot["stime"]) * 1000 / n
    trusted = (me1.ru_utime + me1.ru_stime - me0.ru_utime - me0.ru_stime) * 1000 / n
    cpu_ms.sort()
    print(f"n={n} jobs={a.jobs} plots={a.plots} wall {wall:.2f}s ({n / wall:.1f}/s)")
    print(f"  child  cpu {child_cpu:.2f} ms/sub (user {tot['cutime'] * 1000 / n:.2f}, sys {tot['cstime'] * 1000 / n:.2f}),"
          f" minflt {tot['cminflt'] / n:.0f}/sub; reported median {cpu_ms[n // 2]:.2f} ms")
    print(f"  zygote cpu {zyg_cpu:.2f} ms/sub (user {tot['utime'] * 1000 / n:.2f}, sys {tot['stime'] * 1000 / n:.2f}),"
          f" minflt {tot['minflt'] / n:.0f}/sub")
    if marks:
        import statistics
        names = list(marks[0])
        prev = None
        for k in names:
            vals = [m[k] for m in marks]
            print(f"  mark {k:>8}: cpu {statistics.median(v[0] for v in vals):7.2f} ms, flt {statistics.median(v[1] for v in vals):6.0f}")
    print(f"  pool side (this process, no scoring/writing) {trusted:.2f} ms/sub")


if __name__ == "__main__":
    main()

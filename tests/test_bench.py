"""The benchmark keeps working (on a tiny class); no test asserts a time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_bench_runs_on_a_tiny_class(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = run_cli("bench", "--students", "6", "--jobs", "2", "--baseline-sample", "1", "--student-runs", "1",
                   "--nbgrader-sample", "2", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(out.read_text())
    assert len(runs) == 3 and "plots" in runs[0]["modules"] and "plots" not in runs[1]["modules"]
    first = runs[0]
    for key in ("per_second", "cpu_ms_per_submission", "worker_cpu_ms_median", "worker_cpu_ms_p95",
                "peak_memory_mb", "baseline_seconds_per_submission", "speedup", "student_pytest_median_s"):
        assert first[key] > 0, key
    # the student's loop: plain pytest at three stages, one module, and the watch mode's latency
    loop = first["student_loop"]
    assert set(loop["stages"]) == {"all stubs", "half done", "all done, with figures"}
    assert all(seconds > 0 for seconds in loop["stages"].values())
    assert loop["module"] == "losses" and loop["module_median_s"] > 0
    assert len(loop["watch_runs"]) == 2 and loop["watch_median_s"] > 0
    assert "pytest --watch" in proc.stdout and "all stubs" in proc.stdout
    # the same class with --jobs 1, printed beside the default (the scaling pair)
    assert runs[2]["jobs"] == 1 and runs[2]["modules"] == first["modules"] and "Scaling:" in proc.stdout
    assert first["students"] == 6 and first["baseline_sample"] == 1
    assert "submissions/s" in proc.stdout and "speed-up" in proc.stdout
    # nbgrader's own autograde graded the same students, on the run without plots, to the same totals
    assert first["nbgrader_sample"] == 0 and runs[1]["nbgrader_sample"] == 2
    assert runs[1]["nbgrader_seconds_per_submission"] > 0 and runs[1]["nbgrader_same_totals"] is True

"""--jobs defaults to the cores this process may use: affinity and cgroup quota."""

from __future__ import annotations

import os
from pathlib import Path

from grader.cpus import usable_cpus


def test_a_cgroup_v2_quota_caps_the_default(tmp_path: Path) -> None:
    (tmp_path / "cpu.max").write_text("150000 100000\n")  # 1.5 cores
    assert usable_cpus(tmp_path) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")  # no quota
    assert usable_cpus(tmp_path) == len(os.sched_getaffinity(0))


def test_a_cgroup_v1_quota_caps_the_default(tmp_path: Path) -> None:
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("100000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert usable_cpus(tmp_path) == 1
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert usable_cpus(tmp_path) == len(os.sched_getaffinity(0))


def test_the_affinity_mask_counts(tmp_path: Path) -> None:
    """In a child restricted to one core, the default is 1 whatever the machine has."""
    pid = os.fork()
    if pid == 0:
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
            os._exit(0 if usable_cpus(tmp_path) == 1 else 1)
        except BaseException:  # noqa: BLE001
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0

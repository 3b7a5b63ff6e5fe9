"""How many cores this process may use: the default number of sandboxed workers.

``os.cpu_count()`` counts the machine's cores, not the ones a container, a
``taskset`` or a cgroup CPU quota lets us use; grading with more workers than
that only adds memory and contention. The answer is the smallest of the CPU
affinity mask and the cgroup quota (v2 ``cpu.max``, or v1
``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``), at least 1.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _affinity() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _quota(root: Path = CGROUP) -> float | None:
    """The CPU quota in cores, or None when there is none (or it cannot be read)."""
    try:
        text = (root / "cpu.max").read_text().split()
        if text and text[0] != "max":
            return int(text[0]) / int(text[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        if quota > 0 and period > 0:
            return quota / period
    except (OSError, ValueError):
        pass
    return None


def usable_cpus(root: Path = CGROUP) -> int:
    """Cores this process may use (affinity and cgroup quota), at least 1."""
    quota = _quota(root)
    cores = _affinity()
    if quota is not None:
        cores = min(cores, max(1, math.floor(quota)))
    return max(1, cores)

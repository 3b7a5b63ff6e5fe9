"""Time nbgrader's own ``autograde`` on students of the benchmark class.

The course is exported with :func:`grader.nbgrader_export.export` (the numeric
modules; plot functions are not exported), released with ``nbgrader
generate_assignment``, and each sampled student's modules are pasted into the
answer cells of the released notebooks, as a student would. Then ``nbgrader
autograde`` grades them all in one command and the wall time is divided by the
number of students: nbgrader's start-up is shared, as it would be for a class.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader.config import Course
from grader.discovery import discover

ASSIGNMENT = "bench"


@dataclass
class NbgraderTiming:
    students: int
    seconds: float
    totals: dict[str, float]

    @property
    def seconds_per_submission(self) -> float:
        return self.seconds / self.students if self.students else 0.0


def available() -> bool:
    """True where the nbgrader extra is installed."""
    return importlib.util.find_spec("nbgrader") is not None


def run_nbgrader(root: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run the installed nbgrader CLI in a course folder; RuntimeError (with its output) if it fails.

    No user Jupyter config; PATH as it is (the exported gradebook.db spares nbgrader
    its ``alembic`` run, which needs the venv's bin/ on PATH).
    """
    exe = Path(sys.executable).parent / "nbgrader"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "nbgrader"]
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter-config")}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([*cmd, *args, "--log-level=WARN"], cwd=root, capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def _fill(released: Path, target: Path, sources: dict[str, str]) -> None:
    """Write the released notebook with every answer cell replaced by the student's module."""
    import nbformat

    nb = nbformat.read(released, as_version=4)
    module = released.stem
    if module in sources:
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                cell.source = sources[module]  # the whole module: its last definitions win
    nbformat.write(nb, target)


def time_autograde(course: Course, students: list[Path]) -> NbgraderTiming:
    """Grade ``students`` (submission folders) with ``nbgrader autograde``; wall time of that command."""
    from grader.nbgrader_export import export

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        export(course, root, assignment=ASSIGNMENT)
        from grader.gradebook import init_gradebook

        init_gradebook(root / "gradebook.db")  # as `grader nbgrader` does: nbgrader need not run alembic
        run_nbgrader(root, "generate_assignment", ASSIGNMENT, timeout=600)
        release = sorted((root / "release" / ASSIGNMENT).glob("*.ipynb"))
        for folder in students:
            found = discover(folder, course.modules).submissions
            sources = found[0].sources if found else {}
            out = root / "submitted" / folder.name / ASSIGNMENT
            out.mkdir(parents=True)
            for nb in release:
                _fill(nb, out / nb.name, sources)
        t0 = time.perf_counter()
        run_nbgrader(root, "autograde", ASSIGNMENT, timeout=120 + 60 * len(students) * len(release))
        seconds = time.perf_counter() - t0
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            totals = {f.name: float(gb.find_submission(ASSIGNMENT, f.name).score) for f in students}
        return NbgraderTiming(len(students), seconds, totals)

"""Shared fixtures for the project's own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def course():
    from grader.config import load_course

    return load_course(ROOT / "course.yml")


@pytest.fixture(scope="session")
def plan(course):
    from grader.plan import build_plan

    return build_plan(course)


ASSIGNED = {"grade", "check", "release", "gradescope", "gradescope-run", "nbgrader"}


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None,
            assignment: str | None = "ps1") -> subprocess.CompletedProcess:
    """Run the real ``grader`` command in a subprocess. The course has several assignments, so a
    command that needs one gets ``--assignment ps1`` unless it names one (or ``assignment=None``)."""
    if assignment and "--assignment" not in args:
        at = next((i for i, a in enumerate(args) if a in ASSIGNED), None)
        if at is not None:
            args = (*args[: at + 1], "--assignment", assignment, *args[at + 1:])
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env=full_env)

"""Gradescope autograder: ``grader gradescope OUT.zip`` builds the archive, and
``grader gradescope-run`` is what its ``run_autograder`` calls.

Gradescope unzips the archive into ``/autograder/source`` and runs ``setup.sh``
from there once, when it builds the image; it copies ``run_autograder`` to
``/autograder/run_autograder`` and runs it for every submission, with the
student's files in ``/autograder/submission``; results go to
``/autograder/results/results.json``.

So the archive is the project itself, flat: ``setup.sh`` and ``run_autograder``
next to ``pyproject.toml``, ``course.yml``, ``grader/``, ``solutions/`` and
``exercises/``, and ``/autograder/source`` is an installable project.
``setup.sh`` makes a venv at ``<root>/venv`` with the system's ``python3`` and
pip-installs its own folder into it (dependencies from PyPI), needing
nothing of this project's own environment. ``run_autograder`` runs the venv's
``grader`` script, which grades ``<root>/submission`` with the same sandbox and
limits as ``grader grade``. The root is ``/autograder`` on Gradescope and
``$AUTOGRADER_ROOT`` when set, so the whole flow can be run on any machine.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

from grader.config import Course
from grader.errors import InputError
from grader.fsutil import atomic_write
from grader.plan import build_plan
from grader.scoring import score
from grader.writers.gradescope import results_dict

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, from the unzipped archive (/autograder/source), when it
# builds the autograder image. It installs this folder, a Python project, into a venv.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${AUTOGRADER_ROOT:-/autograder}"
VENV="$ROOT/venv"
if [ ! -f "$HERE/pyproject.toml" ]; then
  echo "setup.sh: $HERE/pyproject.toml is missing: unzip the whole archive into one folder" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --clear "$VENV" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip
  python3 -m venv --clear "$VENV"
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "setup.sh: Python 3.10 or newer is needed, python3 is $(python3 --version 2>&1)" \\
       "(choose a newer Ubuntu base image)" >&2
  exit 1
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --progress-bar off "$HERE"
"$VENV/bin/grader" --help >/dev/null  # the command runs: the install is complete
echo "setup.sh: installed the grader into $VENV"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope copies this to /autograder/run_autograder and runs it for every
# submission, from any folder: it grades <root>/submission into
# <root>/results/results.json with the venv setup.sh made.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
GRADER="$ROOT/venv/bin/grader"
if [ ! -x "$GRADER" ]; then
  echo "run_autograder: $GRADER not found: setup.sh did not finish" >&2
  exit 1
fi
cd "$ROOT"
# The venv's own script, not `python -m grader` from source/: the grader then runs from
# site-packages, and the sandbox hides that copy's grader/ and solutions/ from submissions.
exec "$GRADER" --course "$ROOT/source/course.yml" gradescope-run --root "$ROOT" --assignment "{assignment}"
"""

_SOURCE_GLOBS = ("grader/**/*.py", "grader/student/**/*", "solutions/*.py", "exercises/*.py")
_SOURCE_FILES = ("course.yml", "pyproject.toml", "README.md")


def build_archive(course: Course, out: Path) -> list[str]:
    """Write the autograder zip (the project, flat, with ``setup.sh`` and
    ``run_autograder`` at the top); returns the member names."""
    root = course.root
    buf = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        run_script = RUN_AUTOGRADER.replace("{assignment}", course.assignment)  # the archive grades one assignment
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", run_script)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
            names.append(name)
        files = {root / f for f in _SOURCE_FILES}
        for pattern in _SOURCE_GLOBS:
            files.update(p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
        for path in sorted(files):
            if not path.is_file():
                raise InputError(f"{path}: missing; cannot build the autograder")
            arc = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
            names.append(arc)
    atomic_write(out, buf.getvalue())
    return names


def run(course: Course, root: Path) -> dict:
    """Grade ``root/submission`` and write ``root/results/results.json``; returns the JSON data."""
    from grader.check import find_one, run_in_sandbox

    start = time.monotonic()
    submission = root / "submission"
    if not submission.is_dir():
        raise InputError(f"{submission}: no submission folder")
    plan = build_plan(course)
    sub = find_one(course, submission)
    outcomes, extra, warnings = run_in_sandbox(course, plan, sub)
    result = score(plan, outcomes, student_id=sub.student_id, **extra)
    data = results_dict(result, show_hidden_values=course.show_hidden_values, execution_time=time.monotonic() - start)
    if warnings:
        data["output"] += "\n" + "\n".join(f"Sandbox warning: {w}" for w in warnings)
    atomic_write(root / "results" / "results.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data

"""Gradescope autograder: ``grader gradescope OUT.zip`` builds the archive, and
``grader gradescope-run`` is what its ``run_autograder`` calls.

The archive holds ``setup.sh`` (installs Python and this project into a venv),
``run_autograder``, and ``source/`` (the grader package, the solutions and
course.yml). ``run_autograder`` grades ``<root>/submission`` with the same
sandbox and limits as ``grader grade`` and writes ``<root>/results/results.json``.
The root is ``/autograder`` on Gradescope and ``$AUTOGRADER_ROOT`` elsewhere,
so the whole flow can be tested on any machine.
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
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip
fi
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install --quiet --upgrade pip
"$ROOT/venv/bin/pip" install --quiet "$ROOT/source"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${GRADER_PYTHON:-$ROOT/venv/bin/python}"
cd "$ROOT/source"
exec "$PY" -m grader --course "$ROOT/source/course.yml" gradescope-run --root "$ROOT"
"""

_SOURCE_GLOBS = ("grader/**/*.py", "grader/student/**/*", "solutions/*.py", "exercises/*.py")
_SOURCE_FILES = ("course.yml", "pyproject.toml", "README.md")


def build_archive(course: Course, out: Path) -> list[str]:
    """Write the autograder zip; returns the member names."""
    root = course.root
    buf = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
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
            arc = "source/" + path.relative_to(root).as_posix()
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

"""The Gradescope autograder archive, run exactly the way Gradescope runs it, in a
temporary folder standing in for /autograder (``$AUTOGRADER_ROOT``):

- the archive is unzipped into ``<root>/source`` and ``bash setup.sh`` runs there,
  on a machine without this project's venv: setup.sh makes its own venv with the
  system's ``python3`` and pip-installs the project and its dependencies;
- ``run_autograder`` is copied to ``<root>/run_autograder`` and run from ``/``,
  with the student's files, as uploaded, in ``<root>/submission``;
- results are read from ``<root>/results/results.json``.

The environment of setup.sh and run_autograder has no PYTHONPATH, no
VIRTUAL_ENV and nothing of this project on PATH, and the test checks that the
project cannot be imported there before setup.sh runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.synth import ClassMaker, write_folder, write_zip
from tests.conftest import ROOT, run_cli

TOP_FIELDS = {"score", "max_score", "output", "stdout_visibility", "visibility", "tests", "execution_time"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "visibility"}

Submit = Callable[[Path], None]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gs") / "autograder.zip"
    proc = run_cli("gradescope", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _base_image_env(root: Path) -> dict[str, str]:
    """This machine's environment minus anything of this project: no PYTHONPATH,
    no virtualenv, no PATH entry inside the project or its venv."""
    project_dirs = {os.path.realpath(ROOT), os.path.realpath(sys.prefix)}
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE")}

    def foreign(entry: str) -> bool:
        real = os.path.realpath(entry) if entry else ""
        return bool(real) and not any(real == d or real.startswith(d + os.sep) for d in project_dirs)

    env["PATH"] = os.pathsep.join(e for e in os.environ.get("PATH", "").split(os.pathsep) if foreign(e))
    env["AUTOGRADER_ROOT"] = str(root)
    return env


def _unzip_like_gradescope(archive: Path, dest: Path) -> None:
    """Unzip keeping the permission bits stored in the archive, as ``unzip`` does."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, dest))
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                os.chmod(path, mode)


@pytest.fixture(scope="module")
def gradescope(tmp_path_factory: pytest.TempPathFactory, archive: Path) -> Path:
    """``<root>`` after Gradescope's image build: source unzipped, setup.sh run,
    run_autograder copied to the top."""
    root = tmp_path_factory.mktemp("gradescope") / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    _unzip_like_gradescope(archive, source)
    env = _base_image_env(root)
    probe = subprocess.run(["python3", "-c", "import grader"], cwd="/", env=env, capture_output=True, text=True)
    assert probe.returncode != 0, "the project must not be importable before setup.sh (not a base image)"
    proc = subprocess.run(["bash", "setup.sh"], cwd=source, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    return root


def _run_autograder(root: Path, submit: Submit | None) -> subprocess.CompletedProcess:
    """One submission: a fresh ``<root>/submission`` (none if ``submit`` is None) and
    ``<root>/results``, then ``<root>/run_autograder`` run from ``/``."""
    for name in ("submission", "results"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "results").mkdir()
    if submit is not None:
        (root / "submission").mkdir()
        submit(root / "submission")
    return subprocess.run([str(root / "run_autograder")], cwd="/", env=_base_image_env(root),
                          capture_output=True, text=True, timeout=300)


def _results(root: Path, submit: Submit) -> dict:
    proc = _run_autograder(root, submit)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    _check_schema(data)
    return data


def _check_schema(data: dict) -> None:
    """Gradescope's results.json: top-level fields, and each test's."""
    assert set(data) <= TOP_FIELDS and {"score", "max_score", "tests"} <= set(data)
    assert data["stdout_visibility"] == "hidden"
    assert isinstance(data["execution_time"], (int, float))
    for t in data["tests"]:
        assert set(t) == TEST_FIELDS, t
        assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
        assert t["status"] in ("passed", "failed") and isinstance(t["output"], str)
        assert t["visibility"] in ("visible", "after_published")


def _by_function(data: dict, function: str) -> list[dict]:
    return [t for t in data["tests"] if t["name"].startswith(function + ":")]


# -- the archive ------------------------------------------------------------------------------


def test_archive_is_the_project_with_gradescopes_scripts_on_top(archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        setup = zf.read("setup.sh").decode()
        run = zf.read("run_autograder").decode()
    # Unzipped into /autograder/source, that folder is an installable project.
    assert {"setup.sh", "run_autograder", "course.yml", "pyproject.toml", "README.md",
            "grader/__init__.py", "grader/cli.py", "solutions/losses.py"} <= names
    assert any(n.startswith("grader/suites/") for n in names)
    assert not any(n.startswith("source/") for n in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    # setup.sh installs its own folder; run_autograder finds everything under the root.
    assert 'pip install --progress-bar off "$HERE"' in setup and "$ROOT/source" not in setup
    assert '"$ROOT/source/course.yml"' in run and "source/source" not in run


def test_gradescope_run_grades_one_submission_folder(tmp_path: Path, course) -> None:
    """``grader gradescope-run``, the command run_autograder calls, from this checkout."""
    write_folder(tmp_path / "submission", ClassMaker(course).correct(), "exercises")
    proc = run_cli("gradescope-run", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    _check_schema(data)
    assert data["score"] == pytest.approx(course.max_total) == pytest.approx(data["max_score"])


# -- the archive as Gradescope runs it ----------------------------------------------------------


@pytest.mark.slow
def test_setup_installs_the_grader_into_its_own_venv(gradescope: Path) -> None:
    venv_python = gradescope / "venv" / "bin" / "python"
    proc = subprocess.run([str(venv_python), "-c", "import grader, numpy, matplotlib; print(grader.__file__)"],
                          cwd="/", env=_base_image_env(gradescope), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).resolve().is_relative_to((gradescope / "venv").resolve())


@pytest.mark.slow
def test_correct_loose_files_score_full_marks(gradescope: Path, course, plan) -> None:
    data = _results(gradescope, lambda sub: write_folder(sub, ClassMaker(course).correct(), "flat"))
    assert data["score"] == pytest.approx(course.max_total) and data["max_score"] == pytest.approx(course.max_total)
    assert len(data["tests"]) == len(plan.tests)
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in data["tests"])
    hidden = [t for t in data["tests"] if t["visibility"] == "after_published"]
    assert hidden and len(hidden) == sum(not t.public for t in plan.tests)


@pytest.mark.slow
def test_a_known_mistake_in_an_uploaded_zip_costs_that_function(gradescope: Path, course) -> None:
    from grader.suites import load_mistakes

    mistake = next(m for m in load_mistakes(list(course.modules)) if m.function == "losses.sse" and not m.affects)
    sources = ClassMaker(course).altered({mistake.function: mistake.source})
    data = _results(gradescope, lambda sub: write_zip(sub / "my-work.zip", sources, inner="exercises/"))
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("losses.sse:") for t in failed)
    assert course.max_total - course.points["losses.sse"] <= data["score"] < course.max_total
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]), abs=0.01)
    assert any(mistake.hint[:40] in t["output"] for t in failed if t["visibility"] == "visible")
    for t in failed:
        if t["visibility"] == "after_published":  # fixed words only, no inputs or values
            assert not re.search(r"^\s*(input|expected|got):", t["output"], re.M), t["output"]


@pytest.mark.slow
def test_a_broken_module_in_a_course_folder_costs_only_that_module(gradescope: Path, course) -> None:
    sources = ClassMaker(course).hostile("syntax-error")  # regression.py does not compile
    data = _results(gradescope, lambda sub: write_folder(sub, sources, "copy"))
    regression = [t for t in data["tests"] if t["name"].startswith("regression.")]
    assert regression and all(t["status"] == "failed" and t["score"] == 0 for t in regression)
    assert all(t["status"] == "passed" for t in data["tests"] if not t["name"].startswith("regression."))
    assert "regression" in data["output"]
    lost = sum(p for f, p in course.points.items() if f.startswith("regression."))
    assert data["score"] == pytest.approx(course.max_total - lost)


@pytest.mark.slow
def test_a_submission_cannot_read_the_solutions_in_the_gradescope_layout(gradescope: Path, course) -> None:
    """The venv holds an installed copy of solutions/ besides <root>/source/solutions."""
    reader = (
        "def sse(y, y_hat):\n"
        "    import glob, os, sys\n"
        f"    paths = [{str(gradescope / 'source' / 'solutions' / 'losses.py')!r},\n"
        "             '/autograder/source/solutions/losses.py']\n"
        "    paths += [os.path.join(p, 'solutions', 'losses.py') for p in sys.path if p]\n"
        f"    paths += glob.glob({str(gradescope / 'venv')!r} + '/lib/*/site-packages/solutions/losses.py')\n"
        "    paths += glob.glob(sys.prefix + '/lib/*/site-packages/solutions/losses.py')\n"
        "    found = 0\n"
        "    for p in paths:\n"
        "        try:\n"
        "            open(p).read()\n"
        "            found += 1\n"
        "        except Exception:\n"
        "            pass\n"
        "    try:\n"
        "        import solutions.losses  # noqa: F401\n"
        "        found += 1\n"
        "    except Exception:\n"
        "        pass\n"
        "    return 1000.0 + found if found else -1.0\n"
    )
    sources = ClassMaker(course).altered({"losses.sse": reader})
    data = _results(gradescope, lambda sub: write_folder(sub, sources, "flat"))
    sse = _by_function(data, "losses.sse")
    assert sse and all(t["score"] == 0 for t in sse)
    shown = "\n".join(t["output"] for t in sse if t["visibility"] == "visible")
    assert re.search(r"got:\s+-1\b", shown) and not re.search(r"got:\s+100\d", shown)


@pytest.mark.slow
def test_a_submission_cannot_write_its_own_results(gradescope: Path, course) -> None:
    cheat = (
        "def sse(y, y_hat):\n"
        "    import json, os\n"
        "    fake = {'score': 1000, 'max_score': 1, 'tests': []}\n"
        f"    for root in ({str(gradescope)!r}, os.environ.get('AUTOGRADER_ROOT', ''), '/autograder', '..', '../..'):\n"
        "        for rel in ('results/results.json', 'results.json'):\n"
        "            try:\n"
        "                os.makedirs(os.path.join(root, 'results'), exist_ok=True)\n"
        "                open(os.path.join(root, rel), 'w').write(json.dumps(fake))\n"
        "            except Exception:\n"
        "                pass\n"
        "    return 0.0\n"
    )
    sources = ClassMaker(course).altered({"losses.sse": cheat})
    data = _results(gradescope, lambda sub: write_folder(sub, sources, "flat"))
    sse = _by_function(data, "losses.sse")
    assert sse and all(t["score"] == 0 for t in sse)
    assert data["score"] < data["max_score"] == pytest.approx(course.max_total)
    assert not (gradescope / "results.json").exists() and not (gradescope.parent / "results").exists()


@pytest.mark.slow
def test_missing_submission_folder_is_a_clear_error(gradescope: Path) -> None:
    proc = _run_autograder(gradescope, None)
    assert proc.returncode == 4 and proc.stderr.startswith("Error: "), proc.stderr
    assert not (gradescope / "results" / "results.json").exists()

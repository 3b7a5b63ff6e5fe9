"""The Gradescope autograder archive, run the way Gradescope runs it, in a
temporary folder standing in for /autograder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

TOP_FIELDS = {"score", "max_score", "output", "stdout_visibility", "visibility", "tests", "execution_time"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "visibility"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gs") / "autograder.zip"
    proc = run_cli("gradescope", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _autograder_root(tmp_path: Path, archive: Path, submission: dict[str, str]) -> Path:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root)
    for name in ("setup.sh", "run_autograder"):
        os.chmod(root / name, 0o755)
    (root / "submission").mkdir()
    for module, text in submission.items():
        (root / "submission" / f"{module}.py").write_text(text, encoding="utf-8")
    (root / "results").mkdir()
    return root


def _run(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=sys.executable)
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "results" / "results.json").read_text())


def _solutions() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "solutions").glob("*.py") if p.stem != "__init__"}


def test_archive_has_what_gradescope_needs(archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    assert {"setup.sh", "run_autograder", "source/course.yml", "source/pyproject.toml"} <= names
    assert any(n.startswith("source/grader/suites/") for n in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111


def test_reference_submission_scores_full_marks(tmp_path: Path, archive: Path, course, plan) -> None:
    data = _run(_autograder_root(tmp_path, archive, _solutions()))
    assert set(data) <= TOP_FIELDS and data["stdout_visibility"] == "hidden"
    assert data["score"] == pytest.approx(course.max_total) and data["max_score"] == pytest.approx(course.max_total)
    assert isinstance(data["execution_time"], (int, float))
    assert len(data["tests"]) == len(plan.tests)
    for t in data["tests"]:
        assert set(t) == TEST_FIELDS and t["status"] == "passed"
        assert t["visibility"] in ("visible", "after_published")
    hidden = [t for t in data["tests"] if t["visibility"] == "after_published"]
    assert hidden and len(hidden) == sum(not t.public for t in plan.tests)


def test_a_submission_cannot_write_its_own_results(tmp_path: Path, archive: Path) -> None:
    from grader.synth import replace_function

    sources = _solutions()
    cheat = (
        "def sse(y, y_hat):\n"
        "    import json, os\n"
        "    fake = {'score': 1000, 'max_score': 1, 'tests': []}\n"
        "    for root in (os.environ.get('AUTOGRADER_ROOT', ''), '/autograder', '..', '../..'):\n"
        "        for rel in ('results/results.json', 'results.json'):\n"
        "            try:\n"
        "                os.makedirs(os.path.join(root, 'results'), exist_ok=True)\n"
        "                open(os.path.join(root, rel), 'w').write(json.dumps(fake))\n"
        "            except Exception:\n"
        "                pass\n"
        "    return 0.0\n"
    )
    sources["losses"] = replace_function(sources["losses"], "sse", cheat)
    root = _autograder_root(tmp_path, archive, sources)
    data = _run(root)
    sse = [t for t in data["tests"] if t["name"].startswith("losses.sse:")]
    assert sse and all(t["score"] == 0 for t in sse)
    assert data["score"] < data["max_score"] and data["max_score"] != 1
    assert not (tmp_path / "results.json").exists() and not (root.parent / "results").exists()


def test_missing_submission_folder_is_a_clear_error(tmp_path: Path, archive: Path) -> None:
    root = _autograder_root(tmp_path, archive, {})
    shutil.rmtree(root / "submission")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=sys.executable)
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 4 and proc.stderr.startswith("Error: ")

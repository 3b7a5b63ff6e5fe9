"""course.yml validation: clear one-line errors naming the key and the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from grader.config import KEYS, load_course
from grader.errors import ConfigError
from tests.conftest import ROOT, run_cli


def _course_dir(tmp_path: Path, data: dict | str) -> Path:
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    (tmp_path / "course.yml").write_text(text, encoding="utf-8")
    return tmp_path / "course.yml"


def _base() -> dict:
    """The project's course as a course of one assignment (a top-level ``modules:``)."""
    data = yaml.safe_load((ROOT / "course.yml").read_text(encoding="utf-8"))
    data["modules"] = data.pop("assignments")["ps1"]["modules"]
    return data


def _assignments() -> dict:
    return yaml.safe_load((ROOT / "course.yml").read_text(encoding="utf-8"))


def test_the_project_course_loads(course) -> None:
    assert list(course.modules)[:4] == ["losses", "derivatives", "regression", "descent"]
    assert course.points["losses.sse"] == 4
    assert course.max_total == sum(course.points.values())
    assert course.limits.call_seconds > 0


def test_every_key_has_a_default_meaning_and_check() -> None:
    for key in KEYS:
        assert key.meaning and callable(key.check)


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        (lambda d: d.update(colour="blue"), "unknown key 'colour'"),
        (lambda d: d["limits"].update(wall_secs=3), "unknown key 'limits.wall_secs'"),
        (lambda d: d["modules"]["losses"].update(sse=-1), "'modules.losses.sse' must be a number of points >= 0"),
        (lambda d: d["modules"]["losses"].update(rmse=2), "no function rmse in solutions/losses.py"),
        (lambda d: d["modules"].update(extras={"f": 1}), "solutions/extras.py not found"),
        (lambda d: d["limits"].update(memory_mb="lots"), "'limits.memory_mb' must be a positive integer"),
        (lambda d: d["tolerance"].update(rtol=-1), "'tolerance.rtol' must be a number >= 0"),
        (lambda d: d.pop("modules"), "give either 'modules' (one assignment) or 'assignments'"),
        (lambda d: d["feedback"].update(show_hidden_inputs="yes"), "must be true or false"),
    ],
)
def test_invalid_course_is_a_one_line_error(tmp_path: Path, change, phrase: str) -> None:
    data = _base()
    change(data)
    path = _course_dir(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_course(path)
    message = str(info.value)
    assert phrase in message and str(path) in message and "\n" not in message


def test_a_course_of_one_assignment_is_ps1(tmp_path: Path) -> None:
    course = load_course(_course_dir(tmp_path, _base()))
    assert course.assignment == "ps1" and list(course.assignments) == ["ps1"]


def test_assignments_each_give_a_course(tmp_path: Path) -> None:
    data = _assignments()
    data["assignments"]["extra"] = {"title": "More", "modules": {"losses": {"sse": 1}}}
    with pytest.raises(ConfigError, match="already in assignment 'ps1'"):
        load_course(_course_dir(tmp_path, data))
    data = _assignments()
    names = list(data["assignments"])
    path = _course_dir(tmp_path / "ok", data)
    course = load_course(path, assignment=names[-1])
    assert course.assignment == names[-1] and list(course.assignments) == names
    assert load_course(path).assignment == names[0]  # the first by default


@pytest.mark.parametrize(("change", "phrase"), [
    (lambda d: d.update(modules={"losses": {"sse": 1}}), "not both"),
    (lambda d: d["assignments"].update({"bad name!": {"modules": {"x": {"f": 1}}}}), "bad assignment name"),
    (lambda d: d["assignments"]["ps1"].update(points=3), "must have a 'title' and its 'modules'"),
    (lambda d: d["assignments"]["ps1"].update(title=""), "'ps1.title' must be non-empty text"),
])
def test_bad_assignments_are_one_line_errors(tmp_path: Path, change, phrase: str) -> None:
    data = _assignments()
    change(data)
    with pytest.raises(ConfigError) as info:
        load_course(_course_dir(tmp_path, data))
    assert phrase in str(info.value) and "\n" not in str(info.value)


def test_an_unknown_assignment_names_the_known_ones(tmp_path: Path) -> None:
    from grader.errors import UsageError

    with pytest.raises(UsageError, match="no such assignment.*the course has: ps1"):
        load_course(_course_dir(tmp_path, _assignments()), assignment="ps9")


def test_broken_yaml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_course(tmp_path / "nope.yml")
    path = _course_dir(tmp_path, "title: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_course(path)


def test_cli_reports_config_errors_without_traceback(tmp_path: Path) -> None:
    data = _base()
    data["bogus"] = 1
    path = _course_dir(tmp_path, data)
    proc = run_cli("--course", str(path), "grade", str(tmp_path))
    assert proc.returncode == 3
    assert proc.stderr.startswith("Error: ") and "unknown key 'bogus'" in proc.stderr
    assert "Traceback" not in proc.stderr

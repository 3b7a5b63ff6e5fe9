"""Bulk grading saves students' figures beside their feedback, and the class report
shows a gallery of the figures of students who lost points on a plot.

A tiny class goes through the real runner (sandbox included): one student with
the reference code, one whose log penalty uses the natural log, and one whose
plot_fit returns forged figure data. Unit tests then drive
:class:`grader.figure_files.FigureSaver` directly with hostile outcomes.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from grader import figure_files, outputs
from grader.config import Course
from grader.execute import Outcome
from grader.plan import Plan, load_solution_module, run_calls
from grader.runner import ClassGrader
from grader.scoring import StudentResult, score
from grader.synth import ClassMaker, replace_function, write_folder
from grader.wire import FigureSummary

PNG = b"\x89PNG\r\n\x1a\n"

NATURAL_LOG = '''def plot_log_penalty(base=2):
    from matplotlib.figure import Figure

    p = np.geomspace(1e-3, 1.0, 100)
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot(p, -np.log(p))
    ax.set_xlabel("p")
    ax.set_ylabel("penalty")
    return fig
'''

# A malformed summary that reaches the trusted side as a figure: the submission
# rewrites the sandbox child's own encoder (a plain dict is never taken for a figure).
FORGED = '''def plot_fit(x, y, a, b):
    import sys
    forged = {"v": 1, "label": "plot_fit", "axes": [{"xlabel": 5, "lines": [{"x": [1e308, "a"]}]}]}
    frame = sys._getframe(1)
    while frame is not None:
        if callable(frame.f_globals.get("_ENCODE")):
            real = frame.f_globals["_ENCODE"]
            frame.f_globals["_ENCODE"] = lambda v, _r=real: {"$figure": forged} if isinstance(v, str) and v == "forged" else _r(v)
        frame = frame.f_back
    return "forged"
'''

LINSPACE = '''def plot_log_penalty(base=2):
    from matplotlib.figure import Figure

    p = np.linspace(1e-3, 1.0, 120)
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base))
    ax.set_xlabel("p")
    ax.set_ylabel("penalty")
    return fig
'''


def _first_public(plan: Plan, function: str) -> str:
    return figure_files.file_name(next(t for t in plan.tests if t.function == function and t.public))


def _valid_png(path: Path) -> None:
    assert path.read_bytes().startswith(PNG), path
    with Image.open(path) as image:
        image.verify()


@pytest.fixture(scope="module")
def graded(course: Course, plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tiny class, graded once, with the report written as ``grader grade`` does."""
    base = tmp_path_factory.mktemp("figclass")
    maker = ClassMaker(course)
    write_folder(base / "subs" / "alice", maker.correct())
    bob = maker.correct()
    bob["plots"] = replace_function(bob["plots"], "plot_log_penalty", NATURAL_LOG)
    write_folder(base / "subs" / "bob", bob, "exercises")
    carol = maker.correct()
    carol["plots"] = replace_function(carol["plots"], "plot_fit", FORGED)
    write_folder(base / "subs" / "carol", carol)
    out = base / "out"
    grader = ClassGrader(course, out, plan=plan, progress=False)
    summary = grader.grade(base / "subs")
    lines = outputs.write_extra(argparse.Namespace(), course, grader, summary)
    return {"out": out, "grader": grader, "summary": summary, "lines": lines,
            "by_id": {r.student_id: r for r in summary.results}}


def test_the_class_was_graded_as_planted(graded: dict[str, Any], course: Course) -> None:
    by_id: dict[str, StudentResult] = graded["by_id"]
    assert by_id["alice"].total == course.max_total
    lost = {sid: sorted(f.function for f in r.functions if not f.full) for sid, r in by_id.items()}
    assert lost == {"alice": [], "bob": ["plots.plot_log_penalty"], "carol": ["plots.plot_fit"]}


def test_wrong_figure_is_saved_as_a_png_beside_the_feedback(graded: dict[str, Any], plan: Plan) -> None:
    out: Path = graded["out"]
    name = _first_public(plan, "plots.plot_log_penalty")
    png = out / "feedback" / "bob" / name
    _valid_png(png)
    assert sorted(p.name for p in (out / "feedback" / "bob").iterdir()) == [name]  # one PNG per lost function
    text = (out / "feedback" / "bob.md").read_text()
    assert "## Your figures" in text
    assert f"](bob/{name})" in text  # a link relative to feedback/


def test_right_figures_cost_nothing_per_student(graded: dict[str, Any], plan: Plan) -> None:
    out: Path = graded["out"]
    assert not (out / "feedback" / "alice").exists()  # the reference's own figures: nothing written
    text = (out / "feedback" / "alice.md").read_text()
    for function in figure_files.plot_functions(plan):
        link = f"_reference/{_first_public(plan, function)}"
        assert f"]({link})" in text, function
        _valid_png(out / "feedback" / link)
    # Drawn this run: each reference picture once, bob's wrong figure, nothing else.
    assert graded["grader"].figures.rendered == len(figure_files.plot_functions(plan)) + 1


def test_forged_figure_data_becomes_a_line_in_the_feedback(graded: dict[str, Any]) -> None:
    out: Path = graded["out"]
    assert graded["by_id"]["carol"].status == "ok"
    assert not (out / "feedback" / "carol").exists()
    text = (out / "feedback" / "carol.md").read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("- `plots.plot_fit`"))
    assert "could not be drawn" in line and "malformed" in line


def test_report_gallery_shows_the_wrong_students_figure(graded: dict[str, Any], plan: Plan) -> None:
    out: Path = graded["out"]
    html = (out / "report.html").read_text()
    gallery = html[html.index("<h2>Plot gallery</h2>"):]
    bob_png = (out / "feedback" / "bob" / _first_public(plan, "plots.plot_log_penalty")).read_bytes()
    assert base64.b64encode(bob_png).decode("ascii") in gallery
    assert "<code>plots.plot_log_penalty</code>" in gallery and "<code>bob</code>" in gallery
    assert "<code>alice</code>" not in gallery
    assert "plots.plot_fit" not in gallery  # carol lost points there, but nothing could be drawn


def test_gallery_keeps_eight_students_per_function_sorted(tmp_path: Path, graded: dict[str, Any]) -> None:
    bob: StudentResult = graded["by_id"]["bob"]
    png = next((graded["out"] / "feedback" / "bob").glob("*.png")).read_bytes()
    results = []
    for i in (11, 3, 7, 0, 9, 1, 5, 10, 2, 8, 4, 6):
        sid = f"s{i:02d}"
        results.append(dataclasses.replace(bob, student_id=sid, file_id=sid))
        (tmp_path / sid).mkdir()
        (tmp_path / sid / "plots.plot_log_penalty-x.png").write_bytes(png)
    found = figure_files.gallery(results, tmp_path, ["plots.plot_log_penalty", "plots.plot_fit"])
    assert list(found) == ["plots.plot_log_penalty"]
    assert [sid for sid, _ in found["plots.plot_log_penalty"]] == [f"s{i:02d}" for i in range(8)]


def test_regrading_removes_old_figures_and_keeps_reference_pictures(course: Course, plan: Plan, tmp_path: Path) -> None:
    maker = ClassMaker(course)
    wrong = maker.correct()
    wrong["plots"] = replace_function(wrong["plots"], "plot_log_penalty", NATURAL_LOG)
    write_folder(tmp_path / "subs" / "dan", wrong)
    grader = ClassGrader(course, tmp_path / "out", plan=plan, progress=False)
    grader.grade(tmp_path / "subs")
    folder = tmp_path / "out" / "feedback" / "dan"
    assert len(list(folder.glob("*.png"))) == 1
    assert grader.figures.rendered == 1 + 3  # dan's wrong figure, and the reference's other three
    write_folder(tmp_path / "subs" / "dan", maker.correct())  # fixed
    again = ClassGrader(course, tmp_path / "out", plan=plan, progress=False)
    again.grade(tmp_path / "subs")
    assert again.figures.rendered == 1  # only the reference picture the first run did not need
    assert not folder.exists()
    assert "right, and the same as the reference figure" in (tmp_path / "out" / "feedback" / "dan.md").read_text()


# -- FigureSaver on its own ---------------------------------------------------------------

@pytest.fixture(scope="module")
def reference_outcomes(plan: Plan) -> list[Outcome]:
    modules = {m: load_solution_module(plan.course.root, m) for m in plan.course.modules}
    return run_calls(modules, plan.calls)


def _with_plots(plan: Plan, outcomes: list[Outcome], source: str) -> list[Outcome]:
    """The reference outcomes with ``plots`` calls rerun on the reference plus ``source``."""
    module = load_solution_module(plan.course.root, "plots", replace=source)
    redo = run_calls({"plots": module}, plan.calls)
    return [redo[i] if c.module == "plots" else o for i, (c, o) in enumerate(zip(plan.calls, outcomes, strict=True))]


def test_right_but_different_figures_are_drawn_only_when_asked(plan: Plan, reference_outcomes: list[Outcome],
                                                               tmp_path: Path) -> None:
    outcomes = _with_plots(plan, reference_outcomes, LINSPACE)
    result = score(plan, outcomes, student_id="eve")
    assert result.total == result.max_total
    lazy = figure_files.FigureSaver(plan, tmp_path / "a")
    files = {f.function: f for f in lazy.save("eve", outcomes, result)}
    assert lazy.rendered == 3  # the three reference pictures; eve's right figure is not drawn
    assert files["plots.plot_log_penalty"].link == "" and "right" in files["plots.plot_log_penalty"].note
    eager = figure_files.FigureSaver(plan, tmp_path / "b", passed_too=True)
    files = {f.function: f for f in eager.save("eve", outcomes, result)}
    _valid_png(tmp_path / "b" / files["plots.plot_log_penalty"].link)


def test_identical_wrong_figures_are_drawn_once(plan: Plan, reference_outcomes: list[Outcome],
                                                tmp_path: Path) -> None:
    outcomes = _with_plots(plan, reference_outcomes, NATURAL_LOG)
    saver = figure_files.FigureSaver(plan, tmp_path)
    for sid in ("a1", "a2", "a3"):
        saver.save(sid, outcomes, score(plan, outcomes, student_id=sid))
    assert saver.rendered == 1 + 3  # the wrong figure once, and the three reference pictures
    pngs = [(tmp_path / sid / _first_public(plan, "plots.plot_log_penalty")).read_bytes() for sid in ("a1", "a2")]
    assert pngs[0] == pngs[1]


def _hostile_values(valid: dict[str, Any]) -> dict[str, Any]:
    deep: Any = []
    for _ in range(900):
        deep = [deep]
    return {
        "not a dict": [1, 2, 3],
        "empty": {},
        "wrong version": {**valid, "v": 99},
        "NaN in a line": json.loads(json.dumps(valid).replace('"x": [', '"x": [NaN, ', 1)),
        "huge list": {**valid, "axes": [{**valid["axes"][0], "lines": [{"x": [0.0] * 10**6}]}]},
        "deep nesting": {**valid, "axes": deep},
        "an object": {**valid, "label": object()},
        "booleans for numbers": {**valid, "axes": [{**valid["axes"][0], "lines": [
            {**line, "x": [True] * len(line["x"])} for line in valid["axes"][0]["lines"]]}]},
    }


def test_hostile_summaries_never_raise(plan: Plan, reference_outcomes: list[Outcome], tmp_path: Path) -> None:
    i = next(i for i, c in enumerate(plan.calls) if c.function == "plot_log_penalty")
    valid = reference_outcomes[i].value.data
    saver = figure_files.FigureSaver(plan, tmp_path)
    for name, bad in _hostile_values(valid).items():
        outcomes = list(reference_outcomes)
        for j, c in enumerate(plan.calls):
            if c.module == "plots":
                outcomes[j] = Outcome(ok=True, value=FigureSummary(bad))
        result = score(plan, outcomes, student_id="mallory")
        files = saver.save("mallory", outcomes, result)
        assert len(files) == 4, name
        assert all(f.note and not f.link for f in files), (name, files)
    assert not (tmp_path / "mallory").exists()


def test_unusable_input_gives_no_figures_and_no_error(plan: Plan, reference_outcomes: list[Outcome],
                                                      tmp_path: Path) -> None:
    result = score(plan, reference_outcomes, student_id="x")
    saver = figure_files.FigureSaver(plan, tmp_path)
    assert saver.save("x", None, result) == []
    assert saver.save("x", reference_outcomes[:3], result) == []
    broken = saver.save("x", reference_outcomes, None)  # type: ignore[arg-type]
    assert len(broken) == 1 and "could not be saved" in broken[0].note


def test_hidden_figures_are_not_drawn_unless_hidden_inputs_are_shown(plan: Plan) -> None:
    # A figure drawn from a hidden test's inputs would show those inputs.
    assert plan.course.show_hidden_inputs is False
    saver = figure_files.FigureSaver(plan, Path("unused"))
    assert set(saver.tests) == set(figure_files.plot_functions(plan))
    assert all(t.public for tests in saver.tests.values() for _, t in tests)

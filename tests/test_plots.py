"""The plot exercises: figures graded from their own data.

A temporary course (the real course.yml plus a ``plots`` module) is graded
in-process: the reference must score full marks, the stubs zero, every wrong
plot in the catalogue must lose points on its own function only, every
correct-but-different drawing must keep full marks, and hostile figure data
must fail cleanly.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
import yaml

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from grader import wire  # noqa: E402
from grader.checks import judge  # noqa: E402
from grader.config import load_course  # noqa: E402
from grader.execute import Outcome  # noqa: E402
from grader.figure_summary import MAX_ARTISTS, MAX_POINTS, MAX_TOTAL_POINTS, summarise  # noqa: E402
from grader.figures import FigureDataError, check_figure  # noqa: E402
from grader.figures_png import render_png  # noqa: E402
from grader.plan import Plan, build_plan, load_solution_module, run_calls  # noqa: E402
from grader.scoring import StudentResult, score  # noqa: E402
from grader.stubgen import stub_source  # noqa: E402
from grader.wire import FigureSummary  # noqa: E402

POINTS = {"plot_log_penalty": 3, "plot_fit": 4, "plot_loss_curve": 5, "plot_descent_path": 4}
PNG = b"\x89PNG\r\n\x1a\n"

# The solutions import matplotlib inside each plot function; a replacement written at
# module level needs the name there.
WITH_FIGURE = "from matplotlib.figure import Figure\n"


@pytest.fixture(scope="module")
def plot_plan(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The real course plus a ``plots`` module, in a temporary folder."""
    tmp = tmp_path_factory.mktemp("plot_course")
    data = yaml.safe_load((root / "course.yml").read_text(encoding="utf-8"))
    data["assignments"]["ps1"]["modules"]["plots"] = dict(POINTS)
    (tmp / "course.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    shutil.copytree(root / "solutions", tmp / "solutions")
    return build_plan(load_course(tmp / "course.yml"), with_mistakes=False)


@pytest.fixture(scope="module")
def reference(plot_plan: Plan) -> dict[str, Any]:
    return {m: load_solution_module(plot_plan.course.root, m) for m in plot_plan.course.modules}


def grade(plan: Plan, reference: dict[str, Any], source: str | None = None) -> StudentResult:
    """Score the reference, with ``plots`` functions replaced by ``source`` if given.

    Also checks that grading left no pyplot figure open.
    """
    modules = dict(reference)
    if source is not None:
        modules["plots"] = load_solution_module(plan.course.root, "plots", replace=WITH_FIGURE + source)
    open_before = plt.get_fignums()
    result = score(plan, run_calls(modules, plan.calls))
    assert plt.get_fignums() == open_before, "a figure was left open"
    return result


def earned(result: StudentResult) -> dict[str, float]:
    return {f.function: f.earned for f in result.functions}


def failures(result: StudentResult, function: str) -> str:
    return "\n".join(t.reason for t in result.tests if t.function == function and not t.passed)


# --------------------------------------------------------------------------- (a), (b)


def test_reference_scores_full_marks(plot_plan: Plan, reference: dict[str, Any]) -> None:
    result = grade(plot_plan, reference)
    assert result.total == result.max_total, [t.message() for t in result.tests if not t.passed]
    assert len([t for t in plot_plan.tests if t.function.startswith("plots.")]) == 8
    assert all(t.check == "figure" for t in plot_plan.tests if t.function.startswith("plots."))


def test_reference_outcomes_are_plain_summaries(plot_plan: Plan) -> None:
    for call, outcome in zip(plot_plan.calls, plot_plan.expected, strict=True):
        if call.module == "plots":
            assert type(outcome.value) is FigureSummary
            json.dumps(wire.encode(outcome.value), allow_nan=False)


def test_stubs_score_zero_on_plots_only(plot_plan: Plan, reference: dict[str, Any]) -> None:
    stub = stub_source((plot_plan.course.root / "solutions" / "plots.py").read_text(encoding="utf-8"))
    assert stub.count("raise NotImplementedError") == 4 and "set_label" not in stub
    result = grade(plot_plan, reference, stub)
    for function, points in earned(result).items():
        assert points == (0 if function.startswith("plots.") else plot_plan.course.points[function])
    assert {f.status for f in result.functions if f.function.startswith("plots.")} == {"not started"}


# --------------------------------------------------------------------------- (c) wrong plots

WRONG: dict[str, tuple[str, str, str]] = {
    # name: (function, replacement source, words the failure reason must contain)
    "natural log when another base was asked": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.001, 1, 200)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p)); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "wrong base"),
    "log without the minus sign": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.001, 1, 200)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, np.log(p) / np.log(base)); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "goes down"),
    "log penalty with unlabelled axes": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.001, 1, 200)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base))
    return fig
''', "no label"),
    "log penalty with too few samples": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.01, 1, 20)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base)); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "too few samples"),
    "log penalty that stops far from 0": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.2, 1, 100)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base)); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "close to p = 0"),
    "log penalty past p = 1": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.001, 2, 200)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base)); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "(0, 1]"),
    "log penalty as separate points": ("plot_log_penalty", '''
def plot_log_penalty(base=2):
    p = np.linspace(0.001, 1, 200)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base), "o"); ax.set_xlabel("p"); ax.set_ylabel("penalty")
    return fig
''', "separate points"),
    "fit line with a and b swapped": ("plot_fit", '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.scatter(x, y); ax.plot(x, b * x + a); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "no line follows"),
    "fit line from least squares instead of the given a and b": ("plot_fit", '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    slope, icept = np.polyfit(x, y, 1)
    fig = Figure(); ax = fig.add_subplot()
    ax.scatter(x, y); ax.axline((0, icept), slope=slope); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "no line follows"),
    "data drawn as a line (zig-zag over unsorted x)": ("plot_fit", '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(x, y); ax.axline((0, b), slope=a); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "drawn as a line"),
    "data drawn with markers but joined": ("plot_fit", '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(x, y, "o-"); ax.axline((0, b), slope=a); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "joined by a line"),
    "fit line over part of the data only": ("plot_fit", '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.scatter(x, y); ax.plot(x[:2], a * x[:2] + b); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "does not span"),
    "fit without the data": ("plot_fit", '''
def plot_fit(x, y, a, b):
    fig = Figure(); ax = fig.add_subplot()
    ax.axline((0, b), slope=a); ax.set_xlabel("x"); ax.set_ylabel("y")
    return fig
''', "not every data point"),
    "fit with unlabelled axes": ("plot_fit", '''
def plot_fit(x, y, a, b):
    fig = Figure(); ax = fig.add_subplot()
    ax.scatter(x, y); ax.axline((0, b), slope=a); ax.set_xlabel("x")
    return fig
''', "the y axis has no label"),
    "loss curve on uncentred data": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    a = np.sort(np.asarray(a_values, dtype=float))
    loss = [np.sum((y - s * x) ** 2) for s in a]
    xc, yc = x - x.mean(), y - y.mean()
    best = np.sum(xc * yc) / np.sum(xc * xc)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, loss); ax.axvline(best)
    return fig
''', "no line shows L(a)"),
    "loss curve with the mean instead of the sum": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.sort(np.asarray(a_values, dtype=float))
    loss = [np.mean((yc - s * xc) ** 2) for s in a]
    best = np.sum(xc * yc) / np.sum(xc * xc)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, loss); ax.axvline(best)
    return fig
''', "no line shows L(a)"),
    "minimum marked at the best sampled a": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.sort(np.asarray(a_values, dtype=float))
    loss = np.array([np.sum((yc - s * xc) ** 2) for s in a])
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, loss); ax.plot(a[np.argmin(loss)], loss.min(), "o")
    return fig
''', "best of the given a values"),
    "minimum marked at the uncentred slope": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.sort(np.asarray(a_values, dtype=float))
    loss = np.array([np.sum((yc - s * xc) ** 2) for s in a])
    best = np.sum(x * y) / np.sum(x * x)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, loss); ax.plot([best], [np.sum((yc - best * xc) ** 2)], "o")
    return fig
''', "not marked"),
    "loss curve without the minimum": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.sort(np.asarray(a_values, dtype=float))
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, [np.sum((yc - s * xc) ** 2) for s in a])
    return fig
''', "not marked"),
    "loss values as separate points": ("plot_loss_curve", '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.asarray(a_values, dtype=float)
    best = np.sum(xc * yc) / np.sum(xc * xc)
    fig = Figure(); ax = fig.add_subplot()
    ax.scatter(a, [np.sum((yc - s * xc) ** 2) for s in a]); ax.axvline(best)
    return fig
''', "separate points"),
    "descent path without contours": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(t[:, 0], t[:, 1], "o-")
    return fig
''', "no contour lines"),
    "contours of another function": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-4, 4, 41); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, X ** 2 + 2 * Y ** 2); ax.plot(t[:, 0], t[:, 1], "o-")
    return fig
''', "not those of"),
    "contours of the norm instead of its square": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-4, 4, 41); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, np.sqrt(X ** 2 + Y ** 2)); ax.plot(t[:, 0], t[:, 1], "o-")
    return fig
''', "not those of"),
    "contours that miss part of the path": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-1, 1, 21); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, X ** 2 + Y ** 2); ax.plot(t[:, 0], t[:, 1], "o-")
    return fig
''', "do not cover"),
    "path as separate points": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-3, 3, 31); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, X ** 2 + Y ** 2); ax.scatter(t[:, 0], t[:, 1])
    return fig
''', "not joined"),
    "path joined in the order of x0": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    t = t[np.argsort(t[:, 0])]
    g = np.linspace(-3, 3, 31); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, X ** 2 + Y ** 2); ax.plot(t[:, 0], t[:, 1], "o-")
    return fig
''', "wrong order"),
    "path with x0 and x1 swapped": ("plot_descent_path", '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-3, 3, 31); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contour(X, Y, X ** 2 + Y ** 2); ax.plot(t[:, 1], t[:, 0], "o-")
    return fig
''', "no line shows the trajectory"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_plot_loses_points_on_its_own_function(name: str, plot_plan: Plan,
                                                     reference: dict[str, Any]) -> None:
    function, source, words = WRONG[name]
    result = grade(plot_plan, reference, source)
    qualname = f"plots.{function}"
    for fn, got in earned(result).items():
        if fn == qualname:
            assert got < plot_plan.course.points[fn], f"{name}: kept full marks"
        else:
            assert got == plot_plan.course.points[fn], f"{name}: cost points on {fn}"
    assert words in failures(result, qualname), failures(result, qualname)


# --------------------------------------------------------------------------- (d) variants

VARIANTS: dict[str, str] = {
    "log penalty: pyplot, log2, dense linspace, title, grid, legend": '''
def plot_log_penalty(base=2):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    p = np.linspace(1e-4, 1, 2000)
    y = np.log2(p) if base == 2 else np.log(p) / np.log(base)
    ax.plot(p, -y, label="penalty", color="k", linestyle="--")
    ax.set_xlabel("p"); ax.set_ylabel("loss"); ax.set_title("Log loss"); ax.grid(True); ax.legend()
    return fig
''',
    "log penalty: pyplot's state machine (plt.plot, plt.gcf)": '''
def plot_log_penalty(base=2):
    import matplotlib.pyplot as plt
    plt.figure()
    p = np.linspace(0.001, 1, 300)
    plt.plot(p, -np.log(p) / np.log(base)); plt.xlabel("p"); plt.ylabel("penalty")
    return plt.gcf()
''',
    "log penalty: p from 0 (infinite first value), log x axis, extra lines": '''
def plot_log_penalty(base=2):
    p = np.linspace(0, 1, 101)
    with np.errstate(divide="ignore"):
        y = -np.log(p) / np.log(base)
    fig = Figure(); ax = fig.add_subplot()
    ax.axhline(0, color="grey"); ax.plot(p, y); ax.set_xscale("log")
    ax.annotate("steep", (0.02, 5)); ax.set_xlabel("p"); ax.set_ylabel("-log p")
    return fig
''',
    "fit: plot 'o' and axline by slope, line first": '''
def plot_fit(x, y, a, b):
    fig = Figure(); ax = fig.add_subplot()
    ax.axline((0, b), slope=a, color="r"); ax.plot(x, y, "o", label="data")
    ax.set_xlabel("x"); ax.set_ylabel("y"); ax.legend(); ax.grid()
    return fig
''',
    "fit: scatter and the line at the unsorted x values": '''
def plot_fit(x, y, a, b):
    x = np.asarray(x, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(x, a * x + b); ax.scatter(x, y, marker="x", c="k")
    ax.set_xlabel("feature"); ax.set_ylabel("target"); ax.set_title("fit")
    return fig
''',
    "fit: pyplot, dense line past the data, axline through two points too": '''
def plot_fit(x, y, a, b):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    x = np.asarray(x, dtype=float)
    grid = np.linspace(x.min() - 1, x.max() + 1, 300)
    ax.plot(grid, a * grid + b); ax.axline((1, a + b), (2, 2 * a + b), alpha=0.3)
    ax.scatter(x, y); ax.set_xlabel("x"); ax.set_ylabel("y")
    ax.annotate("data", (x[0], y[0]))
    return fig
''',
    "fit: two subplots, the picture in the second": '''
def plot_fit(x, y, a, b):
    import matplotlib.pyplot as plt
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    fig, (left, right) = plt.subplots(1, 2)
    left.hist(y - (a * x + b)); left.set_xlabel("residual")
    right.plot(x, y, linestyle="none", marker="s"); right.axline((0, b), slope=a)
    right.set_xlabel("x"); right.set_ylabel("y")
    return fig
''',
    "loss: unsorted a values as given, axvline at the minimum": '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a_values, [np.sum((yc - s * xc) ** 2) for s in a_values], "o-")
    ax.axvline(np.sum(xc * yc) / np.sum(xc ** 2), color="r", linestyle=":")
    return fig
''',
    "loss: pyplot, scatter at the minimum, the minimum added to the curve": '''
def plot_loss_curve(x, y, a_values):
    import matplotlib.pyplot as plt
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    best = np.sum(xc * yc) / np.sum(xc ** 2)
    a = np.sort(np.append(np.asarray(a_values, dtype=float), best))
    loss = np.array([np.sum((yc - s * xc) ** 2) for s in a])
    fig, ax = plt.subplots()
    ax.scatter([best], [np.sum((yc - best * xc) ** 2)], s=50, zorder=3)
    ax.plot(a, loss); ax.legend(["minimum", "L"]); ax.set_title("loss")
    return fig
''',
    "loss: vlines and a vertical line drawn with plot": '''
def plot_loss_curve(x, y, a_values):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    xc, yc = x - x.mean(), y - y.mean()
    a = np.sort(np.asarray(a_values, dtype=float))
    loss = np.array([np.sum((yc - s * xc) ** 2) for s in a])
    best = np.sum(xc * yc) / np.sum(xc ** 2)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(a, loss); ax.vlines(best, 0, loss.max(), colors="g")
    ax.plot([best, best], [0, loss.max()], "k--")
    return fig
''',
    "descent: contourf and contour, path with markers and arrows": '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)
    g = np.linspace(-3, 3, 61); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contourf(X, Y, X ** 2 + Y ** 2, levels=12, cmap="Blues")
    ax.contour(X, Y, X ** 2 + Y ** 2, levels=12, colors="k")
    ax.plot(t[:, 0], t[:, 1], marker="o", color="r")
    for p, q in zip(t[:-1], t[1:]):
        ax.annotate("", q, p, arrowprops={"arrowstyle": "->"})
    return fig
''',
    "descent: filled contours only, extended bands, path reversed": '''
def plot_descent_path(trajectory):
    t = np.asarray(trajectory, dtype=float)[::-1]
    g = np.linspace(-3, 3, 31); X, Y = np.meshgrid(g, g)
    fig = Figure(); ax = fig.add_subplot()
    ax.contourf(X, Y, X ** 2 + Y ** 2, levels=[1, 2, 4, 8], extend="both")
    ax.plot(t[:, 0], t[:, 1])
    return fig
''',
    "descent: pyplot, colorbar, coarse asymmetric grid, scatter too": '''
def plot_descent_path(trajectory):
    import matplotlib.pyplot as plt
    t = np.asarray(trajectory, dtype=float)
    lo, hi = t.min(axis=0) - 0.3, t.max(axis=0) + 0.3
    X, Y = np.meshgrid(np.linspace(lo[0], hi[0], 15), np.linspace(lo[1], hi[1], 12))
    fig, ax = plt.subplots()
    cs = ax.contour(X, Y, X ** 2 + Y ** 2, levels=[0.5, 1, 2, 4, 6, 8])
    fig.colorbar(cs); ax.clabel(cs)
    ax.scatter(t[:, 0], t[:, 1], c=np.arange(len(t))); ax.plot(t[:, 0], t[:, 1], "-")
    ax.set_aspect("equal"); ax.set_title("descent")
    return fig
''',
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_correct_variant_keeps_full_marks(name: str, plot_plan: Plan, reference: dict[str, Any]) -> None:
    result = grade(plot_plan, reference, VARIANTS[name])
    assert result.total == result.max_total, [t.message() for t in result.tests if not t.passed]


# --------------------------------------------------------------------------- (e) not a Figure

NOT_A_FIGURE = {
    "the Axes": ("return ax", "returned an Axes"),
    "None": ("return None", "returned None"),
    "a tuple (fig, ax)": ("return fig, ax", "returned a tuple"),
    "a number": ("return 42", "returned 42, not a matplotlib Figure"),
    "a string": ("return 'fig'", "not a matplotlib Figure"),
}


@pytest.mark.parametrize("name", list(NOT_A_FIGURE))
def test_not_a_figure_gets_a_clear_message(name: str, plot_plan: Plan, reference: dict[str, Any]) -> None:
    ret, words = NOT_A_FIGURE[name]
    source = f'''
def plot_fit(x, y, a, b):
    fig = Figure(); ax = fig.add_subplot(); ax.scatter(x, y)
    {ret}
'''
    result = grade(plot_plan, reference, source)
    fit = [t for t in result.tests if t.function == "plots.plot_fit"]
    assert fit and all(t.kind == "wrong type" for t in fit), [t.reason for t in fit]
    public = [t for t in fit if t.public]  # hidden tests show only the kind, in fixed words
    assert public and all(words in t.reason for t in public), [t.reason for t in public]
    assert all("not a matplotlib Figure" in t.reason for t in fit if not t.public)
    assert earned(result)["plots.plot_fit"] == 0


def test_a_figure_object_handed_over_in_process_is_summarised(plot_plan: Plan, reference: dict[str, Any]) -> None:
    i = next(i for i, c in enumerate(plot_plan.calls) if c.function == "plot_log_penalty")
    fig = reference["plots"].plot_log_penalty()
    assert check_figure(fig, plot_plan.expected[i].value).passed


def test_wire_round_trip_of_non_figures_is_judged_too(plot_plan: Plan) -> None:
    i = next(i for i, c in enumerate(plot_plan.calls) if c.function == "plot_fit")
    fig = Figure()
    ax = fig.add_subplot()
    for value, words in ((ax, "returned an Axes"), ({"$figure": 1}, "not a matplotlib Figure")):
        decoded = wire.loads(wire.dumps(value))
        verdict = judge("figure", (), plot_plan.expected[i], Outcome(ok=True, value=decoded), 0, 0)
        assert not verdict.passed and words in verdict.reason


# --------------------------------------------------------------------------- (f) closing


def test_pyplot_figures_are_closed_after_grading(plot_plan: Plan, reference: dict[str, Any]) -> None:
    """(Every grading in this file also checks this, in ``grade``.)"""
    with_pyplot = [source for source in VARIANTS.values() if "plt.subplots" in source]
    assert len(with_pyplot) >= 4
    before = plt.get_fignums()
    opened = 0
    for source in with_pyplot:
        mod = load_solution_module(plot_plan.course.root, "plots", replace=source)
        calls = [c for c in plot_plan.calls if c.module == "plots"]
        figs = [getattr(mod, c.function)(*c.args, **dict(c.kwargs)) for c in calls
                if c.function in source]
        opened += len(plt.get_fignums()) - len(before)
        for fig in figs:
            wire.encode(fig)
        assert plt.get_fignums() == before
        grade(plot_plan, reference, source)
    assert opened >= 8  # the variants really did open pyplot figures


def test_summarise_closes_pyplot_figures() -> None:
    before = plt.get_fignums()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    assert len(plt.get_fignums()) == len(before) + 1
    summarise(fig)
    assert plt.get_fignums() == before


# --------------------------------------------------------------------------- (g) wire, hostile data


def test_summary_survives_the_wire(plot_plan: Plan, reference: dict[str, Any]) -> None:
    mod = reference["plots"]
    for i, call in enumerate(plot_plan.calls):
        if call.module != "plots":
            continue
        fig = getattr(mod, call.function)(*call.args, **dict(call.kwargs))
        raw = wire.dumps(fig)
        value = wire.loads(raw)
        assert value == plot_plan.expected[i].value
        verdict = judge("figure", call.args, plot_plan.expected[i], Outcome(ok=True, value=value), 0, 0)
        assert verdict.passed, verdict.reason


def test_summary_is_capped() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    for k in range(MAX_ARTISTS + 10):
        ax.plot(np.arange(50_000), np.arange(50_000) * k)
    ax.scatter(np.arange(10_000), np.arange(10_000))
    ax.vlines(np.arange(500), 0, 1)
    summary = summarise(fig)
    lines = summary["axes"][0]["lines"]
    assert len(lines) == MAX_ARTISTS and summary["truncated"]
    assert all(len(ln["x"]) <= MAX_POINTS and set(ln) == {"kind", "x", "y", "joined", "markers"}
               for ln in lines)  # no counts or extents: the trusted side measures them
    assert sum(len(ln["x"]) for ln in lines) <= MAX_TOTAL_POINTS
    assert len(json.dumps(summary)) < 150_000
    assert lines[0]["x"][0] == 0 and lines[0]["x"][-1] == 49_999  # the ends are always kept


def test_unreadable_artists_are_skipped_and_unreadable_figures_flagged(plot_plan: Plan) -> None:
    from matplotlib.lines import Line2D

    class Broken(Line2D):
        def get_xydata(self):  # type: ignore[no-untyped-def]
            raise RuntimeError("no")

    fig = Figure()
    ax = fig.add_subplot()
    ax.add_line(Broken([0, 1], [0, 1]))
    ax.plot([0, 1], [1, 0])
    summary = summarise(fig)
    assert summary["skipped"] == 1 and len(summary["axes"][0]["lines"]) == 1

    fig = Figure()
    fig.get_axes = lambda: 1 / 0  # type: ignore[method-assign]
    summary = summarise(fig)
    assert summary["error"]
    i = next(i for i, c in enumerate(plot_plan.calls) if c.function == "plot_fit")
    verdict = check_figure(FigureSummary(summary), plot_plan.expected[i].value)
    assert not verdict.passed and verdict.kind == "error"


def _hostile(valid: dict[str, Any]) -> dict[str, Any]:
    """Malformed variants of a valid summary, each breaking one rule."""
    def edit(path: list[Any], value: Any) -> dict[str, Any]:
        out = json.loads(json.dumps(valid))
        node = out
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return out

    line = ["axes", 0, "lines", 0]
    big_line = {**valid["axes"][0]["lines"][0], "x": [0.5] * MAX_POINTS, "y": [1.0] * MAX_POINTS}
    return {
        "not a dict": [1, 2, 3],
        "no version": {k: v for k, v in valid.items() if k != "v"},
        "axes not a list": edit(["axes"], "axes"),
        "too many axes": edit(["axes"], valid["axes"] * 10),
        "label not text": edit(["axes", 0, "xlabel"], 5),
        "label too long": edit(["axes", 0, "xlabel"], "x" * 10_000),
        "numbers as text": edit([*line, "x"], ["1"] * len(valid["axes"][0]["lines"][0]["x"])),
        "booleans as numbers": edit([*line, "y"], [True] * len(valid["axes"][0]["lines"][0]["y"])),
        "NaN": edit([*line, "x"], [float("nan")] * len(valid["axes"][0]["lines"][0]["x"])),
        "infinity": edit([*line, "y"], [float("inf")] * len(valid["axes"][0]["lines"][0]["y"])),
        "huge integer": edit([*line, "x"], [10**400] * len(valid["axes"][0]["lines"][0]["x"])),
        "huge list": edit([*line, "x"], [0.0] * 1_000_000),
        "x and y differ in length": edit([*line, "x"], [0.0]),
        "unknown line kind": edit([*line, "kind"], "spline"),
        "nested lists": edit([*line, "x"], [[0.0, 1.0]]),
        "joined not a bool": edit([*line, "joined"], "yes"),
        "too many artists": edit(["axes", 0, "lines"], valid["axes"][0]["lines"] * (MAX_ARTISTS + 1)),
        "too many points in all": edit(["axes", 0, "lines"], [big_line] * 20),
        "missing key": edit(["axes", 0], {"xlabel": "x"}),
        "unknown scale": edit(["axes", 0, "xscale"], "<script>"),
        "aspect as text": edit(["axes", 0, "aspect"], "equal"),
        "negative aspect": edit(["axes", 0, "aspect"], -1.0),
        "None for a line": edit(["axes", 0, "lines"], [None]),
    }


def test_hostile_summaries_fail_cleanly(plot_plan: Plan) -> None:
    i = next(i for i, c in enumerate(plot_plan.calls) if c.function == "plot_log_penalty")
    expected = plot_plan.expected[i].value
    valid = expected.data
    assert check_figure(expected, expected).passed
    for name, bad in _hostile(valid).items():
        verdict = check_figure(FigureSummary(bad), expected)
        assert not verdict.passed and verdict.kind == "wrong type", name
        assert "malformed" in verdict.reason, name
        with pytest.raises(FigureDataError):
            render_png(bad)
    for value in ({"$figure": valid, "extra": 1}, {"figure": valid}, [expected], "x"):
        assert not check_figure(value, expected).passed


def test_hostile_json_through_the_wire_fails_cleanly(plot_plan: Plan) -> None:
    i = next(i for i, c in enumerate(plot_plan.calls) if c.function == "plot_log_penalty")
    expected = plot_plan.expected[i].value
    valid = json.dumps(expected.data)
    raws = [
        b'{"$figure": {"v": 1, "label": "", "axes": [{"xlabel": NaN}]}}',
        ('{"$figure": ' + valid.replace('"x": [', '"x": [NaN, ', 1) + "}").encode(),
        ('{"$figure": ' + valid.replace('"x": [', '"x": [Infinity, ', 1) + "}").encode(),
        b'{"$figure": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ]
    for raw in raws:
        try:
            value = wire.loads(raw)
        except wire.WireError:
            continue
        assert not check_figure(value, expected).passed


def _numbers_in(node: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every number in a summary."""
    found: list[tuple[Any, Any]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        if type(value) in (int, float) and key != "v":
            found.append((node, key))
        else:
            found.extend(_numbers_in(value))
    return found


def test_odd_but_valid_numbers_never_crash_the_check(plot_plan: Plan) -> None:
    """Structurally valid summaries with extreme numbers: a verdict (or FigureDataError), never a crash."""
    rng = np.random.default_rng(7)
    extremes = [0.0, -0.0, 1e308, -1e308, 1e-308, 5e-324, 1.0, -1.0, 2**53, 0.5]
    cases = [(c, o.value) for c, o in zip(plot_plan.calls, plot_plan.expected, strict=True) if c.module == "plots"]
    checked = 0
    for _, expected in cases:
        for _ in range(40):
            bad = json.loads(json.dumps(expected.data))
            slots = _numbers_in(bad)
            for k in rng.choice(len(slots), size=min(len(slots), 25), replace=False):
                node, key = slots[k]
                node[key] = float(rng.choice(extremes)) if type(node[key]) is float else int(node[key])
            for ax in bad["axes"]:
                for ln in ax["lines"]:
                    if rng.random() < 0.2:  # points left out by the caps
                        ln["x"], ln["y"] = [], []
            try:
                verdict = check_figure(FigureSummary(bad), expected)
            except Exception as exc:  # pragma: no cover - the failure message is the point
                raise AssertionError(f"check_figure raised {exc!r}") from exc
            assert isinstance(verdict.passed, bool)
            checked += 1
    assert checked == 40 * len(cases)
    bad = json.loads(json.dumps(cases[0][1].data))
    for node, key in _numbers_in(bad):
        if type(node[key]) is float:
            node[key] = 1e308
    try:
        assert render_png(bad).startswith(PNG)
    except FigureDataError:
        pass


# --------------------------------------------------------------------------- PNG, timing


def test_render_png_of_reference_and_empty_figures(plot_plan: Plan) -> None:
    for call, outcome in zip(plot_plan.calls, plot_plan.expected, strict=True):
        if call.module == "plots":
            png = render_png(outcome.value.data, dpi=40)
            assert png.startswith(PNG) and len(png) > 500
    assert render_png(summarise(Figure())).startswith(PNG)
    broken = {"v": 1, "label": "", "axes": [], "error": "the figure could not be read"}
    assert render_png(broken).startswith(PNG)
    with pytest.raises(FigureDataError):
        render_png(summarise(Figure()), dpi=10_000)


def test_summarise_is_fast(plot_plan: Plan, reference: dict[str, Any]) -> None:
    """Summaries never render: well under the cost of drawing the figure itself."""
    mod = reference["plots"]
    for call in plot_plan.calls:
        if call.module != "plots":
            continue
        figs = [getattr(mod, call.function)(*call.args, **dict(call.kwargs)) for _ in range(3)]
        start = time.perf_counter()
        for fig in figs:
            summarise(fig)
        assert (time.perf_counter() - start) / len(figs) < 0.02, call.function

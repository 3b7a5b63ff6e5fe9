"""What each figure of ``plots.py`` must show: the module's figure checks.

Each check reads the numbers it needs (the log base, the data, the slope, the
trajectory) off the reference figure, whose label names its exercise, and
returns its requirements: a requirement takes an :class:`~grader.figures.Axes`
of the student's figure and returns None, or the reason it fails. Colours,
styles, legends, titles and extra artists never matter.

This file holds no test inputs, so the student copy ships it (beside
``figures.py``) for the public plot tests; the hidden suite is ``test_plots.py``.
"""

from __future__ import annotations

import numpy as np

from grader.figures import (  # the toolkit of figure checks
    CONTOUR_TOL,
    COVER_TOL,
    MIN_CURVE_SAMPLES,
    NEAR_ONE_P,
    NEAR_ZERO_P,
    POSITION_TOL,
    Axes,
    Contour,
    Line,
    Requirement,
    _labelled,
    _matched,
    _reference_line,
    _same_set,
    _span,
)
from grader.verdict import _, t

# ----- plot_log_penalty: -log_base(p) for p in (0, 1]


def _log_penalty(ref: Axes) -> list[Requirement]:
    line = _reference_line(ref)
    inside = (line.x > 0) & (line.x < 0.9)
    k = float(np.median(line.y[inside] / -np.log(line.x[inside])))  # 1 / ln(base)

    def follows(ln: Line, factor: float) -> bool:
        if not len(ln.x) or np.any(ln.x <= 0):
            return False
        want = -factor * np.log(ln.x)
        return bool(np.all(np.abs(ln.y - want) <= POSITION_TOL * np.maximum(1.0, np.abs(want))))

    def log_shaped(ln: Line) -> float | None:
        """The factor c if the line is y = -c ln p for some c other than k."""
        ok = (ln.x > 0) & (np.abs(ln.x - 1) > 0.1)
        if ok.sum() < 2:
            return None
        c = float(np.median(ln.y[ok] / -np.log(ln.x[ok])))
        return c if follows(ln, c) else None

    def curve(ax: Axes) -> str | None:
        lines = ax.joined_lines("data")
        on = [ln for ln in lines if follows(ln, k)]
        if not on:
            shapes = [log_shaped(ln) for ln in lines]
            if any(c is not None and c < 0 for c in shapes):
                return _("the curve goes down instead of up: the penalty is minus the logarithm")
            if any(c is not None for c in shapes):
                return _("the curve has the shape of a logarithm but in the wrong base")
            if any(s.n and follows(s, k) for s in ax.scatters + [ln for ln in ax.lines if ln.markers]):
                return _("the penalty is drawn as separate points; join them into a curve")
            return _("no line shows the penalty -log(p) in the requested base")
        best = max(on, key=lambda ln: ln.n)
        lo, hi = (best.bbox[0], best.bbox[1]) if best.bbox else (0.0, 0.0)
        if lo <= 0 or hi > 1 + 1e-9:
            return _("p is a probability: draw the curve only for p in (0, 1]")
        if lo > NEAR_ZERO_P:
            return _("the curve does not reach close to p = 0, where the penalty rises steeply")
        if hi < NEAR_ONE_P:
            return _("the curve does not reach p = 1")
        if best.n < MIN_CURVE_SAMPLES:
            return t("the curve has too few samples (use at least {n} values of p)", n=MIN_CURVE_SAMPLES)
        return None

    return [curve, _labelled]


# ----- plot_fit: the data as points and the line y = a x + b across the data


def _fit(ref: Axes) -> list[Requirement]:
    data = ref.scatters[0].xy
    line = _reference_line(ref)
    (x1, x2), (y1, y2) = line.x[[0, -1]], line.y[[0, -1]]
    a = (y2 - y1) / (x2 - x1)
    b = y1 - a * x1
    xs = data[:, 0]
    tol_x = POSITION_TOL * _span(xs)
    tol_y = POSITION_TOL * _span(data[:, 1], a * xs + b)
    cover = COVER_TOL * _span(xs)

    def joins_data(ax: Axes) -> bool:
        return any(_same_set(data, ln.xy, tol_x, tol_y) for ln in ax.joined_lines("data"))

    def points(ax: Axes) -> str | None:
        if _matched(data, ax.marker_points(), tol_x, tol_y).all():
            return None
        if joins_data(ax):
            return _("the data is drawn as a line; draw it as separate points (scatter, or a marker such as 'o')")
        return _("not every data point is drawn as a point (scatter, or a marker such as 'o')")

    def not_joined(ax: Axes) -> str | None:
        if _matched(data, ax.marker_points(), tol_x, tol_y).all() and joins_data(ax):
            return _("the data points are joined by a line; show them as separate points")
        return None  # (without the points, ``points`` already says what is wrong)

    def on_line(ln: Line) -> bool:
        return bool(np.all(np.abs(ln.y - (a * ln.x + b)) <= tol_y)) and float(np.ptp(ln.x)) > 0

    def model(ax: Axes) -> str | None:
        lines = ax.joined_lines("data", "segment", "axline")
        on = [ln for ln in lines if on_line(ln)]
        for ln in on:
            if ln.kind == "axline":
                return None
            if ln.bbox and ln.bbox[0] <= xs.min() + cover and ln.bbox[1] >= xs.max() - cover:
                return None
        if on:
            return _("the line y = a*x + b does not span the data's x range")
        return _("no line follows y = a*x + b for the given a and b")

    return [points, not_joined, model, _labelled]


# ----- plot_loss_curve: L(a) on centred data at the given a values, minimiser marked


def _loss_curve(ref: Axes) -> list[Requirement]:
    curve_ref = _reference_line(ref).xy
    best = [ln for ln in ref.lines if ln.markers and not ln.joined and ln.n == 1][0].xy[0]
    a_star, l_star = float(best[0]), float(best[1])
    tol_a = POSITION_TOL * _span(curve_ref[:, 0], np.array([a_star]))
    tol_l = POSITION_TOL * _span(curve_ref[:, 1], np.array([l_star]))
    quadratic = np.polyfit(curve_ref[:, 0], curve_ref[:, 1], 2) if len(curve_ref) >= 3 else None
    a_grid_best = float(curve_ref[np.argmin(curve_ref[:, 1]), 0])

    def is_curve(ln: Line) -> bool:
        if not _matched(curve_ref, ln.xy, tol_a, tol_l).all():
            return False
        if quadratic is None:
            return _same_set(curve_ref, ln.xy, tol_a, tol_l)
        return bool(np.all(np.abs(np.polyval(quadratic, ln.x) - ln.y) <= tol_l))

    def curve(ax: Axes) -> str | None:
        lines = ax.joined_lines("data")
        if any(is_curve(ln) for ln in lines):
            return None
        if any(_matched(curve_ref, s.xy, tol_a, tol_l).all() for s in ax.scatters):
            return _("the loss values are drawn as separate points; join them into a curve")
        return _("no line shows L(a) at the given values of a (is the data centred first?)")

    def marks_x(ax: Axes) -> list[float]:
        """Where something marks a value of a: lone points and vertical lines."""
        lone = [s for s in ax.scatters + ax.lines if s.markers and not s.joined and s.n <= 3]
        xs = [float(v) for s in lone for v in s.x]
        for ln in ax.joined_lines("vline", "data", "segment"):
            if ln.kind == "vline" or (ln.n >= 2 and float(np.ptp(ln.x)) <= tol_a and float(np.ptp(ln.y)) > 0):
                xs.append(float(ln.x[0]))
        return xs

    def minimum(ax: Axes) -> str | None:
        if _matched(np.array([[a_star, l_star]]), ax.marker_points(), tol_a, tol_l).all():
            return None
        for ln in ax.joined_lines("vline", "data", "segment"):
            if ln.kind == "vline" or (ln.n >= 2 and float(np.ptp(ln.y)) > 0):
                if np.all(np.abs(ln.x - a_star) <= tol_a):
                    return None
        xs = np.array(marks_x(ax))
        if xs.size and np.any(np.abs(xs - a_grid_best) <= tol_a):
            return _("the minimum is marked at the best of the given a values, not at the exact "
                     "minimiser a = sum(x_c y_c) / sum(x_c ** 2)")
        return _("the minimising a is not marked (a point at (a, L(a)) or a vertical line at a, "
                 "with a = sum(x_c y_c) / sum(x_c ** 2))")

    return [curve, minimum]


# ----- plot_descent_path: contours of x0^2 + x1^2 and the trajectory joined in order


def _descent_path(ref: Axes) -> list[Requirement]:
    path = _reference_line(ref).xy
    tol = POSITION_TOL * max(_span(path[:, 0]), _span(path[:, 1]))
    cover = COVER_TOL * max(_span(path[:, 0]), _span(path[:, 1]))
    lo, hi = path.min(axis=0), path.max(axis=0)

    def same_path(ln: Line) -> bool:
        if ln.n != len(path):
            return False
        xy = ln.xy
        return bool(np.all(np.abs(xy - path) <= tol) or np.all(np.abs(xy[::-1] - path) <= tol))

    def trajectory(ax: Axes) -> str | None:
        lines = ax.joined_lines("data", "segment")
        if any(same_path(ln) for ln in lines):
            return None
        if any(_same_set(path, ln.xy, tol, tol) for ln in lines):
            return _("the trajectory's points are joined in the wrong order")
        if _matched(path, ax.marker_points(), tol, tol).all():
            return _("the trajectory's points are not joined by a line")
        return _("no line shows the trajectory")

    def right_function(cs: Contour) -> bool:
        if not cs.paths:
            return False
        known = [lv for lv in cs.paths if lv.lo is not None or lv.hi is not None]
        bounds = np.array([v for lv in known for v in (lv.lo, lv.hi) if v is not None])
        if not len(known) or not len(bounds):
            return False
        slack = CONTOUR_TOL * _span(bounds)
        for lv in known:
            f = lv.x**2 + lv.y**2
            if lv.lo is not None and np.any(f < lv.lo - slack):
                return False
            if lv.hi is not None and np.any(f > lv.hi + slack):
                return False
        return True

    def covers(cs: Contour) -> bool:
        b = cs.bbox
        return b is not None and b[0] <= lo[0] + cover and b[1] >= hi[0] - cover and \
            b[2] <= lo[1] + cover and b[3] >= hi[1] - cover

    def contours(ax: Axes) -> str | None:
        if not ax.contours:
            return _("no contour lines are drawn (use ax.contour)")
        right = [cs for cs in ax.contours if right_function(cs)]
        if not right:
            return _("the contour lines are not those of x0 ** 2 + x1 ** 2")
        if not any(covers(cs) for cs in right):
            return _("the contour lines do not cover the whole trajectory")
        return None

    return [trajectory, contours]


FIGURE_CHECKS = {
    "plot_log_penalty": _log_penalty,
    "plot_fit": _fit,
    "plot_loss_curve": _loss_curve,
    "plot_descent_path": _descent_path,
}

"""What the figure of ``plots_ps2.py`` must show: the module's figure check.

``plot_margin_losses`` draws the zero-one, hinge and logistic losses against
the margin m = y * score. The margin range is read off the reference figure
(whose label names the exercise) and the three losses are computed here from
their formulas: a line "follows" a loss when every one of its points lies on
it within tolerance, and must cover the range. Colours, styles, titles, extra
artists and the order of artists never matter. Legend labels are asked for in
the exercise but not checked: the figure summary does not carry them.

This file holds no test inputs, so the student copy ships it (beside
``figures.py``) for the public plot tests; the hidden suite is
``test_plots_ps2.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.figures import COVER_TOL, POSITION_TOL, Axes, Line, Requirement, _labelled, _span
from grader.verdict import _, t

STEP_GAP = 0.05  # the zero-one loss's jump: its last 1 and first 0 within this fraction of the range from m = 0
MIN_LOGISTIC_SAMPLES = 20  # points on the logistic curve (it bends; the other two are straight pieces)
MISSING = "missing"  # no line resembles the loss: the caller says which loss is missing
Loss = Callable[[np.ndarray], np.ndarray]


def _zero_one(m: np.ndarray) -> np.ndarray:
    return np.where(m < 0, 1.0, 0.0)


def _hinge(m: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - m)


def _logistic(m: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, -m)


def _margin_losses(ref: Axes) -> list[Requirement]:
    drawn = ref.joined_lines("data")
    xs = np.concatenate([ln.x for ln in drawn])
    lo, hi = float(xs.min()), float(xs.max())
    if not lo < 0 < hi:
        raise ValueError("the margins do not have both signs")
    ends = np.array([lo, hi])
    tol_x = POSITION_TOL * (hi - lo)
    tol_y = POSITION_TOL * _span(np.zeros(1), _hinge(ends), _logistic(ends))
    cover = COVER_TOL * (hi - lo)
    gap = STEP_GAP * (hi - lo)

    def candidates(ax: Axes) -> list[Line]:
        return ax.joined_lines("data", "segment")

    def on(ln: Line, f: np.ndarray) -> bool:
        return len(ln.x) >= 2 and bool(np.all(np.abs(ln.y - f) <= tol_y))

    def covers(ln: Line) -> bool:
        return bool(ln.x.min() <= lo + cover and ln.x.max() >= hi - cover)

    def in_order(ln: Line) -> bool:
        steps = np.diff(ln.x)
        return bool(np.all(steps >= -tol_x) or np.all(steps <= tol_x))

    def as_points(ax: Axes, loss: Loss) -> bool:
        """Whether separate markers show the loss over the range."""
        pts = ax.marker_points()
        if len(pts) < 3:
            return False
        near = np.abs(pts[:, 1] - loss(pts[:, 0])) <= tol_y
        return int(near.sum()) >= 3 and float(np.ptp(pts[near, 0])) >= (hi - lo) - 2 * cover

    def curve(ax: Axes, loss: Loss, name: str, formula: str, min_samples: int = 2) -> str | None:
        """None when a line shows the loss, what is wrong with the closest one, or MISSING
        (``name``: the loss's name in the current language, "hinge" or "logistic")."""
        lines = [ln for ln in candidates(ax) if on(ln, loss(ln.x))]
        whole = [ln for ln in lines if covers(ln)]
        if any(in_order(ln) and ln.n >= min_samples for ln in whole):
            return None
        if any(in_order(ln) for ln in whole):
            return t("the {name} curve has too few points (use at least {n} points)", name=name, n=min_samples)
        if whole:
            return t("the {name} line goes back and forth: its points are joined in the order "
                     "the margins were given; sort the margins first", name=name)
        if lines:
            return t("the {name} loss {formula} does not span the whole range of the margins",
                     name=name, formula=formula)
        if as_points(ax, loss):
            return t("the {name} loss is drawn as separate points; join them into a line", name=name)
        return MISSING

    def zero_one(ax: Axes) -> str | None:
        def on_step(ln: Line, flipped: bool = False) -> bool:
            x = -ln.x if flipped else ln.x
            middle = (np.abs(x) <= tol_x) & (ln.y >= -tol_y) & (ln.y <= 1 + tol_y)
            left = (x < 0) & (np.abs(ln.y - 1) <= tol_y)
            right = (x > 0) & (np.abs(ln.y) <= tol_y)
            return len(x) >= 2 and bool(np.all(middle | left | right))

        steps = [ln for ln in candidates(ax) if on_step(ln)]
        ordered = [ln for ln in steps if in_order(ln)]
        ones = [ln.x[np.abs(ln.y - 1) <= tol_y] for ln in ordered]
        zeros = [ln.x[np.abs(ln.y) <= tol_y] for ln in ordered]
        ones_ok = any(len(x) and x.min() <= lo + cover and x.max() >= -gap for x in ones)
        zeros_ok = any(len(x) and x.min() <= gap and x.max() >= hi - cover for x in zeros)
        if ones_ok and zeros_ok:
            return None
        if ordered:
            return _("the zero-one loss does not cover the whole range: draw 1 from the smallest "
                     "margin up to m = 0 and 0 from m = 0 to the largest margin")
        if steps:
            return _("the zero-one line goes back and forth: its points are joined in the order "
                     "the margins were given; sort the margins first")
        if any(on_step(ln, flipped=True) for ln in candidates(ax)):
            return _("the zero-one loss is reversed: it is 1 for m < 0 (a wrong sign) and 0 for m > 0")
        if as_points(ax, _zero_one):
            return _("the zero-one loss is drawn as separate points; join them into a line")
        return _("no line shows the zero-one loss (1 for m < 0, 0 for m > 0)")

    def hinge(ax: Axes) -> str | None:
        said = curve(ax, _hinge, _("hinge"), "max(0, 1 - m)")
        if said != MISSING:
            return said
        if any(on(ln, np.maximum(0.0, -ln.x)) for ln in candidates(ax)):
            return _("the hinge loss has its corner at m = 0; it is max(0, 1 - m), with the corner at m = 1")
        return _("no line shows the hinge loss max(0, 1 - m)")

    def logistic(ax: Axes) -> str | None:
        said = curve(ax, _logistic, _("logistic"), "ln(1 + e^(-m))", MIN_LOGISTIC_SAMPLES)
        if said != MISSING:
            return said
        for ln in candidates(ax):
            if len(ln.x) < 2:
                continue
            if on(ln, np.logaddexp(0.0, ln.x)):
                return _("the logistic curve is mirrored: use e^(-m), not e^(m)")
            f = _logistic(ln.x)
            c = float(np.median(ln.y / f))
            if abs(c - 1) > 0.01 and on(ln, c * f):
                return _("the logistic loss is drawn with another logarithm (base 2?); "
                         "use the natural log, ln(1 + e^(-m))")
        return _("no line shows the logistic loss ln(1 + e^(-m))")

    return [zero_one, hinge, logistic, _labelled]


FIGURE_CHECKS = {"plot_margin_losses": _margin_losses}

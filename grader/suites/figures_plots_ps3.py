"""What the figure of ``plots_ps3.py`` must show: the module's figure check.

``plot_learning_rates`` is judged from the figure's data: one joined line per
learning rate, each following the reference's loss curve for that rate point by
point (compared as log10 of the loss, the axis being logarithmic), a log-scaled
loss axis, a climbing curve for each rate above the stable limit, and labelled
axes. The reference draws its curves in the order of ``lrs``, so a missing
curve is named by its place in that list. Colours, markers, legends, titles and
extra lines never matter.

This file holds no test inputs, so the student copy ships it (beside
``figures.py``) for the public plot tests; the hidden suite is ``test_plots_ps3.py``.
"""

from __future__ import annotations

import numpy as np

from grader.figures import POSITION_TOL, Axes, Line, Requirement, _labelled, _same_set, _span
from grader.verdict import _, t

LOG_TOL = 1e-3  # curves agree within this many decades (0.23 % of the loss) at every step


def _rate_name(k: int) -> str:
    """The k-th rate of ``lrs`` (from 1), named in the current language."""
    if k == 1:
        return _("the 1st learning rate in lrs")
    if k == 2:
        return _("the 2nd learning rate in lrs")
    if k == 3:
        return _("the 3rd learning rate in lrs")
    return t("the {k}th learning rate in lrs", k=k)


def _log_points(ln: Line) -> np.ndarray | None:
    """The line's points as (step, log10 loss), or None if a loss is not positive."""
    if not len(ln.y) or np.any(ln.y <= 0):
        return None
    return np.column_stack([ln.x, np.log10(ln.y)])


# ----- plot_learning_rates: the MSE against the step, one line per rate, log loss axis


def _learning_rates(ref: Axes) -> list[Requirement]:
    curves = [p for p in (_log_points(ln) for ln in ref.joined_lines("data")) if p is not None]
    if not curves:
        raise ValueError("no loss curve")
    steps = curves[0][:, 0]
    tol_x = POSITION_TOL * _span(steps)
    rising = sum(bool(c[-1, 1] > c[0, 1]) for c in curves)
    names = [_rate_name(k + 1) for k in range(len(curves))]

    def follows(points: np.ndarray | None, k: int) -> bool:
        return points is not None and _same_set(curves[k], points, tol_x, LOG_TOL)

    def close(a: np.ndarray, b: np.ndarray) -> bool:
        return len(a) == len(b) and bool(np.all(np.abs(a - b) <= LOG_TOL))

    def why_missing(ax: Axes, k: int, spare: list[Line]) -> str:
        """Why no line follows curve k; ``spare`` are the joined lines that follow no curve."""
        logged = [p for p in (_log_points(ln) for ln in spare) if p is not None]
        want = curves[k][:, 1]
        if any(close(p[:, 1], want) for p in logged):
            return t("the curve of {rate} is drawn against the wrong x values: "
                     "use the step numbers 0, 1, ..., n_steps", rate=names[k])
        if any(close(p[:, 1], want[1:]) or close(p[:, 1], want[:-1]) for p in logged):
            return t("the curve of {rate} has n_steps points: record the loss at the start "
                     "(step 0) and after every step, n_steps + 1 values", rate=names[k])
        if ax.yscale != "log" and any(_same_set(curves[k], ln.xy, tol_x, LOG_TOL) for ln in spare):
            return _("the lines show log10 of the loss; draw the loss itself on a log-scaled axis")
        dots = ax.scatters + [ln for ln in ax.lines if ln.markers and not ln.joined]
        if any(follows(_log_points(d), k) for d in dots):
            return t("the losses of {rate} are drawn as separate points; join them into a line", rate=names[k])
        if not spare:
            return t("no line shows the loss of {rate}: draw one line for every rate in lrs, "
                     "the diverging ones too", rate=names[k])
        if any(abs(p[0, 1] - want[0]) <= LOG_TOL for p in logged):
            return t("no line follows the loss of {rate}: a line starts at the right loss "
                     "but then goes elsewhere (is each step theta - lr * (2/n) X^T (X theta - y), "
                     "with the learning rates as given?)", rate=names[k])
        return t("no line follows the loss of {rate} (the MSE at steps 0 to n_steps of "
                 "gradient descent from theta = 0)", rate=names[k])

    def every_rate(ax: Axes) -> str | None:
        lines = ax.joined_lines("data")
        logged = [_log_points(ln) for ln in lines]
        found = [[k for k in range(len(curves)) if follows(p, k)] for p in logged]
        missing = [k for k in range(len(curves)) if not any(k in ks for ks in found)]
        if not missing:
            return None
        spare = [ln for ln, ks in zip(lines, found, strict=True) if not ks]
        why = why_missing(ax, missing[0], spare)
        if len(missing) > 1:
            return t("{reason} ({wrong} of the {total} rates are not shown right)",
                     reason=why, wrong=len(missing), total=len(curves))
        return why

    def log_axis(ax: Axes) -> str | None:
        if ax.yscale == "log":
            return None
        return _("the loss axis is not logarithmic: use ax.set_yscale('log')")

    def climbs(ax: Axes) -> str | None:
        up = [ln for ln in ax.joined_lines("data") if len(ln.y) >= 2 and ln.y[-1] > ln.y[0]]
        if len(up) >= rising:
            return None
        return _("no curve climbs: a learning rate above 2 / lambda_max makes gradient descent "
                 "diverge, and its loss must be drawn growing step after step")

    return [every_rate, log_axis, climbs, _labelled]


FIGURE_CHECKS = {"plot_learning_rates": _learning_rates}

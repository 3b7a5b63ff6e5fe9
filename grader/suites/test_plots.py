"""Hidden suite for ``plots.py``: each test judges what one returned figure shows.

A figure test checks everything its exercise asks at once (see
``grader.figures``), so partial credit comes from a function's several calls,
a public one and a hidden one. Drawing a figure costs the submission about
10 ms (matplotlib's Axes set-up), so each function gets two calls, no more.
"""

from __future__ import annotations

import numpy as np

from grader.suites.build import Suite
from grader.suites.figures_plots import FIGURE_CHECKS  # noqa: F401 - what each figure must show
from grader.suites.harness import pytest_tests

S = Suite("plots", seed=20240505)
rng = S.rng

# The docstring sentences each figure test relies on (tests/test_docstring_promises.py).
LP = ("Draw the penalty -log_base(p) that cross-entropy charges for probability p.", "Label both axes.")
FIT = ("Draw the data and the line y_hat = a x + b through it.", "Label both axes.")
LC = ("sort the a values so the line does not double back", "Then mark the slope that minimises L")
DP = ("``trajectory`` holds one point (x0, x1) per row, in the order visited",
      "Draw contour lines (``ax.contour`` on a grid from ``np.meshgrid``) over a")

lp = S.function("plot_log_penalty", "base")
lp.figure("the curve -log2(p) (default base), labelled axes", public=True, doc=LP)
lp.figure("base 10, labelled axes", 10, doc=LP)

# Unsorted x (so joining the data draws a zig-zag), a line that is not the best fit.
x_small = [3.0, 1.0, 4.5, 2.0, 5.0, 1.5]
y_small = [4.1, 1.2, 6.8, 2.9, 7.2, 2.4]
x_noisy = rng.uniform(-4.0, 9.0, 14)
y_noisy = -0.8 * x_noisy + 3.0 + rng.normal(0, 1.2, 14)

fit = S.function("plot_fit", "x, y, a, b")
fit.figure("6 unsorted points and the line 1.5x - 0.4, labelled axes", x_small, y_small, 1.5, -0.4, public=True,
           doc=FIT)
fit.figure("14 random points and a falling line, labelled axes", x_noisy, y_noisy, -0.75, 2.6, doc=FIT)

# Data far from centred; no a value hits the minimiser; the second set is unsorted.
x_lc = rng.uniform(10.0, 30.0, 12)
y_lc = 2.3 * x_lc + 15.0 + rng.normal(0, 3.0, 12)
a_unsorted = rng.permutation(np.linspace(1.05, 3.55, 11))

lc = S.function("plot_loss_curve", "x, y, a_values")
lc.figure("the small data set, 7 slopes, minimum marked", [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 7.0, 8.5],
          [0.25, 0.75, 1.25, 1.5, 2.25, 2.75, 3.25], public=True, doc=LC)
lc.figure("uncentred data, 11 unsorted slopes, minimum marked", x_lc, y_lc, a_unsorted, doc=LC)

# Trajectories of gradient descent on x0^2 + x1^2 (each step scales x by 1 - 2 lr),
# starting off both axes.
path_a = np.array([2.5, -1.8]) * (0.8 ** np.arange(13))[:, np.newaxis]
path_b = (np.array([-1.2, 2.6]) * (-0.3) ** np.arange(9)[:, np.newaxis]).tolist()

dp = S.function("plot_descent_path", "trajectory")
dp.figure("13 steps from (2.5, -1.8) on contour lines", path_a, public=True, doc=DP)
dp.figure("an overshooting path (a list of lists) on contour lines", path_b, doc=(*DP, "a list of pairs"))

TESTS = S.tests
test_case = pytest_tests(TESTS)

"""Hidden suite for ``plots_ps3.py`` (problem set 3): each test judges one returned figure.

What the figure must show is checked by ``FIGURE_CHECKS``, defined in
``figures_plots_ps3.py`` (which the student copy ships for the public tests).
The learning rates are chosen so that the diverging curves stay far below
1e100: the figure summary keeps only finite numbers.
"""

from __future__ import annotations

import numpy as np

from grader.suites.build import Suite
from grader.suites.figures_plots_ps3 import FIGURE_CHECKS  # noqa: F401 - what the figure must show
from grader.suites.harness import pytest_tests

S = Suite("plots_ps3", seed=20250305)
rng = S.rng
# The docstring sentences the figure tests rely on (tests/test_docstring_promises.py).
LR = ("(lists or NumPy arrays)", "``lrs`` is a sequence of learning rates")

# Six points; the MSE's Hessian (2/n) X^T X has lambda_max = 5.95, so rates above
# 2 / 5.95 = 0.336 diverge: 0.4 grows the loss to about 7e7 in 25 steps.
x6 = [-1.5, -0.5, 0.0, 1.0, 2.0, 3.0]
X6 = [[1.0, v] for v in x6]
y6 = [-1.0, 0.5, 1.0, 2.5, 3.0, 5.0]

# Ten points and three parameters; the rates are fractions of this data's own limit:
# slow, fast, oscillating but converging (0.9), and diverging (1.1: about 1e6 x in 40 steps).
X10 = np.column_stack([np.ones(10), rng.normal(0.0, 1.5, (10, 2))])
y10 = X10 @ np.array([1.0, -2.0, 0.5]) + rng.normal(0.0, 0.5, 10)
limit10 = 2.0 / float(np.linalg.eigvalsh((2.0 / 10) * X10.T @ X10).max())
lrs10 = np.round(np.array([0.1, 0.45, 0.9, 1.1]) * limit10, 4)

lr = S.function("plot_learning_rates", "X, y, lrs, n_steps")
lr.figure("three rates for 25 steps, the last above the limit; log loss axis, labelled axes",
          X6, y6, [0.02, 0.1, 0.4], 25, public=True, doc=LR)
# Either side of the limit 0.336: 0.3 oscillates but settles, 0.35 slowly climbs (about 100 x in 30 steps).
lr.figure("two rates either side of the limit for 30 steps", X6, y6, [0.3, 0.35], 30, public=True, doc=LR)
lr.figure("four rates (a NumPy array) for 40 steps, one oscillating, one diverging", X10, y10, lrs10, 40,
          doc=LR)

TESTS = S.tests
test_case = pytest_tests(TESTS)

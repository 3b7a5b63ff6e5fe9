"""Hidden suite for ``plots_ps2.py``: each test judges what one returned figure shows.

What the figure must show is checked by ``FIGURE_CHECKS``, defined in
``figures_plots_ps2.py`` (which the student copy ships for the public tests).
A figure test checks everything at once, so partial credit comes from the
function's two calls, a public one and a hidden one.
"""

from __future__ import annotations

import numpy as np

from grader.suites.build import Suite
from grader.suites.figures_plots_ps2 import FIGURE_CHECKS  # noqa: F401 - what the figure must show
from grader.suites.harness import pytest_tests

S = Suite("plots_ps2", seed=20250203)
rng = S.rng
# The docstring sentence the figure tests rely on (tests/test_docstring_promises.py).
ML = "``margins`` is a 1-D sequence of margin values (not necessarily sorted)"

ml = S.function("plot_margin_losses", "margins")
ml.figure("41 sorted margins from -3 to 3", np.linspace(-3.0, 3.0, 41), public=True, doc=ML)
# Unsorted, as a list, over a range that is not symmetric about 0: joining the
# points in the order given draws a zig-zag.
ml.figure("53 unsorted margins from -4 to 2.5 (a list)", rng.permutation(np.linspace(-4.0, 2.5, 53)).tolist(),
          doc=ML)

TESTS = S.tests
test_case = pytest_tests(TESTS)

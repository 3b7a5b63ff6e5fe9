"""Hidden suite for ``derivatives.py``."""

from __future__ import annotations

import numpy as np

from grader.suites.build import Suite
from grader.suites.harness import pytest_tests
from grader.wire import Fn

S = Suite("derivatives", seed=20240202)
rng = S.rng

sd = S.function("sse_derivative", "y, y_hat")
sd.value("three samples", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0], public=True)
# Article 000's SSE example (y_true and y_pred of its mean_squared_error call).
sd.value("article 000: the SSE example's four values", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8], public=True)
sd.value("random data", rng.normal(size=9), rng.normal(size=9))
sd.value("column y_hat with flat y", [1.0, -2.0, 0.5, 4.0], np.array([[0.0], [1.0], [1.0], [2.5]]))
sd.value("integer lists", [3, 1, 4, 1, 5], [2, 7, 1, 8, 2])
sd.shape("same shape as y_hat", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0], public=True)
sd.shape("same shape as a column y_hat", [1.0, -2.0, 0.5, 4.0], np.array([[0.0], [1.0], [1.0], [2.5]]))
sd.unchanged("leaves its inputs alone", rng.normal(size=6), rng.normal(size=6))

bd = S.function("binary_cross_entropy_derivative", "y, p")
bd.value("four samples", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True)
# At p = 0 or 1 the answer is about 1e12 and depends on how the clipping is
# rounded (clip p, or clip 1 - p): a relative 1e-4 accepts both, and still
# rejects a missing clip (inf) or a wrong formula.
bd.value("probabilities of exactly 0 and 1", [1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0], rtol=1e-4)
bd.value("random data", rng.integers(0, 2, 11).astype(float), rng.uniform(0.05, 0.95, 11))
bd.value("scalars", 1, 0.25)
bd.shape("same shape as p", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True)
bd.shape("same shape as a column p", np.array([[1.0], [0.0], [1.0]]), np.array([[0.3], [0.6], [0.9]]))
bd.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.5, 1.0]))

ng = S.function("numerical_gradient", "f, x, h")
ng.value("the bowl x0^2 + x1^2 at (3, 4)", Fn("bowl"), np.array([3.0, 4.0]), public=True)
ng.value("integer list input", Fn("bowl"), [1, -2], public=True)
# Article 003's first partial-derivative example, f = 2x^2 + 3xy + y^2 (the probe
# "tilted"): its gradient (4x + 3y, 3x + 2y) is (10, 7) at (1, 2). Floats, so that
# an integer result array (a hidden-only mistake) is not shown here.
ng.value("article 003: 2x^2 + 3xy + y^2 at (1, 2)", Fn("tilted"), [1.0, 2.0], public=True)
ng.value("a mixed term", Fn("tilted"), [0.5, -1.5])
ng.value("three variables", Fn("wavy"), np.array([0.3, -0.2, 1.1]))
ng.value("one variable", Fn("cubic"), [2.0])
ng.value("a larger step h", Fn("wavy"), np.array([1.0, 0.5, -0.7]), h=1e-3)
# h=1e-3 is too small for a hard-coded default step to show; with h=0.1 the
# central difference of x^3 is off by exactly h^2 = 0.01, which a fixed step is not.
ng.value("a coarse step h=0.1", Fn("cubic"), [2.0], h=0.1)
# At integer points the bowl's gradient is itself whole, so an integer result
# array goes unnoticed there; here the partial derivatives are not whole numbers.
ng.value("integer list, gradient not whole", Fn("wavy"), [1, 0, 2])
ng.shape("same shape as x", Fn("wavy"), np.array([0.3, -0.2, 1.1]), public=True)
# Values chosen so that stepping x[i] up by h, down by 2h and up by h again
# does not give x back exactly: an in-place "restore" is visible afterwards.
ng.unchanged("leaves x exactly as it was", Fn("bowl"), np.array([4.362, -45.903, 41.276]))

qg = S.function("quadratic_form_gradient", "A, x")
qg.value("a non-symmetric 2x2", [[1.0, 2.0], [0.0, 3.0]], [1.0, 1.0], public=True)
qg.value("a symmetric 2x2", [[2.0, 1.0], [1.0, 4.0]], [1.0, -2.0])
qg.value("a random non-symmetric 4x4", rng.normal(size=(4, 4)), rng.normal(size=4))
qg.value("integer lists", [[1, 2, 0], [3, 1, 4], [0, 5, 2]], [1, 0, -1])
qg.shape("a 1-D result", rng.normal(size=(3, 3)), rng.normal(size=3))
qg.unchanged("leaves its inputs alone", rng.normal(size=(3, 3)), rng.normal(size=3))

TESTS = S.tests
test_case = pytest_tests(TESTS)

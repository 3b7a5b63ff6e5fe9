"""Hidden suite for ``descent.py``."""

from __future__ import annotations

import numpy as np

from grader.suites.build import Suite
from grader.suites.harness import pytest_tests
from grader.wire import Fn

S = Suite("descent", seed=20240404)
rng = S.rng

st = S.function("gradient_descent_step", "theta, grad, lr")
st.value("one step", [1.0, -2.0], [0.5, 0.25], 0.1, public=True)
st.value("three parameters", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05)
st.value("integer lists", [4, 2], [1, -3], 0.5)
st.value("learning rate 1", rng.normal(size=5), rng.normal(size=5), 1.0)
st.shape("same shape as theta", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05)
st.unchanged("leaves theta alone", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05)

X = np.column_stack([np.ones(9), rng.normal(size=(9, 2))])
y = rng.normal(size=9)
theta = np.array([0.5, -1.0, 2.0])

sg = S.function("sse_gradient", "X, y, theta")
sg.value("a 4x2 design", [[1, 1], [1, 2], [1, 3], [1, 4]], [2.0, 3.0, 5.0, 4.0], [0.5, 1.0], public=True)
sg.value("a 9x3 design", X, y, theta)
sg.value("a tall 15x2 design", np.column_stack([np.ones(15), rng.uniform(0, 10, 15)]),
         rng.normal(5, 2, 15), np.array([1.0, 0.3]))
sg.shape("one entry per parameter", X, y, theta)
sg.unchanged("leaves its inputs alone", X.copy(), y.copy(), theta.copy())

gd = S.function("gradient_descent", "grad_fn, theta0, lr, n_steps")
gd.value("the bowl from (3, 4), lr=0.1", Fn("bowl_grad"), [3.0, 4.0], 0.1, 5, public=True)
gd.value("an elongated bowl", Fn("ellipse_grad"), np.array([2.0, -1.0]), 0.04, 12)
gd.value("two local minima", Fn("quartic_grad"), np.array([0.4, 1.0]), 0.05, 20)
gd.value("zero steps", Fn("bowl_grad"), [1.0, 2.0], 0.1, 0)
gd.value("integer start", Fn("bowl_grad"), [3, -1], 0.25, 3)
gd.shape("shape (n_steps + 1, d)", Fn("bowl_grad"), [3.0, 4.0], 0.1, 5, public=True)
gd.shape("three parameters", Fn("bowl_grad"), np.array([1.0, 2.0, 3.0]), 0.1, 4)
gd.unchanged("leaves theta0 alone", Fn("bowl_grad"), np.array([3.0, 4.0]), 0.1, 5)

TESTS = S.tests
test_case = pytest_tests(TESTS)

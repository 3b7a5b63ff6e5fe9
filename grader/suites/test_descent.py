"""Hidden suite for ``descent.py``."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests
from grader.wire import Fn

S = Suite("descent", seed=20240404)
rng = S.rng

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "Every function takes lists, tuples or NumPy arrays (integers allowed)"
UNCHANGED = "changes none of its arguments"

STEP = "One update theta - lr * grad, returned as a new float array"
st = S.function("gradient_descent_step", "theta, grad, lr")
st.value("one step", [1.0, -2.0], [0.5, 0.25], 0.1, public=True, doc=STEP)
st.value("three parameters", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05, doc=STEP)
# [4, 2] - 0.5 * [1, -3] = [3.5, 3.5]: an integer result array keeps 3 and 3.
st.value("integer lists", [4, 2], [1, -3], 0.5, doc=(STEP, INPUTS))
st.value("learning rate 1", rng.normal(size=5), rng.normal(size=5), 1.0, doc=STEP)
st.shape("same shape as theta", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05,
         doc="returned as a new float array shaped like ``theta``")
st.unchanged("leaves theta alone", np.array([0.3, 0.0, -1.2]), np.array([2.0, -1.0, 0.5]), 0.05,
             doc="``theta`` is left unchanged.")

X = np.column_stack([np.ones(9), rng.normal(size=(9, 2))])
y = rng.normal(size=9)
theta = np.array([0.5, -1.0, 2.0])

SG = "That is -2 X^T (y - X theta)."
sg = S.function("sse_gradient", "X, y, theta")
sg.value("a 4x2 design", [[1, 1], [1, 2], [1, 3], [1, 4]], [2.0, 3.0, 5.0, 4.0], [0.5, 1.0], public=True,
         doc=(SG, INPUTS))
sg.value("a 9x3 design", X, y, theta, doc=SG)
sg.value("a tall 15x2 design", np.column_stack([np.ones(15), rng.uniform(0, 10, 15)]),
         rng.normal(5, 2, 15), np.array([1.0, 0.3]), doc=SG)
# Whole X and y with a fractional theta: -2 X^T (y - X theta) is not whole.
sg.value("integer X and y", [[1, 2], [1, -1], [1, 0], [1, 3]], [3, 0, 1, 4], [0.25, 0.1], doc=(SG, INPUTS))
sg.shape("one entry per parameter", X, y, theta, doc="Returns a 1-D array shaped like ``theta``.")
sg.unchanged("leaves its inputs alone", X.copy(), y.copy(), theta.copy(), doc=UNCHANGED)

GD = "The result is the whole trajectory, an array of shape (n_steps + 1, d) whose first row is ``theta0``."
gd = S.function("gradient_descent", "grad_fn, theta0, lr, n_steps")
gd.value("the bowl from (3, 4), lr=0.1", Fn("bowl_grad"), [3.0, 4.0], 0.1, 5, public=True,
         doc=("Run ``n_steps`` gradient-descent updates from ``theta0``.", GD))
gd.value("an elongated bowl", Fn("ellipse_grad"), np.array([2.0, -1.0]), 0.04, 12, doc=GD)
gd.value("two local minima", Fn("quartic_grad"), np.array([0.4, 1.0]), 0.05, 20, doc=GD)
gd.value("zero steps", Fn("bowl_grad"), [1.0, 2.0], 0.1, 0, doc=GD)
# Each step halves x: [3, -1] -> [1.5, -0.5] -> ...: an integer trajectory keeps whole numbers.
gd.value("integer start", Fn("bowl_grad"), [3, -1], 0.25, 3, doc=(GD, INPUTS))
gd.shape("shape (n_steps + 1, d)", Fn("bowl_grad"), [3.0, 4.0], 0.1, 5, public=True, doc=GD)
gd.shape("three parameters", Fn("bowl_grad"), np.array([1.0, 2.0, 3.0]), 0.1, 4, doc=GD)
gd.unchanged("leaves theta0 alone", Fn("bowl_grad"), np.array([3.0, 4.0]), 0.1, 5, doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)


# --------------------------------------------------------------------------- known mistakes
# Each a complete wrong version of one function; when a submission's wrong answer equals a
# mistake's on the same call, its hint is shown (grader.scoring.diagnose). Order matters:
# the first matching entry of a function is reported. See grader/mistakes.py for the rules.

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ descent.gradient_descent_step
    _m("descent.gradient_descent_step", "plus-instead-of-minus",
       """Your step goes uphill: the gradient was added. Subtract lr * grad to move
       against the gradient.""",
       """
       def gradient_descent_step(theta, grad, lr):
           return np.asarray(theta, dtype=float) + lr * np.asarray(grad, dtype=float)
       """),
    _m("descent.gradient_descent_step", "learning-rate-forgotten",
       """Your step subtracts the whole gradient. Scale it by the learning rate lr
       first.""",
       """
       def gradient_descent_step(theta, grad, lr):
           return np.asarray(theta, dtype=float) - np.asarray(grad, dtype=float)
       """),
    _m("descent.gradient_descent_step", "returns-the-step",
       """Your result is the change -lr * grad, not the new parameters. Add that change
       to theta and return the result.""",
       """
       def gradient_descent_step(theta, grad, lr):
           return -lr * np.asarray(grad, dtype=float)
       """),
    _m("descent.gradient_descent_step", "updates-theta-in-place",
       """Your function changes the caller's theta array in place. Return a new array
       and leave theta as it was.""",
       """
       def gradient_descent_step(theta, grad, lr):
           theta = np.asarray(theta, dtype=float)
           theta -= lr * np.asarray(grad, dtype=float)
           return theta
       """),
    _m("descent.gradient_descent_step", "integer-result-array",
       """Your new theta for integer input holds whole numbers only: the result array took
       the integer type of theta, and theta - lr * grad lost its fractions when written into
       it. Make the result a float array.""",
       """
       def gradient_descent_step(theta, grad, lr):
           new = np.array(theta)
           new[...] = new - lr * np.asarray(grad, dtype=float)
           return new
       """),
    # ------------------------------------------------------------------ descent.sse_gradient
    _m("descent.sse_gradient", "missing-factor-2",
       """Your gradient is half the right size. The derivative of a square brings down a
       factor 2: the gradient is -2 X^T (y - X theta).""",
       """
       def sse_gradient(X, y, theta):
           design = np.asarray(X, dtype=float)
           r = np.asarray(y, dtype=float) - design @ np.asarray(theta, dtype=float)
           return -design.T @ r
       """),
    _m("descent.sse_gradient", "wrong-sign",
       """Your gradient points the wrong way: it is 2 X^T (y - X theta). The inner
       derivative of y - X theta is -X, so the gradient is -2 X^T (y - X theta).""",
       """
       def sse_gradient(X, y, theta):
           design = np.asarray(X, dtype=float)
           r = np.asarray(y, dtype=float) - design @ np.asarray(theta, dtype=float)
           return 2.0 * design.T @ r
       """),
    _m("descent.sse_gradient", "mean-instead-of-sum",
       """Your gradient is divided by the number of samples, which is the gradient of the
       MSE. This exercise asks for the gradient of the sum of squared errors.""",
       """
       def sse_gradient(X, y, theta):
           design = np.asarray(X, dtype=float)
           r = np.asarray(y, dtype=float) - design @ np.asarray(theta, dtype=float)
           return -2.0 * design.T @ r / len(r)
       """),
    _m("descent.sse_gradient", "loss-not-gradient",
       """Your result is a single number, the sum of squared errors itself. Return its
       gradient, one entry per parameter.""",
       """
       def sse_gradient(X, y, theta):
           design = np.asarray(X, dtype=float)
           r = np.asarray(y, dtype=float) - design @ np.asarray(theta, dtype=float)
           return float(r @ r)
       """),
    # ------------------------------------------------------------------ descent.gradient_descent
    _m("descent.gradient_descent", "start-point-missing",
       """Your trajectory has n_steps rows and starts after the first step. Include
       theta0 as the first row, for n_steps + 1 rows in all.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           path = []
           for _ in range(n_steps):
               theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta.copy())
           return np.array(path)
       """),
    _m("descent.gradient_descent", "final-theta-only",
       """Your result is only the last theta. Return the whole trajectory: theta0 and
       every theta after it, one row per point.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           for _ in range(n_steps):
               theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
           return theta
       """),
    _m("descent.gradient_descent", "plus-instead-of-minus",
       """Your trajectory climbs uphill: the gradient was added. Each step subtracts
       lr times the gradient.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           path = [theta.copy()]
           for _ in range(n_steps):
               theta = theta + lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta.copy())
           return np.array(path)
       """),
    _m("descent.gradient_descent", "one-step-too-many",
       """Your trajectory has one row too many: n_steps + 1 updates were made. Make
       exactly n_steps updates, which gives n_steps + 1 rows with theta0.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           path = [theta.copy()]
           for _ in range(n_steps + 1):
               theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta.copy())
           return np.array(path)
       """),
    _m("descent.gradient_descent", "gradient-at-start-only",
       """Your steps all use the gradient at theta0, so the path is a straight line.
       Evaluate the gradient again at the current theta on every step.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           g = np.asarray(grad_fn(theta.copy()), dtype=float)
           path = [theta.copy()]
           for _ in range(n_steps):
               theta = theta - lr * g
               path.append(theta.copy())
           return np.array(path)
       """),
    _m("descent.gradient_descent", "rows-share-one-array",
       """Every row of your trajectory shows the final theta: the same array was appended
       on each step and then changed in place. Append a copy, or build a new array on
       each step.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.asarray(theta0, dtype=float)
           path = [theta]
           for _ in range(n_steps):
               theta -= lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta)
           return np.array(path)
       """),
    _m("descent.gradient_descent", "integer-trajectory",
       """Your trajectory for an integer theta0 holds whole numbers only: the result array
       took the integer type of theta0. Store the trajectory as floats.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           path = np.tile(np.asarray(theta0), (n_steps + 1, 1))
           theta = np.array(theta0, dtype=float)
           for k in range(1, n_steps + 1):
               theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
               path[k] = theta
           return path
       """),
    _m("descent.gradient_descent", "mutates-theta0",
       """Your function updates the caller's theta0 array in place. Start from a copy so
       theta0 is left as it was.""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.asarray(theta0, dtype=float)
           path = [theta.copy()]
           for _ in range(n_steps):
               theta -= lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta.copy())
           return np.array(path)
       """),
    _m("descent.gradient_descent", "returns-a-list",
       """Your trajectory is a Python list of arrays. Return one NumPy array of shape
       (n_steps + 1, d).""",
       """
       def gradient_descent(grad_fn, theta0, lr, n_steps):
           theta = np.array(theta0, dtype=float)
           path = [theta.copy()]
           for _ in range(n_steps):
               theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
               path.append(theta.copy())
           return path
       """),
]


# The opening paragraph of this module's nbgrader notebook (grader/nbgrader_export.py).
INTRO = (
    'When there is no formula for the minimum we walk downhill instead: gradient descent '
    'moves the parameters a small step (the learning rate) against the gradient of the loss, '
    'again and again. You write one step, the gradient of the squared error of a linear '
    'model, and the loop that records the whole path from the starting point.'
)

INTRO_JA = (  # INTRO in Japanese (the notebooks of a `language: ja` course; glossary.tsv terms)
    '最小値を与える式がないときは、代わりに坂を下っていきます。勾配降下法は、パラメータを損失の勾配と'
    '逆の向きに小さな一歩（学習率）だけ動かすことを何度も繰り返します。ここでは 1 回の更新、線形モデルの'
    '二乗誤差の勾配、そして出発点からの経路全体を記録するループを書きます。'
)

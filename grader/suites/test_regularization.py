"""Hidden suite for ``regularization.py``, with its known mistakes.

Weights are never all of one sign or one size (so |w|, w and sign(w) differ),
sums and means are never over 1 or 2 values, lam is never 0.5 (where 2 * lam
is 1) nor 1, and a dropout rate is never 0.5 (where 1 / rate equals
1 / (1 - rate)). Exact zeros, weights exactly at the threshold, lam = 0 for
ridge, rate = 0 and boolean masks are tested because the docstrings name them.
"""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("regularization", seed=20250202)
rng = S.rng

w5 = [0.5, -1.5, 2.0, 0.0, -1.25]  # its sum is negative: |sum(w)| and sum(w) differ
W34 = rng.normal(0.0, 1.5, (3, 4))
W34[1, 2] = 0.0
w11 = rng.normal(-0.3, 1.0, 11)

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "The weights ``w`` may be a list, a tuple or a NumPy array (integers allowed)"
MATRIX = "1-D or 2-D (a weight matrix: its sums run over every entry)"
UNCHANGED = "Inputs are never modified."
FLOAT = "Returns a float."

L2 = "L2 penalty lam * sum(w ** 2) over every weight."
l2 = S.function("l2_penalty", "w, lam")
l2.value("five weights, lam 0.1", w5, 0.1, public=True, doc=L2)
l2.value("a 3x4 weight matrix, lam 0.01", W34, 0.01, public=True, doc=(L2, MATRIX))
l2.value("integer lists", [3, -1, 0, 2], 2, doc=INPUTS)
l2.value("integer list, lam 0.3", [3, -1, 0, 2], 0.3, doc=INPUTS)  # 4.2
l2.value("a tuple, lam 0.3", (-1.2, 0.7, -0.4), 0.3, doc=INPUTS)
l2.value("eleven random weights, lam 4.5", w11, 4.5, doc=L2)
l2.shape("returns a single number", w5, 0.1, doc=FLOAT)
l2.unchanged("leaves w alone", w11.copy(), 4.5, doc=UNCHANGED)

L1 = "L1 penalty lam * sum(|w|) over every weight."
l1 = S.function("l1_penalty", "w, lam")
l1.value("five weights, lam 0.1", w5, 0.1, public=True, doc=L1)
l1.value("a 3x4 weight matrix, lam 0.01", W34, 0.01, public=True, doc=(L1, MATRIX))
l1.value("integer lists", [3, -1, 0, 2], 2, doc=INPUTS)
l1.value("integer list, lam 0.3", [3, -1, 0, 2], 0.3, doc=INPUTS)  # 1.8
l1.value("a tuple, lam 0.3", (-1.2, 0.7, -0.4), 0.3, doc=INPUTS)
l1.value("eleven random weights, lam 4.5", w11, 4.5, doc=L1)
l1.shape("returns a single number", w5, 0.1, doc=FLOAT)
l1.unchanged("leaves w alone", w11.copy(), 4.5, doc=UNCHANGED)

G2 = "Gradient of ``l2_penalty`` with respect to the weights: 2 * lam * w."
G_SHAPE = "Returns a float NumPy array with the shape of ``w``."
g2 = S.function("l2_penalty_gradient", "w, lam")
g2.value("five weights, lam 0.1", w5, 0.1, public=True, doc=G2)
g2.value("a 3x4 weight matrix, lam 0.01", W34, 0.01, doc=(G2, MATRIX))
g2.value("integer lists", [3, -1, 0, 2], 2, public=True, doc=INPUTS)
# 0.6 * w: [1.8, -0.6, 0, 1.2], whole numbers only in an integer result array
g2.value("integer list, lam 0.3", [3, -1, 0, 2], 0.3, doc=(INPUTS, G_SHAPE))
g2.value("eleven random weights, lam 4.5", w11, 4.5, doc=G2)
g2.shape("same shape as w", W34, 0.01, public=True, doc=G_SHAPE)
g2.unchanged("leaves w alone", w11.copy(), 4.5, doc=UNCHANGED)

G1 = "lam * sign(w), taking 0 where w is exactly 0"
g1 = S.function("l1_subgradient", "w, lam")
g1.value("five weights, one exactly 0", w5, 0.1, public=True, doc=G1)
g1.value("a 3x4 weight matrix with a 0", W34, 0.01, doc=(G1, MATRIX))
g1.value("integer lists with zeros", [3, 0, -2, 0, 1], 2, public=True, doc=(G1, INPUTS))
g1.value("integer list with zeros, lam 0.3", [3, 0, -2, 0, 1], 0.3, doc=(G1, INPUTS, G_SHAPE))
g1.value("eleven random weights, lam 4.5", w11, 4.5, doc=G1)
g1.value("tiny weights of both signs", [1e-9, -1e-9, 0.0, 3.0], 0.3, doc=G1)
g1.shape("same shape as w", W34, 0.01, public=True, doc=G_SHAPE)
g1.unchanged("leaves w alone", np.array([0.0, -2.5, 1.0, 0.0]), 0.3, doc=UNCHANGED)

ST = "sign(w) * max(|w| - t, 0)"
ST_ZERO = "a weight within ``t`` of zero becomes exactly 0 instead of crossing to the other side"
st = S.function("soft_threshold", "w, t")
st.value("above, inside and below the threshold", [3.0, -0.5, 0.2, -2.5, 0.0], 1.0, public=True, doc=(ST, ST_ZERO))
st.value("weights exactly at +-t", [1.5, -1.5, 0.75, -3.0, 0.0, 2.25], 1.5, public=True, doc=(ST, ST_ZERO))
st.value("integer list", [4, -1, 0, -6, 2], 2, doc=(ST, INPUTS))
# [2.5, 0, 0, -4.5, 0.5]: whole numbers only in an integer result array
st.value("integer list, t 1.5", [4, -1, 0, -6, 2], 1.5, doc=(ST, INPUTS, G_SHAPE))
st.value("a 4x3 matrix, t 0.3", rng.normal(0.0, 0.5, (4, 3)), 0.3, doc=(ST, MATRIX))
st.value("a small threshold", w11, 0.05, doc=ST)
st.value("every weight inside the threshold", [0.3, -0.2, 0.1, -0.35], 0.4, doc=ST_ZERO)
st.shape("same shape as w", rng.normal(size=(4, 3)), 0.3, public=True, doc=G_SHAPE)
st.unchanged("leaves w alone", w11.copy(), 0.25, doc=UNCHANGED)

# Six points and an intercept column; a tall random design; a design with no
# intercept; more columns than rows (only solvable because lam > 0).
X6 = np.column_stack([np.ones(6), [0.5, 1.0, 2.0, 3.5, 4.0, 5.5]])
y6 = [1.2, 1.9, 3.1, 5.2, 5.8, 8.1]
X20 = np.column_stack([np.ones(20), rng.normal(size=(20, 3))])
y20 = X20 @ np.array([1.5, -2.0, 0.5, 3.0]) + rng.normal(0.0, 0.3, 20)

RN = "Ridge regression coefficients beta solving (X^T X + lam I) beta = X^T y."
rn = S.function("ridge_normal_equation", "X, y, lam")
rn.value("six points with an intercept column, lam 0.5", X6, y6, 0.5, public=True,
         doc=(RN, "Every coefficient is penalised, including the one of an intercept column of ones"))
rn.value("lam 0 is the normal equation", X6, y6, 0.0, public=True,
         doc="With ``lam = 0`` this is the ordinary normal equation.")
rn.value("a tall 20x4 design, lam 3", X20, y20, 3.0, doc=RN)
rn.value("no intercept column, a strong penalty", rng.normal(size=(8, 3)), rng.normal(size=8), 25.0, doc=RN)
rn.value("integer lists", [[1, 0], [1, 1], [1, 2], [1, 5], [1, 7]], [1, 3, 4, 11, 14], 2,
         doc="lists of lists and integers are allowed")
rn.value("more columns than rows, lam 1.5", rng.normal(size=(3, 5)), rng.normal(size=3), 1.5,
         doc=("``X`` is an (n, d) design matrix", RN))
rn.shape("one coefficient per column", X20, y20, 3.0, public=True,
         doc="Returns a 1-D float NumPy array of d coefficients.")
rn.unchanged("leaves its inputs alone", X20.copy(), y20.copy(), 3.0, doc=UNCHANGED)

DO = "Inverted dropout with a given mask: x * mask / (1 - rate)."
x5 = [1.5, -2.0, 0.5, 3.0, -1.0]
m5 = [1, 0, 1, 1, 0]
X34 = rng.normal(0.0, 2.0, (3, 4))
M34 = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 1.0]])
do = S.function("dropout", "x, mask, rate")
do.value("five units, rate 0.4", x5, m5, 0.4, public=True, doc=DO)
do.value("a 3x4 layer, rate 0.25", X34, M34, 0.25, public=True, doc=(DO, "``x`` holds a layer's outputs (1-D or 2-D"))
do.value("rate 0: nothing rescaled", np.array([2.5, -1.0, 4.0, 0.5]), np.array([1.0, 0.0, 1.0, 1.0]), 0.0,
         doc="0 <= rate < 1")
do.value("a boolean mask, rate 0.8", np.array([1.0, -2.0, 3.0, 0.5, -4.0, 2.0]),
         np.array([True, False, False, True, False, False]), 0.8, doc="(0/1 numbers or booleans)")
do.value("integer lists", [2, -3, 1, 4], [0, 1, 1, 0], 0.2, doc="lists and integers allowed")  # / 0.8
do.shape("same shape as x", X34, M34, 0.25, public=True, doc="Returns a float NumPy array with the shape of ``x``.")
do.unchanged("leaves its inputs alone", X34.copy(), M34.copy(), 0.25, doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)


MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ l2_penalty
    _m("regularization.l2_penalty", "missing-lambda",
       """Your penalty is sum(w ** 2) without the strength lam. Multiply by lam.""",
       """
       def l2_penalty(w, lam):
           a = np.asarray(w, dtype=float)
           return float(np.sum(a * a))
       """),
    _m("regularization.l2_penalty", "half-lambda",
       """Your penalty is lam / 2 * sum(w ** 2). Some texts put a 1/2 in front, but this
       exercise asks for lam * sum(w ** 2).""",
       """
       def l2_penalty(w, lam):
           a = np.asarray(w, dtype=float)
           return float(0.5 * lam * np.sum(a * a))
       """),
    _m("regularization.l2_penalty", "absolute-values",
       """Your penalty adds up |w| (the L1 penalty). The L2 penalty squares each weight:
       lam * sum(w ** 2).""",
       """
       def l2_penalty(w, lam):
           return float(lam * np.sum(np.abs(np.asarray(w, dtype=float))))
       """),
    _m("regularization.l2_penalty", "norm-not-squared",
       """Your penalty is lam times the length of w, the square root of sum(w ** 2). Leave
       out the square root: lam * sum(w ** 2).""",
       """
       def l2_penalty(w, lam):
           return float(lam * np.linalg.norm(np.ravel(np.asarray(w, dtype=float))))
       """),
    _m("regularization.l2_penalty", "mean-instead-of-sum",
       """Your penalty averages the squared weights. The penalty adds them up: lam * sum(w ** 2).""",
       """
       def l2_penalty(w, lam):
           a = np.asarray(w, dtype=float)
           return float(lam * np.mean(a * a))
       """),
    # ------------------------------------------------------------------ l1_penalty
    _m("regularization.l1_penalty", "missing-absolute-value",
       """Your penalty adds up the signed weights, so positive and negative ones cancel. Take
       the absolute value of each weight first: lam * sum(|w|).""",
       """
       def l1_penalty(w, lam):
           return float(lam * np.sum(np.asarray(w, dtype=float)))
       """),
    _m("regularization.l1_penalty", "squares",
       """Your penalty squares the weights (the L2 penalty). The L1 penalty adds up their
       absolute values: lam * sum(|w|).""",
       """
       def l1_penalty(w, lam):
           a = np.asarray(w, dtype=float)
           return float(lam * np.sum(a * a))
       """),
    _m("regularization.l1_penalty", "missing-lambda",
       """Your penalty is sum(|w|) without the strength lam. Multiply by lam.""",
       """
       def l1_penalty(w, lam):
           return float(np.sum(np.abs(np.asarray(w, dtype=float))))
       """),
    _m("regularization.l1_penalty", "absolute-of-sum",
       """Your penalty is |sum(w)|, taken after the weights have cancelled. Take the absolute
       value of each weight, then add them up.""",
       """
       def l1_penalty(w, lam):
           return float(lam * abs(np.sum(np.asarray(w, dtype=float))))
       """),
    _m("regularization.l1_penalty", "mean-instead-of-sum",
       """Your penalty averages |w|. The penalty adds the absolute values up: lam * sum(|w|).""",
       """
       def l1_penalty(w, lam):
           return float(lam * np.mean(np.abs(np.asarray(w, dtype=float))))
       """),
    # ------------------------------------------------------------------ l2_penalty_gradient
    _m("regularization.l2_penalty_gradient", "factor-two-missing",
       """Your gradient is lam * w, half the right value. The derivative of lam * w ** 2 is
       2 * lam * w.""",
       """
       def l2_penalty_gradient(w, lam):
           return lam * np.asarray(w, dtype=float)
       """),
    _m("regularization.l2_penalty_gradient", "missing-lambda",
       """Your gradient is 2 * w without the strength lam. Multiply by lam: 2 * lam * w.""",
       """
       def l2_penalty_gradient(w, lam):
           return 2.0 * np.asarray(w, dtype=float)
       """),
    _m("regularization.l2_penalty_gradient", "minus-sign",
       """Your gradient is -2 * lam * w, the direction a descent step moves in. The gradient
       itself is +2 * lam * w; the step subtracts it.""",
       """
       def l2_penalty_gradient(w, lam):
           return -2.0 * lam * np.asarray(w, dtype=float)
       """),
    _m("regularization.l2_penalty_gradient", "sign-instead-of-w",
       """Your gradient is 2 * lam * sign(w), the same size for every weight. The L2 gradient
       grows with the weight: 2 * lam * w.""",
       """
       def l2_penalty_gradient(w, lam):
           return 2.0 * lam * np.sign(np.asarray(w, dtype=float))
       """),
    _m("regularization.l2_penalty_gradient", "integer-result-array",
       """Your gradient for integer weights holds whole numbers only: the result array took
       the integer type of w (np.zeros_like(w) of integers is an integer array), so
       2 * lam * w lost its fractions. Make the result a float array.""",
       """
       def l2_penalty_gradient(w, lam):
           grad = np.zeros_like(w)
           grad[...] = 2.0 * lam * np.asarray(w, dtype=float)
           return grad
       """),
    # ------------------------------------------------------------------ l1_subgradient
    _m("regularization.l1_subgradient", "absolute-instead-of-sign",
       """Your values are lam * |w|. The slope of |w| is its sign: lam * sign(w), which is
       -lam for every negative weight.""",
       """
       def l1_subgradient(w, lam):
           return lam * np.abs(np.asarray(w, dtype=float))
       """),
    _m("regularization.l1_subgradient", "missing-lambda",
       """Your values are sign(w) without the strength lam. Multiply by lam.""",
       """
       def l1_subgradient(w, lam):
           return np.sign(np.asarray(w, dtype=float))
       """),
    _m("regularization.l1_subgradient", "weights-instead-of-sign",
       """Your values are lam * w, a slope that grows with the weight (like the L2 gradient).
       The slope of |w| is only its sign: lam * sign(w).""",
       """
       def l1_subgradient(w, lam):
           return lam * np.asarray(w, dtype=float)
       """),
    _m("regularization.l1_subgradient", "one-at-zero",
       """Your subgradient is lam where w is exactly 0 (a test like w >= 0). This exercise
       uses 0 there: np.sign gives it.""",
       """
       def l1_subgradient(w, lam):
           return lam * np.where(np.asarray(w, dtype=float) >= 0, 1.0, -1.0)
       """),
    _m("regularization.l1_subgradient", "integer-result-array",
       """Your subgradient for integer weights holds whole numbers only: the result array
       took the integer type of w (np.zeros_like(w) of integers is an integer array), so
       +-lam was cut to a whole number. Make the result a float array.""",
       """
       def l1_subgradient(w, lam):
           w = np.asarray(w)
           grad = np.zeros_like(w)
           grad[w > 0] = lam
           grad[w < 0] = -lam
           return grad
       """),
    # ------------------------------------------------------------------ soft_threshold
    _m("regularization.soft_threshold", "sign-lost",
       """Your negative weights come out positive: max(|w| - t, 0) without the sign. Multiply
       by sign(w) to put each weight back on its own side.""",
       """
       def soft_threshold(w, t):
           return np.maximum(np.abs(np.asarray(w, dtype=float)) - t, 0.0)
       """),
    _m("regularization.soft_threshold", "hard-threshold",
       """Your weights above the threshold are kept unchanged (hard thresholding). Soft
       thresholding also moves them towards zero by t: sign(w) * max(|w| - t, 0).""",
       """
       def soft_threshold(w, t):
           a = np.asarray(w, dtype=float)
           return np.where(np.abs(a) > t, a, 0.0)
       """),
    _m("regularization.soft_threshold", "no-zeroing",
       """Your small weights cross zero: w - t * sign(w) moves every weight by t. A weight
       within t of zero must become exactly 0: sign(w) * max(|w| - t, 0).""",
       """
       def soft_threshold(w, t):
           a = np.asarray(w, dtype=float)
           return a - t * np.sign(a)
       """),
    _m("regularization.soft_threshold", "positive-side-only",
       """Your negative weights all become 0: max(w - t, 0) only shrinks the positive side.
       Shrink by the size of each weight and keep its sign: sign(w) * max(|w| - t, 0).""",
       """
       def soft_threshold(w, t):
           return np.maximum(np.asarray(w, dtype=float) - t, 0.0)
       """),
    _m("regularization.soft_threshold", "clipped",
       """Your weights are clipped into [-t, t]. Soft thresholding does the opposite: weights
       inside [-t, t] become 0 and the others move towards zero by t.""",
       """
       def soft_threshold(w, t):
           return np.clip(np.asarray(w, dtype=float), -t, t)
       """),
    _m("regularization.soft_threshold", "integer-result-array",
       """Your thresholded weights for integer input are whole numbers: the result array took
       the integer type of w, so |w| - t lost its fractions. Make the result a float array,
       for example np.array(w, dtype=float).""",
       """
       def soft_threshold(w, t):
           out = np.array(w)
           out[...] = np.sign(out) * np.maximum(np.abs(out) - t, 0.0)
           return out
       """),
    # ------------------------------------------------------------------ ridge_normal_equation
    _m("regularization.ridge_normal_equation", "lambda-on-every-entry",
       """Your lam is added to every entry of X^T X (a plain number broadcasts). Add it to the
       diagonal only: X^T X + lam * np.eye(d).""",
       """
       def ridge_normal_equation(X, y, lam):
           design = np.asarray(X, dtype=float)
           return np.linalg.solve(design.T @ design + lam, design.T @ np.asarray(y, dtype=float))
       """),
    _m("regularization.ridge_normal_equation", "intercept-not-penalised",
       """Your first coefficient is not penalised. That is a common choice for an intercept,
       but this exercise penalises every coefficient: add lam to the whole diagonal.""",
       """
       def ridge_normal_equation(X, y, lam):
           design = np.asarray(X, dtype=float)
           penalty = lam * np.eye(design.shape[1])
           penalty[0, 0] = 0.0
           return np.linalg.solve(design.T @ design + penalty, design.T @ np.asarray(y, dtype=float))
       """),
    _m("regularization.ridge_normal_equation", "lambda-times-n",
       """Your penalty is n * lam on the diagonal, as if the loss were a mean. Here the loss is
       the sum of squared errors plus lam * sum(beta ** 2): add lam itself.""",
       """
       def ridge_normal_equation(X, y, lam):
           design = np.asarray(X, dtype=float)
           n, d = design.shape
           return np.linalg.solve(design.T @ design + n * lam * np.eye(d),
                                  design.T @ np.asarray(y, dtype=float))
       """),
    _m("regularization.ridge_normal_equation", "minus-lambda",
       """Your penalty is subtracted from the diagonal. Setting the gradient of the SSE plus
       lam * sum(beta ** 2) to zero gives (X^T X + lam I) beta = X^T y.""",
       """
       def ridge_normal_equation(X, y, lam):
           design = np.asarray(X, dtype=float)
           return np.linalg.solve(design.T @ design - lam * np.eye(design.shape[1]),
                                  design.T @ np.asarray(y, dtype=float))
       """),
    # ------------------------------------------------------------------ dropout
    _m("regularization.dropout", "not-rescaled",
       """Your kept units are not rescaled: x * mask. Inverted dropout divides them by
       1 - rate so that the layer's expected output stays the same.""",
       """
       def dropout(x, mask, rate):
           a = np.asarray(x, dtype=float)
           return a * np.asarray(mask, dtype=float).reshape(a.shape)
       """),
    # A rate of 0 divides by zero; written with Python floats so that it raises.
    _m("regularization.dropout", "divided-by-rate",
       """Your kept units are divided by the rate, the fraction dropped. Divide by the
       fraction kept, 1 - rate.""",
       """
       def dropout(x, mask, rate):
           a = np.asarray(x, dtype=float)
           scale = 1.0 / float(rate)
           return a * np.asarray(mask, dtype=float).reshape(a.shape) * scale
       """),
    _m("regularization.dropout", "multiplied-by-keep",
       """Your kept units are multiplied by 1 - rate (the old test-time scaling). Inverted
       dropout divides by 1 - rate while training instead.""",
       """
       def dropout(x, mask, rate):
           a = np.asarray(x, dtype=float)
           return a * np.asarray(mask, dtype=float).reshape(a.shape) * (1.0 - rate)
       """),
    _m("regularization.dropout", "mask-inverted",
       """Your function keeps the units where the mask is 0. The mask is 1 for a unit that
       is kept and 0 for one that is dropped.""",
       """
       def dropout(x, mask, rate):
           a = np.asarray(x, dtype=float)
           return a * (1.0 - np.asarray(mask, dtype=float).reshape(a.shape)) / (1.0 - rate)
       """),
    _m("regularization.dropout", "scales-x-in-place",
       """Your function changes the caller's x array in place (x *= mask). Build a new array:
       x * mask / (1 - rate).""",
       """
       def dropout(x, mask, rate):
           a = np.asarray(x, dtype=float)
           a *= np.asarray(mask, dtype=float).reshape(a.shape)
           a /= 1.0 - rate
           return a
       """),
]

"""Hidden suite for ``derivatives.py``."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests
from grader.wire import Fn

S = Suite("derivatives", seed=20240202)
rng = S.rng

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "Every function takes lists, tuples or NumPy arrays (integers allowed)"
UNCHANGED = "changes none of its arguments"

SD = "That is -2 * (y_i - y_hat_i)."
SD_SHAPES = "either may be a flat ``(n,)`` vector or an ``(n, 1)`` column"
SD_SHAPE = "The result is a NumPy array with the shape of ``y_hat``."
sd = S.function("sse_derivative", "y, y_hat")
sd.value("three samples", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0], public=True, doc=SD)
# Article 000's SSE example (y_true and y_pred of its mean_squared_error call).
sd.value("article 000: the SSE example's four values", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8], public=True, doc=SD)
sd.value("random data", rng.normal(size=9), rng.normal(size=9), doc=SD)
# A flat y with a column y_hat: the docstring says either may be either (as for losses.sse),
# and this public test shows it.
sd.value("column y_hat with flat y", [1.0, -2.0, 0.5, 4.0], np.array([[0.0], [1.0], [1.0], [2.5]]), public=True,
         doc=SD_SHAPES)
# (whole numbers in, whole numbers out: no integer input can be truncated here)
sd.value("integer lists", [3, 1, 4, 1, 5], [2, 7, 1, 8, 2], doc=INPUTS)
sd.shape("same shape as y_hat", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0], public=True, doc=SD_SHAPE)
sd.shape("same shape as a column y_hat", [1.0, -2.0, 0.5, 4.0], np.array([[0.0], [1.0], [1.0], [2.5]]),
         doc=(SD_SHAPES, SD_SHAPE))
sd.unchanged("leaves its inputs alone", rng.normal(size=6), rng.normal(size=6), doc=UNCHANGED)

BD = "That is -y / p + (1 - y) / (1 - p)"
BD_SHAPE = "The result is a NumPy array with the shape of ``p``."
bd = S.function("binary_cross_entropy_derivative", "y, p")
bd.value("four samples", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True, doc=BD)
# At p = 0 or 1 the answer is about 1e12 and depends on how the clipping is
# rounded (clip p, or clip 1 - p): a relative 1e-4 accepts both, and still
# rejects a missing clip (inf) or a wrong formula.
bd.value("probabilities of exactly 0 and 1", [1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0], rtol=1e-4,
         doc="with p clipped to [EPS, 1 - EPS]")
bd.value("random data", rng.integers(0, 2, 11).astype(float), rng.uniform(0.05, 0.95, 11), doc=BD)
# (no test with plain numbers: the docstring does not promise them here)
bd.shape("same shape as p", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True, doc=BD_SHAPE)
bd.shape("same shape as a column p", np.array([[1.0], [0.0], [1.0]]), np.array([[0.3], [0.6], [0.9]]),
         doc=("``y`` and ``p`` have the same shape.", BD_SHAPE))
bd.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.5, 1.0]), doc=UNCHANGED)

NG = "Component i is (f(x + h e_i) - f(x - h e_i)) / (2 h)"
NG_X = "``x`` is a 1-D sequence of numbers (integers allowed)"
ng = S.function("numerical_gradient", "f, x, h")
ng.value("the bowl x0^2 + x1^2 at (3, 4)", Fn("bowl"), np.array([3.0, 4.0]), public=True, doc=NG)
ng.value("integer list input", Fn("bowl"), [1, -2], public=True, doc=NG_X)
# Article 003's first partial-derivative example, f = 2x^2 + 3xy + y^2 (the probe
# "tilted"): its gradient (4x + 3y, 3x + 2y) is (10, 7) at (1, 2). Floats, so that
# an integer result array (a hidden-only mistake) is not shown here.
ng.value("article 003: 2x^2 + 3xy + y^2 at (1, 2)", Fn("tilted"), [1.0, 2.0], public=True, doc=NG)
ng.value("a mixed term", Fn("tilted"), [0.5, -1.5], doc=NG)
ng.value("three variables", Fn("wavy"), np.array([0.3, -0.2, 1.1]), doc=NG)
ng.value("one variable", Fn("cubic"), [2.0], doc=NG)
ng.value("a larger step h", Fn("wavy"), np.array([1.0, 0.5, -0.7]), h=1e-3, doc=NG)
# h=1e-3 is too small for a hard-coded default step to show; with h=0.1 the
# central difference of x^3 is off by exactly h^2 = 0.01, which a fixed step is not.
ng.value("a coarse step h=0.1", Fn("cubic"), [2.0], h=0.1, doc=NG)
# At integer points the bowl's gradient is itself whole, so an integer result
# array goes unnoticed there; here the partial derivatives are not whole numbers.
ng.value("integer list, gradient not whole", Fn("wavy"), [1, 0, 2], doc=(NG_X, "Returns a float array"))
ng.shape("same shape as x", Fn("wavy"), np.array([0.3, -0.2, 1.1]), public=True,
         doc="Returns a float array shaped like ``x``")
# Values chosen so that stepping x[i] up by h, down by 2h and up by h again
# does not give x back exactly: an in-place "restore" is visible afterwards.
ng.unchanged("leaves x exactly as it was", Fn("bowl"), np.array([4.362, -45.903, 41.276]),
             doc="``x`` itself is never changed.")

QG = "the gradient is (A + A^T) x"
qg = S.function("quadratic_form_gradient", "A, x")
qg.value("a non-symmetric 2x2", [[1.0, 2.0], [0.0, 3.0]], [1.0, 1.0], public=True, doc=QG)
qg.value("a symmetric 2x2", [[2.0, 1.0], [1.0, 4.0]], [1.0, -2.0], doc=QG)
qg.value("a random non-symmetric 4x4", rng.normal(size=(4, 4)), rng.normal(size=4), doc=QG)
# (whole numbers in, whole numbers out: no integer input can be truncated here)
qg.value("integer lists", [[1, 2, 0], [3, 1, 4], [0, 5, 2]], [1, 0, -1], doc=INPUTS)
qg.shape("a 1-D result", rng.normal(size=(3, 3)), rng.normal(size=3), doc="Returns a 1-D NumPy array.")
qg.unchanged("leaves its inputs alone", rng.normal(size=(3, 3)), rng.normal(size=3), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)


# --------------------------------------------------------------------------- known mistakes
# Each a complete wrong version of one function; when a submission's wrong answer equals a
# mistake's on the same call, its hint is shown (grader.scoring.diagnose). Order matters:
# the first matching entry of a function is reported. See grader/mistakes.py for the rules.

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ derivatives.sse_derivative
    _m("derivatives.sse_derivative", "wrong-sign",
       """Your derivative has the opposite sign. By the chain rule the inner derivative of
       y - y_hat with respect to y_hat is -1, so the result is -2 (y - y_hat).""",
       """
       def sse_derivative(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return 2.0 * (target - pred)
       """),
    _m("derivatives.sse_derivative", "missing-factor-2",
       """Your derivative is half the right size. The power rule brings down the
       exponent 2 from the square.""",
       """
       def sse_derivative(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return pred - target
       """),
    _m("derivatives.sse_derivative", "divided-by-n",
       """Your derivative is divided by the number of samples, as for the MSE. Each
       sample's term (y_i - y_hat_i) ** 2 has derivative -2 (y_i - y_hat_i), with no
       averaging.""",
       """
       def sse_derivative(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -2.0 * (target - pred) / pred.size
       """),
    _m("derivatives.sse_derivative", "summed-to-a-number",
       """Your result is a single number: the elementwise derivatives added up. Return
       one derivative per prediction, an array shaped like y_hat.""",
       """
       def sse_derivative(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return float(np.sum(-2.0 * (target - pred)))
       """),
    _m("derivatives.sse_derivative", "broadcasting-column-and-flat",
       """Your result has n * n entries: a flat (n,) y and an (n, 1) column y_hat
       broadcast to an (n, n) table. Bring y to the shape of y_hat before subtracting.""",
       """
       def sse_derivative(y, y_hat):
           return -2.0 * (np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))
       """),
    _m("derivatives.sse_derivative", "shaped-like-y",
       """Your result has the shape of y, not of y_hat. The derivative is taken with
       respect to y_hat, so return it in y_hat's shape.""",
       """
       def sse_derivative(y, y_hat):
           target = np.asarray(y, dtype=float)
           pred = np.asarray(y_hat, dtype=float).reshape(target.shape)
           return -2.0 * (target - pred)
       """),
    # ------------------------------------------------------------------ derivatives.binary_cross_entropy_derivative
    _m("derivatives.binary_cross_entropy_derivative", "sign-flipped",
       """Your derivative has the opposite sign everywhere. The loss falls as p moves
       towards the label, so for y = 1 the derivative -1 / p is negative.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           return t / q - (1 - t) / (1 - q)
       """),
    _m("derivatives.binary_cross_entropy_derivative", "second-term-subtracted",
       """Your second term has the wrong sign. The derivative of -(1 - y) log(1 - p) with
       respect to p is +(1 - y) / (1 - p), because of the inner derivative -1.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           return -t / q - (1 - t) / (1 - q)
       """),
    _m("derivatives.binary_cross_entropy_derivative", "gradient-wrt-logit",
       """Your values are p - y, the derivative with respect to the logit (the input of
       the sigmoid). Here the derivative is taken with respect to the probability p
       itself.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           return q - t
       """),
    _m("derivatives.binary_cross_entropy_derivative", "divided-by-n",
       """Your derivative is divided by the number of samples, as for the averaged loss.
       This is the derivative of one sample's loss: do not average.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           return (-t / q + (1 - t) / (1 - q)) / q.size
       """),
    _m("derivatives.binary_cross_entropy_derivative", "averaged-to-a-number",
       """Your result is a single number, the mean of the elementwise derivatives.
       Return one derivative per probability, an array shaped like p.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           return float(np.mean(-t / q + (1 - t) / (1 - q)))
       """),
    _m("derivatives.binary_cross_entropy_derivative", "no-clipping",
       """A probability of exactly 0 or 1 divides by zero and gives infinity or NaN.
       Clip p to [EPS, 1 - EPS] before dividing by it.""",
       """
       def binary_cross_entropy_derivative(y, p):
           q = np.asarray(p, dtype=float)
           t = np.asarray(y, dtype=float).reshape(q.shape)
           d = [-ti / qi + (1 - ti) / (1 - qi) for ti, qi in zip(t.ravel().tolist(), q.ravel().tolist())]
           return np.array(d).reshape(q.shape)
       """),
    # ------------------------------------------------------------------ derivatives.numerical_gradient
    _m("derivatives.numerical_gradient", "forward-difference",
       """Your values are forward differences (f(x + h e_i) - f(x)) / h, which are off by
       about h. Use the central difference: step both up and down and divide by 2h.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = np.zeros_like(base)
           fx = f(base)
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = h
               grad[i] = (f(base + step) - fx) / h
           return grad
       """),
    _m("derivatives.numerical_gradient", "divided-by-h",
       """Your values are twice the gradient: the central difference spans a distance of
       2h, from x - h to x + h, so divide by 2h.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = np.zeros_like(base)
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = h
               grad[i] = (f(base + step) - f(base - step)) / h
           return grad
       """),
    _m("derivatives.numerical_gradient", "difference-reversed",
       """Your values have the opposite sign: the difference is taken as
       f(x - h e_i) - f(x + h e_i). Subtract the lower point from the upper one.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = np.zeros_like(base)
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = h
               grad[i] = (f(base - step) - f(base + step)) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "step-size-ignored",
       """Your values were computed with the default step whatever h was given. Use the
       h argument as the step size.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = np.zeros_like(base)
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = 1e-5
               grad[i] = (f(base + step) - f(base - step)) / (2 * 1e-5)
           return grad
       """),
    _m("derivatives.numerical_gradient", "all-components-stepped",
       """Every component of your result is the same number: x was stepped in all
       coordinates at once. Step one coordinate at a time (a unit vector e_i) to get
       each partial derivative.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = np.zeros_like(base)
           for i in range(base.size):
               grad[i] = (f(base + h) - f(base - h)) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "integer-step-vector",
       """Your gradient is zero for integer input: the step vector took the integer type
       of x, so h was stored as 0. Convert x to floats before building the step.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.asarray(x)
           grad = np.zeros_like(base)
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = h
               grad[i] = (f(base + step) - f(base - step)) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "integer-in-place-step",
       """Your values for integer input are far off: adding h in place to an integer
       array is rounded back to whole numbers. Convert x to a float array first.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           xs = np.array(x)
           grad = np.zeros(xs.size)
           for i in range(xs.size):
               xs[i] += h
               up = f(xs)
               xs[i] -= 2 * h
               down = f(xs)
               xs[i] += h
               grad[i] = (up - down) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "integer-result-array",
       """Your values for integer input were cut to whole numbers: the result array took
       the integer type of x. Make the result a float array.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           x = np.asarray(x)
           grad = np.zeros_like(x)
           for i in range(x.size):
               step = np.zeros(x.size)
               step[i] = h
               grad[i] = (f(x + step) - f(x - step)) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "steps-the-callers-x",
       """Your function steps the caller's own x up and down in place; floating-point
       rounding means it is not exactly restored. Work on a float copy of x.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           x = np.asarray(x, dtype=float)
           grad = np.zeros(x.size)
           for i in range(x.size):
               x[i] += h
               up = f(x)
               x[i] -= 2 * h
               down = f(x)
               x[i] += h
               grad[i] = (up - down) / (2 * h)
           return grad
       """),
    _m("derivatives.numerical_gradient", "returns-a-list",
       """Your result is a Python list. Return a NumPy float array shaped like x.""",
       """
       def numerical_gradient(f, x, h=1e-5):
           base = np.array(x, dtype=float)
           grad = []
           for i in range(base.size):
               step = np.zeros_like(base)
               step[i] = h
               grad.append((f(base + step) - f(base - step)) / (2 * h))
           return grad
       """),
    # ------------------------------------------------------------------ derivatives.quadratic_form_gradient
    _m("derivatives.quadratic_form_gradient", "two-a-x",
       """Your value is 2 A x, which is the gradient only when A is symmetric. For a
       general square A, x appears on both sides of A, giving (A + A^T) x.""",
       """
       def quadratic_form_gradient(A, x):
           return 2.0 * np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
       """),
    _m("derivatives.quadratic_form_gradient", "a-x",
       """Your value is A x, the derivative of only one of the two places where x
       appears. Differentiate both and add: (A + A^T) x.""",
       """
       def quadratic_form_gradient(A, x):
           return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
       """),
    _m("derivatives.quadratic_form_gradient", "a-transpose-x",
       """Your value is A^T x, the derivative of only one of the two places where x
       appears. Differentiate both and add: (A + A^T) x.""",
       """
       def quadratic_form_gradient(A, x):
           return np.asarray(A, dtype=float).T @ np.asarray(x, dtype=float)
       """),
    _m("derivatives.quadratic_form_gradient", "two-a-transpose-x",
       """Your value is 2 A^T x, which is the gradient only when A is symmetric. For a
       general square A the gradient is (A + A^T) x.""",
       """
       def quadratic_form_gradient(A, x):
           return 2.0 * np.asarray(A, dtype=float).T @ np.asarray(x, dtype=float)
       """),
    _m("derivatives.quadratic_form_gradient", "value-of-the-form",
       """Your result is the single number x^T A x, the quadratic form itself. Return its
       gradient, one entry per component of x.""",
       """
       def quadratic_form_gradient(A, x):
           v = np.asarray(x, dtype=float)
           return float(v @ np.asarray(A, dtype=float) @ v)
       """),
]


# The opening paragraph of this module's nbgrader notebook (grader/nbgrader_export.py).
INTRO = (
    'To improve a model we need to know which way, and how strongly, each prediction or '
    'parameter moves the loss: its derivative. Here you work out a few by hand (the squared '
    'error and the binary cross-entropy with respect to a prediction, and the gradient of the '
    'quadratic form $x^\\top A x$, which is $(A + A^\\top)x$ when $A$ is not symmetric) and '
    'write a numerical gradient that estimates any derivative by central differences, $(f(x+h '
    'e_i) - f(x-h e_i)) / 2h$: the standard way to check an analytic formula.'
)

INTRO_JA = (  # INTRO in Japanese (the notebooks of a `language: ja` course; glossary.tsv terms)
    'モデルを改善するには、各予測値やパラメータが損失をどちらの向きに、どれだけ強く動かすか、'
    'つまりその微分を知る必要があります。ここではいくつかを手で求め（予測値についての二乗誤差と'
    '2クラス分類の交差エントロピーの微分、そして二次形式 $x^\\top A x$ の勾配。$A$ が対称でないとき'
    'それは $(A + A^\\top)x$ です）、任意の微分を中心差分 $(f(x+h e_i) - f(x-h e_i)) / 2h$ で'
    '見積もる数値勾配を書きます。これは解析的な式を確かめる標準的な方法です。'
)

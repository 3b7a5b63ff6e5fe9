"""Hidden suite for ``regression.py``."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("regression", seed=20240303)
rng = S.rng

# Article 004: mails sent and sales; its normal equation gives the intercept
# 3253.33 and the slope 9810.30 (the same slope as fit_centered_slope).
MAILS = list(range(1, 11))
SALES = [12500, 19700, 29600, 53700, 47700, 75200, 54500, 85800, 91200, 102200]
x13 = rng.uniform(5, 30, 13)
y13 = 1.7 * x13 + 4.0 + rng.normal(0, 2.0, 13)  # not centred, nonzero intercept

# Article 002: room size in square metres and rent in units of 10,000 yen (its table).
ROOM_M2, RENT = [20, 30, 40], [5, 8, 11]


def article_000_line() -> tuple[np.ndarray, np.ndarray]:
    """Article 000's synthetic line: a legacy RandomState seeded with 0 draws 100
    uniforms on [0, 1) (x is twice them), then 100 standard normals (the noise);
    y = 4 + 3x + noise. Returns the design [1, x] and a flat y (the article keeps
    (100, 1) columns; the values are the same)."""
    state = np.random.RandomState(0)
    x = 2.0 * state.rand(100)
    noise = state.randn(100)
    return np.column_stack([np.ones(100), x]), 4.0 + 3.0 * x + noise


# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "Every function takes lists, tuples or NumPy arrays (integers allowed)"
UNCHANGED = "changes none of its arguments"

c = S.function("center", "x")
CENTER = "Subtract the mean: x - mean(x)."
COLUMNS = "For a 2-D array each column is centred on its own mean."
c.value("the example [2, 4, 6]", [2, 4, 6], public=True, doc=CENTER)
c.value("article 002: the room sizes [20, 30, 40]", ROOM_M2, public=True, doc=CENTER)
c.value("floats", [1.5, -0.5, 4.0, 10.0], doc=CENTER)
c.value("each column of a matrix", np.array([[1.0, 10.0], [2.0, 30.0], [6.0, 20.0], [3.0, 0.0], [8.0, 5.0]]),
        public=True, doc=COLUMNS)
c.value("a random 7x3 matrix", rng.normal(5, 2, size=(7, 3)), doc=COLUMNS)
# The mean of [1, 2, 4] is 7/3: centred values kept in an integer array lose their fractions.
c.value("integer list with a fractional mean", [1, 2, 4], doc=(INPUTS, "Returns a float NumPy array"))
c.value("integer matrix with fractional column means", [[1, 5], [2, 0], [4, 2]],
        doc=(INPUTS, COLUMNS, "Returns a float NumPy array"))
c.shape("same shape as x", [1.5, -0.5, 4.0, 10.0], doc="Returns a float NumPy array with the shape of ``x``.")
c.shape("same shape as a matrix", rng.normal(size=(6, 2)), doc="Returns a float NumPy array with the shape of ``x``.")
c.unchanged("leaves x alone", np.array([1.0, 2.0, 4.0, 9.0]), doc=UNCHANGED)

SLOPE = "a = sum(x_c * y_c) / sum(x_c ** 2)"
fs = S.function("fit_centered_slope", "x, y")
fs.value("a small data set", [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 7.0, 8.5], public=True, doc=SLOPE)
fs.value("article 004: mails and sales (the article's slope)", MAILS, SALES, public=True, doc=(SLOPE, INPUTS))
fs.value("random data", x13, y13, doc=SLOPE)
fs.value("a negative slope", [10, 20, 30, 40, 50], [9.0, 7.5, 6.1, 4.0, 2.2], doc=(SLOPE, INPUTS))
# Means 7/2 and 15/4: centring in an integer array truncates both.
fs.value("integer lists with fractional means", [1, 2, 4, 7], [3, 1, 6, 5], doc=(SLOPE, INPUTS))
fs.shape("returns a single number", x13, y13, doc="Returns a float.")
fs.unchanged("leaves its inputs alone", x13.copy(), y13.copy(), doc=UNCHANGED)

LINE = ("Least-squares line y_hat = a x + b, returned as the pair ``(a, b)``.",
        "b = mean(y) - a * mean(x)")
fl = S.function("fit_line", "x, y")
fl.value("a small data set", [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 7.0, 8.5], public=True, doc=LINE)
fl.value("article 002: room size and rent", ROOM_M2, RENT, public=True, doc=(*LINE, INPUTS))
fl.value("article 002: the three points (1, 2), (2, 3.2), (3, 6.1)", [1, 2, 3], [2, 3.2, 6.1], public=True,
         doc=(*LINE, INPUTS))
fl.value("article 004: mails and sales (the article's beta)", MAILS, SALES, public=True, doc=(*LINE, INPUTS))
fl.value("random data", x13, y13, doc=LINE)
fl.value("integer lists with fractional means", [1, 2, 4, 7], [3, 1, 6, 5], doc=(*LINE, INPUTS))
fl.shape("returns the pair (a, b)", x13, y13, doc="returned as the pair ``(a, b)``")
fl.unchanged("leaves its inputs alone", x13.copy(), y13.copy(), doc=UNCHANGED)

ONE_D = "A 1-D ``x`` of n values becomes an (n, 2) matrix"
N_D = "an (n, d) matrix becomes (n, d + 1)"
ai = S.function("add_intercept", "X")
ai.value("a 1-D x", [3.0, 5.0, 7.0], public=True, doc=("Design matrix with a leading column of ones.", ONE_D))
ai.value("a matrix with 2 columns", rng.normal(size=(5, 2)), doc=("Design matrix with a leading column of ones.", N_D))
ai.value("a column", np.array([[2.0], [4.0], [8.0], [1.0]]), doc=("Design matrix with a leading column of ones.", N_D))
ai.shape("a 1-D x becomes (n, 2)", [3.0, 5.0, 7.0], public=True, doc=ONE_D)
ai.shape("an (n, d) X becomes (n, d + 1)", rng.normal(size=(5, 2)), doc=N_D)
ai.unchanged("leaves X alone", rng.normal(size=(4, 3)), doc=UNCHANGED)

X_mail = np.column_stack([np.ones(10), MAILS])
X_tall = np.column_stack([np.ones(20), rng.normal(size=(20, 3))])
beta = np.array([1.5, -2.0, 0.5, 3.0])
y_tall = X_tall @ beta + rng.normal(0, 0.1, 20)

NE = "Least-squares coefficients beta solving X^T X beta = X^T y."
ne = S.function("normal_equation", "X, y")
ne.value("mails and sales", X_mail, SALES, public=True, doc=(NE, INPUTS))
ne.value("a tall 20x4 design", X_tall, y_tall, doc=NE)
ne.value("no intercept column", rng.normal(size=(8, 2)), rng.normal(size=8),
         doc=(NE, "include the intercept column yourself if you want one"))
ne.value("integer lists", [[1, 0], [1, 1], [1, 2], [1, 5], [1, 7]], [1, 3, 4, 11, 14], doc=(NE, INPUTS))
# A float32 solution (fair: the tolerance is the test's) is off by 1.1e-6 relative
# on these 100 points, just past the course's 1e-6; 1e-5 accepts it and still
# rejects every catalogued mistake.
ne.value("article 000: the seed-0 synthetic line", *article_000_line(), rtol=1e-5, doc=NE)
ne.shape("one coefficient per column", X_tall, y_tall, public=True,
         doc="For a 1-D ``y`` the result is a 1-D array with one entry per column of ``X``.")
ne.unchanged("leaves its inputs alone", X_tall.copy(), y_tall.copy(), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)


# --------------------------------------------------------------------------- known mistakes
# Each a complete wrong version of one function; when a submission's wrong answer equals a
# mistake's on the same call, its hint is shown (grader.scoring.diagnose). Order matters:
# the first matching entry of a function is reported. See grader/mistakes.py for the rules.

_SLOPE_CALLERS = ("regression.fit_centered_slope", "regression.fit_line")

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ regression.center
    _m("regression.center", "global-mean-of-matrix",
       """Your matrix is centred on the mean of all its entries. Centre each column on
       its own mean.""",
       """
       def center(x):
           data = np.asarray(x, dtype=float)
           return data - data.mean()
       """),
    _m("regression.center", "row-means",
       """Your matrix is centred on the mean of each row. Samples are rows and features
       are columns: centre each column on its own mean.""",
       """
       def center(x):
           data = np.asarray(x, dtype=float)
           return data - data.mean(axis=1, keepdims=True)
       """, affects=_SLOPE_CALLERS),
    _m("regression.center", "standardised",
       """Your values are also divided by the standard deviation (standardised).
       Centring only subtracts the mean.""",
       """
       def center(x):
           data = np.asarray(x, dtype=float)
           return (data - data.mean(axis=0)) / data.std(axis=0)
       """, affects=_SLOPE_CALLERS),
    _m("regression.center", "mean-minus-x",
       """Your values have the opposite sign: they are mean - x. Subtract the mean from
       x, not x from the mean.""",
       """
       def center(x):
           data = np.asarray(x, dtype=float)
           return data.mean(axis=0) - data
       """),
    _m("regression.center", "subtracts-in-place",
       """Your function subtracts the mean inside the caller's own array. Work on a copy
       so that x is left as it was.""",
       """
       def center(x):
           data = np.asarray(x, dtype=float)
           data -= data.mean(axis=0)
           return data
       """, affects=_SLOPE_CALLERS),
    _m("regression.center", "integer-array-truncates",
       """Your centred values for integer input are whole numbers: np.array(x) of integers
       is an integer array, and writing x - mean(x) back into it cuts off the fractions.
       Make a float array first, for example np.array(x, dtype=float).""",
       """
       def center(x):
           data = np.array(x)
           data[...] = data - data.mean(axis=0)
           return data
       """, affects=_SLOPE_CALLERS),
    # ------------------------------------------------------------------ regression.fit_centered_slope
    _m("regression.fit_centered_slope", "not-centred",
       """Your slope uses the raw x and y, which is the best line through the origin,
       not through the centre of the data. Centre both before forming the sums.""",
       """
       def fit_centered_slope(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           return float(np.sum(xs * ys) / np.sum(xs * xs))
       """, affects=("regression.fit_line",)),
    _m("regression.fit_centered_slope", "uncentred-denominator",
       """Your denominator is the sum of the squares of the raw x. Use the centred x in
       the sum of squares as well.""",
       """
       def fit_centered_slope(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           yc = center(np.ravel(y))
           return float(np.sum(xs * yc) / np.sum(xs * xs))
       """, affects=("regression.fit_line",)),
    _m("regression.fit_centered_slope", "ratio-upside-down",
       """Your value is the reciprocal of the slope: the ratio is upside down. Divide
       the sum of x_c * y_c by the sum of x_c ** 2.""",
       """
       def fit_centered_slope(x, y):
           xc = center(np.ravel(x))
           yc = center(np.ravel(y))
           return float(np.sum(xc * xc) / np.sum(xc * yc))
       """, affects=("regression.fit_line",)),
    _m("regression.fit_centered_slope", "x-regressed-on-y",
       """Your value divides by the sum of y_c ** 2, which fits x as a function of y.
       The slope of y on x divides by the sum of x_c ** 2.""",
       """
       def fit_centered_slope(x, y):
           xc = center(np.ravel(x))
           yc = center(np.ravel(y))
           return float(np.sum(xc * yc) / np.sum(yc * yc))
       """, affects=("regression.fit_line",)),
    _m("regression.fit_centered_slope", "covariance-variance-ddof-mismatch",
       """Your slope is off by a factor n / (n - 1): the covariance divides by n - 1
       while the variance divides by n. Use the same divisor for both, or plain sums.""",
       """
       def fit_centered_slope(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           return float(np.cov(xs, ys)[0, 1] / np.var(xs))
       """, affects=("regression.fit_line",)),
    _m("regression.fit_centered_slope", "correlation-not-slope",
       """Your value is the correlation coefficient, which has no units. The slope is
       the sum of x_c * y_c divided by the sum of x_c ** 2 only.""",
       """
       def fit_centered_slope(x, y):
           xc = center(np.ravel(x))
           yc = center(np.ravel(y))
           return float(np.sum(xc * yc) / np.sqrt(np.sum(xc * xc) * np.sum(yc * yc)))
       """, affects=("regression.fit_line",)),
    # ------------------------------------------------------------------ regression.fit_line
    _m("regression.fit_line", "intercept-sign",
       """Your intercept is mean(y) + a * mean(x). For the line to pass through the point
       of means, b = mean(y) - a * mean(x).""",
       """
       def fit_line(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           a = fit_centered_slope(xs, ys)
           return a, float(ys.mean() + a * xs.mean())
       """),
    _m("regression.fit_line", "intercept-zero",
       """Your intercept is 0, a line through the origin. The least-squares line passes
       through the point of means instead: b = mean(y) - a * mean(x).""",
       """
       def fit_line(x, y):
           a = fit_centered_slope(x, y)
           return a, 0.0
       """),
    _m("regression.fit_line", "intercept-is-mean-y",
       """Your intercept is mean(y), which is right only when mean(x) is 0. Subtract
       a * mean(x) as well.""",
       """
       def fit_line(x, y):
           ys = np.ravel(np.asarray(y, dtype=float))
           return fit_centered_slope(x, y), float(ys.mean())
       """),
    _m("regression.fit_line", "returns-b-then-a",
       """Your pair is (b, a). Return the slope first and the intercept second: (a, b).""",
       """
       def fit_line(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           a = fit_centered_slope(xs, ys)
           return float(ys.mean() - a * xs.mean()), a
       """),
    _m("regression.fit_line", "slope-through-origin",
       """Your slope is fitted to the raw data (a line through the origin) and the
       intercept added afterwards. Fit the slope on centred data, then set the intercept.""",
       """
       def fit_line(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           a = float(np.sum(xs * ys) / np.sum(xs * xs))
           return a, float(ys.mean() - a * xs.mean())
       """),
    # ------------------------------------------------------------------ regression.add_intercept
    _m("regression.add_intercept", "ones-last",
       """Your column of ones is the last column. Put it first, so the intercept is the
       first coefficient.""",
       """
       def add_intercept(X):
           data = np.asarray(X, dtype=float)
           if data.ndim == 1:
               data = data[:, np.newaxis]
           return np.hstack([data, np.ones((data.shape[0], 1))])
       """),
    _m("regression.add_intercept", "zeros-not-ones",
       """Your added column holds zeros. The intercept column is a column of ones, so
       that its coefficient is added to every prediction.""",
       """
       def add_intercept(X):
           data = np.asarray(X, dtype=float)
           if data.ndim == 1:
               data = data[:, np.newaxis]
           return np.hstack([np.zeros((data.shape[0], 1)), data])
       """),
    _m("regression.add_intercept", "rows-not-columns",
       """Your result has the samples along the columns, shape (2, n). Each sample is
       one row: stack the ones and x side by side into an (n, 2) matrix.""",
       """
       def add_intercept(X):
           data = np.asarray(X, dtype=float)
           return np.vstack([np.ones(len(data)), data])
       """),
    _m("regression.add_intercept", "first-column-overwritten",
       """Your first column was replaced by ones, so a column of data is lost. Add a new
       column of ones in front: the result has one column more than X.""",
       """
       def add_intercept(X):
           data = np.array(X, dtype=float)
           if data.ndim == 1:
               data = data[:, np.newaxis]
           data[:, 0] = 1.0
           return data
       """),
    # ------------------------------------------------------------------ regression.normal_equation
    _m("regression.normal_equation", "only-x-transpose-y",
       """Your result is X^T y alone. The coefficients solve the system
       (X^T X) beta = X^T y, so X^T X still has to be solved for.""",
       """
       def normal_equation(X, y):
           return np.asarray(X, dtype=float).T @ np.asarray(y, dtype=float)
       """),
    _m("regression.normal_equation", "multiplied-not-solved",
       """Your result is (X^T X) times X^T y. Multiply by the inverse of X^T X, or
       better, solve the linear system (X^T X) beta = X^T y.""",
       """
       def normal_equation(X, y):
           design = np.asarray(X, dtype=float)
           return design.T @ design @ design.T @ np.asarray(y, dtype=float)
       """),
    _m("regression.normal_equation", "divided-elementwise",
       """Your result divides X^T y by the matrix X^T X entry by entry, which gives a
       table instead of one coefficient per column. Solve the linear system instead.""",
       """
       def normal_equation(X, y):
           design = np.asarray(X, dtype=float)
           return (design.T @ np.asarray(y, dtype=float)) / (design.T @ design)
       """),
    _m("regression.normal_equation", "one-column-at-a-time",
       """Your coefficients fit each column of X on its own, ignoring how the columns
       overlap. Solve for all coefficients together with X^T X.""",
       """
       def normal_equation(X, y):
           design = np.asarray(X, dtype=float)
           return (design.T @ np.asarray(y, dtype=float)) / np.sum(design ** 2, axis=0)
       """),
    _m("regression.normal_equation", "adds-its-own-intercept",
       """Your result has one coefficient too many: a column of ones was added to X.
       X is already the design matrix; use it as given.""",
       """
       def normal_equation(X, y):
           design = add_intercept(X)
           target = np.asarray(y, dtype=float)
           return np.linalg.solve(design.T @ design, design.T @ target)
       """),
    _m("regression.normal_equation", "column-result",
       """Your coefficients come back as an (d, 1) column. For a 1-D y return a 1-D array
       with one entry per column of X.""",
       """
       def normal_equation(X, y):
           design = np.asarray(X, dtype=float)
           target = np.asarray(y, dtype=float).reshape(-1, 1)
           return np.linalg.solve(design.T @ design, design.T @ target)
       """),
]


# The opening paragraph of this module's nbgrader notebook (grader/nbgrader_export.py).
INTRO = (
    'Least squares picks the line (or plane) that makes the sum of squared residuals as small '
    'as possible. Centring the data (subtracting the means) moves the best line through the '
    'origin, leaving a single slope that you find by setting one derivative to zero; the '
    'intercept then follows from the means. With several inputs the same idea becomes the '
    'normal equation $X^\\top X \\beta = X^\\top y$, where a leading column of ones in $X$ plays '
    'the part of the intercept.'
)

INTRO_JA = (  # INTRO in Japanese (the notebooks of a `language: ja` course; glossary.tsv terms)
    '最小二乗法は、残差の二乗和を最も小さくする直線（または平面）を選びます。データを中心化する'
    '（平均を引く）と最良の直線は原点を通るので、残るのは 1 つの傾きだけで、1 つの微分を 0 とおけば'
    '求まります。切片はそのあと平均から決まります。入力が複数あると、同じ考え方が正規方程式 '
    '$X^\\top X \\beta = X^\\top y$ になり、$X$ の先頭の 1 だけの列が切片の役割を果たします。'
)

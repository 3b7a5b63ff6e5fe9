"""Hidden suite for ``regression.py``."""

from __future__ import annotations

import numpy as np

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


c = S.function("center", "x")
c.value("the example [2, 4, 6]", [2, 4, 6], public=True)
c.value("article 002: the room sizes [20, 30, 40]", ROOM_M2, public=True)
c.value("floats", [1.5, -0.5, 4.0, 10.0])
c.value("each column of a matrix", np.array([[1.0, 10.0], [2.0, 30.0], [6.0, 20.0], [3.0, 0.0], [8.0, 5.0]]), public=True)
c.value("a random 7x3 matrix", rng.normal(5, 2, size=(7, 3)))
c.shape("same shape as x", [1.5, -0.5, 4.0, 10.0])
c.shape("same shape as a matrix", rng.normal(size=(6, 2)))
c.unchanged("leaves x alone", np.array([1.0, 2.0, 4.0, 9.0]))

fs = S.function("fit_centered_slope", "x, y")
fs.value("a small data set", [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 7.0, 8.5], public=True)
fs.value("article 004: mails and sales (the article's slope)", MAILS, SALES, public=True)
fs.value("random data", x13, y13)
fs.value("a negative slope", [10, 20, 30, 40, 50], [9.0, 7.5, 6.1, 4.0, 2.2])
fs.shape("returns a single number", x13, y13)
fs.unchanged("leaves its inputs alone", x13.copy(), y13.copy())

fl = S.function("fit_line", "x, y")
fl.value("a small data set", [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 7.0, 8.5], public=True)
fl.value("article 002: room size and rent", ROOM_M2, RENT, public=True)
fl.value("article 002: the three points (1, 2), (2, 3.2), (3, 6.1)", [1, 2, 3], [2, 3.2, 6.1], public=True)
fl.value("article 004: mails and sales (the article's beta)", MAILS, SALES, public=True)
fl.value("random data", x13, y13)
fl.shape("returns the pair (a, b)", x13, y13)
fl.unchanged("leaves its inputs alone", x13.copy(), y13.copy())

ai = S.function("add_intercept", "X")
ai.value("a 1-D x", [3.0, 5.0, 7.0], public=True)
ai.value("a matrix with 2 columns", rng.normal(size=(5, 2)))
ai.value("a column", np.array([[2.0], [4.0], [8.0], [1.0]]))
ai.shape("a 1-D x becomes (n, 2)", [3.0, 5.0, 7.0], public=True)
ai.shape("an (n, d) X becomes (n, d + 1)", rng.normal(size=(5, 2)))
ai.unchanged("leaves X alone", rng.normal(size=(4, 3)))

X_mail = np.column_stack([np.ones(10), MAILS])
X_tall = np.column_stack([np.ones(20), rng.normal(size=(20, 3))])
beta = np.array([1.5, -2.0, 0.5, 3.0])
y_tall = X_tall @ beta + rng.normal(0, 0.1, 20)

ne = S.function("normal_equation", "X, y")
ne.value("mails and sales", X_mail, SALES, public=True)
ne.value("a tall 20x4 design", X_tall, y_tall)
ne.value("no intercept column", rng.normal(size=(8, 2)), rng.normal(size=8))
ne.value("integer lists", [[1, 0], [1, 1], [1, 2], [1, 5], [1, 7]], [1, 3, 4, 11, 14])
# A float32 solution (fair: the tolerance is the test's) is off by 1.1e-6 relative
# on these 100 points, just past the course's 1e-6; 1e-5 accepts it and still
# rejects every catalogued mistake.
ne.value("article 000: the seed-0 synthetic line", *article_000_line(), rtol=1e-5)
ne.shape("one coefficient per column", X_tall, y_tall, public=True)
ne.unchanged("leaves its inputs alone", X_tall.copy(), y_tall.copy())

TESTS = S.tests
test_case = pytest_tests(TESTS)

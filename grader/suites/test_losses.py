"""Hidden suite for ``losses.py``."""

from __future__ import annotations

import math

import numpy as np

from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("losses", seed=20240101)
rng = S.rng

# Shared inputs. n is never 1 or 2 in the main cases, so a mean and a sum (or a
# half-sum) cannot coincide; residuals are never all equal in size.
y5 = np.array([3.0, -0.5, 2.0, 7.0, 4.25])
p5 = np.array([2.5, 0.0, 2.0, 8.0, 1.75])
y17, p17 = rng.normal(2.0, 3.0, 17), rng.normal(2.0, 3.0, 17)
col, flat = y5.reshape(-1, 1), p5

for name in ("sse", "mse", "mae"):
    f = S.function(name, "y, y_hat")
    f.value("small example", [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0], public=True)
    f.value("column y with flat y_hat", col, flat, public=True)
    f.value("flat y with column y_hat", y5, p5.reshape(-1, 1))
    f.value("two columns", col, p5.reshape(-1, 1))
    f.value("integer lists", [1, 2, 3, 10], [2, 2, 5, 4])
    f.value("tuples", (0.5, 1.5, -2.0), (1.0, 1.0, 1.0))
    f.value("one sample", [4.0], [1.5])
    f.value("random data", y17, p17)
    f.shape("returns a single number", y17, p17)
    f.unchanged("leaves its inputs alone", y17.copy(), p17.copy())

h = S.function("huber", "y, y_hat, delta")
h.value("small and large residuals, delta=1", [0.0, 1.0, 2.0, -3.0, 0.5], [0.2, 3.0, 2.5, 1.0, 0.5], public=True)
h.value("delta=2.5", [0.0, 1.0, 2.0, -3.0, 0.5], [0.2, 3.0, 2.5, 1.0, 0.5], public=True, delta=2.5)
h.value("negative residuals past delta", [0.0, 0.0, 0.0], [3.0, -4.0, 0.5], delta=1.5)
h.value("all residuals small", [1.0, 2.0, 3.0], [1.1, 1.8, 3.3], delta=1.0)
h.value("column and flat", col, flat, delta=0.75)
h.value("random data", y17, p17, delta=2.0)
h.value("integer lists", [1, 5, 9], [2, 2, 2])
h.shape("returns a single number", y17, p17)
h.unchanged("leaves its inputs alone", y17.copy(), p17.copy())

ce = S.function("cross_entropy", "y, y_hat, base")
onehot = np.array([0.0, 0.0, 1.0])
ce.value("worked example, base 2", [0, 0, 1], [0.1, 0.2, 0.7], public=True, base=2)
ce.value("natural log by default", [0, 0, 1], [0.1, 0.2, 0.7], public=True)
ce.value("base 10", [0.0, 1.0, 0.0, 0.0], [0.1, 0.6, 0.2, 0.1], base=10)
ce.value("soft labels", [0.1, 0.7, 0.2], [0.3, 0.5, 0.2], base=2)
Y = np.eye(3)[[0, 2, 1, 2, 0]]  # (5, 3): n != k, so the axes cannot be confused
P = rng.dirichlet(np.ones(3), size=5)
ce.value("batch of 5 samples, 3 classes", Y, P, public=True)
ce.value("batch, base 2", Y, P, base=2)
ce.value("a zero probability on a zero label", [0.0, 1.0, 0.0], [0.0, 0.9, 0.1])
ce.value("a zero probability on the true class", [0.0, 1.0, 0.0], [0.5, 0.0, 0.5])
# A sure, right prediction costs (almost) nothing; the second row keeps the
# mean away from zero so a function returning 0 cannot pass by coincidence.
ce.value("a probability of exactly 1", [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
         [[0.0, 1.0, 0.0], [0.5, 0.3, 0.2]], base=2)
ce.shape("returns a single number", Y, P)
ce.unchanged("leaves its inputs alone", Y.copy(), P.copy())

bce = S.function("binary_cross_entropy", "y, p")
bce.value("four samples", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True)
bce.value("one sample as scalars", 1, 0.7, public=True)
# Article 000's sklearn call, log_loss([0, 0, 1], [0.1, 0.2, 0.7]): three binary
# samples, natural log, mean over samples (0.228393), which is what this function
# computes. It is not the article's base-2 worked example (-log2 0.7 = 0.5146, the
# cross_entropy test "worked example, base 2"): see the student README's notes.
bce.value("article 000: the log_loss example", [0, 0, 1], [0.1, 0.2, 0.7], public=True)
bce.value("label 0 as scalars", 0, 0.3)
bce.value("probabilities of exactly 0 and 1", [1, 0, 1, 0, 1], [1.0, 0.0, 0.0, 1.0, 0.5], rtol=1e-5)
bce.value("random data", rng.integers(0, 2, 23).astype(float), rng.uniform(0.01, 0.99, 23))
bce.value("arrays", np.array([0.0, 1.0, 1.0]), np.array([0.25, 0.75, 0.4]))
bce.shape("returns a single number", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])
bce.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.3, 1.0]))

TESTS = S.tests
test_case = pytest_tests(TESTS)

assert math.isclose(-math.log2(0.7), 0.5146, abs_tol=1e-4)

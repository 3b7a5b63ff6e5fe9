"""Hidden suite for ``optimization.py`` (problem set 3), with its known mistakes."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("optimization", seed=20250302)
rng = S.rng

# Orders are never the identity nor their own reverse, so visiting the rows in
# another order shows; n = 5 with batches of 2 leaves a short last batch.
X5 = [[1.0, 0.5], [1.0, -1.0], [1.0, 2.0], [1.0, 1.5], [1.0, -0.5]]
y5 = [1.0, -2.0, 3.5, 2.0, -0.5]
X4 = [[1.0, 2.0], [1.0, -0.5], [1.0, 1.0], [1.0, 3.0]]
y4 = [4.0, 0.5, 2.5, 5.5]
X9 = np.column_stack([np.ones(9), rng.normal(size=(9, 2))])
y9 = X9 @ np.array([0.5, -1.0, 2.0]) + rng.normal(0.0, 0.3, 9)
theta9 = np.array([0.2, 0.1, -0.3])
order9 = rng.permutation(9)
X6 = np.column_stack([np.ones(6), rng.uniform(-2.0, 2.0, 6)])
y6 = 1.5 * X6[:, 1] - 0.5 + rng.normal(0.0, 0.2, 6)

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
UNCHANGED = "No function here changes its arguments."
SGD = "theta <- theta - lr * (2 / |B|) * X_B^T (X_B theta - y_B)"
SGD_SHORT = "the last batch is shorter and is still used"
SGD_SHAPE = "Returns the trajectory as a float array of shape (n_batches + 1, d)"
sg = S.function("sgd_epoch", "X, y, theta, lr, order, batch_size")
sg.value("5 rows in batches of 2 (the last one short)", X5, y5, [0.0, 0.0], 0.05, [3, 0, 4, 1, 2],
         public=True, batch_size=2, doc=(SGD, SGD_SHORT))
sg.value("one row at a time (the default batch size)", X4, y4, [0.5, 0.0], 0.02, [2, 0, 3, 1], public=True,
         doc=SGD)
sg.value("9 rows, 3 parameters, batches of 4, 4 and 1", X9, y9, theta9, 0.1, order9, batch_size=4,
         doc=(SGD, SGD_SHORT))
sg.value("batch_size = n: one full-batch step", X6, y6, np.array([0.0, 0.5]), 0.1,
         np.array([4, 1, 5, 0, 3, 2]), batch_size=6, doc="a ``batch_size`` of n makes a single full-batch step")
sg.value("9 rows in batches of 3", X9, y9, theta9, 0.05, order9[::-1].copy(), batch_size=3, doc=SGD)
sg.value("integer lists, batches of 3 and 1", [[1, 2], [1, 0], [1, -1], [1, 3]], [3, 1, 0, 5], [0, 1], 0.02,
         [1, 3, 0, 2], batch_size=3, doc=(SGD, "(lists or NumPy arrays, integers allowed)"))
sg.shape("shape (n_batches + 1, d) with a short last batch", X5, y5, [0.0, 0.0], 0.05, [3, 0, 4, 1, 2],
         public=True, batch_size=2, doc=SGD_SHAPE)
sg.shape("shape (2, d) for one full batch", X6, y6, np.array([0.0, 0.5]), 0.1,
         np.array([4, 1, 5, 0, 3, 2]), batch_size=6, doc=SGD_SHAPE)
sg.unchanged("leaves its inputs alone", X9.copy(), y9.copy(), theta9.copy(), 0.1, order9.copy(), batch_size=4,
             doc=("No input is changed.", UNCHANGED))

MS = "lr < 2 / lambda_max"
MS_KINDS = "as a list of lists or a 2-D NumPy array (integers allowed)"
ms = S.function("max_stable_learning_rate", "H")
A4 = rng.normal(size=(4, 4))
H4 = A4 @ A4.T + 0.5 * np.eye(4)
X5a = np.array(X5)
ms.value("the elongated bowl x0^2 + 10 x1^2 + x0 x1", [[2.0, 1.0], [1.0, 20.0]], public=True, doc=(MS, MS_KINDS))
ms.value("the MSE's Hessian (2/n) X^T X of a small design", (2 / 5) * X5a.T @ X5a, public=True, doc=MS)
ms.value("a random 4x4", H4, doc=MS)
ms.value("integer lists", [[6, 2, 1], [2, 5, 2], [1, 2, 4]], doc=(MS, MS_KINDS))
ms.value("a diagonal matrix", np.diag([3.0, 0.5, 7.0]), doc=MS)
ms.value("a 1x1 matrix", [[5.0]], doc=("``H`` is a symmetric positive-definite (d, d) matrix", MS))
ms.shape("returns a single number", H4, public=True, doc="Returns 2 / lambda_max as a float.")
ms.unchanged("leaves H alone", H4.copy(), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ optimization.sgd_epoch
    _m("optimization.sgd_epoch", "drops-short-last-batch",
       """Your epoch skips the last batch when it is shorter than batch_size. Every row is
       used once per epoch: when n is not a multiple of batch_size, the short last batch
       still gets its step.""",
       """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.ravel(np.asarray(y, dtype=float))
           rows = np.asarray(order, dtype=int)
           params = np.array(theta, dtype=float)
           path = [params.copy()]
           for start in range(0, rows.size - batch_size + 1, batch_size):
               batch = rows[start:start + batch_size]
               xb, yb = design[batch], target[batch]
               params = params - lr * (2.0 / batch.size) * xb.T @ (xb @ params - yb)
               path.append(params.copy())
           return np.array(path)
       """),
    _m("optimization.sgd_epoch", "averages-over-n",
       """Your steps divide each batch's gradient by the number of rows n. Each step is on
       the MSE of its batch alone, so divide by the batch's own size |B| (the short last
       batch included).""",
       """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.ravel(np.asarray(y, dtype=float))
           rows = np.asarray(order, dtype=int)
           params = np.array(theta, dtype=float)
           path = [params.copy()]
           for start in range(0, rows.size, batch_size):
               batch = rows[start:start + batch_size]
               xb, yb = design[batch], target[batch]
               params = params - lr * (2.0 / target.size) * xb.T @ (xb @ params - yb)
               path.append(params.copy())
           return np.array(path)
       """),
    _m("optimization.sgd_epoch", "missing-factor-2",
       """Your steps are half as long as they should be: the derivative of the squared error
       (X theta - y) ** 2 brings down a factor 2, so the gradient is
       (2 / |B|) X_B^T (X_B theta - y_B).""",
       """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.ravel(np.asarray(y, dtype=float))
           rows = np.asarray(order, dtype=int)
           params = np.array(theta, dtype=float)
           path = [params.copy()]
           for start in range(0, rows.size, batch_size):
               batch = rows[start:start + batch_size]
               xb, yb = design[batch], target[batch]
               params = params - lr * (1.0 / batch.size) * xb.T @ (xb @ params - yb)
               path.append(params.copy())
           return np.array(path)
       """),
    _m("optimization.sgd_epoch", "ignores-order",
       """Your epoch visits the rows as they are stored (0, 1, 2, ...). Use the rows in the
       order given by `order`: the first batch is X[order[:batch_size]], and so on.""",
       """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.ravel(np.asarray(y, dtype=float))
           rows = np.arange(target.size)
           params = np.array(theta, dtype=float)
           path = [params.copy()]
           for start in range(0, rows.size, batch_size):
               batch = rows[start:start + batch_size]
               xb, yb = design[batch], target[batch]
               params = params - lr * (2.0 / batch.size) * xb.T @ (xb @ params - yb)
               path.append(params.copy())
           return np.array(path)
       """),
    _m("optimization.sgd_epoch", "start-left-out",
       """Your trajectory starts after the first step. Its first row is the starting theta,
       then one row per batch: n_batches + 1 rows in all.""",
       """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.ravel(np.asarray(y, dtype=float))
           rows = np.asarray(order, dtype=int)
           params = np.array(theta, dtype=float)
           path = []
           for start in range(0, rows.size, batch_size):
               batch = rows[start:start + batch_size]
               xb, yb = design[batch], target[batch]
               params = params - lr * (2.0 / batch.size) * xb.T @ (xb @ params - yb)
               path.append(params.copy())
           return np.array(path)
       """),
    # ------------------------------------------------------------------ optimization.max_stable_learning_rate
    _m("optimization.max_stable_learning_rate", "one-over-lambda-max",
       """Your rate is 1 / lambda_max, half the limit. A step scales the error along the
       top eigenvector by (1 - lr * lambda_max), which stays inside (-1, 1) up to
       lr = 2 / lambda_max.""",
       """
       def max_stable_learning_rate(H):
           return float(1.0 / np.max(np.linalg.eigvalsh(np.asarray(H, dtype=float))))
       """),
    _m("optimization.max_stable_learning_rate", "uses-lambda-min",
       """Your rate uses the smallest eigenvalue. The steepest direction, the largest
       eigenvalue lambda_max, is the first to overshoot, so the limit is 2 / lambda_max.""",
       """
       def max_stable_learning_rate(H):
           return float(2.0 / np.min(np.linalg.eigvalsh(np.asarray(H, dtype=float))))
       """),
    _m("optimization.max_stable_learning_rate", "largest-diagonal-entry",
       """Your rate uses the largest entry on H's diagonal, which is the largest eigenvalue only
       when H is diagonal. Take the eigenvalues of H (np.linalg.eigvalsh) and use the largest.""",
       """
       def max_stable_learning_rate(H):
           return float(2.0 / np.max(np.diag(np.asarray(H, dtype=float))))
       """),
    _m("optimization.max_stable_learning_rate", "lambda-max-over-2",
       """Your value is lambda_max / 2, the limit turned upside down. The largest stable
       learning rate is 2 / lambda_max: the steeper the loss, the smaller the step.""",
       """
       def max_stable_learning_rate(H):
           return float(np.max(np.linalg.eigvalsh(np.asarray(H, dtype=float))) / 2.0)
       """),
]

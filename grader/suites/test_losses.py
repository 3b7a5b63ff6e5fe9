"""Hidden suite for ``losses.py``."""

from __future__ import annotations

import math

import numpy as np

from grader.mistakes import Mistake, _m
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

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "Every function takes lists, tuples or NumPy arrays (integers allowed)"
UNCHANGED = "changes none of its arguments"
FLOAT = "Returns a float."
FORMULA = {"sse": "the sum over i of (y_i - y_hat_i) ** 2", "mse": "the SSE divided by the number of samples n",
           "mae": "the mean over samples of |y_i - y_hat_i|"}
SHAPES = {"sse": "either may be a flat ``(n,)`` vector or an ``(n, 1)`` column"}
LISTS = {"sse": "as a list, tuple or NumPy array (integers allowed)"}
for name in ("sse", "mse", "mae"):
    f = S.function(name, "y, y_hat")
    same = "Same input rules as ``sse``."
    rule, kinds = SHAPES.get(name, same), LISTS.get(name, same)
    f.value("small example", [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0], public=True, doc=FORMULA[name])
    f.value("column y with flat y_hat", col, flat, public=True, doc=rule)
    f.value("flat y with column y_hat", y5, p5.reshape(-1, 1), doc=rule)
    f.value("two columns", col, p5.reshape(-1, 1), doc=rule)
    # (the SSE of whole numbers is whole; the MSE's and the MAE's here are not: 10.25, 2.25)
    f.value("integer lists", [1, 2, 3, 10], [2, 2, 5, 4], doc=kinds)
    f.value("tuples", (0.5, 1.5, -2.0), (1.0, 1.0, 1.0), doc=kinds)
    f.value("one sample", [4.0], [1.5], doc=FORMULA[name])
    f.value("random data", y17, p17, doc=FORMULA[name])
    f.shape("returns a single number", y17, p17, doc=FLOAT)
    f.unchanged("leaves its inputs alone", y17.copy(), p17.copy(), doc=UNCHANGED)

HUBER = "each sample costs r ** 2 / 2 while |r| <= delta"
HUBER_LINEAR = "delta * (|r| - delta / 2) beyond it"
h = S.function("huber", "y, y_hat, delta")
h.value("small and large residuals, delta=1", [0.0, 1.0, 2.0, -3.0, 0.5], [0.2, 3.0, 2.5, 1.0, 0.5], public=True,
        doc=(HUBER, HUBER_LINEAR))
h.value("delta=2.5", [0.0, 1.0, 2.0, -3.0, 0.5], [0.2, 3.0, 2.5, 1.0, 0.5], public=True, delta=2.5,
        doc=(HUBER, HUBER_LINEAR))
h.value("negative residuals past delta", [0.0, 0.0, 0.0], [3.0, -4.0, 0.5], delta=1.5, doc=HUBER_LINEAR)
h.value("all residuals small", [1.0, 2.0, 3.0], [1.1, 1.8, 3.3], delta=1.0, doc=HUBER)
h.value("column and flat", col, flat, delta=0.75, doc="Same input rules as ``sse``.")
h.value("random data", y17, p17, delta=2.0, doc=(HUBER, HUBER_LINEAR))
h.value("integer lists", [1, 5, 9], [2, 2, 2], doc="Same input rules as ``sse``.")
h.shape("returns a single number", y17, p17, doc=FLOAT)
h.unchanged("leaves its inputs alone", y17.copy(), p17.copy(), doc=UNCHANGED)

ONE = "For one sample (1-D inputs of k class values): -sum_k y_k * log_base(y_hat_k)."
BATCH = "For a batch (2-D inputs of shape (n, k)): the mean of that over the n rows."
CLIP = "``y_hat`` is clipped to [EPS, 1 - EPS] first"
ZERO = "a class with y_k == 0 contributes nothing even where y_hat_k == 0"
ce = S.function("cross_entropy", "y, y_hat, base")
onehot = np.array([0.0, 0.0, 1.0])
ce.value("worked example, base 2", [0, 0, 1], [0.1, 0.2, 0.7], public=True, base=2, doc=(ONE, INPUTS))
ce.value("natural log by default", [0, 0, 1], [0.1, 0.2, 0.7], public=True,
         doc="The default ``base`` is e (natural logarithm).")
ce.value("base 10", [0.0, 1.0, 0.0, 0.0], [0.1, 0.6, 0.2, 0.1], base=10, doc=ONE)
ce.value("integer one-hot labels, a batch", [[0, 1, 0], [0, 0, 1]], [[0.2, 0.5, 0.3], [0.1, 0.6, 0.3]],
         doc=(INPUTS, "For a batch (2-D inputs of shape (n, k)): the mean of that over the n rows."))
ce.value("soft labels", [0.1, 0.7, 0.2], [0.3, 0.5, 0.2], base=2,
         doc=("Cross-entropy between true class probabilities ``y``", ONE))
Y = np.eye(3)[[0, 2, 1, 2, 0]]  # (5, 3): n != k, so the axes cannot be confused
P = rng.dirichlet(np.ones(3), size=5)
ce.value("batch of 5 samples, 3 classes", Y, P, public=True, doc=BATCH)
ce.value("batch, base 2", Y, P, base=2, doc=BATCH)
ce.value("a zero probability on a zero label", [0.0, 1.0, 0.0], [0.0, 0.9, 0.1], doc=ZERO)
ce.value("a zero probability on the true class", [0.0, 1.0, 0.0], [0.5, 0.0, 0.5], doc=CLIP)
# A sure, right prediction costs (almost) nothing; the second row keeps the
# mean away from zero so a function returning 0 cannot pass by coincidence.
ce.value("a probability of exactly 1", [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
         [[0.0, 1.0, 0.0], [0.5, 0.3, 0.2]], base=2, doc=(CLIP, ZERO, BATCH))
ce.shape("returns a single number", Y, P, doc=FLOAT)
ce.unchanged("leaves its inputs alone", Y.copy(), P.copy(), doc=UNCHANGED)

BCE = "Each sample costs -(y * ln p + (1 - y) * ln(1 - p))"
MEAN = "averaged over samples, natural log"
bce = S.function("binary_cross_entropy", "y, p")
bce.value("four samples", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], public=True, doc=(BCE, MEAN))
bce.value("one sample as scalars", 1, 0.7, public=True, doc="plain scalars are allowed")
# Article 000's sklearn call, log_loss([0, 0, 1], [0.1, 0.2, 0.7]): three binary
# samples, natural log, mean over samples (0.228393), which is what this function
# computes. It is not the article's base-2 worked example (-log2 0.7 = 0.5146, the
# cross_entropy test "worked example, base 2"): see the student README's notes.
bce.value("article 000: the log_loss example", [0, 0, 1], [0.1, 0.2, 0.7], public=True, doc=(BCE, MEAN))
bce.value("label 0 as scalars", 0, 0.3, doc="plain scalars are allowed")
bce.value("probabilities of exactly 0 and 1", [1, 0, 1, 0, 1], [1.0, 0.0, 0.0, 1.0, 0.5], rtol=1e-5,
          doc="with p clipped to [EPS, 1 - EPS]")
bce.value("random data", rng.integers(0, 2, 23).astype(float), rng.uniform(0.01, 0.99, 23), doc=(BCE, MEAN))
bce.value("arrays", np.array([0.0, 1.0, 1.0]), np.array([0.25, 0.75, 0.4]), doc=INPUTS)
bce.shape("returns a single number", [1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65], doc=FLOAT)
bce.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.3, 1.0]), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)

assert math.isclose(-math.log2(0.7), 0.5146, abs_tol=1e-4)


# --------------------------------------------------------------------------- known mistakes
# Each a complete wrong version of one function; when a submission's wrong answer equals a
# mistake's on the same call, its hint is shown (grader.scoring.diagnose). Order matters:
# the first matching entry of a function is reported. See grader/mistakes.py for the rules.

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ losses.sse
    _m("losses.sse", "mean-instead-of-sum",
       """Your value is the mean of the squared errors (the MSE). The SSE adds the
       squared errors up; do not divide by the number of samples.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.mean(r ** 2))
       """),
    _m("losses.sse", "residuals-not-squared",
       """Your value is the plain sum of the errors y - y_hat, where positive and negative
       errors cancel. Square each error before adding them up.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(r))
       """),
    _m("losses.sse", "absolute-instead-of-square",
       """Your value is the sum of the absolute errors |y - y_hat|. The SSE squares each
       error instead of taking its absolute value.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(np.abs(r)))
       """),
    _m("losses.sse", "square-root-of-sum",
       """Your value is the square root of the SSE (the length of the error vector).
       Return the sum of squared errors itself, without the square root.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sqrt(np.sum(r ** 2)))
       """),
    _m("losses.sse", "half-sum",
       """Your value is half the SSE. Some texts put a factor 1/2 in front to tidy up the
       derivative, but this exercise asks for the plain sum of squared errors.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(0.5 * np.sum(r ** 2))
       """),
    _m("losses.sse", "square-of-sum",
       """Your value is the square of the summed errors. Square every error first and
       then add the squares, not the other way round.""",
       """
       def sse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(r) ** 2)
       """),
    _m("losses.sse", "broadcasting-column-and-flat",
       """Your value adds up n * n squared differences: a flat (n,) array and an (n, 1)
       column broadcast to an (n, n) table. Flatten both inputs before subtracting.""",
       """
       def sse(y, y_hat):
           return float(np.sum((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2))
       """),
    # ------------------------------------------------------------------ losses.mse
    _m("losses.mse", "sum-instead-of-mean",
       """Your value is the sum of the squared errors (the SSE). The MSE is their mean:
       divide the sum by the number of samples n.""",
       """
       def mse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(r ** 2))
       """),
    _m("losses.mse", "divided-by-n-minus-1",
       """Your value divides the sum of squared errors by n - 1, as for a sample variance.
       The MSE divides by the number of samples n.""",
       """
       def mse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(r ** 2)) / (r.size - 1)
       """),
    _m("losses.mse", "root-mean-square",
       """Your value is the RMSE, the square root of the MSE. Return the mean of the
       squared errors without taking the root.""",
       """
       def mse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sqrt(np.mean(r ** 2)))
       """),
    _m("losses.mse", "absolute-instead-of-square",
       """Your value is the mean absolute error (MAE). The MSE squares each error
       instead of taking its absolute value.""",
       """
       def mse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.mean(np.abs(r)))
       """),
    _m("losses.mse", "half-mean",
       """Your value is half the MSE. Leave out the factor 1/2: the MSE is just the mean
       of the squared errors.""",
       """
       def mse(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(0.5 * np.mean(r ** 2))
       """),
    _m("losses.mse", "broadcasting-column-and-flat",
       """Your value is a mean over n * n squared differences: a flat (n,) array and an
       (n, 1) column broadcast to an (n, n) table. Flatten both inputs before subtracting.""",
       """
       def mse(y, y_hat):
           return float(np.mean((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2))
       """),
    # ------------------------------------------------------------------ losses.mae
    _m("losses.mae", "squared-instead-of-absolute",
       """Your value is the mean of the squared errors (the MSE). The MAE averages the
       absolute errors |y - y_hat| instead.""",
       """
       def mae(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.mean(r ** 2))
       """),
    _m("losses.mae", "missing-absolute-value",
       """Your value is the mean of the signed errors, where positive and negative errors
       cancel. Take the absolute value of each error before averaging.""",
       """
       def mae(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.mean(r))
       """),
    _m("losses.mae", "absolute-of-mean",
       """Your value is the absolute value of the mean error, taken after the errors have
       already cancelled. Take the absolute value of each error first, then average.""",
       """
       def mae(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(abs(np.mean(r)))
       """),
    _m("losses.mae", "sum-instead-of-mean",
       """Your value is the sum of the absolute errors. The MAE is their mean: divide by
       the number of samples n.""",
       """
       def mae(y, y_hat):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           return float(np.sum(np.abs(r)))
       """),
    _m("losses.mae", "broadcasting-column-and-flat",
       """Your value is a mean over n * n absolute differences: a flat (n,) array and an
       (n, 1) column broadcast to an (n, n) table. Flatten both inputs before subtracting.""",
       """
       def mae(y, y_hat):
           return float(np.mean(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))
       """),
    # ------------------------------------------------------------------ losses.huber
    _m("losses.huber", "quadratic-part-without-half",
       """Your small residuals cost r ** 2 instead of r ** 2 / 2. Keep the factor 1/2 in
       the quadratic part; it is what makes the two parts meet smoothly at delta.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float)))
           return float(np.mean(np.where(r <= delta, r * r, delta * (r - 0.5 * delta))))
       """),
    _m("losses.huber", "linear-part-without-half",
       """Your large residuals cost delta * (|r| - delta) instead of
       delta * (|r| - delta / 2), so the loss jumps down at |r| = delta. Subtract only
       half of delta in the linear part.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float)))
           return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * (r - delta))))
       """),
    _m("losses.huber", "signed-residual-in-linear-part",
       """Your linear part uses the signed residual r instead of |r|, so large negative
       residuals lower the loss. Use the absolute residual in both parts.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           a = np.abs(r)
           return float(np.mean(np.where(a <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))))
       """),
    _m("losses.huber", "signed-residual-in-condition",
       """Your large negative residuals are charged the quadratic cost: the test against
       delta uses the signed residual. Compare |r| with delta.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
           a = np.abs(r)
           return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))))
       """),
    _m("losses.huber", "sum-instead-of-mean",
       """Your value is the sum of the per-sample Huber costs. This loss is averaged over
       the samples: divide by n.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float)))
           return float(np.sum(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))))
       """),
    _m("losses.huber", "delta-ignored",
       """Your value is the Huber loss with delta = 1 whatever delta was given. Use the
       delta argument both for the threshold and in the linear part.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float)))
           return float(np.mean(np.where(r <= 1.0, 0.5 * r * r, r - 0.5)))
       """),
    _m("losses.huber", "linear-part-without-offset",
       """Your large residuals cost delta * |r|, which is more than the quadratic part
       at |r| = delta. Subtract delta / 2 inside the linear part so the pieces meet.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float)))
           return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * r)))
       """),
    _m("losses.huber", "broadcasting-column-and-flat",
       """Your value is a mean over n * n residuals: a flat (n,) array and an (n, 1)
       column broadcast to an (n, n) table. Flatten both inputs before subtracting.""",
       """
       def huber(y, y_hat, delta=1.0):
           r = np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))
           return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))))
       """),
    # ------------------------------------------------------------------ losses.cross_entropy
    _m("losses.cross_entropy", "base-ignored",
       """Your value is the cross-entropy in natural-log units (nats) whatever base was
       asked. Divide the natural logarithm by ln(base) to change units.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log(p))
           if terms.ndim <= 1:
               return float(np.sum(terms))
           return float(np.mean(np.sum(terms, axis=-1)))
       """),
    _m("losses.cross_entropy", "always-base-2",
       """Your value is measured in bits (log base 2) whatever base was asked; the
       default base is e. Use the base argument.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log2(p))
           if terms.ndim <= 1:
               return float(np.sum(terms))
           return float(np.mean(np.sum(terms, axis=-1)))
       """),
    _m("losses.cross_entropy", "multiplied-by-ln-base",
       """Your value multiplies the natural logarithm by ln(base). Changing the base
       means dividing by ln(base), not multiplying.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log(p)) * math.log(base)
           if terms.ndim <= 1:
               return float(np.sum(terms))
           return float(np.mean(np.sum(terms, axis=-1)))
       """),
    _m("losses.cross_entropy", "batch-summed-not-averaged",
       """Your value for a batch adds up the cross-entropies of all rows. For 2-D input,
       sum over the classes of each row and then average over the rows.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log(p)) / math.log(base)
           return float(np.sum(terms))
       """),
    _m("losses.cross_entropy", "batch-axes-swapped",
       """Your batch value sums over the samples and averages over the classes. Rows are
       samples and columns are classes: sum each row over the classes, then average over
       the rows.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log(p)) / math.log(base)
           if terms.ndim <= 1:
               return float(np.sum(terms))
           return float(np.mean(np.sum(terms, axis=0)))
       """),
    _m("losses.cross_entropy", "averaged-over-classes",
       """Your value averages over the classes. Within one sample the terms
       -y_k log p_k are added up over the classes; only the rows of a batch are averaged.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, -t * np.log(p)) / math.log(base)
           return float(np.mean(terms))
       """),
    _m("losses.cross_entropy", "missing-minus-sign",
       """Your value has the right size but is negative. Logarithms of probabilities are
       negative, so the cross-entropy needs a minus sign in front of the sum.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.asarray(y, dtype=float)
           p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
           terms = np.where(t == 0, 0.0, t * np.log(p)) / math.log(base)
           if terms.ndim <= 1:
               return float(np.sum(terms))
           return float(np.mean(np.sum(terms, axis=-1)))
       """),
    _m("losses.cross_entropy", "no-clipping",
       """A probability of exactly 0 or 1 gives log(0), so 0 * log(0) is NaN and a true
       class with probability 0 costs infinity. Clip the predictions to [EPS, 1 - EPS]
       before the logarithm and let classes with y = 0 add nothing.""",
       """
       def cross_entropy(y, y_hat, base=math.e):
           t = np.atleast_2d(np.asarray(y, dtype=float))
           p = np.atleast_2d(np.asarray(y_hat, dtype=float))
           costs = [-sum(tk * math.log(pk, base) for tk, pk in zip(tr, pr)) for tr, pr in zip(t, p)]
           return sum(costs) / len(costs)
       """),
    # ------------------------------------------------------------------ losses.binary_cross_entropy
    _m("losses.binary_cross_entropy", "log-base-2",
       """Your value is in bits (log base 2). The binary cross-entropy here uses the
       natural logarithm.""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(-(t * np.log2(q) + (1 - t) * np.log2(1 - q))))
       """),
    _m("losses.binary_cross_entropy", "sum-instead-of-mean",
       """Your value is the sum of the per-sample losses. Average them over the samples
       instead.""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.sum(-(t * np.log(q) + (1 - t) * np.log(1 - q))))
       """),
    _m("losses.binary_cross_entropy", "missing-minus-sign",
       """Your value has the right size but is negative. The logarithms of probabilities
       are negative, so the loss needs a minus sign in front.""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(t * np.log(q) + (1 - t) * np.log(1 - q)))
       """),
    _m("losses.binary_cross_entropy", "terms-swapped",
       """Your value pairs label 1 with log(1 - p) and label 0 with log(p). p is the
       probability of label 1, so y goes with log(p) and 1 - y with log(1 - p).""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(-(t * np.log(1 - q) + (1 - t) * np.log(q))))
       """),
    _m("losses.binary_cross_entropy", "missing-label-0-term",
       """Your value only counts the samples with label 1. Samples with label 0 cost
       -log(1 - p); add the (1 - y) * log(1 - p) term.""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(-t * np.log(q)))
       """),
    _m("losses.binary_cross_entropy", "no-clipping",
       """A probability of exactly 0 or 1 gives log(0), which makes the loss infinite
       or NaN. Clip p to [EPS, 1 - EPS] before taking logarithms.""",
       """
       def binary_cross_entropy(y, p):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.ravel(np.asarray(p, dtype=float))
           costs = [-(ti * math.log(qi) + (1 - ti) * math.log(1 - qi)) for ti, qi in zip(t, q)]
           return sum(costs) / len(costs)
       """),
]


# The opening paragraph of this module's nbgrader notebook (grader/nbgrader_export.py).
INTRO = (
    'A loss function turns *how wrong is the model?* into a single number that training can '
    'push down. For regression the model predicts real numbers and everything starts from the '
    'gap $r = y - \\hat y$ between truth and prediction: squaring it (SSE, MSE) punishes big '
    'misses much more than small ones, its absolute value (MAE) treats every unit of error '
    'alike, and the Huber loss is quadratic near zero but linear far out, so a few outliers '
    'cannot dominate. For classification the model predicts probabilities, and cross-entropy '
    'charges $-\\log$ of the probability given to the true class: almost nothing for a '
    'confident right answer, without bound for a confident wrong one. That is why '
    'probabilities are clipped to $[\\varepsilon, 1-\\varepsilon]$ (`EPS`) before any '
    'logarithm.'
)

INTRO_JA = (  # INTRO in Japanese (the notebooks of a `language: ja` course; glossary.tsv terms)
    '損失関数は「モデルがどれだけ間違っているか」を、学習で小さくしていける 1 つの数値に変えます。'
    '回帰ではモデルは実数を予測し、すべては正解と予測値の差 $r = y - \\hat y$ から始まります。'
    'これを二乗する損失（二乗和誤差、平均二乗誤差）は小さな外れより大きな外れをずっと重く罰し、'
    '絶対値をとる損失（平均絶対誤差）は誤差の 1 単位をどれも同じに扱い、Huber Loss は 0 の近くでは'
    '二次関数、遠くでは一次関数なので、少数の外れ値に支配されません。分類ではモデルは確率を予測し、'
    '交差エントロピーは正解のクラスに与えた確率の $-\\log$ を課します。自信をもって正解すればほとんど 0、'
    '自信をもって間違えれば際限なく大きくなります。そのため、対数をとる前に確率を '
    '$[\\varepsilon, 1-\\varepsilon]$（`EPS`）の範囲にクリップします。'
)

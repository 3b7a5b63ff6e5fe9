"""The catalogue of known student mistakes, used to explain a wrong answer.

Each entry is a complete wrong version of one exercise function. When the
grading plan is built (:func:`grader.plan.mistake_outcomes`), every entry is
run on its function's test inputs inside a private copy of the solution module;
when a submission's wrong output equals a mistake's output on the same call,
:func:`grader.scoring.diagnose` attaches that mistake's hint to the failed test.

Order matters: diagnosis reports the first matching entry of a function, so
the more common mistake comes first. Only finite numeric results of ``value``
tests are compared, so a mistake that merely changes its inputs or returns the
wrong container is still graded (it loses points) but its hint is never
attached; ``tests/test_mistakes.py`` lists those entries.

A mistake must never *return* NaN or infinity: ``checks.same_numbers`` treats
an infinite reference as matching every finite answer, so such an entry would
be "diagnosed" in any wrong submission. Mistakes that hit log(0) or a division
by zero are therefore written with Python floats, which raise instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Mistake:
    """One known wrong implementation of an exercise function."""

    function: str  # "losses.sse"
    name: str  # short slug, unique per function: "mean-instead-of-sum"
    hint: str  # shown to the student when their output equals this mistake's output
    source: str  # the complete wrong ``def <function>(...)``, same signature, dedented
    affects: tuple[str, ...] = ()  # callers (module.function) in the solutions that may also lose points


def _m(function: str, name: str, hint: str, source: str, affects: tuple[str, ...] = ()) -> Mistake:
    return Mistake(function, name, " ".join(hint.split()), dedent(source).strip() + "\n", affects)


_SLOPE_CALLERS = ("regression.fit_centered_slope", "regression.fit_line")

CATALOGUE: list[Mistake] = [
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

"""Loss functions: how far a model's predictions are from the truth.

Regression losses compare real-valued targets ``y`` with predictions ``y_hat``;
classification losses compare (one-hot or 0/1) labels with predicted
probabilities. Every function takes lists, tuples or NumPy arrays (integers allowed)
and changes none of its arguments.
"""

import math

import numpy as np

EPS = 1e-12
"""Probabilities are clipped to ``[EPS, 1 - EPS]`` before any logarithm."""


def _residuals(y, y_hat):
    # A flat (n,) vector and an (n, 1) column hold the same n values; flattening
    # both avoids the (n,) - (n, 1) -> (n, n) broadcasting trap.
    return np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))


def sse(y, y_hat):
    """Sum of squared errors, the sum over i of (y_i - y_hat_i) ** 2.

    ``y`` and ``y_hat`` hold the same n values; either may be a flat ``(n,)``
    vector or an ``(n, 1)`` column, as a list, tuple or NumPy array
    (integers allowed). Returns a float.
    """
    r = _residuals(y, y_hat)
    return float(np.sum(r * r))


def mse(y, y_hat):
    """Mean squared error: the SSE divided by the number of samples n.

    Same input rules as ``sse``. Returns a float.
    """
    r = _residuals(y, y_hat)
    return float(np.sum(r * r) / r.size)


def mae(y, y_hat):
    """Mean absolute error: the mean over samples of |y_i - y_hat_i|.

    Same input rules as ``sse``. Less sensitive to outliers than the MSE.
    Returns a float.
    """
    r = _residuals(y, y_hat)
    return float(np.mean(np.abs(r)))


def huber(y, y_hat, delta=1.0):
    """Huber loss, averaged over samples.

    With r = y - y_hat, each sample costs r ** 2 / 2 while |r| <= delta
    (quadratic, like the MSE) and delta * (|r| - delta / 2) beyond it
    (linear, like the MAE). Same input rules as ``sse``. Returns a float.
    """
    r = np.abs(_residuals(y, y_hat))
    per_sample = np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))
    return float(np.mean(per_sample))


def cross_entropy(y, y_hat, base=math.e):
    """Cross-entropy between true class probabilities ``y`` and predictions ``y_hat``.

    For one sample (1-D inputs of k class values): -sum_k y_k * log_base(y_hat_k).
    For a batch (2-D inputs of shape (n, k)): the mean of that over the n rows.
    ``y_hat`` is clipped to [EPS, 1 - EPS] first, and a class with y_k == 0
    contributes nothing even where y_hat_k == 0. The default ``base`` is e
    (natural logarithm). Returns a float.
    """
    t = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(y_hat, dtype=float), EPS, 1 - EPS)
    terms = np.where(t == 0, 0.0, -t * np.log(p)) / math.log(base)
    if terms.ndim <= 1:
        return float(np.sum(terms))
    return float(np.mean(np.sum(terms, axis=-1)))


def binary_cross_entropy(y, p):
    """Binary cross-entropy (log loss), averaged over samples, natural log.

    Each sample costs -(y * ln p + (1 - y) * ln(1 - p)) with p clipped to
    [EPS, 1 - EPS]. ``y`` holds 0/1 labels, ``p`` the predicted probability
    of label 1; plain scalars are allowed. Returns a float.
    """
    t = np.ravel(np.asarray(y, dtype=float))
    q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
    return float(np.mean(-(t * np.log(q) + (1 - t) * np.log(1 - q))))

"""Classification losses: from raw scores (logits) to probabilities and penalties.

A classifier usually outputs unnormalised scores, the logits ``z``. Softmax
turns a row of logits into class probabilities, and the cross-entropy of those
probabilities is the standard multi-class loss. The binary losses here take
labels and either a score (hinge) or a probability (focal loss).

Conventions, as in ``losses.py``: natural logarithms; probabilities are
clipped to ``[EPS, 1 - EPS]`` before a logarithm; a loss over several samples
is their mean; inputs may be lists, tuples or NumPy arrays and are never
modified. A 1-D input is one sample and a 2-D input a batch of samples, one
per row, where a function says so.
"""

import numpy as np

EPS = 1e-12
"""Probabilities are clipped to ``[EPS, 1 - EPS]`` before any logarithm."""


def _log_softmax(a):
    # log softmax(z) = z - max - log(sum exp(z - max)), row by row: every
    # exponent is <= 0, so nothing overflows, and the log never sees a 0.
    shifted = a - np.max(a, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _sigmoid(z):
    # 1 / (1 + e^-z) written with e^-|z| only, so it never overflows.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    """Softmax of the logits ``z``: exp(z_j) / sum_k exp(z_k).

    A 1-D ``z`` of k logits is one sample and gives k probabilities that add
    up to 1. A 2-D ``z`` of shape (n, k) is a batch: each row is turned into
    probabilities on its own. Subtract the row's largest logit before taking
    exponentials; the result is the same and nothing overflows, so
    ``softmax([1000, 1001, 1002])`` equals ``softmax([0, 1, 2])``.
    Integer logits are allowed. Returns a float NumPy array with the shape of
    ``z``.
    """
    return np.exp(_log_softmax(np.asarray(z, dtype=float)))


def softmax_cross_entropy(y, z):
    """Cross-entropy of softmax(z) against the class probabilities ``y``, from logits.

    For one sample (1-D ``y`` and ``z`` of k values) the loss is
    -sum_k y_k * ln softmax(z)_k; for a batch (2-D, shape (n, k)) it is the
    mean of that over the n rows. ``y`` is usually one-hot but may hold any
    probabilities. Compute ln softmax(z) directly as z - max(z) -
    ln(sum exp(z - max(z))) (the log-sum-exp trick) rather than taking the
    log of softmax(z): then a sample with ``z = [0, 1000]`` and ``y = [1, 0]``
    costs 1000, not infinity (there is no clipping here). Integer lists are
    allowed. Returns a float.
    """
    t = np.asarray(y, dtype=float)
    per_class = -t * _log_softmax(np.asarray(z, dtype=float))
    if per_class.ndim == 1:
        return float(np.sum(per_class))
    return float(np.mean(np.sum(per_class, axis=-1)))


def softmax_cross_entropy_gradient(y, z):
    """Gradient of ``softmax_cross_entropy(y, z)`` with respect to the logits ``z``.

    For one sample (1-D, k values) it is softmax(z) - y. For a batch (2-D,
    shape (n, k)) the loss is a mean over rows, so the gradient is
    (softmax(Z) - Y) / n, row-wise softmax. ``y`` holds probabilities that
    add up to 1 in each row (one-hot labels, usually). Large logits must work
    (see ``softmax``), and integer lists are allowed. Returns a float NumPy
    array with the shape of ``z``.
    """
    a = np.asarray(z, dtype=float)
    grad = np.exp(_log_softmax(a)) - np.asarray(y, dtype=float).reshape(a.shape)
    if grad.ndim == 2:
        grad = grad / grad.shape[0]
    return grad


def bce_logit_gradient(y, z):
    """Derivative of the binary cross-entropy of sigmoid(z) with respect to the logit z.

    With p = sigmoid(z) = 1 / (1 + e^(-z)), one sample costs
    -(y ln p + (1 - y) ln(1 - p)). By the chain rule, dL/dz = dL/dp * dp/dz,
    and since dp/dz = p (1 - p) the two fractions of dL/dp cancel to
    sigmoid(z) - y. Computed elementwise, with no averaging: ``y`` (0/1
    labels) and ``z`` have the same shape, a 1-D sequence, a 2-D array or a
    plain number each (integers allowed). Very large positive or negative logits (such as
    +-800) must give finite values. Returns a float NumPy array with the shape
    of ``z``.
    """
    a = np.asarray(z, dtype=float)
    return _sigmoid(a) - np.asarray(y, dtype=float).reshape(a.shape)


def hinge(y, score, margin=1.0):
    """Hinge loss, averaged over samples: the mean of max(0, margin - y * score).

    ``y`` holds labels -1 or +1 and ``score`` the classifier's real-valued
    scores, the same n values each: flat sequences (lists, tuples or arrays,
    integers allowed) or two plain numbers for one sample. A sample costs
    nothing only when it is on the right side with room to spare,
    y * score >= margin; inside the margin it costs even when its sign is
    right. Returns a float.
    """
    t = np.ravel(np.asarray(y, dtype=float))
    s = np.ravel(np.asarray(score, dtype=float))
    return float(np.mean(np.maximum(0.0, margin - t * s)))


def focal_loss(y, p, gamma=2.0):
    """Binary focal loss, averaged over samples, natural log.

    ``y`` holds 0/1 labels and ``p`` the predicted probability of label 1,
    the same n values each (flat sequences, or two plain numbers for one
    sample). With p clipped to [EPS, 1 - EPS], let p_t be the probability
    given to the true label: p_t = p where y = 1 and 1 - p where y = 0. A
    sample costs -(1 - p_t) ** gamma * ln(p_t): the factor (1 - p_t) ** gamma
    shrinks the cost of samples that are already classified well, so the
    hard ones dominate. With ``gamma = 0`` this is the binary cross-entropy.
    Returns a float.
    """
    t = np.ravel(np.asarray(y, dtype=float))
    q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
    p_t = np.where(t == 1, q, 1 - q)
    return float(np.mean(-((1 - p_t) ** gamma) * np.log(p_t)))

"""Regularisation: penalties added to a loss to keep a model simple.

L2 regularisation (ridge, weight decay) adds lam * sum(w ** 2), which pulls
every weight towards zero a little; L1 regularisation (lasso) adds
lam * sum(|w|), which can set weights to exactly zero and so selects
features. Dropout switches off a random part of a layer's units while
training.

The weights ``w`` may be a list, a tuple or a NumPy array (integers allowed),
1-D or 2-D (a weight matrix: its sums run over every entry). ``lam`` is the
regularisation strength, a number >= 0. Inputs are never modified.
"""

import numpy as np


def l2_penalty(w, lam):
    """L2 penalty lam * sum(w ** 2) over every weight. Returns a float."""
    a = np.asarray(w, dtype=float)
    return float(lam * np.sum(a * a))


def l1_penalty(w, lam):
    """L1 penalty lam * sum(|w|) over every weight. Returns a float."""
    return float(lam * np.sum(np.abs(np.asarray(w, dtype=float))))


def l2_penalty_gradient(w, lam):
    """Gradient of ``l2_penalty`` with respect to the weights: 2 * lam * w.

    Returns a float NumPy array with the shape of ``w``.
    """
    return 2.0 * lam * np.asarray(w, dtype=float)


def l1_subgradient(w, lam):
    """A subgradient of ``l1_penalty``: lam * sign(w), taking 0 where w is exactly 0.

    |w| has no derivative at 0 (its slope jumps from -1 to +1); any value
    between -lam and lam is a valid subgradient there, and this function uses
    0. Returns a float NumPy array with the shape of ``w``.
    """
    return lam * np.sign(np.asarray(w, dtype=float))


def soft_threshold(w, t):
    """Soft thresholding, the proximal step of the L1 penalty: sign(w) * max(|w| - t, 0).

    Each weight moves towards zero by ``t`` (a number > 0), and a weight
    within ``t`` of zero becomes exactly 0 instead of crossing to the other
    side; this is how L1 regularisation produces exact zeros. Returns a float
    NumPy array with the shape of ``w``.
    """
    a = np.asarray(w, dtype=float)
    return np.sign(a) * np.maximum(np.abs(a) - t, 0.0)


def ridge_normal_equation(X, y, lam):
    """Ridge regression coefficients beta solving (X^T X + lam I) beta = X^T y.

    This minimises sum((y - X beta) ** 2) + lam * sum(beta ** 2). ``X`` is an
    (n, d) design matrix and ``y`` holds n targets (1-D); lists of lists and
    integers are allowed. Every coefficient is penalised, including the one
    of an intercept column of ones if ``X`` has one: I is the full d x d
    identity, and lam is added to the diagonal of X^T X only. With
    ``lam = 0`` this is the ordinary normal equation. Returns a 1-D float
    NumPy array of d coefficients.
    """
    design = np.asarray(X, dtype=float)
    target = np.asarray(y, dtype=float)
    gram = design.T @ design + lam * np.eye(design.shape[1])
    return np.linalg.solve(gram, design.T @ target)


def dropout(x, mask, rate):
    """Inverted dropout with a given mask: x * mask / (1 - rate).

    ``x`` holds a layer's outputs (1-D or 2-D; lists and integers allowed).
    ``mask`` has the shape of ``x`` and is 1 for a unit that is kept and 0
    for one that is dropped (0/1 numbers or booleans); ``rate`` is the
    fraction of units dropped, 0 <= rate < 1. Dividing the kept units by
    1 - rate keeps the layer's expected output the same as without dropout,
    so nothing needs rescaling at test time. The mask is given, so there is
    no randomness here. Returns a float NumPy array with the shape of ``x``.
    """
    a = np.asarray(x, dtype=float)
    keep = np.asarray(mask, dtype=float).reshape(a.shape)
    return a * keep / (1.0 - rate)

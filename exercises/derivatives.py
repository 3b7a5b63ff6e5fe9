"""Derivatives of losses: analytic formulas and a numerical check.

Gradient-based training needs the slope of the loss with respect to each
prediction or parameter; a central-difference estimate is the standard way
to check an analytic derivative. Every function takes lists, tuples or NumPy arrays (integers allowed)
and changes none of its arguments.
"""

import numpy as np

EPS = 1e-12
"""Probabilities are clipped to ``[EPS, 1 - EPS]`` before dividing by them."""


def sse_derivative(y, y_hat):
    """Elementwise derivative of (y_i - y_hat_i) ** 2 with respect to y_hat_i.

    That is -2 * (y_i - y_hat_i). ``y`` and ``y_hat`` hold the same n values;
    either may be a flat ``(n,)`` vector or an ``(n, 1)`` column (as in
    ``losses.sse``). The result is a NumPy array with the shape of ``y_hat``.
    """
    raise NotImplementedError


def binary_cross_entropy_derivative(y, p):
    """Elementwise derivative of one sample's binary cross-entropy with respect to p.

    That is -y / p + (1 - y) / (1 - p), with p clipped to [EPS, 1 - EPS] and no
    averaging. ``y`` and ``p`` have the same shape. The result is a NumPy
    array with the shape of ``p``.
    """
    raise NotImplementedError


def numerical_gradient(f, x, h=1e-5):
    """Central-difference estimate of the gradient of ``f`` at ``x``.

    Component i is (f(x + h e_i) - f(x - h e_i)) / (2 h), where e_i is the i-th
    unit vector. ``x`` is a 1-D sequence of numbers (integers allowed) and ``f``
    maps a 1-D float array to a scalar. Returns a float array shaped like ``x``;
    ``x`` itself is never changed.
    """
    raise NotImplementedError


def quadratic_form_gradient(A, x):
    """Gradient of the quadratic form x^T A x with respect to x.

    For a square matrix ``A`` that need not be symmetric the gradient is
    (A + A^T) x. Returns a 1-D NumPy array.
    """
    raise NotImplementedError

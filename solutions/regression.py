"""Least-squares regression, from one slope to the normal equation.

Every function takes lists, tuples or NumPy arrays (integers allowed)
and changes none of its arguments.
"""

import numpy as np


def center(x):
    """Subtract the mean: x - mean(x).

    For a 2-D array each column is centred on its own mean. Returns a float
    NumPy array with the shape of ``x``.
    """
    data = np.asarray(x, dtype=float)
    return data - data.mean(axis=0)


def fit_centered_slope(x, y):
    """Least-squares slope of the line through centred data.

    After centring, the best line passes through the origin, and setting the
    derivative of L(a) = sum (y_c - a x_c) ** 2 to zero gives
    a = sum(x_c * y_c) / sum(x_c ** 2). Returns a float.
    """
    xc = center(np.ravel(x))
    yc = center(np.ravel(y))
    return float(np.sum(xc * yc) / np.sum(xc * xc))


def fit_line(x, y):
    """Least-squares line y_hat = a x + b, returned as the pair ``(a, b)``.

    The slope comes from the centred data and the intercept puts the line
    through the point of means: b = mean(y) - a * mean(x).
    """
    xs = np.ravel(np.asarray(x, dtype=float))
    ys = np.ravel(np.asarray(y, dtype=float))
    a = fit_centered_slope(xs, ys)
    return a, float(ys.mean() - a * xs.mean())


def add_intercept(X):
    """Design matrix with a leading column of ones.

    A 1-D ``x`` of n values becomes an (n, 2) matrix; an (n, d) matrix becomes
    (n, d + 1). Returns a float NumPy array.
    """
    data = np.asarray(X, dtype=float)
    if data.ndim == 1:
        data = data[:, np.newaxis]
    return np.hstack([np.ones((data.shape[0], 1)), data])


def normal_equation(X, y):
    """Least-squares coefficients beta solving X^T X beta = X^T y.

    ``X`` is a design matrix (include the intercept column yourself if you
    want one). For a 1-D ``y`` the result is a 1-D array with one entry per
    column of ``X``.
    """
    design = np.asarray(X, dtype=float)
    target = np.asarray(y, dtype=float)
    return np.linalg.solve(design.T @ design, design.T @ target)

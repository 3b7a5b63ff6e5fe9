"""Gradient descent: walking downhill on a loss surface.

Every function takes lists, tuples or NumPy arrays (integers allowed)
and changes none of its arguments.
"""

import numpy as np


def gradient_descent_step(theta, grad, lr):
    """One update theta - lr * grad, returned as a new float array shaped like ``theta``.

    ``theta`` is left unchanged.
    """
    return np.asarray(theta, dtype=float) - lr * np.asarray(grad, dtype=float)


def sse_gradient(X, y, theta):
    """Gradient with respect to theta of sum (y - X theta) ** 2.

    That is -2 X^T (y - X theta). Returns a 1-D array shaped like ``theta``.
    """
    design = np.asarray(X, dtype=float)
    params = np.asarray(theta, dtype=float)
    return -2.0 * design.T @ (np.asarray(y, dtype=float) - design @ params)


def gradient_descent(grad_fn, theta0, lr, n_steps):
    """Run ``n_steps`` gradient-descent updates from ``theta0``.

    ``grad_fn(theta)`` returns the gradient at ``theta``. The result is the
    whole trajectory, an array of shape (n_steps + 1, d) whose first row is
    ``theta0``. On f(x) = x0 ** 2 + x1 ** 2 with lr = 0.1 each step shrinks x
    by a factor 0.8.
    """
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for _ in range(n_steps):
        theta = theta - lr * np.asarray(grad_fn(theta), dtype=float)
        path.append(theta.copy())
    return np.array(path)

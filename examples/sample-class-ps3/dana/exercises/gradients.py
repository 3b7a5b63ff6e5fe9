"""Gradients of losses: the derivatives that tell gradient descent where to go.

The MAE and the Huber loss of problem set 1 are averaged over the n samples,
so each prediction's share of their gradient carries a factor 1/n. Beyond single
derivatives, this module splits a loss into the coefficients of a parabola,
estimates second derivatives numerically and composes derivatives with the
chain rule. No function here changes its arguments.
"""

import numpy as np


def mae_gradient(y, y_hat):
    """Gradient of the mean absolute error with respect to each prediction.

    The MAE is the mean over the n samples of |y_i - y_hat_i|, so its
    derivative with respect to y_hat_i is -sign(y_i - y_hat_i) / n: -1/n where
    the prediction is too low, +1/n where it is too high. Where y_i == y_hat_i
    the absolute value has a corner; use 0 there (NumPy's ``np.sign(0)`` is 0).

    ``y`` and ``y_hat`` hold the same n values; either may be a flat ``(n,)``
    vector or an ``(n, 1)`` column, as a list, tuple or NumPy array (integers
    allowed). Returns a float NumPy array with the shape of ``y_hat``.
    """
    pred = np.asarray(y_hat, dtype=float)
    target = np.asarray(y, dtype=float).reshape(pred.shape)
    return -np.sign(target - pred) / pred.size


def huber_gradient(y, y_hat, delta=1.0):
    pred = np.asarray(y_hat, dtype=float)
    target = np.asarray(y, dtype=float).reshape(pred.shape)
    return -np.clip(target - pred, -delta, delta)


def loss_coefficients(x, y):
    """The loss of a line through centred data, written as a parabola in its slope a.

    Centre both variables first: x_c = x - mean(x) and y_c = y - mean(y). The line
    y_c = a x_c then has the loss

        L(a) = sum (y_c - a x_c) ** 2 = C0 - 2 C1 a + C2 a ** 2

    with C0 = sum(y_c ** 2), C1 = sum(x_c * y_c) and C2 = sum(x_c ** 2) (sums,
    not means). Its minimum is at a = C1 / C2.

    ``x`` and ``y`` hold n numbers each, as flat sequences (lists, tuples or
    NumPy arrays, integers allowed) or ``(n, 1)`` columns. Returns the tuple
    ``(C0, C1, C2)`` of three floats.
    """
    xc = np.ravel(np.asarray(x, dtype=float))
    yc = np.ravel(np.asarray(y, dtype=float))
    xc, yc = xc - xc.mean(), yc - yc.mean()
    return float(np.sum(yc * yc)), float(np.sum(xc * yc)), float(np.sum(xc * xc))


def numerical_hessian(f, x, h=1e-3):
    """Central-difference estimate of the Hessian, the matrix of second partial derivatives.

    Entry (i, j) approximates d2f / (dx_i dx_j) at ``x`` by stepping h along
    the unit vectors e_i and e_j:

        (f(x + h e_i + h e_j) - f(x + h e_i - h e_j)
         - f(x - h e_i + h e_j) + f(x - h e_i - h e_j)) / (4 h ** 2)

    The same formula serves the diagonal (i == j). Entries (i, j) and (j, i)
    use the same four points, so the result is symmetric up to rounding. For a
    quadratic function the estimate is exact (up to rounding) whatever h is.

    ``x`` is a 1-D sequence of d numbers (a list, tuple or NumPy array,
    integers allowed) and ``f`` maps a 1-D float array of d numbers to a
    scalar. Returns a float NumPy array of shape (d, d); ``x`` itself is never
    changed.
    """
    base = np.array(x, dtype=float)
    d = base.size
    steps = h * np.eye(d)
    hess = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = steps[i], steps[j]
            hess[i, j] = (f(base + ei + ej) - f(base + ei - ej)
                          - f(base - ei + ej) + f(base - ei - ej)) / (4 * h * h)
    return hess


def chain_rule(grad_outer, jacobian):
    """Gradient of z = f(u) with respect to x, where u = g(x): the chain rule.

    ``grad_outer`` holds the m partial derivatives dz/du_k (a 1-D sequence of m
    numbers) and ``jacobian`` is the (m, n) matrix J of the inner function, with
    J[k][i] = du_k / dx_i (a list of m rows of n numbers, or a 2-D NumPy
    array). Each x_i reaches z through every u_k, so

        dz/dx_i = sum over k of dz/du_k * du_k/dx_i,

    that is the row vector (dz/du)^T J, or J^T (dz/du). Integers are allowed.
    Returns a 1-D float NumPy array of n numbers.
    """
    outer = np.ravel(np.asarray(grad_outer, dtype=float))
    jac = np.asarray(jacobian, dtype=float)
    return outer @ jac

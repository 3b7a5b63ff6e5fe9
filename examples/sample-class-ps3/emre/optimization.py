"""Optimisation: stochastic gradient descent and how large a step may be.

Full-batch gradient descent computes the gradient on every sample before each
update; stochastic (mini-batch) gradient descent updates after each small
batch of samples, which is cheaper per step but noisier. Either way the
learning rate must stay below a limit set by the curvature of the loss. No
function here changes its arguments.
"""

import numpy as np


def sgd_epoch(X, y, theta, lr, order, batch_size=1):
    """One epoch of mini-batch gradient descent on the mean squared error.

    ``order`` is a permutation of ``range(n)`` (a list or NumPy array of
    integers): the rows of the data in the order they are visited. Cut it into
    consecutive batches of ``batch_size`` row indices; when n is not a multiple
    of ``batch_size`` the last batch is shorter and is still used, and a
    ``batch_size`` of n makes a single full-batch step. For each batch B, in
    turn, take one step on the MSE of that batch alone:

        theta <- theta - lr * (2 / |B|) * X_B^T (X_B theta - y_B)

    where X_B and y_B are the rows of the batch and |B| their number.

    ``X`` is an (n, d) design matrix, ``y`` a 1-D sequence of n targets and
    ``theta`` a 1-D sequence of d starting parameters (lists or NumPy arrays,
    integers allowed). Returns the trajectory as a float array of shape
    (n_batches + 1, d): the starting ``theta`` first, then the parameters after
    each batch. No input is changed.
    """
    design = np.asarray(X, dtype=float)
    target = np.ravel(np.asarray(y, dtype=float))
    rows = np.asarray(order, dtype=int)
    params = np.array(theta, dtype=float)
    path = [params.copy()]
    for start in range(0, rows.size, batch_size):
        batch = rows[start:start + batch_size]
        xb, yb = design[batch], target[batch]
        grad = (2.0 / batch.size) * xb.T @ (xb @ params - yb)
        params = params - lr * grad
        path.append(params.copy())
    return np.array(path)


def max_stable_learning_rate(H):
    """The largest learning rate at which gradient descent on a quadratic still converges.

    Near its minimum a loss looks like a quadratic with Hessian H. A gradient
    step scales the distance to the minimum along each eigenvector of H by
    (1 - lr * lambda), where lambda is that eigenvector's eigenvalue. Every
    factor stays below 1 in size only while lr < 2 / lambda_max, with lambda_max
    the largest eigenvalue; above that rate the steps overshoot further and
    further and the loss grows without bound.

    ``H`` is a symmetric positive-definite (d, d) matrix, as a list of lists or
    a 2-D NumPy array (integers allowed). Returns 2 / lambda_max as a float.
    """
    eigenvalues = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return float(2.0 / eigenvalues.max())

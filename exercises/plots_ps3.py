"""Pictures of optimisation: how the learning rate decides whether training converges.

Draw on a new figure made with matplotlib's object API (``fig = Figure()``
then ``ax = fig.add_subplot()``; ``plt.subplots()`` works too) and return that
Figure. The grader reads what the figure shows: the lines on it, the scale of
its axes and the axis labels. Colours, styles, titles, legends and grids are
up to you.

Import matplotlib inside each function, not at the top of this file (make
``from matplotlib.figure import Figure`` the function's first line): then the
tests of your other functions never wait the quarter of a second matplotlib
takes to load.
"""

import numpy as np


def plot_learning_rates(X, y, lrs, n_steps):
    """Draw the training loss of full-batch gradient descent for several learning rates.

    For each learning rate lr in ``lrs``, start from theta = 0 (d zeros) and take
    ``n_steps`` gradient-descent steps on the mean squared error of the whole
    data set:

        theta <- theta - lr * (2 / n) * X^T (X theta - y)

    Record the MSE, mean((X theta - y) ** 2), at the start and after every
    step: n_steps + 1 values for steps 0, 1, ..., n_steps. Draw them against
    the step number as one joined line per learning rate, all on the same axes,
    with a legend label naming the rate. Make the loss axis logarithmic
    (``ax.set_yscale("log")``) so that a slowly shrinking loss and one that
    explodes fit in the same picture, and label both axes. A rate above
    ``optimization.max_stable_learning_rate`` of the MSE's Hessian
    (2 / n) X^T X shows up as a curve that climbs.

    ``X`` is an (n, d) design matrix and ``y`` a 1-D sequence of n targets (lists
    or NumPy arrays); ``lrs`` is a sequence of learning rates and ``n_steps`` a
    positive integer. Returns the Figure.
    """
    raise NotImplementedError

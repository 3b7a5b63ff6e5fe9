"""Pictures of losses: what the formulas look like when you draw them.

Every function draws on a new figure made with matplotlib's object API
(``fig = Figure()`` then ``ax = fig.add_subplot()``; ``plt.subplots()`` works
too) and returns that Figure. The grader reads what the figure shows: the
points and lines on it, contour lines, and the axis labels. Colours, styles,
titles, legends and grids are up to you.

Import matplotlib inside each function, not at the top of this file (make
``from matplotlib.figure import Figure`` the function's first line): then the
tests of your other functions never wait the quarter of a second matplotlib
takes to load.
"""

import numpy as np


def plot_log_penalty(base=2):
    """Draw the penalty -log_base(p) that cross-entropy charges for probability p.

    Plot it as a curve for p in (0, 1]: start close to 0 and end at 1, with at
    least 50 samples so the steep climb as p approaches 0 is visible
    (``np.geomspace`` puts more samples near 0 than ``np.linspace``). Label both
    axes. Returns the Figure.
    """
    raise NotImplementedError


def plot_fit(x, y, a, b):
    """Draw the data and the line y_hat = a x + b through it.

    Show the data as separate points (``ax.scatter``, or ``ax.plot`` with a
    marker such as ``"o"`` and no line) and the line across the whole x range
    of the data (``ax.axline`` is one way). Label both axes. Returns the Figure.
    """
    raise NotImplementedError


def plot_loss_curve(x, y, a_values):
    """Draw the loss L(a) = sum (y_c - a x_c) ** 2 of the line through centred data.

    Centre x and y first (subtract their means), compute L(a) for each slope a
    in ``a_values`` and draw the points (a, L(a)) as a line (sort the a values
    so the line does not double back). Then mark the slope that minimises L,
    a = sum(x_c y_c) / sum(x_c ** 2), with a point at (a, L(a)) or a vertical
    line at a. Returns the Figure.
    """
    raise NotImplementedError


def plot_descent_path(trajectory):
    """Draw a gradient-descent trajectory on the contour lines of x0 ** 2 + x1 ** 2.

    ``trajectory`` holds one point (x0, x1) per row, in the order visited (a
    list of pairs or an array of shape (n, 2)). Draw contour lines (``ax.contour`` on a grid from ``np.meshgrid``) over a
    region that contains the whole trajectory, then the trajectory's points
    joined by a line in the order they were visited. Returns the Figure.
    """
    raise NotImplementedError

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
    from matplotlib.figure import Figure

    p = np.geomspace(1e-3, 1.0, 100)
    fig = Figure(figsize=(4, 3))
    fig.set_label("plot_log_penalty")  # tells the grader which exercise this figure is
    ax = fig.add_subplot()
    ax.plot(p, -np.log(p) / np.log(base))
    ax.set_xlabel("probability p given to the true class")
    ax.set_ylabel(f"penalty -log{base}(p)")
    return fig


def plot_fit(x, y, a, b):
    """Draw the data and the line y_hat = a x + b through it.

    Show the data as separate points (``ax.scatter``, or ``ax.plot`` with a
    marker such as ``"o"`` and no line) and the line across the whole x range
    of the data (``ax.axline`` is one way). Label both axes. Returns the Figure.
    """
    from matplotlib.figure import Figure

    xs = np.ravel(np.asarray(x, dtype=float))
    ys = np.ravel(np.asarray(y, dtype=float))
    ends = np.array([xs.min(), xs.max()])
    fig = Figure(figsize=(4, 3))
    fig.set_label("plot_fit")
    ax = fig.add_subplot()
    ax.scatter(xs, ys, label="data")
    ax.plot(ends, a * ends + b, color="C1", label="y_hat = a x + b")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    return fig


def plot_loss_curve(x, y, a_values):
    """Draw the loss L(a) = sum (y_c - a x_c) ** 2 of the line through centred data.

    Centre x and y first (subtract their means), compute L(a) for each slope a
    in ``a_values`` and draw the points (a, L(a)) as a line (sort the a values
    so the line does not double back). Then mark the slope that minimises L,
    a = sum(x_c y_c) / sum(x_c ** 2), with a point at (a, L(a)) or a vertical
    line at a. Returns the Figure.
    """
    from matplotlib.figure import Figure

    xc = np.ravel(np.asarray(x, dtype=float))
    yc = np.ravel(np.asarray(y, dtype=float))
    xc, yc = xc - xc.mean(), yc - yc.mean()
    slopes = np.sort(np.ravel(np.asarray(a_values, dtype=float)))
    losses = np.sum((yc[np.newaxis, :] - slopes[:, np.newaxis] * xc[np.newaxis, :]) ** 2, axis=1)
    best = np.sum(xc * yc) / np.sum(xc * xc)
    fig = Figure(figsize=(4, 3))
    fig.set_label("plot_loss_curve")
    ax = fig.add_subplot()
    ax.plot(slopes, losses, label="L(a)")
    ax.plot([best], [np.sum((yc - best * xc) ** 2)], "o", label="minimum")
    ax.set_xlabel("slope a")
    ax.set_ylabel("L(a)")
    ax.legend()
    return fig


def plot_descent_path(trajectory):
    """Draw a gradient-descent trajectory on the contour lines of x0 ** 2 + x1 ** 2.

    ``trajectory`` holds one point (x0, x1) per row, in the order visited (a
    list of pairs or an array of shape (n, 2)). Draw contour lines (``ax.contour`` on a grid from ``np.meshgrid``) over a
    region that contains the whole trajectory, then the trajectory's points
    joined by a line in the order they were visited. Returns the Figure.
    """
    from matplotlib.figure import Figure

    path = np.asarray(trajectory, dtype=float)
    reach = 1.1 * np.max(np.abs(path))
    grid = np.linspace(-reach, reach, 41)
    g0, g1 = np.meshgrid(grid, grid)
    fig = Figure(figsize=(4, 4))
    fig.set_label("plot_descent_path")
    ax = fig.add_subplot()
    ax.contour(g0, g1, g0**2 + g1**2, levels=8)
    ax.plot(path[:, 0], path[:, 1], "o-", color="C3")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_aspect("equal")
    return fig

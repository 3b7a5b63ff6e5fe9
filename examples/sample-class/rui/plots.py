"""Pictures of losses: what the formulas look like when you draw them.

Every function draws on a new figure made with matplotlib's object API
(``fig = Figure()`` then ``ax = fig.add_subplot()``; ``plt.subplots()`` works
too) and returns that Figure. The grader reads what the figure shows: the
points and lines on it, contour lines, and the axis labels. Colours, styles,
titles, legends and grids are up to you.
"""

import numpy as np
from matplotlib.figure import Figure


def plot_log_penalty(base=2):
    raise NotImplementedError


def plot_fit(x, y, a, b):
    raise NotImplementedError


def plot_loss_curve(x, y, a_values):
    raise NotImplementedError


def plot_descent_path(trajectory):
    raise NotImplementedError

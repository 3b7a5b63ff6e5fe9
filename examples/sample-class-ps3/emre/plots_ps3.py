"""Pictures of optimisation: how the learning rate decides whether training converges.

Draw on a new figure made with matplotlib's object API (``fig = Figure()``
then ``ax = fig.add_subplot()``; ``plt.subplots()`` works too) and return that
Figure. The grader reads what the figure shows: the lines on it, the scale of
its axes and the axis labels. Colours, styles, titles, legends and grids are
up to you.
"""

import numpy as np
from matplotlib.figure import Figure


def plot_learning_rates(X, y, lrs, n_steps):
    raise NotImplementedError

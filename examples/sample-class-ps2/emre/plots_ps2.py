"""Pictures of classification losses: how each one charges for a margin.

For a label y in {-1, +1} and a score s, the margin m = y * s is positive
when the sign of the score is right and negative when it is wrong; the
further from zero, the more confident the classifier. Binary classification
losses are functions of the margin alone, which makes them easy to compare on
one set of axes.

Draw on a new figure with matplotlib's object API (``fig = Figure()`` then
``ax = fig.add_subplot()``; ``plt.subplots()`` works too) and return that
Figure. The grader reads what the figure shows: the points of each line and
the axis labels. Colours, styles, titles and grids are up to you.
"""

import numpy as np
from matplotlib.figure import Figure


def plot_margin_losses(margins):
    raise NotImplementedError

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

Import matplotlib inside each function, not at the top of this file (make
``from matplotlib.figure import Figure`` the function's first line): then the
tests of your other functions never wait the quarter of a second matplotlib
takes to load.
"""

import numpy as np


def plot_margin_losses(margins):
    """Draw the zero-one, hinge and logistic losses against the margin m = y * score.

    ``margins`` is a 1-D sequence of margin values (not necessarily sorted)
    with negative and positive values; draw every loss over the range from
    the smallest to the largest of them, as one line each, at the given
    margins in increasing order (or on a finer grid over the same range):

    - the zero-one loss: 1 for m < 0 (a wrong sign) and 0 for m > 0, a step
      with its jump at m = 0 (draw the jump as a vertical segment, use
      ``drawstyle="steps-..."`` or ``ax.step``, or draw the two flat parts
      as two segments);
    - the hinge loss max(0, 1 - m), with its corner at m = 1;
    - the logistic loss ln(1 + e^(-m)), natural log, drawn with at least 20
      points.

    Give each line a legend label (``label="hinge"``, then ``ax.legend()``)
    and label both axes. Returns the Figure.
    """
    raise NotImplementedError

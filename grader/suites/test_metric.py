"""Hidden suite for ``metric.py`` (problem set 3), with its known mistakes."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("metric", seed=20250303)
rng = S.rng

# Distances 0.4, 1.3, 0.25 and 1.7 (none of them 0.5, where d^2 and (1 - d)^2
# agree); one dissimilar pair beyond the margin and one inside it.
a4 = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [0.0, 3.0]]
b4 = [[0.24, 0.32], [1.5, 2.2], [2.15, 0.2], [-0.8, 4.5]]
a10 = 0.5 * rng.normal(size=(10, 5))
b10 = a10 + 0.3 * rng.normal(size=(10, 5))
same10 = np.array([1, 0, 0, 1, 0, 1, 1, 0, 0, 1])

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
UNCHANGED = "no function here changes its arguments"
FLOAT = "Returns a float."
CL = "s_i * d_i ** 2 + (1 - s_i) * max(0, margin - d_i) ** 2"
CL_KINDS = "(or lists of n rows of k numbers, integers allowed)"
cl = S.function("contrastive_loss", "a, b, same, margin")
cl.value("four pairs in the plane", a4, b4, [1, 0, 0, 1], public=True, doc=(CL, CL_KINDS))
cl.value("margin 2, two pairs at distance 0", [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [2.0, -1.0, 0.0]],
         [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.5, 0.5, 2.0], [2.0, 1.0, 1.0]], [1, 0, 0, 1], public=True,
         margin=2.0, doc=CL)
cl.value("random pairs in 5 dimensions", a10, b10, same10, doc=CL)
cl.value("random pairs, margin 0.8", a10, b10, same10, margin=0.8, doc=CL)
cl.value("a dissimilar pair exactly at the margin", [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]],
         [[3.0, 4.0], [1.0, 1.5], [1.2, 0.5], [6.0, 8.0]], [0, 0, 1, 0], margin=5.0,
         doc="nothing once the points are at least ``margin`` apart")
cl.value("integer lists", [[0, 0], [2, 1], [3, 3]], [[1, 2], [2, 1], [0, -1]], [1, 0, 0], doc=(CL, CL_KINDS))
# Costs 2, 0 and 9: a mean of 11/3.
cl.value("integer lists, a fractional mean", [[0, 0], [1, 1], [3, 0]], [[1, 1], [1, 2], [0, 0]], [1, 0, 1],
         doc=(CL, CL_KINDS))
cl.value("labels as booleans", np.array(a4), np.array(b4), np.array([True, False, False, True]), margin=1.5,
         doc="(or True and False)")
cl.shape("returns a single number", a10, b10, same10, public=True, doc=FLOAT)
cl.unchanged("leaves its inputs alone", a10.copy(), b10.copy(), same10.copy(), margin=1.0, doc=UNCHANGED)

# Squared gaps 0.5, -2 and 0.25 with margin 1: one triplet already far enough.
anc3 = [[0.0, 0.0], [1.0, 1.0], [2.0, -1.0]]
pos3 = [[0.5, 0.5], [1.0, 2.0], [2.0, -0.5]]
neg3 = [[1.0, 0.0], [3.0, 1.0], [1.0, -1.0]]
anc8 = rng.normal(size=(8, 4))
pos8 = anc8 + 0.5 * rng.normal(size=(8, 4))
neg8 = anc8 + 0.7 * rng.normal(size=(8, 4))

TL = "max(0, ||anchor_i - positive_i|| ** 2 - ||anchor_i - negative_i|| ** 2 + margin)"
TL_KINDS = "(or lists of n rows of k numbers, integers allowed)"
tl = S.function("triplet_loss", "anchor, positive, negative, margin")
tl.value("three triplets in the plane", anc3, pos3, neg3, public=True, doc=(TL, TL_KINDS))
tl.value("four triplets in 3-D, margin 0.5",
         [[0.0, 0.0, 0.0], [1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [2.0, 1.0, 0.0]],
         [[0.2, -0.1, 0.3], [1.5, 0.5, -1.0], [0.5, 1.5, 0.5], [2.0, 1.0, 0.4]],
         [[0.4, 0.2, 0.0], [0.0, 0.0, 0.0], [1.5, 0.5, 1.5], [2.5, 1.0, 0.0]], public=True, margin=0.5, doc=TL)
tl.value("random triplets in 4 dimensions", anc8, pos8, neg8, doc=TL)
tl.value("random triplets, margin 2", anc8, pos8, neg8, margin=2.0, doc=TL)
# The first triplet's gap is exactly -margin: it costs 0 with > or >= alike.
tl.value("a triplet exactly at the margin", [[0.0, 0.0], [1.0, 2.0], [0.0, 1.0]],
         [[1.0, 1.0], [1.5, 2.0], [2.0, 1.0]], [[2.0, 0.0], [1.0, 3.5], [0.0, 0.0]], margin=2.0,
         doc="A triplet that already keeps that gap costs nothing.")
# Costs 0, 4 and 0: a mean of 4/3.
tl.value("integer lists", [[0, 0], [1, 1], [2, 2]], [[1, 0], [1, 3], [2, 1]], [[0, 2], [2, 1], [4, 2]],
         doc=(TL, TL_KINDS))
tl.shape("returns a single number", anc8, pos8, neg8, public=True, doc=FLOAT)
tl.unchanged("leaves its inputs alone", anc8.copy(), pos8.copy(), neg8.copy(), margin=1.0, doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ metric.contrastive_loss
    _m("metric.contrastive_loss", "labels-swapped",
       """Your loss treats the labels the wrong way round. A pair with same = 1 should be close,
       so it costs d ** 2; a pair with same = 0 costs max(0, margin - d) ** 2.""",
       """
       def contrastive_loss(a, b, same, margin=1.0):
           diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
           dist = np.sqrt(np.sum(diff * diff, axis=1))
           s = np.ravel(np.asarray(same, dtype=float))
           return float(np.mean((1 - s) * dist ** 2 + s * np.maximum(0.0, margin - dist) ** 2))
       """),
    _m("metric.contrastive_loss", "distance-not-squared",
       """Your costs use the distance d itself. Both parts are squared: d ** 2 for a similar
       pair and max(0, margin - d) ** 2 for a dissimilar one.""",
       """
       def contrastive_loss(a, b, same, margin=1.0):
           diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
           dist = np.sqrt(np.sum(diff * diff, axis=1))
           s = np.ravel(np.asarray(same, dtype=float))
           return float(np.mean(s * dist + (1 - s) * np.maximum(0.0, margin - dist)))
       """),
    _m("metric.contrastive_loss", "missing-hinge",
       """Your dissimilar pairs that are already farther apart than the margin still cost
       (margin - d) ** 2. Take max(0, margin - d) first, so such pairs cost nothing.""",
       """
       def contrastive_loss(a, b, same, margin=1.0):
           diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
           dist = np.sqrt(np.sum(diff * diff, axis=1))
           s = np.ravel(np.asarray(same, dtype=float))
           return float(np.mean(s * dist ** 2 + (1 - s) * (margin - dist) ** 2))
       """),
    _m("metric.contrastive_loss", "margin-against-squared-distance",
       """Your dissimilar pairs compare the margin with the squared distance, max(0, margin - d ** 2).
       The margin is a distance: use max(0, margin - d) ** 2 with d = ||a_i - b_i||.""",
       """
       def contrastive_loss(a, b, same, margin=1.0):
           diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
           sq = np.sum(diff * diff, axis=1)
           s = np.ravel(np.asarray(same, dtype=float))
           return float(np.mean(s * sq + (1 - s) * np.maximum(0.0, margin - sq) ** 2))
       """),
    _m("metric.contrastive_loss", "sum-instead-of-mean",
       """Your value is the sum of the pair costs. The loss is their mean: divide by the
       number of pairs n.""",
       """
       def contrastive_loss(a, b, same, margin=1.0):
           diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
           dist = np.sqrt(np.sum(diff * diff, axis=1))
           s = np.ravel(np.asarray(same, dtype=float))
           return float(np.sum(s * dist ** 2 + (1 - s) * np.maximum(0.0, margin - dist) ** 2))
       """),
    # ------------------------------------------------------------------ metric.triplet_loss
    _m("metric.triplet_loss", "missing-hinge",
       """Your loss lets triplets that already keep the gap count negatively. Each triplet
       costs max(0, ...): one whose negative is far enough away costs nothing.""",
       """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           a = np.asarray(anchor, dtype=float)
           dp = np.sum((a - np.asarray(positive, dtype=float)) ** 2, axis=1)
           dn = np.sum((a - np.asarray(negative, dtype=float)) ** 2, axis=1)
           return float(np.mean(dp - dn + margin))
       """),
    _m("metric.triplet_loss", "distances-not-squared",
       """Your loss compares plain distances ||a - p|| and ||a - n||. This triplet loss uses
       squared distances: max(0, ||a - p|| ** 2 - ||a - n|| ** 2 + margin).""",
       """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           a = np.asarray(anchor, dtype=float)
           dp = np.sqrt(np.sum((a - np.asarray(positive, dtype=float)) ** 2, axis=1))
           dn = np.sqrt(np.sum((a - np.asarray(negative, dtype=float)) ** 2, axis=1))
           return float(np.mean(np.maximum(0.0, dp - dn + margin)))
       """),
    _m("metric.triplet_loss", "positive-and-negative-swapped",
       """Your loss rewards the positive being far away. The positive should be the closer
       one: max(0, ||a - p|| ** 2 - ||a - n|| ** 2 + margin), positive distance first.""",
       """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           a = np.asarray(anchor, dtype=float)
           dp = np.sum((a - np.asarray(positive, dtype=float)) ** 2, axis=1)
           dn = np.sum((a - np.asarray(negative, dtype=float)) ** 2, axis=1)
           return float(np.mean(np.maximum(0.0, dn - dp + margin)))
       """),
    _m("metric.triplet_loss", "sum-instead-of-mean",
       """Your value is the sum of the triplet costs. The loss is their mean: divide by the
       number of triplets n.""",
       """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           a = np.asarray(anchor, dtype=float)
           dp = np.sum((a - np.asarray(positive, dtype=float)) ** 2, axis=1)
           dn = np.sum((a - np.asarray(negative, dtype=float)) ** 2, axis=1)
           return float(np.sum(np.maximum(0.0, dp - dn + margin)))
       """),
]

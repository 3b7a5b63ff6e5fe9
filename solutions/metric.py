"""Metric learning: losses that arrange embeddings by distance.

A model maps each input to a point (an embedding) in k dimensions. These
losses ask that similar inputs land close together and dissimilar ones far
apart, which is what face verification and similarity search rely on.
Distances are Euclidean, each loss is averaged over the pairs or triplets,
and no function here changes its arguments.
"""

import numpy as np


def contrastive_loss(a, b, same, margin=1.0):
    """Contrastive loss over n pairs of embeddings, averaged over the pairs.

    Pair i is row i of ``a`` and row i of ``b``, at Euclidean distance
    d_i = ||a_i - b_i||. A pair labelled similar (s_i = 1) costs d_i ** 2, pulling
    the two points together. A pair labelled dissimilar (s_i = 0) costs
    max(0, margin - d_i) ** 2: nothing once the points are at least ``margin``
    apart, more the closer they are. So each pair costs

        s_i * d_i ** 2 + (1 - s_i) * max(0, margin - d_i) ** 2.

    ``a`` and ``b`` are (n, k) arrays (or lists of n rows of k numbers,
    integers allowed); ``same`` is a 1-D sequence of n labels, 1 or 0 (or True
    and False). Returns a float.
    """
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    dist = np.sqrt(np.sum(diff * diff, axis=1))
    s = np.ravel(np.asarray(same, dtype=float))
    cost = s * dist**2 + (1 - s) * np.maximum(0.0, margin - dist) ** 2
    return float(np.mean(cost))


def triplet_loss(anchor, positive, negative, margin=1.0):
    """Triplet loss over n triplets of embeddings, averaged over the triplets.

    Triplet i is row i of each input: an anchor, a positive (an example that
    should be close to the anchor) and a negative (one that should be far). The
    loss wants the negative to be farther from the anchor than the positive by
    at least ``margin``, in squared Euclidean distance:

        max(0, ||anchor_i - positive_i|| ** 2 - ||anchor_i - negative_i|| ** 2 + margin).

    A triplet that already keeps that gap costs nothing.

    ``anchor``, ``positive`` and ``negative`` are (n, k) arrays (or lists of n
    rows of k numbers, integers allowed). Returns a float.
    """
    a = np.asarray(anchor, dtype=float)
    to_positive = np.sum((a - np.asarray(positive, dtype=float)) ** 2, axis=1)
    to_negative = np.sum((a - np.asarray(negative, dtype=float)) ** 2, axis=1)
    return float(np.mean(np.maximum(0.0, to_positive - to_negative + margin)))

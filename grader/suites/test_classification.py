"""Hidden suite for ``classification.py``, with its known mistakes.

Inputs are chosen so that no wrong formula can land on the right number by
chance: k (classes) and n (rows) are never 1 or 2 where a sum and a mean, or
two axes, could be confused (n != k in every batch), logits are never all
equal, and every edge case a docstring names is tested (large logits,
z = [0, 1000], p of exactly 0 and 1, gamma = 0, plain numbers, batches).
"""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("classification", seed=20250201)
rng = S.rng

# Shared inputs.
z4 = [2.0, 1.0, 0.1, -1.5]
Z35 = rng.normal(0.0, 2.0, (3, 5))
Z53 = rng.normal(0.0, 2.0, (5, 3))
Y53 = np.eye(3)[[0, 2, 1, 2, 0]]
Z46 = rng.normal(0.5, 3.0, (4, 6))
Y46 = np.eye(6)[[5, 0, 3, 3]]
# Rows far apart and far from 0: a shift by the batch's maximum (not the row's)
# underflows whole rows, a missing shift overflows.
Z_LARGE = np.array([[1000.0, 1001.0, 999.5], [-1000.0, -1002.0, -999.0],
                    [0.5, 700.0, 702.0], [3.0, -3.0, 0.0]])
Y_LARGE = np.eye(3)[[1, 0, 2, 0]]

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
INPUTS = "inputs may be lists, tuples or NumPy arrays"
UNCHANGED = "are never modified"
FLOAT = "Returns a float."

SM = "Softmax of the logits ``z``: exp(z_j) / sum_k exp(z_k)."
SM_BATCH = "A 2-D ``z`` of shape (n, k) is a batch: each row is turned into probabilities on its own."
SM_LARGE = "``softmax([1000, 1001, 1002])`` equals ``softmax([0, 1, 2])``"
sm = S.function("softmax", "z")
sm.value("four logits", z4, public=True, doc=SM)
sm.value("a batch of 3 rows, 5 classes", Z35, public=True, doc=SM_BATCH)
sm.value("large logits [1000, 1001, 1002]", [1000.0, 1001.0, 1002.0], public=True, doc=SM_LARGE)
sm.value("integer list", [3, 1, 4, 1, 5], doc="Integer logits are allowed.")
sm.value("a tuple", (0.5, -0.25, 2.0), doc=INPUTS)
sm.value("very negative logits", [-1000.0, -999.0, -1001.5],
         doc="Subtract the row's largest logit before taking exponentials; the result is the same and nothing overflows")
sm.value("a batch with large logits in every row", Z_LARGE, doc=(SM_BATCH, "Subtract the row's largest logit"))
sm.value("one row as a (1, k) batch", np.array([[0.5, -0.25, 2.0, 1.0]]), doc=SM_BATCH)
sm.value("six random logits", rng.normal(0.0, 3.0, 6), doc=SM)
sm.shape("one sample keeps its (k,) shape", z4, doc="Returns a float NumPy array with the shape of ``z``.")
sm.shape("a batch keeps its (n, k) shape", Z35, doc="Returns a float NumPy array with the shape of ``z``.")
sm.unchanged("leaves z alone", Z35.copy(), doc=UNCHANGED)

CE = "the loss is -sum_k y_k * ln softmax(z)_k"
CE_BATCH = "for a batch (2-D, shape (n, k)) it is the mean of that over the n rows"
CE_BIG = "a sample with ``z = [0, 1000]`` and ``y = [1, 0]`` costs 1000, not infinity"
ce = S.function("softmax_cross_entropy", "y, z")
ce.value("one sample, one-hot", [0.0, 0.0, 1.0, 0.0], z4, public=True, doc=CE)
ce.value("batch of 5 samples, 3 classes", Y53, Z53, public=True, doc=CE_BATCH)
ce.value("z = [0, 1000] with the true class at 0", [1.0, 0.0], [0.0, 1000.0], public=True, doc=CE_BIG)
ce.value("soft labels", [0.2, 0.5, 0.3], [1.5, -0.5, 0.25], doc="``y`` is usually one-hot but may hold any probabilities.")
ce.value("a batch with large logits in every row", Y_LARGE, Z_LARGE, doc=(CE_BATCH, "(the log-sum-exp trick)"))
ce.value("integer lists", [0, 1, 0], [3, 5, -2], doc="Integer lists are allowed.")
ce.value("batch of 4 samples, 6 classes", Y46, Z46, doc=CE_BATCH)
ce.value("very negative logits", [0.0, 1.0, 0.0], [-1000.0, -1001.0, -999.0], doc="(the log-sum-exp trick)")
ce.shape("returns a single number", Y53, Z53, doc=FLOAT)
ce.unchanged("leaves its inputs alone", Y46.copy(), Z46.copy(), doc=UNCHANGED)

CG = "For one sample (1-D, k values) it is softmax(z) - y."
CG_BATCH = "the gradient is (softmax(Z) - Y) / n, row-wise softmax"
CG_SHAPE = "Returns a float NumPy array with the shape of ``z``."
cg = S.function("softmax_cross_entropy_gradient", "y, z")
cg.value("one sample", [0.0, 1.0, 0.0, 0.0], z4, public=True, doc=CG)
cg.value("batch of 5 samples, 3 classes", Y53, Z53, public=True, doc=CG_BATCH)
cg.value("large logits [1000, 1001, 1002]", [0.0, 0.0, 1.0], [1000.0, 1001.0, 1002.0],
         doc="Large logits must work")
cg.value("z = [0, 1000] with the true class at 0", [1.0, 0.0], [0.0, 1000.0], doc="Large logits must work")
cg.value("integer lists", [0, 0, 1, 0, 0], [2, -1, 3, 0, 1], doc="integer lists are allowed")
cg.value("soft labels", [0.2, 0.5, 0.3], [1.5, -0.5, 0.25], doc="``y`` holds probabilities that add up to 1 in each row")
cg.value("batch of 4 samples, 6 classes", Y46, Z46, doc=CG_BATCH)
cg.value("a batch with large logits in every row", Y_LARGE, Z_LARGE, doc=(CG_BATCH, "Large logits must work"))
cg.shape("one sample: shape (k,)", [0.0, 1.0, 0.0, 0.0], z4, public=True, doc=CG_SHAPE)
cg.shape("a batch: shape (n, k)", Y53, Z53, doc=CG_SHAPE)
cg.unchanged("leaves its inputs alone", Y53.copy(), Z53.copy(), doc=UNCHANGED)

BG = "the two fractions of dL/dp cancel to sigmoid(z) - y"
BG_FORMS = "a 1-D sequence, a 2-D array or a plain number each (integers allowed)"
BG_SHAPE = "Returns a float NumPy array with the shape of ``z``."
bg = S.function("bce_logit_gradient", "y, z")
bg.value("five samples", [1, 0, 1, 0, 1], [2.0, -1.0, 0.0, 3.5, -0.5], public=True, doc=BG)
bg.value("one sample as plain numbers", 1, 0.3, public=True, doc=BG_FORMS)
bg.value("very large logits", [0, 1, 1, 0, 1], [-800.0, 800.0, -50.0, 50.0, 0.0],
         doc="Very large positive or negative logits (such as +-800) must give finite values.")
bg.value("a 2-D batch", rng.integers(0, 2, (4, 3)).astype(float), rng.normal(0.0, 2.0, (4, 3)), doc=BG_FORMS)
bg.value("integer lists", [0, 1, 1, 0], [-2, 3, 1, 0], doc=BG_FORMS)
bg.value("random data", rng.integers(0, 2, 13).astype(float), rng.normal(0.0, 3.0, 13), doc=BG)
bg.shape("same shape as z", [1, 0, 1, 0, 1], [2.0, -1.0, 0.0, 3.5, -0.5], public=True, doc=BG_SHAPE)
bg.shape("a 2-D batch keeps its shape", np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]),
         np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]), doc=(BG_FORMS, BG_SHAPE))
bg.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 0.0, 1.0]), np.array([0.25, -2.0, 1.0, 4.0]),
             doc=UNCHANGED)

HI = "the mean of max(0, margin - y * score)"
HI_FORMS = "flat sequences (lists, tuples or arrays, integers allowed) or two plain numbers for one sample"
y5 = [1, -1, 1, -1, 1]
s5 = [2.0, -0.5, 0.3, 1.2, -1.0]
hi = S.function("hinge", "y, score, margin")
hi.value("five samples", y5, s5, public=True, doc=HI)
hi.value("margin 0.5", y5, s5, margin=0.5, public=True, doc=HI)
# costs 0, 0, 2 and 1: a mean of 0.75
hi.value("integer lists", [1, -1, -1, 1], [3, -2, 1, 0], doc=HI_FORMS)
hi.value("one sample as plain numbers", -1, 0.25, doc=HI_FORMS)
hi.value("every sample beyond the margin", [1.0, -1.0, 1.0], [1.5, -2.0, 3.25],
         doc="A sample costs nothing only when it is on the right side with room to spare")
hi.value("random data", rng.choice([-1.0, 1.0], 19), rng.normal(0.0, 1.5, 19), doc=HI)
hi.value("margin 2, arrays", np.array([1.0, 1.0, -1.0, -1.0, 1.0, -1.0]),
         np.array([2.5, 0.5, -3.0, 0.75, -0.25, -1.5]), margin=2.0, doc=(HI, HI_FORMS))
hi.shape("returns a single number", y5, s5, doc=FLOAT)
hi.unchanged("leaves its inputs alone", np.array([1.0, -1.0, 1.0, -1.0]), np.array([0.4, 0.2, 1.7, -2.0]),
             doc=UNCHANGED)

FO = "A sample costs -(1 - p_t) ** gamma * ln(p_t)"
FO_PT = "p_t = p where y = 1 and 1 - p where y = 0"
yf = [1, 0, 1, 0, 1]
pf = [0.9, 0.2, 0.3, 0.6, 0.75]
fo = S.function("focal_loss", "y, p, gamma")
fo.value("five samples, gamma 2", yf, pf, public=True, doc=(FO, FO_PT))
fo.value("gamma 0 is the binary cross-entropy", yf, pf, gamma=0, public=True,
         doc="With ``gamma = 0`` this is the binary cross-entropy.")
fo.value("one sample as plain numbers", 0, 0.35, doc="or two plain numbers for one sample")
# At p = 0 or 1 the answer depends on how the clipping is rounded (clip p, or
# clip p_t); a relative 1e-5 accepts both and still rejects a missing clip.
fo.value("probabilities of exactly 0 and 1", [1, 0, 1, 0, 1], [1.0, 0.0, 0.0, 1.0, 0.5], rtol=1e-5,
         doc="With p clipped to [EPS, 1 - EPS]")
fo.value("gamma 0.5", [0, 1, 1, 0], [0.45, 0.15, 0.85, 0.05], gamma=0.5, doc=FO)
fo.value("gamma 5", [1, 1, 0, 0, 1, 0], [0.55, 0.98, 0.4, 0.9, 0.2, 0.01], gamma=5.0, doc=FO)
fo.value("random data", rng.integers(0, 2, 23).astype(float), rng.uniform(0.01, 0.99, 23), gamma=1.5, doc=FO)
fo.shape("returns a single number", yf, pf, doc=FLOAT)
fo.unchanged("leaves its inputs alone", np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.3, 1.0]), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)


MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ softmax
    # Without the shift, exp overflows for logits near 1000 (NumPy gives inf / inf = NaN);
    # written with math.exp and a Python sum so that it raises instead.
    _m("classification.softmax", "no-max-shift",
       """Your softmax overflows for large logits: exp(1000) is too big for a float. Subtract
       each row's largest logit before taking exponentials; the result does not change.""",
       """
       def softmax(z):
           import math
           a = np.asarray(z, dtype=float)
           rows = []
           for row in np.atleast_2d(a):
               exps = [math.exp(v) for v in row]
               total = sum(exps)
               rows.append([e / total for e in exps])
           return np.array(rows).reshape(a.shape)
       """),
    _m("classification.softmax", "wrong-axis",
       """Your batch is normalised down each column instead of along each row. Each row is one
       sample: take the maximum and the sum over the last axis (axis=-1, keepdims=True).""",
       """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=0))
           return e / np.sum(e, axis=0)
       """),
    _m("classification.softmax", "whole-batch",
       """Your probabilities add up to 1 over the whole batch, not in each row. Normalise every
       row on its own: sum over the last axis with keepdims=True.""",
       """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a))
           return e / np.sum(e)
       """),
    _m("classification.softmax", "not-normalised",
       """Your values are exp(z - max) without the division: they do not add up to 1. Divide
       by their sum (row by row for a batch).""",
       """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           return np.exp(a - np.max(a, axis=-1, keepdims=True))
       """),
    _m("classification.softmax", "sigmoid-elementwise",
       """Your values are the sigmoid 1 / (1 + e^(-z)) of each logit on its own. Softmax
       compares the logits of a row: exp(z_j) divided by the sum of exp over the row.""",
       """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           return 0.5 * (1.0 + np.tanh(a / 2.0))
       """),
    _m("classification.softmax", "shifts-z-in-place",
       """Your function subtracts the maximum from the caller's array in place. Work on a new
       array (z - z.max(...)) so that z is left as it was.""",
       """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           a -= np.max(a, axis=-1, keepdims=True)
           e = np.exp(a)
           return e / np.sum(e, axis=-1, keepdims=True)
       """),
    # ------------------------------------------------------------------ softmax_cross_entropy
    _m("classification.softmax_cross_entropy", "log-of-clipped-softmax",
       """Your loss is about 27.6 where the true class has a tiny probability: you took the log
       of softmax(z) clipped at 1e-12. Use log-sum-exp instead: ln softmax(z) =
       z - max(z) - ln(sum(exp(z - max(z)))).""",
       """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=-1, keepdims=True))
           p = np.clip(e / np.sum(e, axis=-1, keepdims=True), EPS, 1 - EPS)
           per_row = -np.sum(np.asarray(y, dtype=float) * np.log(p), axis=-1)
           return float(np.mean(per_row))
       """),
    _m("classification.softmax_cross_entropy", "sum-over-batch",
       """Your batch loss is the sum over the rows. The loss of a batch is the mean of the
       per-sample losses: divide by the number of rows n.""",
       """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           s = a - np.max(a, axis=-1, keepdims=True)
           log_p = s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))
           return float(np.sum(-np.asarray(y, dtype=float) * log_p))
       """),
    _m("classification.softmax_cross_entropy", "mean-over-every-entry",
       """Your loss is divided by the number of classes too (np.mean over every entry). Add
       -y * ln softmax(z) up over the classes first, then average over the rows only.""",
       """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           s = a - np.max(a, axis=-1, keepdims=True)
           log_p = s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))
           return float(np.mean(-np.asarray(y, dtype=float) * log_p))
       """),
    _m("classification.softmax_cross_entropy", "max-not-subtracted",
       """Your log-probabilities are off by the largest logit: ln softmax(z) is
       z - max(z) - ln(sum(exp(z - max(z)))), and the max(z) shift must stay in it.""",
       """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           m = np.max(a, axis=-1, keepdims=True)
           log_p = a - np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))
           return float(np.mean(np.sum(-np.asarray(y, dtype=float) * log_p, axis=-1)))
       """),
    _m("classification.softmax_cross_entropy", "missing-minus",
       """Your loss is negative: the sum of y * ln softmax(z) without the minus sign. Log
       probabilities are at most 0, so the loss is minus their weighted sum.""",
       """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           s = a - np.max(a, axis=-1, keepdims=True)
           log_p = s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))
           return float(np.mean(np.sum(np.asarray(y, dtype=float) * log_p, axis=-1)))
       """),
    # ------------------------------------------------------------------ softmax_cross_entropy_gradient
    _m("classification.softmax_cross_entropy_gradient", "batch-not-divided-by-n",
       """Your batch gradient is n times too large. The batch loss is a mean over the n rows,
       so its gradient is (softmax(Z) - Y) / n.""",
       """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=-1, keepdims=True))
           return e / np.sum(e, axis=-1, keepdims=True) - np.asarray(y, dtype=float)
       """),
    _m("classification.softmax_cross_entropy_gradient", "y-minus-softmax",
       """Your gradient has the wrong sign: y - softmax(z). The gradient of the loss is
       softmax(z) - y (it points uphill; a descent step subtracts it).""",
       """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=-1, keepdims=True))
           g = np.asarray(y, dtype=float) - e / np.sum(e, axis=-1, keepdims=True)
           return g / g.shape[0] if g.ndim == 2 else g
       """),
    _m("classification.softmax_cross_entropy_gradient", "divided-by-len",
       """Your one-sample gradient is divided by the number of classes (len(z) of a 1-D z).
       Only a batch is divided, by its number of rows; one sample's gradient is
       softmax(z) - y.""",
       """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=-1, keepdims=True))
           return (e / np.sum(e, axis=-1, keepdims=True) - np.asarray(y, dtype=float)) / len(a)
       """),
    _m("classification.softmax_cross_entropy_gradient", "softmax-over-wrong-axis",
       """Your batch softmax is normalised down the columns. Each row is a sample: take the
       row maximum and row sum (axis=-1, keepdims=True), then subtract Y and divide by n.""",
       """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=0))
           g = e / np.sum(e, axis=0) - np.asarray(y, dtype=float)
           return g / g.shape[0] if g.ndim == 2 else g
       """),
    _m("classification.softmax_cross_entropy_gradient", "gradient-wrt-probabilities",
       """Your values are -y / p, the derivative with respect to the probabilities p. The
       exercise asks for the derivative with respect to the logits z, where the chain rule
       through softmax simplifies it to softmax(z) - y.""",
       """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           e = np.exp(a - np.max(a, axis=-1, keepdims=True))
           p = np.clip(e / np.sum(e, axis=-1, keepdims=True), EPS, 1 - EPS)
           g = -np.asarray(y, dtype=float) / p
           return g / g.shape[0] if g.ndim == 2 else g
       """),
    # ------------------------------------------------------------------ bce_logit_gradient
    _m("classification.bce_logit_gradient", "y-minus-sigmoid",
       """Your gradient has the wrong sign: y - sigmoid(z). The derivative of the loss with
       respect to z is sigmoid(z) - y.""",
       """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           p = 0.5 * (1.0 + np.tanh(a / 2.0))
           return np.asarray(y, dtype=float).reshape(a.shape) - p
       """),
    _m("classification.bce_logit_gradient", "derivative-wrt-p",
       """Your values are -y/p + (1 - y)/(1 - p), the derivative with respect to p. The chain
       rule multiplies it by dp/dz = p (1 - p), which leaves sigmoid(z) - y.""",
       """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           p = np.clip(0.5 * (1.0 + np.tanh(a / 2.0)), EPS, 1 - EPS)
           t = np.asarray(y, dtype=float).reshape(a.shape)
           return -t / p + (1 - t) / (1 - p)
       """),
    _m("classification.bce_logit_gradient", "logit-as-probability",
       """Your values are z - y: the logit was used as if it were the probability. Pass it
       through the sigmoid first: sigmoid(z) - y.""",
       """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           return a - np.asarray(y, dtype=float).reshape(a.shape)
       """),
    _m("classification.bce_logit_gradient", "averaged",
       """Your gradient is divided by the number of samples. This function works elementwise:
       each entry is sigmoid(z) - y for its own sample, with no averaging.""",
       """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           p = 0.5 * (1.0 + np.tanh(a / 2.0))
           return (p - np.asarray(y, dtype=float).reshape(a.shape)) / a.size
       """),
    # ------------------------------------------------------------------ hinge
    _m("classification.hinge", "missing-max",
       """Your loss lets samples far on the right side count as negative costs. Each sample
       costs max(0, margin - y * score): take the maximum with 0 before averaging.""",
       """
       def hinge(y, score, margin=1.0):
           t = np.ravel(np.asarray(y, dtype=float))
           s = np.ravel(np.asarray(score, dtype=float))
           return float(np.mean(margin - t * s))
       """),
    _m("classification.hinge", "sum-instead-of-mean",
       """Your value is the sum of the per-sample hinge losses. Average them: divide by the
       number of samples.""",
       """
       def hinge(y, score, margin=1.0):
           t = np.ravel(np.asarray(y, dtype=float))
           s = np.ravel(np.asarray(score, dtype=float))
           return float(np.sum(np.maximum(0.0, margin - t * s)))
       """),
    _m("classification.hinge", "margin-ignored",
       """Your loss uses a margin of 1 whatever margin is given. Use the margin argument:
       max(0, margin - y * score).""",
       """
       def hinge(y, score, margin=1.0):
           t = np.ravel(np.asarray(y, dtype=float))
           s = np.ravel(np.asarray(score, dtype=float))
           return float(np.mean(np.maximum(0.0, 1.0 - t * s)))
       """),
    _m("classification.hinge", "label-ignored",
       """Your loss uses the score alone, max(0, margin - score). Multiply by the label first:
       the margin of a sample is y * score, positive when its sign is right.""",
       """
       def hinge(y, score, margin=1.0):
           s = np.ravel(np.asarray(score, dtype=float))
           return float(np.mean(np.maximum(0.0, margin - s)))
       """),
    _m("classification.hinge", "squared-hinge",
       """Your loss squares each max(0, margin - y * score) (the squared hinge loss). The
       hinge loss takes it as it is.""",
       """
       def hinge(y, score, margin=1.0):
           t = np.ravel(np.asarray(y, dtype=float))
           s = np.ravel(np.asarray(score, dtype=float))
           return float(np.mean(np.maximum(0.0, margin - t * s) ** 2))
       """),
    # ------------------------------------------------------------------ focal_loss
    _m("classification.focal_loss", "factor-uses-p",
       """Your modulating factor is (1 - p) ** gamma for every sample. It must use p_t, the
       probability of the true label: (1 - p_t) ** gamma, with p_t = 1 - p where y = 0.""",
       """
       def focal_loss(y, p, gamma=2.0):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           p_t = np.where(t == 1, q, 1 - q)
           return float(np.mean(-((1 - q) ** gamma) * np.log(p_t)))
       """),
    _m("classification.focal_loss", "label-ignored",
       """Your loss is -(1 - p) ** gamma * ln(p) for every sample, as if every label were 1.
       Use p_t, the probability given to the true label: p where y = 1, 1 - p where y = 0.""",
       """
       def focal_loss(y, p, gamma=2.0):
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(-((1 - q) ** gamma) * np.log(q)))
       """),
    _m("classification.focal_loss", "factor-p-t-instead-of-one-minus",
       """Your modulating factor is p_t ** gamma, which weights the easy samples up. The focal
       loss weights them down with (1 - p_t) ** gamma.""",
       """
       def focal_loss(y, p, gamma=2.0):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           p_t = np.where(t == 1, q, 1 - q)
           return float(np.mean(-(p_t ** gamma) * np.log(p_t)))
       """),
    _m("classification.focal_loss", "sum-instead-of-mean",
       """Your value is the sum of the per-sample focal losses. Average them: divide by the
       number of samples.""",
       """
       def focal_loss(y, p, gamma=2.0):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.clip(np.ravel(np.asarray(p, dtype=float)), EPS, 1 - EPS)
           p_t = np.where(t == 1, q, 1 - q)
           return float(np.sum(-((1 - p_t) ** gamma) * np.log(p_t)))
       """),
    # log(0) for a sure, wrong prediction; written with math.log so that it raises.
    _m("classification.focal_loss", "no-clipping",
       """Your loss fails for a probability of exactly 0 or 1, where ln(p_t) is ln(0). Clip p
       to [EPS, 1 - EPS] first.""",
       """
       def focal_loss(y, p, gamma=2.0):
           import math
           costs = []
           for t, q in zip(np.ravel(y).tolist(), np.ravel(p).tolist()):
               p_t = q if t == 1 else 1 - q
               costs.append(-((1 - p_t) ** gamma) * math.log(p_t))
           return sum(costs) / len(costs)
       """),
]

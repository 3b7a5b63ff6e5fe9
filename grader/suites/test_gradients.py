"""Hidden suite for ``gradients.py`` (problem set 3), with its known mistakes."""

from __future__ import annotations

import numpy as np

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests
from grader.wire import Fn

S = Suite("gradients", seed=20250301)
rng = S.rng

# n is never 1 or 2, residuals differ in size and none is +-0.5 (where -2r/n and
# -sign(r)/n would agree); one residual is exactly zero.
y5 = [3.0, -0.5, 2.0, 7.0, 4.25]
p5 = [2.25, 0.75, 2.0, 8.0, 1.5]
y17, p17 = rng.normal(2.0, 3.0, 17), rng.normal(2.0, 3.0, 17)
col4 = np.array([[0.0], [1.5], [1.0], [2.75]])

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
UNCHANGED = "No function here changes its arguments."
MG = "its derivative with respect to y_hat_i is -sign(y_i - y_hat_i) / n"
MG_TIE = "Where y_i == y_hat_i the absolute value has a corner; use 0 there"
MG_SHAPES = "either may be a flat ``(n,)`` vector or an ``(n, 1)`` column"
MG_KINDS = "as a list, tuple or NumPy array (integers allowed)"
MG_SHAPE = "Returns a float NumPy array with the shape of ``y_hat``."
mg = S.function("mae_gradient", "y, y_hat")
mg.value("five samples, one of them exact", y5, p5, public=True, doc=(MG, MG_TIE))
mg.value("column y_hat with flat y", [1.0, -2.0, 1.0, 4.0], col4, public=True, doc=MG_SHAPES)
mg.value("flat y_hat with column y", np.array(y5).reshape(-1, 1), np.array(p5), doc=MG_SHAPES)
mg.value("integer lists with several ties", [1, 2, 3, 4, 5, 6], [1, 3, 3, 2, 5, 9], doc=(MG_KINDS, MG_TIE))
mg.value("tuples", (0.5, 1.5, -2.0), (1.25, 1.0, 1.0), doc=MG_KINDS)
mg.value("random data", y17, p17, doc=MG)
mg.shape("same shape as a column y_hat", [1.0, -2.0, 1.0, 4.0], col4, public=True, doc=(MG_SHAPES, MG_SHAPE))
mg.shape("same shape as a flat y_hat", y17, p17, doc=MG_SHAPE)
mg.unchanged("leaves its inputs alone", y17.copy(), p17.copy(), doc=UNCHANGED)

HG = "the gradient is simply -clip(r_i, -delta, delta) / n"
HG_RULES = "Same input rules as ``mae_gradient``."
hg = S.function("huber_gradient", "y, y_hat, delta")
hy, hp = [0.0, 1.0, 2.0, -3.0, 0.5], [0.2, 3.0, 2.5, 1.0, 0.5]
hg.value("small and large residuals, delta=1", hy, hp, public=True, doc=HG)
hg.value("delta=2.5", hy, hp, public=True, delta=2.5, doc=HG)
# r = 1.5, -1.5, 0.75, -1.5, 3.0: three residuals exactly on the band's edge, where
# both pieces of the derivative agree.
hg.value("residuals of exactly +-delta", [1.5, 0.0, 2.0, -1.0, 3.0], [0.0, 1.5, 1.25, 0.5, 0.0], delta=1.5,
         doc="Both pieces say the same at |r| = delta")
hg.value("column y_hat with flat y", [1.0, -2.0, 1.9, 4.0], col4, delta=0.75, doc=HG_RULES)
hg.value("random data, delta=2", y17, p17, delta=2.0, doc=HG)
hg.value("integer lists", [1, 5, 9, 2], [2, 2, 2, 2], doc=HG_RULES)
hg.shape("same shape as a column y_hat", [1.0, -2.0, 1.9, 4.0], col4, delta=0.75,
         doc=(HG_RULES, "Returns a float NumPy array with the shape of ``y_hat``."))
hg.unchanged("leaves its inputs alone", y17.copy(), p17.copy(), delta=2.0, doc=UNCHANGED)

LC = "with C0 = sum(y_c ** 2), C1 = sum(x_c * y_c) and C2 = sum(x_c ** 2)"
LC_KINDS = "as flat sequences (lists, tuples or NumPy arrays, integers allowed) or ``(n, 1)`` columns"
lc = S.function("loss_coefficients", "x, y")
x12 = rng.uniform(10.0, 30.0, 12)
y12 = 1.7 * x12 - 4.0 + rng.normal(0.0, 3.0, 12)
lc.value("the three rooms: x = 1, 2, 3", [1.0, 2.0, 3.0], [2.0, 3.2, 6.1], public=True, doc=LC)
lc.value("integer lists on an exact line", [20, 30, 40], [5, 8, 11], public=True, doc=(LC, LC_KINDS))
# Means 7/3 and 8/3: centring in an integer array truncates both (C2 = 42/9 exactly).
lc.value("integer lists with fractional means", [1, 2, 4], [3, 0, 5], doc=(LC, LC_KINDS))
lc.value("uncentred random data", x12, y12, doc=("Centre both variables first", LC))
lc.value("(n, 1) columns", x12[:7].reshape(-1, 1), y12[:7].reshape(-1, 1), doc=LC_KINDS)
lc.value("tuples", (2.0, 4.0, 6.0, 9.0), (1.5, -0.5, 3.0, 2.25), doc=LC_KINDS)
lc.shape("returns three numbers", x12, y12, public=True, doc="Returns the tuple ``(C0, C1, C2)`` of three floats.")
lc.unchanged("leaves its inputs alone", x12.copy(), y12.copy(), doc=UNCHANGED)

NH = "Entry (i, j) approximates d2f / (dx_i dx_j) at ``x`` by stepping h along the unit vectors e_i and e_j"
NH_X = "``x`` is a 1-D sequence of d numbers (a list, tuple or NumPy array, integers allowed)"
NH_SHAPE = "Returns a float NumPy array of shape (d, d)"
nh = S.function("numerical_hessian", "f, x, h")
# The central difference agrees with other correct schemes (for instance a
# three-point formula on the diagonal) to about 5e-7 on this non-polynomial
# function; a relative 1e-5 accepts them all and still rejects forward
# differences, whose error is about h = 1e-3.
nh.value("2x^2 + 3xy + y^2 (Hessian [[4, 3], [3, 2]])", Fn("tilted"), [1.0, 2.0], public=True,
         doc="For a quadratic function the estimate is exact (up to rounding) whatever h is.")
nh.value("three coupled variables", Fn("coupled"), np.array([0.5, -0.8, 1.2]), public=True, rtol=1e-5, doc=NH)
nh.value("integer list x", Fn("tilted"), [-2, 3], doc=NH_X)
nh.value("a quadratic in three variables, x as a tuple", Fn("quadratic3"), (0.3, -0.2, 1.1), doc=NH_X)
nh.value("coupled variables elsewhere", Fn("coupled"), np.array([-0.7, 0.4, 0.9]), rtol=1e-5, doc=NH)
# Cubic in each variable: every scheme is exact on the diagonal, while the mixed
# derivative is (3 x0^2 + h^2)(3 x1^2 + h^2), so a step other than h shows.
nh.value("a coarse step h=0.1", Fn("cubic_product"), [1.0, -0.5], h=0.1, doc=NH)
nh.value("one variable", Fn("cubic"), [1.5], doc=("The same formula serves the diagonal (i == j).", NH_X))
nh.shape("a (2, 2) matrix for two variables", Fn("tilted"), [1.0, 2.0], public=True, doc=NH_SHAPE)
nh.shape("a (3, 3) matrix for three variables", Fn("quadratic3"), (0.3, -0.2, 1.1), doc=NH_SHAPE)
# Values chosen so that stepping x in place and stepping back does not give x
# back exactly: an in-place "restore" is visible afterwards.
nh.unchanged("leaves x exactly as it was", Fn("quadratic3"), np.array([0.731, -1.377, 2.219]),
             doc="``x`` itself is never changed.")

CR = "that is the row vector (dz/du)^T J, or J^T (dz/du)"
CR_KINDS = "(a list of m rows of n numbers, or a 2-D NumPy array)"
cr = S.function("chain_rule", "grad_outer, jacobian")
cr.value("z = f(u, v) with u, v functions of (x, y)", [2.0, -1.5], [[1.0, 3.0], [0.5, -2.5]], public=True,
         doc=(CR, CR_KINDS))
cr.value("three inner functions of two variables", [1.0, -2.0, 0.5], [[2.0, 0.0], [1.0, -1.0], [4.0, 3.0]],
         public=True, doc=(CR, CR_KINDS))
cr.value("a wide 2x4 Jacobian", rng.normal(size=2), rng.normal(size=(2, 4)), doc=CR)
cr.value("a tall 5x3 Jacobian", rng.normal(size=5), rng.normal(size=(5, 3)), doc=CR)
cr.value("a square non-symmetric 4x4 Jacobian", rng.normal(size=4), rng.normal(size=(4, 4)), doc=CR)
# (whole numbers in, whole numbers out: no integer input can be truncated here)
cr.value("integer lists", [1, -2, 3], [[1, 2, 0], [3, 1, 4], [0, 5, 2]], doc=(CR, "Integers are allowed."))
cr.value("one inner function", [3.0], [[1.0, -2.0, 0.5]], doc=(CR, "(a 1-D sequence of m numbers)"))
cr.shape("one entry per variable x_i", [1.0, -2.0, 0.5], [[2.0, 0.0], [1.0, -1.0], [4.0, 3.0]], public=True,
         doc="Returns a 1-D float NumPy array of n numbers.")
cr.shape("a 1-D result for a square Jacobian", rng.normal(size=3), rng.normal(size=(3, 3)),
         doc="Returns a 1-D float NumPy array of n numbers.")
cr.unchanged("leaves its inputs alone", rng.normal(size=5), rng.normal(size=(5, 3)), doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ gradients.mae_gradient
    _m("gradients.mae_gradient", "missing-1-over-n",
       """Your gradient is -sign(y - y_hat) without the factor 1/n. The MAE is a mean, so each
       prediction's share of it, and of its derivative, is divided by the number of samples n.""",
       """
       def mae_gradient(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -np.sign(target - pred)
       """),
    _m("gradients.mae_gradient", "sign-flipped",
       """Your gradient has the wrong sign. Raising y_hat_i where it is already too high
       (y_hat_i > y_i) increases the loss, so the derivative is +1/n there and -1/n where
       y_hat_i is too low: -sign(y - y_hat) / n.""",
       """
       def mae_gradient(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return np.sign(target - pred) / pred.size
       """),
    _m("gradients.mae_gradient", "nonzero-at-ties",
       """Where a prediction equals its target your gradient is not 0. The exercise uses 0 at
       ties (what np.sign gives for 0); a two-way test such as y > y_hat puts ties on one side.""",
       """
       def mae_gradient(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return np.where(target > pred, -1.0, 1.0) / pred.size
       """),
    _m("gradients.mae_gradient", "residual-instead-of-sign",
       """Your gradient is -(y - y_hat) / n, which scales with the size of the error. The
       derivative of |r| is only its sign: every prediction gets -1/n, 0 or +1/n.""",
       """
       def mae_gradient(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -(target - pred) / pred.size
       """),
    _m("gradients.mae_gradient", "broadcasting-column-and-flat",
       """Your result has n * n values: a flat (n,) array and an (n, 1) column broadcast to an
       (n, n) table when subtracted. Reshape y to the shape of y_hat before subtracting.""",
       """
       def mae_gradient(y, y_hat):
           r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
           return -np.sign(r) / np.size(y_hat)
       """),
    # ------------------------------------------------------------------ gradients.huber_gradient
    _m("gradients.huber_gradient", "missing-1-over-n",
       """Your gradient is -clip(y - y_hat, -delta, delta) without the factor 1/n. The loss is
       averaged over the samples, so divide each derivative by n.""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -np.clip(target - pred, -delta, delta)
       """),
    _m("gradients.huber_gradient", "sign-flipped",
       """Your gradient has the wrong sign: with r = y - y_hat the derivative with respect to
       y_hat is -clip(r, -delta, delta) / n (the minus comes from the chain rule).""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return np.clip(target - pred, -delta, delta) / pred.size
       """),
    _m("gradients.huber_gradient", "no-clipping",
       """Your gradient is -(y - y_hat) / n everywhere, the quadratic part's derivative. Beyond
       |r| = delta the loss grows linearly, so its derivative stays at -delta * sign(r) / n.""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -(target - pred) / pred.size
       """),
    _m("gradients.huber_gradient", "delta-missing-in-linear-part",
       """Beyond the band your gradient is -sign(r) / n. The linear part is
       delta * (|r| - delta / 2), so its derivative is -delta * sign(r) / n.""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           r = np.asarray(y, dtype=float).reshape(pred.shape) - pred
           return -np.where(np.abs(r) <= delta, r, np.sign(r)) / pred.size
       """),
    _m("gradients.huber_gradient", "clipped-at-one",
       """Your gradient clips the residual at +-1 whatever delta is. Clip it at +-delta:
       -clip(y - y_hat, -delta, delta) / n.""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           target = np.asarray(y, dtype=float).reshape(pred.shape)
           return -np.clip(target - pred, -1.0, 1.0) / pred.size
       """),
    _m("gradients.huber_gradient", "broadcasting-column-and-flat",
       """Your result has n * n values: a flat (n,) array and an (n, 1) column broadcast to an
       (n, n) table when subtracted. Reshape y to the shape of y_hat before subtracting.""",
       """
       def huber_gradient(y, y_hat, delta=1.0):
           r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
           return -np.clip(r, -delta, delta) / np.size(y_hat)
       """),
    # ------------------------------------------------------------------ gradients.loss_coefficients
    _m("gradients.loss_coefficients", "not-centred",
       """Your coefficients are sums of the raw data. Centre x and y first (subtract each
       one's mean): the parabola C0 - 2 C1 a + C2 a ** 2 describes the line through centred data.""",
       """
       def loss_coefficients(x, y):
           xs = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           return float(np.sum(ys * ys)), float(np.sum(xs * ys)), float(np.sum(xs * xs))
       """),
    _m("gradients.loss_coefficients", "only-x-centred",
       """Your C1 and C2 are right but C0 is the sum of the raw y ** 2. Centre y as well:
       C0 = sum((y - mean(y)) ** 2).""",
       """
       def loss_coefficients(x, y):
           xc = np.ravel(np.asarray(x, dtype=float))
           ys = np.ravel(np.asarray(y, dtype=float))
           xc = xc - xc.mean()
           return float(np.sum(ys * ys)), float(np.sum(xc * ys)), float(np.sum(xc * xc))
       """),
    _m("gradients.loss_coefficients", "means-instead-of-sums",
       """Your coefficients are means over the samples. The loss here is a sum of squared
       errors, so C0, C1 and C2 are sums: do not divide by n.""",
       """
       def loss_coefficients(x, y):
           xc = np.ravel(np.asarray(x, dtype=float))
           yc = np.ravel(np.asarray(y, dtype=float))
           xc, yc = xc - xc.mean(), yc - yc.mean()
           return float(np.mean(yc * yc)), float(np.mean(xc * yc)), float(np.mean(xc * xc))
       """),
    _m("gradients.loss_coefficients", "polynomial-coefficients",
       """Your middle number is -2 C1, the coefficient of a in the expanded loss. The exercise
       asks for C1 = sum(x_c * y_c) itself, the loss being C0 - 2 C1 a + C2 a ** 2.""",
       """
       def loss_coefficients(x, y):
           xc = np.ravel(np.asarray(x, dtype=float))
           yc = np.ravel(np.asarray(y, dtype=float))
           xc, yc = xc - xc.mean(), yc - yc.mean()
           return float(np.sum(yc * yc)), float(-2 * np.sum(xc * yc)), float(np.sum(xc * xc))
       """),
    _m("gradients.loss_coefficients", "reversed-order",
       """Your coefficients come in reverse order (C2, C1, C0), as np.polyfit lists them.
       Return them as (C0, C1, C2): the constant first.""",
       """
       def loss_coefficients(x, y):
           xc = np.ravel(np.asarray(x, dtype=float))
           yc = np.ravel(np.asarray(y, dtype=float))
           xc, yc = xc - xc.mean(), yc - yc.mean()
           return float(np.sum(xc * xc)), float(np.sum(xc * yc)), float(np.sum(yc * yc))
       """),
    _m("gradients.loss_coefficients", "integer-centring",
       """Your coefficients for integer input are off: x and y were centred inside integer
       arrays, which cut the centred values to whole numbers. Centre float copies, for
       example np.array(x, dtype=float) - np.mean(x).""",
       """
       def loss_coefficients(x, y):
           xc = np.array(np.ravel(x))
           yc = np.array(np.ravel(y))
           xc[...] = xc - xc.mean()
           yc[...] = yc - yc.mean()
           return float(np.sum(yc * yc)), float(np.sum(xc * yc)), float(np.sum(xc * xc))
       """),
    # ------------------------------------------------------------------ gradients.numerical_hessian
    _m("gradients.numerical_hessian", "forward-differences",
       """Your second derivatives come from forward differences (x, x + h e_i, x + h e_j), whose
       error grows with h. Step both ways, +h and -h, and divide the four-point sum by 4 h ** 2.""",
       """
       def numerical_hessian(f, x, h=1e-3):
           base = np.array(x, dtype=float)
           d = base.size
           hess = np.zeros((d, d))
           for i in range(d):
               for j in range(d):
                   ei = np.zeros(d)
                   ej = np.zeros(d)
                   ei[i] = h
                   ej[j] = h
                   hess[i, j] = (f(base + ei + ej) - f(base + ei) - f(base + ej) + f(base)) / (h * h)
           return hess
       """),
    _m("gradients.numerical_hessian", "h-squared-denominator",
       """Your matrix is 4 times too large: the four points lie 2h apart along each axis, so the
       sum f(x+h e_i+h e_j) - f(x+h e_i-h e_j) - f(x-h e_i+h e_j) + f(x-h e_i-h e_j) is
       divided by 4 h ** 2, not h ** 2.""",
       """
       def numerical_hessian(f, x, h=1e-3):
           base = np.array(x, dtype=float)
           d = base.size
           steps = h * np.eye(d)
           hess = np.zeros((d, d))
           for i in range(d):
               for j in range(d):
                   ei, ej = steps[i], steps[j]
                   hess[i, j] = (f(base + ei + ej) - f(base + ei - ej)
                                 - f(base - ei + ej) + f(base - ei - ej)) / (h * h)
           return hess
       """),
    _m("gradients.numerical_hessian", "only-diagonal",
       """Your matrix has zeros off the diagonal. The mixed partial derivatives d2f/(dx_i dx_j)
       with i != j are part of the Hessian too (for 2x^2 + 3xy + y^2 both are 3).""",
       """
       def numerical_hessian(f, x, h=1e-3):
           base = np.array(x, dtype=float)
           d = base.size
           hess = np.zeros((d, d))
           for i in range(d):
               e = np.zeros(d)
               e[i] = h
               hess[i, i] = (f(base + 2 * e) - 2 * f(base) + f(base - 2 * e)) / (4 * h * h)
           return hess
       """),
    _m("gradients.numerical_hessian", "step-size-ignored",
       """Your result does not change with the step h: use the h you are given
       (the default, 1e-3, is only used when none is passed).""",
       """
       def numerical_hessian(f, x, h=1e-3):
           step = 1e-3
           base = np.array(x, dtype=float)
           d = base.size
           steps = step * np.eye(d)
           hess = np.zeros((d, d))
           for i in range(d):
               for j in range(d):
                   ei, ej = steps[i], steps[j]
                   hess[i, j] = (f(base + ei + ej) - f(base + ei - ej)
                                 - f(base - ei + ej) + f(base - ei - ej)) / (4 * step * step)
           return hess
       """),
    _m("gradients.numerical_hessian", "steps-the-callers-x",
       """Your function changes the caller's x: stepping x[i] up and back down in place does
       not always restore it exactly in floating point. Work on a copy (np.array(x, dtype=float)).""",
       """
       def numerical_hessian(f, x, h=1e-3):
           xs = np.asarray(x, dtype=float)
           d = xs.size
           hess = np.zeros((d, d))
           for i in range(d):
               for j in range(d):
                   xs[i] += h
                   xs[j] += h
                   pp = f(xs)
                   xs[j] -= 2 * h
                   pm = f(xs)
                   xs[i] -= 2 * h
                   mm = f(xs)
                   xs[j] += 2 * h
                   mp = f(xs)
                   xs[i] += h
                   xs[j] -= h
                   hess[i, j] = (pp - pm - mp + mm) / (4 * h * h)
           return hess
       """),
    # ------------------------------------------------------------------ gradients.chain_rule
    _m("gradients.chain_rule", "jacobian-not-transposed",
       """Your result is J times dz/du. Row k of J belongs to u_k, so x_i collects
       dz/du_k * J[k][i] over k: multiply by the transpose, J^T (dz/du), or (dz/du) @ J.""",
       """
       def chain_rule(grad_outer, jacobian):
           outer = np.ravel(np.asarray(grad_outer, dtype=float))
           return np.asarray(jacobian, dtype=float) @ outer
       """),
    _m("gradients.chain_rule", "summed-over-the-wrong-axis",
       """Your result sums J's rows times dz/du across each row, giving one number per u_k.
       Sum over k instead (down each column): dz/dx_i = sum over k of dz/du_k * J[k][i].""",
       """
       def chain_rule(grad_outer, jacobian):
           outer = np.ravel(np.asarray(grad_outer, dtype=float))
           return np.sum(np.asarray(jacobian, dtype=float) * outer[:, np.newaxis], axis=1)
       """),
    _m("gradients.chain_rule", "outer-gradient-ignored",
       """Your result is the column sums of J, as if every dz/du_k were 1. Weight row k of the
       Jacobian by dz/du_k before adding the rows up.""",
       """
       def chain_rule(grad_outer, jacobian):
           return np.sum(np.asarray(jacobian, dtype=float), axis=0)
       """),
    _m("gradients.chain_rule", "direct-paths-only",
       """Your result keeps only dz/du_i * du_i/dx_i, the diagonal of J. Each x_i reaches z
       through every u_k, so add dz/du_k * du_k/dx_i over all k.""",
       """
       def chain_rule(grad_outer, jacobian):
           outer = np.ravel(np.asarray(grad_outer, dtype=float))
           return outer * np.diag(np.asarray(jacobian, dtype=float))
       """),
]

"""Proofs about problem set 3 (gradients, optimization, metric, gan, plots_ps3).

* the reference scores full marks;
* every known mistake (each suite's ``MISTAKES``) loses points on its own
  function and nowhere else, and its hint is shown on a failed value test where
  its output is finite;
* correct-but-different implementations (``VARIANTS``) keep full marks;
* junk outputs (NaN, None, strings, a list of the wrong length, an input handed
  back unchanged, ...) never pass a value test;
* the plot: the reference passes, wrong figures fail with a clear reason and
  right-but-different figures pass.

Everything runs on the trusted in-process path: solution modules, with one
function replaced by other source, run on the plan's calls and are scored.
"""

from __future__ import annotations

import ast
import math
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from grader.checks import as_numbers, same_numbers  # noqa: E402
from grader.config import load_course  # noqa: E402
from grader.execute import Outcome  # noqa: E402
from grader.figures import figure_summary, parse_summary  # noqa: E402
from grader.mistakes import Mistake, _m  # noqa: E402
from grader.plan import Plan, build_plan, load_solution_module, run_calls  # noqa: E402
from grader.scoring import StudentResult, score  # noqa: E402
from grader.suites import load_mistakes  # noqa: E402
from grader.wire import Fn, decode, encode  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT / "course.yml", assignment="ps3")
MODULES = ["gradients", "optimization", "metric", "gan", "plots_ps3"]
PLOT = "plots_ps3.plot_learning_rates"
NUMERIC_FUNCTIONS = [f for f in COURSE.functions if f != PLOT]
MISTAKES = load_mistakes(list(COURSE.modules))

# The solutions import matplotlib inside each plot function; a replacement written at
# module level needs the name there.
WITH_FIGURE = "from matplotlib.figure import Figure\n"


@cache
def plan() -> Plan:
    return build_plan(COURSE)


@cache
def reference() -> dict[str, Any]:
    return {m: load_solution_module(ROOT, m) for m in COURSE.modules}


def run_with(module: str | None = None, source: str | None = None) -> StudentResult:
    """Score the solutions with ``source`` exec'd into a copy of ``module``."""
    mods = dict(reference())
    if module is not None:
        mods[module] = load_solution_module(ROOT, module, replace=WITH_FIGURE + source if source else None)
    open_before = plt.get_fignums()
    with np.errstate(all="ignore"):
        result = score(plan(), run_calls(mods, plan().calls))
    assert plt.get_fignums() == open_before, "a figure was left open"
    return result


def key(entry: Mistake) -> str:
    return f"{entry.function}/{entry.name}"


@cache
def result_of(k: str) -> StudentResult:
    entry = BY_KEY[k]
    return run_with(entry.function.split(".")[0], entry.source)


def earned(result: StudentResult) -> dict[str, float]:
    return {f.function: f.earned for f in result.functions}


# --------------------------------------------------------------------------- what cannot be shown

# Mistakes whose hint can never be attached (diagnosis compares finite numbers on
# failed value tests only): value is the kinds of failure they show instead.
UNDIAGNOSABLE: dict[str, set[str]] = {
    # log(0) on outputs of exactly 0 or 1 (written to raise, see grader/mistakes.py)
    "gan.gan_discriminator_loss/no-clipping": {"error"},
    "gan.gan_generator_loss/no-clipping": {"error"},
    # right numbers, but the caller's array is changed
    "gradients.numerical_hessian/steps-the-callers-x": {"modified input"},
}

# Diagnosable, but no public test shows them (the inputs that reveal them are hidden).
HIDDEN_ONLY: set[str] = {
    "gradients.huber_gradient/broadcasting-column-and-flat",
    "gradients.numerical_hessian/step-size-ignored",
    # integer truncation: only hidden tests have integer inputs whose means are not whole
    "gradients.loss_coefficients/integer-centring",
}

# --------------------------------------------------------------------------- correct variants

VARIANTS: list[Mistake] = [
    # gradients.mae_gradient
    _m("gradients.mae_gradient", "three-way-where", "", """
       def mae_gradient(y, y_hat):
           pred = np.array(y_hat, dtype=float)
           r = np.reshape(y, pred.shape) - pred
           return np.where(r > 0, -1.0, np.where(r < 0, 1.0, 0.0)) / r.size
       """),
    _m("gradients.mae_gradient", "python-loop", "", """
       def mae_gradient(y, y_hat):
           shape = np.shape(y_hat)
           pairs = list(zip(np.ravel(y).tolist(), np.ravel(y_hat).tolist()))
           n = len(pairs)
           out = [(-1.0 if a > b else 1.0 if a < b else 0.0) / n for a, b in pairs]
           return np.array(out).reshape(shape)
       """),
    _m("gradients.mae_gradient", "prediction-minus-target", "", """
       def mae_gradient(y, y_hat):
           pred = np.asarray(y_hat, dtype=float)
           return np.sign(pred - np.reshape(np.asarray(y, dtype=float), pred.shape)) / len(pred.ravel())
       """),
    # gradients.huber_gradient
    _m("gradients.huber_gradient", "two-branches", "", """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           r = np.asarray(y, dtype=float).reshape(pred.shape) - pred
           return np.where(np.abs(r) <= delta, -r, -delta * np.sign(r)) / r.size
       """),
    _m("gradients.huber_gradient", "strict-inequality", "", """
       def huber_gradient(y, y_hat, delta=1.0):
           pred = np.asarray(y_hat, dtype=float)
           r = np.asarray(y, dtype=float).reshape(pred.shape) - pred
           return np.where(np.abs(r) < delta, -r, -delta * np.sign(r)) / r.size
       """),
    _m("gradients.huber_gradient", "python-loop", "", """
       def huber_gradient(y, y_hat, delta=1.0):
           shape = np.shape(y_hat)
           ys, ps = np.ravel(y).tolist(), np.ravel(y_hat).tolist()
           out = [-min(max(a - b, -delta), delta) / len(ps) for a, b in zip(ys, ps)]
           return np.array(out, dtype=float).reshape(shape)
       """),
    # gradients.loss_coefficients
    _m("gradients.loss_coefficients", "expanded-sums", "", """
       def loss_coefficients(x, y):
           xs, ys = np.ravel(x).astype(float), np.ravel(y).astype(float)
           n, mx, my = xs.size, xs.mean(), ys.mean()
           return (np.sum(ys ** 2) - n * my ** 2, np.sum(xs * ys) - n * mx * my, np.sum(xs ** 2) - n * mx ** 2)
       """),
    _m("gradients.loss_coefficients", "variances-as-array", "", """
       def loss_coefficients(x, y):
           xs, ys = np.ravel(x).astype(float), np.ravel(y).astype(float)
           n = xs.size
           c = np.cov(xs, ys, bias=True)
           return np.array([n * c[1, 1], n * c[0, 1], n * c[0, 0]])
       """),
    _m("gradients.loss_coefficients", "python-loop-list", "", """
       def loss_coefficients(x, y):
           xs = [float(v) for v in np.ravel(x)]
           ys = [float(v) for v in np.ravel(y)]
           mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
           c0 = sum((b - my) ** 2 for b in ys)
           c1 = sum((a - mx) * (b - my) for a, b in zip(xs, ys))
           c2 = sum((a - mx) ** 2 for a in xs)
           return [c0, c1, c2]
       """),
    # gradients.numerical_hessian
    _m("gradients.numerical_hessian", "three-point-diagonal", "", """
       def numerical_hessian(f, x, h=1e-3):
           base = np.array(x, dtype=float)
           d = base.size
           f0 = f(base)
           hess = np.empty((d, d))
           for i in range(d):
               for j in range(d):
                   ei = np.zeros(d)
                   ej = np.zeros(d)
                   ei[i] = h
                   ej[j] = h
                   if i == j:
                       hess[i, i] = (f(base + ei) - 2 * f0 + f(base - ei)) / h ** 2
                   else:
                       hess[i, j] = (f(base + ei + ej) - f(base + ei - ej)
                                     - f(base - ei + ej) + f(base - ei - ej)) / (4 * h ** 2)
           return hess
       """),
    _m("gradients.numerical_hessian", "upper-triangle-mirrored", "", """
       def numerical_hessian(f, x, h=1e-3):
           base = np.asarray(x, dtype=float).copy()
           d = len(base)
           hess = np.zeros((d, d))
           unit = np.eye(d) * h
           for i in range(d):
               for j in range(i, d):
                   a, b = unit[i], unit[j]
                   value = (f(base + a + b) - f(base + a - b) - f(base - a + b) + f(base - a - b)) / (4 * h * h)
                   hess[i, j] = hess[j, i] = value
           return hess
       """),
    _m("gradients.numerical_hessian", "jacobian-of-central-gradient", "", """
       def numerical_hessian(f, x, h=1e-3):
           base = np.array(x, dtype=float)
           d = base.size

           def grad(p):
               g = np.zeros(d)
               for i in range(d):
                   e = np.zeros(d)
                   e[i] = h
                   g[i] = (f(p + e) - f(p - e)) / (2 * h)
               return g

           cols = []
           for j in range(d):
               e = np.zeros(d)
               e[j] = h
               cols.append((grad(base + e) - grad(base - e)) / (2 * h))
           return np.column_stack(cols)
       """),
    # gradients.chain_rule
    _m("gradients.chain_rule", "transpose-times", "", """
       def chain_rule(grad_outer, jacobian):
           return np.asarray(jacobian, dtype=float).T @ np.asarray(grad_outer, dtype=float)
       """),
    _m("gradients.chain_rule", "python-loops", "", """
       def chain_rule(grad_outer, jacobian):
           g = [float(v) for v in np.ravel(grad_outer)]
           rows = [[float(v) for v in row] for row in np.atleast_2d(jacobian)]
           n = len(rows[0])
           return np.array([sum(g[k] * rows[k][i] for k in range(len(g))) for i in range(n)])
       """),
    _m("gradients.chain_rule", "einsum", "", """
       def chain_rule(grad_outer, jacobian):
           return np.einsum("k,ki->i", np.asarray(grad_outer, dtype=float), np.asarray(jacobian, dtype=float))
       """),
    # optimization.sgd_epoch
    _m("optimization.sgd_epoch", "row-by-row-gradient", "", """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           rows = np.asarray(X, dtype=float)
           target = np.asarray(y, dtype=float).ravel()
           params = np.array(theta, dtype=float)
           visit = list(order)
           path = [params.copy()]
           for start in range(0, len(visit), batch_size):
               batch = visit[start:start + batch_size]
               grad = np.zeros_like(params)
               for i in batch:
                   grad += 2 * rows[i] * (rows[i] @ params - target[i])
               params -= lr * grad / len(batch)
               path.append(params.copy())
           return np.vstack(path)
       """),
    _m("optimization.sgd_epoch", "preallocated", "", """
       def sgd_epoch(X, y, theta, lr, order, batch_size=1):
           design = np.asarray(X, dtype=float)
           target = np.asarray(y, dtype=float)
           idx = np.asarray(order)
           n_batches = -(-len(idx) // batch_size)
           path = np.empty((n_batches + 1, len(theta)))
           path[0] = theta
           for b in range(n_batches):
               rows = idx[b * batch_size:(b + 1) * batch_size]
               residual = design[rows] @ path[b] - target[rows]
               path[b + 1] = path[b] - lr * 2 * design[rows].T @ residual / len(rows)
           return path
       """),
    # optimization.max_stable_learning_rate
    _m("optimization.max_stable_learning_rate", "general-eig", "", """
       def max_stable_learning_rate(H):
           return 2 / np.max(np.linalg.eig(np.asarray(H, dtype=float))[0].real)
       """),
    _m("optimization.max_stable_learning_rate", "spectral-norm", "", """
       def max_stable_learning_rate(H):
           return 2.0 / np.linalg.norm(np.asarray(H, dtype=float), 2)
       """),
    # metric.contrastive_loss
    _m("metric.contrastive_loss", "python-loop", "", """
       def contrastive_loss(a, b, same, margin=1.0):
           import math
           costs = []
           for u, v, s in zip(np.asarray(a, dtype=float), np.asarray(b, dtype=float), np.ravel(same)):
               d = math.dist(u.tolist(), v.tolist())
               costs.append(d * d if s else max(0.0, margin - d) ** 2)
           return sum(costs) / len(costs)
       """),
    _m("metric.contrastive_loss", "norm-and-clip", "", """
       def contrastive_loss(a, b, same, margin=1.0):
           d = np.linalg.norm(np.subtract(a, b), axis=1)
           s = np.asarray(same).astype(float)
           return np.mean(np.where(s == 1, d ** 2, np.clip(margin - d, 0, None) ** 2))
       """),
    # metric.triplet_loss
    _m("metric.triplet_loss", "python-loop", "", """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           total, rows = 0.0, 0
           for a, p, q in zip(np.asarray(anchor, dtype=float), np.asarray(positive, dtype=float),
                              np.asarray(negative, dtype=float)):
               total += max(0.0, float(np.dot(a - p, a - p) - np.dot(a - q, a - q) + margin))
               rows += 1
           return total / rows
       """),
    _m("metric.triplet_loss", "norm-squared-and-clip", "", """
       def triplet_loss(anchor, positive, negative, margin=1.0):
           a = np.asarray(anchor, dtype=float)
           gap = np.linalg.norm(a - positive, axis=1) ** 2 - np.linalg.norm(a - negative, axis=1) ** 2
           return np.clip(gap + margin, 0.0, None).mean()
       """),
    # gan.gan_discriminator_loss
    _m("gan.gan_discriminator_loss", "clip-one-minus-d", "", """
       def gan_discriminator_loss(d_real, d_fake):
           real = np.atleast_1d(np.asarray(d_real, dtype=float))
           fake = np.atleast_1d(np.asarray(d_fake, dtype=float))
           return (-np.log(np.clip(real, EPS, 1 - EPS)).mean()
                   - np.log(np.clip(1 - fake, EPS, 1 - EPS)).mean())
       """),
    _m("gan.gan_discriminator_loss", "python-loop-log1p", "", """
       def gan_discriminator_loss(d_real, d_fake):
           import math
           real = [min(max(float(p), EPS), 1 - EPS) for p in np.ravel(d_real)]
           fake = [min(max(float(q), EPS), 1 - EPS) for q in np.ravel(d_fake)]
           return -sum(map(math.log, real)) / len(real) - sum(math.log1p(-q) for q in fake) / len(fake)
       """),
    # gan.gan_generator_loss
    _m("gan.gan_generator_loss", "clip-one-minus-d", "", """
       def gan_generator_loss(d_fake, non_saturating=True):
           fake = np.atleast_1d(np.asarray(d_fake, dtype=float))
           if not non_saturating:
               return np.mean(np.log(np.clip(1 - fake, EPS, 1 - EPS)))
           return -np.mean(np.log(np.clip(fake, EPS, 1 - EPS)))
       """),
    _m("gan.gan_generator_loss", "python-loop", "", """
       def gan_generator_loss(d_fake, non_saturating=True):
           import math
           fake = [min(max(float(q), EPS), 1 - EPS) for q in np.ravel(d_fake)]
           terms = [-math.log(q) if non_saturating else math.log(1 - q) for q in fake]
           return sum(terms) / len(terms)
       """),
]

BY_KEY: dict[str, Mistake] = {key(e): e for e in [*MISTAKES, *VARIANTS]}


# --------------------------------------------------------------------------- the course and suites


def test_ps3_has_its_modules_and_points() -> None:
    assert COURSE.assignment_title == "Problem set 3: gradients and optimisation"
    assert list(COURSE.modules) == MODULES
    assert COURSE.points[PLOT] == 4
    assert all(2 <= p <= 5 for p in COURSE.points.values())


def test_reference_scores_full_marks() -> None:
    result = run_with()
    assert result.total == result.max_total == COURSE.max_total, [t.message() for t in result.tests if not t.passed]
    assert all(f.full for f in result.functions)


def test_every_function_has_public_and_hidden_tests() -> None:
    for function in COURSE.functions:
        tests = plan().tests_of(function)
        public = [t for t in tests if t.public]
        assert 2 <= len(public) <= 3, function
        assert len(tests) - len(public) >= 1, function
        if function != PLOT:
            assert {"value", "shape", "unchanged"} <= {t.check for t in tests}, function


def test_the_articles_examples_are_public() -> None:
    p = plan()
    by_name = {t.name: t for t in p.tests}
    hessian = by_name["gradients.numerical_hessian: 2x^2 + 3xy + y^2 (Hessian [[4, 3], [3, 2]])"]
    assert hessian.public and hessian.call.args[0] == Fn("tilted")
    assert np.allclose(p.expected[p.index(hessian)].value, [[4.0, 3.0], [3.0, 2.0]], rtol=1e-8)
    rooms = by_name["gradients.loss_coefficients: the three rooms: x = 1, 2, 3"]
    c0, c1, c2 = p.expected[p.index(rooms)].value
    ys = np.array([2.0, 3.2, 6.1]) - 3.7666666666666666
    assert rooms.public and math.isclose(c1, 4.1) and math.isclose(c2, 2.0)
    assert math.isclose(c0, float(np.sum(ys**2)))
    assert math.isclose(c1 / c2, np.polyfit([1.0, 2.0, 3.0], [2.0, 3.2, 6.1], 1)[0])


def test_each_suite_holds_the_mistakes_of_its_own_functions() -> None:
    for module in MODULES:
        found = load_mistakes([module])
        assert {m.function.split(".")[0] for m in found} <= {module}
    assert {m.function for m in MISTAKES} == set(NUMERIC_FUNCTIONS)


# --------------------------------------------------------------------------- the catalogue's shape


def test_every_function_has_at_least_three_mistakes() -> None:
    for function in NUMERIC_FUNCTIONS:
        assert sum(m.function == function for m in MISTAKES) >= 3, function


def test_names_are_unique_slugs_and_hints_are_short() -> None:
    keys = [key(m) for m in MISTAKES]
    assert len(keys) == len(set(keys))
    for m in MISTAKES:
        assert m.name == m.name.lower() and " " not in m.name, m.name
        assert 20 < len(m.hint) <= 320 and m.hint.endswith("."), key(m)
        assert not m.affects, key(m)  # no ps3 solution calls another of its functions


def _signature(fn: ast.FunctionDef) -> str:
    a = fn.args
    return ast.dump(ast.arguments(posonlyargs=a.posonlyargs, args=a.args, vararg=a.vararg,
                                  kwonlyargs=a.kwonlyargs, kw_defaults=a.kw_defaults,
                                  kwarg=a.kwarg, defaults=a.defaults))


@pytest.mark.parametrize("entry", [*MISTAKES, *VARIANTS], ids=key)
def test_source_defines_the_function_with_its_signature(entry: Mistake) -> None:
    module, function = entry.function.split(".")
    tree = ast.parse((ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8"))
    reference_defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    body = ast.parse(entry.source).body
    defs = [n for n in body if isinstance(n, ast.FunctionDef)]
    assert len(body) == len(defs) == 1 and defs[0].name == function
    assert _signature(defs[0]) == _signature(reference_defs[function])


# --------------------------------------------------------------------------- mistakes lose points


@pytest.mark.parametrize("mistake", MISTAKES, ids=key)
def test_mistake_loses_points_only_on_its_function(mistake: Mistake) -> None:
    got = earned(result_of(key(mistake)))
    assert got[mistake.function] < COURSE.points[mistake.function]
    hurt = {f for f, e in got.items() if f != mistake.function and e < COURSE.points[f]}
    assert not hurt


@pytest.mark.parametrize("mistake", MISTAKES, ids=key)
def test_mistake_hint_is_shown(mistake: Mistake) -> None:
    k = key(mistake)
    mine = [t for t in result_of(k).tests if t.function == mistake.function]
    failed = [t for t in mine if not t.passed]
    shown = [t for t in failed if t.hint == mistake.hint]
    if k in UNDIAGNOSABLE:
        assert not shown
        assert {t.kind for t in failed} == UNDIAGNOSABLE[k]
        return
    assert shown, f"{k} is never diagnosed; diagnosed instead: {[t.mistake for t in failed]}"
    assert all(t.mistake == mistake.name for t in shown)
    assert any(t.public for t in shown) == (k not in HIDDEN_ONLY), "update HIDDEN_ONLY"


@pytest.mark.parametrize("mistake", MISTAKES, ids=key)
def test_mistake_hint_never_names_another_mistake(mistake: Mistake) -> None:
    """Where a mistake fails a value test with a finite answer, no other mistake's hint is shown."""
    mine = [t for t in result_of(key(mistake)).tests if t.function == mistake.function]
    assert {t.mistake for t in mine if t.mistake} <= {mistake.name}


def test_known_gaps_name_real_mistakes() -> None:
    keys = {key(m) for m in MISTAKES}
    assert set(UNDIAGNOSABLE) <= keys and HIDDEN_ONLY <= keys
    assert not set(UNDIAGNOSABLE) & HIDDEN_ONLY


def test_no_mistake_returns_nan_or_infinity() -> None:
    for function, entries in plan().mistakes.items():
        if function not in COURSE.points:
            continue
        for mistake, outs in entries:
            for out in outs:
                if out is not None and out.ok:
                    a = as_numbers(out.value)
                    if a is not None:
                        assert np.all(np.isfinite(a)), f"{function}/{mistake.name}"  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- fairness


@pytest.mark.parametrize("variant", VARIANTS, ids=key)
def test_correct_variant_scores_full_marks(variant: Mistake) -> None:
    result = result_of(key(variant))
    assert [f"{t.name}: {t.reason}" for t in result.tests if not t.passed] == []
    assert result.total == result.max_total


def test_variants_cover_every_function_twice() -> None:
    for function in NUMERIC_FUNCTIONS:
        assert sum(v.function == function for v in VARIANTS) >= 2, function


# --------------------------------------------------------------------------- junk outputs


class _AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def _junk(kind: str, expected: Any) -> Any:
    size = int(np.size(expected))
    numbers = np.ravel(np.asarray(as_numbers(expected)))
    return {
        "nan": math.nan,
        "inf": math.inf,
        "nan-array": np.full(np.shape(expected), np.nan),
        "empty-array": np.zeros(0),
        "none": None,
        "string": "0.0",
        "bool": True,
        "bool-array": np.ones(np.shape(expected), dtype=bool),
        "zeros-list": [0.0] * size,
        "too-long-list": numbers.tolist() + [0.0],
        "too-short-list": numbers.tolist()[:-1],
        "always-equal": decode(encode(_AlwaysEqual())),
    }[kind]


JUNK = ["nan", "inf", "nan-array", "empty-array", "none", "string", "bool", "bool-array",
        "zeros-list", "too-long-list", "too-short-list", "always-equal"]


def junk_result(function: str, junk: Any) -> StudentResult:
    """Score the reference with every call of ``function`` answered by ``junk(call, expected)``."""
    p = plan()
    outcomes = []
    for call, ref in zip(p.calls, p.expected, strict=True):
        if call.qualname == function:
            ref = Outcome(ok=True, value=junk(call, ref.value), args_after=ref.args_after)
        outcomes.append(ref)
    return score(p, outcomes)


def _passed_value_or_shape(result: StudentResult, function: str) -> set[str]:
    checks = {t.name: t.check for t in plan().tests}
    return {t.name for t in result.tests if t.function == function and t.passed
            and checks[t.name] in ("value", "shape")}


@pytest.mark.parametrize("kind", JUNK)
@pytest.mark.parametrize("function", NUMERIC_FUNCTIONS)
def test_junk_never_passes_a_value_or_shape_test(function: str, kind: str) -> None:
    result = junk_result(function, lambda call, expected: _junk(kind, expected))
    p = plan()
    allowed: set[str] = set()
    if kind == "zeros-list":  # zeros are right only where the answer is zero
        allowed = {t.name for t in p.tests_of(function) if t.check == "value"
                   and same_numbers(_junk(kind, p.expected[p.index(t)].value),
                                    p.expected[p.index(t)].value, COURSE.rtol, COURSE.atol)}
    assert _passed_value_or_shape(result, function) <= allowed
    assert not allowed, "a value test whose answer is all zeros proves little"
    assert earned(result)[function] == 0
    assert all(f.full for f in result.functions if f.function != function)


@pytest.mark.parametrize("function", NUMERIC_FUNCTIONS)
def test_an_input_handed_back_never_passes(function: str) -> None:
    """Returning any one of the inputs unchanged (``y_hat``, ``theta``, ``x``, ...) earns nothing."""
    widest = max(len(c.args) for c in plan().calls if c.qualname == function)
    for position in range(widest):
        def echo(call: Any, expected: Any, i: int = position) -> Any:
            arg = call.args[i] if i < len(call.args) else None
            return None if isinstance(arg, Fn) else arg

        result = junk_result(function, echo)
        assert _passed_value_or_shape(result, function) == set(), position
        assert earned(result)[function] == 0


# --------------------------------------------------------------------------- the plot


def plot_result(source: str | None) -> StudentResult:
    return run_with("plots_ps3" if source else None, source)


def plot_failures(result: StudentResult) -> str:
    return "\n".join(t.reason for t in result.tests if t.function == PLOT and not t.passed)


def test_reference_figures_keep_every_point_finite() -> None:
    p = plan()
    figures = [(c, o) for c, o in zip(p.calls, p.expected, strict=True) if c.qualname == PLOT]
    assert len(figures) == 3 and all(t.check == "figure" for t in p.tests_of(PLOT))
    for call, outcome in figures:
        data = figure_summary(outcome.value)
        assert data is not None and not data["truncated"]
        ax = parse_summary(data).axes[0]
        lines = ax.joined_lines("data")
        assert ax.yscale == "log" and len(lines) == len(np.ravel(call.args[2]))
        n_steps = call.args[3]
        assert all(len(ln.x) == n_steps + 1 and ln.y.max() < 1e100 for ln in lines)
        assert any(ln.y[-1] > 10 * ln.y[0] for ln in lines)  # each test has a diverging rate
        assert any(ln.y[-1] < ln.y[0] for ln in lines)


_CURVES = '''
    design = np.asarray(X, dtype=float)
    target = np.asarray(y, dtype=float)
    curves = []
    for rate in lrs:
        theta = np.zeros(design.shape[1])
        loss = []
        for _ in range(n_steps + 1):
            r = design @ theta - target
            loss.append(np.mean(r ** 2))
            theta = theta - rate * 2 / len(target) * design.T @ r
        curves.append(loss)
    steps = np.arange(n_steps + 1)
'''


def _plot(body: str, curves: str = _CURVES) -> str:
    return "def plot_learning_rates(X, y, lrs, n_steps):" + curves + "\n".join(
        "    " + line for line in body.strip().splitlines()) + "\n"


WRONG: dict[str, tuple[str, str]] = {
    # name: (replacement source, words the failure reason must contain)
    "a linear loss axis": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for rate, loss in zip(lrs, curves):
    ax.plot(steps, loss, label=f"lr={rate}")
ax.set_xlabel("step"); ax.set_ylabel("MSE"); ax.legend()
return fig
'''), "not logarithmic"),
    "the diverging rate left out": (_plot('''
limit = 2 / np.linalg.eigvalsh(2 / len(target) * design.T @ design).max()
fig = Figure(); ax = fig.add_subplot()
for rate, loss in zip(lrs, curves):
    if rate < limit:
        ax.plot(steps, loss)
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "no line shows the loss of the"),
    "the gradient without its factor 2 (curves of half the rate)": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for rate in lrs:
    theta = np.zeros(design.shape[1]); loss = []
    for _ in range(n_steps + 1):
        r = design @ theta - target
        loss.append(np.mean(r ** 2))
        theta = theta - rate / len(target) * design.T @ r
    ax.plot(steps, loss)
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "starts at the right loss but then goes elsewhere"),
    "curves of the wrong rates (the SSE's gradient: each rate n times too large)": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for rate in lrs:
    theta = np.zeros(design.shape[1]); loss = []
    for _ in range(n_steps + 1):
        r = design @ theta - target
        loss.append(np.mean(r ** 2))
        theta = theta - rate * 2 * design.T @ r
    ax.plot(steps, loss)
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "no line follows the loss of the 1st learning rate in lrs: a line starts at the right loss"),
    "the SSE instead of the MSE": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps, len(target) * np.asarray(loss))
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("SSE")
return fig
'''), "the MSE at steps 0 to n_steps"),
    "steps counted from 1": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps + 1, loss)
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "wrong x values"),
    "no loss at step 0": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps[1:], loss[1:])
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "has n_steps points"),
    "log10 of the loss on a linear axis": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps, np.log10(loss))
ax.set_xlabel("step"); ax.set_ylabel("log10 MSE")
return fig
'''), "log10 of the loss"),
    "losses as separate points": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps, loss, "o")
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "separate points"),
    "a diverging run cut off at its starting loss": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps, np.minimum(loss, loss[0]))
ax.set_yscale("log"); ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''), "no curve climbs"),
    "unlabelled axes": (_plot('''
fig = Figure(); ax = fig.add_subplot()
for loss in curves:
    ax.plot(steps, loss)
ax.set_yscale("log")
return fig
'''), "no label"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_figure_loses_points_with_a_clear_reason(name: str) -> None:
    source, words = WRONG[name]
    result = plot_result(source)
    for function, got in earned(result).items():
        if function == PLOT:
            assert got < COURSE.points[PLOT], f"{name}: kept full marks"
        else:
            assert got == COURSE.points[function], f"{name}: cost points on {function}"
    public = [t for t in result.tests if t.function == PLOT and t.public and not t.passed]
    assert public and all(words in t.reason for t in public), plot_failures(result)


FIGURE_VARIANTS: dict[str, str] = {
    "pyplot, semilogy with implicit steps, a legend and a grid": _plot('''
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
for rate, loss in zip(lrs, curves):
    ax.semilogy(loss, "o-", label=f"lr = {rate}")
ax.set_xlabel("iteration"); ax.set_ylabel("loss"); ax.legend(); ax.grid(True)
return fig
'''),
    "all curves in one call, base-2 log axis, the limit in the title": _plot('''
limit = 2 / np.linalg.eigvalsh(2 / len(target) * design.T @ design).max()
fig = Figure(); ax = fig.add_subplot()
ax.plot(steps, np.array(curves).T)
ax.set_yscale("log", base=2); ax.set_title(f"stable below {limit:.3f}")
ax.set_xlabel("step"); ax.set_ylabel("MSE")
return fig
'''),
    "two panels, the curves in the second, a reference line": _plot('''
import matplotlib.pyplot as plt
fig, (left, right) = plt.subplots(1, 2)
left.bar(range(len(lrs)), list(lrs)); left.set_xlabel("rate"); left.set_ylabel("lr")
for loss in curves:
    right.plot(list(range(n_steps + 1)), [float(v) for v in loss], linestyle="--")
right.axhline(curves[0][0], color="grey")
right.set_yscale("log"); right.set_xlabel("step"); right.set_ylabel("MSE")
return fig
'''),
    "θ as a list, the MSE via np.linalg.norm, pyplot's state machine": _plot('''
import matplotlib.pyplot as plt
plt.figure()
for rate in lrs:
    theta = [0.0] * design.shape[1]; loss = []
    for _ in range(n_steps + 1):
        r = design @ np.array(theta) - target
        loss.append(np.linalg.norm(r) ** 2 / len(target))
        theta = list(np.array(theta) - rate * (2 / len(target)) * (design.T @ r))
    plt.plot(range(n_steps + 1), loss)
plt.yscale("log"); plt.xlabel("step"); plt.ylabel("MSE")
return plt.gcf()
'''),
}


def test_reference_figures_pass() -> None:
    result = plot_result(None)
    assert [t.reason for t in result.tests if t.function == PLOT and not t.passed] == []


@pytest.mark.parametrize("name", list(FIGURE_VARIANTS))
def test_correct_figure_variant_keeps_full_marks(name: str) -> None:
    result = plot_result(FIGURE_VARIANTS[name])
    assert result.total == result.max_total, plot_failures(result)

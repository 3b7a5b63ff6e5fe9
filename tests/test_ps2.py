"""Proofs about Problem set 2 (``classification``, ``regularization``, ``plots_ps2``).

The same proofs as ``tests/test_mistakes.py`` and ``tests/test_plots.py`` give
for Problem set 1, on ``load_course(ROOT / "course.yml", assignment="ps2")``:

* the reference scores full marks;
* every known mistake (each suite's ``MISTAKES``) loses points on its own
  function and nowhere else, and its hint is shown on a failed value test
  wherever its output is finite;
* correct-but-different implementations keep full marks;
* junk outputs (NaN, None, strings, an input handed back, ...) never pass a
  value or shape test;
* the figure check of ``plot_margin_losses`` passes the reference and correct
  variants and fails wrong figures with a clear reason.

Everything runs on the trusted in-process path: solution modules, with one
function replaced by other source, run on the plan's calls and are scored.
"""

from __future__ import annotations

import ast
import math
import os
import shutil
import subprocess
import sys
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
from grader.mistakes import Mistake, _m  # noqa: E402
from grader.plan import Plan, build_plan, load_solution_module, run_calls  # noqa: E402
from grader.release import release  # noqa: E402
from grader.scoring import StudentResult, score  # noqa: E402
from grader.stubgen import stub_source  # noqa: E402
from grader.suites import load_mistakes  # noqa: E402
from grader.wire import decode, encode  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT / "course.yml", assignment="ps2")
MODULES = ["classification", "regularization", "plots_ps2"]
PLOT_FUNCTIONS = ["plots_ps2.plot_margin_losses"]
NUMERIC_FUNCTIONS = [f for f in COURSE.functions if f not in PLOT_FUNCTIONS]
MISTAKES: list[Mistake] = load_mistakes(MODULES)

# The solutions import matplotlib inside each plot function; a replacement written at
# module level needs the name there.
WITH_FIGURE = "from matplotlib.figure import Figure\n"


@cache
def plan() -> Plan:
    return build_plan(COURSE)


def run_with(module: str | None = None, source: str | None = None) -> StudentResult:
    """Score the solutions with ``source`` exec'd into a copy of ``module``."""
    mods = {
        m: load_solution_module(ROOT, m, replace=WITH_FIGURE + source if m == module and source else None)
        for m in COURSE.modules
    }
    open_before = plt.get_fignums()
    with np.errstate(all="ignore"):
        result = score(plan(), run_calls(mods, plan().calls))
    assert plt.get_fignums() == open_before, "a figure was left open"
    return result


@cache
def result_of(key_: str) -> StudentResult:
    entry = BY_KEY[key_]
    return run_with(entry.function.split(".")[0], entry.source)


def key(entry: Mistake) -> str:
    return f"{entry.function}/{entry.name}"


def earned(result: StudentResult) -> dict[str, float]:
    return {f.function: f.earned for f in result.functions}


def test_the_assignment_is_what_the_issue_asks() -> None:
    assert list(COURSE.modules) == MODULES
    assert COURSE.assignment == "ps2" and COURSE.assignment_title.startswith("Problem set 2")
    assert all(2 <= p <= 5 for p in COURSE.points.values())
    assert set(COURSE.functions) == {
        "classification.softmax", "classification.softmax_cross_entropy",
        "classification.softmax_cross_entropy_gradient", "classification.bce_logit_gradient",
        "classification.hinge", "classification.focal_loss",
        "regularization.l2_penalty", "regularization.l1_penalty", "regularization.l2_penalty_gradient",
        "regularization.l1_subgradient", "regularization.soft_threshold",
        "regularization.ridge_normal_equation", "regularization.dropout",
        "plots_ps2.plot_margin_losses",
    }


def test_every_function_has_public_and_hidden_tests() -> None:
    for function in COURSE.functions:
        tests = plan().tests_of(function)
        public = sum(t.public for t in tests)
        assert sum(not t.public for t in tests) >= 1, function
        if function in NUMERIC_FUNCTIONS:
            assert 2 <= public <= 3, function
            assert {t.check for t in tests} == {"value", "shape", "unchanged"}, function
        else:
            assert public == 1 and {t.check for t in tests} == {"figure"}


# --------------------------------------------------------------------------- what cannot be shown

# Mistakes whose hint can never be attached: diagnosis compares finite numbers on
# failed *value* tests only, and these fail only other kinds of check. Value: the
# kinds of failure they are expected to show.
UNDIAGNOSABLE: dict[str, set[str]] = {
    # right wherever it does not overflow (large logits) or divide 0 by 0 (very
    # negative ones); written to raise, see grader/mistakes.py
    "classification.softmax/no-max-shift": {"error"},
    # log(0) on a probability of exactly 0 or 1 (written to raise)
    "classification.focal_loss/no-clipping": {"error"},
    # right numbers, but the caller's array is changed
    "classification.softmax/shifts-z-in-place": {"modified input"},
    "regularization.dropout/scales-x-in-place": {"modified input"},
}

# Diagnosable, but no public test shows them (the inputs that reveal them are hidden).
HIDDEN_ONLY: set[str] = {
    # integer truncation: only hidden tests have integer inputs whose answer is not whole
    "regularization.l2_penalty_gradient/integer-result-array",
    "regularization.l1_subgradient/integer-result-array",
    "regularization.soft_threshold/integer-result-array",
}

# --------------------------------------------------------------------------- correct variants

VARIANTS: list[Mistake] = [
    # classification.softmax
    _m("classification.softmax", "exp-minus-logsumexp", "", """
       def softmax(z):
           a = np.asarray(z, dtype=float)
           m = np.max(a, axis=-1, keepdims=True)
           lse = m + np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))
           return np.exp(a - lse)
       """),
    _m("classification.softmax", "in-place-on-a-copy", "", """
       def softmax(z):
           a = np.array(z, dtype=float)
           a -= a.max(axis=-1, keepdims=True)
           np.exp(a, out=a)
           a /= a.sum(axis=-1, keepdims=True)
           return a
       """),
    _m("classification.softmax", "python-rows", "", """
       def softmax(z):
           import math
           a = np.asarray(z, dtype=float)
           out = []
           for row in np.atleast_2d(a).tolist():
               top = max(row)
               exps = [math.exp(v - top) for v in row]
               out.append([e / sum(exps) for e in exps])
           return np.array(out).reshape(a.shape)
       """),
    # classification.softmax_cross_entropy
    _m("classification.softmax_cross_entropy", "lse-times-label-mass", "", """
       def softmax_cross_entropy(y, z):
           a = np.atleast_2d(np.asarray(z, dtype=float))
           t = np.atleast_2d(np.asarray(y, dtype=float))
           m = a.max(axis=1)
           lse = m + np.log(np.exp(a - m[:, None]).sum(axis=1))
           return np.mean(lse * t.sum(axis=1) - (t * a).sum(axis=1))
       """),
    _m("classification.softmax_cross_entropy", "python-loop", "", """
       def softmax_cross_entropy(y, z):
           import math
           ys = np.atleast_2d(np.asarray(y, dtype=float)).tolist()
           zs = np.atleast_2d(np.asarray(z, dtype=float)).tolist()
           total = 0.0
           for t, row in zip(ys, zs):
               top = max(row)
               lse = top + math.log(sum(math.exp(v - top) for v in row))
               total += -sum(tk * (zk - lse) for tk, zk in zip(t, row))
           return total / len(zs)
       """),
    _m("classification.softmax_cross_entropy", "log1p-of-the-rest", "", """
       def softmax_cross_entropy(y, z):
           a = np.asarray(z, dtype=float)
           s = a - a.max(axis=-1, keepdims=True)
           log_p = s - np.log(np.exp(s).sum(axis=-1, keepdims=True))
           losses = -(np.asarray(y, dtype=float) * log_p).sum(axis=-1)
           return losses.mean() if a.ndim == 2 else float(losses)
       """),
    # classification.softmax_cross_entropy_gradient
    _m("classification.softmax_cross_entropy_gradient", "calls-softmax", "", """
       def softmax_cross_entropy_gradient(y, z):
           g = softmax(z) - np.asarray(y, dtype=float)
           return g / len(g) if g.ndim == 2 else g
       """),
    _m("classification.softmax_cross_entropy_gradient", "atleast-2d", "", """
       def softmax_cross_entropy_gradient(y, z):
           a = np.asarray(z, dtype=float)
           rows = np.atleast_2d(a)
           e = np.exp(rows - rows.max(axis=1, keepdims=True))
           g = e / e.sum(axis=1, keepdims=True) - np.atleast_2d(np.asarray(y, dtype=float))
           return (g / g.shape[0]).reshape(a.shape) if a.ndim == 2 else g.reshape(a.shape)
       """),
    # classification.bce_logit_gradient
    _m("classification.bce_logit_gradient", "naive-sigmoid", "", """
       def bce_logit_gradient(y, z):
           z = np.asarray(z, dtype=float)
           return 1 / (1 + np.exp(-z)) - np.asarray(y)
       """),
    _m("classification.bce_logit_gradient", "tanh", "", """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           return 0.5 * np.tanh(a / 2) + 0.5 - np.reshape(y, a.shape)
       """),
    _m("classification.bce_logit_gradient", "two-branches", "", """
       def bce_logit_gradient(y, z):
           a = np.asarray(z, dtype=float)
           out = np.empty_like(a)
           pos = a >= 0
           out[pos] = 1 / (1 + np.exp(-a[pos]))
           e = np.exp(a[~pos])
           out[~pos] = e / (1 + e)
           return out - np.asarray(y, dtype=float)
       """),
    # classification.hinge
    _m("classification.hinge", "np-clip", "", """
       def hinge(y, score, margin=1.0):
           m = np.ravel(y) * np.ravel(score)
           return np.clip(margin - m, 0, None).mean()
       """),
    _m("classification.hinge", "python-loop", "", """
       def hinge(y, score, margin=1.0):
           ys, ss = np.ravel(y).tolist(), np.ravel(score).tolist()
           return sum(max(0.0, margin - t * s) for t, s in zip(ys, ss)) / len(ys)
       """),
    _m("classification.hinge", "relu-by-abs", "", """
       def hinge(y, score, margin=1.0):
           r = margin - np.multiply(np.ravel(y), np.ravel(score), dtype=float)
           return float(np.mean((r + np.abs(r)) / 2))
       """),
    # classification.focal_loss
    _m("classification.focal_loss", "clip-p-t", "", """
       def focal_loss(y, p, gamma=2.0):
           t = np.ravel(np.asarray(y, dtype=float))
           q = np.ravel(np.asarray(p, dtype=float))
           p_t = np.clip(t * q + (1 - t) * (1 - q), EPS, 1 - EPS)
           return float(np.mean(-np.power(1 - p_t, gamma) * np.log(p_t)))
       """),
    _m("classification.focal_loss", "python-loop", "", """
       def focal_loss(y, p, gamma=2.0):
           import math
           costs = []
           for t, q in zip(np.ravel(y).tolist(), np.ravel(p).tolist()):
               q = min(max(q, EPS), 1 - EPS)
               p_t = q if t == 1 else 1 - q
               costs.append(-((1 - p_t) ** gamma) * math.log(p_t))
           return sum(costs) / len(costs)
       """),
    # regularization.l2_penalty
    _m("regularization.l2_penalty", "dot-product", "", """
       def l2_penalty(w, lam):
           v = np.ravel(np.asarray(w, dtype=float))
           return lam * (v @ v)
       """),
    _m("regularization.l2_penalty", "squared-norm", "", """
       def l2_penalty(w, lam):
           return lam * np.linalg.norm(np.asarray(w, dtype=float)) ** 2
       """),
    # regularization.l1_penalty
    _m("regularization.l1_penalty", "norm-ord-1", "", """
       def l1_penalty(w, lam):
           return lam * np.linalg.norm(np.ravel(np.asarray(w, dtype=float)), 1)
       """),
    _m("regularization.l1_penalty", "python-loop", "", """
       def l1_penalty(w, lam):
           return lam * sum(abs(v) for v in np.ravel(w).tolist())
       """),
    # regularization.l2_penalty_gradient
    _m("regularization.l2_penalty_gradient", "np-multiply", "", """
       def l2_penalty_gradient(w, lam):
           return np.multiply(2 * lam, w, dtype=float)
       """),
    _m("regularization.l2_penalty_gradient", "sum-of-two", "", """
       def l2_penalty_gradient(w, lam):
           v = np.array(w, dtype=float)
           return lam * v + lam * v
       """),
    # regularization.l1_subgradient
    _m("regularization.l1_subgradient", "nested-where", "", """
       def l1_subgradient(w, lam):
           v = np.asarray(w, dtype=float)
           return np.where(v > 0, lam, np.where(v < 0, -lam, 0.0))
       """),
    _m("regularization.l1_subgradient", "copysign-with-zeros", "", """
       def l1_subgradient(w, lam):
           v = np.asarray(w, dtype=float)
           g = np.copysign(float(lam), v)
           g[v == 0] = 0
           return g
       """),
    # regularization.soft_threshold
    _m("regularization.soft_threshold", "w-minus-clip", "", """
       def soft_threshold(w, t):
           v = np.asarray(w, dtype=float)
           return v - np.clip(v, -t, t)
       """),
    _m("regularization.soft_threshold", "three-way-where", "", """
       def soft_threshold(w, t):
           v = np.asarray(w, dtype=float)
           return np.where(v > t, v - t, np.where(v < -t, v + t, 0.0))
       """),
    # regularization.ridge_normal_equation
    _m("regularization.ridge_normal_equation", "lstsq-augmented", "", """
       def ridge_normal_equation(X, y, lam):
           A = np.asarray(X, dtype=float)
           d = A.shape[1]
           big = np.vstack([A, np.sqrt(lam) * np.eye(d)])
           target = np.concatenate([np.asarray(y, dtype=float), np.zeros(d)])
           return np.linalg.lstsq(big, target, rcond=None)[0]
       """),
    _m("regularization.ridge_normal_equation", "inv", "", """
       def ridge_normal_equation(X, y, lam):
           A = np.array(X, dtype=float)
           return np.linalg.inv(A.T.dot(A) + lam * np.identity(A.shape[1])).dot(A.T).dot(y)
       """),
    _m("regularization.ridge_normal_equation", "svd", "", """
       def ridge_normal_equation(X, y, lam):
           u, s, vt = np.linalg.svd(np.asarray(X, dtype=float), full_matrices=False)
           return vt.T @ ((s / (s ** 2 + lam)) * (u.T @ np.asarray(y, dtype=float)))
       """),
    # regularization.dropout
    _m("regularization.dropout", "where-kept", "", """
       def dropout(x, mask, rate):
           v = np.asarray(x, dtype=float)
           return np.where(np.asarray(mask) != 0, v / (1 - rate), 0.0)
       """),
    _m("regularization.dropout", "scale-first", "", """
       def dropout(x, mask, rate):
           scale = 1.0 / (1.0 - rate)
           return np.multiply(x, mask, dtype=float) * scale
       """),
]

BY_KEY: dict[str, Mistake] = {key(e): e for e in [*MISTAKES, *VARIANTS]}


# --------------------------------------------------------------------------- the catalogue's shape

def _solution_tree(module: str) -> ast.Module:
    return ast.parse((ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8"))


def _signature(fn: ast.FunctionDef) -> str:
    a = fn.args
    return ast.dump(ast.arguments(posonlyargs=a.posonlyargs, args=a.args, vararg=a.vararg,
                                  kwonlyargs=a.kwonlyargs, kw_defaults=a.kw_defaults,
                                  kwarg=a.kwarg, defaults=a.defaults))


def test_reference_scores_full_marks() -> None:
    result = run_with()
    assert result.total == result.max_total == COURSE.max_total
    assert all(f.full for f in result.functions)


def test_every_function_has_at_least_three_mistakes() -> None:
    for function in NUMERIC_FUNCTIONS:
        assert sum(m.function == function for m in MISTAKES) >= 3, function
    assert {m.function for m in MISTAKES} <= set(NUMERIC_FUNCTIONS)


def test_names_are_unique_slugs_and_hints_are_short() -> None:
    keys = [key(m) for m in MISTAKES]
    assert len(keys) == len(set(keys))
    for m in MISTAKES:
        assert m.name == m.name.lower() and " " not in m.name, m.name
        assert 20 < len(m.hint) <= 320 and m.hint.endswith("."), key(m)


@pytest.mark.parametrize("entry", [*MISTAKES, *VARIANTS], ids=key)
def test_source_defines_the_function_with_its_signature(entry: Mistake) -> None:
    module, function = entry.function.split(".")
    reference = {n.name: n for n in _solution_tree(module).body if isinstance(n, ast.FunctionDef)}
    body = ast.parse(entry.source).body
    defs = [n for n in body if isinstance(n, ast.FunctionDef)]
    assert len(body) == len(defs) == 1 and defs[0].name == function
    assert _signature(defs[0]) == _signature(reference[function])


def test_no_mistake_declares_callers() -> None:
    """No solution function of this set calls another, so a mistake hurts only its own."""
    for module in MODULES:
        tree = _solution_tree(module)
        public = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef):
                called = {c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
                assert not called & (public - {fn.name}), f"{module}.{fn.name}"
    assert all(not m.affects for m in MISTAKES)


# --------------------------------------------------------------------------- mistakes lose points

@pytest.mark.parametrize("mistake", MISTAKES, ids=key)
def test_mistake_loses_points_only_on_its_own_function(mistake: Mistake) -> None:
    got = earned(result_of(key(mistake)))
    points = COURSE.points
    assert got[mistake.function] < points[mistake.function]
    hurt = {f for f, e in got.items() if f != mistake.function and e < points[f]}
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
    public = any(t.public for t in shown)
    assert public == (k not in HIDDEN_ONLY), "update HIDDEN_ONLY"


def test_known_gaps_name_real_mistakes() -> None:
    keys = {key(m) for m in MISTAKES}
    assert set(UNDIAGNOSABLE) <= keys and HIDDEN_ONLY <= keys
    assert not set(UNDIAGNOSABLE) & HIDDEN_ONLY


def test_no_mistake_returns_nan_or_infinity() -> None:
    """An infinite mistake output would be matched by every finite wrong answer
    (see grader/mistakes.py)."""
    for function, entries in plan().mistakes.items():
        for mistake, outs in entries:
            for out in outs:
                if out is not None and out.ok:
                    a = as_numbers(out.value)
                    if a is not None:
                        assert np.all(np.isfinite(a)), f"{function}/{mistake.name}"  # type: ignore[attr-defined]


def test_every_mistake_of_the_suites_is_in_the_plan() -> None:
    planned = {(f, m.name) for f, entries in plan().mistakes.items() for m, _ in entries}  # type: ignore[attr-defined]
    assert planned == {(m.function, m.name) for m in MISTAKES}


# --------------------------------------------------------------------------- fairness

@pytest.mark.parametrize("variant", VARIANTS, ids=key)
def test_correct_variant_scores_full_marks(variant: Mistake) -> None:
    result = result_of(key(variant))
    failed = [f"{t.name}: {t.reason}" for t in result.tests if not t.passed]
    assert not failed
    assert result.total == result.max_total


def test_at_least_two_variants_per_function() -> None:
    for function in NUMERIC_FUNCTIONS:
        assert sum(v.function == function for v in VARIANTS) >= 2, function


# --------------------------------------------------------------------------- junk outputs

class _AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def _junk(kind: str, expected: Any, args: tuple[Any, ...]) -> Any:
    size = int(np.size(expected))
    if kind.startswith("argument-"):
        i = int(kind.split("-")[1])
        return args[i] if i < len(args) else None
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
        # the right numbers, one too many or one too few (two where one was expected)
        "one-too-many": [*np.ravel(expected).tolist(), 0.0],
        "one-too-few": np.ravel(expected).tolist()[:-1] if size > 1 else [float(expected)] * 2,
        "always-equal": decode(encode(_AlwaysEqual())),
    }[kind]


JUNK = ["nan", "inf", "nan-array", "empty-array", "none", "string", "bool", "bool-array",
        "zeros-list", "one-too-many", "one-too-few", "always-equal", "argument-0", "argument-1", "argument-2"]


def junk_result(function: str, kind: str) -> StudentResult:
    p = plan()
    outcomes = []
    for call, ref in zip(p.calls, p.expected, strict=True):
        if call.qualname == function:
            ref = Outcome(ok=True, value=_junk(kind, ref.value, call.args), args_after=ref.args_after)
        outcomes.append(ref)
    return score(p, outcomes)


def _allowed_zeros(function: str) -> set[str]:
    """Value tests whose right answer is all zeros (within atol): zeros are right there."""
    p = plan()
    return {t.name for t in p.tests_of(function) if t.check == "value"
            and same_numbers([0.0] * int(np.size(p.expected[p.index(t)].value)),
                             p.expected[p.index(t)].value, COURSE.rtol, COURSE.atol)}


@pytest.mark.parametrize("kind", JUNK)
@pytest.mark.parametrize("function", NUMERIC_FUNCTIONS)
def test_junk_never_passes_a_value_or_shape_test(function: str, kind: str) -> None:
    result = junk_result(function, kind)
    mine = [t for t in result.tests if t.function == function]
    checks = {t.name: t.check for t in plan().tests_of(function)}
    passed = {t.name for t in mine if t.passed and checks[t.name] in ("value", "shape")}
    allowed = _allowed_zeros(function) if kind == "zeros-list" else set()
    assert passed <= allowed
    if not kind.startswith("argument-") and kind != "zeros-list":
        assert all(t.mistake is None for t in mine)
    assert all(f.full for f in result.functions if f.function != function)


def test_only_a_few_answers_are_all_zeros() -> None:
    allowed = {f: _allowed_zeros(f) for f in NUMERIC_FUNCTIONS}
    assert {f: len(a) for f, a in allowed.items() if a} == {
        "classification.hinge": 1,  # every sample beyond the margin
        "regularization.soft_threshold": 1,  # every weight inside the threshold
    }


@pytest.mark.parametrize("function", NUMERIC_FUNCTIONS)
def test_junk_scores_zero(function: str) -> None:
    for kind in JUNK:
        if kind == "zeros-list":
            continue  # right where the answer is zero
        got = earned(junk_result(function, kind))[function]
        # an input handed back untouched still passes the function's "unchanged" test
        assert got <= COURSE.points[function] / len(plan().tests_of(function)) + 1e-9, kind
        if not kind.startswith("argument-"):
            assert got == 0, kind


# --------------------------------------------------------------------------- the plot

def plot_result(source: str | None) -> StudentResult:
    return run_with("plots_ps2", source) if source is not None else run_with()


def plot_failures(result: StudentResult) -> str:
    return "\n".join(t.reason for t in result.tests if t.function in PLOT_FUNCTIONS and not t.passed)


def test_plot_reference_passes_and_stub_is_not_started() -> None:
    result = plot_result(None)
    assert [t for t in result.tests if t.function in PLOT_FUNCTIONS and not t.passed] == []
    stub = stub_source((ROOT / "solutions" / "plots_ps2.py").read_text(encoding="utf-8"))
    assert stub.count("raise NotImplementedError") == 1 and "set_label" not in stub
    result = plot_result(stub)
    assert {f.status for f in result.functions if f.function in PLOT_FUNCTIONS} == {"not started"}
    assert earned(result)["plots_ps2.plot_margin_losses"] == 0
    assert all(f.full for f in result.functions if f.function not in PLOT_FUNCTIONS)


_HEAD = '''
def plot_margin_losses(margins):
    m = np.sort(np.asarray(margins, dtype=float))
    lo, hi = m[0], m[-1]
    fig = Figure(); ax = fig.add_subplot()
'''
_ZERO_ONE = "    ax.plot([lo, 0, 0, hi], [1, 1, 0, 0])\n"
_HINGE = "    ax.plot(m, np.maximum(0, 1 - m))\n"
_LOGISTIC = "    ax.plot(m, np.log(1 + np.exp(-m)))\n"
_LABELS = "    ax.set_xlabel('m'); ax.set_ylabel('loss')\n"
_TAIL = "    return fig\n"

WRONG_PLOTS: dict[str, tuple[str, str]] = {
    # name: (source, words the failure reason must contain)
    "the hinge line missing": (_HEAD + _ZERO_ONE + _LOGISTIC + _LABELS + _TAIL,
                               "no line shows the hinge loss"),
    "the logistic loss in base 2": (_HEAD + _ZERO_ONE + _HINGE + "    ax.plot(m, np.log2(1 + np.exp(-m)))\n"
                                    + _LABELS + _TAIL, "another logarithm"),
    "unlabelled axes": (_HEAD + _ZERO_ONE + _HINGE + _LOGISTIC + _TAIL, "have no label"),
    "no y label": (_HEAD + _ZERO_ONE + _HINGE + _LOGISTIC + "    ax.set_xlabel('m')\n" + _TAIL,
                   "the y axis has no label"),
    "the zero-one loss reversed": (_HEAD + "    ax.plot([lo, 0, 0, hi], [0, 0, 1, 1])\n" + _HINGE + _LOGISTIC
                                   + _LABELS + _TAIL, "reversed"),
    "the zero-one loss missing": (_HEAD + _HINGE + _LOGISTIC + _LABELS + _TAIL,
                                  "no line shows the zero-one loss"),
    "the zero-one loss only for m < 0": (_HEAD + "    ax.plot([lo, 0], [1, 1])\n" + _HINGE + _LOGISTIC
                                         + _LABELS + _TAIL, "does not cover the whole range"),
    "the logistic curve mirrored": (_HEAD + _ZERO_ONE + _HINGE + "    ax.plot(m, np.log(1 + np.exp(m)))\n"
                                    + _LABELS + _TAIL, "mirrored"),
    "the hinge corner at m = 0": (_HEAD + _ZERO_ONE + "    ax.plot(m, np.maximum(0, -m))\n" + _LOGISTIC
                                  + _LABELS + _TAIL, "corner at m = 0"),
    "the logistic loss as separate points": (_HEAD + _ZERO_ONE + _HINGE
                                             + "    ax.scatter(m, np.log(1 + np.exp(-m)))\n"
                                             + _LABELS + _TAIL, "separate points"),
    "the logistic loss with too few points": (_HEAD + _ZERO_ONE + _HINGE
                                              + "    g = np.linspace(lo, hi, 8)\n"
                                              + "    ax.plot(g, np.log(1 + np.exp(-g)))\n"
                                              + _LABELS + _TAIL, "too few points"),
    "the curves over part of the range": (_HEAD + _ZERO_ONE + "    g = np.linspace(-1, 1, 50)\n"
                                          + "    ax.plot(g, np.maximum(0, 1 - g))\n" + _LOGISTIC
                                          + _LABELS + _TAIL, "does not span the whole range"),
    "the margins joined in the order given": ('''
def plot_margin_losses(margins):
    m = np.asarray(margins, dtype=float)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(m, np.where(m < 0, 1.0, 0.0)); ax.plot(m, np.maximum(0, 1 - m))
    ax.plot(m, np.log(1 + np.exp(-m)))
''' + _LABELS + _TAIL, "goes back and forth"),
    "the sigmoid 1 / (1 + e^m) instead of the logistic loss": ('''
def plot_margin_losses(margins):
    m = np.sort(np.asarray(margins, dtype=float))
    fig = Figure(); ax = fig.add_subplot()
    ax.plot([m[0], 0, 0, m[-1]], [1, 1, 0, 0]); ax.plot(m, np.maximum(0, 1 - m))
    ax.plot(m, np.exp(-m) / (1 + np.exp(-m)))
''' + _LABELS + _TAIL, "no line shows the logistic loss"),
}


@pytest.mark.parametrize("name", list(WRONG_PLOTS))
def test_wrong_plot_loses_points_with_a_clear_reason(name: str) -> None:
    source, words = WRONG_PLOTS[name]
    result = plot_result(source)
    for function, got in earned(result).items():
        if function in PLOT_FUNCTIONS:
            assert got < COURSE.points[function], f"{name}: kept full marks"
        else:
            assert got == COURSE.points[function], f"{name}: cost points on {function}"
    assert words in plot_failures(result), plot_failures(result)


PLOT_VARIANTS: dict[str, str] = {
    "pyplot, a dense grid of its own, ax.step, legend, title, grid and axis lines": '''
def plot_margin_losses(margins):
    import matplotlib.pyplot as plt
    m = np.asarray(margins, dtype=float)
    g = np.linspace(m.min(), m.max(), 500)
    fig, ax = plt.subplots()
    ax.step(g, (g < 0).astype(float), where="post", label="0-1")
    ax.plot(g, np.clip(1 - g, 0, None), label="hinge", linestyle="--")
    ax.plot(g, np.log1p(np.exp(-g)), label="logistic", color="k")
    ax.axvline(0, color="grey"); ax.axhline(0, color="grey")
    ax.set_xlabel("y f(x)"); ax.set_ylabel("L"); ax.set_title("losses"); ax.grid(True); ax.legend()
    return fig
''',
    "Figure API, the zero-one loss as two hlines, the hinge from three points, logistic first": '''
def plot_margin_losses(margins):
    m = np.sort(np.ravel(margins).astype(float))
    lo, hi = m[0], m[-1]
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(m, np.logaddexp(0, -m), "g-", label="logistic")
    ax.hlines([1, 0], [lo, 0], [0, hi], label="zero-one")
    ax.plot([lo, 1, hi], [1 - lo, 0, 0], label="hinge")
    ax.set_xlabel("margin"); ax.set_ylabel("loss"); ax.legend(loc="upper right")
    return fig
''',
    "pyplot state machine, the zero-one loss as a plain line at the margins (1 at m = 0)": '''
def plot_margin_losses(margins):
    import matplotlib.pyplot as plt
    m = np.sort(np.asarray(margins, dtype=float))
    plt.figure()
    plt.plot(m, np.where(m <= 0, 1, 0), label="0-1")
    plt.plot(m, np.maximum(0, 1 - m), label="hinge")
    plt.plot(m, np.log(1 + np.exp(-m)), label="log")
    plt.xlabel("m"); plt.ylabel("loss"); plt.legend()
    return plt.gcf()
''',
    "a coarse grid of 25 points, drawn right to left, heaviside with 1/2 at 0, markers": '''
def plot_margin_losses(margins):
    m = np.asarray(margins, dtype=float)
    g = np.linspace(m.max(), m.min(), 25)
    fig = Figure(); ax = fig.add_subplot()
    ax.plot(g, np.heaviside(-g, 0.5), "o-", drawstyle="steps-mid")
    ax.plot(g, np.maximum(0, 1 - g), "s-")
    ax.plot(g, np.log(1 + np.exp(-g)), "^-")
    ax.set_xlabel("m"); ax.set_ylabel("loss")
    return fig
''',
    "two subplots, the losses in the second, a wider range": '''
def plot_margin_losses(margins):
    import matplotlib.pyplot as plt
    m = np.asarray(margins, dtype=float)
    g = np.linspace(m.min() - 1, m.max() + 1, 300)
    fig, (left, right) = plt.subplots(1, 2)
    left.hist(m); left.set_xlabel("margin")
    right.plot([g[0], 0], [1, 1], "b"); right.plot([0, 0], [1, 0], "b"); right.plot([0, g[-1]], [0, 0], "b")
    right.plot(g, np.maximum(0, 1 - g)); right.plot(g, np.log(1 + np.exp(-g)))
    right.set_xlabel("m"); right.set_ylabel("loss")
    return fig
''',
}


@pytest.mark.parametrize("name", list(PLOT_VARIANTS))
def test_correct_plot_variant_keeps_full_marks(name: str) -> None:
    result = plot_result(PLOT_VARIANTS[name])
    assert result.total == result.max_total, plot_failures(result)


def test_plot_that_is_not_a_figure_gets_a_clear_message() -> None:
    source = '''
def plot_margin_losses(margins):
    fig = Figure(); ax = fig.add_subplot(); ax.plot(margins, margins)
    return ax
'''
    result = plot_result(source)
    mine = [t for t in result.tests if t.function in PLOT_FUNCTIONS]
    assert mine and all(t.kind == "wrong type" for t in mine)
    assert any("returned an Axes" in t.reason for t in mine if t.public)


# --------------------------------------------------------------------------- the student copy

def _student_pytest(copy: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=copy,
                          capture_output=True, text=True, env=env, timeout=120)
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def test_student_copy_starts_not_started_and_the_solutions_pass_it(tmp_path: Path) -> None:
    """The released copy ships the figure check (figures_plots_ps2.py) its public plot test needs."""
    copy = tmp_path / "ps2"
    release(COURSE, copy, plan=plan())
    assert (copy / "tests" / "_support" / "figures_plots_ps2.py").is_file()
    out = _student_pytest(copy)
    assert out.startswith("exit 1") and "Traceback" not in out and "Error" not in out, out
    for function, points in COURSE.points.items():
        row = next(line for line in out.splitlines() if line.strip().startswith(function + " "))
        assert "not started" in row and row.endswith(f"0 / {points:g}"), row
    for module in MODULES:
        shutil.copy(ROOT / "solutions" / f"{module}.py", copy / "exercises" / f"{module}.py")
    out = _student_pytest(copy)
    assert out.startswith("exit 0"), out
    assert f"{COURSE.max_total:g} / {COURSE.max_total:g}" in out and "Congratulations" in out
    assert len(list((copy / "figures").glob("plot_margin_losses-*.png"))) == 1

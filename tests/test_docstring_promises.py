"""A test checks only what the stub's docstring promises.

Every test of every suite (hidden or public) names, with ``doc=`` in its declaration
(``grader/suites/build.py``), the words of the student's stub that promise what it checks:
an input rule (lists, tuples, integers, flat or column shapes, plain numbers), the formula,
the form of the result, or that the inputs are left unchanged. Those words must occur, with
whitespace normalised, in the function's English docstring in ``exercises/<module>.py`` or in
that module's own docstring (the rules a module states once for all its functions). A new test
without ``doc=`` cannot be declared (``doc`` is a required keyword); one whose words are not in
the docstring fails here, so a hidden test never relies on a rule the student was not told.

Figure tests quote the sentences that say what to draw and which inputs to expect; their
figure checks (``grader/suites/figures_*.py``) state in detail what each figure must show.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from grader import cases
from grader.config import load_course
from grader.suites import load_tests
from grader.suites.build import Suite

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT / "course.yml")
MODULES = list(COURSE.module_owners)  # every assignment's modules


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def docstrings(module: str) -> dict[str, str]:
    """Function name -> its English docstring, and "" -> the module's, of ``exercises/<module>.py``."""
    tree = ast.parse((ROOT / "exercises" / f"{module}.py").read_text(encoding="utf-8"))
    docs = {"": squeeze(ast.get_docstring(tree) or "")}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            docs[node.name] = squeeze(ast.get_docstring(node) or "")
    return docs


def promise_problems(test: cases.Test) -> list[str]:
    """Why the test's ``doc`` does not hold (nothing when every quote is in the docstring)."""
    module, function = test.function.split(".")
    if not test.doc:
        return [f"{test.name}: no doc= (the docstring words this test relies on)"]
    docs = docstrings(module)
    if function not in docs:
        return [f"{test.name}: exercises/{module}.py has no function {function}"]
    problems = []
    for quote in test.doc:
        words = squeeze(quote)
        if not words:
            problems.append(f"{test.name}: an empty doc quote")
        elif words not in docs[function] and words not in docs[""]:
            problems.append(f"{test.name}: {quote!r} is not in the docstring of {module}.{function} "
                            f"nor in the module's docstring")
    return problems


@pytest.mark.parametrize("module", MODULES)
def test_every_test_quotes_the_docstring_words_it_relies_on(module: str) -> None:
    problems = [p for t in load_tests([module]) for p in promise_problems(t)]
    assert problems == []


def test_every_suite_has_tests_and_every_test_a_quote() -> None:
    tests = load_tests(MODULES)
    assert {t.check for t in tests} == {"value", "shape", "unchanged", "figure"}
    assert all(t.doc for t in tests)


# --------------------------------------------------------------------------- the check itself


def test_a_declaration_without_doc_cannot_be_made() -> None:
    f = Suite("losses", seed=0).function("sse", "y, y_hat")
    with pytest.raises(TypeError, match="doc"):
        f.value("no quote", [1.0, 2.0], [1.0, 3.0])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="doc"):
        f.shape("no quote", [1.0, 2.0], [1.0, 3.0])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="doc"):
        f.unchanged("no quote", np.array([1.0, 2.0]), np.array([1.0, 3.0]))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="doc"):
        f.figure("no quote", [1.0, 2.0])  # type: ignore[call-arg]


def test_an_empty_or_invented_quote_is_reported() -> None:
    suite = Suite("derivatives", seed=0)
    f = suite.function("sse_derivative", "y, y_hat")
    f.value("empty", [1.0, 2.0], [1.0, 3.0], doc="")
    f.value("invented", [1.0, 2.0], [1.0, 3.0], doc="``y`` may be a plain number")
    f.value("one of two invented", [1.0, 2.0], [1.0, 3.0], doc=("That is -2 * (y_i - y_hat_i).", "dtype float32"))
    f.value("another function's words", [1.0, 2.0], [1.0, 3.0], doc="x itself is never changed")
    empty, invented, half, other = (promise_problems(t) for t in suite.tests)
    assert empty and "no doc=" in empty[0]
    assert invented and "plain number" in invented[0]
    assert len(half) == 1 and "float32" in half[0]
    assert other, "a quote from numerical_gradient's docstring does not cover sse_derivative"


def test_quotes_match_across_line_breaks_and_module_rules_count() -> None:
    suite = Suite("derivatives", seed=0)
    f = suite.function("sse_derivative", "y, y_hat")
    f.value("wrapped", [1.0], [2.0], doc="either may be a flat ``(n,)`` vector or an ``(n, 1)`` column")
    f.unchanged("module rule", np.array([1.0]), np.array([2.0]), doc="changes none of its arguments")
    assert [promise_problems(t) for t in suite.tests] == [[], []]


# --------------------------------------------------------------------------- integer inputs

# Functions whose docstring (or module docstring) allows integers but whose exact answer on
# integer inputs is always a whole number, so no integer input can show a truncated dtype.
WHOLE_IN_WHOLE_OUT = {
    "losses.sse": "a sum of squared integer differences",
    "derivatives.sse_derivative": "-2 * (y - y_hat)",
    "derivatives.quadratic_form_gradient": "(A + A^T) x",
    "regression.add_intercept": "ones and the inputs themselves",
    "gradients.chain_rule": "J^T g",
}


def _is_integer_data(value: object) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iu"
    if isinstance(value, (list, tuple)) and value:
        return all(_is_integer_data(v) for v in value)
    return False


def _reference(test: cases.Test) -> object:
    from grader import probes
    from grader.plan import load_solution_module
    from grader.wire import Fn

    module = load_solution_module(ROOT, test.call.module)
    args = [getattr(probes, a.name) if isinstance(a, Fn) else a for a in test.call.args]
    with np.errstate(all="ignore"):
        return getattr(module, test.call.function)(*args, **dict(test.call.kwargs))


def _whole(value: object) -> bool:
    numbers = np.asarray(value, dtype=float)
    return bool(np.all(numbers == np.round(numbers)))


@pytest.mark.parametrize("module", [m for m in MODULES if not m.startswith("plots")])
def test_integer_inputs_are_tested_where_the_docstring_allows_them(module: str) -> None:
    """Every function whose docstring allows integers has a hidden test with an integer list or
    array among its inputs and an exact answer that is not a whole number, so that keeping the
    integer dtype (np.array(x) written back into, np.zeros_like(w), ...) loses points."""
    docs = docstrings(module)
    missing = []
    for function, doc in docs.items():
        if not function or function.startswith("_"):
            continue
        name = f"{module}.{function}"
        if "integer" not in (doc + " " + docs[""]).lower() or name in WHOLE_IN_WHOLE_OUT:
            continue
        tests = [t for t in load_tests([module]) if t.function == name and not t.public and t.check == "value"]
        found = [t for t in tests
                 if any(isinstance(a, (list, tuple, np.ndarray)) and _is_integer_data(a) for a in t.call.args)
                 and not _whole(_reference(t))]
        if not found:
            missing.append(name)
    assert missing == []

"""The course's one rule for "a single number" (``grader.checks.is_single_number``), for every
kind of scalar a student may return, on the wire and through the real grading path.

A single number is a Python int or float, a NumPy integer or floating scalar, or a 0-d array
of integers or floats. Booleans, complex numbers, None and one number in a container (an
array of shape (1,) or (1, 1), a list or tuple of one item) are not; a container of one number
is told, in fixed words shown for hidden tests too, to return the number itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.checks import is_single_number, judge, one_number_in_a_container
from grader.execute import Outcome
from grader.i18n import set_language
from grader.nbgrader_export import CHECK_HELPERS
from grader.wire import decode, dumps, encode, loads
from tests.conftest import ROOT, run_cli

# name -> (a value of that kind worth 41, whether it is a single number, whether it gets the hint)
KINDS: dict[str, tuple[Any, bool, bool]] = {
    "python int": (41, True, False),
    "python float": (41.0, True, False),
    "np.float64": (np.float64(41.0), True, False),
    "np.float32": (np.float32(41.0), True, False),
    "np.int64": (np.int64(41), True, False),
    "np.int32": (np.int32(41), True, False),
    "0-d array of float": (np.array(41.0), True, False),
    "0-d array of int": (np.array(41), True, False),
    "0-d array of float32": (np.array(41.0, dtype=np.float32), True, False),
    "array of shape (1,)": (np.array([41.0]), False, True),
    "array of shape (1, 1)": (np.array([[41.0]]), False, True),
    "list of one float": ([41.0], False, True),
    "tuple of one float": ((41.0,), False, True),
    "bool": (True, False, False),
    "np.bool_": (np.bool_(True), False, False),
    "complex": (41 + 0j, False, False),
    "np.complex128": (np.complex128(41), False, False),
    "None": (None, False, False),
    "array of two numbers": (np.array([20.5, 20.5]), False, False),
}


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_rule_for_each_kind_of_scalar(kind: str) -> None:
    value, single, hinted = KINDS[kind]
    assert is_single_number(value) is single
    assert one_number_in_a_container(value) is hinted


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_wire_keeps_the_kind_and_shape_of_a_returned_value(kind: str) -> None:
    value = KINDS[kind][0]
    back = loads(dumps(value))
    if type(value) is complex:
        assert type(back).__name__ == "Unsupported"  # a Python complex never crosses: "cannot be graded"
    elif isinstance(value, (np.ndarray, np.generic)):
        assert type(back) is type(value)
        assert back.dtype == value.dtype and np.shape(back) == np.shape(value)
    else:
        assert type(back) is type(value) and back == value
    assert is_single_number(back) is is_single_number(value)


def test_a_zero_d_array_is_not_made_one_d_on_the_wire() -> None:
    plain = encode(np.array(2.5))
    assert plain["shape"] == []
    assert decode(plain).shape == ()
    # and a transposed (not C-contiguous) array still arrives as itself
    a = np.arange(6.0).reshape(2, 3).T
    assert np.array_equal(decode(encode(a)), a)


def _shape_verdict(value: Any, expected: Any = 41.0):
    actual = Outcome(ok=True, value=loads(dumps(value)))
    return judge("shape", (), Outcome(ok=True, value=expected), actual, 1e-6, 1e-9)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_shape_check_follows_the_rule_after_the_wire(kind: str) -> None:
    value, single, hinted = KINDS[kind]
    verdict = _shape_verdict(value)
    assert verdict.passed is single, verdict
    if single:
        return
    if hinted:
        assert verdict.kind == "wrong shape"
        assert "return the number itself" in verdict.reason and verdict.hint
    else:
        assert "return the number itself" not in verdict.reason and not verdict.hint
    assert "(1,)" not in verdict.reason or kind == "array of shape (1,)"


def test_messages_describe_the_value_as_it_was_returned() -> None:
    assert "a scalar (0-d array)" not in _shape_verdict(np.array([41.0])).reason
    assert "an array of shape (1,)" in _shape_verdict(np.array([41.0])).reason
    assert "an array of shape (1, 1)" in _shape_verdict(np.array([[41.0]])).reason
    assert "a list of 1 item" in _shape_verdict([41.0]).reason
    assert "a tuple of 1 item" in _shape_verdict((41.0,)).reason
    assert "returned booleans" in _shape_verdict(True).reason
    assert "returned None" in _shape_verdict(None).reason
    assert "(41+0j)" in _shape_verdict(np.complex128(41)).reason


def test_the_reference_may_be_any_single_number() -> None:
    """The rule is the same whichever side holds which kind of scalar."""
    for expected in (41.0, np.float64(41.0), np.array(41.0), 41):
        for kind, (value, single, _hinted) in KINDS.items():
            assert _shape_verdict(value, expected).passed is single, (expected, kind)


def test_pairs_are_made_of_single_numbers() -> None:
    pair = (1.5, 2.0)
    assert _shape_verdict((np.float64(1.5), np.array(2.0)), pair).passed
    assert _shape_verdict(np.array([1.5, 2.0]), pair).passed
    assert not _shape_verdict((np.array([1.5]), np.array([2.0])), pair).passed


def test_the_notebook_check_cells_apply_the_same_rule() -> None:
    """nbgrader notebooks carry their own copy of the checks (CHECK_HELPERS, plain code in a cell)."""
    space: dict[str, Any] = {"np": np, "RTOL": 1e-6, "ATOL": 1e-9}
    exec("import copy, contextlib, io, warnings\n" + CHECK_HELPERS, space)
    for kind, (value, single, _hinted) in KINDS.items():
        try:
            space["check"]("shape", lambda v=value: v, (), expected="number")
            passed = True
        except AssertionError:
            passed = False
        assert passed is single, kind


# --------------------------------------------------------------------------- the real path

# sse returning its (right) value in each kind of container the CLI run grades; integer
# kinds cannot carry sse's value on these inputs, so they are judged above.
RETURNS = {
    "pyfloat": ("float(total)", True, False),
    "npfloat64": ("np.float64(total)", True, False),
    "npfloat32": ("np.float32(total)", True, False),
    "zerod": ("np.array(total)", True, False),
    "zerodasarray": ("np.asarray(np.sum(r * r))", True, False),
    "shape1": ("np.array([total])", False, True),
    "shape11": ("np.array([[total]])", False, True),
    "list1": ("[total]", False, True),
    "complex": ("complex(total)", False, False),
    "boolean": ("bool(total)", False, False),
    "none": ("None", False, False),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    klass = tmp_path_factory.mktemp("class")
    source = (ROOT / "solutions" / "losses.py").read_text(encoding="utf-8")
    body = "    r = _residuals(y, y_hat)\n    return float(np.sum(r * r))\n"
    assert body in source
    for student, (expr, _single, _hinted) in RETURNS.items():
        folder = klass / student
        folder.mkdir()
        new = "    r = _residuals(y, y_hat)\n    total = float(np.sum(r * r))\n    return " + expr + "\n"
        (folder / "losses.py").write_text(source.replace(body, new, 1), encoding="utf-8")
    out = tmp_path_factory.mktemp("graded")
    proc = run_cli("grade", str(klass), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    shutil.rmtree(klass)
    return out


@pytest.mark.parametrize("student", list(RETURNS))
def test_each_kind_through_the_real_grading_path(graded: Path, student: str) -> None:
    _expr, single, hinted = RETURNS[student]
    tests = {t["name"]: t for t in json.loads((graded / "results" / f"{student}.json").read_text())["tests"]}
    shape = tests["losses.sse: returns a single number"]
    assert (shape["status"] == "passed") is single, shape
    feedback = (graded / "feedback" / f"{student}.md").read_text(encoding="utf-8") if (
        graded / "feedback" / f"{student}.md").exists() else ""
    text = shape["output"] + feedback
    assert ("return the number itself" in text) is hinted, text
    if student.startswith("zerod"):
        assert "(1,)" not in text

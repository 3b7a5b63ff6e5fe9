"""Judging one outcome against the reference's: the trusted comparison.

Used by every path (pytest suites, bulk grading, the student's public tests),
so a verdict never depends on how a submission was run. Only plain data is
judged: numbers, arrays, lists and tuples of numbers. Anything else, NaN,
infinities, empty results and wrong sizes never pass. The tolerance is the
test's own, whatever the answer's dtype: a float16 answer is not judged more
loosely than a float64 one. What counts as "a single number" is decided in one
place, :func:`is_single_number` (the student README states the same rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.verdict import PASS, Verdict, _, kind_words, raised_words, show, stopped_words, t
from grader.wire import FigureSummary

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def is_single_number(value: Any) -> bool:
    """The course's one rule for "a single number", used by every check that asks for one.

    A single number is a Python ``int`` or ``float``, a NumPy integer or floating scalar
    (``np.float64``, ``np.float32``, ``np.int64``, ...) or a 0-d NumPy array of integers or
    floats (``np.array(2.5)``, what ``np.asarray(np.sum(...))`` gives), whatever its value
    (NaN and infinity are judged by the value check, not here). Booleans, complex numbers,
    None, and containers of one number (an array of shape ``(1,)`` or ``(1, 1)``, a list or
    a tuple of one item) are not; for a container of one number the message says to return
    the number itself (:func:`one_number_in_a_container`).
    """
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, _NUMBER_TYPES):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def one_number_in_a_container(value: Any) -> bool:
    """An array (of any number of dimensions >= 1), list or tuple holding exactly one real number:
    not a single number (:func:`is_single_number`), but one ``float(...)`` or ``.item()`` away."""
    if isinstance(value, np.ndarray):
        return value.ndim >= 1 and value.size == 1 and value.dtype.kind in "iuf"
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return is_single_number(value[0]) or one_number_in_a_container(value[0])
    return False


def as_numbers(value: Any) -> np.ndarray | None:
    """The value as a float array if it is made only of real numbers (not bools), else None."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return None
    if isinstance(value, _NUMBER_TYPES):
        return np.asarray(float(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf":
            return None
        return value.astype(float)
    if isinstance(value, (list, tuple)):
        if not value:
            return np.zeros(0)
        parts = [as_numbers(v) for v in value]
        if any(p is None for p in parts):
            return None
        try:
            return np.asarray(parts, dtype=float)
        except ValueError:  # ragged
            return None
    return None


def _failed_call(outcome: Any) -> Verdict | None:
    if outcome.ok:
        return None
    if outcome.too_large:
        return Verdict(False, "too large", t("the result is far larger than the answer can be (over {kb} KB)",
                                             kb=outcome.too_large))
    if outcome.not_started:
        return Verdict(False, "not started", kind_words("not started"))
    if outcome.timeout:
        return Verdict(False, "timeout", stopped_words(outcome.error))
    return Verdict(False, "error", raised_words(outcome.error))


def _unsupported(value: Any, depth: int = 0) -> bool:
    """Whether the value is, or holds, a ``wire.Unsupported`` (a type or size that cannot cross)."""
    if isinstance(getattr(value, "type_name", None), str):
        return True
    if isinstance(value, (list, tuple)) and depth < 12:
        return any(_unsupported(v, depth + 1) for v in value[:64])
    return False


def _type_problem(value: Any) -> str:
    if value is None:
        return _("returned None (is a `return` missing?)")
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.dtype.kind == "b"):
        return _("returned booleans, not numbers")
    return t("returned {value}, which is not a number or an array of numbers", value=show(value))


def same_numbers(actual: Any, expected: Any, rtol: float, atol: float) -> bool:
    """True when both are finite numeric data of the same size and agree within tolerance."""
    return same_arrays(as_numbers(actual), as_numbers(expected), rtol, atol)


def same_arrays(a: np.ndarray | None, e: np.ndarray | None, rtol: float, atol: float) -> bool:
    """:func:`same_numbers` on values already turned into arrays (see :func:`as_numbers`)."""
    if a is None or e is None or a.size == 0 or a.size != e.size:
        return False
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(e))):
        return False
    return bool(np.all(np.abs(a.ravel() - e.ravel()) <= atol + rtol * np.abs(e.ravel())))


def check_value(actual: Any, expected: Any, rtol: float, atol: float) -> Verdict:
    """The numbers returned match the reference's, whatever container holds them."""
    a, e = as_numbers(actual), as_numbers(expected)
    assert e is not None, "the reference returned something that is not numeric"
    if same_arrays(a, e, rtol, atol):
        return PASS
    exp_text, act_text = show(expected), show(actual)
    if a is None and _unsupported(actual):
        return Verdict(False, "unsupported", t("returned {value}, which cannot be graded", value=show(actual)),
                       exp_text, act_text)
    if a is None:
        return Verdict(False, "wrong type", _type_problem(actual), exp_text, act_text)
    if a.size == 0:
        return Verdict(False, "empty", _("returned an empty result"), exp_text, act_text)
    if not np.all(np.isfinite(a)):
        return Verdict(False, "not finite", _("the result contains NaN or infinity"), exp_text, act_text)
    if a.size != e.size:
        if e.size == 1:
            reason = t("returned {got} values where 1 was expected", got=a.size)
        elif a.size == e.size**2:
            reason = t("returned {got} values where {expected} were expected "
                       "(an (n,) and an (n, 1) array broadcast to (n, n)?)", got=a.size, expected=e.size)
        else:
            reason = t("returned {got} values where {expected} were expected", got=a.size, expected=e.size)
        return Verdict(False, "wrong size", reason, exp_text, act_text)
    diff = np.abs(a.ravel() - e.ravel())
    bad = diff > atol + rtol * np.abs(e.ravel())
    if np.any(bad):
        if e.size == 1:
            reason = _("wrong value")
        else:
            reason = t("{wrong} of {total} values are wrong", wrong=int(bad.sum()), total=e.size)
        return Verdict(False, "wrong value", reason, exp_text, act_text)
    return PASS


def _shape_of(value: Any) -> str:
    """The form of a value as it was returned, in words ("a 0-d array", "an array of shape (1,)")."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _("a scalar (0-d array)")
        return t("an array of shape {shape}", shape=tuple(value.shape))
    if isinstance(value, list):
        return _("a list of 1 item") if len(value) == 1 else t("a list of {n} items", n=len(value))
    if isinstance(value, tuple):
        return _("a tuple of 1 item") if len(value) == 1 else t("a tuple of {n} items", n=len(value))
    if is_single_number(value):
        return _("a single number")
    return t("a {type}", type=type(value).__name__)


def check_shape(actual: Any, expected: Any) -> Verdict:
    """The result has the reference's form: a single number (:func:`is_single_number`), an
    array of the same shape, or a list, tuple or 1-D array of as many single numbers."""
    a = as_numbers(actual)
    if a is None:
        return Verdict(False, "wrong type", _type_problem(actual), _shape_of(expected), _shape_of(actual))
    if a.size and not np.all(np.isfinite(a)):
        return Verdict(False, "not finite", _("the result contains NaN or infinity"))
    exp_text, act_text = _shape_of(expected), _shape_of(actual)
    hint = ""
    if is_single_number(expected):
        ok = is_single_number(actual)
        reason = t("expected a single number, got {got}", got=act_text)
        if one_number_in_a_container(actual):
            hint = one_number_hint()
    elif isinstance(expected, np.ndarray):
        ok = isinstance(actual, np.ndarray) and actual.shape == expected.shape
        reason = t("expected {expected}, got {got}", expected=exp_text, got=act_text)
    elif isinstance(expected, (tuple, list)):
        if isinstance(actual, (tuple, list)):
            ok = len(actual) == len(expected) and all(is_single_number(v) for v in actual)
        else:
            ok = isinstance(actual, np.ndarray) and actual.ndim == 1 and actual.size == len(expected)
        reason = t("expected {n} numbers, got {got}", n=len(expected), got=act_text)
    else:  # the reference returned something else again: compare the shapes of its numbers
        e = as_numbers(expected)
        ok = e is not None and a.shape == e.shape
        reason = t("expected {expected}, got {got}", expected=exp_text, got=act_text)
    if ok:
        return PASS
    if hint:
        reason = t("{reason}: {hint}", reason=reason, hint=hint)
    return Verdict(False, "wrong shape", reason, exp_text, act_text, hint=hint)


def one_number_hint() -> str:
    """What a result of one number in a container is told (fixed words: shown for hidden tests too)."""
    return _("one number inside an array, list or tuple is not a single number; return the number itself, for example float(...) or .item()")


def check_unchanged(before: tuple[Any, ...], after: list[Any] | None) -> Verdict:
    """Every array or list input is exactly as it was (same values, same dtype)."""
    if after is None:
        return Verdict(False, "error", _("its inputs could not be inspected after the call"))
    data_before = [b for b in before if not callable(b) and not _is_fn(b)]
    if len(after) != len(data_before):
        return Verdict(False, "error", _("its inputs could not be inspected after the call"))
    for i, (b, a) in enumerate(zip(data_before, after, strict=True)):
        if not isinstance(b, (list, tuple, np.ndarray)):
            continue
        bn, an = np.asarray(b), as_numbers(a)
        same = an is not None and an.shape == bn.shape and bool(np.array_equal(an, bn.astype(float)))
        if isinstance(b, np.ndarray):
            same = same and isinstance(a, np.ndarray) and a.dtype == b.dtype
        if not same:
            return Verdict(False, "modified input",
                           t("it changed its input argument #{n}; work on a copy", n=i + 1),
                           show(b), show(a))
    return PASS


def _is_fn(value: Any) -> bool:
    return type(value).__name__ == "Fn"


def identical(a: Any, e: Any) -> bool:
    """Exactly the same plain data (same types, dtypes, shapes and bits).

    A fast path only: an outcome identical to the reference's gets the
    reference's verdict (a pass) without any tolerance arithmetic.
    """
    if a is e:
        return True
    ta = type(a)
    if ta is not type(e):
        return False
    if ta is np.ndarray:
        return a.dtype == e.dtype and a.shape == e.shape and bool(np.array_equal(a, e))
    if ta is float:
        return a == e  # NaN never equals itself, so it never takes the fast path
    if ta in (list, tuple):
        return len(a) == len(e) and all(identical(x, y) for x, y in zip(a, e, strict=True))
    if ta is dict or ta is FigureSummary:
        return a == e  # plain JSON data (figure summaries)
    if ta in (int, str, bool) or isinstance(a, np.generic):
        return bool(a == e)
    return False


def judge(check: str, call_args: tuple[Any, ...], expected: Any, actual: Any,
          rtol: float, atol: float) -> Verdict:
    """Judge an actual outcome (``grader.execute.Outcome``) for one kind of check."""
    failed = _failed_call(actual)
    if failed:
        return failed
    if check == "value":
        return check_value(actual.value, expected.value, rtol, atol)
    if check in ("shape", "unchanged"):
        # Structure earns points only on a right answer: junk in the right shape,
        # or a wrong answer that leaves its inputs alone, never passes by accident.
        value = check_value(actual.value, expected.value, rtol, atol)
        if not value.passed:
            reason = (t("{reason} (so its shape is not checked)", reason=value.reason) if check == "shape"
                      else t("{reason} (so its handling of its inputs is not checked)", reason=value.reason))
            return Verdict(False, value.kind, reason, value.expected, value.actual)
        if check == "shape":
            return check_shape(actual.value, expected.value)
        return check_unchanged(call_args, actual.args_after)
    if check == "figure":
        from grader.figures import check_figure

        return check_figure(actual.value, expected.value)
    raise ValueError(f"unknown check {check!r}")

"""Plain-data encoding of values crossing the sandbox boundary (JSON, never pickle).

Only numbers, strings, booleans, None, lists, tuples, dicts with string keys,
NumPy numeric arrays and NumPy scalars cross. Anything else a submission
returns is encoded as ``{"$unsupported": <type name>}`` so no foreign object,
and no foreign ``__eq__``, ever reaches the trusted side. ``Fn`` references to
the probe library stand for callables in test inputs.

:func:`decode` is the trusted side's schema: every value is checked against
hard bounds (type, depth, element count, integer range, text length) before
anything else touches it, and a value out of bounds raises
:class:`OutOfBounds`, which callers turn into that test's "unsupported
result" (never an exception in the grading process). A figure arrives as a
:class:`FigureSummary`, a type no plain value a submission returns can become.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.errors import WireError

MAX_DEPTH = 8
MAX_ARRAY_BYTES = 8 * 1024 * 1024
MAX_ELEMENTS = 1 << 20  # numbers, items and keys in one decoded value, unless the caller sets fewer
MAX_TEXT = 10_000  # characters in one string
MAX_INT = 2**63  # integers are exact within +-2**63 (beyond, float() loses them or overflows)
_NUMERIC_KINDS = "biufc"


class OutOfBounds(WireError):
    """A well-formed value past a hard bound (too many elements, an integer too large, ...)."""


@dataclass(frozen=True)
class FigureSummary:
    """A figure's plain-data summary, as :func:`grader.figure_summary.summarise` makes it.

    Only the ``$figure`` wire tag becomes one; a dict a submission returns stays
    a dict, so it can never pass for a figure. Its content is still untrusted:
    :func:`grader.figures.parse_summary` validates it and every count and extent
    the checks need is measured from its points on the trusted side.
    """

    data: Any


@dataclass(frozen=True)
class Fn:
    """A named callable from ``grader.probes``, used as a test input."""

    name: str


@dataclass(frozen=True)
class Unsupported:
    """Stands for a returned value of a type that may not cross the boundary."""

    type_name: str


def _enc_float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"$f": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(obj: Any, _depth: int = 0) -> Any:
    """Turn ``obj`` into JSON-able plain data; unknown types become ``$unsupported``."""
    if _depth > MAX_DEPTH:
        return {"$unsupported": "nesting too deep"}
    t = type(obj)
    if obj is None or t is bool or t is str:
        return obj
    if t is int:
        return obj if abs(obj) < MAX_INT else _enc_big(obj)
    if t is float:
        return _enc_float(obj)
    if t is list:
        return [encode(v, _depth + 1) for v in obj]
    if t is tuple:
        return {"$tuple": [encode(v, _depth + 1) for v in obj]}
    if t is dict:
        if all(type(k) is str for k in obj):
            return {"$dict": {k: encode(v, _depth + 1) for k, v in obj.items()}}
        return {"$unsupported": "dict"}
    if t is np.ndarray:
        if obj.dtype.kind not in _NUMERIC_KINDS or obj.dtype.hasobject:
            return {"$unsupported": f"ndarray of {obj.dtype}"}
        if obj.nbytes > MAX_ARRAY_BYTES:
            return {"$unsupported": "array too large"}
        # The shape is the array's own: np.ascontiguousarray would make a 0-d array 1-D, and a
        # 0-d array (a single number) would arrive as an array of shape (1,). tobytes() is C order.
        return {
            "$nd": obj.dtype.str,
            "shape": list(obj.shape),
            "b64": base64.b64encode(obj.tobytes()).decode("ascii"),
        }
    if isinstance(obj, np.generic) and t.__module__ == "numpy":
        if obj.dtype.kind in _NUMERIC_KINDS:
            return {"$np": obj.dtype.str, "b64": base64.b64encode(obj.tobytes()).decode("ascii")}
        return {"$unsupported": f"numpy {obj.dtype}"}
    if t is Fn:
        return {"$fn": obj.name}
    if t is FigureSummary:
        return {"$figure": obj.data}
    if _type_name(obj) == "matplotlib.figure.Figure":
        return {"$figure": _summariser()(obj)}
    return {"$unsupported": _type_name(obj)}


_SUMMARISE: list[Any] = []  # grader.figure_summary.summarise, once bound or imported


def bind_summarise(summarise: Any) -> None:
    """Use this figure summariser from now on (the sandbox binds it before submission
    code runs, so encoding a figure never imports from the grader package again)."""
    _SUMMARISE[:] = [summarise]


def _summariser() -> Any:
    if not _SUMMARISE:
        from grader.figure_summary import summarise  # only plot exercises pay for matplotlib

        _SUMMARISE.append(summarise)
    return _SUMMARISE[0]


def _enc_big(value: int) -> Any:
    try:
        return _enc_float(float(value))
    except OverflowError:
        return {"$unsupported": "an integer too large for a float"}


def _type_name(obj: Any) -> str:
    try:
        t = type(obj)
        name = f"{t.__module__}.{t.__qualname__}"
        return name if isinstance(name, str) else "object"
    except Exception:  # a hostile type may raise from anything
        return "object"


def _dtype(s: Any) -> np.dtype:
    if not isinstance(s, str) or len(s) > 8:
        raise WireError("bad dtype")
    dt = np.dtype(s)
    if dt.kind not in _NUMERIC_KINDS:
        raise WireError(f"dtype {s!r} not allowed")
    return dt


class _Budget:
    """Elements a decoded value may still hold."""

    __slots__ = ("left",)

    def __init__(self, elements: int) -> None:
        self.left = elements

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise OutOfBounds("more elements than the answer could need")


def decode(data: Any, max_elements: int = MAX_ELEMENTS) -> Any:
    """Inverse of :func:`encode`, validating everything (the input is untrusted).

    Raises :class:`WireError` for malformed data and :class:`OutOfBounds` (a
    subclass) for data past a bound; ``max_elements`` caps the numbers, items
    and keys of the whole value (callers size it from the reference's answer).
    """
    return _decode(data, 0, _Budget(max_elements))


def _decode(data: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH + 1:
        raise OutOfBounds("nesting too deep")
    budget.take(1)
    t = type(data)
    if data is None or t is bool or t is float:
        return data
    if t is int:
        if not -MAX_INT < data < MAX_INT:
            raise OutOfBounds("an integer too large")
        return data
    if t is str:
        if len(data) > MAX_TEXT:
            raise OutOfBounds("a text too long")
        return data
    if t is list:
        budget.take(len(data))
        return [_decode(v, depth + 1, budget) for v in data]
    if t is not dict:
        raise WireError(f"unexpected {t.__name__}")
    if "$f" in data:
        v = data["$f"]
        if v not in ("nan", "inf", "-inf"):
            raise WireError("bad float")
        return float(v)
    if "$tuple" in data:
        items = data["$tuple"]
        if type(items) is not list:
            raise WireError("bad tuple")
        budget.take(len(items))
        return tuple(_decode(v, depth + 1, budget) for v in items)
    if "$dict" in data:
        items = data["$dict"]
        if type(items) is not dict:
            raise WireError("bad dict")
        budget.take(len(items))
        return {_decode(str(k), depth + 1, budget): _decode(v, depth + 1, budget) for k, v in items.items()}
    if "$nd" in data:
        dt = _dtype(data["$nd"])
        shape = data.get("shape")
        if type(shape) is not list or len(shape) > 32 or not all(type(n) is int and 0 <= n < MAX_INT for n in shape):
            raise WireError("bad shape")
        size = math.prod(shape)
        budget.take(size)
        b64 = data.get("b64", "")
        if type(b64) is not str or len(b64) > (MAX_ARRAY_BYTES * 4) // 3 + 4:
            raise OutOfBounds("an array too large")
        raw = base64.b64decode(b64, validate=True)
        if len(raw) != dt.itemsize * size:
            raise WireError("array size does not match its shape")
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if "$np" in data:
        dt = _dtype(data["$np"])
        b64 = data.get("b64", "")
        raw = base64.b64decode(b64 if type(b64) is str and len(b64) <= 64 else "", validate=True)
        if len(raw) != dt.itemsize:
            raise WireError("bad numpy scalar")
        return np.frombuffer(raw, dtype=dt)[0]
    if "$fn" in data:
        return Fn(str(data["$fn"])[:100])
    if "$unsupported" in data:
        return Unsupported(str(data["$unsupported"])[:200])
    if "$figure" in data:
        # Structure and size are validated by grader.figures.parse_summary; only the
        # element budget is charged here, so a huge summary is refused before that.
        _charge(data["$figure"], depth + 1, budget)
        return FigureSummary(data["$figure"])
    raise WireError("unknown tagged value")


def element_count(plain: Any) -> int:
    """How many elements :func:`decode` charges for this plain data."""
    budget = _Budget(MAX_ELEMENTS * 64)
    try:
        _charge(plain, 0, budget)  # counts an array's elements from its shape
    except OutOfBounds:
        pass
    return MAX_ELEMENTS * 64 - budget.left


def _charge(data: Any, depth: int, budget: _Budget) -> None:
    """Count the elements of plain JSON data against the budget (nothing is built)."""
    if depth > MAX_DEPTH + 4:
        raise OutOfBounds("nesting too deep")
    budget.take(1)
    t = type(data)
    if t is list:
        budget.take(len(data))
        for v in data:
            if type(v) in (list, dict):
                _charge(v, depth + 1, budget)
    elif t is dict:
        budget.take(len(data))
        shape = data.get("shape") if "$nd" in data else None
        if type(shape) is list and all(type(n) is int and n >= 0 for n in shape):
            budget.take(math.prod(shape))
        for v in data.values():
            if type(v) in (list, dict):
                _charge(v, depth + 1, budget)


def dumps(obj: Any) -> bytes:
    """Encode and serialise to compact JSON bytes."""
    return json.dumps(encode(obj), separators=(",", ":"), allow_nan=False).encode()


def loads(raw: bytes) -> Any:
    """Parse JSON bytes and decode them."""
    try:
        return decode(json.loads(raw))
    except (ValueError, TypeError, RecursionError) as exc:
        raise WireError(str(exc)[:200]) from None

"""Plain-data encoding of values crossing the sandbox boundary (JSON, never pickle).

Only numbers, strings, booleans, None, lists, tuples, dicts with string keys,
NumPy numeric arrays and NumPy scalars cross. Anything else a submission
returns is encoded as ``{"$unsupported": <type name>}`` so no foreign object,
and no foreign ``__eq__``, ever reaches the trusted side. ``Fn`` references to
the probe library stand for callables in test inputs.
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
_NUMERIC_KINDS = "biufc"


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
        return obj if abs(obj) < 2**63 else _enc_float(float(obj))
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
        arr = np.ascontiguousarray(obj)
        return {
            "$nd": arr.dtype.str,
            "shape": list(arr.shape),
            "b64": base64.b64encode(arr.tobytes()).decode("ascii"),
        }
    if isinstance(obj, np.generic) and t.__module__ == "numpy":
        if obj.dtype.kind in _NUMERIC_KINDS:
            return {"$np": obj.dtype.str, "b64": base64.b64encode(obj.tobytes()).decode("ascii")}
        return {"$unsupported": f"numpy {obj.dtype}"}
    if t is Fn:
        return {"$fn": obj.name}
    if _type_name(obj) == "matplotlib.figure.Figure":
        from grader.figures import summarise  # only plot exercises pay for matplotlib

        return {"$figure": summarise(obj)}
    return {"$unsupported": _type_name(obj)}


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


def decode(data: Any, _depth: int = 0) -> Any:
    """Inverse of :func:`encode`, validating everything (the input is untrusted)."""
    if _depth > MAX_DEPTH + 1:
        raise WireError("nesting too deep")
    t = type(data)
    if data is None or t in (bool, int, float, str):
        return data
    if t is list:
        return [decode(v, _depth + 1) for v in data]
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
        return tuple(decode(v, _depth + 1) for v in items)
    if "$dict" in data:
        items = data["$dict"]
        if type(items) is not dict:
            raise WireError("bad dict")
        return {str(k): decode(v, _depth + 1) for k, v in items.items()}
    if "$nd" in data:
        dt = _dtype(data["$nd"])
        shape = data.get("shape")
        if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
            raise WireError("bad shape")
        raw = base64.b64decode(str(data.get("b64", "")), validate=True)
        if len(raw) > MAX_ARRAY_BYTES or len(raw) != dt.itemsize * math.prod(shape):
            raise WireError("array size does not match its shape")
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if "$np" in data:
        dt = _dtype(data["$np"])
        raw = base64.b64decode(str(data.get("b64", "")), validate=True)
        if len(raw) != dt.itemsize:
            raise WireError("bad numpy scalar")
        return np.frombuffer(raw, dtype=dt)[0]
    if "$fn" in data:
        return Fn(str(data["$fn"]))
    if "$unsupported" in data:
        return Unsupported(str(data["$unsupported"])[:200])
    if "$figure" in data:
        return data  # figure summaries are validated by the plot checks
    raise WireError("unknown tagged value")


def dumps(obj: Any) -> bytes:
    """Encode and serialise to compact JSON bytes."""
    return json.dumps(encode(obj), separators=(",", ":"), allow_nan=False).encode()


def loads(raw: bytes) -> Any:
    """Parse JSON bytes and decode them."""
    try:
        return decode(json.loads(raw))
    except (ValueError, TypeError, RecursionError) as exc:
        raise WireError(str(exc)[:200]) from None

"""The vocabulary of a judgement: a :class:`Verdict`, its kinds in plain words, and how a
value is shown in messages. Shared by the numeric checks (:mod:`grader.checks`) and the
figure checks (:mod:`grader.figures`), which import nothing else of each other."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """Whether a check passed, and why not in plain words (without any values)."""

    passed: bool
    kind: str = "pass"  # one of KINDS
    reason: str = ""
    expected: str = ""  # the reference value, rendered (only shown where allowed)
    actual: str = ""  # the submission's value, rendered


PASS = Verdict(True)

# Every kind of verdict, in plain words for a hidden test (which shows nothing else).
KINDS = {
    "pass": "passed",
    "not started": "not started yet (it still raises NotImplementedError)",
    "error": "raised an exception",
    "timeout": "stopped: it ran past a time limit",
    "wrong type": "returned something that is not a number or an array of numbers",
    "unsupported": "returned a value that cannot be graded (an unsupported type, or far too large)",
    "too large": "returned a result far larger than the answer can be",
    "empty": "returned an empty result",
    "not finite": "the result contains NaN or infinity",
    "wrong size": "returned the wrong number of values",
    "wrong value": "wrong value",
    "wrong shape": "returned the right numbers in the wrong shape",
    "modified input": "it changed an input argument; work on a copy",
}


def show(value: Any, limit: int = 8) -> str:
    """A short, readable rendering of a value for messages."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (float, np.floating)):
        return _num(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf" or value.ndim == 0:
            return f"array({show(value.item()) if value.size == 1 else value.dtype})"
        flat = [_num(float(v)) for v in value.ravel()[:limit]]
        more = ", ..." if value.size > limit else ""
        return f"array([{', '.join(flat)}{more}], shape {tuple(value.shape)})"
    if isinstance(value, (list, tuple)):
        items = [show(v, limit) for v in value[:limit]]
        more = ", ..." if len(value) > limit else ""
        body = ", ".join(items) + more
        return f"[{body}]" if isinstance(value, list) else f"({body}{',' if len(value) == 1 else ''})"
    type_name = getattr(value, "type_name", None)
    if isinstance(type_name, str):
        return f"<a {type_name} object>"
    return f"<{type(value).__name__}>"


def _num(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x)) if abs(x) >= 1 or x == 0 else f"{x:.6g}"
    return f"{x:.6g}"

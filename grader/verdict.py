"""The vocabulary of a judgement: a :class:`Verdict`, its kinds in plain words, the sandbox's
fixed words for a failed call or import, and how a value is shown in messages. Shared by the
numeric checks (:mod:`grader.checks`) and the figure checks (:mod:`grader.figures`), which
import nothing else of each other. Words are in the current language (:mod:`grader.i18n`);
values, code identifiers and an exception's own message are shown as they are."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.i18n import _, t  # the student copy ships the message layer beside this file


@dataclass(frozen=True)
class Verdict:
    """Whether a check passed, and why not in plain words (without any values)."""

    passed: bool
    kind: str = "pass"  # one of KINDS
    reason: str = ""
    expected: str = ""  # the reference value, rendered (only shown where allowed)
    actual: str = ""  # the submission's value, rendered
    hint: str = ""  # fixed advice that reveals no input (shown for hidden tests too)


PASS = Verdict(True)


def kind_words(kind: str) -> str:
    """A kind of verdict in plain words, in the current language: all a hidden test shows."""
    words = {
        "pass": _("passed"),
        "not started": _("not started yet (it still raises NotImplementedError)"),
        "error": _("raised an exception"),
        "timeout": _("stopped: it ran past a time limit"),
        "wrong type": _("returned something that is not a number or an array of numbers"),
        "unsupported": _("returned a value that cannot be graded (an unsupported type, or far too large)"),
        "too large": _("returned a result far larger than the answer can be"),
        "empty": _("returned an empty result"),
        "not finite": _("the result contains NaN or infinity"),
        "wrong size": _("returned the wrong number of values"),
        "wrong value": _("wrong value"),
        "wrong shape": _("returned the right numbers in the wrong shape"),
        "modified input": _("it changed an input argument; work on a copy"),
    }
    return words.get(kind) or _("failed")


# Every kind of verdict (its words: :func:`kind_words`).
KINDS = ("pass", "not started", "error", "timeout", "wrong type", "unsupported", "too large", "empty",
         "not finite", "wrong size", "wrong value", "wrong shape", "modified input")


# -- the sandbox's and the harness's own words ------------------------------------------
# A failed call or import is described in fixed words by the trusted code that ran it
# (grader/sandbox/zygote.py, grader/execute.py); those words are put in the current
# language here. Anything else (an exception's own message) is kept as it is.

Words = Callable[..., str]

# The grader's own words for a failed import (the zygote's and discovery's), which a
# submission cannot choose: grader/redact.py shows them as they are, even for hidden tests.
_OWN_IMPORT_WORDS: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"not submitted"), lambda: _("not submitted")),
    (re.compile(r"import timed out"), lambda: _("import timed out")),
    (re.compile(r"the process died during import"), lambda: _("the process died during import")),
    (re.compile(r"the process died \(killed by (?P<signal>SIG[A-Z0-9]+|signal \d+)\) during import"),
     lambda **v: t("the process died (killed by {signal}) during import", **v)),
    (re.compile(r"the process died \(it exited with code (?P<code>-?\d+)\) during import"),
     lambda **v: t("the process died (it exited with code {code}) during import", **v)),
    (re.compile(r"stopped: the submission used up its (?P<seconds>[\d.]+) s during import"),
     lambda **v: t("stopped: the submission used up its {seconds} s during import", **v)),
    (re.compile(r"stopped: the submission used up its (?P<seconds>[\d.]+) s of CPU time during import"),
     lambda **v: t("stopped: the submission used up its {seconds} s of CPU time during import", **v)),
    (re.compile(r"ran longer than (?P<seconds>[\d.]+) s during import"),
     lambda **v: t("ran longer than {seconds} s during import", **v)),
    (re.compile(r"the module's import result was too large during import"),
     lambda: _("the module's import result was too large during import")),
    (re.compile(r"unreadable result \(the submission tampered with its result channel\) during import"),
     lambda: _("unreadable result (the submission tampered with its result channel) during import")),
    (re.compile(r"the results were too large to send during import"),
     lambda: _("the results were too large to send during import")),
    (re.compile(r"the submission closed its result channel during import"),
     lambda: _("the submission closed its result channel during import")),
]

_IMPORT_WORDS: list[tuple[re.Pattern[str], Words]] = [
    *_OWN_IMPORT_WORDS,
    (re.compile(r"(?P<error>\w+): (?P<detail>.*) \(line (?P<line>\d+)\)", re.S),
     lambda **v: t("{error}: {detail} (line {line})", **v)),
    (re.compile(r"raised (?P<error>\w+) at import: (?P<detail>.*)", re.S),
     lambda **v: t("raised {error} at import: {detail}", **v)),
    (re.compile(r"raised (?P<error>\w+) at import"), lambda **v: t("raised {error} at import", **v)),
]


def _worded(table: list[tuple[re.Pattern[str], Words]], error: str) -> str | None:
    for pattern, words in table:
        m = pattern.fullmatch(error)
        if m:
            return words(**m.groupdict())
    return None


def import_words(error: str) -> str:
    """A module's import failure as the sandbox words it, in the current language."""
    worded = _worded(_IMPORT_WORDS, error)
    return error if worded is None else worded


def own_import_words(error: str) -> str | None:
    """The grader's own words for a failed import, in the current language; None when the
    text is not one of them (then a submission may have chosen it)."""
    return _worded(_OWN_IMPORT_WORDS, error)


_RAISED: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"(?P<module>\w+)\.py was not submitted"),
     lambda **v: t("raised {module}.py was not submitted", **v)),
    (re.compile(r"module (?P<module>\w+) could not be loaded: (?P<error>.*)", re.S),
     lambda module, error: t("raised module {module} could not be loaded: {error}", module=module,
                             error=import_words(error))),
    (re.compile(r"module could not be loaded"), lambda: _("raised module could not be loaded")),
    (re.compile(r"function (?P<function>\w+) is missing"),
     lambda **v: t("raised function {function} is missing", **v)),
    (re.compile(r"the process died"), lambda: _("raised the process died")),
    (re.compile(r"the process died \(killed by (?P<signal>[\w ]+)\)"),
     lambda **v: t("raised the process died (killed by {signal})", **v)),
    (re.compile(r"the process died \(it exited with code (?P<code>-?\d+)\)"),
     lambda **v: t("raised the process died (it exited with code {code})", **v)),
    (re.compile(r"not run: the submission's process died too many times"),
     lambda: _("raised not run: the submission's process died too many times")),
    (re.compile(r"unreadable result \(the submission tampered with its result channel\)"),
     lambda: _("raised unreadable result (the submission tampered with its result channel)")),
    (re.compile(r"the results were too large to send"), lambda: _("raised the results were too large to send")),
    (re.compile(r"the submission closed its result channel"),
     lambda: _("raised the submission closed its result channel")),
    (re.compile(r"result could not be encoded \((?P<error>\w+)\)"),
     lambda **v: t("raised result could not be encoded ({error})", **v)),
    (re.compile(r"no result"), lambda: _("raised no result")),
    (re.compile(r"MemoryError: the memory limit was reached"),
     lambda: _("raised MemoryError: the memory limit was reached")),
]

_STOPPED: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"ran longer than (?P<seconds>[\d.]+) s"), lambda **v: t("stopped: ran longer than {seconds} s", **v)),
    # (these two were "stopped: stopped: ..." and "stopped: not run: ..." before they were worded here)
    (re.compile(r"stopped: the submission used up its (?P<seconds>[\d.]+) s"),
     lambda **v: t("stopped: the submission used up its {seconds} s", **v)),
    (re.compile(r"stopped: the submission used up its (?P<seconds>[\d.]+) s of CPU time"),
     lambda **v: t("stopped: the submission used up its {seconds} s of CPU time", **v)),
    (re.compile(r"not run: the submission used up its (?P<seconds>[\d.]+) s"),
     lambda **v: t("not run: the submission had used up its {seconds} s", **v)),
    (re.compile(r"not run: the submission used up its (?P<seconds>[\d.]+) s of CPU time"),
     lambda **v: t("not run: the submission had used up its {seconds} s of CPU time", **v)),
]


def raised_words(error: str | None) -> str:
    """The reason for a call that failed (not in time): the sandbox's words, or the exception."""
    if not error:
        return _("failed")
    for pattern, words in _RAISED:
        m = pattern.fullmatch(error)
        if m:
            return words(**m.groupdict())
    return t("raised {error}", error=error)


def stopped_words(error: str | None) -> str:
    """The reason for a call stopped by a time limit."""
    for pattern, words in _STOPPED:
        m = pattern.fullmatch(error or "")
        if m:
            return words(**m.groupdict())
    if error:
        return t("stopped: {error}", error=error)
    return _("stopped: it ran past its time limit")


def text_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for each wide (e.g. Japanese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def field_line(label: str, value: str) -> str:
    """One ``label: value`` line of a failure report, the values in one column whatever the
    labels' language (the grader's feedback and the student copy's messages share it)."""
    return f"  {label}:{' ' * max(1, 9 - text_width(label))}{value}"


def show(value: Any, limit: int = 8) -> str:
    """A short, readable rendering of a value for messages."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (float, np.floating)):
        return _num(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (complex, np.complexfloating)):
        return str(complex(value))
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

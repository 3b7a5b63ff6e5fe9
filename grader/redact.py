"""What a student may read about a hidden test or a failed import: nothing the
submission controls.

The process that runs a submission holds every call's inputs, hidden ones
included, so any text it produces (an exception's message, an exception
class's name, printed output, the repr of a returned object) can carry them.
For hidden tests the feedback therefore shows only the function, the test's
title and the kind of failure in fixed words; an exception is named only when
it is one of Python's built-in exceptions. A failed import is described from
the student's source by the trusted side itself (a syntax error is found by
compiling the source here, never taken from the sandbox's report). Public
tests keep their full messages: their inputs are public anyway.
"""

from __future__ import annotations

import builtins
import re

from grader.verdict import Verdict, _, kind_words, own_import_words, t

BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)

_SYNTAX = ("SyntaxError", "IndentationError", "TabError")

# A failed call's error text, when the harness wrote it, in fixed words (any names dropped),
# in the current language.
_CALL_ERRORS = [
    (re.compile(r"\w+\.py was not submitted"), lambda: _("its module was not submitted")),
    (re.compile(r"module \w+ could not be loaded: .*", re.S), lambda: _("its module could not be loaded (see above)")),
    (re.compile(r"function \w+ is missing"), lambda: _("the function is missing from its module")),
    (re.compile(r"the process died.*", re.S), lambda: _("the process running it died")),
    (re.compile(r"not run: .*", re.S), lambda: _("it was not run (see above)")),
    (re.compile(r"(unreadable result|the results were too large|the submission closed|result could not).*", re.S),
     lambda: _("its result could not be read")),
]


def exception_name(error: str | None) -> str:
    """The exception's class name if it is a built-in one, else a neutral phrase."""
    name = (error or "").split(":", 1)[0].strip()
    if name.startswith("raised "):
        name = name[len("raised "):].split(" ", 1)[0]
    return name if name in BUILTIN_EXCEPTIONS else "an exception of its own class"


def hidden_reason(verdict: Verdict, check: str, error: str | None) -> str:
    """The reason shown for a failed hidden test: the kind of failure in fixed words."""
    if verdict.kind == "error":
        for pattern, words in _CALL_ERRORS:
            if pattern.fullmatch(error or ""):
                return words()
        name = exception_name(error)
        if name in BUILTIN_EXCEPTIONS:
            return t("raised {exception}", exception=name)
        return _("raised an exception of its own class")
    if check == "figure" and verdict.kind == "wrong value":
        return verdict.reason  # the figure checks' own fixed wording, from trusted code
    if check == "figure" and verdict.kind == "wrong type":
        return _("returned something that is not a matplotlib Figure, or a figure that could not be read")
    if verdict.hint:  # fixed advice from trusted code (checks.check_shape), no input in it
        return t("{reason}: {hint}", reason=kind_words(verdict.kind), hint=verdict.hint)
    return kind_words(verdict.kind)


def module_error(module: str, reported: str, source: str | None) -> str:
    """A module's import failure in words the submission cannot choose (in the current language)."""
    own = own_import_words(reported)
    if own is not None:
        return own
    if reported.startswith(_SYNTAX) or "SyntaxError" in reported.split(":", 1)[0]:
        found = syntax_error(module, source)
        if found:
            return found
    name = exception_name(reported)
    if name in BUILTIN_EXCEPTIONS:
        return t("raised {exception} at import (run pytest in your copy to see the message)", exception=name)
    return _("raised an exception of its own class at import (run pytest in your copy to see the message)")


def syntax_error(module: str, source: str | None) -> str | None:
    """The compiler's own description of the first syntax error in ``source``, if any."""
    if source is None:
        return None
    try:
        compile(source, f"{module}.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        msg = exc.msg if isinstance(exc.msg, str) else "invalid syntax"
        return t("{error}: {detail} (line {line})", error=type(exc).__name__, detail=msg[:250], line=exc.lineno)
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return t("{error} while compiling", error=type(exc).__name__)
    return None

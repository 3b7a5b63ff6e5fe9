"""A small vocabulary for declaring a suite's tests as data."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.cases import Call, Test
from grader.i18n import _
from grader.probes import describe
from grader.verdict import show
from grader.wire import Fn


def describe_args(params: list[str], args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    """``y=[1, 2], y_hat=[1, 3]``: the inputs in plain words (a list's or tuple's kind in the
    course's language, as set when the suite is imported)."""
    parts = []
    for name, value in [*zip(params, args, strict=False), *kwargs]:
        if isinstance(value, Fn):
            parts.append(f"{name}={describe(value.name)}")
        else:
            kind = ""
            if isinstance(value, list):
                kind = " " + _("(a list)")
            elif isinstance(value, tuple):
                kind = " " + _("(a tuple)")
            parts.append(f"{name}={show(value, limit=6)}{kind}")
    return ", ".join(parts)


class Function:
    """Declares the tests of one function; each method adds tests and returns its call.

    Every test names, with ``doc=``, the words of the stub's docstring (the function's, or its
    module's) that promise what it checks: an input rule (lists, integers, columns, plain
    numbers), the formula, the form of the result, inputs left unchanged. A hidden test checks
    only what a docstring promises; ``tests/test_docstring_promises.py`` holds every test to it.
    """

    def __init__(self, module: str, name: str, params: str, tests: list[Test]) -> None:
        self.module, self.name = module, name
        self.params = [p.strip() for p in params.split(",") if p.strip()]
        self._tests = tests

    def _call(self, args: tuple[Any, ...], kwargs: dict[str, Any], after: bool = False) -> Call:
        return Call(self.module, self.name, tuple(args), tuple(sorted(kwargs.items())), after)

    def _add(self, label: str, call: Call, check: str, public: bool, doc: str | tuple[str, ...],
             **extra: Any) -> Call:
        what = describe_args(self.params, call.args, call.kwargs)
        name = f"{self.module}.{self.name}: {label}"
        quotes = tuple(doc) if isinstance(doc, tuple) else ((doc,) if doc else ())
        self._tests.append(Test(name, call, check, public, what=what, doc=quotes, **extra))
        return call

    def value(self, label: str, *args: Any, doc: str | tuple[str, ...], public: bool = False,
              rtol: float | None = None, **kwargs: Any) -> Call:
        """The returned numbers match the reference's on these inputs (``rtol`` overrides the course's).

        ``doc``: the docstring's words this test relies on (several: a tuple, each quoted)."""
        return self._add(label, self._call(args, kwargs), "value", public, doc, rtol=rtol)

    def shape(self, label: str, *args: Any, doc: str | tuple[str, ...], public: bool = False,
              **kwargs: Any) -> Call:
        """The result has the reference's shape (or is a single number) on these inputs."""
        return self._add(label, self._call(args, kwargs), "shape", public, doc)

    def unchanged(self, label: str, *args: Any, doc: str | tuple[str, ...], public: bool = False,
                  **kwargs: Any) -> Call:
        """The call leaves its inputs exactly as they were.

        Its data inputs must be NumPy arrays (or numbers): the sandbox shares arrays with
        the trusted zygote, which reads their state after the call itself (see
        grader/sandbox/shared_inputs.py); a list's state could only be reported by the
        submission's own process.
        """
        for value in [*args, *kwargs.values()]:
            if not isinstance(value, (np.ndarray, int, float, Fn)):
                raise TypeError(f"{self.module}.{self.name}: an 'unchanged' test takes arrays and numbers only, "
                                f"not {type(value).__name__}")
        return self._add(label, self._call(args, kwargs, after=True), "unchanged", public, doc)

    def figure(self, label: str, *args: Any, doc: str | tuple[str, ...], public: bool = False,
               **kwargs: Any) -> Call:
        """The drawn figure shows what the reference figure shows (``doc``: as for :meth:`value`)."""
        return self._add(label, self._call(args, kwargs), "figure", public, doc)


class Suite:
    """The tests of one exercise module."""

    def __init__(self, module: str, seed: int) -> None:
        self.module = module
        self.tests: list[Test] = []
        self.rng = np.random.default_rng(seed)

    def function(self, name: str, params: str) -> Function:
        return Function(self.module, name, params, self.tests)

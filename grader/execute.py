"""Load a submission's modules from source text and call its functions.

Used on both sides of the boundary with the same code: inside the sandbox for
untrusted submissions, and in-process for the trusted reference solutions and
the mistake catalogue. Every call gets fresh copies of its inputs, so nothing
one call does can leak into the next.
"""

from __future__ import annotations

import copy
import importlib.abc
import importlib.machinery
import sys
import types
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader import probes, wire
from grader.errors import WireError
from grader.wire import Fn, OutOfBounds

PACKAGE = "exercises"


def _kb(value: Any) -> int:
    """A size cap in KB from untrusted plain data (0 for anything that is not one)."""
    return value if type(value) is int and 0 < value < 2**31 else 0


@dataclass
class Outcome:
    """What one call produced: a value, or an error; optionally its inputs afterwards.

    ``args_after`` is filled only by trusted code: in-process for the reference,
    and by the sandbox's zygote (from memory the submission's child shares with
    it) for a submission. It never crosses from the child, so :meth:`to_plain`
    and :meth:`from_plain` leave it out.
    """

    ok: bool
    value: Any = None
    error: str | None = None
    not_started: bool = False
    timeout: bool = False
    args_after: list[Any] | None = None
    too_large: int = 0  # refused unread, far larger than the reference's answer: the cap in KB (0: not)

    def to_plain(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok}
        if self.ok:
            out["value"] = _ENCODE(self.value)
        if self.error is not None:
            out["error"] = self.error[:500]
        if self.not_started:
            out["not_started"] = True
        if self.timeout:
            out["timeout"] = True
        if self.too_large:
            out["too_large"] = self.too_large
        return out

    @classmethod
    def from_plain(cls, data: Any, max_elements: int = wire.MAX_ELEMENTS) -> Outcome:
        """Rebuild from untrusted plain data: malformed data becomes an error outcome, a value
        past the bounds (``max_elements``, integer range, ...) an unsupported result."""
        try:
            if type(data) is not dict:
                raise WireError("outcome is not an object")
            ok = data.get("ok") is True
            error = data.get("error")
            return cls(
                ok=ok,
                value=_DECODE(data.get("value"), max_elements) if ok else None,
                error=str(error)[:500] if type(error) is str else None,
                not_started=data.get("not_started") is True,
                timeout=data.get("timeout") is True,
                too_large=_kb(data.get("too_large")),
            )
        except OutOfBounds as exc:
            return cls(ok=True, value=wire.Unsupported(f"a result out of bounds: {exc}"))
        except (WireError, ValueError, TypeError, RecursionError, OverflowError) as exc:
            return cls(ok=False, error=f"unreadable result ({str(exc)[:200]})")


# Bound once, at import: the sandbox's child imports this module before any submission
# code, so patching ``grader.wire`` later changes nothing here (and nothing the child
# encodes decides a verdict anyway: see grader/sandbox/zygote.py).
_ENCODE = wire.encode
_DECODE = wire.decode


class _SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``exercises.<name>`` (and the bare ``<name>``) from source text."""

    def __init__(self, sources: dict[str, str], origin: str) -> None:
        self.sources = sources
        self.origin = origin

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname == PACKAGE:
            spec = importlib.machinery.ModuleSpec(fullname, self, is_package=True)
            spec.submodule_search_locations = []
            return spec
        short = fullname[len(PACKAGE) + 1 :] if fullname.startswith(PACKAGE + ".") else fullname
        if short in self.sources:
            spec = importlib.machinery.ModuleSpec(PACKAGE + "." + short, self)
            spec.origin = f"{self.origin}/{short}.py"
            return spec
        return None

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        name = module.__name__
        if name == PACKAGE:
            module.__path__ = []
            return
        short = name[len(PACKAGE) + 1 :]
        sys.modules[short] = module
        code = compile(self.sources[short], f"{self.origin}/{short}.py", "exec")
        exec(code, module.__dict__)  # noqa: S102 - this is the point of the module


def install_sources(sources: dict[str, str], origin: str = "exercises") -> None:
    """Make ``import <name>`` and ``import exercises.<name>`` load the given sources."""
    for name in list(sys.modules):
        if name == PACKAGE or name.startswith(PACKAGE + ".") or name in sources:
            del sys.modules[name]
    sys.meta_path.insert(0, _SourceFinder(sources, origin))


def import_module(name: str) -> types.ModuleType:
    """Import one installed module; the caller catches and reports its errors."""
    import importlib

    return importlib.import_module(f"{PACKAGE}.{name}")


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` in one short line; safe against hostile ``__str__``."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    name = type(exc).__name__ if isinstance(type(exc).__name__, str) else "Exception"
    text = text.strip().splitlines()[0] if text.strip() else ""
    return f"{name}: {text}"[:300] if text else name


def materialise(arg: Any) -> Any:
    """A fresh, private copy of a test input, with probe names turned into callables."""
    kind = type(arg)
    if kind in _ATOMS:
        return arg
    if kind is list and all(type(x) in _ATOMS for x in arg):
        return list(arg)
    if isinstance(arg, Fn):
        return probes.PROBES[arg.name]
    if isinstance(arg, np.ndarray):
        return arg.copy()
    return copy.deepcopy(arg)


_ATOMS = frozenset({int, float, bool, str, complex, type(None)})  # immutable: nothing to copy


def run_call(
    module: types.ModuleType | None,
    function: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    want_args_after: bool = False,
) -> Outcome:
    """Call ``module.function(*args, **kwargs)`` on private copies and capture the outcome."""
    call_args = [materialise(a) for a in args]
    call_kwargs = {k: materialise(v) for k, v in kwargs.items()}
    outcome = call_prepared(module, function, call_args, call_kwargs)
    if want_args_after and outcome.ok:
        outcome.args_after = [a for a in call_args if not callable(a)]
    return outcome


def call_prepared(module: types.ModuleType | None, function: str, call_args: list[Any],
                  call_kwargs: dict[str, Any]) -> Outcome:
    """Call ``module.function`` on arguments that are already the call's own objects."""
    if module is None:
        return Outcome(ok=False, error="module could not be loaded")
    fn = getattr(module, function, None)
    if not callable(fn):
        return Outcome(ok=False, error=f"function {function} is missing")
    try:
        value = fn(*call_args, **call_kwargs)
    except NotImplementedError:
        return Outcome(ok=False, not_started=True, error="NotImplementedError")
    except RecursionError:
        return Outcome(ok=False, error="RecursionError: maximum recursion depth exceeded")
    except MemoryError:
        return Outcome(ok=False, error="MemoryError: the memory limit was reached")
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are results too
        return Outcome(ok=False, error=describe_exception(exc))
    return Outcome(ok=True, value=value)

"""Sandboxed execution of untrusted submissions.

Public API: :class:`SandboxPool` (warm zygotes grading submissions against a
plan), :class:`RawResult` (one submission's validated results),
:class:`Limits` and :class:`SandboxError`. The pool is imported lazily so that
the zygote (``python -m grader.sandbox.zygote``) loads only what it needs.

``GRADER_SANDBOX=rlimits`` forces the fallback without namespaces (a separate
process with rlimits only); ``GRADER_SANDBOX_LOG=<file>`` collects the
zygotes' stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.sandbox.limits import Limits

if TYPE_CHECKING:
    from grader.sandbox.pool import RawResult, SandboxError, SandboxPool

__all__ = ["Limits", "RawResult", "SandboxError", "SandboxPool"]


def __getattr__(name: str) -> Any:
    if name in ("RawResult", "SandboxError", "SandboxPool"):
        from grader.sandbox import pool

        return getattr(pool, name)
    raise AttributeError(f"module 'grader.sandbox' has no attribute {name!r}")

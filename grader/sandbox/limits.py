"""Per-submission resource limits enforced by the sandbox."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Limits for one submission; defaults match course.yml's.

    ``wall_seconds`` bounds the whole submission, ``call_seconds`` one call (and
    one module import), ``cpu_seconds`` the CPU time of all the submission's
    processes, ``processes`` how many it may have alive (itself included),
    ``output_kb`` how much of its stdout + stderr is kept, ``scratch_mb`` the size
    of its private scratch directory.
    """

    wall_seconds: float = 20.0
    call_seconds: float = 3.0
    cpu_seconds: float = 10.0
    memory_mb: int = 512
    processes: int = 4
    output_kb: int = 256
    scratch_mb: int = 32

    def to_plain(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_plain(cls, data: Any) -> Limits:
        """Rebuild from plain data, refusing anything that is not a positive number."""
        if type(data) is not dict:
            raise ValueError("limits must be an object")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            kind = float if f.type in (float, "float") else int
            if type(v) not in (int, float) or not math.isfinite(v) or v <= 0:
                raise ValueError(f"limit {f.name} must be a positive number")
            values[f.name] = kind(v)
        return cls(**values)

"""Inputs whose state after a call the zygote reads itself.

Whether a function left its inputs unchanged is an integrity fact, so it must
not be reported by the process that runs the submission: code there can patch
any helper or walk the stack to the caller's variables. Instead, for every call
the plan checks for this, its NumPy array arguments live in one anonymous
shared mapping made fresh for each submission by the zygote. The child hands
the function writable views on that memory; when the call's result line
arrives, the zygote (which runs no submission code) reads the bytes back and
encodes them with its own encoder. A submission can change that memory only by
writing to its inputs, which is exactly what the check looks for.

Only NumPy arrays can be shared this way; the suites therefore declare
``unchanged`` tests with array (and scalar) inputs only, and any other mutable
argument of such a call is reported as "could not be inspected" (a failure).
"""

from __future__ import annotations

import mmap
from typing import Any

import numpy as np

from grader import wire

ALIGN = 64


class SharedInputs:
    """The layout of the shared arguments of a plan, and one submission's mapping."""

    def __init__(self, plan: list[tuple[str, str, tuple[Any, ...], dict[str, Any], bool]]) -> None:
        # call index -> [(argument position, offset, dtype, shape)]
        self.layout: dict[int, list[tuple[int, int, np.dtype, tuple[int, ...]]]] = {}
        image = bytearray()
        for i, (_m, _f, args, _kw, after) in enumerate(plan):
            if not after:
                continue
            slots = []
            for j, a in enumerate(args):
                if type(a) is np.ndarray and a.dtype.kind in "biuf":
                    offset = -len(image) % ALIGN + len(image)
                    image.extend(b"\0" * (offset - len(image)))
                    image.extend(np.ascontiguousarray(a).tobytes())
                    slots.append((j, offset, a.dtype, tuple(a.shape)))
            self.layout[i] = slots
        self.image = bytes(image)
        self.args = {i: plan[i][2] for i in self.layout}
        self.memory: mmap.mmap | None = None

    def open(self) -> None:
        """A fresh mapping for one submission, holding the original inputs."""
        self.close()
        if self.layout:
            self.memory = mmap.mmap(-1, max(len(self.image), 1))
            self.memory[: len(self.image)] = self.image

    def close(self) -> None:
        if self.memory is not None:
            try:
                self.memory.close()
            except BufferError:  # a view is still held (only ever in a child): let it go
                pass
            self.memory = None

    def shared(self, i: int) -> bool:
        return i in self.layout and self.memory is not None

    # -- in the child

    def call_args(self, i: int, materialise: Any) -> list[Any]:
        """Call ``i``'s positional arguments: views on the shared memory for its arrays."""
        assert self.memory is not None
        args = [materialise(a) for a in self.args[i]]
        for j, offset, dtype, shape in self.layout[i]:
            count = int(np.prod(shape, dtype=np.int64))
            args[j] = np.frombuffer(self.memory, dtype=dtype, count=count, offset=offset).reshape(shape)
        return args

    # -- in the zygote

    def after(self, i: int) -> list[Any]:
        """Plain data of call ``i``'s positional inputs as they are now, read from the mapping.

        Callables (probe functions) are left out, as in-process; arguments that
        cannot be shared (lists, say) become ``$unsupported``, so they never pass.
        """
        assert self.memory is not None
        shared = {j: (offset, dtype, shape) for j, offset, dtype, shape in self.layout[i]}
        out = []
        for j, a in enumerate(self.args[i]):
            if isinstance(a, wire.Fn):
                continue
            if j in shared:
                offset, dtype, shape = shared[j]
                raw = self.memory[offset: offset + dtype.itemsize * int(np.prod(shape, dtype=np.int64))]
                out.append(wire.encode(np.frombuffer(raw, dtype=dtype).reshape(shape)))
            elif type(a) in (int, float, bool, str, complex, type(None)):
                out.append(wire.encode(a))
            else:
                out.append({"$unsupported": "an input the sandbox cannot inspect"})
        return out

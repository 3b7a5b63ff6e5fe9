"""Progress while grading: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self.start = time.monotonic()
        self._last = 0.0

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        if not self.tty:
            print(f"[{self.done}/{self.total}] {label}", file=self.stream, flush=True)
            return
        now = time.monotonic()
        if now - self._last < 0.05 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / max(1, self.total))
        rate = self.done / max(1e-9, now - self.start)
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r{bar} {self.done}/{self.total}  {rate:5.0f}/s  {label[:30]:<30}")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

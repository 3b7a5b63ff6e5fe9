"""The trusted side of the sandbox: a pool of warm zygote processes.

``SandboxPool(plan, limits, jobs)`` starts ``jobs`` zygotes (``python -m
grader.sandbox.zygote``), sends each the plan once, and then grades
submissions on whichever zygote is free: :meth:`SandboxPool.run` for one,
:meth:`SandboxPool.map` for many in parallel. Everything a zygote sends back
is validated here (``Outcome.from_plain``); a zygote that dies, hangs or talks
nonsense is killed and restarted, and the submission it was grading gets an
error :class:`RawResult`, never an exception.

``GRADER_SANDBOX=rlimits`` (see :mod:`grader.sandbox.namespaces`) is passed
through to the zygotes; ``GRADER_SANDBOX_LOG=<file>`` appends their stderr to
that file, for debugging.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from grader import wire
from grader.execute import Outcome
from grader.sandbox.limits import Limits
from grader.sandbox.zygote import DEFAULT_CAP, MAX_MESSAGE, project_root, read_message

if TYPE_CHECKING:
    from grader.cases import Call

K = TypeVar("K")

LIMIT_NAMES = ("wall time", "call time", "cpu time", "memory", "processes", "output")
START_SECONDS = 120.0  # a first matplotlib preload may build its font cache

# How much larger than the reference's answer a submission's may be before it is
# refused unread (by the zygote, in bytes) or undecoded (here, in elements): the
# trusted side's cost per student stays a few times the reference's own size.
SIZE_FACTOR = 8
MIN_CAP_BYTES = 16 << 10
MIN_ELEMENTS = 4096
FIGURE_CAP_BYTES = 256 << 10
FIGURE_ELEMENTS = 1 << 16


@dataclass(frozen=True)
class Bounds:
    """Per call: the bytes its result line may have, and the elements its value may hold."""

    cap_bytes: int = DEFAULT_CAP
    max_elements: int = wire.MAX_ELEMENTS

    @classmethod
    def of(cls, reference: Outcome) -> Bounds:
        """Bounds sized from the reference's answer to the same call."""
        plain = wire.encode(reference.value)
        size = len(json.dumps(plain, separators=(",", ":")))
        elements = wire.element_count(plain)
        if isinstance(reference.value, wire.FigureSummary):  # plan.run_calls summarised the reference's figure
            return cls(max(FIGURE_CAP_BYTES, SIZE_FACTOR * size), max(FIGURE_ELEMENTS, SIZE_FACTOR * elements))
        return cls(max(MIN_CAP_BYTES, SIZE_FACTOR * size), max(MIN_ELEMENTS, SIZE_FACTOR * elements))


class SandboxError(RuntimeError):
    """The sandbox could not start at all (no zygote came up)."""


@dataclass
class RawResult:
    """What one submission produced, as validated plain data (one outcome per plan call)."""

    outcomes: list[Outcome]
    module_errors: dict[str, str] = field(default_factory=dict)
    stdout: str = ""
    limits_hit: list[str] = field(default_factory=list)
    cpu_ms: float = 0.0
    wall_ms: float = 0.0

    @classmethod
    def failure(cls, n_calls: int, error: str, *, timeout: bool = False,
                limits_hit: Iterable[str] = (), wall_ms: float = 0.0) -> RawResult:
        """Every call failed with the same ``error`` (the sandbox itself gave up)."""
        return cls([Outcome(ok=False, error=error, timeout=timeout) for _ in range(n_calls)],
                   limits_hit=list(limits_hit), wall_ms=wall_ms)


def _number(value: Any) -> float:
    return float(value) if type(value) in (int, float) and math.isfinite(value) and value >= 0 else 0.0


def parse_reply(data: Any, n_calls: int, limits: Limits,
                known: Sequence[tuple[Any, Outcome, Any]] | None = None,
                bounds: Sequence[Bounds] | None = None, after: frozenset[int] = frozenset()) -> RawResult:
    """Validate a zygote's reply (untrusted plain data) into a :class:`RawResult`.

    ``known`` holds, per call, the plain data of an expected outcome, its decoded
    form and the plain data of its inputs afterwards: an outcome equal to it is not
    decoded again (most outcomes of a mostly-right class are exactly the reference's).
    ``bounds`` caps each call's decoded size; ``after`` names the calls whose
    inputs' state after the call the zygote read (``inputs_after``).
    """
    if type(data) is not dict or type(data.get("outcomes")) is not list:
        error = data.get("error") if type(data) is dict else None
        return RawResult.failure(n_calls, f"the sandbox refused the submission ({str(error)[:200]})")
    raw = data["outcomes"][:n_calls]
    inputs_after = data.get("inputs_after") if after else None
    inputs_after = inputs_after if type(inputs_after) is dict else {}
    outcomes = []
    for i, o in enumerate(raw):
        if known is not None and o == known[i][0] and (
                i not in after or inputs_after.get(str(i)) == known[i][2]):
            outcomes.append(known[i][1])  # the reference's outcome, inputs afterwards included
            continue
        out = Outcome.from_plain(o, bounds[i].max_elements if bounds else wire.MAX_ELEMENTS)
        if i in after:
            out = _with_inputs_after(out, inputs_after.get(str(i)))
        outcomes.append(out)
    outcomes += [Outcome(ok=False, error="no result") for _ in range(n_calls - len(outcomes))]
    errors = data.get("module_errors")
    module_errors = {
        k[:100]: v[:300] for k, v in (errors.items() if type(errors) is dict else ())
        if type(k) is str and type(v) is str
    }
    stdout = data.get("stdout")
    stdout = stdout[: (limits.output_kb << 10) + 40] if type(stdout) is str else ""
    hit = data.get("limits_hit")
    hit_set = {h for h in hit if type(h) is str} if type(hit) is list else set()
    return RawResult(
        outcomes=outcomes,
        module_errors=dict(list(module_errors.items())[:100]),
        stdout=stdout,
        limits_hit=[name for name in LIMIT_NAMES if name in hit_set],
        cpu_ms=_number(data.get("cpu_ms")),
        wall_ms=_number(data.get("wall_ms")),
    )


def _with_inputs_after(outcome: Outcome, plain: Any) -> Outcome:
    """A copy of ``outcome`` (it may be a shared reference outcome) with the inputs'
    state after the call as the zygote read it; None when it could not be read."""
    args_after = None
    if type(plain) is list and len(plain) <= 16:
        try:
            args_after = [wire.decode(a, wire.MAX_ELEMENTS) for a in plain]
        except (ValueError, TypeError, RecursionError, OverflowError):
            args_after = None
    return replace(outcome, args_after=args_after)


def _environment() -> dict[str, str]:
    """The clean environment a zygote starts with."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": project_root(),
        "PYTHONSAFEPATH": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUTF8": "1",
        "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }
    for name in ("HOME", "MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GRADER_SANDBOX"):
        if name in os.environ:
            env[name] = os.environ[name]  # HOME & co.: matplotlib finds its font cache
    return env


def _write_all(fd: int, data: bytes, deadline: float) -> None:
    """Write everything to a non-blocking pipe, or raise TimeoutError at ``deadline``."""
    view = memoryview(data)
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    while view:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(left * 1000):
            raise TimeoutError("the sandbox worker does not read")
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            pass


def _frame(obj: Any) -> bytes:
    data = json.dumps(obj, separators=(",", ":")).encode()
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too large")
    return struct.pack(">I", len(data)) + data


class _Worker:
    """One zygote process and its two pipes; used by one thread at a time."""

    def __init__(self, start_frame: bytes, known: Sequence[tuple[Any, Outcome, Any]] | None = None,
                 bounds: Sequence[Bounds] | None = None, after: frozenset[int] = frozenset()) -> None:
        self._start_frame = start_frame
        self.known, self.bounds, self.after = known, bounds, after
        # The largest reply a zygote may send: every call at its cap, the output and its escapes.
        self.max_reply = min(MAX_MESSAGE, sum(b.cap_bytes + 256 for b in bounds) + (8 << 20)) if bounds else MAX_MESSAGE
        self.proc: subprocess.Popen[bytes] | None = None
        self.to_fd = self.from_fd = -1
        self.warnings: list[str] = []

    def launch(self) -> None:
        """Start the process and send it the plan; :meth:`wait_ready` completes the start."""
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        log_path = os.environ.get("GRADER_SANDBOX_LOG")
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "grader.sandbox.zygote", str(to_r), str(from_w)],
                pass_fds=(to_r, from_w), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=_environment(), cwd="/", start_new_session=True,
            )
        finally:
            os.close(to_r)
            os.close(from_w)
            if log_path:
                log.close()  # type: ignore[union-attr]
        self.to_fd, self.from_fd = to_w, from_r
        os.set_blocking(to_w, False)
        try:
            fcntl.fcntl(to_w, fcntl.F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        _write_all(self.to_fd, self._start_frame, time.monotonic() + START_SECONDS)

    def wait_ready(self, deadline: float) -> None:
        reply = read_message(self.from_fd, deadline)
        if type(reply) is not dict or reply.get("ready") is not True:
            raise ValueError("unexpected start-up reply")
        warnings = reply.get("warnings")
        self.warnings = [str(w)[:300] for w in warnings] if type(warnings) is list else []

    def start(self) -> None:
        self.launch()
        try:
            self.wait_ready(time.monotonic() + START_SECONDS)
        except BaseException:
            self.stop()
            raise

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 0.0) -> None:
        """End the zygote (and with it everything in its namespaces)."""
        for fd in (self.to_fd, self.from_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.to_fd = self.from_fd = -1
        if self.proc is not None:
            try:
                self.proc.wait(grace)  # closing its input asks it to exit
            except subprocess.TimeoutExpired:
                pass
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def grade(self, sources: dict[str, str], n_calls: int, limits: Limits) -> RawResult:
        started = time.monotonic()
        if not self.alive():
            self.stop()
            try:
                self.start()
            except (OSError, EOFError, TimeoutError, ValueError) as exc:
                return RawResult.failure(n_calls, f"the sandbox could not start ({exc})")
        try:
            _write_all(self.to_fd, _frame({"sources": sources}), started + 10)
            reply = read_message(self.from_fd, started + limits.wall_seconds * 1.5 + 10,
                                 max_bytes=self.max_reply)
        except (OSError, EOFError, TimeoutError, ValueError, struct.error, RecursionError) as exc:
            self.stop()
            wall_ms = (time.monotonic() - started) * 1000
            if isinstance(exc, TimeoutError):
                return RawResult.failure(n_calls, "stopped: the sandbox did not answer in time",
                                         timeout=True, limits_hit=["wall time"], wall_ms=wall_ms)
            return RawResult.failure(n_calls, f"the sandbox worker failed ({type(exc).__name__}: {exc})",
                                     wall_ms=wall_ms)
        return parse_reply(reply, n_calls, limits, self.known, self.bounds, self.after)


def _shutdown(workers: list[_Worker]) -> None:
    for w in workers:
        w.stop(grace=1.0)


class SandboxPool:
    """Warm zygotes grading submissions against one plan; thread-safe.

    ``warnings`` lists, one plain line each, the isolation means that were not
    available (empty when fully isolated); the CLI should print them loudly.
    """

    def __init__(self, plan: list[Call], limits: Limits | None = None, jobs: int = 2,
                 preload: tuple[str, ...] = (), known: Sequence[Outcome] | None = None) -> None:
        self.plan = list(plan)
        self.limits = limits or Limits()
        # Outcomes most submissions will reproduce exactly (the reference's), kept with
        # their plain form so equal replies skip decoding; never sent to the sandbox.
        # Only each call's size bounds, derived from them, are (as the zygote's byte caps).
        known_pairs = [(o.to_plain(), o, [wire.encode(a) for a in o.args_after or ()]) for o in known] \
            if known is not None else None
        bounds = [Bounds.of(o) for o in known] if known is not None else None
        after = frozenset(i for i, c in enumerate(self.plan) if c.args_after)
        start = {
            "plan": [c.to_plain() for c in self.plan],
            "limits": self.limits.to_plain(),
            "preload": list(preload),
            "caps": [b.cap_bytes for b in bounds] if bounds else None,
        }
        frame = _frame(start)
        self._workers = [_Worker(frame, known_pairs, bounds, after) for _ in range(max(1, jobs))]
        self._finalizer = weakref.finalize(self, _shutdown, self._workers)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        failures: list[str] = []
        for w in self._workers:
            w.launch()
        deadline = time.monotonic() + START_SECONDS
        for w in self._workers:
            try:
                w.wait_ready(deadline)
            except (OSError, EOFError, TimeoutError, ValueError) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                w.stop()
            self._idle.put(w)
        if len(failures) == len(self._workers):
            self.close()
            raise SandboxError(f"no sandbox worker could start ({failures[0]})")
        self.warnings: list[str] = list(dict.fromkeys(x for w in self._workers for x in w.warnings))

    def run(self, sources: dict[str, str]) -> RawResult:
        """Grade one submission (module name -> source text) on any free zygote."""
        if self._closed:
            raise RuntimeError("the sandbox pool is closed")
        worker = self._idle.get()
        try:
            return worker.grade(dict(sources), len(self.plan), self.limits)
        except Exception as exc:  # noqa: BLE001 - a batch must never stop on one submission
            worker.stop()
            return RawResult.failure(len(self.plan), f"internal sandbox error ({type(exc).__name__}: {exc})")
        finally:
            self._idle.put(worker)

    def map(self, items: Iterable[tuple[K, dict[str, str]]]) -> Iterator[tuple[K, RawResult]]:
        """Grade many submissions in parallel on all zygotes; yields in completion order."""
        it = iter(items)
        with ThreadPoolExecutor(max_workers=len(self._workers), thread_name_prefix="sandbox") as ex:
            pending: dict[Future[RawResult], K] = {}

            def submit_next() -> None:
                for key, sources in it:
                    pending[ex.submit(self.run, sources)] = key
                    return

            for _ in range(2 * len(self._workers)):
                submit_next()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    key = pending.pop(fut)
                    submit_next()
                    yield key, fut.result()

    def close(self) -> None:
        """Stop every zygote (each removes its own temporary files)."""
        with self._lock:
            self._closed = True
        self._finalizer()

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

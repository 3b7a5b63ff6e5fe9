"""The warm worker: ``python -m grader.sandbox.zygote <read-fd> <write-fd>``.

Started by :class:`grader.sandbox.pool.SandboxPool` with a clean environment.
It imports only NumPy and the plain-data modules (``grader.wire``,
``grader.execute``, ``grader.probes``), never the solutions, the suites or any
expected value; receives the plan once; sets up isolation once
(:mod:`grader.sandbox.namespaces`); then loops: receive a submission, fork a
child per submission, read one result line per module and per call under
deadlines, kill everything the submission left, empty the scratch dir, reply.

A call that hangs or kills its process costs only that call: the zygote
records it, kills everything and forks a fresh child that re-imports the
modules and continues with the next call. A function that hung or crashed
twice is not run again in that submission (so one bad function cannot use
up the wall time of the good ones).

Messages with the pool are 4-byte big-endian lengths followed by JSON.
The zygote is single-threaded: it forks.
"""

from __future__ import annotations

import fcntl
import gc
import io
import json
import math
import os
import resource
import select
import shutil
import signal
import stat
import struct
import sys
import tempfile
import time
from typing import Any
from warnings import catch_warnings, simplefilter

import numpy as np  # imported once here so every child has it warm

from grader import execute, wire
from grader.sandbox import namespaces, seccomp
from grader.sandbox.limits import Limits
from grader.sandbox.shared_inputs import SharedInputs
from grader.wire import decode

MAX_MESSAGE = 64 << 20  # bytes in one framed message, either way
MAX_CHILD_BYTES = 48 << 20  # result bytes one submission may send, at most
DEFAULT_CAP = 1 << 20  # bytes of one call's result line when the pool sets no cap
IMPORT_LINE_CAP = 4096  # bytes of one module's import line
MAX_RESTARTS = 32  # fresh children per submission after hangs and crashes
STRIKES = 2  # hangs/crashes after which a function's remaining calls are not run
BATCH_SECONDS = 0.002  # pause after a wake-up so that result lines arrive in batches
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
CHILD_GC_THRESHOLD = 20_000  # a child's first gc threshold (CPython's default is 700)

PlanCall = tuple[str, str, tuple[Any, ...], dict[str, Any], bool]


# -- framing (shared with the pool) ---------------------------------------------------


def write_message(fd: int, obj: Any) -> None:
    """Send one length-prefixed JSON message."""
    write_frame(fd, json.dumps(obj, separators=(",", ":")).encode())


def write_frame(fd: int, data: bytes) -> None:
    """Send already encoded JSON as one length-prefixed message."""
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too large")
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def read_exactly(fd: int, n: int, deadline: float | None = None) -> bytes:
    """Read ``n`` bytes, raising EOFError at end of file and TimeoutError past ``deadline``."""
    chunks, got = [], 0
    while got < n:
        if deadline is not None and not _wait_readable(fd, deadline - time.monotonic()):
            raise TimeoutError("no answer in time")
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _wait_readable(fd: int, seconds: float) -> bool:
    """Whether ``fd`` has data (or end of file) within ``seconds``; poll works for any fd number."""
    if seconds <= 0:
        return False
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(seconds * 1000))


def read_message(fd: int, deadline: float | None = None, max_bytes: int = MAX_MESSAGE) -> Any:
    """Receive one length-prefixed JSON message (ValueError if malformed or too big)."""
    (n,) = struct.unpack(">I", read_exactly(fd, 4, deadline))
    if n > max_bytes:
        raise ValueError(f"message of {n} bytes is too large")
    return loads(read_exactly(fd, n, deadline))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not plain data")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def loads(data: bytes) -> Any:
    """``json.loads(data, parse_constant=_no_constant)``, without building a new decoder (and
    its scanner) for every call: the zygote checks about 150 result lines per submission."""
    return _DECODER.decode(data.decode(json.detect_encoding(data), "surrogatepass"))


# -- inside the submission's child process --------------------------------------------


class _CappedOutput(io.TextIOBase):
    """stdout/stderr of a submission: writes through to ``fd`` until the shared budget
    is spent, then silently discards, so a flood never fails the code that prints."""

    def __init__(self, fd: int, budget: list[int]) -> None:
        self._fd, self._budget = fd, budget
        self.buffer = _CappedBytes(fd, budget)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self.buffer.write(s.encode("utf-8", "backslashreplace"))
        return len(s)


class _CappedBytes(io.RawIOBase):
    def __init__(self, fd: int, budget: list[int]) -> None:
        self._fd, self._budget = fd, budget

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        room = self._budget[0]
        if room > 0:
            chunk = memoryview(data[:room])
            self._budget[0] -= len(chunk)
            try:
                while chunk:
                    chunk = chunk[os.write(self._fd, chunk):]
            except OSError:
                self._budget[0] = 0
        return len(data)


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a resource limit, never above the hard limit already in place."""
    hard = soft if hard is None else hard
    try:
        _, current = resource.getrlimit(which)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


def describe_import_error(exc: BaseException, name: str) -> str:
    """One plain line: ``SyntaxError: invalid syntax (line 3)`` or ``raised X at import: ...``."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}"
        filename = exc.filename if isinstance(exc.filename, str) else ""
        if filename and not filename.endswith(f"/{name}.py"):
            where = f"{os.path.basename(filename)}, {where}"
        msg = exc.msg if isinstance(exc.msg, str) else "invalid syntax"
        return f"{type(exc).__name__}: {msg} ({where})"[:300]
    kind, _, text = execute.describe_exception(exc).partition(": ")
    return f"raised {kind} at import" + (f": {text}" if text else "")


class _Child:
    """Everything the child process does; it never returns into the zygote's loop."""

    def __init__(self, result_fd: int) -> None:
        self.fd = result_fd
        self.pid = os.getpid()
        self.dumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode

    def send(self, obj: dict[str, Any]) -> None:
        if os.getpid() != self.pid:  # a fork of ours came back into the harness: end it
            os._exit(0)
        try:
            line = self.dumps(obj)
        except Exception as exc:  # noqa: BLE001 - a patched encoder, or an unencodable value
            line = self.dumps({k: v for k, v in obj.items() if k != "o"}
                              | {"o": {"ok": False, "error": f"result could not be encoded ({type(exc).__name__})"}})
        view = memoryview(line.encode() + b"\n")
        while view:
            view = view[os.write(self.fd, view):]

    def run(self, z: Zygote, sources: dict[str, str], todo: list[int], skip: dict[str, str],
            out_fd: int, memory_bytes: int, cpu_left: float, nproc: int) -> None:
        lim = z.limits
        os.setpgid(0, 0)
        if not z.iso.pid_namespace:
            try:
                namespaces.parent_death_signal(signal.SIGKILL)
            except OSError:
                pass
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full output file fails writes, kills nothing
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        os.closerange(3, self.fd)
        os.closerange(self.fd + 1, 1 << 20)
        os.chdir(z.iso.scratch)
        os.environ.update(HOME=z.iso.scratch, TMPDIR=z.iso.scratch)
        tempfile.tempdir = z.iso.scratch
        _set_limit(resource.RLIMIT_CORE, 0)
        _set_limit(resource.RLIMIT_FSIZE, max(lim.output_kb << 10, lim.scratch_mb << 20) + 1)
        cpu = max(1, math.ceil(cpu_left))
        _set_limit(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU first, SIGKILL a second later
        _set_limit(resource.RLIMIT_NOFILE, 256)
        _set_limit(resource.RLIMIT_MSGQUEUE, 0)
        _set_limit(resource.RLIMIT_NPROC, nproc)
        _set_limit(resource.RLIMIT_AS, memory_bytes)
        try:  # before any submission code: no keyrings, IPC, nested namespaces, ptrace, ...
            seccomp.install()
        except OSError:
            pass  # the worker warned at start
        # The zygote froze its heap before the fork (gc.freeze), so a collection here walks only
        # this child's own objects; a higher first threshold means a short-lived child rarely
        # collects at all (8 figures' worth of matplotlib objects: none instead of about 20),
        # while a submission that makes cyclic garbage in a loop is still collected every
        # CHILD_GC_THRESHOLD new objects (a few MB), far below the memory limit.
        gc.set_threshold(CHILD_GC_THRESHOLD, *gc.get_threshold()[1:])
        budget = [(lim.output_kb << 10) + 1]  # one byte past the cap tells the zygote it was cut
        sys.stdout = _CappedOutput(1, budget)
        sys.stderr = _CappedOutput(2, budget)
        sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr  # type: ignore[misc,assignment]

        # Everything the harness needs is bound here, before any submission code runs;
        # the grader's own modules then leave sys.modules, so `import grader...` finds
        # nothing (or, without the private root, a fresh copy the harness never uses).
        run_call, call_prepared, materialise = execute.run_call, execute.call_prepared, execute.materialise
        Outcome, import_module = execute.Outcome, execute.import_module
        shared = z.shared
        execute.install_sources(sources)
        for name in [n for n in sys.modules if n == "grader" or n.startswith("grader.")]:
            del sys.modules[name]
        modules: dict[str, Any] = {}
        errors = dict(skip)
        for name in z.plan_modules:  # the student's own helper modules load when imported
            if name not in sources or name in skip:
                continue
            try:
                modules[name] = import_module(name)
            except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a module error too
                errors[name] = describe_import_error(exc, name)
            self.send({"m": name, "e": errors.get(name)})
        for i in todo:
            module, function, args, kwargs, after = z.plan[i]
            if module not in sources:
                outcome = Outcome(ok=False, error=f"{module}.py was not submitted")
            elif module in errors:
                outcome = Outcome(ok=False, error=f"module {module} could not be loaded: {errors[module]}")
            elif shared.shared(i):  # its inputs' state afterwards is read by the zygote
                outcome = call_prepared(modules[module], function, shared.call_args(i, materialise),
                                        {k: materialise(v) for k, v in kwargs.items()})
            else:
                outcome = run_call(modules[module], function, args, kwargs)
            try:
                plain = outcome.to_plain()
            except Exception as exc:  # noqa: BLE001
                plain = {"ok": False, "error": f"result could not be encoded ({type(exc).__name__})"}
            self.send({"i": i, "o": plain})


# -- the zygote ---------------------------------------------------------------------------


def _fail(error: str, *, timeout: bool = False) -> bytes:
    """A failed outcome as JSON (outcomes are kept as the bytes that go to the pool)."""
    return json.dumps({"ok": False, "error": error, **({"timeout": True} if timeout else {})}).encode()


def _how_it_died(status: int | None) -> str:
    if status is None:
        return "the process died"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return f"the process died (killed by {name})"
    return f"the process died (it exited with code {os.WEXITSTATUS(status)})"


class _Submission:
    """Book-keeping for one submission across its child processes."""

    def __init__(self, z: Zygote, sources: dict[str, str]) -> None:
        self.sources = sources
        self.start = time.monotonic()
        self.wall_deadline = self.start + z.limits.wall_seconds
        self.cpu0 = _children_cpu()
        self.outcomes: list[bytes | None] = [None] * len(z.plan)  # validated JSON of each outcome
        self.module_errors: dict[str, str] = {}
        self.skip: dict[str, str] = {}  # modules not to import again
        self.imported: set[str] = set()
        self.limits_hit: set[str] = set()
        self.strikes: dict[str, int] = {}
        self.received = 0
        self.inputs_after: dict[str, list[Any]] = {}  # read by the zygote from shared memory

    def cpu_used(self) -> float:
        return _children_cpu() - self.cpu0

    def note_error(self, text: Any) -> None:
        if not isinstance(text, str):
            return
        if text.startswith("MemoryError") or "raised MemoryError" in text:
            self.limits_hit.add("memory")
        if "BlockingIOError" in text or "Resource temporarily unavailable" in text:
            self.limits_hit.add("processes")


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class Zygote:
    """The warm worker's state: plan, limits and the isolation in effect."""

    def __init__(self, plan: list[PlanCall], limits: Limits, iso: namespaces.Isolation,
                 caps: list[int] | None = None) -> None:
        self.plan = plan
        self.limits = limits
        self.iso = iso
        self.qualnames = [f"{m}.{f}" for m, f, *_ in plan]
        self.plan_modules = list(dict.fromkeys(m for m, *_ in plan))
        self.broken = False  # set when the scratch dir could not be emptied: exit after replying
        self.scratch_mode = stat.S_IMODE(os.stat(iso.scratch).st_mode)
        self.caps = caps if caps is not None and len(caps) == len(plan) else [DEFAULT_CAP] * len(plan)
        self.shared = SharedInputs(plan)

    # -- one submission

    def grade(self, sources: dict[str, str]) -> bytes:
        """Grade one submission; the reply message, encoded."""
        sub = _Submission(self, sources)
        lim = self.limits
        for m in self.plan_modules:
            if m not in sources:
                sub.module_errors[m] = "not submitted"
        out_fd = self._output_file()
        self.shared.open()
        restarts = 0
        try:
            while True:
                self._skip_struck(sub)
                todo = [i for i, o in enumerate(sub.outcomes) if o is None]
                pending_imports = [m for m in self.plan_modules
                                   if m in sources and m not in sub.skip and m not in sub.imported]
                if not todo and (restarts or not pending_imports):
                    break
                reason = None
                if time.monotonic() >= sub.wall_deadline:
                    sub.limits_hit.add("wall time")
                    reason = _fail(f"not run: the submission used up its {lim.wall_seconds:g} s", timeout=True)
                elif sub.cpu_used() >= lim.cpu_seconds - 0.01:
                    sub.limits_hit.add("cpu time")
                    reason = _fail(f"not run: the submission used up its {lim.cpu_seconds:g} s of CPU time",
                                   timeout=True)
                elif restarts > MAX_RESTARTS:
                    reason = _fail("not run: the submission's process died too many times")
                if reason is not None:
                    for i in todo:
                        sub.outcomes[i] = reason
                    break
                self._attempt(sub, todo, out_fd)
                restarts += 1
        finally:
            self._kill_all()
            self.shared.close()
            stdout = self._read_output(out_fd, sub)
            os.close(out_fd)
            self._empty_scratch()
        if sub.cpu_used() >= lim.cpu_seconds:  # helper processes count once reaped
            sub.limits_hit.add("cpu time")
        rest = json.dumps({
            "module_errors": sub.module_errors,
            "inputs_after": sub.inputs_after,
            "stdout": stdout,
            "limits_hit": sorted(sub.limits_hit),
            "cpu_ms": round(sub.cpu_used() * 1000, 3),
            "wall_ms": round((time.monotonic() - sub.start) * 1000, 3),
        }, separators=(",", ":")).encode()
        outcomes = b",".join(o or _fail("no result") for o in sub.outcomes)
        return b'{"outcomes":[' + outcomes + b"]," + rest[1:]

    def _skip_struck(self, sub: _Submission) -> None:
        for i, o in enumerate(sub.outcomes):
            name = self.qualnames[i]
            if o is None and sub.strikes.get(name, 0) >= STRIKES:
                sub.outcomes[i] = _fail(f"not run: {name} already failed to finish {STRIKES} times",
                                        timeout=True)

    def _attempt(self, sub: _Submission, todo: list[int], out_fd: int) -> None:
        """Fork one child for the calls in ``todo`` and read its results under deadlines."""
        lim = self.limits
        imports = [m for m in self.plan_modules if m in sub.sources and m not in sub.skip]
        expected: list[tuple[str, Any]] = [("m", m) for m in imports] + [("i", i) for i in todo]
        memory = self._address_space() + (lim.memory_mb << 20)
        cpu_left = lim.cpu_seconds - sub.cpu_used()
        nproc = lim.processes + (self.iso.extra_processes if self.iso.pid_namespace
                                 else _processes_of(os.getuid()))
        r, w = os.pipe()
        try:
            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 1 << 20)  # the child rarely waits for us
        except (OSError, AttributeError):
            pass
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.close(r)
                _Child(w).run(self, sub.sources, todo, sub.skip, out_fd, memory, cpu_left, nproc)
            except BaseException:  # noqa: BLE001 - the harness itself failed: say so in the output
                code = 70
                try:
                    import traceback

                    os.write(2, traceback.format_exc()[-2000:].encode())
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(code)
        os.close(w)
        pos, buf, scanned, ended, status = 0, bytearray(), 0, "done", None
        last = time.monotonic()
        try:
            while pos < len(expected):
                deadline = min(last + lim.call_seconds, sub.wall_deadline)
                left = deadline - time.monotonic()
                if left <= 0:
                    ended = "timeout"
                    break
                if not _wait_readable(r, min(left, 0.1)):
                    done, code = os.waitpid(pid, os.WNOHANG)  # died, its pipe kept open by others?
                    if done:
                        ended, status = "eof", code
                        break
                    continue
                time.sleep(BATCH_SECONDS)  # let results pile up: one wake-up per batch, not per call
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    ended = "eof"
                    break
                sub.received += len(chunk)
                if sub.received > MAX_CHILD_BYTES:
                    ended = "flood"
                    break
                buf += chunk
                if b"\n" not in chunk and len(buf) > self._cap(expected[pos]):
                    ended = "too large"  # refused unread: the child is killed and restarted
                    break
                while pos < len(expected):
                    nl = buf.find(b"\n", scanned)
                    if nl < 0:
                        scanned = len(buf)
                        break
                    line = bytes(buf[:nl])
                    del buf[: nl + 1]
                    scanned = 0
                    if not self._accept(sub, expected[pos], line):
                        ended = "garbled"
                        break
                    pos += 1
                    last = time.monotonic()
                if ended != "done":
                    break
        finally:
            os.close(r)
            if ended == "eof" and status is None:
                status = _wait_briefly(pid)
                ended = "eof" if status is not None else "closed"  # alive without its results pipe
            killed = self._kill_all(pid)
            status = killed if status is None else status
        if pos == len(expected):
            return
        self._record_failure(sub, expected[pos], ended, status)

    def _accept(self, sub: _Submission, item: tuple[str, Any], line: bytes) -> bool:
        if item[0] == "i":
            return self._accept_call(sub, item[1], line)
        try:
            msg = loads(line)
        except (ValueError, RecursionError):
            return False
        key = item[1]
        if type(msg) is not dict or msg.get("m") != key:
            return False
        error = msg.get("e")
        sub.imported.add(key)
        if error is not None:
            sub.module_errors.setdefault(key, str(error)[:300])
            sub.skip[key] = sub.module_errors[key]
            sub.note_error(error)
        return True

    def _accept_call(self, sub: _Submission, key: int, line: bytes) -> bool:
        """A call's line is exactly ``{"i":<key>,"o":<outcome>}``; keep the outcome's bytes."""
        prefix = b'{"i":%d,"o":' % key
        if not (line.startswith(prefix) and line.endswith(b"}")):
            return False
        raw = line[len(prefix):-1]
        if len(line) > self._cap(("i", key)):
            sub.outcomes[key] = self._too_large(key)
            return True
        try:
            outcome = loads(raw)  # one JSON value, nothing more
        except (ValueError, RecursionError):
            return False
        if type(outcome) is not dict:
            return False
        sub.outcomes[key] = raw
        sub.note_error(outcome.get("error"))
        if self.shared.shared(key):
            sub.inputs_after[str(key)] = self.shared.after(key)
        return True

    def _cap(self, item: tuple[str, Any]) -> int:
        """Bytes the line of this expected item may have (the pool sizes each call's cap
        from the reference's answer, so a result far larger is refused unread)."""
        return self.caps[item[1]] + 64 if item[0] == "i" else IMPORT_LINE_CAP

    def _too_large(self, key: int) -> bytes:
        cap_kb = max(1, self.caps[key] >> 10)
        return json.dumps({"ok": False, "too_large": cap_kb,
                           "error": f"the result is far larger than the answer can be (over {cap_kb} KB)"}).encode()

    def _record_failure(self, sub: _Submission, item: tuple[str, Any], ended: str, status: int | None) -> None:
        lim = self.limits
        kind, key = item
        timeout = ended == "timeout"
        if timeout and time.monotonic() >= sub.wall_deadline - 0.001:
            sub.limits_hit.add("wall time")
            text = f"stopped: the submission used up its {lim.wall_seconds:g} s"
        elif timeout:
            sub.limits_hit.add("call time")
            text = f"ran longer than {lim.call_seconds:g} s"
        elif ended == "too large" and kind == "i":
            sub.outcomes[key] = self._too_large(key)
            name = self.qualnames[key]
            sub.strikes[name] = sub.strikes.get(name, 0) + 1
            return
        elif ended in ("garbled", "flood", "closed", "too large"):
            text = {"garbled": "unreadable result (the submission tampered with its result channel)",
                    "flood": "the results were too large to send",
                    "too large": "the module's import result was too large",
                    "closed": "the submission closed its result channel"}[ended]
        elif status is not None and (
            (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU)
            or sub.cpu_used() >= lim.cpu_seconds - 0.05
        ):
            sub.limits_hit.add("cpu time")
            timeout = True
            text = f"stopped: the submission used up its {lim.cpu_seconds:g} s of CPU time"
        else:
            text = _how_it_died(status)
        if kind == "m":
            sub.imported.add(key)
            sub.module_errors.setdefault(key, "import timed out" if timeout else f"{text} during import")
            sub.skip[key] = sub.module_errors[key]
        else:
            sub.outcomes[key] = _fail(text, timeout=timeout)
            name = self.qualnames[key]
            sub.strikes[name] = sub.strikes.get(name, 0) + 1

    # -- process, output and scratch housekeeping

    def _address_space(self) -> int:
        try:
            return int(os.pread(self.iso.statm_fd, 64, 0).split()[0]) * PAGE
        except (OSError, ValueError, IndexError):
            return 256 << 20

    def _kill_all(self, main: int | None = None) -> int | None:
        """Kill every process of the submission and reap them; the main child's status."""
        main_status = None
        give_up = time.monotonic() + 10
        while time.monotonic() < give_up:
            if self.iso.pid_namespace:
                try:
                    os.kill(-1, signal.SIGKILL)  # as PID 1: everyone in here but us
                except ProcessLookupError:
                    pass
            else:
                for pid in _descendants(os.getpid()):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            try:
                pid, status = os.waitpid(-1, 0 if self.iso.pid_namespace else os.WNOHANG)
            except ChildProcessError:
                break
            if pid == main:
                main_status = status
            if pid == 0:
                time.sleep(0.001)
        return main_status

    def _output_file(self) -> int:
        if hasattr(os, "memfd_create"):
            return os.memfd_create("submission-output", 0)
        with tempfile.TemporaryFile(dir=self.iso.scratch) as f:
            return os.dup(f.fileno())

    def _read_output(self, fd: int, sub: _Submission) -> str:
        cap = self.limits.output_kb << 10
        try:
            data = os.pread(fd, cap + 1, 0)
        except OSError:
            return ""
        text = data[:cap].decode("utf-8", "replace")
        if len(data) > cap:
            sub.limits_hit.add("output")
            text += "\n[output truncated]"
        return text

    def _empty_scratch(self) -> None:
        def unlock(func: Any, path: str, _exc: Any) -> None:
            try:
                os.chmod(os.path.dirname(path), stat.S_IRWXU)
                if os.path.isdir(path) and not os.path.islink(path):
                    os.chmod(path, stat.S_IRWXU)
                func(path)
            except OSError:
                pass

        try:
            os.chmod(self.iso.scratch, self.scratch_mode)  # the submission may have locked us out
            for entry in os.scandir(self.iso.scratch):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, onerror=unlock)
                else:
                    os.unlink(entry.path)
            self.broken = bool(os.listdir(self.iso.scratch))
        except OSError:
            self.broken = True


def _wait_briefly(pid: int, seconds: float = 0.1) -> int | None:
    """The status of ``pid`` if it exits by itself within ``seconds`` (it closed its results)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return status
        time.sleep(0.002)
    return None


def _processes_of(uid: int) -> int:
    """Processes of ``uid`` now (RLIMIT_NPROC counts them all when not in a namespace)."""
    count = 0
    try:
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    if os.stat(f"/proc/{name}").st_uid == uid:
                        count += 1
                except OSError:
                    pass
    except OSError:
        return 64
    return count


def _descendants(root: int) -> list[int]:
    """Every live descendant of ``root`` (from /proc; fallback mode only)."""
    children: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rpartition(b")")[2].split()
            children.setdefault(int(fields[1]), []).append(int(name))
        except (OSError, ValueError, IndexError):
            pass
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


# -- start-up ------------------------------------------------------------------------------


def _preload(names: list[str]) -> list[str]:
    warnings = []
    for name in names:
        try:
            if name == "matplotlib":
                import matplotlib

                matplotlib.use("Agg")
                import matplotlib.pyplot  # noqa: F401
                from matplotlib import font_manager

                font_manager.fontManager.get_default_weight()
                fig, ax = matplotlib.pyplot.subplots()  # load fonts and renderer once, for every child
                ax.plot([0, 1], [0, 1], label="x")
                ax.set_title("warm-up")
                ax.legend()
                fig.canvas.draw()
                matplotlib.pyplot.close(fig)
            else:
                __import__(str(name))
        except Exception as exc:  # noqa: BLE001
            warnings.append(f"could not preload {name}: {execute.describe_exception(exc)}")
    if "matplotlib.pyplot" in sys.modules:
        try:
            with catch_warnings():  # "ignore" records nothing: a student still sees
                simplefilter("ignore")  # each warning the first time it is raised
                _warm_figures()
        except Exception as exc:  # noqa: BLE001 - only a cost (each child warms up by itself), not
            # an isolation warning for the instructor: said in the zygote's log only
            print(f"matplotlib warm-up failed: {execute.describe_exception(exc)}", file=sys.stderr, flush=True)
    return warnings


WARM_FIGURES = 3  # throw-away figures drawn in the zygote (each branch below once)


def _warm_figures(rounds: int = WARM_FIGURES) -> None:
    """Build, summarise and close a few figures with the calls plot exercises make, so that
    the work every child would otherwise repeat on its first figure is done once, before
    the fork: matplotlib's lazily built state (colour and marker lookups, tick locators and
    formatters, contour and legend machinery, transforms) and the summariser's own. Measured
    on ps1: about 4 ms and 300 page faults less per child; more rounds gain nothing.
    Nothing here depends on the plan or on any submission, and every child starts from the
    same state: each figure is closed (pyplot's registry is empty, numbering restarts at 1)
    and no setting is changed."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    summarise = getattr(sys.modules.get("grader.figure_summary"), "summarise", None)
    x = np.linspace(0.001, 1.0, 60)
    g0, g1 = np.meshgrid(np.linspace(-1, 1, 21), np.linspace(-1, 1, 21))
    for k in range(rounds):
        if k % 3 == 2:
            fig, ax = plt.subplots()
        else:
            fig = Figure(figsize=(4, 3))
            ax = fig.add_subplot()
        fig.set_label("warm-up")
        ax.plot(x, -np.log(x), label="a")
        ax.plot(x[::7], x[::7], "o-", color="C3")
        ax.plot([0.5], [0.5], "o", label="b")
        ax.scatter(x[::5], x[::5] ** 2, label="c", s=9)
        ax.axline((0, 0), (1, 1), color="C1")
        ax.axvline(0.5)
        ax.axhline(0.5, linestyle="--")
        ax.contour(g0, g1, g0**2 + g1**2, levels=4 + k % 3)
        if k % 2:
            ax.contourf(g0, g1, g0 + g1, levels=3)
            ax.set_aspect("equal")
            ax.set_yscale("log")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title("warm-up")
        ax.set_xlim(0, 1)
        ax.grid(True)
        ax.legend()
        if summarise is not None:
            summarise(fig)  # closes it too
        plt.close(fig)
    plt.close("all")
    # matplotlib empties its cache of open font files in every forked child (an at-fork hook):
    # emptied here once, each child's hook has nothing to free (about 140 fewer page faults).
    from matplotlib import font_manager

    clear = getattr(getattr(font_manager, "_get_font", None), "cache_clear", None)
    if clear is not None:
        clear()


def _compact_module_names() -> None:
    """Re-key ``sys.modules`` with fresh, adjacent strings.

    Every child walks ``sys.modules`` (``install_sources``), which writes to each
    key's reference count; with the keys packed together that dirties a few
    pages instead of hundreds, and each page a child dirties costs a
    copy-on-write fault (about 10 microseconds on some virtual machines).
    """
    gc.disable()
    try:
        items = list(sys.modules.items())
        sys.modules.clear()
        sys.modules.update(("".join(name), module) for name, module in items)
    finally:
        gc.enable()


def _decode_plan(plain: list[Any]) -> list[PlanCall]:
    return [
        (str(c["module"]), str(c["function"]), tuple(decode(a) for a in c["args"]),
         {str(k): decode(v) for k, v in c["kwargs"].items()}, bool(c.get("args_after")))
        for c in plain
    ]


def _hidden(project: str, grader_dir: str) -> list[str]:
    """The grader and every copy of the solutions Python could find: this project's, and
    any installed beside it (a venv may hold a regular install next to a checkout)."""
    found = [grader_dir, os.path.join(project, "solutions")]
    for entry in sys.path:
        for name in ("grader", "solutions"):
            path = os.path.join(entry or ".", name)
            if entry and os.path.isdir(path) and path not in found:
                found.append(path)
    return found


def per_process_limits(limits: Limits) -> str:
    """The warning that limits are enforced per process: cgroup v2 limits are not used."""
    return (f"limits are per process, not per submission (no cgroup limits): memory {limits.memory_mb} MB "
            f"for each of up to {limits.processes} processes; CPU time of a submission's helper processes "
            "counts when they end, at the latest when the submission ends")


def project_root() -> str:
    """The folder holding the grader package (the checkout, or site-packages)."""
    import grader

    return os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    rfd, wfd = int(args[0]), int(args[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    start = read_message(rfd)
    limits = Limits.from_plain(start["limits"])
    warnings = _preload([str(p) for p in start.get("preload", [])])
    plan = _decode_plan(start["plan"])
    caps = start.get("caps")
    caps = [int(c) for c in caps] if type(caps) is list and all(type(c) is int and c > 0 for c in caps) else None
    if "grader.figure_summary" in sys.modules:  # bound now: the child removes grader.* from sys.modules
        wire.bind_summarise(sys.modules["grader.figure_summary"].summarise)  # type: ignore[attr-defined]

    project = project_root()
    grader_dir = os.path.join(project, "grader")
    in_site = os.path.basename(project) in ("site-packages", "dist-packages")
    if not in_site:  # children must not import anything else from the project
        sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) not in (project, os.getcwd())]
    iso = namespaces.isolate(
        limits.scratch_mb,
        protect=[] if in_site else [project],
        hide=_hidden(project, grader_dir),
    )
    try:
        return _serve(rfd, wfd, plan, limits, iso, warnings, caps)
    finally:
        if iso.scratch_is_temporary:
            shutil.rmtree(iso.scratch, ignore_errors=True)


def _serve(rfd: int, wfd: int, plan: list[PlanCall], limits: Limits, iso: namespaces.Isolation,
           warnings: list[str], caps: list[int] | None = None) -> int:
    """Announce readiness, then grade submissions until the pool closes the pipe."""
    no_filter = seccomp.available()
    if no_filter is not None:
        warnings = warnings + [f"no seccomp filter ({no_filter}): kernel keyrings and other shared "
                               "kernel state are reachable between submissions"]
    write_message(wfd, {"ready": True, "warnings": warnings + iso.warnings + [per_process_limits(limits)]})
    zygote = Zygote(plan, limits, iso, caps)
    _compact_module_names()
    gc.collect()
    gc.freeze()  # children then leave the zygote's objects (and their pages) alone
    while True:
        try:
            msg = read_message(rfd)
        except EOFError:
            return 0
        sources = msg.get("sources") if type(msg) is dict else None
        if type(sources) is not dict or not all(type(k) is str and type(v) is str for k, v in sources.items()):
            write_message(wfd, {"error": "malformed request"})
            continue
        write_frame(wfd, zygote.grade(sources))
        if zygote.broken:
            return 3


if __name__ == "__main__":
    sys.exit(main())

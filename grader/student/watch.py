"""``pytest --watch``: rerun a module's public tests each time you save it.

The loop stays in one warm process (Python, pytest, NumPy and the judging code
are imported once; matplotlib too, once one of your plot functions uses it).
When a file in ``exercises/`` changes, the tests of that module, and of the
modules that import it, run again in a fresh process forked from the warm one
(Linux and macOS), so your newly saved code is always the code that runs and
nothing of an earlier run is left behind. The progress table still covers every
function: the results of the modules you did not touch are kept from their last
run. On Windows, which cannot fork, each change reruns the whole of ``pytest``.

Stop it with Ctrl-C.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import public
from .i18n import t

POLL_SECONDS = 0.02  # how often the files are looked at: 14 stat calls, nothing else
Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path = public.EXERCISES) -> Snapshot:
    """``{module: (mtime_ns, size)}`` of every ``*.py`` file in ``folder``."""
    found: Snapshot = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(".py") and entry.name != "__init__.py":
            try:
                stat = entry.stat()
            except OSError:
                continue
            found[entry.name[:-3]] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_modules(before: Snapshot, now: Snapshot) -> set[str]:
    return {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}


def affected(changed: set[str], modules: list[str]) -> set[str]:
    """The modules whose tests depend on the changed files: those files, and every module
    that imports one of them."""
    return {m for m in modules if m in changed or public.exercise_imports(m) & changed}


def _tested_modules() -> list[str]:
    return sorted({c.module for c in public.course().cases} | {c.module for c in public.plot_cases()})


class ForkRunner:
    """Runs pytest in a child forked from this warm process and keeps its results."""

    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.matplotlib = False

    def warm(self) -> None:
        """Import what every run needs, then freeze it out of the garbage collector's way."""
        public.course()
        public.plot_cases()
        if self.matplotlib:
            try:
                import matplotlib.figure  # noqa: F401 - loaded once here instead of in every run
            except Exception:  # noqa: BLE001 - then each run imports it (and reports why it fails)
                pass
        gc.collect()
        gc.freeze()  # a child's collections skip everything imported so far

    def run(self, modules: set[str] | None) -> int:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: one ordinary pytest run
            os.close(read)
            code = 3
            try:
                if modules is not None:
                    os.environ[public.ONLY_MODULES] = ",".join(sorted(modules))
                    for name in modules:  # earlier results of these modules are replaced, not kept
                        for key in [k for k, r in public.results.items() if r.case.module == name]:
                            del public.results[key]
                import pytest

                code = int(pytest.main(self.args))
                payload = pickle.dumps((public.results, "matplotlib" in sys.modules))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:  # noqa: BLE001 - the parent reports a child that failed
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write)
        chunks = []
        try:
            with os.fdopen(read, "rb") as pipe:
                while chunk := pipe.read(1 << 16):
                    chunks.append(chunk)
            _, status = os.waitpid(pid, 0)
        except KeyboardInterrupt:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
            raise
        if chunks:
            try:
                results, used_matplotlib = pickle.loads(b"".join(chunks))
            except Exception:  # noqa: BLE001 - a child that died mid-write: keep what we had
                results, used_matplotlib = None, False
            if results is not None:
                public.results.clear()
                public.results.update(results)
            if used_matplotlib and not self.matplotlib:
                self.matplotlib = True
                self.warm()
        return os.waitstatus_to_exitcode(status)


class RerunRunner:
    """Windows: a plain ``python -m pytest`` for every change (no fork there)."""

    def __init__(self, args: list[str]) -> None:
        self.args = args

    def warm(self) -> None:
        pass

    def run(self, modules: set[str] | None) -> int:
        return subprocess.call([sys.executable, "-m", "pytest", *self.args])


def main(args: list[str], *, poll: float = POLL_SECONDS) -> int:
    """Run the tests, then rerun the affected ones on every save until Ctrl-C."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started by a script in the background:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C (SIGINT) still stops it
    if "--no-header" not in args:
        args = ["--no-header", *args]  # the platform and rootdir lines, once per save, are noise
    runner: ForkRunner | RerunRunner = ForkRunner(args) if hasattr(os, "fork") else RerunRunner(args)
    modules = _tested_modules()
    runner.warm()
    before = snapshot()
    try:
        runner.run(None)
        while True:
            _say(t("Watching exercises/: save a file to rerun its tests (Ctrl-C to stop)."))
            now = before
            while now == before:
                time.sleep(poll)
                now = snapshot()
            time.sleep(poll)  # an editor may write a file in several steps: let it finish
            now = snapshot()
            changed = changed_modules(before, now)
            before = now
            rerun = affected(changed, modules)
            if not rerun:
                continue
            _clear_screen()
            _say(t("{time} {files} changed: running the tests of {modules}",
                   time=time.strftime("%H:%M:%S"), files=", ".join(f"{m}.py" for m in sorted(changed)),
                   modules=", ".join(sorted(rerun))))
            runner.run(rerun)
    except KeyboardInterrupt:
        _say("")
        return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _clear_screen() -> None:
    """Start each rerun on a clean terminal (as a separating blank line where that may not work)."""
    if os.name == "posix" and sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        print("\x1b[2J\x1b[H", end="", flush=True)
    else:
        _say("")

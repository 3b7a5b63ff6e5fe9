"""The student's edit-test loop in a released copy: what a plain ``pytest`` loads and draws,
and ``pytest --watch``. Each property is checked on a real copy in a subprocess; no test
asserts a time (``grader bench`` measures those)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader import release as rel
from grader.bench_student import watch_marker
from grader.config import load_course

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT / "course.yml", assignment="ps1")
NUMERIC = [m for m in COURSE.modules if not m.startswith("plots")]


def _env(**extra: str) -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "MPLBACKEND")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def _copy(tmp_path: Path, done: tuple[str, ...] | list[str] = ()) -> Path:
    copy = tmp_path / "copy"
    rel.release(COURSE, copy)
    for module in done:
        shutil.copy(ROOT / "solutions" / f"{module}.py", copy / "exercises" / f"{module}.py")
    return copy


PROBE = ("import sys, pytest\n"
         "code = pytest.main(['-q', '-p', 'no:cacheprovider'])\n"
         "print('EXIT', int(code), 'MATPLOTLIB', 'matplotlib' in sys.modules)\n")


def _probe(copy: Path, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=copy, capture_output=True, text=True,
                          env=_env(**env), timeout=120)
    return done.stdout.strip().splitlines()[-1]


def test_matplotlib_is_loaded_only_once_a_plot_function_needs_it(tmp_path: Path) -> None:
    copy = _copy(tmp_path, NUMERIC)
    assert _probe(copy) == "EXIT 1 MATPLOTLIB False"  # plot functions still stubs: nothing imports it
    for module in COURSE.modules:
        shutil.copy(ROOT / "solutions" / f"{module}.py", copy / "exercises" / f"{module}.py")
    assert _probe(copy) == "EXIT 0 MATPLOTLIB True"  # and every test passes once they draw
    stub = (ROOT / "exercises" / "plots.py").read_text()
    assert "import matplotlib" not in stub and "from matplotlib" not in stub.split('"""', 2)[2]


def _fake_plugin(where: Path) -> Path:
    """A pytest plugin installed the way packages install theirs (an entry point), which writes a
    marker file when pytest loads it."""
    marker = where / "plugin-was-loaded"
    where.mkdir()
    (where / "noisy_plugin.py").write_text(
        "from pathlib import Path\n\n"
        f"def pytest_configure(config):\n    Path({str(marker)!r}).write_text('yes')\n")
    info = where / "noisy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: noisy-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pytest11]\nnoisy = noisy_plugin\n")
    return marker


def test_third_party_plugins_are_not_loaded_in_the_copy(tmp_path: Path) -> None:
    marker = _fake_plugin(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "test_x.py").write_text("def test_x():\n    pass\n")
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    env = _env(PYTHONPATH=str(tmp_path / "site"))
    subprocess.run(run, cwd=elsewhere, env=env, capture_output=True, timeout=120, check=True)
    assert marker.read_text() == "yes"  # an ordinary pytest run loads it
    marker.unlink()
    copy = _copy(tmp_path)
    done = subprocess.run(run, cwd=copy, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "not started" in done.stdout
    assert not marker.exists()  # the copy's pytest.ini turns autoloading off


def _pngs(copy: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (copy / "figures").glob("*.png")}


def _pytest(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=copy,
                          capture_output=True, text=True, env=_env(), timeout=120)


def test_figures_are_drawn_again_only_when_the_code_that_drew_them_changed(tmp_path: Path) -> None:
    copy = _copy(tmp_path, list(COURSE.modules))
    assert _pytest(copy).returncode == 0
    first = _pngs(copy)
    assert len(first) == 4
    time.sleep(0.01)
    assert _pytest(copy).returncode == 0
    assert _pngs(copy) == first  # nothing changed: every PNG kept as it was
    plots = copy / "exercises" / "plots.py"
    plots.write_text(plots.read_text().replace('ax.set_xlabel("probability p given to the true class")',
                                               'ax.set_xlabel("p")'))
    assert _pytest(copy).returncode == 0
    again = _pngs(copy)
    assert again.keys() == first.keys() and all(again[k] != first[k] for k in first)  # plots.py changed
    # plot_descent_path draws descent's path: a change in descent.py (which plots.py does not import)
    # draws nothing again; a plot function that stops returning a figure loses its PNG.
    (copy / "exercises" / "descent.py").write_text((copy / "exercises" / "descent.py").read_text() + "\n# x\n")
    plots.write_text(plots.read_text().replace("def plot_fit(x, y, a, b):", "def plot_fit(x, y, a, b):\n"
                                               "    return None\n\n\ndef _old_plot_fit(x, y, a, b):"))
    assert _pytest(copy).returncode == 1
    last = _pngs(copy)
    assert not any(name.startswith("plot_fit-") for name in last)
    assert all(name in first for name in last)


def test_a_japanese_label_is_drawn_with_a_japanese_font_even_when_matplotlib_came_late(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib_fontja")
    copy = _copy(tmp_path, list(COURSE.modules))
    plots = copy / "exercises" / "plots.py"
    plots.write_text(plots.read_text().replace('ax.set_xlabel("probability p given to the true class")',
                                               'ax.set_xlabel("正解クラスの確率 p")'))
    # A "Glyph ... missing from font" warning, made an error here, would leave the PNG unsaved.
    done = _pytest(copy, "-W", "error::UserWarning", "-k", "plot_log_penalty")
    assert done.returncode == 0 and "not saved" not in done.stdout, done.stdout
    assert [p.name for p in (copy / "figures").glob("plot_log_penalty-*.png")]


class Watcher:
    """``pytest --watch`` in a copy, with its output read line by line."""

    def __init__(self, copy: Path, command: tuple[str, ...] = ("-m", "pytest", "--watch", "-p", "no:cacheprovider"),
                 sigint_ignored: bool = False) -> None:
        self.marker = watch_marker("en")
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
        self.proc = subprocess.Popen([sys.executable, *command], cwd=copy, env=_env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=ignore)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8", "replace"))

    def until_waiting(self, timeout: float = 60) -> str:
        """Everything printed until the watcher waits for the next save."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(line)
            if self.marker in line:
                return "".join(seen)
        raise AssertionError("pytest --watch did not wait again:\n" + "".join(seen))

    def stop(self) -> int:
        os.killpg(self.proc.pid, signal.SIGINT)
        return self.proc.wait(timeout=20)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm, forking watcher is for Linux and macOS")
def test_watch_reruns_what_a_save_affects_and_keeps_the_rest(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    exercises = copy / "exercises"
    watcher = Watcher(copy)
    try:
        first = watcher.until_waiting()
        assert "45 not started" in first or "not started" in first
        shutil.copy(ROOT / "solutions" / "regression.py", exercises / "regression.py")
        out = watcher.until_waiting()
        assert "regression.py changed: running the tests of regression" in out
        assert "deselected" in out  # only regression's tests ran...
        rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
        assert "done" in rows["regression.center"] and "not started" in rows["losses.sse"]  # ...the table has all
        # A broken save is reported and the watcher goes on; fixing it reruns again.
        (exercises / "losses.py").write_text("def sse(y, y_hat):\n    return (\n")
        out = watcher.until_waiting()
        assert "losses.py changed" in out and "could not be imported" in out and "SyntaxError" in out
        assert "done" in [line for line in out.splitlines() if "regression.center" in line][0]
        shutil.copy(ROOT / "solutions" / "losses.py", exercises / "losses.py")
        out = watcher.until_waiting()
        assert "done" in [line for line in out.splitlines() if line.startswith("  losses.sse ")][0]
        # descent.py imports nothing of exercises here: a save of derivatives.py reruns derivatives only;
        # once descent.py imports it, derivatives' saves rerun descent's tests too.
        (exercises / "descent.py").write_text((exercises / "descent.py").read_text()
                                              + "\nfrom exercises.derivatives import sse_derivative\n")
        watcher.until_waiting()
        (exercises / "derivatives.py").write_text((exercises / "derivatives.py").read_text() + "\n# x\n")
        out = watcher.until_waiting()
        assert "running the tests of derivatives, descent" in out
    finally:
        code = watcher.stop()
    assert code == 0  # Ctrl-C ends the watcher quietly


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm, forking watcher is for Linux and macOS")
def test_watch_stops_an_endless_loop_and_goes_on(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    watcher = Watcher(copy)
    try:
        watcher.until_waiting()
        losses = copy / "exercises" / "losses.py"
        losses.write_text(losses.read_text().replace(
            "def sse(y, y_hat):", "def sse(y, y_hat):\n    while True:\n        pass\n\n\ndef _old(y, y_hat):", 1))
        out = watcher.until_waiting(timeout=120)
        assert "losses.sse did not return within" in out
    finally:
        assert watcher.stop() == 0


def test_watch_without_fork_reruns_the_whole_pytest(tmp_path: Path) -> None:
    """Windows has no fork: there each save reruns the whole ``pytest`` in a new process. The
    same path runs here with ``os.fork`` taken away from the watching process."""
    copy = _copy(tmp_path)
    script = ("import os, sys\n"
              "del os.fork\n"
              "import pytest\n"
              "sys.exit(pytest.main(['--watch', '-p', 'no:cacheprovider']))\n")
    watcher = Watcher(copy, ("-c", script))
    try:
        assert "not started" in watcher.until_waiting()
        shutil.copy(ROOT / "solutions" / "regression.py", copy / "exercises" / "regression.py")
        out = watcher.until_waiting()
        assert "regression.py changed" in out and "deselected" not in out  # every test ran again
        rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
        assert "done" in rows["regression.center"] and "not started" in rows["losses.sse"]
    finally:
        assert watcher.stop() == 0


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signal dispositions")
def test_ctrl_c_stops_the_watcher_even_when_it_was_started_with_sigint_ignored(tmp_path: Path) -> None:
    """A script's background job (or nohup) starts its children with SIGINT ignored; the
    watcher still stops on it, as it does in a terminal."""
    watcher = Watcher(_copy(tmp_path), sigint_ignored=True)
    watcher.until_waiting()
    assert watcher.stop() == 0

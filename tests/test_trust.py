"""Trust, round two: nothing a submission sends can crash, stall or fool the trusted
side, and nothing crosses between submissions.

Each attack below is a regression fixture: the source that replaces one function
(or module) of an otherwise correct submission. Each gains points only if the
attack works, and the whole class is graded through the real CLI next to honest
students, whose grades must be exactly as without the attackers.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.synth import ClassMaker, replace_function, write_folder
from tests.conftest import ROOT, run_cli

# -- the attacks ----------------------------------------------------------------------------

# A figure summary as the grader's encoder writes one, claiming 500 points while
# holding 2: only a trusted count can see through it.
_CLAIMED_FIGURE = """
import math
def _claimed(base):
    xs = [0.001, 1.0]
    ys = [-math.log(x) / math.log(base) for x in xs]
    line = {"kind": "data", "x": xs, "y": ys, "n": 500, "bbox": [0.001, 1.0, 0.0, ys[0]],
            "joined": True, "markers": False}
    axes = {"xlabel": "p", "ylabel": "penalty", "title": "", "xlim": None, "ylim": None,
            "xscale": "linear", "yscale": "linear", "aspect": None, "n_artists": 1,
            "lines": [line], "scatters": [], "contours": []}
    return {"v": 1, "label": "", "n_axes": 1, "axes": [axes], "truncated": False, "skipped": 0}
"""

ATTACKS: dict[str, dict[str, str]] = {
    # 1. Containment: values no float can hold, nesting past every bound, a result far
    #    larger than the answer (it used to stall the trusted side for minutes).
    "huge-int": {"losses.sse": "def sse(y, y_hat):\n    return 10 ** 400\n"},
    "huge-int-in-list": {"losses.mae": "def mae(y, y_hat):\n    return [10 ** 30, 2 ** 70, -(10 ** 300)]\n"},
    "deep-nesting": {"losses.huber": (
        "def huber(y, y_hat, delta=1.0):\n    v = 1.0\n    for _ in range(500):\n        v = [v]\n    return v\n")},
    "huge-result": {"losses.mse": "def mse(y, y_hat):\n    return list(range(3_000_000))\n"},
    # ... and the same at the wire: the child's encoder rewritten to send a bare JSON
    # integer no float can hold (it used to crash the whole run with OverflowError).
    "raw-huge-int": {"losses.mse": textwrap.dedent("""
        def mse(y, y_hat):
            import sys
            wire = sys.modules.get("grader.wire")
            if wire is not None:
                wire.encode = lambda v, _d=0: 10 ** 400
            frame = sys._getframe(1)
            while frame is not None:
                for name in ("_ENCODE", "encode"):
                    if callable(frame.f_globals.get(name)):
                        frame.f_globals[name] = lambda v, _d=0: 10 ** 400
                frame = frame.f_back
            return 0.0
        """)},
    # 2. Integrity facts taken from the child: a plain dict posing as a figure, a real
    #    figure whose summary is rewritten by patching the child's encoder, and inputs
    #    changed in place then "restored" in the harness's own variables.
    "plain-figure-dict": {"plots.plot_log_penalty": _CLAIMED_FIGURE + (
        "\ndef plot_log_penalty(base=2):\n    return {'$figure': _claimed(base)}\n")},
    "forged-figure": {"plots.plot_log_penalty": _CLAIMED_FIGURE + textwrap.dedent("""
        def plot_log_penalty(base=2):
            import sys
            from matplotlib.figure import Figure
            fig = Figure()
            ax = fig.add_subplot()
            ax.plot([0.001, 1.0], [-math.log(0.001) / math.log(base), 0.0])
            ax.set_xlabel("p")
            ax.set_ylabel("penalty")

            def forge(value, _depth=0, _real=None):
                if type(value).__name__ == "Figure":
                    return {"$figure": _claimed(base)}
                return _real(value) if _real else value

            wire = sys.modules.get("grader.wire")
            if wire is not None:
                real = wire.encode
                wire.encode = lambda v, _d=0: forge(v, _d, real)
            frame = sys._getframe(1)
            while frame is not None:
                for name in ("_ENCODE", "encode"):
                    if callable(frame.f_globals.get(name)):
                        real_g = frame.f_globals[name]
                        frame.f_globals[name] = lambda v, _d=0, _r=real_g: forge(v, _d, _r)
                frame = frame.f_back
            return fig
        """)},
    "restores-inputs": {"losses.sse": textwrap.dedent("""
        def sse(y, y_hat):
            import sys
            import numpy as np
            for name in ("grader.execute", "grader.wire"):  # the old route: patch the harness
                mod = sys.modules.get(name)
                if mod is not None and hasattr(mod, "run_call"):
                    real = mod.run_call
                    def run_call(module, function, args, kwargs, after=False, _real=real):
                        out = _real(module, function, args, kwargs, after)
                        out.args_after = [a for a in args if not callable(a)] if after else None
                        return out
                    mod.run_call = run_call
            pristine = [np.array(a, copy=True) for a in (y, y_hat)]
            if isinstance(y, np.ndarray) and y.dtype.kind == "f" and np.shape(y_hat) == y.shape:
                y -= y_hat  # changes the caller's array: what the spec forbids
                r = y.ravel()
            else:
                r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
            frame = sys._getframe(1)  # put pristine copies where the harness looks afterwards
            while frame is not None:
                for name in ("call_args", "args"):
                    held = frame.f_locals.get(name)
                    if isinstance(held, list) and len(held) == 2:
                        held[0], held[1] = pristine
                frame = frame.f_back
            return float(r @ r)
        """)},
    # 3. Tolerance on the answer's say-so: 0.4 % off, in float16.
    "float16": {"losses.mse": (
        "def mse(y, y_hat):\n    import numpy as np\n"
        "    r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))\n"
        "    return np.float16(np.mean(r * r) * 1.004)\n")},
    # 5. Student-controlled text for hidden tests: exception messages, an exception
    #    class's name, an object's type name, printed output, an import error.
    "leaks-text": {
        "losses.cross_entropy": (
            "def cross_entropy(y, y_hat, base=2.718281828459045):\n"
            "    print('LEAK printed', y, y_hat)\n"
            "    raise ValueError('LEAK ' + repr((y, y_hat, base)))\n"),
        "losses.binary_cross_entropy": (
            "def binary_cross_entropy(y, p):\n"
            "    raise type('LEAK' + str(abs(hash(repr((y, p))))), (Exception,), {})('x')\n"),
        "derivatives.sse_derivative": (
            "def sse_derivative(y, y_hat):\n"
            "    return type('LEAK' + str(len(repr((y, y_hat)))), (), {})()\n"),
        "descent": (
            "import gc\nimport numpy as np\n"
            "found = [repr(o.tolist()) for o in gc.get_objects() if type(o) is np.ndarray][:50]\n"
            "raise RuntimeError('LEAK ' + ' '.join(found))\n"),
    },
    # 6. Memory outside the address space: a memfd and shared memory, past the limit.
    "memfd-hoard": {"losses.huber": textwrap.dedent("""
        def huber(y, y_hat, delta=1.0):
            import os
            import numpy as np
            held, fds = 0, []
            block = b"x" * (1 << 20)
            try:  # many files, each under any per-file size limit
                while held < 600:
                    fds.append(os.memfd_create("hoard"))
                    for _ in range(20):
                        os.write(fds[-1], block)
                        held += 1
            except OSError:
                pass
            if held < 600:  # the right answer only when the hoard worked
                return -1.0
            r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
            a = np.abs(r)
            return float(np.mean(np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))))
        """)},
}

# The function whose points each attack is after: it must score 0 there.
TARGET = {
    "huge-int": "losses.sse", "huge-int-in-list": "losses.mae", "deep-nesting": "losses.huber",
    "huge-result": "losses.mse", "raw-huge-int": "losses.mse", "plain-figure-dict": "plots.plot_log_penalty",
    "forged-figure": "plots.plot_log_penalty", "float16": "losses.mse", "memfd-hoard": "losses.huber",
}


def attacked(maker: ClassMaker, kind: str) -> dict[str, str]:
    return maker.altered(ATTACKS[kind])


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8-sig") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def _results(out: Path, sid: str) -> dict:
    return json.loads((out / "results" / f"{sid}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, course):
    base = tmp_path_factory.mktemp("trust")
    maker = ClassMaker(course, seed=3)
    honest, mixed = base / "honest", base / "mixed"
    for name in ("alice", "bob"):
        sources = maker.correct()
        write_folder(honest / name, sources)
        write_folder(mixed / name, sources)
    sources, _ = maker.with_mistakes(2)
    write_folder(honest / "carol", sources)
    write_folder(mixed / "carol", sources)
    for kind in ATTACKS:
        write_folder(mixed / f"x-{kind}", attacked(maker, kind))
    out_honest, out_mixed = base / "out-honest", base / "out-mixed"
    a = run_cli("grade", str(honest), "--out", str(out_honest), "--quiet")
    b = run_cli("grade", str(mixed), "--out", str(out_mixed), "--quiet")
    return {"a": a, "b": b, "honest": out_honest, "out": out_mixed}


def test_the_run_survives_every_attack_with_a_row_for_each_student(graded) -> None:
    assert graded["a"].returncode == 0, graded["a"].stderr
    assert graded["b"].returncode == 0, graded["b"].stderr
    assert "Traceback" not in graded["b"].stderr
    rows = _rows(graded["out"])
    assert set(rows) == {"alice", "bob", "carol"} | {f"x-{k}" for k in ATTACKS}


def test_honest_students_are_graded_as_if_attackers_were_absent(graded) -> None:
    honest, mixed = _rows(graded["honest"]), _rows(graded["out"])
    for sid, row in honest.items():
        assert mixed[sid] == row


@pytest.mark.parametrize("kind", sorted(TARGET))
def test_an_attack_gains_nothing(graded, kind: str) -> None:
    row = _rows(graded["out"])[f"x-{kind}"]
    assert float(row[TARGET[kind]]) == 0, f"{kind} earned points on {TARGET[kind]}"


def test_a_result_far_larger_than_the_answer_is_refused_unread(graded) -> None:
    tests = [t for t in _results(graded["out"], "x-huge-result")["tests"] if t["name"].startswith("losses.mse:")]
    public = [t for t in tests if t["visibility"] == "visible" and t["status"] == "failed"]
    assert public and all("far larger" in t["output"] for t in public)


def test_values_past_the_bounds_are_unsupported_results(graded) -> None:
    for sid, fn in (("x-huge-int", "losses.sse:"), ("x-deep-nesting", "losses.huber:")):
        public = [t for t in _results(graded["out"], sid)["tests"]
                  if t["name"].startswith(fn) and t["visibility"] == "visible"]
        assert public and all("cannot be graded" in t["output"] for t in public), public


def test_inputs_changed_in_place_are_seen_whatever_the_child_reports(graded) -> None:
    tests = {t["name"]: t for t in _results(graded["out"], "x-restores-inputs")["tests"]}
    assert tests["losses.sse: leaves its inputs alone"]["status"] == "failed"
    assert "changed" in tests["losses.sse: leaves its inputs alone"]["output"]
    # every value test still passes: the check is about the inputs, not the answer
    values = [t for n, t in tests.items() if n.startswith("losses.sse:") and "alone" not in n]
    assert values and all(t["status"] == "passed" for t in values)


def test_hidden_tests_show_no_text_the_submission_controls(graded) -> None:
    data = _results(graded["out"], "x-leaks-text")
    hidden = [t for t in data["tests"] if t["visibility"] != "visible"]
    assert hidden and not [t["name"] for t in hidden if "LEAK" in t["output"]]
    assert "LEAK" not in data["output"]
    public_failures = [t for t in data["tests"] if t["visibility"] == "visible" and "LEAK" in t["output"]]
    assert public_failures, "public tests keep the full message"
    feedback = (graded["out"] / "feedback" / "x-leaks-text.md").read_text(encoding="utf-8")
    leaking = [line for line in feedback.splitlines() if "LEAK" in line and "(public)" not in line]
    assert not leaking
    # the kind of failure is still named, with built-in exception names only
    ce = [t for t in hidden if t["name"].startswith("losses.cross_entropy:")]
    assert ce and all("raised ValueError" in t["output"] for t in ce)
    bce = [t for t in hidden if t["name"].startswith("losses.binary_cross_entropy:")]
    assert bce and all("its own class" in t["output"] for t in bce)


def test_an_import_error_is_described_by_the_trusted_side(graded) -> None:
    feedback = (graded["out"] / "feedback" / "x-leaks-text.md").read_text(encoding="utf-8")
    assert "`descent.py`: raised RuntimeError at import" in feedback


def test_no_process_of_a_submission_survives(tmp_path: Path, course) -> None:
    """Scoped to this test's own process tree: the CLI runs under a subreaper that
    adopts every orphan, and lists those still alive when the CLI has exited."""
    maker = ClassMaker(course, seed=5)
    write_folder(tmp_path / "cls" / "forker", attacked_forker(maker))
    write_folder(tmp_path / "cls" / "honest", maker.correct())
    watcher = textwrap.dedent(f"""
        import ctypes, json, os, subprocess, sys, time
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        proc = subprocess.run([sys.executable, "-m", "grader", "grade", "--assignment", "ps1", {str(tmp_path / "cls")!r},
                               "--out", {str(tmp_path / "out")!r}, "--quiet"], cwd={str(ROOT)!r}, env=env,
                              capture_output=True)
        time.sleep(0.5)
        alive = []
        for tid in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{{tid}}/children") as f:
                alive += f.read().split()
        print(json.dumps({{"code": proc.returncode, "alive": alive}}))
        """)
    done = subprocess.run([sys.executable, "-c", watcher], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert report["alive"] == []


def attacked_forker(maker: ClassMaker) -> dict[str, str]:
    sources = maker.correct()
    sources["losses"] = replace_function(sources["losses"], "mae", textwrap.dedent("""
        def mae(y, y_hat):
            import os, time
            if os.fork() == 0:  # a daemon that tries to outlive the grading
                os.setsid()
                if os.fork() == 0:
                    time.sleep(600)
                os._exit(0)
            import numpy as np
            return float(np.mean(np.abs(np.ravel(y) - np.ravel(y_hat))))
        """))
    return sources


def test_cpu_of_helper_processes_counts_against_the_submission(tmp_path: Path, course) -> None:
    """Three helpers each burn 1.5 s of CPU (measured by themselves, so a busy machine
    changes nothing) while the function waits for them: 4.5 s against a 2 s budget.
    The submission is graded `timeout` with the CPU limit named; an honest student
    beside it is not touched."""
    text = (ROOT / "course.yml").read_text(encoding="utf-8")
    text = text.replace("cpu_seconds: 10", "cpu_seconds: 2").replace("wall_seconds: 20", "wall_seconds: 40")
    text = text.replace("call_seconds: 3", "call_seconds: 20")
    (tmp_path / "course.yml").write_text(text, encoding="utf-8")
    (tmp_path / "solutions").symlink_to(ROOT / "solutions")
    maker = ClassMaker(course, seed=6)
    sources = maker.correct()
    sources["losses"] = replace_function(sources["losses"], "sse", textwrap.dedent("""
        _helpers = []
        def sse(y, y_hat):
            import os, time
            import numpy as np
            if not _helpers:
                for _ in range(3):
                    pid = os.fork()
                    if pid == 0:
                        while time.process_time() < 1.5:
                            pass
                        os._exit(0)
                    _helpers.append(pid)
                for pid in _helpers:
                    os.waitpid(pid, 0)
            r = np.ravel(y) - np.ravel(y_hat)
            return float(r @ r)
        """))
    write_folder(tmp_path / "cls" / "burner", sources)
    write_folder(tmp_path / "cls" / "honest", maker.correct())
    proc = run_cli("--course", str(tmp_path / "course.yml"), "grade", str(tmp_path / "cls"),
                   "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    rows = _rows(tmp_path / "out")
    assert rows["burner"]["status"] == "timeout"
    assert rows["honest"]["status"] == "ok" and rows["honest"]["total"] == rows["honest"]["max_total"]
    feedback = (tmp_path / "out" / "feedback" / "burner.md").read_text(encoding="utf-8")
    assert "cpu time limit" in feedback


def test_the_run_says_which_limits_are_per_process(graded) -> None:
    assert "WARNING: sandbox: limits are per process, not per submission" in graded["b"].stderr


class _ScriptedPool:
    """Stands in for the sandbox pool: answers each student with a scripted RawResult."""

    def __init__(self, replies: dict[str, object]) -> None:
        self.replies = replies
        self.warnings: list[str] = []

    def __call__(self, *args: object, **kwargs: object) -> _ScriptedPool:
        return self

    def __enter__(self) -> _ScriptedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def map(self, items):  # type: ignore[no-untyped-def]
        for sub, _sources in items:
            yield sub, self.replies[sub.student_id]


def test_a_student_who_breaks_scoring_costs_only_that_student(tmp_path: Path, course, plan) -> None:
    """Whatever stage fails on one student's results (here: results that do not match the
    plan, a figure that breaks the saver), that student is graded `error` with the
    reason and listed, and every other student is graded as usual."""
    from grader.execute import Outcome
    from grader.runner import ClassGrader
    from grader.sandbox import RawResult

    maker = ClassMaker(course, seed=8)
    for sid in ("ana", "broken", "zoe"):
        write_folder(tmp_path / "cls" / sid, maker.correct())
    fine = RawResult(list(plan.expected))
    odd = [Outcome(ok=True, value=object()) for _ in plan.expected]  # no sandbox ever sends these
    pool = _ScriptedPool({"ana": fine, "zoe": fine, "broken": RawResult(odd[:3])})
    summary = ClassGrader(course, tmp_path / "out", plan=plan, progress=False, pool_factory=pool).grade(
        tmp_path / "cls")
    by_id = {r.student_id: r for r in summary.results}
    assert by_id["ana"].total == by_id["zoe"].total == course.max_total
    assert by_id["broken"].status == "error" and by_id["broken"].total == 0
    assert any("could not score" in p for p in by_id["broken"].problems)
    assert any(n.startswith("broken: the grader could not score") for n in summary.notes)
    assert set(_rows(tmp_path / "out")) == {"ana", "broken", "zoe"}
    assert "could not score" in (tmp_path / "out" / "feedback" / "broken.md").read_text(encoding="utf-8")


def test_the_graders_own_import_words_are_kept_and_a_submissions_are_not() -> None:
    """A module's import failure in the zygote's words is shown as it is (hidden tests too),
    for every way it words a death (a real-time signal has no SIG name); text of the same
    shape that a submission could have chosen (an exception class named like it) is not."""
    from grader import redact

    for own in ("the process died (killed by SIGKILL) during import",
                "the process died (killed by signal 40) during import",
                "the process died (it exited with code 3) during import", "import timed out"):
        assert redact.module_error("losses", own, None) == own
    chosen = "the process died (killed by the answer is 42) during import"
    assert "42" not in redact.module_error("losses", chosen, None)

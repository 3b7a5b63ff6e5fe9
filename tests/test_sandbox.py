"""The sandbox contains deliberately malicious submissions.

Every test grades a small fake module set (``m``, ``m2``) against a tiny plan:
a correct submission gets correct outcomes, and each attack costs at most its
own call (or module), never another call, another submission, the zygote or
the pool. Namespace-specific tests are skipped when the kernel offers no user
namespaces (the pool's ``warnings`` then say so).
"""

from __future__ import annotations

import os
import socket
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from grader.cases import Call
from grader.execute import Outcome
from grader.sandbox import Limits, RawResult, SandboxPool
from grader.wire import Fn, Unsupported

ROOT = Path(__file__).resolve().parent.parent

LIMITS = Limits(wall_seconds=10, call_seconds=1.0, cpu_seconds=6, memory_mb=200,
                processes=4, output_kb=8, scratch_mb=4)

PLAN = [
    Call("m", "add", (1, 2)),                                   # 0
    Call("m", "add", (np.array([1.0, 2.0]), 1.5)),              # 1
    Call("m", "grad", (Fn("bowl"), np.array([1.0, 2.0]))),      # 2
    Call("m", "inc", (np.array([1.0, 2.0]),), args_after=True),  # 3
    Call("m", "attack", ()),                                    # 4
    Call("m", "add", (10, 20)),                                 # 5
    Call("m2", "g", (), (("x", 3),)),                           # 6
]
ATTACK = 4

GOOD = """
import numpy as np

def add(a, b):
    print("add", a, b)
    return a + b

def grad(f, x):
    h = 1e-6
    x = np.asarray(x, dtype=float)
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])

def inc(xs):
    xs += 1
    return len(xs)
"""
GOOD_M2 = "def g(x=0):\n    return 'g' * x\n"


def submission(attack: str = "return 'fine'", *, header: str = "", m2: str = GOOD_M2) -> dict[str, str]:
    """Module ``m`` with correct functions plus ``attack()`` running ``attack``."""
    body = textwrap.indent(textwrap.dedent(attack).strip(), "    ")
    return {"m": header + GOOD + "\n\ndef attack():\n" + body + "\n", "m2": m2}


def assert_others_fine(r: RawResult, skip: tuple[int, ...] = (ATTACK,)) -> None:
    expected = {0: 3, 1: np.array([2.5, 3.5]), 2: np.array([2.0, 4.0]), 3: 2, 5: 30, 6: "ggg"}
    for i, value in expected.items():
        if i in skip:
            continue
        o = r.outcomes[i]
        assert o.ok, (i, o)
        if isinstance(value, np.ndarray):
            np.testing.assert_allclose(o.value, value, rtol=1e-5)
        else:
            assert o.value == value, (i, o)


@pytest.fixture(scope="module")
def pool():
    with SandboxPool(PLAN, LIMITS, jobs=2) as p:
        yield p


@pytest.fixture(scope="module")
def isolated(pool):
    missing = [w for w in pool.warnings if not w.startswith("limits are per process")]  # see README, Limits
    if missing:
        pytest.skip("namespace isolation unavailable here: " + "; ".join(missing))
    return pool


def host_processes_named(name: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and Path(f"/proc/{pid}/comm").read_text().strip() == name:
                found.append(int(pid))
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            kids = [int(c) for t in os.listdir(f"/proc/{p}/task")
                    for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
        except OSError:
            kids = []
        out += kids
        stack += kids
    return out


def zygote_pids(p: SandboxPool) -> list[int]:
    return [w.proc.pid for w in p._workers if w.proc is not None]


# -- correct code --------------------------------------------------------------------------


def test_correct_submission(pool):
    r = pool.run(submission())
    assert len(r.outcomes) == len(PLAN)
    assert_others_fine(r, skip=())
    assert r.outcomes[ATTACK].value == "fine"
    after = r.outcomes[3].args_after  # read by the zygote from memory shared with the child
    assert after is not None and len(after) == 1 and after[0].tolist() == [2.0, 3.0]
    assert r.module_errors == {}
    assert r.limits_hit == []
    assert "add 1 2" in r.stdout
    assert r.cpu_ms > 0 and r.wall_ms > 0


def test_missing_module_and_syntax_error(pool):
    r = pool.run({"m": submission()["m"]})
    assert r.module_errors == {"m2": "not submitted"}
    assert not r.outcomes[6].ok
    assert_others_fine(r, skip=(ATTACK, 6))
    r = pool.run(submission(m2="def g(:\n    pass\n"))
    assert r.module_errors["m2"].startswith("SyntaxError: ") and "(line 1)" in r.module_errors["m2"]
    r = pool.run(submission(m2="x = 1 / 0\n"))
    assert r.module_errors["m2"] == "raised ZeroDivisionError at import: division by zero"
    assert_others_fine(r, skip=(ATTACK, 6))


# -- time, memory, processes, output ---------------------------------------------------------


def test_infinite_loop_costs_only_that_call(pool):
    r = pool.run(submission("while True:\n    pass"))
    assert r.outcomes[ATTACK].timeout and not r.outcomes[ATTACK].ok
    assert "call time" in r.limits_hit
    assert_others_fine(r)


def test_infinite_loop_at_import_costs_only_that_module(pool):
    start = time.monotonic()
    r = pool.run(submission(m2="while True:\n    pass\n"))
    assert r.module_errors == {"m2": "import timed out"}
    assert not r.outcomes[6].ok
    assert_others_fine(r, skip=(ATTACK, 6))
    assert time.monotonic() - start < 3 * LIMITS.call_seconds


def test_memory_bomb(pool):
    r = pool.run(submission("x = bytearray(10**10)\nreturn len(x)"))
    assert r.outcomes[ATTACK].error.startswith("MemoryError")
    assert "memory" in r.limits_hit
    assert_others_fine(r)
    r = pool.run(submission("blocks = []\nwhile True:\n    blocks.append(bytearray(10**6))"))
    assert not r.outcomes[ATTACK].ok and "memory" in r.limits_hit
    assert_others_fine(r)


def test_output_flood_is_truncated(pool):
    r = pool.run(submission("for i in range(10**5):\n    print('flood' * 20)\nreturn 42"))
    assert r.outcomes[ATTACK].ok and r.outcomes[ATTACK].value == 42
    assert "output" in r.limits_hit
    assert r.stdout.endswith("[output truncated]")
    assert len(r.stdout.encode()) <= (LIMITS.output_kb << 10) + 40
    assert_others_fine(r)


def test_output_flood_through_raw_fd(pool):
    r = pool.run(submission("import os\nfor i in range(1000):\n    os.write(1, b'x' * 10000)\nreturn 1"))
    assert "output" in r.limits_hit
    assert_others_fine(r)


@pytest.mark.parametrize("attack, error", [
    ("import os\nos._exit(0)", "the process died (it exited with code 0)"),
    ("import sys\nsys.exit(0)", "SystemExit: 0"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "the process died (killed by SIGSEGV)"),
    ("import os, time\nif os.fork() == 0:\n    time.sleep(5)\nos._exit(3)",  # a child keeps the pipe open
     "the process died (it exited with code 3)"),
    ("import os, time\nfor fd in range(3, 256):\n    try:\n        os.close(fd)\n    except OSError:\n"
     "        pass\ntime.sleep(5)", "the submission closed its result channel"),
])
def test_exit_mid_call(pool, attack, error):
    r = pool.run(submission(attack))
    assert r.outcomes[ATTACK].error == error
    assert_others_fine(r)


def test_fork_bomb_is_contained_and_cleaned_up(isolated):
    attack = """
    import ctypes, os, time
    libc = ctypes.CDLL(None)
    while True:
        if os.fork() == 0:
            libc.prctl(15, b"bombchild", 0, 0, 0)
            os.setsid()
            if os.fork() == 0:
                libc.prctl(15, b"bombchild", 0, 0, 0)
                while True:
                    time.sleep(1)
            os._exit(0)
    """
    r = isolated.run(submission(attack))
    assert "BlockingIOError" in r.outcomes[ATTACK].error
    assert "processes" in r.limits_hit
    assert_others_fine(r)
    assert host_processes_named("bombchild") == []
    for pid in zygote_pids(isolated):
        assert len(descendants(pid)) == 1  # only the zygote itself, PID 1 of its namespace


def test_process_limit_counts_the_submission_itself(isolated):
    attack = """
    import os, time
    kids = 0
    for _ in range(10):
        try:
            pid = os.fork()
        except BlockingIOError:
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        kids += 1
    return kids
    """
    r = isolated.run(submission(attack))
    assert r.outcomes[ATTACK].value == LIMITS.processes - 1
    assert_others_fine(r)


# -- files, network, signals -------------------------------------------------------------


def test_no_access_outside_scratch(isolated, tmp_path):
    secret = Path("/tmp") / f"grader-test-secret-{os.getpid()}"
    secret.write_text("secret")
    try:
        attack = f"""
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)

        def syscall(ret):
            if ret != 0:
                raise OSError(ctypes.get_errno(), "refused")

        tries = {{
            "read solution": lambda: open({str(ROOT / "solutions" / "losses.py")!r}).read(),
            "list project": lambda: os.listdir({str(ROOT)!r}),
            "list tmp": lambda: os.listdir("/tmp"),
            "read tmp": lambda: open({str(secret)!r}).read(),
            "write root": lambda: open("/evil", "w").write("x"),
            "write usr": lambda: open("/usr/evil", "w").write("x"),
            "write venv": lambda: open(sys.prefix + "/evil", "w").write("x"),
            "write dev": lambda: open("/dev/evil", "w").write("x"),
            "import solutions": lambda: __import__("solutions"),
            "import suites": lambda: __import__("grader.suites"),
            "remount usr": lambda: syscall(libc.mount(None, b"/usr", None, 32 | 4096, None)),
            "unmount usr": lambda: syscall(libc.umount2(b"/usr", 2)),
            "setuid": lambda: os.setuid(1),
            "sysv shm": lambda: syscall(0 if libc.shmget(1234, 4096, 0o1600) >= 0 else -1),
            "sysv msg": lambda: syscall(0 if libc.msgget(1234, 0o1600) >= 0 else -1),
        }}
        out = {{}}
        for name, fn in tries.items():
            try:
                fn()
                out[name] = "allowed"
            except BaseException as exc:
                out[name] = type(exc).__name__
        with open("mine.txt", "w") as f:
            f.write("scratch is writable")
        out["scratch"] = open("mine.txt").read()
        return out
        """
        r = isolated.run(submission(attack))
        result = r.outcomes[ATTACK].value
        assert result.pop("scratch") == "scratch is writable"
        assert [k for k, v in result.items() if v == "allowed"] == [], result
        assert not Path("/evil").exists() and not Path("/usr/evil").exists()
    finally:
        secret.unlink()


def test_no_network(isolated):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        attack = f"""
        import socket
        out = []
        for addr in [("127.0.0.1", {port}), ("1.1.1.1", 80), ("localhost", {port})]:
            try:
                socket.create_connection(addr, timeout=0.5).close()
                out.append("connected")
            except OSError as exc:
                out.append(type(exc).__name__)
        return out
        """
        r = isolated.run(submission(attack))
        assert "connected" not in r.outcomes[ATTACK].value
        assert_others_fine(r)
    finally:
        server.close()


@pytest.mark.parametrize("attack", [
    "import os\nos.kill(os.getppid(), 9)",
    "import os\nos.kill(1, 9)",
    "import os\nos.kill(-1, 9)",
    "import os, signal\nos.kill(1, signal.SIGINT)\nos.kill(1, signal.SIGTERM)",
])
def test_signals_do_not_hurt_the_zygote(isolated, attack):
    before = zygote_pids(isolated)
    r = isolated.run(submission(attack))
    assert_others_fine(r)
    assert zygote_pids(isolated) == before
    assert all(w.alive() for w in isolated._workers)
    assert_others_fine(isolated.run(submission()), skip=())


# -- what comes back -----------------------------------------------------------------------


def test_hostile_return_values_arrive_as_unsupported(pool):
    attack = """
    class Liar:
        def __eq__(self, other):
            return True
        __hash__ = object.__hash__
    import numpy as np
    return [Liar(), np.array([Liar()], dtype=object)]
    """
    r = pool.run(submission(attack))
    values = r.outcomes[ATTACK].value
    assert all(isinstance(v, Unsupported) for v in values)
    assert_others_fine(r)


def test_faked_results_only_corrupt_their_own(pool):
    # The harness's helpers are bound before submission code runs and the grader's
    # modules are gone from sys.modules: patching `grader.wire` reaches nothing.
    header = """
import json, os
try:
    import grader.wire
    grader.wire.encode = lambda *a, **k: {"$nd": "<f8", "shape": [1000], "b64": "AAAA"}
except ImportError:
    pass
"""
    r = pool.run(submission("return 1", header=header))
    assert all(isinstance(o, Outcome) for o in r.outcomes)
    assert_others_fine(r)

    # Rewriting the encoder the harness holds (through the caller's globals) only
    # changes what this submission's own calls return: a wrong answer, never a crash.
    patch = """
    import sys
    sys._getframe(1).f_globals["_ENCODE"] = lambda v: {"$nd": "<f8", "shape": [1000], "b64": "AAAA"}
    return 1
    """
    r = pool.run(submission(patch))
    assert all(isinstance(o, Outcome) for o in r.outcomes)
    assert any(o.error and "unreadable" in o.error for o in r.outcomes)

    forge = """
    import os
    line = b'{"i": 5, "o": {"ok": true, "value": 12345}}\\n'
    for fd in range(3, 64):
        try:
            os.write(fd, line)
        except OSError:
            pass
    return 1
    """
    r = pool.run(submission(forge))
    assert not r.outcomes[ATTACK].ok
    assert_others_fine(r)  # call 5 still really ran: 30, not 12345

    header = "import json\njson.dumps = lambda *a, **k: 'garbage{'\njson.JSONEncoder.encode = lambda *a, **k: 'x{'\n"
    r = pool.run(submission("return 1", header=header))
    assert all(isinstance(o, Outcome) for o in r.outcomes)
    assert_others_fine(pool.run(submission()), skip=())


def test_concurrent_submissions_do_not_share_scratch(pool):
    def spy(tag: str) -> dict[str, str]:
        return submission(f"""
        import os, time
        open("{tag}.txt", "w").write("{tag}")
        time.sleep(0.4)
        return sorted(os.listdir("."))
        """)

    results = dict(pool.map([("a", spy("a")), ("b", spy("b"))]))
    assert results["a"].outcomes[ATTACK].value == ["a.txt"]
    assert results["b"].outcomes[ATTACK].value == ["b.txt"]
    r = pool.run(submission("import os\nreturn os.listdir('.')"))
    assert r.outcomes[ATTACK].value == []  # the previous submission's files are gone


def test_map_yields_every_key(pool):
    items = [(i, submission(f"return {i}")) for i in range(6)]
    got = dict(pool.map(items))
    assert sorted(got) == list(range(6))
    assert all(got[i].outcomes[ATTACK].value == i for i in range(6))


# -- the pool survives its zygotes --------------------------------------------------------


def test_dead_zygote_gives_an_error_result_and_is_restarted():
    with SandboxPool(PLAN, LIMITS, jobs=1) as p:
        victim = p._workers[0].proc
        threading.Timer(0.3, victim.kill).start()
        r = p.run(submission("import time\ntime.sleep(0.8)"))
        assert len(r.outcomes) == len(PLAN)
        assert all(not o.ok for o in r.outcomes)
        assert_others_fine(p.run(submission()), skip=())
        assert p._workers[0].proc is not victim


def test_wall_and_cpu_limits():
    limits = Limits(wall_seconds=2.5, call_seconds=1.0, cpu_seconds=1.5, memory_mb=200)
    with SandboxPool(PLAN, limits, jobs=1) as p:
        hang = "while True:\n        pass\n"
        src = {"m": f"def add(a, b):\n    {hang}def grad(f, x):\n    {hang}def inc(xs):\n    {hang}"
                    f"def attack():\n    {hang}",
               "m2": f"def g(x):\n    {hang}"}
        start = time.monotonic()
        r = p.run(src)
        assert time.monotonic() - start < limits.wall_seconds + 1.5
        assert all(not o.ok and o.timeout for o in r.outcomes)
        assert {"call time"} <= set(r.limits_hit) and {"wall time", "cpu time"} & set(r.limits_hit)

    limits = Limits(wall_seconds=8, call_seconds=5, cpu_seconds=1)
    with SandboxPool(PLAN, limits, jobs=1) as p:
        r = p.run(submission("while True:\n    pass"))
        assert "cpu time" in r.limits_hit
        assert r.outcomes[ATTACK].timeout
        assert all(o.ok for o in r.outcomes[:ATTACK])


# -- the fallback without namespaces ------------------------------------------------------


def test_fallback_still_enforces_limits(monkeypatch):
    monkeypatch.setenv("GRADER_SANDBOX", "rlimits")
    with SandboxPool(PLAN, LIMITS, jobs=1) as p:
        assert any("GRADER_SANDBOX=rlimits" in w for w in p.warnings)
        assert any("solutions/" in w for w in p.warnings)
        assert_others_fine(p.run(submission()), skip=())
        r = p.run(submission("while True:\n    pass"))
        assert "call time" in r.limits_hit and r.outcomes[ATTACK].timeout
        assert_others_fine(r)
        r = p.run(submission("x = bytearray(10**10)"))
        assert "memory" in r.limits_hit
        assert_others_fine(r)
        r = p.run(submission("print('x' * 100000)\nreturn 1"))
        assert "output" in r.limits_hit and r.stdout.endswith("[output truncated]")
        r = p.run(submission(m2="while True:\n    pass\n"))
        assert r.module_errors == {"m2": "import timed out"}
        assert_others_fine(r, skip=(ATTACK, 6))
        sleeper = """
        import ctypes, os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                ctypes.CDLL(None).prctl(15, b"fallbackchild", 0, 0, 0)
                time.sleep(60)
            os._exit(0)
        time.sleep(0.2)
        return 1
        """
        r = p.run(submission(sleeper))
        assert r.outcomes[ATTACK].value == 1
        assert host_processes_named("fallbackchild") == []


# -- throughput (the bulk-grading requirement) ---------------------------------------------

BENCH_SOURCE = """
import numpy as np

def mse(y, y_hat):
    r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
    return float(np.mean(r * r))

def mae(y, y_hat):
    r = np.ravel(np.asarray(y, dtype=float)) - np.ravel(np.asarray(y_hat, dtype=float))
    return float(np.mean(np.abs(r)))

def cross_entropy(p, q):
    q = np.clip(np.asarray(q, dtype=float), 1e-12, 1 - 1e-12)
    return float(-np.sum(np.asarray(p) * np.log(q)))

def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g

def gradient_descent(grad_fn, x0, lr=0.1, steps=20):
    x = np.asarray(x0, dtype=float).copy()
    for _ in range(steps):
        x = x - lr * grad_fn(x)
    return x
"""


def bench_plan(n: int = 150) -> list[Call]:
    """About ``n`` small calls, shaped like the real exercises' (arrays of <= 100 floats)."""
    rng = np.random.default_rng(0)
    calls: list[Call] = []
    while len(calls) < n:
        k = int(rng.integers(2, 100))
        y, y_hat = rng.normal(size=k), rng.normal(size=k)
        p = rng.dirichlet(np.ones(k))
        calls += [
            Call("losses", "mse", (y, y_hat)),
            Call("losses", "mae", (y.tolist(), y_hat.reshape(-1, 1))),
            Call("losses", "cross_entropy", (p, rng.dirichlet(np.ones(k)))),
            Call("descent", "numerical_gradient", (Fn("bowl"), rng.normal(size=3))),
            Call("descent", "gradient_descent", (Fn("bowl_grad"), rng.normal(size=2)), (("lr", 0.1),)),
        ]
    return calls[:n]


def bench_sources() -> dict[str, str]:
    return {"losses": BENCH_SOURCE, "descent": BENCH_SOURCE}


@pytest.mark.slow
def test_throughput_smoke():
    """A lenient floor (the measured figures are far above it): 60 submissions of 150 calls."""
    plan = bench_plan()
    with SandboxPool(plan, Limits(), jobs=2) as p:
        p.run(bench_sources())
        start = time.monotonic()
        results = [r for _, r in p.map((i, bench_sources()) for i in range(60))]
        rate = len(results) / (time.monotonic() - start)
    assert all(o.ok for r in results for o in r.outcomes)
    assert rate > 10, rate
    assert float(np.median([r.cpu_ms for r in results])) < 100

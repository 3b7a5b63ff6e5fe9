"""What the per-submission cost savings rely on, checked through the real sandbox pool.

* The zygote freezes its heap (``gc.freeze``) before it forks, so a collection in a
  submission's child walks only that child's own objects, never the zygote's (which
  would dirty, i.e. copy, its pages), and the child starts with a high first gc threshold;
  cyclic garbage is still collected, and nothing a submission does to the collector or to
  a module reaches the next submission.
* With plot exercises the zygote draws throw-away figures before it forks; a submission
  sees none of that: no open figure, numbering from 1, matplotlib's settings as in a
  fresh process, an empty font cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cases import Call
from grader.sandbox import Limits, SandboxPool
from grader.sandbox.zygote import CHILD_GC_THRESHOLD, loads

ROOT = Path(__file__).resolve().parent.parent
LIMITS = Limits(wall_seconds=20, call_seconds=5.0, cpu_seconds=15, memory_mb=400,
                processes=4, output_kb=8, scratch_mb=4)

PLAN = [
    Call("m", "state", ()),   # 0: the collector and numpy as this child found them
    Call("m", "cycles", ()),  # 1: cyclic garbage is still collected
    Call("m", "tamper", ()),  # 2: a hostile submission changes the collector and numpy
    Call("m", "state", ()),   # 3: ... which it sees itself
]

STATE = """
import gc

def state():
    import numpy
    return {
        "frozen": gc.get_freeze_count(),
        "tracked": len(gc.get_objects()),
        "threshold": list(gc.get_threshold()),
        "enabled": gc.isenabled(),
        "leak": hasattr(numpy, "LEAKED_BY_ANOTHER_STUDENT"),
    }

def cycles():
    before = gc.get_stats()[0]["collections"]
    for _ in range(100_000):
        a = []
        a.append(a)
    return gc.get_stats()[0]["collections"] - before
"""
CLEAN = STATE + "\ndef tamper():\n    return False\n"
HOSTILE = STATE + """
def tamper():
    import numpy
    numpy.LEAKED_BY_ANOTHER_STUDENT = 1
    gc.unfreeze()
    gc.set_threshold(1, 1, 1)
    gc.disable()
    return True
"""


@pytest.fixture(scope="module")
def pool():
    with SandboxPool(PLAN, LIMITS, jobs=1) as p:  # one zygote: every submission forks from it
        yield p


def values(pool: SandboxPool, source: str) -> list:
    r = pool.run({"m": source})
    assert all(o.ok for o in r.outcomes), r.outcomes
    return [o.value for o in r.outcomes]


def test_children_collect_only_their_own_objects(pool):
    state, collections, tampered, _ = values(pool, CLEAN)
    assert tampered is False
    # The zygote's heap (NumPy, the harness) is frozen: many objects, none of them walked here.
    assert state["frozen"] > 5_000, state
    assert state["tracked"] < state["frozen"] // 4, state
    assert state["enabled"] is True
    assert state["threshold"][0] == CHILD_GC_THRESHOLD
    assert collections >= 1  # 100,000 cycles: still collected, memory stays bounded


def test_nothing_a_submission_does_to_the_collector_reaches_the_next(pool):
    first, _, tampered, after = values(pool, HOSTILE)
    assert tampered is True
    # The tampering took effect in its own child (so the check below can fail) ...
    assert after["threshold"] == [1, 1, 1] and after["enabled"] is False and after["leak"] is True
    assert after["frozen"] == 0
    # ... and the next submission, forked from the same zygote, starts as the first did.
    state, collections, _, _ = values(pool, CLEAN)
    assert state["frozen"] == first["frozen"]
    assert state["threshold"][0] == CHILD_GC_THRESHOLD and state["enabled"] is True
    assert state["leak"] is False
    assert collections >= 1


MPL_STATE = """
import hashlib

def mpl_state():
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    open_before = list(plt.get_fignums())
    fig = plt.figure()
    number = fig.number
    plt.close(fig)
    settings = repr(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))
    return {
        "open": open_before,
        "number": number,
        "fonts_cached": font_manager._get_font.cache_info().currsize,
        "settings": hashlib.sha256(settings.encode()).hexdigest(),
    }
"""

FRESH = """
import hashlib, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
settings = repr(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))
print(hashlib.sha256(settings.encode()).hexdigest())
"""


def test_matplotlib_warm_up_leaves_nothing_a_submission_can_see(monkeypatch, tmp_path):
    log = tmp_path / "zygote.log"
    monkeypatch.setenv("GRADER_SANDBOX_LOG", str(log))  # the zygote's stderr
    plan = [Call("m", "mpl_state", ())] * 2
    with SandboxPool(plan, LIMITS, jobs=1, preload=("matplotlib", "grader.figure_summary")) as p:
        assert not [w for w in p.warnings if w.startswith("could not")], p.warnings
        runs = [p.run({"m": MPL_STATE}) for _ in range(2)]
    assert "warm-up failed" not in log.read_text(errors="replace")  # it ran (a failure costs only time)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"} | {"MPLBACKEND": "Agg"}
    fresh = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, env=env,
                           cwd="/", check=True, timeout=120).stdout.strip()
    for r in runs:
        first, second = (o.value for o in r.outcomes)
        assert first == {"open": [], "number": 1, "fonts_cached": 0, "settings": fresh}
        assert second == first  # two calls in one child: the first left nothing either


@pytest.mark.parametrize("data", [
    b'{"ok":true,"value":1.5}', b'[1,2]', '{"a":1}'.encode("utf-16"), b'\xef\xbb\xbf{}',
    b"NaN", b'{"a":-Infinity}', b"{} x", b'"\\ud800"', b"1e999", b"", b"\xff",
])
def test_loads_is_json_loads_without_constants(data):
    """The zygote's one decoder for every result line accepts and refuses exactly what
    ``json.loads(data, parse_constant=...)`` does (NaN and Infinity are not plain data)."""
    def reference(d: bytes):
        def no_constant(name: str):
            raise ValueError(name)
        return json.loads(d, parse_constant=no_constant)

    outcomes = []
    for f in (reference, loads):
        try:
            outcomes.append(("ok", repr(f(data))))
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            outcomes.append(("error", type(exc).__name__))
    assert outcomes[0] == outcomes[1]


def test_a_numeric_zygote_imports_neither_matplotlib_nor_threading():
    """A course without plot exercises does not import matplotlib in its zygote (no warm-up
    either), nor ``threading``: its at-fork hook would run in every child (about 0.3 ms and
    100 page faults each). A submission that imports it gets a fresh copy."""
    source = ("import sys\n"
              "def mods():\n    return [m for m in ('matplotlib', 'threading') if m in sys.modules]\n"
              "def thread():\n    import threading\n    out = []\n"
              "    t = threading.Thread(target=out.append, args=(1,))\n    t.start()\n    t.join()\n"
              "    return out\n")
    with SandboxPool([Call("m", "mods", ()), Call("m", "thread", ())], LIMITS, jobs=1) as p:
        r = p.run({"m": source})
    assert [o.value for o in r.outcomes] == [[], [1]], r.outcomes

"""Synthetic classes of submissions, for the bundled sample class and the benchmark.

Submissions are built from the reference solutions with known mistakes from
the catalogue spliced in, some functions left unstarted, and (for the sample
class) the broken and hostile entries an instructor meets in real life.
"""

from __future__ import annotations

import ast
import io
import random
import zipfile
from pathlib import Path

from grader.config import Course

# Hostile or broken submissions kept as regression fixtures; each value is a
# function body spliced into losses.py (or a whole-module replacement).
HOSTILE: dict[str, dict[str, str]] = {
    "syntax-error": {"regression": "def center(x):\n    return x -\n"},
    "raises-at-import": {"descent": "import numpy as np\nraise RuntimeError('half-finished module')\n"},
    "infinite-loop": {"losses.mae": "def mae(y, y_hat):\n    while True:\n        pass\n"},
    "memory-bomb": {"losses.huber": "def huber(y, y_hat, delta=1.0):\n    blocks = []\n    while True:\n        blocks.append(bytearray(50_000_000))\n"},
    "fork-bomb": {"losses.mse": "def mse(y, y_hat):\n    import os\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n"},
    "output-flood": {"losses.sse": "def sse(y, y_hat):\n    import numpy as np\n    print('x' * 100_000)\n    r = np.ravel(y) - np.ravel(y_hat)\n    return float(np.sum(r * r))\n"},
    "reads-solutions": {"losses.sse": (
        "def sse(y, y_hat):\n    import os, sys\n"
        "    found = 0.0\n"
        "    for p in ['/work/main/solutions/losses.py', '../solutions/losses.py', '../../solutions/losses.py',\n"
        "              os.path.expanduser('~/solutions/losses.py'), '/proc/1/root/work/main/solutions/losses.py']:\n"
        "        try:\n            exec(open(p).read(), globals())\n            found = 1.0\n"
        "        except Exception:\n            pass\n"
        "    try:\n        import solutions.losses\n        found = 1.0\n    except Exception:\n        pass\n"
        "    return found\n")},
    "writes-everywhere": {"losses.mae": (
        "def mae(y, y_hat):\n    import os\n"
        "    for d in ['/tmp', '/work/main', '..', '../..', os.path.expanduser('~'), '/']:\n"
        "        try:\n            open(os.path.join(d, 'PWNED.txt'), 'w').write('x')\n"
        "        except Exception:\n            pass\n"
        "    import numpy as np\n    return float(np.mean(np.abs(np.ravel(y) - np.ravel(y_hat))))\n")},
    "monkeypatches": {"losses.sse": (
        "import numpy as np\nimport json\n"
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "json.dumps = lambda *a, **k: '{\"ok\": true, \"value\": 0}'\n"
        "try:\n    import pytest\n    pytest.fail = lambda *a, **k: None\nexcept Exception:\n    pass\n\n"
        "def sse(y, y_hat):\n    return 0.0\n")},
    "inspects-stack": {"losses.huber": (
        "def huber(y, y_hat, delta=1.0):\n    import sys, gc\n"
        "    frame = sys._getframe(1)\n    while frame is not None:\n"
        "        for name in ('expected', 'reference', 'plan'):\n"
        "            if name in frame.f_locals:\n                return frame.f_locals[name]\n"
        "        frame = frame.f_back\n"
        "    for obj in gc.get_objects():\n"
        "        if type(obj).__name__ in ('Plan', 'Outcome') and hasattr(obj, 'expected'):\n"
        "            return obj.expected\n"
        "    return 0.0\n")},
    "fake-results": {"losses.cross_entropy": (
        "def cross_entropy(y, y_hat, base=2.718281828459045):\n    import sys, os\n"
        "    print('{\"score\": 70, \"max_score\": 70}')\n"
        "    for fd in range(3, 64):\n        try:\n"
        "            os.write(fd, b'{\"outcomes\": [], \"score\": 70}\\n')\n"
        "        except OSError:\n            pass\n"
        "    sys.stdout.flush()\n    os._exit(0)\n")},
    "network": {"losses.binary_cross_entropy": (
        "def binary_cross_entropy(y, p):\n    import socket\n"
        "    for host in [('127.0.0.1', 22), ('1.1.1.1', 53), ('pypi.org', 443)]:\n"
        "        try:\n            socket.create_connection(host, timeout=1).close()\n"
        "            return 1.0\n        except Exception:\n            pass\n"
        "    return -1.0\n")},
    "always-equal": {"losses.mse": (
        "class _Yes(float):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n\n"
        "def mse(y, y_hat):\n    return _Yes(0.0)\n")},
    "exits-early": {"losses.cross_entropy": "def cross_entropy(y, y_hat, base=2.718281828459045):\n    import sys\n    sys.exit(0)\n"},
    "kills-parent": {"derivatives.sse_derivative": "def sse_derivative(y, y_hat):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    os.kill(1, signal.SIGKILL)\n    return None\n"},
}


def replace_function(source: str, name: str, replacement: str) -> str:
    """``source`` with the top-level function ``name`` replaced by ``replacement``."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            lines = source.splitlines(keepends=True)
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            return "".join(lines[:start]) + replacement.rstrip("\n") + "\n" + "".join(lines[node.end_lineno:])
    raise KeyError(name)


def stub_function(source: str, name: str) -> str:
    """``source`` with the function ``name`` reduced to ``raise NotImplementedError``."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            sig = ast.get_source_segment(source, node) or ""
            header = sig.split(":\n", 1)[0] if ":\n" in sig else f"def {name}(*args, **kwargs)"
            return replace_function(source, name, header + ":\n    raise NotImplementedError\n")
    raise KeyError(name)


class ClassMaker:
    """Builds submissions (module name -> source) from the course's solutions."""

    def __init__(self, course: Course, seed: int = 7) -> None:
        self.course = course
        self.rng = random.Random(seed)
        self.reference = {m: (course.root / "solutions" / f"{m}.py").read_text(encoding="utf-8")
                          for m in course.modules}
        from grader.suites import load_mistakes

        self.mistakes = [m for m in load_mistakes(list(course.modules)) if m.function in course.points]

    def correct(self) -> dict[str, str]:
        return dict(self.reference)

    def with_mistakes(self, k: int = 1) -> tuple[dict[str, str], list[str]]:
        sources = dict(self.reference)
        chosen = self.rng.sample(self.mistakes, k)
        names = []
        for m in chosen:
            module, fn = m.function.split(".")
            sources[module] = replace_function(sources[module], fn, m.source)
            names.append(f"{m.function}/{m.name}")
        return sources, names

    def unfinished(self, n_stubbed: int = 4) -> dict[str, str]:
        sources = dict(self.reference)
        for qual in self.course.functions[-n_stubbed:]:
            module, fn = qual.split(".")
            sources[module] = stub_function(sources[module], fn)
        return sources

    def hostile(self, kind: str) -> dict[str, str]:
        """The attack ``kind`` of HOSTILE; for another assignment's modules, the same kind of
        breakage aimed at this course's first module and function."""
        spec = HOSTILE[kind]
        if all(t.split(".")[0] in self.reference for t in spec):
            return self.altered(spec)
        first = self.course.functions[0]
        module, fn = first.split(".")
        generic = {"syntax-error": {module: self.reference[module] + "\ndef oops(:\n    pass\n"},
                   "raises-at-import": {list(self.reference)[-1]: "raise RuntimeError('half-finished module')\n"},
                   "always-equal": {first: HOSTILE["always-equal"]["losses.mse"].replace("def mse(y, y_hat)",
                                                                                     f"def {fn}(*args, **kwargs)")}}
        return self.altered(generic.get(kind, {}))

    def altered(self, spec: dict[str, str]) -> dict[str, str]:
        """The reference with each ``module.function`` in ``spec`` replaced by its source
        (and each bare ``module`` by a whole module's source)."""
        sources = dict(self.reference)
        for target, text in spec.items():
            if "." in target:
                module, fn = target.split(".")
                sources[module] = replace_function(sources[module], fn, text)
            else:
                sources[target] = text
        return sources


def write_folder(path: Path, sources: dict[str, str], layout: str = "flat") -> None:
    """Write a submission folder in one of the shapes students hand in."""
    base = {"flat": path, "exercises": path / "exercises", "copy": path / "course-copy" / "exercises"}[layout]
    base.mkdir(parents=True, exist_ok=True)
    for module, text in sources.items():
        (base / f"{module}.py").write_text(text, encoding="utf-8")
    if layout == "copy":
        (path / "course-copy" / "README.md").write_text("My copy of the exercises.\n", encoding="utf-8")


def write_zip(path: Path, sources: dict[str, str], inner: str = "") -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for module, text in sources.items():
            zf.writestr(f"{inner}{module}.py", text)
    path.write_bytes(buf.getvalue())


def make_class(course: Course, out: Path, n: int, *, seed: int = 7, broken: int = 3) -> dict[str, str]:
    """A benchmark class: about 70% correct, 25% with known mistakes, a few broken.

    Returns student id -> what was planted (for checking the grades).
    """
    maker = ClassMaker(course, seed)
    out.mkdir(parents=True, exist_ok=True)
    planted: dict[str, str] = {}
    for i in range(n):
        sid = f"s{i:05d}"
        if i < broken:
            kind = ("syntax-error", "raises-at-import", "always-equal")[i % 3]
            sources, what = maker.hostile(kind), kind
        elif maker.rng.random() < 0.7:
            sources, what = maker.correct(), "correct"
        else:
            sources, names = maker.with_mistakes(maker.rng.choice([1, 1, 2]))
            what = ",".join(names)
        write_folder(out / sid, sources, "flat" if i % 2 else "exercises")
        planted[sid] = what
    return planted


def make_sample_class(course: Course, out: Path) -> dict[str, str]:
    """The bundled sample class: every kind of submission an instructor meets."""
    maker = ClassMaker(course, seed=2026)
    out.mkdir(parents=True, exist_ok=True)
    planted: dict[str, str] = {}
    names = ["aiko", "ben", "chen", "dana", "emre", "fatima", "goro", "hana", "ivan", "jun",
             "kemal", "lena", "mateo", "nina", "omar", "priya", "quinn", "rui", "sara", "taro",
             "uma", "victor", "wen", "xavier", "yuki", "zoe"]
    layouts = ["flat", "exercises", "copy"]
    for i, name in enumerate(names[:8]):
        write_folder(out / name, maker.correct(), layouts[i % 3])
        planted[name] = "correct"
    for name in names[8:16]:
        sources, mistakes = maker.with_mistakes(1 if name < "m" else 2)
        write_folder(out / name, sources, "exercises")
        planted[name] = ",".join(mistakes)
    write_zip(out / "quinn.zip", maker.correct(), inner="quinn/exercises/")
    planted["quinn"] = "correct (zip)"
    write_folder(out / "rui", maker.unfinished(), "flat")
    planted["rui"] = "unfinished"
    stubs = {m: (course.root / "exercises" / f"{m}.py").read_text(encoding="utf-8") for m in course.modules}
    write_folder(out / "sara", stubs, "exercises")
    planted["sara"] = "not started"
    # Broken entries, each costing only its owner.
    hostile_names = {"taro": "syntax-error", "uma": "raises-at-import", "victor": "infinite-loop",
                     "wen": "memory-bomb", "xavier": "fork-bomb", "yuki": "output-flood",
                     "zoe": "reads-solutions", "mallory": "always-equal", "eve": "exits-early",
                     "trudy": "kills-parent"}
    for name, kind in hostile_names.items():
        write_folder(out / name, maker.hostile(kind), "flat")
        planted[name] = kind
    latin = maker.correct()
    (out / "olga").mkdir(exist_ok=True)
    for module, text in latin.items():
        raw = text.encode("utf-8")
        if module == "losses":
            raw = text.replace("Loss functions", "Fonctions de coût: très").encode("latin-1")
        (out / "olga" / f"{module}.py").write_bytes(raw)
    planted["olga"] = "losses.py not UTF-8 (read as cp932, with a note)"
    (out / "pablo").mkdir(exist_ok=True)
    (out / "pablo" / ".gitkeep").touch()  # hidden, so skipped; keeps the folder in git
    planted["pablo"] = "empty folder"
    write_folder(out / "kemal", maker.correct(), "flat")  # kemal also has a zip below: duplicate id
    write_zip(out / "kemal.zip", maker.unfinished(), inner="")
    planted["kemal"] = planted.get("kemal", "") + " + duplicate zip"
    (out / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (out / "__MACOSX").mkdir(exist_ok=True)
    (out / "__MACOSX" / "._aiko").write_bytes(b"\x00\x05\x16\x07")
    (out / "partial-ron").mkdir(exist_ok=True)
    for module in list(course.modules)[:2]:
        (out / "partial-ron" / f"{module}.py").write_text(maker.reference[module], encoding="utf-8")
    planted["partial-ron"] = "only two modules"
    return planted


def write_notebook(path: Path, sources: dict[str, str]) -> None:
    """One Colab-style notebook holding every module's code, one cell each, with a
    magic line and a scratch cell as students leave them."""
    import json

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# 課題 (notebook)\n"]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
              "source": ["%matplotlib inline\n"]}]
    for text in sources.values():
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
                      "source": text.splitlines(keepends=True)})
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [],
                      "source": ["print('試しに実行')\n"]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                               ensure_ascii=False, indent=1), encoding="utf-8")


def make_assignment_sample(course: Course, out: Path) -> dict[str, str]:
    """A small sample class for one more assignment: right, wrong, unfinished, broken, a
    notebook, under Japanese names."""
    maker = ClassMaker(course, seed=2027)
    out.mkdir(parents=True, exist_ok=True)
    planted: dict[str, str] = {}
    # Some of ps1's students again (the term table joins them by id), and some new names.
    for name, layout in (("aiko", "flat"), ("佐藤花子", "exercises"), ("ben", "copy")):
        write_folder(out / name, maker.correct(), layout)
        planted[name] = "correct"
    for name, k in (("chen", 1), ("dana", 2), ("高橋健", 1)):
        sources, mistakes = maker.with_mistakes(k)
        write_folder(out / name, sources, "exercises")
        planted[name] = ",".join(mistakes)
    write_notebook(out / "伊藤美咲" / "課題.ipynb", maker.correct())
    planted["伊藤美咲"] = "correct (one notebook)"
    write_folder(out / "emre", maker.unfinished(2), "flat")
    planted["emre"] = "unfinished"
    stubs = {m: (course.root / "exercises" / f"{m}.py").read_text(encoding="utf-8") for m in course.modules}
    write_folder(out / "sara", stubs, "exercises")
    planted["sara"] = "not started"
    broken = maker.correct()
    first = next(iter(broken))
    broken[first] = broken[first] + "\ndef oops(:\n    pass\n"
    write_folder(out / "taro", broken, "flat")
    planted["taro"] = f"syntax error in {first}.py"
    return planted


def main() -> None:
    import argparse
    import json

    from grader.config import load_course

    p = argparse.ArgumentParser(description="Write a synthetic class of submissions.")
    p.add_argument("out")
    p.add_argument("--students", type=int, default=0, help="benchmark class of N (default: the sample class)")
    p.add_argument("--course", default=str(Path(__file__).resolve().parent.parent / "course.yml"))
    p.add_argument("--assignment", default=None, help="the course's assignment (default: the first)")
    a = p.parse_args()
    course = load_course(a.course, assignment=a.assignment)
    first = course.assignment == next(iter(course.assignments))
    planted = (make_class(course, Path(a.out), a.students) if a.students
               else make_sample_class(course, Path(a.out)) if first
               else make_assignment_sample(course, Path(a.out)))
    print(json.dumps(planted, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()

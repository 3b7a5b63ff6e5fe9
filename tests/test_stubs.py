"""The checked-in ``exercises/`` stubs match what ``grader.stubgen`` makes from ``solutions/``.

Students start from these files, so a stub must keep every public function's
exact signature and docstring and must never carry solution code.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import stubgen
from grader.config import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT / "course.yml")
MODULES = stubgen.solution_modules(ROOT)


def _tree(kind: str, module: str) -> ast.Module:
    return ast.parse((ROOT / kind / f"{module}.py").read_text(encoding="utf-8"))


def _public_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}


def test_checked_in_stubs_are_exactly_what_stubgen_generates() -> None:
    generated = stubgen.generate(ROOT)
    on_disk = {p.name for p in (ROOT / "exercises").glob("*.py")}
    assert on_disk == set(generated), "run `python -m grader.stubgen` (and delete obsolete stubs)"
    for name, text in generated.items():
        assert (ROOT / "exercises" / name).read_bytes() == text.encode("utf-8"), (
            f"exercises/{name} is out of date: run `python -m grader.stubgen`")


def test_generation_is_stable() -> None:
    assert stubgen.generate(ROOT) == stubgen.generate(ROOT)


def test_every_course_function_exists_in_solutions_and_exercises() -> None:
    for module, functions in COURSE.modules.items():
        for kind in ("solutions", "exercises"):
            defined = _public_functions(_tree(kind, module))
            missing = set(functions) - set(defined)
            assert not missing, f"{kind}/{module}.py lacks {sorted(missing)}"


@pytest.mark.parametrize("module", MODULES)
def test_signatures_and_docstrings_match_the_solutions(module: str) -> None:
    solution = importlib.import_module(f"solutions.{module}")
    stub = importlib.import_module(f"exercises.{module}")
    assert Path(stub.__file__).resolve() == ROOT / "exercises" / f"{module}.py"
    assert stub.__doc__ == solution.__doc__
    names = set(_public_functions(_tree("solutions", module)))
    assert names == set(_public_functions(_tree("exercises", module)))
    for name in sorted(names):
        ours, theirs = getattr(stub, name), getattr(solution, name)
        assert inspect.signature(ours) == inspect.signature(theirs), f"{module}.{name}: signature differs"
        assert ours.__doc__ == theirs.__doc__, f"{module}.{name}: docstring differs"


@pytest.mark.parametrize("module", MODULES)
def test_stubs_keep_constants_and_imports_but_no_code(module: str) -> None:
    solution, stub = _tree("solutions", module), _tree("exercises", module)
    imports = [ast.unparse(n) for n in solution.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == [ast.unparse(n) for n in stub.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    constants = {ast.unparse(n) for n in solution.body
                 if isinstance(n, ast.Assign) and not ast.unparse(n.targets[0]).startswith("_")}
    assert constants <= {ast.unparse(n) for n in stub.body}
    for node in stub.body:
        assert not isinstance(node, ast.ClassDef)
        if isinstance(node, ast.FunctionDef):
            assert not node.name.startswith("_"), f"private helper {node.name} leaked into the stub"
            body = [ast.unparse(s) for s in node.body]
            assert body[-1] == "raise NotImplementedError"
            assert len(body) == 2 and ast.get_docstring(node) is not None, f"{module}.{node.name}"


@pytest.mark.parametrize("module", MODULES)
def test_stubs_raise_not_implemented(module: str) -> None:
    stub = importlib.import_module(f"exercises.{module}")
    for name, fn in _public_functions(_tree("exercises", module)).items():
        required = len(fn.args.args) - len(fn.args.defaults)
        with pytest.raises(NotImplementedError):
            getattr(stub, name)(*[None] * required)


SYNTHETIC = '''"""Doc."""

from __future__ import annotations

import os  # a comment that goes
import sys

import numpy as np

_PRIVATE = 3
PUBLIC: int = 4  # secret
"""Public doc."""
DERIVED = {k: _PRIVATE for k in range(3)}
SCALED = np.float64(2.0) * PUBLIC
SQUARE = lambda x: x * x  # noqa: E731


def _helper(x):
    return x * 2


class Thing:
    pass


@staticmethod
def f(x,  # the x
      y=(1, 2),
      *, z: int = 3) -> int:  # returns _helper(x)
    # secret: return _helper(x)
    """Doc of f.

    More."""
    return _helper(x)


def g(a): return a + 1


def h(a): "one-liner doc"; return a


if __name__ == "__main__":
    print(f(1))
'''


def test_stubgen_drops_helpers_comments_and_code() -> None:
    text = stubgen.stub_source(SYNTHETIC)
    for gone in ("_helper", "_PRIVATE", "secret", "Thing", "DERIVED", "SQUARE", "__main__", "a + 1",
                 "return", "a comment"):
        assert gone not in text
    for kept in ('"""Doc."""', "from __future__ import annotations", "import os\nimport sys\n\nimport numpy",
                 'PUBLIC: int = 4\n"""Public doc."""', "SCALED = np.float64(2.0) * PUBLIC", "@staticmethod",
                 'def f(x,\n      y=(1, 2),\n      *, z: int = 3) -> int:\n    """Doc of f.\n\n    More."""\n'
                 "    raise NotImplementedError", "def g(a):\n    raise NotImplementedError",
                 "def h(a):\n    \"\"\"one-liner doc\"\"\"\n    raise NotImplementedError"):
        assert kept in text
    namespace: dict[str, object] = {}
    exec(compile(text, "<stub>", "exec"), namespace)  # noqa: S102 - the stub must import cleanly
    assert namespace["PUBLIC"] == 4


def test_stubgen_cli_reports_up_to_date(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    first = subprocess.run([sys.executable, "-m", "grader.stubgen", str(tmp_path)],
                           capture_output=True, text=True, check=True)
    assert "wrote exercises/losses.py" in first.stdout
    second = subprocess.run([sys.executable, "-m", "grader.stubgen", str(tmp_path)],
                            capture_output=True, text=True, check=True)
    assert "up to date" in second.stdout
    assert (tmp_path / "exercises" / "losses.py").read_text() == stubgen.generate(ROOT)["losses.py"]


def test_stubs_pass_ruff() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    done = subprocess.run([ruff, "check", "--quiet", "exercises"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

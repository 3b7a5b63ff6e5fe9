"""Reading students' notebooks (grader.notebooks): what is kept, what is left out, what is refused.

Notebooks are built here as plain nbformat-4 JSON, with function bodies taken
from the reference solutions, and the modules read from them are run with
``exec`` in fresh namespaces to check they define working functions and run
nothing else.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import math
from typing import Any

import numpy as np
import pytest

from grader.notebooks import (
    MAX_CODE_CHARS,
    NotebookError,
    looks_like_notebook,
    read_notebook,
)
from solutions import derivatives as ref_derivatives
from solutions import losses as ref_losses


def code(source: str, **nbgrader: Any) -> dict[str, Any]:
    """A code cell as Jupyter saves it (source as a list of lines, with some output)."""
    meta = {"nbgrader": {"schema_version": 3, "task": False, **nbgrader}} if nbgrader else {}
    return {"cell_type": "code", "execution_count": 3, "id": "c", "metadata": meta,
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["1.0\n"]}],
            "source": source.splitlines(keepends=True)}


def markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": "m", "metadata": {}, "source": text}


def notebook(*cells: dict[str, Any]) -> bytes:
    nb = {"cells": list(cells), "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1).encode()


def src(*functions: Any) -> str:
    """The reference text of some functions, as a student would type them."""
    return "\n\n".join(inspect.getsource(f) for f in functions)


def run(source: str) -> tuple[dict[str, Any], str]:
    """Execute a built module in a fresh namespace; (namespace, what it printed)."""
    namespace: dict[str, Any] = {"__name__": "student_module"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "student_module.py", "exec"), namespace)  # noqa: S102 - the test's own notebook
    return namespace, out.getvalue()


@pytest.fixture(scope="module")
def modules(course) -> dict[str, list[str]]:
    return {m: list(fs) for m, fs in course.modules.items()}


WRONG_SSE = '''def sse(y, y_hat):
    # first try: this is the mean, not the sum
    r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.mean(r * r))
'''

BCE_INPUTS = ([1, 0, 1, 1], [0.9, 0.2, 0.6, 1.0])
CE_INPUTS = ([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])


def colab_notebook() -> bytes:
    return notebook(
        markdown("# Problem set 1: losses\nRun every cell, then download the .ipynb."),  # 1
        code("%matplotlib inline\n!pip install numpy\nfrom google.colab import drive\nimport math\nimport numpy as np\n"
             "import matplotlib.pyplot as plt\n\nEPS = 1e-12\n"
             'DATA = np.loadtxt("train.csv")  # a file only the student has\n'),  # 2
        code(src(ref_losses._residuals) + "\n\n" + WRONG_SSE),  # 3
        code('drive.mount("/content/drive")\nprint(sse([1, 2], [1, 3]))\nassert sse([1], [1]) == 0\nplt.plot([1, 2, 3])\nplt.show()'),  # 4
        markdown("## The other losses"),  # 5
        code(src(ref_losses.mse, ref_losses.mae, ref_losses.cross_entropy)),  # 6
        code(src(ref_derivatives.sse_derivative, ref_derivatives.binary_cross_entropy_derivative)
             + "\n\nfor p in [0.1, 0.5]:\n    print(binary_cross_entropy_derivative([1], [p]))\n"),  # 7
        code("sse?\n" + src(ref_losses.sse) + "\nprint('fixed:', sse([1, 2], [1, 3]))\n"),  # 8
    )


def test_colab_notebook_gives_each_module_its_functions_and_runs_nothing_else(modules):
    got = read_notebook(colab_notebook(), "submission.ipynb", modules)

    assert set(got.sources) == {"losses", "derivatives"}  # no function of the others is defined
    assert got.origins == {
        "losses.sse": "submission.ipynb, cell 8",  # the redefinition wins
        "losses.mse": "submission.ipynb, cell 6",
        "losses.mae": "submission.ipynb, cell 6",
        "losses.cross_entropy": "submission.ipynb, cell 6",
        "derivatives.sse_derivative": "submission.ipynb, cell 7",
        "derivatives.binary_cross_entropy_derivative": "submission.ipynb, cell 7",
    }
    losses, derivatives = got.sources["losses"], got.sources["derivatives"]
    for text in (losses, derivatives):
        for gone in ("%matplotlib", "!pip", "sse?", "print(", "assert", "plt.show", "loadtxt", "for p in", "colab"):
            assert gone not in text
        assert "import matplotlib.pyplot as plt" in text  # every module gets every import
    assert losses.count("def sse(") == 1 and "np.mean(r * r)" not in losses  # the first try is gone
    assert "def _residuals(" in losses and "def _residuals(" not in derivatives  # only where it is used
    assert "EPS = 1e-12" in losses and "EPS = 1e-12" in derivatives  # both use it

    ns, printed = run(losses)
    assert printed == ""
    assert ns["sse"]([1, 2], [1, 3]) == 1.0  # the sum (the redefinition), not the mean
    assert ns["mse"]([3.0, -0.5, 2.0], [2.5, 0.0, 2.0]) == ref_losses.mse([3.0, -0.5, 2.0], [2.5, 0.0, 2.0])
    assert ns["cross_entropy"](*CE_INPUTS) == ref_losses.cross_entropy(*CE_INPUTS)
    ns, printed = run(derivatives)
    assert printed == ""
    np.testing.assert_array_equal(ns["binary_cross_entropy_derivative"](*BCE_INPUTS),
                                  ref_derivatives.binary_cross_entropy_derivative(*BCE_INPUTS))

    notes = "\n".join(got.notes)
    assert "Left out 3 IPython lines" in notes
    assert "Left out from google.colab import drive: these modules exist only inside Jupyter or Colab." in notes
    assert "Code outside functions in cells 4, 7 and 8 is not run when grading" in notes
    assert "sse is defined in cells 3 and 8; the last definition (cell 8) is used" in notes


def test_each_part_of_a_built_module_names_its_cell(modules):
    losses = read_notebook(colab_notebook(), "submission.ipynb", modules).sources["losses"]
    lines = losses.splitlines()
    assert lines.index("# submission.ipynb, cell 8") + 1 == lines.index("def sse(y, y_hat):")
    assert lines.index("# submission.ipynb, cell 6") + 1 == lines.index("def mse(y, y_hat):")


def test_a_notebook_named_after_a_module_holds_only_that_module(modules):
    data = notebook(
        code(inspect.getsource(ref_losses)),  # the whole module pasted into one cell
        code(src(ref_derivatives.sse_derivative)),  # owned by another module: not read from losses.ipynb
        code("sse([1, 2], [1, 3])"),
    )
    got = read_notebook(data, "losses.ipynb", modules, module_hint="losses")

    assert set(got.sources) == {"losses"}
    assert set(got.origins) == {f"losses.{f}" for f in modules["losses"]}
    assert set(got.origins.values()) == {"losses.ipynb, cell 1"}
    assert "sse_derivative" not in got.sources["losses"]
    left_out = [n for n in got.notes if "not run when grading" in n]  # docstrings are not "code left out"
    assert len(left_out) == 1 and left_out[0].startswith("Code outside functions in cell 3 is not run")
    ns, printed = run(got.sources["losses"])
    assert printed == ""
    for f in modules["losses"]:
        args = CE_INPUTS if f == "cross_entropy" else BCE_INPUTS
        assert ns[f](*args) == getattr(ref_losses, f)(*args), f


def test_a_notebook_named_after_a_module_without_its_functions_gives_nothing(modules):
    data = notebook(code(src(ref_derivatives.sse_derivative)))
    got = read_notebook(data, "losses.ipynb", modules, module_hint="losses")
    assert got.sources == {} and got.origins == {}
    assert any("defines none of the exercise functions (sse, mse" in n for n in got.notes)


def test_imports_and_constants_after_a_function_still_reach_it(modules):
    data = notebook(
        code(src(ref_losses.binary_cross_entropy)),
        code("import numpy as np\nEPS = 1e-12"),
    )
    ns, _ = run(read_notebook(data, "Untitled.ipynb", modules).sources["losses"])
    assert ns["binary_cross_entropy"](*BCE_INPUTS) == ref_losses.binary_cross_entropy(*BCE_INPUTS)


def test_a_function_using_a_value_set_by_left_out_code_is_pointed_out(modules):
    data = notebook(
        code("import numpy as np\nSCALE = 2.0\nsquares = [w * w for w in range(3)]\n\n"
             "def make_weights(n):\n    return np.ones(n)\n\nweights = make_weights(3)"),
        code("def mse(y, y_hat):\n    n = len(y_hat)\n    return SCALE * len(weights) * len(squares) / n"),
    )
    got = read_notebook(data, "nb.ipynb", modules)
    text = got.sources["losses"]
    assert "SCALE = 2.0" in text and "weights =" not in text and "squares =" not in text
    for name in ("weights", "squares"):
        assert (f"mse uses {name}, which only code outside functions sets (cell 1); that code is not run when "
                f"grading, so {name} will be undefined: make it a constant or compute it inside the function."
                in got.notes)
    assert not any(" uses n," in n or " uses w," in n or "SCALE," in n for n in got.notes)


# --- nbgrader -----------------------------------------------------------------------------------


def test_nbgrader_cells_tests_left_out_answers_and_setup_constants_kept(modules):
    """Hand-built with the metadata grader.nbgrader_export writes (no nbformat needed)."""
    meta = {"grade": False, "solution": False, "locked": True}
    data = notebook(
        markdown("# losses"),
        code("# Setup (read-only)\nimport math\n\nimport numpy as np\n\n\nEPS = 1e-12\n"
             '"""Probabilities are clipped."""\n\n\ndef check(kind, fn, args, expected=None):\n'
             "    assert fn(*args) == expected\n\nprint('setup done')\n", grade_id="setup_losses", **meta),
        code(src(ref_losses.cross_entropy).replace("    t = ", "    ### BEGIN SOLUTION\n    t = ", 1)
             + "    ### END SOLUTION\n", grade_id="cross_entropy", grade=False, solution=True, locked=False),
        code('# Test: one sample\ncheck("value", cross_entropy, ([0, 1], [0.5, 0.5]), expected=0.0)\n'
             "def cross_entropy(y, y_hat):\n    return 0.0  # edited into a test cell: never used\n",
             grade_id="test_cross_entropy-one-sample", grade=True, solution=False, locked=True, points=2.5),
        code("### BEGIN HIDDEN TESTS\nassert False\n### END HIDDEN TESTS\n",
             grade_id="test_cross_entropy-hidden", grade=True, solution=False, locked=True, points=2.5),
        code("fig = cross_entropy([1], [1])\nfig", grade_id="draw_cross_entropy", **meta),
    )
    got = read_notebook(data, "losses.ipynb", modules, module_hint="losses")

    assert got.origins == {"losses.cross_entropy": "losses.ipynb, cell 3"}
    text = got.sources["losses"]
    assert "EPS = 1e-12" in text and "import math" in text  # the read-only setup's imports and constants
    for gone in ("def check", "setup done", "assert", "return 0.0", "fig ="):
        assert gone not in text
    ns, printed = run(text)
    assert printed == ""
    assert ns["cross_entropy"](*CE_INPUTS) == ref_losses.cross_entropy(*CE_INPUTS)
    assert "The notebook's 2 nbgrader test cells were left out: the grader runs its own tests." in got.notes
    assert not any("not run when grading" in n for n in got.notes)  # read-only code is not the student's


@pytest.fixture(scope="module")
def exported(course) -> dict[str, bytes]:
    """The project's own nbgrader notebooks (reference answers filled in), as saved files."""
    nbformat = pytest.importorskip("nbformat", reason='nbformat is not installed (pip install -e ".[nbgrader]")')
    from grader.nbgrader_export import build_notebooks

    return {m: nbformat.writes(nb).encode() for m, nb in build_notebooks(course).items()}


@pytest.mark.parametrize("module", ["losses", "derivatives"])
def test_the_projects_own_nbgrader_notebooks_give_the_reference_functions(exported, modules, module):
    got = read_notebook(exported[module], f"{module}.ipynb", modules, module_hint=module)
    nb = json.loads(exported[module])
    graded = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    answers = {c["metadata"]["nbgrader"]["grade_id"]: i for i, c in enumerate(nb["cells"], 1)
               if c["metadata"].get("nbgrader", {}).get("solution")}

    assert got.origins == {
        f"{module}.{f}": f"{module}.ipynb, cell {answers[f]}" for f in modules[module]}
    text = got.sources[module]
    assert "check(" not in text and "def _check_numbers" not in text  # test cells and test helpers
    assert got.notes == [f"The notebook's {len(graded)} nbgrader test cells were left out: "
                         "the grader runs its own tests."]
    ns, printed = run(text)
    assert printed == ""
    if module == "losses":
        for f in modules["losses"]:
            inputs = [CE_INPUTS, ([[1, 0], [0, 1]], [[0.8, 0.2], [0.3, 0.7]])] if f == "cross_entropy" else [
                BCE_INPUTS, ([1, 0, 0], [0.25, 0.5, 0.0])]
            for args in inputs:
                assert ns[f](*args) == getattr(ref_losses, f)(*args), (f, args)
    else:
        np.testing.assert_array_equal(ns["sse_derivative"]([1.0, 2.0], [0.5, 3.0]),
                                      ref_derivatives.sse_derivative([1.0, 2.0], [0.5, 3.0]))
        np.testing.assert_allclose(ns["numerical_gradient"](lambda v: float(v @ v), [1.0, -2.0]), [2.0, -4.0])


def test_a_student_submission_of_an_nbgrader_notebook_with_scratch_work(exported, modules):
    nb = json.loads(exported["losses"])
    answer = next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("grade_id") == "mse")
    nb["cells"].insert(answer + 1, code("print(mse([1, 2], [1, 3]))\nmse??"))  # a cell the student added
    got = read_notebook(json.dumps(nb).encode(), "losses.ipynb", modules, module_hint="losses")
    assert f"Code outside functions in cell {answer + 2} is not run when grading" in " ".join(got.notes)
    assert "Left out 1 IPython line " in " ".join(got.notes)
    assert "print(" not in got.sources["losses"]


# --- broken and hostile notebooks ---------------------------------------------------------------


@pytest.mark.parametrize(("data", "message"), [
    (b"def sse(y, y_hat):\n    return 0\n", "is not a Jupyter notebook: it is not valid JSON (line 1, column 1"),
    (b"\xff\xfe\x00garbage", "is not a Jupyter notebook: it is not UTF-8 text"),
    (b'{"name": "sse", "value": 1}', "is JSON but not a Jupyter notebook (no cells)"),
    (b"[1, 2, 3]", "is JSON but not a Jupyter notebook (no cells)"),
    (b'{"nbformat": 2, "worksheets": []}', "is a notebook in format 2, which cannot be read"),
    (b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "its JSON is nested too deeply"),
])
def test_what_is_not_a_notebook_is_refused_in_one_line(modules, data, message):
    with pytest.raises(NotebookError) as info:
        read_notebook(data, "hw.ipynb", modules)
    assert str(info.value).startswith("hw.ipynb ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_notebook_over_the_size_limit_is_refused_before_parsing(modules):
    picture = {"output_type": "display_data", "metadata": {},
               "data": {"image/png": "iVBORw0KGgo" * (6 * 2**20 // 11)}}  # a big figure left in the outputs
    cell = {**code(src(ref_losses.sse)), "outputs": [picture]}
    data = notebook(cell)
    assert len(data) > 6 * 2**20
    with pytest.raises(NotebookError, match=r"hw\.ipynb is 6\.0 MB, over the 5 MB limit.*Clear all outputs"):
        read_notebook(data, "hw.ipynb", modules)
    assert read_notebook(data, "hw.ipynb", modules, max_bytes=7 * 2**20).origins == {"losses.sse": "hw.ipynb, cell 1"}


def test_too_much_code_is_refused(modules):
    data = notebook(code("x = 1\n" * (MAX_CODE_CHARS // 6 + 1)))
    with pytest.raises(NotebookError, match="has more than 262,144 characters of code"):
        read_notebook(data, "hw.ipynb", modules)


def test_a_scratch_cell_with_a_syntax_error_is_left_out_with_a_note(modules):
    data = notebook(
        code("import numpy as np\n" + src(ref_losses._residuals, ref_losses.sse)),
        code("print(sse([1, 2], [1, 3])"),  # missing parenthesis
    )
    got = read_notebook(data, "hw.ipynb", modules)
    assert got.notes == ["Cell 2 does not parse as Python (line 1: '(' was never closed) and holds no exercise "
                         "function that counts, so it was left out."]
    ns, _ = run(got.sources["losses"])
    assert ns["sse"]([1, 2], [1, 3]) == 1.0


def test_a_function_cell_with_a_syntax_error_is_kept_so_its_module_reports_it(modules):
    broken = src(ref_losses.mse).replace("def mse(y, y_hat):", "def mse(y, y_hat)")
    data = notebook(
        code("import numpy as np\n" + src(ref_losses._residuals, ref_losses.sse)),
        code(broken),
        code(src(ref_derivatives.sse_derivative)),
    )
    got = read_notebook(data, "hw.ipynb", modules)
    assert got.origins["losses.mse"] == "hw.ipynb, cell 2"
    assert "def mse(y, y_hat)\n" in got.sources["losses"]
    with pytest.raises(SyntaxError, match="expected ':'"):
        compile(got.sources["losses"], "losses.py", "exec")
    run(got.sources["derivatives"])  # the other module is unharmed
    assert any(n.startswith("Cell 2 does not parse as Python (line 1: expected ':'); it holds your mse")
               for n in got.notes)


def test_a_broken_definition_fixed_further_down_does_not_count(modules):
    data = notebook(
        code("import numpy as np\n" + src(ref_losses._residuals)),
        code("def sse(y, y_hat)\n    return 0"),
        code(src(ref_losses.sse)),
    )
    got = read_notebook(data, "hw.ipynb", modules)
    assert got.origins == {"losses.sse": "hw.ipynb, cell 3"}
    assert run(got.sources["losses"])[0]["sse"]([1, 2], [1, 3]) == 1.0
    assert any(n.startswith("Cell 2 does not parse") and "left out" in n for n in got.notes)


def test_cell_magics_odd_cells_and_other_formats(modules):
    nb = json.loads(notebook(
        code("%%time\n" + src(ref_losses.mae)),  # a cell magic: the whole cell is left out
        code("import numpy as np\nget_ipython().run_line_magic('load_ext', 'autoreload')\n"
             + src(ref_losses._residuals, ref_losses.sse)),
    ))
    nb["cells"] += [{"cell_type": "code", "source": [1, 2]}, {"cell_type": "code", "source": None}, "cell", 7,
                    {"cell_type": "raw", "source": "def mse(y, y_hat): return 0"}]
    got = read_notebook(json.dumps(nb).encode(), "hw.ipynb", modules)
    assert set(got.origins) == {"losses.sse"}
    assert "get_ipython" not in got.sources["losses"]
    assert "Cell 1 starts with the cell magic %%time, so the whole cell was left out." in got.notes
    assert "Cells 3 and 4 could not be read and were left out." in got.notes
    assert any(n.startswith("Left out 1 IPython line ") for n in got.notes)

    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "source": "Losses"},
        {"cell_type": "code", "language": "python", "input": "import numpy as np\n" + src(ref_losses.mae)
         .replace("r = _residuals(y, y_hat)", "r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)"),
         "outputs": []},
    ]}]}
    got = read_notebook(json.dumps(v3).encode(), "old.ipynb", modules)
    assert got.origins == {"losses.mae": "old.ipynb, cell 2"}
    assert run(got.sources["losses"])[0]["mae"]([1, 2], [2, 4]) == 1.5


def test_windows_line_ends_and_statements_sharing_a_line(modules):
    data = notebook(code("import math; print('hi')\r\nimport numpy as np\r\n\r\n"
                         "def huber(y, y_hat, delta=1.0):\r\n    r = np.abs(np.asarray(y, dtype=float)"
                         " - np.asarray(y_hat, dtype=float))\r\n"
                         "    return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))))\r\n"))
    text = read_notebook(data, "hw.ipynb", modules).sources["losses"]
    assert "import math\n" in text and "print" not in text and "\r" not in text
    ns, printed = run(text)
    assert printed == "" and math.isclose(ns["huber"]([0, 0], [0.5, 3]), ref_losses.huber([0, 0], [0.5, 3]))


def test_hostile_names_do_not_reach_the_source_as_code(modules):
    name = "x.ipynb\nimport os; os.system('echo pwned')"
    got = read_notebook(notebook(code("import numpy as np\n" + src(ref_losses._residuals, ref_losses.sse))),
                        name, modules)
    ns, printed = run(got.sources["losses"])
    assert printed == "" and "os" not in ns
    assert "\n" not in got.origins["losses.sse"]


def test_unknown_module_hint_is_a_programming_error(modules):
    with pytest.raises(ValueError, match="unknown module 'lossses'"):
        read_notebook(notebook(), "lossses.ipynb", modules, module_hint="lossses")


def test_looks_like_notebook():
    assert looks_like_notebook("submission.ipynb")
    assert looks_like_notebook("Untitled (1).IPYNB")
    assert not looks_like_notebook("losses.py")
    assert not looks_like_notebook("losses.ipynb.zip")
    assert not looks_like_notebook("ipynb")

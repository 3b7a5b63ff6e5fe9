"""The Japanese docstrings of the stubs (``grader/locale/ja/docstrings/<module>.yaml``) are
complete and in step with the English ones of ``solutions/``, follow the glossary, and
make stubs that differ from the English ones in their docstrings only.

A course released in Japanese (``grader release --lang ja``) gives students these stubs
(``stubgen.generate(root, modules, lang="ja")``); ``exercises/`` stays English
(tests/test_stubs.py).
"""

from __future__ import annotations

import ast
import csv
import inspect
import re
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
import yaml

from grader import stubgen
from grader.config import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT / "course.yml")
# Every assignment of course.yml -> its exercise modules, in course order.
ASSIGNMENTS = {a: [m for m, owner in COURSE.module_owners.items() if owner == a] for a in COURSE.assignments}
MODULES = [m for modules in ASSIGNMENTS.values() for m in modules]
FOLDER = ROOT / "grader" / "locale" / "ja" / "docstrings"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
LITERAL = re.compile(r"``(.+?)``", re.S)
# A number of the English text: not part of a name (x0, C2, L1, d2f) nor of a longer number
# (a full stop after it is fine: "by a factor 0.8.").
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w|\.\d)")


def source(module: str) -> str:
    return (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8")


def english(module: str) -> dict[str, str]:
    """Key -> English docstring (cleaned) of everything the module's stub documents."""
    tree = ast.parse(source(module))
    docs = {"": ast.get_docstring(tree)}
    for i, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            docs[node.name] = ast.get_docstring(node)
        elif i and stubgen._is_docstring(node) and isinstance(prev := tree.body[i - 1], (ast.Assign, ast.AnnAssign)):
            target = prev.targets[0] if isinstance(prev, ast.Assign) else prev.target
            if isinstance(target, ast.Name) and not target.id.startswith("_"):
                docs[target.id] = inspect.cleandoc(node.value.value)
    return docs


def japanese(module: str) -> dict[str, str]:
    data = yaml.safe_load((FOLDER / f"{module}.yaml").read_text(encoding="utf-8"))
    return {key: inspect.cleandoc(text) for key, text in data.items()}


def functions(module: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(source(module))
    return {n.name: n for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and not n.name.startswith("_")}


def pairs(module: str) -> list[tuple[str, str, str]]:
    """(key, English, Japanese) for every docstring of the module's stub."""
    en, ja = english(module), japanese(module)
    return [(key, en[key], ja[key]) for key in en if key in ja]


def glossary() -> list[tuple[str, str]]:
    with (ROOT / "grader" / "locale" / "glossary.tsv").open(encoding="utf-8") as f:
        return [(row["english"], row["japanese"]) for row in csv.DictReader(f, delimiter="\t")]


def term_pattern(term: str) -> re.Pattern[str]:
    """An English glossary term as written in prose: any case, a space or hyphen (or a line
    break) between its words, a plural or past-participle ending ("gradients", "centred");
    not inside a longer word or a name ("subgradient", ``sse``, ``mae_gradient``)."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es|d|ed)?(?![\w-])", re.IGNORECASE)


def name_pattern(name: str) -> re.Pattern[str]:
    """A parameter name as a whole identifier (Japanese letters around it are fine)."""
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- complete and in step ---------------------------------------------------------------

def test_every_module_of_every_assignment_has_a_japanese_docstring_file() -> None:
    assert MODULES, "course.yml has no modules"
    missing = [m for m in MODULES if not (FOLDER / f"{m}.yaml").is_file()]
    assert not missing, f"no Japanese docstrings for {missing} in {FOLDER.relative_to(ROOT)}"
    assert (FOLDER / "__init__.yaml").is_file(), "the package __init__'s docstring is missing"


def test_no_japanese_file_for_a_module_that_is_gone() -> None:
    stale = sorted(p.name for p in FOLDER.glob("*.yaml") if p.stem != "__init__" and p.stem not in MODULES)
    assert not stale, f"{stale}: no such exercise module in course.yml (delete the file)"
    assert not [p.name for p in FOLDER.iterdir() if p.suffix != ".yaml"], "only <module>.yaml files belong here"


@pytest.mark.parametrize("module", MODULES)
def test_every_function_has_an_english_and_a_japanese_docstring_and_nothing_more(module: str) -> None:
    en, ja = english(module), japanese(module)
    for name in functions(module):
        assert en.get(name), f"solutions/{module}.py: {name}() has no English docstring"
    assert en[""], f"solutions/{module}.py has no module docstring"
    missing = sorted(set(en) - set(ja))
    assert not missing, f"{module}.yaml lacks the Japanese docstring of {missing}"
    stale = sorted(set(ja) - set(en))
    assert not stale, f"{module}.yaml has docstrings for {stale}, which solutions/{module}.py no longer has"
    assert list(ja) == stubgen.docstring_keys(source(module)), "keep the order of solutions/"
    for key, text in ja.items():
        assert JAPANESE.search(text), f"{module}.{key or '(module)'}: not in Japanese"


@pytest.mark.parametrize("module", MODULES)
def test_japanese_docstrings_mention_every_parameter(module: str) -> None:
    ja = japanese(module)
    for name, node in functions(module).items():
        args = node.args
        params = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a]
        missing = [p for p in params if not name_pattern(p).search(ja[name])]
        assert not missing, f"{module}.{name}: the Japanese docstring never names {missing}"


@pytest.mark.parametrize("module", MODULES)
def test_japanese_docstrings_keep_every_code_literal_and_number(module: str) -> None:
    for key, en, ja in pairs(module):
        where = f"{module}.{key or '(module)'}"
        ja_literals = {squeeze(x) for x in LITERAL.findall(ja)}
        for literal in LITERAL.findall(en):
            assert squeeze(literal) in ja_literals, f"{where}: ``{literal}`` is missing in Japanese"
        for number in set(NUMBER.findall(en)):
            assert re.search(rf"(?<![\d.]){re.escape(number)}(?!\d|\.\d)", ja), (
                f"{where}: the number {number} of the English docstring is missing in Japanese")


@pytest.mark.parametrize("module", MODULES)
def test_glossary_terms_are_translated_as_the_glossary_says(module: str) -> None:
    terms = glossary()
    assert len(terms) >= 15
    for key, en, ja in pairs(module):
        prose = LITERAL.sub(" ", en)  # code (``sse``, ``mae_gradient``) is not a term
        for term, word in terms:
            if term_pattern(term).search(prose):
                assert word in ja, (f"{module}.{key or '(module)'}: the English says {term!r}, "
                                    f"so the Japanese must say {word!r} (grader/locale/glossary.tsv)")


def test_the_term_pattern_reads_prose_not_code() -> None:
    assert term_pattern("least squares").search("Least-squares slope")
    assert term_pattern("gradient descent").search("a gradient-descent\n    trajectory")
    assert term_pattern("centre").search("through centred data")
    assert term_pattern("gradient").search("Gradients of losses")
    assert not term_pattern("gradient").search("A subgradient of")
    assert not term_pattern("SSE").search("sse_derivative")
    assert name_pattern("y").search("``y`` と") and not name_pattern("y").search("y_hat")
    assert NUMBER.findall("x0 ** 2 with lr = 0.1 shrinks x by a factor 0.8. L1, d2f, 1-D, (n, 1)") == [
        "2", "0.1", "0.8", "1", "1"]


# -- the stubs --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stubs() -> dict[str, dict[str, str]]:
    return {"en": stubgen.generate(ROOT, MODULES), "ja": stubgen.generate(ROOT, MODULES, lang="ja")}


def without_docstrings(text: str) -> str:
    """The stub's code: its AST with every docstring (module, function, constant) removed."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [s for s in body if not stubgen._is_docstring(s)] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def load(text: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(text, f"<{name}>", "exec"), module.__dict__)  # noqa: S102 - our own stub
    return module


def test_english_stubs_are_unchanged(stubs: dict[str, dict[str, str]]) -> None:
    assert stubgen.generate(ROOT, MODULES, lang="en") == stubs["en"]
    for name, text in stubs["en"].items():
        assert (ROOT / "exercises" / name).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("module", MODULES)
def test_japanese_stubs_compile_with_the_english_code_and_signatures(module: str, stubs: dict[str, dict[str, str]]) -> None:
    en_text, ja_text = stubs["en"][f"{module}.py"], stubs["ja"][f"{module}.py"]
    assert without_docstrings(ja_text) == without_docstrings(en_text), "only the docstrings may differ"
    en_mod, ja_mod = load(en_text, f"en_{module}"), load(ja_text, f"ja_{module}")
    ja = japanese(module)
    assert inspect.cleandoc(ja_mod.__doc__) == ja[""]
    for name in functions(module):
        ours, theirs = getattr(ja_mod, name), getattr(en_mod, name)
        assert inspect.signature(ours) == inspect.signature(theirs), f"{module}.{name}: signature differs"
        assert inspect.getdoc(ours) == ja[name]
        with pytest.raises(NotImplementedError):
            ours(*[None] * sum(p.default is p.empty and p.kind <= p.POSITIONAL_OR_KEYWORD
                               for p in inspect.signature(ours).parameters.values()))
    # the source lines of the signatures are the solution's own (comments aside)
    en_lines = [ln for ln in en_text.splitlines() if ln.startswith(("def ", "async def ", "@"))]
    assert en_lines == [ln for ln in ja_text.splitlines() if ln.startswith(("def ", "async def ", "@"))]


def test_the_japanese_package_init(stubs: dict[str, dict[str, str]]) -> None:
    assert set(stubs["ja"]) == set(stubs["en"]) == {"__init__.py", *(f"{m}.py" for m in MODULES)}
    assert inspect.cleandoc(load(stubs["ja"]["__init__.py"], "ja_init").__doc__) == japanese("__init__")[""]


# -- stubgen's translation machinery ----------------------------------------------------

SYNTHETIC = '''"""Doc."""

import math

EPS = 1e-3  # secret
"""Eps doc."""


@staticmethod
def f(x,  # the x
      y=(1, 2),
      *, z: int = 3) -> int:  # returns _helper(x)
    # secret
    """Doc of f.

    More."""
    return x


def g(a): return a + 1


def h(a): "one-liner doc"; return a


async def k(b):
    """Async doc."""
    return b
'''

TRICKY = {
    "": "モジュール。\n\n    字下げした行\n\\n は改行ではない\n",
    "EPS": '末尾が引用符 "EPS"',
    "f": 'f の説明 (x, y, z)。\n\n"""三重引用符""" とバックスラッシュ \\ も。',
    "h": "一行の説明",
    "k": "非同期。",
}


def test_translated_docstrings_round_trip_whatever_they_hold() -> None:
    assert stubgen.docstring_keys(SYNTHETIC) == ["", "EPS", "f", "h", "k"]  # g has none
    english_stub = stubgen.stub_source(SYNTHETIC)
    text = stubgen.stub_source(SYNTHETIC, docstrings=TRICKY)
    assert without_docstrings(text) == without_docstrings(english_stub)
    assert "secret" not in text and "return" not in text
    assert "@staticmethod\ndef f(x,\n      y=(1, 2),\n      *, z: int = 3) -> int:\n    \"\"\"f の説明" in text
    assert 'def h(a):\n    """一行の説明"""\n    raise NotImplementedError' in text
    assert "def g(a):\n    raise NotImplementedError" in text
    tree = ast.parse(text)
    assert ast.get_docstring(tree) == inspect.cleandoc(TRICKY[""])
    assert tree.body[3].value.value == TRICKY["EPS"]  # the constant's docstring, under EPS = 1e-3
    docs = {n.name: ast.get_docstring(n) for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert docs == {"f": inspect.cleandoc(TRICKY["f"]), "g": None, "h": TRICKY["h"], "k": TRICKY["k"]}


def test_a_missing_translation_is_an_error_naming_it() -> None:
    with pytest.raises(stubgen.MissingDocstrings) as caught:
        stubgen.stub_source(SYNTHETIC, docstrings={k: v for k, v in TRICKY.items() if k not in ("f", "")})
    assert caught.value.keys == ["", "f"]


def test_generate_names_every_missing_japanese_docstring_and_never_falls_back(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "losses.py", tmp_path / "solutions" / "losses.py")
    with (tmp_path / "solutions" / "losses.py").open("a", encoding="utf-8") as f:
        f.write('\n\ndef log_cosh(y, y_hat):\n    """Log-cosh loss, averaged over samples."""\n    return 0.0\n')
    (tmp_path / "solutions" / "brand_new.py").write_text(
        '"""A module nobody translated."""\n\n\ndef novel(x):\n    """Novel."""\n    return x\n', encoding="utf-8")
    assert "log_cosh" in stubgen.generate(tmp_path, ["losses", "brand_new"])["losses.py"]  # English is fine
    with pytest.raises(stubgen.DocstringError) as caught:
        stubgen.generate(tmp_path, ["losses", "brand_new"], lang="ja")
    message = str(caught.value)
    assert "Japanese" in message and "\n" not in message
    assert "losses.log_cosh (in grader/locale/ja/docstrings/losses.yaml)" in message
    assert "the module docstring of brand_new, brand_new.novel (in grader/locale/ja/docstrings/brand_new.yaml)" in message
    assert "losses.sse" not in message
    assert stubgen.DocstringError.exit_code == 3  # a configuration error on the command line


def test_a_language_without_docstrings_is_an_error() -> None:
    with pytest.raises(stubgen.DocstringError, match="grader/locale/xx/docstrings: no such folder"):
        stubgen.generate(ROOT, MODULES[:1], lang="xx")


# -- a Japanese stub with the reference's bodies still gets full marks --------------------

def filled_in(module: str, stub: str) -> str:
    """The Japanese stub of ``module`` completed as a student would: each ``raise
    NotImplementedError`` replaced by the reference's body, the private helpers added."""
    solution = ast.parse(source(module))
    src = source(module).splitlines()
    bodies = {}
    for node in solution.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            body = node.body[1:] if stubgen._is_docstring(node.body[0]) else node.body
            bodies[node.name] = "\n".join(src[body[0].lineno - 1: body[-1].end_lineno])
    lines = stub.splitlines()
    for node in sorted((n for n in ast.parse(stub).body if isinstance(n, ast.FunctionDef)),
                       key=lambda n: -n.lineno):
        raise_line = node.body[-1].lineno - 1
        lines[raise_line: raise_line + 1] = bodies[node.name].splitlines()
    private = [textwrap.dedent("\n".join(src[n.lineno - 1: n.end_lineno])) for n in solution.body
               if isinstance(n, (ast.FunctionDef, ast.Assign)) and
               (n.name if isinstance(n, ast.FunctionDef) else ast.unparse(n.targets[0])).startswith("_")]
    return "\n".join(lines) + "\n\n\n" + "\n\n\n".join(private) + "\n"


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_japanese_stubs_filled_with_the_reference_get_full_marks(
        assignment: str, stubs: dict[str, dict[str, str]], tmp_path: Path) -> None:
    for module in ASSIGNMENTS[assignment]:
        text = filled_in(module, stubs["ja"][f"{module}.py"])
        assert JAPANESE.search(text)
        (tmp_path / f"{module}.py").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", "check", str(tmp_path), "--assignment", assignment],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

"""A Japanese course's nbgrader notebooks explain everything in Japanese; English ones are unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from grader import i18n
from grader.config import load_course
from grader.nbgrader_export import _CHECK_MESSAGES, CHECK_HELPERS, check_helpers, export

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ENGLISH = ["How this notebook is graded", "What you write", "Run the setup cell first", "After each function",
           "A function that draws a figure", "graded from the figure", " points)", "A loss function turns",
           "Least squares picks", "When there is no formula", "To improve a model"]


def _read(folder: Path) -> dict[str, Any]:
    return {p.name: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], dict[str, bytes]]:
    from grader.cli import main

    tmp = tmp_path_factory.mktemp("nbja")
    course = tmp / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    text = (ROOT / "course.yml").read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    (course / "course.yml").write_text(text.replace("\nlanguage: en\n", "\nlanguage: ja\n"), encoding="utf-8")
    try:
        assert main(["--course", str(course / "course.yml"), "nbgrader", str(tmp / "ja"),
                     "--assignment", "ps1"]) == 0
        i18n.set_language("en")
        export(load_course(ROOT / "course.yml", assignment="ps1"), tmp / "en", assignment="ps1")
    finally:
        i18n.set_language("en")
    en_bytes = {p.name: p.read_bytes() for p in (tmp / "en" / "source" / "ps1").glob("*.ipynb")}
    return _read(tmp / "ja" / "source" / "ps1"), _read(tmp / "en" / "source" / "ps1"), en_bytes


def test_the_japanese_notebooks_explain_in_japanese(exports: Any) -> None:
    ja, en, _ = exports
    assert sorted(ja) == sorted(en) and "losses.ipynb" in ja and "plots.ipynb" in ja
    for name, nb in ja.items():
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        for text in markdown:
            assert JAPANESE.search(text), (name, text)
            for sentence in ENGLISH:
                assert sentence not in text, (name, sentence, text)
        intro = markdown[0]
        assert "このノートブックの採点方法" in intro, name
        topic = intro.split("\n\n")[1]
        assert JAPANESE.search(topic) and not re.search(r"[A-Za-z]{4,} [A-Za-z]{3,} [A-Za-z]{3,}", topic), topic
        setup = nb.cells[1].source
        assert "最初にこのセルを実行してください" in setup and "run this cell first" not in setup
        tests = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "code"
                 and c.metadata["nbgrader"]["grade"] and not c.metadata["nbgrader"]["solution"]]
        assert all(line.startswith(("# テスト: ", "# 非公開のテスト: ")) for line in tests), tests
    assert "空の結果を返しました" in ja["losses.ipynb"].cells[1].source


def test_the_japanese_check_messages_are_used_when_a_test_fails() -> None:
    i18n.set_language("ja")
    try:
        code = check_helpers()
    finally:
        i18n.set_language("en")
    assert check_helpers() == CHECK_HELPERS
    for msgid, values in _CHECK_MESSAGES:
        assert msgid.format(**values) not in code.split('name = getattr(fn, "__name__"')[1], msgid
    import contextlib
    import copy
    import io
    import warnings

    import numpy as np

    space: dict[str, Any] = {"np": np, "copy": copy, "contextlib": contextlib, "io": io, "warnings": warnings,
                             "RTOL": 1e-6, "ATOL": 1e-9}
    exec(code, space)  # noqa: S102 - the generated helpers
    cases = [(lambda x: None, "None（`return` を忘れていませんか？）"),
             (lambda x: [], "空の結果を返しました"),
             (lambda x: [1.0, 3.0], "2 個の値のうち 1 個が違います。期待値"),
             (lambda x: [1.0], "2 個の値を返すべきところ、1 個の値を返しました")]
    for fn, message in cases:
        with pytest.raises(AssertionError, match=re.escape(message)):
            space["check"]("value", fn, ([1.0, 2.0],), expected=[1.0, 2.0])


def test_the_english_export_is_unchanged(exports: Any) -> None:
    ja, en, en_bytes = exports
    for name, nb in en.items():
        for cell in nb.cells:
            assert not JAPANESE.search(cell.source), (name, cell.source[:200])
        assert nbformat.writes(nb).encode() + b"\n" == en_bytes[name] or nbformat.writes(nb).encode() == en_bytes[name]
    intro = en["losses.ipynb"].cells[0].source
    assert "A loss function turns" in intro and "## How this notebook is graded" in intro
    assert ja["losses.ipynb"].cells[2].source == en["losses.ipynb"].cells[2].source.replace("points", "点")


def test_answer_cells_carry_the_japanese_docstrings(exports: Any) -> None:
    """The signature stays; the docstring students read in the answer cell is the Japanese one
    of the stubs (grader/locale/ja/docstrings/), and the cell is still valid Python."""
    import ast

    from grader.stubgen import load_docstrings

    ja, en, _ = exports
    checked = 0
    for name, nb in ja.items():
        module = name.removesuffix(".ipynb")
        docs = load_docstrings("ja", module)
        for cell in nb.cells:
            if cell.cell_type != "code" or "### BEGIN SOLUTION" not in cell.source:
                continue
            tree = ast.parse(cell.source)
            fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
            doc = ast.get_docstring(fn) or ""
            assert doc.splitlines()[0] == docs[fn.name].strip().splitlines()[0], (name, fn.name)
            checked += 1
    assert checked >= 10

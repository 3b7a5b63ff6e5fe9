"""日本語で: how a student's files were read is told in the course's language.

One small class, graded through the real `grader grade` with `--lang ja` and without:
a student missing a module (and holding another assignment's file, and a wrong sse),
a renamed download (`losses (1).py`), a cp932 file from a Japanese Windows editor, a zip
bomb over the size limit, an empty zip, and a notebook student. Their feedback shows
discovery's, ziputil's and the notebook reader's lines in Japanese (and none of the
English ones), the figure notes too; without `--lang` every line is as it always was.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from grader import i18n
from grader.synth import ClassMaker, replace_function
from tests.conftest import run_cli
from tests.test_discovery import patch_headers

WRONG_SSE = "def sse(y, y_hat):\n    import numpy as np\n    return float(np.mean((np.ravel(y) - np.ravel(y_hat)) ** 2))\n"

# student -> (the English line, the Japanese line) their feedback must show
LINES = {
    "missing": [
        ("no descent.py found: the tests for descent score 0",
         "descent.py が見つかりません: descent のテストは 0 点です"),
        ("classification.py belongs to assignment ps2, not this one: not read",
         "classification.py はこの課題ではなく課題 ps2 のファイルなので、読み込んでいません"),
        ("descent.py.txt is not graded: the file must be named exactly descent.py",
         "descent.py.txt は採点していません: ファイル名は正確に descent.py にする必要があります"),
        ("(a list)", "(list 型)"),  # the input of a failed public test
    ],
    "renamed": [
        ("losses (1).py was graded as losses.py (name your file exactly losses.py)",
         "losses (1).py を losses.py として採点しました（ファイル名は正確に losses.py にしてください）"),
    ],
    "sjis": [
        ("regression.py was not saved as UTF-8; it was read as Shift-JIS (cp932), as Japanese Windows "
         "editors save it (save it as UTF-8 to be sure)",
         "regression.py は UTF-8 で保存されていなかったため、日本語版 Windows のエディタが保存する "
         "Shift-JIS (cp932) として読み込みました（確実に読めるよう UTF-8 で保存してください）"),
        ("right, and the same as the reference figure", "正解です。模範解答の図と同じです"),
    ],
    "bomb": [
        ("bomb.zip would expand to more than 50 MB of Python files; not opened",
         "bomb.zip は展開すると Python ファイルが 50 MB を超えるため、開いていません"),
        ("no exercise files found (looked for losses.py, derivatives.py, regression.py, descent.py, "
         "plots.py): every test scores 0",
         "課題のファイルが見つかりません（探したファイル: losses.py, derivatives.py, regression.py, "
         "descent.py, plots.py）: すべてのテストが 0 点です"),
    ],
    "empty": [("empty.zip contains no files", "empty.zip にはファイルが入っていません")],
    "notebook": [
        ("losses was read from losses.ipynb (cell 3)", "losses は losses.ipynb から読み込みました（セル 3）"),
        ("Left out 1 IPython line (%magic, !shell, get_ipython() or ? help): they are not Python.",
         "IPython 専用の行 1 行（%magic、!shell、get_ipython()、? によるヘルプ）は Python ではないため、除きました。"),
        ("Code outside functions in cell 4 is not run when grading (calls, prints, plots, loops, asserts): "
         "only imports, definitions and constants are used.",
         "セル 4 の関数の外にあるコード（関数の呼び出し、print、描画、ループ、assert）は採点では実行されません: "
         "使うのは import、定義、定数だけです。"),
    ],
}


def _zip(members: Mapping[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                  **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                 for kind, source in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, course) -> dict[str, Path]:
    correct = {m: text for m, text in ClassMaker(course, seed=5).correct().items() if m in course.modules}
    py = {f"{m}.py": text for m, text in correct.items()}
    subs = tmp_path_factory.mktemp("ja-discovery") / "subs"
    missing = {k: v for k, v in py.items() if k != "descent.py"}
    missing["losses.py"] = replace_function(missing["losses.py"], "sse", WRONG_SSE)
    _write(subs / "missing", {**missing, "classification.py": "def softmax(z):\n    return z\n",
                              "descent.py.txt": correct["descent"]})
    _write(subs / "renamed", {**{k: v for k, v in py.items() if k != "losses.py"}, "losses (1).py": py["losses.py"]})
    _write(subs / "sjis", {**py, "regression.py": ("# 最小二乗法で傾きを求める\n" + correct["regression"]).encode("cp932")})
    bomb = patch_headers(_zip(py), "losses.py", size=2**32 - 1)  # declares a 4 GB losses.py
    _write(subs, {"bomb.zip": bomb, "empty.zip": _zip({})})
    book = _notebook(("markdown", "# 課題1: 損失関数"), ("code", "%matplotlib inline\nimport numpy as np"),
                     ("code", correct["losses"]), ("code", "print(sse([1, 2], [1, 3]))"))
    _write(subs / "notebook", {**{k: v for k, v in py.items() if k != "losses.py"}, "losses.ipynb": book})
    out = {}
    for lang in ("ja", "en"):
        out[lang] = subs.parent / f"out-{lang}"
        proc = run_cli("grade", str(subs), "--out", str(out[lang]), "--quiet", "--jobs", "2",
                       *(["--lang", "ja"] if lang == "ja" else []))
        assert proc.returncode == 0, proc.stderr
    return out


def feedback(out: Path, sid: str) -> str:
    return (out / "feedback" / f"{sid}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("sid", sorted(LINES))
def test_a_students_file_lines_are_in_japanese(graded, sid: str) -> None:
    text = feedback(graded["ja"], sid)
    for english, japanese in LINES[sid]:
        assert japanese in text, (sid, japanese, text)
        assert english not in text, (sid, english)


@pytest.mark.parametrize("sid", sorted(LINES))
def test_without_lang_the_lines_stay_in_english(graded, sid: str) -> None:
    text = feedback(graded["en"], sid)
    for english, japanese in LINES[sid]:
        assert english in text, (sid, english, text)
        assert japanese not in text
    assert not re.search(r"[\u3040-\u30ff]", text), sid  # no kana: nothing here is Japanese


def test_the_terminal_notes_stay_english(graded) -> None:
    """Run-level notes are the instructor's: the same English words under --lang ja."""
    proc = run_cli("grade", str(graded["ja"].parent / "subs"), "--out", str(graded["ja"]), "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    notes = proc.stdout.split("\nNotes:\n", 1)[1].split("\nWrote ", 1)[0]
    assert "  bomb: bomb.zip would expand to more than 50 MB of Python files; not opened" in notes.splitlines()
    assert not re.search(r"[\u3040-\u30ff]", notes), notes


def test_every_refusal_says_in_english_what_its_predicate_says() -> None:
    """A refusal's sentence for the student (Refused.about) is, in English, its name followed by
    the predicate that str() gives the terminal: the two spellings cannot drift apart."""
    from grader.ziputil import _SENTENCES, Refused

    values = {"count": "10,000", "size": "50 MB", "reason": "Permission denied"}
    for why, sentence in _SENTENCES.items():
        used = {k: v for k, v in values.items() if "{" + k + "}" in why}
        exc = Refused(why, **used)
        assert exc.about("x.zip") == f"x.zip {exc}", why
        i18n.set_language("ja")
        try:
            assert exc.about("x.zip").startswith("x.zip ") and exc.about("x.zip") != f"x.zip {exc}", why
        finally:
            i18n.set_language("en")
        assert sentence(name="x.zip", **used) == f"x.zip {exc}"

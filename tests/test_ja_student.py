"""The Japanese student copy: ``grader release --lang ja`` writes a copy whose README, public
test reports, progress table and figures line are in Japanese, and an English release is
what it always was.

The copy is released through the real CLI and the student's plain ``pytest`` runs in it in a
subprocess, as a student runs it. The verdicts ("wrong value", ...) and the known mistakes'
hints are the engine's and the suites' texts: the copy shows the engine's catalogue
(shipped with it), and the hints arrive translated in ``public_cases.json`` (mistakes.po
itself is not shipped: it holds every hint, hidden tests' and other assignments' too).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from grader import i18n
from grader import release as rel
from grader.config import load_course
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT / "course.yml")
JA_COURSE = replace(COURSE, language="ja")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONSTARTUP")
    return {k: v for k, v in os.environ.items() if k not in drop}


def student_pytest(copy: Path, *args: str) -> str:
    """The output of the student's plain ``pytest`` (plus ``args``) in ``copy``."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=copy,
                          capture_output=True, text=True, encoding="utf-8", env=_env(), timeout=120)
    return done.stdout + done.stderr


def _release(dest: Path, *args: str) -> Path:
    done = run_cli("release", str(dest), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return dest


@pytest.fixture(scope="module")
def ja_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy released by ``grader release --lang ja`` (never run: tests copy it first)."""
    return _release(tmp_path_factory.mktemp("ja") / "copy", "--lang", "ja")


@pytest.fixture()
def copy(ja_copy: Path, tmp_path: Path) -> Path:
    """A fresh Japanese copy for one test to run and change."""
    out = tmp_path / "copy"
    shutil.copytree(ja_copy, out)
    return out


def _use_solutions(copy: Path) -> None:
    for module in COURSE.modules:
        shutil.copy(ROOT / "solutions" / f"{module}.py", copy / "exercises" / f"{module}.py")


def _append(copy: Path, module: str, code: str) -> None:
    path = copy / "exercises" / f"{module}.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")


def _section(output: str, name: str, test: str = "test_public") -> list[str]:
    """The lines of one test's report in the FAILURES section."""
    start = output.index("\n", output.index(f"{test}[{name}] _"))
    ends = [i for i in (output.find("\n_", start), output.find("\n=", start), output.find("\n-", start)) if i > 0]
    return output[start:min(ends)].strip("\n").splitlines()


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(output: str) -> list[str]:
    """The progress table's lines: its header, one row per function, the total."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "公開テストの進み具合" in line) + 1
    end = lines.index("", start)
    return lines[start:end]


# -- what is shipped ----------------------------------------------------------------------

def test_the_copy_names_its_language_and_ships_its_catalogues(ja_copy: Path) -> None:
    data = yaml.safe_load((ja_copy / "course.yml").read_text(encoding="utf-8"))
    assert data == {**COURSE.student_safe(), "language": "ja"}
    shipped = ja_copy / "tests" / "_support"
    for name in ("engine.po", "student.po"):  # the verdicts and the copy's own texts, as they are
        po = i18n.LOCALE / "ja" / "LC_MESSAGES" / name
        assert (shipped / "locale" / "ja" / "LC_MESSAGES" / name).read_text(encoding="utf-8") == po.read_text(
            encoding="utf-8")
    # Never every hint: mistakes.po holds the hidden tests' and the other assignments' hints too.
    assert not (shipped / "locale" / "ja" / "LC_MESSAGES" / "mistakes.po").exists()
    assert (shipped / "i18n.py").is_file() and (shipped / "fonts.py").is_file()


def _counts(copy: Path) -> tuple[int, int]:
    """The numbers of public tests and public figure tests in the copy."""
    return tuple(len(json.loads((copy / "tests" / name).read_text(encoding="utf-8"))["cases"])
                 for name in ("public_cases.json", "plot_cases.json"))  # type: ignore[return-value]


def test_the_catalogues_agree_on_the_messages_they_share() -> None:
    """The catalogues of a language are merged into one (the last file wins), so a message is
    translated in exactly one of them: otherwise the grader (every catalogue) and the student
    copy (engine.po and student.po) could word the same message differently, as they did."""
    areas = {po.name: i18n.parse_po(po.read_text(encoding="utf-8")) for po in i18n.catalogues("ja")}
    names = sorted(areas)
    twice = {(a, b): sorted(k for k in areas[a].keys() & areas[b].keys() if k)
             for i, a in enumerate(names) for b in names[i + 1:]}
    assert {pair: ids for pair, ids in twice.items() if ids} == {}


def test_the_japanese_copy_leaks_nothing(ja_copy: Path) -> None:
    """No solution code, mistake code or hidden test in the Japanese copy either (the checks of
    tests/test_release.py, on this copy)."""
    from grader.plan import build_plan
    from grader.suites import load_mistakes
    from tests.test_release import _docstrings, _leak_fragments, _leaks, _solution_sources

    docs = _docstrings()
    assert _leaks(ja_copy, {f for f in _leak_fragments(_solution_sources()) if f not in docs}) == []
    sources = [m.source for m in load_mistakes(list(COURSE.modules))]
    assert _leaks(ja_copy, _leak_fragments(sources) | {s.strip() for s in sources}) == []
    hidden = {t.name for t in build_plan(COURSE, with_mistakes=False).tests if not t.public}
    assert hidden and _leaks(ja_copy, hidden) == []


def test_the_stubs_are_the_japanese_stubs(ja_copy: Path) -> None:
    from grader import stubgen

    for name, text in stubgen.generate(ROOT, list(COURSE.modules), lang="ja").items():
        assert (ja_copy / "exercises" / name).read_text(encoding="utf-8") == text, name
    assert JAPANESE.search((ja_copy / "exercises" / "losses.py").read_text(encoding="utf-8"))


def test_the_readme_is_the_japanese_one(ja_copy: Path) -> None:
    text = (ja_copy / "README.md").read_text(encoding="utf-8")
    assert text == rel.readme(JA_COURSE, *_counts(ja_copy))
    assert "{{" not in text and COURSE.title in text
    assert "## 記事についての注意" in text and "## Notes on the articles" not in text
    assert f"合計: {COURSE.max_total:g} 点" in text and "In all" not in text
    for needle in ("pytest -k sse", "pytest -x", "ヒント", "次は", "非公開テスト", "保証されるわけではなく",
                   "zip", f"{COURSE.rtol:g}", f"{COURSE.atol:g}", "入力を書き換えないこと", "`n` は未着手",
                   "## 描いた図を見る", "`figures/`", "画像ビューア", "Agg", "tests/test_public_plots.py",
                   "matplotlib-fontja"):
        assert needle in text, needle
    prose = re.sub(r"`[^`]*`|```.*?```", "", text, flags=re.S)
    assert len(JAPANESE.findall(prose)) > 0.5 * len(re.findall(r"[A-Za-z]", prose))


# The words of tests/test_articles.py's SLIPS that are English words, as the Japanese notes say them.
IN_JAPANESE = {
    "log₂ in the first": "第 1 項が log₂", "plain log": "ただの log", "averaged": "自然対数で平均され",
    "the mean": "返すのは平均です", "normal equation": "正規方程式", "Dropout adds nothing": "Dropout は損失に何も足しません",
    "where the table says 8": "表では 8", "only b": "b だけを求めればよい", "only the slope a": "残るのは傾き a だけ",
    "yₙ and xₙ": "yₙ と xₙ", "corner of |r|": "|r| の角", "across the": "等高線を横切る",
}


def test_the_japanese_readme_keeps_every_article_note() -> None:
    """Every slip the English notes correct is in the Japanese ones, with the same formulas."""
    from tests.test_articles import SLIPS

    english = (ROOT / "grader" / "student" / "README.md").read_text(encoding="utf-8")
    japanese = (ROOT / "grader" / "student" / "README.ja.md").read_text(encoding="utf-8")
    notes = " ".join(japanese.split("## 記事についての注意", 1)[1].split())
    for number in ("000", "001", "002", "003", "004"):
        assert f"**記事 {number}**" in notes, number
    for slip, needles in SLIPS.items():
        for needle in needles:  # the formulas and names as they are, the English words in Japanese
            assert IN_JAPANESE.get(needle, needle) in notes, (slip, needle)
    # The same placeholders, plot blocks and article tests as the English README.
    for pattern in (r"\{\{[#/]?\w+\}\}", r"`[a-z_.]+: article \d+: [^`]+`"):
        assert sorted(re.findall(pattern, english)) == sorted(re.findall(pattern, japanese)), pattern


def test_an_english_release_is_unchanged(tmp_path: Path) -> None:
    copy = _release(tmp_path / "en")
    assert not (copy / "tests" / "_support" / "locale").exists()
    assert yaml.safe_load((copy / "course.yml").read_text(encoding="utf-8")) == COURSE.student_safe()
    assert (copy / "README.md").read_text(encoding="utf-8") == rel.readme(COURSE, *_counts(copy))
    assert "## Notes on the articles" in (copy / "README.md").read_text(encoding="utf-8")
    out = student_pytest(copy, "-k", "losses.sse")
    assert "Loss functions from first principles: your progress on the public tests" in out
    assert "  function    status         tests  points" in out
    assert "  losses.sse  · not started    0/2  0 / 4" in out
    assert "Next: work on losses.sse" in out and "2 not started" in out
    assert not JAPANESE.search(out), out


def test_release_leaves_the_process_language_alone() -> None:
    assert i18n.language() == "en"
    assert "合計: " in rel.readme(JA_COURSE, 10, 4)
    assert i18n.language() == "en" and i18n.t("total") == "total"
    i18n.set_language("ja")
    try:
        assert "In all: " in rel.readme(COURSE, 10, 4) and i18n.t("total") == "合計"
    finally:
        i18n.set_language("en")


# -- what the student sees ----------------------------------------------------------------

def test_stubs_show_a_japanese_progress_table(copy: Path) -> None:
    out = student_pytest(copy)
    assert f"{COURSE.title}: 公開テストの進み具合" in out
    table = _table(out)
    assert table[0].split() == ["関数", "状態", "テスト", "得点"]
    assert table[1].split() == ["losses.sse", "·", "未着手", "0/2", "0", "/", "4"]
    assert table[-1].split() == ["合計", "0", "/", f"{COURSE.max_total:g}"]
    assert "次は losses.sse に取り組みましょう" in out
    assert "46 未着手" in out  # pytest's summary line counts them in the copy's words
    for english in ("your progress", "Next:", "not started", "function", "status", "total"):
        assert english not in out.replace(COURSE.title, ""), english


def _cells(line: str) -> list[tuple[int, int]]:
    """(first, end) terminal columns of each cell of a table line (cells are two spaces apart)."""
    return [(width(line[: m.start()]), width(line[: m.end()])) for m in re.finditer(r"\S+(?: \S+)*", line)]


def test_the_table_lines_up_in_a_terminal(copy: Path) -> None:
    _use_solutions(copy)
    _append(copy, "losses", "def mae(y, y_hat):\n    raise NotImplementedError\n")
    _append(copy, "losses", "def mse(y, y_hat):\n    return 0.0\n")
    table = _table(student_pytest(copy))
    assert {row.split()[2] for row in table[1:-1]} == {"完了", "不合格", "未着手"}
    # Wide (Japanese) characters take two columns: every column still lines up under its header.
    head = _cells(table[0])
    for row in table[1:-1]:
        cells = _cells(row)
        assert [c[0] for c in cells[:2]] + [cells[2][1], cells[3][0]] == [
            head[0][0], head[1][0], head[2][1], head[3][0]], (table[0], row)  # the tests column is right-aligned
    total = _cells(table[-1])
    assert (total[0][0], total[-1][0]) == (head[0][0], head[3][0]), table[-1]


def test_a_known_mistake_is_reported_in_japanese(copy: Path) -> None:
    from grader.checks import check_value
    from grader.suites import load_mistakes

    mistake = next(m for m in load_mistakes(["losses"]) if (m.function, m.name) == ("losses.sse", "mean-instead-of-sum"))
    _use_solutions(copy)
    _append(copy, "losses", mistake.source)
    out = student_pytest(copy)
    i18n.set_language("ja")
    try:
        reason = check_value(0.375, 1.5, COURSE.rtol, COURSE.atol).reason  # the engine's words, in Japanese
    finally:
        i18n.set_language("en")
    assert _section(out, "losses.sse: small example") == [
        f"losses.sse: 小さな例: {reason}",  # the pytest id stays English; the title is Japanese
        "  入力:     y=[3, -0.5, 2, 7] (list 型), y_hat=[2.5, 0, 2, 8] (list 型)",
        "  期待値:   1.5",
        "  返り値:   0.375",
        f"  ヒント:   {i18n.load('ja').gettext(mistake.hint)}",  # the hint in Japanese (mistakes.po)
    ]
    if i18n.load("ja").gettext("wrong value") != "wrong value":  # once engine.po has it
        assert JAPANESE.search(reason)
    assert "✗ 不合格" in out and "次は losses.sse に取り組みましょう" in out
    assert "Traceback" not in out and "E   " not in out


def test_errors_and_partial_runs_are_reported_in_japanese(copy: Path) -> None:
    _use_solutions(copy)
    _append(copy, "regression", "def broken(:\n    pass\n")
    out = student_pytest(copy, "-k", "regression.center or losses.sse")
    report = _section(out, "regression.center: the example [2, 4, 6]")
    assert report[0].startswith(
        "regression.center: 例 [2, 4, 6]: exercises/regression.py をインポートできませんでした: SyntaxError")
    assert any(line.startswith("  場所:     exercises/regression.py:") for line in report), report
    assert "公開テスト 46 件のうち 5 件だけを実行しました" in out and "次は regression.center に取り組みましょう" in out


def test_congratulations_and_japanese_figures(copy: Path) -> None:
    """Everything passes; the figure drawn with Japanese labels is saved without missing glyphs."""
    _use_solutions(copy)
    _append(copy, "plots", "_plot_fit = plot_fit\n\n\n"
                           "def plot_fit(x, y, a, b):\n"
                           "    fig = _plot_fit(x, y, a, b)\n"
                           "    ax = fig.axes[0]\n"
                           "    ax.set_title('学習率と損失')\n"
                           "    ax.set_xlabel('広さ x')\n"
                           "    ax.set_ylabel('家賃 y')\n"
                           "    return fig\n")
    out = student_pytest(copy, "-W", "error:Glyph:UserWarning")  # a missing glyph would fail the save
    assert "おめでとうございます！公開テストにすべて合格しました。" in out, out
    assert "あなたの図: figures/ (PNG ファイル 4 個。画像ビューアで開いて確認できます)" in out
    assert "保存できませんでした" not in out and "Glyph" not in out
    assert len(list((copy / "figures").glob("plot_fit-*.png"))) == 1


def test_a_wrong_figure_is_reported_in_japanese(copy: Path) -> None:
    _use_solutions(copy)
    _append(copy, "plots", "def plot_fit(x, y, a, b):\n    from matplotlib.figure import Figure\n"
                           "    fig = Figure()\n    fig.add_subplot().plot(x, y, 'o')\n"
                           "    return fig\n")
    out = student_pytest(copy, "-k", "plot_fit")
    png = next((copy / "figures").glob("plot_fit-*.png")).name
    assert f"  図:       figures/{png} (開くと描いた図を確認できます)" in out.splitlines(), out
    assert "あなたの図: figures/ (PNG ファイル 1 個。画像ビューアで開いて確認できます)" in out


def test_the_language_comes_from_the_copys_course_yml(copy: Path) -> None:
    course_yml = copy / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("language: ja\n", ""), encoding="utf-8")
    out = student_pytest(copy, "-k", "losses.sse")
    assert "Next: work on losses.sse" in out and not JAPANESE.search(out)

"""`grader grade --lang ja` through the real CLI: everything a student reads (feedback, results.json,
the LMS feedback column) and the class report in Japanese, code identifiers and values as they
are; the same class graded without --lang keeps the English texts."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from grader import i18n
from grader.config import load_course
from grader.synth import ClassMaker, stub_function, write_folder
from tests.conftest import ROOT, run_cli

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
SATO = "佐藤花子"
# Headings and phrases of the English outputs that must not be left in the Japanese ones.
ENGLISH = ["wrong value", "Points per function", "What to fix", "Problems with your submission", "feedback for",
           "Total:", "full marks", "partly right", "could not run", "could not be loaded", "Every test passed",
           "(public)", "(hidden)", "your result", "Your figures", "points (autograded)", "Not yet fully right",
           "Total scores", "Per function", "Most failed tests", "Known mistakes", "Needs attention",
           "All students", "class report", "The numbers behind this chart", "need attention"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small class, graded once in Japanese (--lang ja) and once as course.yml says (English)."""
    course = load_course(ROOT / "course.yml", assignment="ps1")
    maker = ClassMaker(course)
    cls = tmp_path_factory.mktemp("class")
    write_folder(cls / SATO, maker.correct())
    mistake = next(m for m in maker.mistakes if (m.function, m.name) == ("losses.sse", "mean-instead-of-sum"))
    write_folder(cls / "mistaken", maker.altered({"losses.sse": mistake.source}))
    write_folder(cls / "broken", maker.hostile("syntax-error"))  # regression.py does not compile
    stubbed = maker.correct()
    stubbed["descent"] = stub_function(stubbed["descent"], "gradient_descent")
    write_folder(cls / "stubbed", stubbed)
    runs = {}
    for lang in ("ja", "en"):
        out = tmp_path_factory.mktemp(f"graded-{lang}")
        proc = run_cli("grade", str(cls), "--out", str(out), "--format", "moodle", "--quiet",
                       *(["--lang", "ja"] if lang == "ja" else []))
        assert proc.returncode == 0, proc.stderr
        # nothing about fonts on the instructor's terminal (a missing glyph, a missing bold face)
        assert "Glyph" not in proc.stderr and "findfont" not in proc.stderr, proc.stderr
        runs[lang] = out
    return runs


def feedback(out: Path, sid: str) -> str:
    return (out / "feedback" / f"{sid}.md").read_text(encoding="utf-8")


def results(out: Path, sid: str) -> dict:
    return json.loads((out / "results" / f"{sid}.json").read_text(encoding="utf-8"))


def lms_feedback(out: Path) -> dict[str, str]:
    with (out / "grades-moodle.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "Username" and rows[0][2] == "Feedback"  # the platform's own columns stay
    return {r[0]: r[2] for r in rows[1:]}


def texts(out: Path) -> dict[str, str]:
    """Every text a student or the instructor reads, by file name."""
    files = [*out.glob("feedback/*.md"), *out.glob("results/*.json"), out / "grades-moodle.csv", out / "report.html"]
    return {p.name: p.read_text(encoding="utf-8") for p in files}


def test_the_grades_do_not_depend_on_the_language(graded) -> None:
    assert (graded["ja"] / "grades.csv").read_bytes() == (graded["en"] / "grades.csv").read_bytes()


def test_feedback_is_in_japanese(graded) -> None:
    out = graded["ja"]
    for sid in (SATO, "mistaken", "broken", "stubbed"):
        text = feedback(out, sid)
        assert "さんへのフィードバック" in text.splitlines()[0] and sid in text.splitlines()[0]
        assert "## 関数ごとの得点" in text and "| 関数 | 得点 | 結果 |" in text
        assert "| `losses.sse` |" in text  # code identifiers stay
    assert "**合計: 84 / 84**" in feedback(out, SATO) and "すべてのテストに合格しました" in feedback(out, SATO)
    assert "✅ 満点 (テスト 10/10)" in feedback(out, SATO)

    mistaken = feedback(out, "mistaken")
    assert "## 直すべきところ" in mistaken and "### `losses.sse`" in mistaken
    assert "**losses.sse: 小さな例** (公開テスト): 値が違います" in mistaken
    assert "  - 期待値: `1.5`" in mistaken and "  - あなたの返り値: `0.375`" in mistaken  # values as they are
    assert "(非公開テスト): 値が違います" in mistaken
    assert "🟡 一部正解" in mistaken

    broken = feedback(out, "broken")
    assert "## 提出物の問題" in broken
    assert re.search(r"- `regression\.py`: SyntaxError: .+（2 行目）", broken), broken
    assert "(公開テスト): モジュール regression を読み込めませんでした: SyntaxError" in broken
    assert "(非公開テスト): この関数のモジュールを読み込めませんでした（上記を参照）" in broken
    assert "💥 実行できませんでした" in broken

    stubbed = feedback(out, "stubbed")
    assert "未着手: `descent.gradient_descent`" in stubbed and "⬜ 未着手" in stubbed

    for sid in (SATO, "mistaken", "broken", "stubbed"):
        text = feedback(out, sid)
        left = [phrase for phrase in ENGLISH if phrase in text]
        assert not left, (sid, left)


def test_results_json_outputs_are_in_japanese(graded) -> None:
    out = graded["ja"]
    data = results(out, "mistaken")
    assert data["output"].splitlines()[0] == "合計: 80.4 / 84"
    tests = {t["name"]: t for t in data["tests"]}
    public = tests["losses.sse: 小さな例"]["output"]  # the title students read (titles.po)
    assert public.startswith("losses.sse: 小さな例: 値が違います")
    assert "\n  入力:" in public and "\n  期待値:   1.5" in public and "\n  返り値:   0.375" in public
    assert "\n  ヒント:" in public
    hidden = tests["losses.sse: ランダムなデータ"]
    assert hidden["visibility"] == "after_published"
    assert hidden["output"].startswith("losses.sse: ランダムなデータ: 値が違います")
    assert "期待値" not in hidden["output"] and "返り値" not in hidden["output"]  # hidden: no values

    broken = results(out, "broken")
    assert re.search(r"^regression: SyntaxError: .+（2 行目）$", broken["output"], re.M), broken["output"]
    outputs = [t["output"] for t in broken["tests"] if t["name"].startswith("regression.")]
    assert any("モジュール regression を読み込めませんでした" in o for o in outputs)  # public
    assert any("この関数のモジュールを読み込めませんでした（上記を参照）" in o for o in outputs)  # hidden

    stubbed = results(out, "stubbed")
    started = [t["output"] for t in stubbed["tests"] if t["name"].startswith("descent.gradient_descent:")]
    assert started and all("まだ手を付けていません（NotImplementedError を送出したままです）" in o for o in started)

    for sid in (SATO, "mistaken", "broken", "stubbed"):
        data = results(out, sid)
        for text in [data["output"], *(t["output"] for t in data["tests"])]:
            assert not [p for p in ["wrong value", "Total:", "input:", "expected:", "got:", "hint:",
                                    "could not be loaded", "not started yet"] if p in text], text


def test_lms_feedback_is_in_japanese(graded) -> None:
    got = lms_feedback(graded["ja"])
    assert got[SATO] == "84 / 84 点（自動採点）。"
    assert got["mistaken"] == "80.4 / 84 点（自動採点）。まだ完全には正しくない関数: losses.sse。"
    assert got["stubbed"].endswith("まだ完全には正しくない関数: descent.gradient_descent。")
    assert not [p for text in got.values() for p in ENGLISH if p in text]


def test_report_is_in_japanese(graded) -> None:
    html = (graded["ja"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "— クラスのレポート</title>" in html
    assert "クラスのレポート: 4 件の提出物を採点しました。" in html
    for heading in ("合計点", "関数ごと", "不合格の多いテスト", "既知の誤り", "要確認", "全学生"):
        assert f"<h2>{heading}</h2>" in html, heading
    assert "<summary>このグラフの数値</summary>" in html
    assert '<div class="label">学生数</div>' in html and '<div class="label">中央値</div>' in html
    assert "<th>テスト</th><th>種類</th>" in html and "<td>非公開テスト</td>" in html
    assert 'alt="学生の合計点のヒストグラム（平均と中央値の印付き）"' in html
    assert '<span class="status status-partial">一部のみ採点</span>' in html  # the class name stays
    assert f"<code>{SATO}</code>" in html and "<code>losses.sse</code>" in html
    assert "<td>mean-instead-of-sum</td>" in html  # the mistake's own name
    body = re.sub(r"data:image/png;base64,[^\"]+", "", html)
    assert not [p for p in ENGLISH if p in body]


def test_no_english_message_of_the_catalogue_is_left(graded) -> None:
    """Every English phrase of engine.po's messages (the parts between placeholders, of three
    words or more) is absent from the Japanese outputs: nothing was missed."""
    engine = i18n.LOCALE / "ja" / "LC_MESSAGES" / "engine.po"
    phrases = set()
    for msgid in i18n.parse_po(engine.read_text(encoding="utf-8")):
        for part in re.split(r"\{[^{}]*\}", msgid):
            part = part.strip(" .,:;()")
            if len(re.findall(r"[A-Za-z]{2,}", part)) >= 3:
                phrases.add(part)
    assert len(phrases) > 100
    left = {(name, p) for name, text in texts(graded["ja"]).items() for p in phrases if p in text}
    assert not left


def test_without_lang_the_outputs_stay_in_english(graded) -> None:
    out = graded["en"]
    mistaken = feedback(out, "mistaken")
    for phrase in ("# Loss functions from first principles: feedback for mistaken", "**Total: 80.4 / 84**",
                   "## Points per function", "| function | points | result |", "## What to fix",
                   "**losses.sse: small example** (public): wrong value", "  - expected: `1.5`",
                   "  - your result: `0.375`", "(hidden): wrong value", "🟡 partly right (1/10 tests)"):
        assert phrase in mistaken, phrase
    assert "## Problems with your submission" in feedback(out, "broken")
    assert "Every test passed. Well done!" in feedback(out, SATO)
    tests = {t["name"]: t["output"] for t in results(out, "mistaken")["tests"]}
    assert "\n  expected: 1.5\n  got:      0.375" in tests["losses.sse: small example"]
    assert results(out, "mistaken")["output"].startswith("Total: 80.4 / 84")
    assert lms_feedback(out)["mistaken"] == "80.4 / 84 points (autograded). Not yet fully right: losses.sse."
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<h2>Total scores</h2>" in html and "<h2>Needs attention</h2>" in html
    for name, text in texts(out).items():  # the student's name is the only Japanese
        assert not JAPANESE.search(text.replace(SATO, "")), name

"""The known mistakes' hints in Japanese: every hint of every assignment has its translation in
``grader/locale/ja/LC_MESSAGES/mistakes.po``, and a Japanese course shows it both in the bulk
feedback (``grader grade --lang ja``) and in the student copy (``grader release --lang ja``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from grader import i18n
from grader.config import load_course
from grader.mistakes import Mistake
from grader.suites import load_mistakes
from grader.synth import ClassMaker, write_folder
from tests.conftest import ROOT, run_cli

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
CATALOGUE = i18n.LOCALE / "ja" / "LC_MESSAGES" / "mistakes.po"


def every_mistake() -> list[tuple[str, Mistake]]:
    """(assignment, mistake) for every known mistake of every assignment in course.yml."""
    course = load_course(ROOT / "course.yml")
    found = []
    for assignment in course.assignments:
        modules = list(load_course(ROOT / "course.yml", assignment=assignment).modules)
        found.extend((assignment, m) for m in load_mistakes(modules))
    return found


def hints_ja() -> dict[str, str]:
    return i18n.parse_po(CATALOGUE.read_text(encoding="utf-8"))


def sse_mean() -> Mistake:
    return next(m for _, m in every_mistake() if (m.function, m.name) == ("losses.sse", "mean-instead-of-sum"))


def test_every_hint_of_every_assignment_has_a_japanese_translation() -> None:
    ja = hints_ja()
    mistakes = every_mistake()
    assert len({a for a, _ in mistakes}) >= 3 and len(mistakes) > 150  # every assignment was read
    missing = [f"{a} {m.function} {m.name}: {m.hint!r}" for a, m in mistakes if not ja.get(m.hint, "").strip()]
    assert missing == [], "hints without a Japanese msgstr in mistakes.po:\n" + "\n".join(missing)
    assert [f"{a} {m.function} {m.name}" for a, m in mistakes if not JAPANESE.search(ja[m.hint])] == []


def test_the_catalogue_holds_no_stale_hints() -> None:
    """A hint whose English changed leaves its old entry behind: it is translated again, not kept."""
    current = {m.hint for _, m in every_mistake()}
    assert sorted(set(hints_ja()) - current) == []


def test_translations_keep_braces_placeholders_and_code() -> None:
    for msgid, msgstr in hints_ja().items():
        assert i18n.placeholders(msgstr) == i18n.placeholders(msgid), (msgid, msgstr)
        for brace in "{}":
            assert msgstr.count(brace) == msgid.count(brace), (msgid, msgstr)
        for code in re.findall(r"`[^`]+`", msgid):  # identifiers in backticks stay as they are
            assert code in msgstr, (msgid, msgstr)


def test_translate_follows_the_language_and_falls_back_to_the_text() -> None:
    hint = sse_mean().hint
    assert i18n.translate(hint) == hint  # English: the hint as written
    i18n.set_language("ja")
    try:
        assert i18n.translate(hint) == hints_ja()[hint]
        assert i18n.translate("A hint nobody translated {x}.") == "A hint nobody translated {x}."
    finally:
        i18n.set_language("en")
    assert i18n.translate(hint) == hint


@pytest.fixture(scope="module")
def graded_ja(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One student whose losses.sse is the known mistake mean-instead-of-sum, graded with --lang ja."""
    course = load_course(ROOT / "course.yml", assignment="ps1")
    cls = tmp_path_factory.mktemp("class")
    write_folder(cls / "mistaken", ClassMaker(course).altered({"losses.sse": sse_mean().source}))
    out = tmp_path_factory.mktemp("graded-ja")
    proc = run_cli("grade", str(cls), "--out", str(out), "--quiet", "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    return out


def test_bulk_feedback_shows_the_japanese_hint(graded_ja: Path) -> None:
    mistake = sse_mean()
    japanese = hints_ja()[mistake.hint]
    feedback = (graded_ja / "feedback" / "mistaken.md").read_text(encoding="utf-8")
    assert japanese in feedback
    assert mistake.hint not in feedback
    results = json.loads((graded_ja / "results" / "mistaken.json").read_text(encoding="utf-8"))
    outputs = "\n".join(t.get("output", "") for t in results["tests"])
    assert japanese in outputs and mistake.hint not in outputs


def test_the_japanese_copy_carries_the_japanese_hint(tmp_path: Path) -> None:
    mistake = sse_mean()
    dest = tmp_path / "copy"
    proc = run_cli("release", str(dest), "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    cases = json.loads((dest / "tests" / "public_cases.json").read_text(encoding="utf-8"))["cases"]
    hints = [hint for case in cases if case["function"] == "losses.sse" for hint, _ in case.get("mistakes", [])]
    assert hints_ja()[mistake.hint] in hints
    assert mistake.hint not in hints
    assert all(JAPANESE.search(hint) for case in cases for hint, _ in case.get("mistakes", []))

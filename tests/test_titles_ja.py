"""The test titles in Japanese: every label of every assignment (the part of a test's name after
``module.function: ``) has its translation in ``grader/locale/ja/LC_MESSAGES/titles.po``, and a
Japanese course shows it where people read the names (feedback, results.json, the student copy),
while the names themselves stay the identifiers and English output is unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from grader import i18n
from grader.config import load_course
from grader.suites import load_tests
from grader.synth import ClassMaker, write_folder
from tests.conftest import ROOT, run_cli
from tests.test_hints_ja import sse_mean

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
CATALOGUE = i18n.LOCALE / "ja" / "LC_MESSAGES" / "titles.po"


def every_name() -> list[tuple[str, str, str]]:
    """(assignment, function, test name) for every test of every assignment in course.yml."""
    course = load_course(ROOT / "course.yml")
    found: list[tuple[str, str, str]] = []
    for assignment in course.assignments:
        modules = list(load_course(ROOT / "course.yml", assignment=assignment).modules)
        found.extend((assignment, t.function, t.name) for t in load_tests(modules))
    return found


def titles_ja() -> dict[str, str]:
    return i18n.parse_po(CATALOGUE.read_text(encoding="utf-8"))


def label(name: str) -> str:
    return name.split(": ", 1)[1]


def test_every_label_of_every_assignment_has_a_japanese_title() -> None:
    ja = titles_ja()
    names = every_name()
    assert len({a for a, _, _ in names}) >= 3 and len(names) > 300  # every assignment was read
    assert all(name.startswith(f"{function}: ") for _, function, name in names)
    missing = sorted({label(n) for _, _, n in names if not ja.get(label(n), "").strip()})
    assert missing == [], "labels without a Japanese msgstr in titles.po:\n" + "\n".join(missing)
    assert sorted(set(ja) - {label(n) for _, _, n in names}) == []  # no stale entries
    # a label is in Japanese unless it is only code and numbers ("delta=2.5", "gamma 5")
    assert [m for m, s in ja.items() if not JAPANESE.search(s) and (s != m or re.search(r"[a-z]{3,} [a-z]{3,}", m))] == []


def test_display_name_translates_only_the_label() -> None:
    name = "losses.sse: article 000: the SSE example's four values"
    assert i18n.display_name(name) == name
    i18n.set_language("ja")
    try:
        assert i18n.display_name(name) == "losses.sse: " + titles_ja()["article 000: the SSE example's four values"]
        assert i18n.display_name("losses.sse: a label nobody translated") == "losses.sse: a label nobody translated"
        assert i18n.display_name("no label") == "no label"
    finally:
        i18n.set_language("en")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One student whose losses.sse is the known mistake mean-instead-of-sum, graded in English and Japanese."""
    course = load_course(ROOT / "course.yml", assignment="ps1")
    cls = tmp_path_factory.mktemp("class")
    write_folder(cls / "mistaken", ClassMaker(course).altered({"losses.sse": sse_mean().source}))
    outs = {}
    for lang in ("en", "ja"):
        out = tmp_path_factory.mktemp(f"graded-{lang}")
        proc = run_cli("grade", str(cls), "--out", str(out), "--quiet", *(["--lang", "ja"] if lang == "ja" else []))
        assert proc.returncode == 0, proc.stderr
        outs[lang] = out
    return outs


def _failed_sse(out: Path) -> tuple[str, list[str]]:
    feedback = (out / "feedback" / "mistaken.md").read_text(encoding="utf-8")
    results = json.loads((out / "results" / "mistaken.json").read_text(encoding="utf-8"))
    failed = [t["name"] for t in results["tests"] if t["status"] == "failed" and t["name"].startswith("losses.sse: ")]
    return feedback, failed


def test_feedback_and_results_show_japanese_titles_and_english_stays(graded: dict[str, Path]) -> None:
    ja = titles_ja()
    feedback_en, failed_en = _failed_sse(graded["en"])
    feedback_ja, failed_ja = _failed_sse(graded["ja"])
    assert failed_en and len(failed_ja) == len(failed_en)
    for name in failed_en:
        assert label(name) in ja and f"**{name}**" in feedback_en  # English: the name as written
        title = f"losses.sse: {ja[label(name)]}"
        assert title in failed_ja and f"**{title}**" in feedback_ja
        assert f"**{name}**" not in feedback_ja


def test_the_japanese_copy_titles_its_cases_and_keeps_their_names(tmp_path: Path) -> None:
    ja = titles_ja()
    copies = {}
    for lang in ("en", "ja"):
        proc = run_cli("release", str(tmp_path / lang), "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        copies[lang] = json.loads((tmp_path / lang / "tests" / "public_cases.json").read_text(encoding="utf-8"))["cases"]
    assert [c["name"] for c in copies["ja"]] == [c["name"] for c in copies["en"]]  # pytest ids unchanged
    assert all("title" not in c for c in copies["en"])
    assert all(c.get("title", c["name"]) == f"{c['function']}: {ja[label(c['name'])]}" for c in copies["ja"])
    assert any("title" in c for c in copies["ja"])

"""The message layer: every message has every language, placeholders match, the glossary holds."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from grader import i18n

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def used_messages() -> dict[str, str]:
    """msgid -> where, for every ``t("...")`` and ``_("...")`` call with a literal in the grader."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "grader").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def japanese() -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in i18n.catalogues("ja"):
        messages.update(i18n.parse_po(path.read_text(encoding="utf-8")))
    return messages


def test_every_message_used_has_a_japanese_translation() -> None:
    ja = japanese()
    missing = [f"{where}: {msgid!r}" for msgid, where in used_messages().items() if not ja.get(msgid)]
    assert missing == []


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_translations_keep_their_placeholders_and_are_translated(lang: str) -> None:
    for path in i18n.catalogues(lang):
        for msgid, msgstr in i18n.parse_po(path.read_text(encoding="utf-8")).items():
            assert msgstr, f"{path.name}: untranslated {msgid!r}"
            assert i18n.placeholders(msgstr) == i18n.placeholders(msgid), (path.name, msgid, msgstr)
            if re.search(r"[A-Za-z]{4,} [A-Za-z]{3,} [A-Za-z]{3,}", msgid):  # an English sentence...
                assert JAPANESE.search(msgstr), (path.name, msgid, msgstr)  # ...is not left in English


def test_every_message_renders_in_both_languages_with_sample_values() -> None:
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        try:
            for msgid in used_messages():
                values = {name: f"<{name}>" for name in i18n.placeholders(msgid)}
                text = i18n.t(msgid, **values)
                assert all(f"<{name}>" in text for name in values), (lang, msgid, text)
        finally:
            i18n.set_language("en")


def test_the_glossary_is_used_in_every_japanese_message() -> None:
    with (ROOT / "grader" / "locale" / "glossary.tsv").open(encoding="utf-8") as f:
        glossary = [(row["english"], row["japanese"]) for row in csv.DictReader(f, delimiter="\t")]
    assert len(glossary) >= 15
    for msgid, msgstr in japanese().items():
        for en, ja in glossary:
            if re.search(rf"(?<![\w-]){re.escape(en)}(?![\w-])", msgid, re.IGNORECASE):
                assert ja in msgstr, f"{msgid!r}: the glossary says {en!r} is {ja!r}: {msgstr!r}"


def test_the_po_parser_reads_continuations_and_escapes(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '# a comment\nmsgid "wrong value: {got}"\nmsgstr ""\n"値が違います: "\n"{got}"\n\n'
                  'msgid "a \\"quoted\\" word"\nmsgstr "「引用」"\n', encoding="utf-8")
    assert i18n.parse_po(po.read_text(encoding="utf-8")) == {"wrong value: {got}": "値が違います: {got}",
                                                             'a "quoted" word': "「引用」"}

"""The one message layer: every text a student or the report shows goes through here.

Messages are gettext catalogues: ``grader/locale/<lang>/LC_MESSAGES/*.po`` (one
file per area: ``engine.po`` for feedback, results and the report, ``student.po``
for the student copy), kept in the repository and read directly (a small parser of the ``.po`` format
fills a :class:`gettext.NullTranslations`, so no compile step and no extra
dependency). English is the source language: a msgid is the English text, and
a language without a translation for it falls back to it. Placeholders are
named (``{student}``, ``{points}``) and filled with :meth:`str.format`; a test
checks that every translation keeps exactly its msgid's placeholders.

The language is chosen once per process (:func:`set_language`, from course.yml's
``language`` or ``--lang``). This module imports nothing from the grader, so the
student copy can ship it beside its catalogue.

To add a language: copy ``grader/locale/ja/`` to ``grader/locale/<lang>/``,
translate every ``msgstr`` (and the docstrings), and add the code to
:data:`LANGUAGES`; ``tests/test_i18n.py`` then checks it is complete.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("en", "ja")
LOCALE = Path(__file__).resolve().parent / "locale"
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


class _Catalogue(gettext.NullTranslations):
    """Translations read from a ``.po`` file (msgid -> msgstr; empty msgstr = untranslated)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a ``.po`` file (singular messages; the header entry is left out)."""
    messages: dict[str, str] = {}
    current: dict[str, list[str]] = {}
    key: str | None = None

    def flush() -> None:
        if "msgid" in current:
            msgid, msgstr = "".join(current["msgid"]), "".join(current.get("msgstr", []))
            if msgid:
                messages[msgid] = msgstr
        current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
                key = None
            continue
        m = re.match(r'(msgid|msgstr)\s+(".*")$', line)
        if m:
            if m.group(1) == "msgid" and "msgid" in current:
                flush()
            key = m.group(1)
            current[key] = [ast.literal_eval(m.group(2))]
        elif line.startswith('"') and key is not None:
            current[key].append(ast.literal_eval(line))
    flush()
    return messages


def catalogues(lang: str, root: Path = LOCALE) -> list[Path]:
    """The ``.po`` files of ``lang``, in name order."""
    return sorted((root / lang / "LC_MESSAGES").glob("*.po"))


def load(lang: str, root: Path = LOCALE) -> gettext.NullTranslations:
    """The translations of ``lang`` (English: the messages as written), every area merged."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    messages: dict[str, str] = {}
    for path in catalogues(lang, root) if lang != "en" else []:
        messages.update(parse_po(path.read_text(encoding="utf-8")))
    return _Catalogue(messages) if messages else gettext.NullTranslations()


_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]
_language: list[str] = ["en"]


def set_language(lang: str, root: Path = LOCALE) -> None:
    """Use ``lang`` for every message from now on in this process (``root``: where the
    catalogues are; the student copy keeps its own beside this file)."""
    _current[0] = load(lang, root)
    _language[0] = lang


def language() -> str:
    return _language[0]


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Messages in ``lang`` for a while (a student copy or a check written in the course's
    language, whatever this process uses), then in the process's own again."""
    before = language()
    if lang == before:
        yield
        return
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def _(message: str) -> str:
    """The message in the current language (marks a msgid for extraction)."""
    return _current[0].gettext(message)


def t(message: str, **values: object) -> str:
    """The message in the current language with its named placeholders filled."""
    text = _current[0].gettext(message)
    return text.format(**values) if values else text


def translate(text: str) -> str:
    """The current language's translation of a data string (a msgid that is not a literal in
    code, such as a known mistake's hint: ``mistakes.po``), else the text itself. Nothing is
    filled in, so braces in the text stay as they are."""
    return _current[0].gettext(text)


def display_name(name: str) -> str:
    """A test's name as people read it: ``module.function: label`` with the label in the current
    language (``titles.po``). Display only: the name itself stays the test's identifier."""
    function, sep, label = name.partition(": ")
    return f"{function}{sep}{translate(label)}" if sep else name


def placeholders(message: str) -> set[str]:
    """The named placeholders of a message (``{points}``, ``{name!r}``, ``{x:.2f}``)."""
    return set(_PLACEHOLDER.findall(message))


def digest(lang: str, root: Path = LOCALE) -> str:
    """A fingerprint of ``lang``'s catalogues: a changed translation means texts to redo."""
    import hashlib

    h = hashlib.sha256(lang.encode())
    for path in catalogues(lang, root) if lang != "en" else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]

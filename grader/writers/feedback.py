"""feedback/<student>.md: what a student is sent after grading.

Public tests show their inputs, expected and actual values and hints, exactly
as the student saw them locally. Hidden tests show only the function and the
nature of the failure (and a hint naming the mistake), unless course.yml
allows showing their inputs or expected values. Written in the course's
language (:mod:`grader.i18n`); code identifiers and values stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.i18n import _, display_name, t
from grader.scoring import StudentResult, TestResult
from grader.verdict import import_words
from grader.writers.grades_csv import fmt

if TYPE_CHECKING:
    from grader.figure_files import FigureFile

EMOJI = {"full": "✅", "partial": "🟡", "zero": "❌", "not started": "⬜", "error": "💥"}


def status_words(status: str) -> str:
    """A function's status in a few words, in the current language."""
    words = {"full": _("full marks"), "partial": _("partly right"), "zero": _("not yet right"),
             "not started": _("not started"), "error": _("could not run")}
    return words.get(status, status)


def limit_name(limit: str) -> str:
    """A limit's name (``grader.sandbox``'s ``limits_hit``) in the current language."""
    names = {"wall time": _("wall time"), "call time": _("call time"), "cpu time": _("cpu time"),
             "memory": _("memory"), "processes": _("processes"), "output": _("output")}
    return names.get(limit, limit)


def sentences(*parts: str) -> str:
    """Sentences one after the other: a space between them, none after a Japanese full stop."""
    out = ""
    for part in parts:
        out += part if not out or out.endswith("。") else " " + part
    return out


def visibility_label(public: bool) -> str:
    return _("public") if public else _("hidden")


def _failure(test: TestResult, show_inputs: bool, show_expected: bool) -> list[str]:
    visible = test.public
    out = [f"- **{display_name(test.name)}** ({visibility_label(visible)}): {test.reason}"]
    if (visible or show_inputs) and test.what:
        out.append(f"  - {_('input')}: `{test.what}`")
    if (visible or show_expected) and test.expected and test.kind in ("wrong value", "wrong size", "wrong shape",
                                                                      "modified input"):
        out.append(f"  - {_('expected')}: `{test.expected}`")
        if visible:
            out.append(f"  - {_('your result')}: `{test.actual}`")
    if test.hint:
        out.append(f"  - {_('hint')}: {test.hint}")
    return out


def _figures(figures: Sequence[FigureFile]) -> list[str]:
    """The "Your figures" section: one line per plot function, with its picture when drawn."""
    out = ["## " + _("Your figures"), "",
           _("Each picture is redrawn from what the grader read off your figure (points, lines, "
             "contour lines, labels), so colours and styles are not kept."), ""]
    for f in figures:
        head = f"- `{f.function}`" if f.function else "-"
        if f.test:
            head += f" ({f.test.split(': ', 1)[-1]})"
        parts = [head + ":"]
        if f.note:
            parts.append(f.note + ("" if not f.link else ":"))
        if f.link:
            parts.append(f"![{f.function or 'figure'}]({f.link})")
        out.append(" ".join(parts))
    return out + [""]


def render(result: StudentResult, *, title: str, show_inputs: bool = False,
           show_expected: bool = False, figures: Sequence[FigureFile] | None = None) -> str:
    """The feedback page; ``figures`` (from :mod:`grader.figure_files`) adds links to the
    student's saved figures, relative to the feedback folder."""
    lines = ["# " + t("{title}: feedback for {student}", title=title, student=result.student_id), "",
             "**" + t("Total: {total} / {max_total}", total=fmt(result.total), max_total=fmt(result.max_total))
             + "**", ""]
    if result.problems or result.module_errors or result.limits_hit:
        lines.append("## " + _("Problems with your submission"))
        lines += [f"- {p}" for p in result.problems]
        # import_words: "not submitted" and the like in the current language (the rest is worded already)
        lines += [f"- `{m}.py`: {import_words(e)}" for m, e in sorted(result.module_errors.items())]
        lines += ["- " + t("Your code reached the {limit} limit; the tests it was running score 0.",
                           limit=limit_name(lim)) for lim in result.limits_hit]
        lines.append("")
    if result.notes:
        lines.append("## " + _("How your files were read"))
        lines += [f"- {n}" for n in result.notes]
        lines.append("")
    lines += ["## " + _("Points per function"), "",
              f"| {_('function')} | {_('points')} | {_('result')} |", "|---|---:|---|"]
    for f in result.functions:
        status = f"{EMOJI[f.status]} {status_words(f.status)}" if f.status in EMOJI else f.status
        tests = t("({passed}/{total} tests)", passed=f.passed, total=f.total)
        lines.append(f"| `{f.function}` | {fmt(f.earned)} / {fmt(f.points)} | {status} {tests} |")
    lines.append("")
    failing = [test for test in result.tests if not test.passed]
    if failing:
        lines += ["## " + _("What to fix"), ""]
        current = None
        for test in failing:
            if test.function != current:
                current = test.function
                lines += ["", f"### `{current}`"]
            if test.kind == "not started":
                continue
            lines += _failure(test, show_inputs, show_expected)
        not_started = sorted({test.function for test in failing if test.kind == "not started"})
        if not_started:
            lines += ["", t("Not started: {functions}", functions=", ".join(f"`{f}`" for f in not_started))]
    else:
        lines.append(_("Every test passed. Well done!"))
    if figures:
        lines += ["", *_figures(figures)]
    return "\n".join(lines).rstrip() + "\n"

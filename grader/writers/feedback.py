"""feedback/<student>.md: what a student is sent after grading.

Public tests show their inputs, expected and actual values and hints, exactly
as the student saw them locally. Hidden tests show only the function and the
nature of the failure (and a hint naming the mistake), unless course.yml
allows showing their inputs or expected values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.scoring import StudentResult, TestResult
from grader.writers.grades_csv import fmt

if TYPE_CHECKING:
    from grader.figure_files import FigureFile

STATUS = {"full": "✅ full marks", "partial": "🟡 partly right", "zero": "❌ not yet right",
          "not started": "⬜ not started", "error": "💥 could not run"}


def _failure(t: TestResult, show_inputs: bool, show_expected: bool) -> list[str]:
    visible = t.public
    label = "public" if visible else "hidden"
    out = [f"- **{t.name}** ({label}): {t.reason}"]
    if (visible or show_inputs) and t.what:
        out.append(f"  - input: `{t.what}`")
    if (visible or show_expected) and t.expected and t.kind in ("wrong value", "wrong size", "wrong shape", "modified input"):
        out.append(f"  - expected: `{t.expected}`")
        if visible:
            out.append(f"  - your result: `{t.actual}`")
    if t.hint:
        out.append(f"  - hint: {t.hint}")
    return out


def _figures(figures: Sequence[FigureFile]) -> list[str]:
    """The "Your figures" section: one line per plot function, with its picture when drawn."""
    out = ["## Your figures", "",
           "Each picture is redrawn from what the grader read off your figure (points, lines, "
           "contour lines, labels), so colours and styles are not kept.", ""]
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
    lines = [f"# {title}: feedback for {result.student_id}", "",
             f"**Total: {fmt(result.total)} / {fmt(result.max_total)}**", ""]
    if result.problems or result.module_errors or result.limits_hit:
        lines.append("## Problems with your submission")
        lines += [f"- {p}" for p in result.problems]
        lines += [f"- `{m}.py`: {e}" for m, e in sorted(result.module_errors.items())]
        lines += [f"- Your code reached the {lim} limit; the tests it was running score 0."
                  for lim in result.limits_hit]
        lines.append("")
    if result.notes:
        lines.append("## How your files were read")
        lines += [f"- {n}" for n in result.notes]
        lines.append("")
    lines += ["## Points per function", "", "| function | points | result |", "|---|---:|---|"]
    for f in result.functions:
        lines.append(f"| `{f.function}` | {fmt(f.earned)} / {fmt(f.points)} | {STATUS.get(f.status, f.status)} "
                     f"({f.passed}/{f.total} tests) |")
    lines.append("")
    failing = [t for t in result.tests if not t.passed]
    if failing:
        lines += ["## What to fix", ""]
        current = None
        for t in failing:
            if t.function != current:
                current = t.function
                lines += ["", f"### `{current}`"]
            if t.kind == "not started":
                continue
            lines += _failure(t, show_inputs, show_expected)
        not_started = sorted({t.function for t in failing if t.kind == "not started"})
        if not_started:
            lines += ["", "Not started: " + ", ".join(f"`{f}`" for f in not_started)]
    else:
        lines.append("Every test passed. Well done!")
    if figures:
        lines += ["", *_figures(figures)]
    return "\n".join(lines).rstrip() + "\n"

"""Gradescope's autograder ``results.json`` for one student.

Fields follow Gradescope's published specification: top-level ``score``,
``max_score``, ``output``, ``stdout_visibility``, ``tests``; each test has
``name``, ``score``, ``max_score``, ``status``, ``output`` and ``visibility``.
Hidden tests are ``after_published`` and their output never holds inputs or
expected values.
"""

from __future__ import annotations

import json
from typing import Any

from grader.i18n import display_name, t
from grader.scoring import StudentResult
from grader.verdict import import_words


def results_dict(result: StudentResult, *, show_hidden_values: bool = False,
                 execution_time: float | None = None) -> dict[str, Any]:
    tests = []
    for test in result.tests:
        tests.append({
            "name": display_name(test.name),  # shown by Gradescope; the identifier stays test.name
            "score": round(test.score, 4),
            "max_score": round(test.max_score, 4),
            "status": "passed" if test.passed else "failed",
            "output": "" if test.passed else test.message(show_values=test.public or show_hidden_values),
            "visibility": "visible" if test.public else "after_published",
        })
    lines = [t("Total: {total} / {max_total}", total=f"{result.total:g}", max_total=f"{result.max_total:g}")]
    lines += [t("Note: {note}", note=p) for p in [*result.problems, *result.notes]]
    lines += [f"{m}: {import_words(e)}" for m, e in sorted(result.module_errors.items())]
    data: dict[str, Any] = {
        "score": result.total,  # already rounded by the one rule (grader.scoring.round_points)
        "max_score": result.max_total,
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "visibility": "visible",
        "tests": tests,
    }
    if execution_time is not None:
        data["execution_time"] = round(execution_time, 3)
    return data


def render(result: StudentResult, *, show_hidden_values: bool = False) -> str:
    # No indent: json's C encoder only serves indent=None, and this runs once per student.
    return json.dumps(results_dict(result, show_hidden_values=show_hidden_values),
                      ensure_ascii=False, sort_keys=True) + "\n"

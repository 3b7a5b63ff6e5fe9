"""The catalogue of known student mistakes, used to explain a wrong answer.

Each entry is a complete wrong version of one exercise function, kept with its
module's tests in ``grader/suites/test_<module>.py`` (``MISTAKES``). When the
grading plan is built (:func:`grader.plan.mistake_outcomes`), every entry is
run on its function's test inputs inside a private copy of the solution module;
when a submission's wrong output equals a mistake's output on the same call,
:func:`grader.scoring.diagnose` attaches that mistake's hint to the failed test.

Order matters: diagnosis reports the first matching entry of a function, so
the more common mistake comes first. Only finite numeric results of ``value``
tests are compared, so a mistake that merely changes its inputs or returns the
wrong container is still graded (it loses points) but its hint is never
attached; ``tests/test_mistakes.py`` lists those entries.

A mistake must never *return* NaN or infinity: ``checks.same_numbers`` treats
an infinite reference as matching every finite answer, so such an entry would
be "diagnosed" in any wrong submission. Mistakes that hit log(0) or a division
by zero are therefore written with Python floats, which raise instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Mistake:
    """One known wrong implementation of an exercise function."""

    function: str  # "losses.sse"
    name: str  # short slug, unique per function: "mean-instead-of-sum"
    hint: str  # shown to the student when their output equals this mistake's output
    source: str  # the complete wrong ``def <function>(...)``, same signature, dedented
    affects: tuple[str, ...] = ()  # callers (module.function) in the solutions that may also lose points


def _m(function: str, name: str, hint: str, source: str, affects: tuple[str, ...] = ()) -> Mistake:
    return Mistake(function, name, " ".join(hint.split()), dedent(source).strip() + "\n", affects)


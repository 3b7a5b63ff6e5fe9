"""The course's source articles (000 to 004) meet students in the public tests.

Each example an article works through is a test of the ps1 suites, public
(the seed-0 synthetic line of article 000 is the one hidden test), on the
article's own inputs; the reference solution's value on it is the number the
article prints, or, where it prints none or uses another convention, the number
a hand computation in the course's conventions gives (natural log, mean over
samples). The student README lists the articles' slips.

Numbers are compared to 6 significant digits, as the articles print them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import cases
from grader.config import load_course
from grader.plan import Plan, build_plan
from grader.probes import PROBES
from grader.release import readme
from grader.wire import Fn

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT / "course.yml")

MAILS = list(range(1, 11))
SALES = [12500, 19700, 29600, 53700, 47700, 75200, 54500, 85800, 91200, 102200]


def seed0_line() -> tuple[np.ndarray, np.ndarray]:
    """Article 000's data as the article makes it: (100, 1) columns from one seed-0
    generator, uniforms first, then the noise."""
    gen = np.random.RandomState(0)
    x = 2 * gen.rand(100, 1)
    y = 4 + 3 * x + gen.randn(100, 1)
    return np.hstack([np.ones((100, 1)), x]), y


@dataclass(frozen=True)
class Example:
    name: str  # the test's full name in the plan
    args: tuple[Any, ...]  # the article's inputs, as the test must pass them
    expected: Any  # the article's (or the hand computation's) number(s), 6 significant digits
    source: str
    public: bool = True


EXAMPLES = [
    Example("losses.binary_cross_entropy: article 000: the log_loss example",
            ([0, 0, 1], [0.1, 0.2, 0.7]), 0.228393,
            "sklearn's log_loss on the article's call, by hand: -(ln 0.9 + ln 0.8 + ln 0.7) / 3"),
    Example("losses.cross_entropy: worked example, base 2",
            ([0, 0, 1], [0.1, 0.2, 0.7]), 0.514573,
            "article 000's worked example, -log2(0.7)"),
    Example("derivatives.sse_derivative: article 000: the SSE example's four values",
            ([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), [-1.0, 1.0, 0.0, 2.0],
            "article 000: -2 (y - y_hat) on its SSE example"),
    Example("derivatives.numerical_gradient: article 003: 2x^2 + 3xy + y^2 at (1, 2)",
            (Fn("tilted"), [1.0, 2.0]), [10.0, 7.0],
            "article 003: df/dx = 4x + 3y, df/dy = 3x + 2y at (1, 2)"),
    Example("regression.center: article 002: the room sizes [20, 30, 40]",
            ([20, 30, 40],), [-10.0, 0.0, 10.0], "article 002: x - mean(x), mean 30"),
    Example("regression.fit_line: article 002: room size and rent",
            ([20, 30, 40], [5, 8, 11]), [0.3, -1.0], "article 002's table, by hand"),
    Example("regression.fit_line: article 002: the three points (1, 2), (2, 3.2), (3, 6.1)",
            ([1, 2, 3], [2, 3.2, 6.1]), [2.05, -0.333333], "article 002's model example, by hand"),
    Example("regression.fit_centered_slope: article 004: mails and sales (the article's slope)",
            (MAILS, SALES), 9810.30, "article 004's printed beta, slope 9810.303"),
    Example("regression.fit_line: article 004: mails and sales (the article's beta)",
            (MAILS, SALES), [9810.30, 3253.33], "article 004's printed beta (3253.333, 9810.303)"),
    Example("regression.normal_equation: mails and sales",
            (np.column_stack([np.ones(10), MAILS]), SALES), [3253.33, 9810.30],
            "article 004's printed beta"),
    Example("regression.normal_equation: article 000: the seed-0 synthetic line",
            (seed0_line()[0], seed0_line()[1].ravel()), [4.22215, 2.96847],
            "article 000's code, theta_best = inv(X_b^T X_b) X_b^T y", public=False),
]


@cache
def plan() -> Plan:
    return build_plan(COURSE, with_mistakes=False)


def find(name: str) -> cases.Test:
    found = [t for t in plan().tests if t.name == name]
    assert len(found) == 1, f"{name!r}: {len(found)} tests of that name in the plan"
    return found[0]


def sig6(values: Any) -> list[float]:
    """The numbers rounded to 6 significant digits (a pair or array flattened)."""
    return [float(f"{float(v):.6g}") + 0.0 for v in np.ravel(np.asarray(values, dtype=float))]


def same_input(given: Any, article: Any) -> bool:
    if isinstance(article, Fn):
        return isinstance(given, Fn) and given.name == article.name
    return type(given) is type(article) and np.shape(given) == np.shape(article) and \
        np.array_equal(np.asarray(given, dtype=float), np.asarray(article, dtype=float))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_example_is_a_test_on_the_articles_inputs(example: Example) -> None:
    test = find(example.name)
    assert test.public is example.public
    assert test.check == "value"
    assert not test.call.kwargs or test.call.kwargs == (("base", 2),)
    assert len(test.call.args) == len(example.args)
    for given, article in zip(test.call.args, example.args, strict=True):
        assert same_input(given, article), (example.name, given, article)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_reference_gives_the_articles_number(example: Example) -> None:
    outcome = plan().expected[plan().index(find(example.name))]
    assert outcome.ok
    assert sig6(outcome.value) == sig6(example.expected), example.source


# --------------------------------------------------------------------------- the numbers, by hand

def test_log_loss_by_hand_is_not_the_base_2_worked_example() -> None:
    # sklearn's log_loss with a flat y_pred: three samples, p = P(label 1), natural log, mean
    labels, probs = [0, 0, 1], [0.1, 0.2, 0.7]
    per_sample = [-(t * math.log(p) + (1 - t) * math.log(1 - p)) for t, p in zip(labels, probs, strict=True)]
    assert sig6(sum(per_sample) / 3) == [0.228393]
    assert sig6(sum(per_sample)) == [0.685179]  # the sum, which the course does not use
    assert sig6(-math.log2(0.7)) == [0.514573]  # the article's worked example, base 2
    assert sig6(-math.log(0.7)) == [0.356675]  # the same example with the natural log


def test_sse_derivative_by_hand() -> None:
    y, y_hat = [3, -0.5, 2, 7], [2.5, 0.0, 2, 8]
    assert sig6([-2 * (a - b) for a, b in zip(y, y_hat, strict=True)]) == sig6([-1, 1, 0, 2])


def test_tilted_probe_is_the_articles_function() -> None:
    f = PROBES["tilted"]
    for x, y in [(1.0, 2.0), (-0.5, 3.0), (2.0, -1.0)]:
        assert f(np.array([x, y])) == pytest.approx(2 * x**2 + 3 * x * y + y**2)
    x, y = 1.0, 2.0
    assert [4 * x + 3 * y, 3 * x + 2 * y] == [10.0, 7.0]  # article 003's partial derivatives


@pytest.mark.parametrize(("x", "y", "slope", "intercept"), [
    ([20, 30, 40], [5, 8, 11], 0.3, -1.0),
    ([1, 2, 3], [2, 3.2, 6.1], 2.05, -0.333333),
    (MAILS, SALES, 9810.30, 3253.33),
])
def test_least_squares_line_by_hand(x: list[float], y: list[float], slope: float, intercept: float) -> None:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    a = sum((u - mx) * (v - my) for u, v in zip(x, y, strict=True)) / sum((u - mx) ** 2 for u in x)
    assert sig6([a, my - a * mx]) == sig6([slope, intercept])


def test_seed0_line_as_the_article_solves_it() -> None:
    design, y = seed0_line()
    theta = np.linalg.inv(design.T.dot(design)).dot(design.T).dot(y)
    assert theta.shape == (2, 1)
    assert sig6(theta) == [4.22215, 2.96847]


def test_seed0_test_has_the_articles_100_points() -> None:
    design, y = find("regression.normal_equation: article 000: the seed-0 synthetic line").call.args
    assert design.shape == (100, 2) and y.shape == (100,)
    article_design, article_y = seed0_line()
    assert np.array_equal(design, article_design) and np.array_equal(y, article_y[:, 0])


# --------------------------------------------------------------------------- the README's notes

SECTION = "## Notes on the articles"

# Each slip documented, by the words of the correction that must be there.
SLIPS = {
    "000: sign in the expansion of (y - y_hat)^2": ["y² − 2yŷ + ŷ²", "−2y + 2ŷ"],
    "000: derivative of log2 is 1/(a ln 2), not 1/a": ["1/(a ln 2)"],
    "000: log2 and a plain log in one formula": ["log₂ in the first", "plain log"],
    "000: base 2 worked example vs the course's natural log": ["0.5146", "0.3567", "`base=2`"],
    "000: log_loss reads three binary samples and averages": ["0.228393", "averaged", "the mean"],
    "000: no LinearRegression in the code": ["LinearRegression", "normal equation"],
    "001: Dropout is not a loss term": ["Dropout adds nothing"],
    "002: the data in the sentences vs the table": ["where the table says 8", "40万円", "0.3x − 1"],
    "002: a and b swapped": ["only b", "only the slope a"],
    "002: y-bar for y_c": ["y_c = a x_c"],
    "002: the loss without its square": ["Σ(yₙ − ŷₙ)²"],
    "002: d y / d a for dL/da, y_x and x_x": ["∂L/∂a", "yₙ and xₙ"],
    "002: 2 C1 = C2": ["C₁ = C₂ a"],
    "002: absolute value and straight lines": ["corner of |r|"],
    "003: df/dy in the update of x": ["x' = x − η ∂f/∂x"],
    "003: f(x, y) written in x0, x1": ["x₀² + x₁²"],
    "003: along the gradient and the contours": ["−∇f", "across the"],
    "004: 2x10 is 10x2": ["10×2", "2行10列"],
    "004: coefficient order (convention)": ["(slope, intercept)", "[3253.33, 9810.30]"],
}


def notes() -> str:
    text = (ROOT / "grader" / "student" / "README.md").read_text(encoding="utf-8")
    assert SECTION in text
    rest = text.split(SECTION, 1)[1]
    return rest.split("\n## ", 1)[0]


def test_readme_has_the_notes_section_for_every_article() -> None:
    section = notes()
    for number in ("000", "001", "002", "003", "004"):
        assert f"**Article {number}**" in section, number
    # it reaches students: the released README keeps it
    assert SECTION in readme(COURSE, 10, 4) and SECTION in readme(COURSE, 10, 0)


@pytest.mark.parametrize("slip", SLIPS, ids=list(SLIPS))
def test_readme_documents_the_slip(slip: str) -> None:
    section = notes()
    article = slip.split(":")[0]
    block = section.split(f"**Article {article}**", 1)[1].split("**Article ", 1)[0]
    block = " ".join(block.split())  # the README's line breaks are not part of the words
    for words in SLIPS[slip]:
        assert words in block, (slip, words)


def test_readme_names_the_article_tests() -> None:
    assert "`losses.binary_cross_entropy: article 000: the log_loss example`" in notes()
    find("losses.binary_cross_entropy: article 000: the log_loss example")

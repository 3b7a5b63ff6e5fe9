"""report.html: the instructor's one-page view of a graded class.

One self-contained HTML file: inline CSS, charts embedded as base64 PNG data
URIs, no JavaScript and no external URL, so it opens from a USB stick or an
e-mail attachment exactly as it does on the grading machine.

The numbers behind every chart come from small pure functions
(:func:`totals_histogram`, :func:`function_means`, :func:`test_failure_shares`,
:func:`mistake_counts`, :func:`needs_attention`) so they can be tested without
looking at pixels; the drawing functions only turn those numbers into
pictures. Charts use matplotlib's object API (``Figure`` + Agg canvas) and never
touch pyplot's global state, so rendering is safe inside a long-running run.

Every text (headings, chart titles, axis labels, tables, notes) is in the course's
language (:mod:`grader.i18n`); a Japanese report draws its charts with the Japanese
font of ``matplotlib-fontja`` (:mod:`grader.fonts`) when it is installed.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
import statistics
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from grader.fonts import use_japanese_font
from grader.i18n import _, display_name, language, t
from grader.scoring import TIME_LIMITS, StudentResult
from grader.verdict import import_words
from grader.writers.feedback import limit_name, sentences, visibility_label
from grader.writers.grades_csv import fmt

TOP_TESTS = 15  # tests shown in the failure chart
TOP_MISTAKES = 10  # mistakes shown in the mistake chart
LABEL_CHARS = 60  # longer chart labels are shortened with an ellipsis

# Colour-blind-safe pair (Okabe-Ito): public tests blue, hidden tests vermillion.
PUBLIC_COLOUR = "#0072B2"
HIDDEN_COLOUR = "#D55E00"
BAR_COLOUR = "#4C72B0"
MEAN_COLOUR = "#222222"
MEDIAN_COLOUR = "#009E73"


# -- the numbers behind the charts --------------------------------------------------------

@dataclass(frozen=True)
class Histogram:
    """Totals binned on ``[0, max_total]``; ``counts[i]`` covers ``[edges[i], edges[i+1])``
    (the last bin also holds totals equal to its right edge)."""

    edges: list[float]
    counts: list[int]
    mean: float | None
    median: float | None
    max_total: float


class TestShare(NamedTuple):
    """How many students failed one test, and what share of the class that is."""

    name: str
    function: str
    public: bool
    failed: int
    students: int

    @property
    def share(self) -> float:
        return self.failed / self.students if self.students else 0.0


class MistakeCount(NamedTuple):
    """A diagnosed known mistake and the number of students who made it."""

    function: str
    mistake: str
    students: int


def _max_total(results: Sequence[StudentResult]) -> float:
    return max((r.max_total for r in results), default=0.0)


def _bin_width(max_total: float, max_bins: int = 20) -> float:
    """A round bin width (1, 2, 2.5, 5 times a power of ten) giving at most ``max_bins`` bins."""
    if max_total <= 0:
        return 1.0
    raw = max_total / max_bins
    power = 10.0 ** math.floor(math.log10(raw))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= raw:
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def totals_histogram(results: Sequence[StudentResult], max_bins: int = 20) -> Histogram:
    """Totals counted in round-width bins from 0 to the maximum total, plus mean and median."""
    max_total = _max_total(results)
    width = _bin_width(max_total, max_bins)
    n_bins = max(1, math.ceil(max_total / width - 1e-9))
    edges = [round(i * width, 6) for i in range(n_bins + 1)]
    counts = [0] * n_bins
    for r in results:
        i = math.floor(r.total / width + 1e-9) if r.total > 0 else 0
        counts[min(max(i, 0), n_bins - 1)] += 1
    totals = [r.total for r in results]
    return Histogram(edges=edges, counts=counts,
                     mean=statistics.fmean(totals) if totals else None,
                     median=statistics.median(totals) if totals else None,
                     max_total=max_total)


def function_means(results: Sequence[StudentResult], functions: Sequence[str]) -> list[tuple[str, float]]:
    """Each function's mean score as a share (0..1) of its points, in course order.

    A function worth 0 points counts its share of tests passed instead. Empty
    class: every share is 0.
    """
    out = []
    for function in functions:
        shares = []
        for r in results:
            for f in r.functions:
                if f.function == function:
                    if f.points > 0:
                        shares.append(f.earned / f.points)
                    else:
                        shares.append(f.passed / f.total if f.total else 0.0)
                    break
        out.append((function, statistics.fmean(shares) if shares else 0.0))
    return out


def test_failure_shares(results: Sequence[StudentResult]) -> list[TestShare]:
    """Every test with the number and share of students failing it, most failed first
    (ties by name). Tests nobody failed are included, last."""
    seen: dict[str, tuple[str, bool]] = {}
    failed: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for r in results:
        for test in r.tests:
            seen.setdefault(test.name, (test.function, test.public))
            if not test.passed:
                failed[test.name] += 1
    # Every student takes every test; slim results list only the failed ones.
    for name in seen:
        taken[name] = len(results)
    shares = [TestShare(name, fn, public, failed[name], taken[name]) for name, (fn, public) in seen.items()]
    return sorted(shares, key=lambda s: (-s.share, s.name))


def mistake_counts(results: Sequence[StudentResult]) -> list[MistakeCount]:
    """Diagnosed known mistakes with how many students made each, most frequent first.

    A student counts once per mistake, however many tests revealed it.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for r in results:
        counts.update({(test.function, test.mistake) for test in r.tests if test.mistake})
    items = [MistakeCount(fn, m, n) for (fn, m), n in counts.items()]
    return sorted(items, key=lambda c: (-c.students, c.function, c.mistake))


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def attention_reason(r: StudentResult) -> str:
    """Why a student needs a human look, in a few words ("" if they do not)."""
    if not r.needs_attention:
        return ""
    why: list[str] = []
    if r.status == "error":
        why.append(_("none of the modules could be loaded"))
    if r.status == "timeout" and not any(lim in TIME_LIMITS for lim in r.limits_hit):
        why.append(_("ran out of time"))
    why += [t("hit the {limit} limit", limit=limit_name(limit)) for limit in r.limits_hit]
    for module, error in sorted(r.module_errors.items()):
        why.append(f"{module}.py: {_short(import_words(error), 90)}")
    if r.total == 0:
        why.append(_("scored 0"))
    why += [_short(p, 90) for p in r.problems]
    return "; ".join(dict.fromkeys(why)) or status_words(r.status)


def status_words(status: str) -> str:
    """A student's status (ok, partial, error, timeout) in the current language."""
    words = {"ok": _("ok"), "partial": _("partial"), "error": _("error"), "timeout": _("timeout")}
    return words.get(status, status)


def needs_attention(results: Sequence[StudentResult]) -> list[tuple[StudentResult, str]]:
    """Students whose run failed (error/timeout), hit a limit, or scored 0, with the
    reason, sorted by id (the rule: :attr:`grader.scoring.StudentResult.needs_attention`)."""
    flagged = [(r, attention_reason(r)) for r in results]
    return sorted([(r, why) for r, why in flagged if why], key=lambda p: p[0].student_id)


# -- charts -------------------------------------------------------------------------------

def _label(text: str, limit: int = LABEL_CHARS) -> str:
    """A chart label: shortened, and with ``$`` escaped so matplotlib never reads math."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    """A fresh figure, not registered with pyplot, laid out so labels never overlap."""
    return Figure(figsize=(width, height), layout="constrained")


def _title(fig: Figure, text: str) -> None:
    """The chart's title, flush left above everything else."""
    fig.suptitle(text, x=0.01, ha="left", fontsize=13, fontweight="bold")


def _bar_height(n: int) -> float:
    return max(2.6, 1.3 + 0.34 * n)


def chart_totals(hist: Histogram) -> bytes:
    """Histogram of totals with the mean and median marked."""
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    widths = [b - a for a, b in pairwise(hist.edges)]
    ax.bar(hist.edges[:-1], hist.counts, width=widths, align="edge", color=BAR_COLOUR,
           edgecolor="white", linewidth=1)
    if hist.mean is not None and hist.median is not None:
        ax.axvline(hist.mean, color=MEAN_COLOUR, linestyle="--", linewidth=2,
                   label=_label(t("mean {value}", value=fmt(hist.mean))))
        ax.axvline(hist.median, color=MEDIAN_COLOUR, linestyle=":", linewidth=2.5,
                   label=_label(t("median {value}", value=fmt(hist.median))))
        ax.legend(loc="best", frameon=True, framealpha=0.95)
    ax.set_xlim(hist.edges[0], hist.edges[-1])
    ax.set_ylim(0, max(hist.counts + [1]) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _title(fig, _("Distribution of total scores"))
    ax.set_xlabel(_label(t("total points (out of {max_total})", max_total=fmt(hist.max_total))))
    ax.set_ylabel(_("students"))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _share_axis(ax: Axes, xlabel: str) -> None:
    """A 0-100 % x axis with room on the right for the value labels."""
    ax.set_xlim(0, 1.13)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def chart_function_means(means: list[tuple[str, float]]) -> bytes:
    """Horizontal bars: mean share of points per function, first function on top."""
    fig = _figure(9, _bar_height(len(means)))
    ax = fig.add_subplot()
    ys = range(len(means))
    shares = [share for _function, share in means]
    ax.barh(list(ys), shares, color=BAR_COLOUR, height=0.7)
    for y, s in zip(ys, shares, strict=True):
        ax.text(s + 0.01, y, f"{s:.0%}", va="center", fontsize=9)
    ax.set_yticks(list(ys), [_label(function) for function, _share in means])
    ax.invert_yaxis()
    _share_axis(ax, _("mean share of the function's points earned"))
    ax.set_ylabel(_("function (course order)"))
    _title(fig, _("Mean score per function"))
    return _png(fig)


def chart_test_failures(shares: list[TestShare]) -> bytes:
    """Horizontal bars: share of students failing each test, most failed on top,
    hidden and public tests in different colours."""
    fig = _figure(9, _bar_height(len(shares)))
    ax = fig.add_subplot()
    ys = list(range(len(shares)))
    colours = [PUBLIC_COLOUR if s.public else HIDDEN_COLOUR for s in shares]
    ax.barh(ys, [s.share for s in shares], color=colours, height=0.7)
    for y, s in zip(ys, shares, strict=True):
        ax.text(s.share + 0.01, y, f"{s.share:.0%} ({s.failed})", va="center", fontsize=9)
    ax.set_yticks(ys, [_label(display_name(s.name)) for s in shares])
    ax.invert_yaxis()
    _share_axis(ax, _("share of students failing the test"))
    ax.set_ylabel(_("test"))
    fig.legend(handles=[Patch(color=HIDDEN_COLOUR, label=_("hidden test")),
                        Patch(color=PUBLIC_COLOUR, label=_("public test"))],
               loc="outside upper right", ncols=2, frameon=False)
    _title(fig, t("Most failed tests (top {count})", count=len(shares)))
    return _png(fig)


def chart_mistakes(counts: list[MistakeCount]) -> bytes:
    """Horizontal bars: students per diagnosed mistake, most frequent on top."""
    fig = _figure(9, _bar_height(len(counts)))
    ax = fig.add_subplot()
    ys = list(range(len(counts)))
    values = [c.students for c in counts]
    ax.barh(ys, values, color=BAR_COLOUR, height=0.7)
    top = max(values + [1])
    for y, v in zip(ys, values, strict=True):
        ax.text(v + top * 0.01, y, str(v), va="center", fontsize=9)
    ax.set_yticks(ys, [_label(f"{c.mistake} — {c.function}") for c in counts])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("students with this mistake"))
    ax.set_ylabel(_("known mistake — function"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    _title(fig, _("Most frequent known mistakes"))
    return _png(fig)


# -- HTML ---------------------------------------------------------------------------------

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 0; background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.8rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
p.lead, p.note { color: var(--muted); margin: 4px 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(128px, 1fr)); gap: 12px;
         margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
        background: var(--soft); }
.card .value { font-size: 1.6rem; font-weight: 600; white-space: nowrap; }
.card .of { font-size: 1rem; font-weight: 400; color: var(--muted); }
.card .label { color: var(--muted); font-size: 0.9rem; }
figure { margin: 12px 0 4px; }
figure img { display: block; width: 100%; max-width: 900px; height: auto; }
figcaption { color: var(--muted); font-size: 0.92rem; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.95rem; }
table.compact { width: auto; min-width: 50%; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.85rem; }
.status-ok { background: #dafbe1; } .status-partial { background: #fff1c2; }
.status-error { background: #ffd8d3; } .status-timeout { background: #eddcff; }
details { margin: 4px 0 8px; }
summary { cursor: pointer; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.gallery { display: flex; flex-wrap: wrap; gap: 12px; }
.gallery figure { width: 220px; margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
.gallery img { width: 100%; height: auto; }
@media print { h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _txt(text: object) -> str:
    """Text between tags (quotes kept as they are: "function's points")."""
    return html.escape(str(text), quote=False)


def _img(png: bytes, alt: str, css_class: str = "") -> str:
    data = base64.b64encode(png).decode("ascii")
    cls = f' class="{css_class}"' if css_class else ""
    return f'<img{cls} src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _status(status: str) -> str:
    return f'<span class="status status-{_e(status)}">{_e(status_words(status))}</span>'


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None,
           compact: bool = False) -> str:
    """An HTML table; cells are already-escaped HTML, ``numeric`` columns right-aligned."""
    numeric = numeric or set()

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    out = ['<table class="compact">' if compact else "<table>", "<thead><tr>" + "".join(f"<th{cls(i)}>{h}</th>" for i, h in enumerate(head))
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return "\n".join(out)


def _numbers(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    return (f"<details><summary>{_txt(_('The numbers behind this chart'))}</summary>\n"
            + _table(head, rows, numeric, compact=True) + "\n</details>")


def _headline(results: Sequence[StudentResult]) -> str:
    """Cards with the class's key figures: size, mean, median, highest, full marks, attention."""
    totals = [r.total for r in results]
    of = f" / {fmt(_max_total(results))}"

    def points(x: float | None) -> tuple[str, str]:
        return ("–", "") if x is None else (fmt(x), of)

    cards = [(_("students"), (str(len(results)), "")),
             (_("mean"), points(statistics.fmean(totals) if totals else None)),
             (_("median"), points(statistics.median(totals) if totals else None)),
             (_("highest"), points(max(totals, default=None))),
             (_("full marks"), (str(sum(r.total >= r.max_total for r in results)), "")),
             (_("need attention"), (str(len(needs_attention(results))), ""))]
    inner = "".join(f'<div class="card"><div class="value">{_e(v)}<span class="of">{_e(unit)}</span></div>'
                    f'<div class="label">{_e(k)}</div></div>' for k, (v, unit) in cards)
    return f'<div class="cards">{inner}</div>'


def _section_totals(results: Sequence[StudentResult]) -> str:
    hist = totals_histogram(results)
    img = _img(chart_totals(hist), _("Histogram of the students' total scores with mean and median marked"))
    rows = [[f"{fmt(a)} – {fmt(b)}", str(c)] for (a, b), c in zip(pairwise(hist.edges), hist.counts, strict=True)]
    caption = _("Each bar counts the students whose total falls in that range. "
                "The dashed line is the mean, the dotted line the median.")
    return (f"<h2>{_txt(_('Total scores'))}</h2>\n"
            f"<figure>{img}<figcaption>{_txt(caption)}</figcaption></figure>\n"
            + _numbers([_e(_("total points")), _e(_("students"))], rows, {1}))


def _section_functions(results: Sequence[StudentResult], functions: list[str]) -> str:
    means = function_means(results, functions)
    heading = f"<h2>{_txt(_('Per function'))}</h2>\n"
    if not means:
        return heading + f'<p class="empty">{_txt(_("The course lists no functions."))}</p>'
    img = _img(chart_function_means(means), _("Mean share of points earned for each function, in course order"))
    rows = [[f"<code>{_e(f)}</code>", f"{s:.0%}"] for f, s in means]
    caption = _("How much of each function's points the class earned on average, "
                "in course order. Short bars show where the class struggled.")
    return (heading + f"<figure>{img}<figcaption>{_txt(caption)}</figcaption></figure>\n"
            + _numbers([_e(_("function")), _e(_("mean share of points"))], rows, {1}))


def _section_tests(results: Sequence[StudentResult]) -> str:
    failing = [s for s in test_failure_shares(results) if s.failed]
    heading = f"<h2>{_txt(_('Most failed tests'))}</h2>\n"
    if not failing:
        return heading + f'<p class="empty">{_txt(_("No test failed for any student."))}</p>'
    top = failing[:TOP_TESTS]
    img = _img(chart_test_failures(top), _("Share of students failing each test, most failed first; "
                                           "hidden and public tests in different colours"))
    rows = [[_e(display_name(s.name)), _e(visibility_label(s.public)), str(s.failed), f"{s.share:.0%}"]
            for s in top]
    more = len(failing) - len(top)
    caption = _("For each test, the share of students who failed it (number of students in brackets). "
                "Blue: public test (students can run it themselves); vermillion: hidden test.")
    if more > 0:
        caption = sentences(caption, t("{count} more test(s) failed for fewer students.", count=more))
    return (heading + f"<figure>{img}<figcaption>{_txt(caption)}</figcaption></figure>\n"
            + _numbers([_e(_("test")), _e(_("kind")), _e(_("students failing")), _e(_("share"))], rows, {2, 3}))


def _section_mistakes(results: Sequence[StudentResult]) -> str:
    counts = mistake_counts(results)
    heading = f"<h2>{_txt(_('Known mistakes'))}</h2>\n"
    if not counts:
        return heading + f'<p class="empty">{_txt(_("No known mistake was recognised in any submission."))}</p>'
    top = counts[:TOP_MISTAKES]
    img = _img(chart_mistakes(top), _("Number of students per recognised known mistake, most frequent first"))
    rows = [[_e(c.mistake), f"<code>{_e(c.function)}</code>", str(c.students)] for c in top]
    caption = _("Wrong answers that match a catalogued mistake exactly; each student counts once per mistake.")
    return (heading + f"<figure>{img}<figcaption>{_txt(caption)}</figcaption></figure>\n"
            + _numbers([_e(_("mistake")), _e(_("function")), _e(_("students"))], rows, {2}))


def _section_attention(results: Sequence[StudentResult]) -> str:
    flagged = needs_attention(results)
    heading = f"<h2>{_txt(_('Needs attention'))}</h2>\n"
    if not flagged:
        nobody = _("Nobody: every submission ran, stayed within the limits and scored points.")
        return heading + f'<p class="empty">{_txt(nobody)}</p>'
    rows = [[f"<code>{_e(r.student_id)}</code>", f"{fmt(r.total)} / {fmt(r.max_total)}",
             _status(r.status), _e(why)] for r, why in flagged]
    note = _("Submissions that could not run, hit a limit, or scored nothing: "
             "worth a human look before grades are released.")
    return (heading + f'<p class="note">{_txt(note)}</p>\n'
            + _table([_e(_("student")), _e(_("total")), _e(_("status")), _e(_("reason"))], rows, {1}))


def _section_students(results: Sequence[StudentResult]) -> str:
    heading = f"<h2>{_txt(_('All students'))}</h2>\n"
    if not results:
        return heading + f'<p class="empty">{_txt(_("No submissions were graded."))}</p>'
    rows = [[f"<code>{_e(r.student_id)}</code>", f"{fmt(r.total)} / {fmt(r.max_total)}", _status(r.status)]
            for r in sorted(results, key=lambda r: r.student_id)]
    return heading + _table([_e(_("student")), _e(_("total")), _e(_("status"))], rows, {1}, compact=True)


def _section_gallery(gallery: dict[str, list[tuple[str, bytes]]] | None) -> str:
    if not gallery:
        return ""
    note = _("The figures students' functions drew, one small picture per student.")
    parts = [f"<h2>{_txt(_('Plot gallery'))}</h2>", f'<p class="note">{_txt(note)}</p>']
    for function, items in gallery.items():
        parts.append(f"<h3><code>{_e(function)}</code></h3>")
        if not items:
            parts.append(f'<p class="empty">{_txt(_("No figures."))}</p>')
            continue
        cells = [f"<figure>{_img(png, t('{function} drawn by {student}', function=function, student=sid))}"
                 f"<figcaption><code>{_e(sid)}</code></figcaption></figure>"
                 for sid, png in sorted(items, key=lambda i: i[0])]
        parts.append('<div class="gallery">' + "".join(cells) + "</div>")
    return "\n".join(parts)


def render(results: list[StudentResult], *, title: str, functions: list[str],
           gallery: dict[str, list[tuple[str, bytes]]] | None = None) -> str:
    """The class report as one self-contained HTML page, in the current language."""
    lead = t("Class report: {count} submission(s) graded.", count=len(results))
    body = [f"<h1>{_e(title)}</h1>", f'<p class="lead">{_txt(lead)}</p>', _headline(results)]
    if results:
        with _chart_fonts():
            body += [_section_totals(results), _section_functions(results, functions),
                     _section_tests(results), _section_mistakes(results)]
    else:
        body.append(f'<p class="empty">{_txt(_("No submissions were graded, so there is nothing to chart."))}</p>')
    body += [_section_attention(results), _section_students(results), _section_gallery(gallery)]
    page_title = t("{title} — class report", title=title)
    return (f"<!DOCTYPE html>\n<html lang=\"{_e(language())}\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(page_title)}</title>\n<style>{CSS}</style>\n</head>\n"
            "<body>\n<main>\n" + "\n".join(b for b in body if b) + "\n</main>\n</body>\n</html>\n")


@contextmanager
def _chart_fonts() -> Iterator[None]:
    """Charts whose text the fonts can draw, and nothing said about fonts on the instructor's
    terminal. A Japanese report uses the Japanese font of ``matplotlib-fontja``
    (:func:`grader.fonts.use_japanese_font`); without it the charts are drawn as before,
    silently (no "Glyph ... missing" warning). matplotlib's "findfont: Failed to find font
    weight bold for IPAexGothic" (the fallback font has no bold face, and bold titles look it
    up in any language once it is registered) is not shown either."""
    available = language() != "ja" or use_japanese_font()  # never raises: False without the font
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    try:
        with warnings.catch_warnings():
            font_log.setLevel(logging.ERROR)
            if not available:
                warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
            yield
    finally:
        font_log.setLevel(level)

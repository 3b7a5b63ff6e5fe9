"""Bulk grading: each student's figures as PNG files beside their feedback, and the
report's gallery of figures from students who lost points on a plot.

Only plain figure summaries are drawn (:func:`grader.figures_png.render_png`);
the Figure object a submission made never leaves the sandbox. Drawing costs
40-260 ms a figure, more than grading a whole submission (about 40 ms of CPU
at 50 submissions a second on 2 cores), so the rules below keep the cost of a
student whose figures are right close to zero:

- One PNG per plot function per student, of the first figure test of that
  function that failed (and returned a figure), or of its first figure test
  when none failed. Only public tests count, unless course.yml shows hidden
  inputs: a figure drawn from hidden inputs would show them.
- Figures are drawn for the plot functions on which the student lost points
  (what the feedback and the gallery need). A function with full marks is
  not drawn: correct code seldom draws exactly the reference's figure, and
  four such drawings cost about 200 ms a student. Its feedback line says the
  figure is right and that ``pytest`` saved it in the student's ``figures/``
  folder. ``passed_too=True`` draws those as well.
- A figure that passed and whose summary equals the reference's (the same
  parsed data, which is what a student running the reference code sends) is
  never drawn or written: the feedback links the reference picture in
  ``feedback/_reference/`` (no student id starts with ``_``, see
  :func:`grader.discovery.safe_file_name`), drawn when first needed and kept
  across runs while the reference's figure data stays the same.
- Identical summaries from different students are drawn once per run (a small
  cache keyed by their JSON), which helps with common wrong drawings.

Files are written with :func:`grader.fsutil.atomic_write` to
``feedback/<file_id>/<function>-<slug>.png``; PNGs left in that folder by an
earlier run of the same student are removed. Nothing here raises into the
batch loop: a summary that cannot be drawn becomes a note in the feedback.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.cases import Test
from grader.execute import Outcome
from grader.figures import figure_summary
from grader.fsutil import atomic_write
from grader.i18n import t
from grader.plan import Plan
from grader.scoring import StudentResult

REFERENCE_DIR = "_reference"  # under feedback/; never a student id (ids never start with "_")
INDEX = "index.json"  # in REFERENCE_DIR: picture -> hash of the data it was drawn from
DPI = 60
CACHE_SIZE = 32  # drawn PNGs kept per run, for identical figures of different students
GALLERY_LIMIT = 8  # figures per plot function in the report
MAX_PNG_BYTES = 2 * 2**20  # a gallery never reads a bigger file


@dataclass(frozen=True)
class FigureFile:
    """One figure mentioned in a student's feedback."""

    function: str  # "plots.plot_fit"
    test: str  # the test whose figure this is
    link: str = ""  # path relative to the feedback folder ("" when there is no picture)
    note: str = ""  # e.g. "the same as the reference figure", or why it could not be drawn (course language)


def slug(text: str, limit: int = 48) -> str:
    """Lower-case words joined by ``-`` (only ``a-z0-9-``), at most ``limit`` characters."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "figure"


def file_name(test: Test) -> str:
    """``<module.function>-<slug of the test's label>.png``."""
    return f"{test.function}-{slug(test.name.split(': ', 1)[-1])}.png"


def plot_functions(plan: Plan) -> list[str]:
    """Functions with figure tests, in course order."""
    have = {test.function for test in plan.tests if test.check == "figure"}
    return [f for f in plan.course.points if f in have]


def _summary(outcome: Outcome | None) -> Any | None:
    """The figure summary (``FigureSummary.data``) of a decoded outcome holding a figure, else None."""
    return figure_summary(outcome.value) if outcome is not None and outcome.ok else None


def _same(a: Any, b: Any) -> bool:
    """Plain-data equality that never raises (a forged summary may nest deeply)."""
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


class FigureSaver:
    """Saves the figures of one grading run; holds the run's reference pictures and cache."""

    def __init__(self, plan: Plan, feedback_dir: Path, *, dpi: int = DPI, passed_too: bool = False) -> None:
        self.plan, self.feedback_dir, self.dpi, self.passed_too = plan, feedback_dir, dpi, passed_too
        # function -> [(index in plan.tests, test)] of its figure tests, in plan order
        self.tests: dict[str, list[tuple[int, Test]]] = {}
        hidden_too = plan.course.show_hidden_inputs
        for i, test in enumerate(plan.tests):
            if test.check == "figure" and (test.public or hidden_too):
                self.tests.setdefault(test.function, []).append((i, test))
        self._reference_links: dict[str, str] = {}  # test name -> link ("" if it could not be drawn)
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self.rendered = 0  # pictures drawn in this run (for measurements and tests)

    # -- the per-student hook --------------------------------------------------------------
    def save(self, file_id: str, outcomes: Sequence[Outcome] | None, result: StudentResult) -> list[FigureFile]:
        """Write this student's PNGs (see the module docstring); returns what feedback lists.

        ``outcomes`` are the submission's decoded outcomes, one per plan call
        (None when nothing ran). Never raises."""
        try:
            return self._save(file_id, outcomes, result)
        except Exception as exc:  # noqa: BLE001 - figures are extras; grading must go on
            return [FigureFile("", "", note=t("the figures could not be saved ({error})",
                                              error=type(exc).__name__))]

    def _save(self, file_id: str, outcomes: Sequence[Outcome] | None, result: StudentResult) -> list[FigureFile]:
        folder = self.feedback_dir / file_id
        files: list[FigureFile] = []
        written: set[str] = set()
        if self.tests and outcomes is not None and len(outcomes) == len(self.plan.calls) \
                and len(result.tests) == len(self.plan.tests):
            full = {f.function for f in result.functions if f.full}
            for function, tests in self.tests.items():
                chosen = self._choose(tests, outcomes, result)
                if chosen is None:
                    continue
                test, summary, passed = chosen
                entry = self._one(file_id, folder, test, summary, passed,
                                  draw=self.passed_too or function not in full)
                files.append(entry)
                if entry.link.startswith(f"{file_id}/"):
                    written.add(entry.link.rsplit("/", 1)[-1])
        self._remove_stale(folder, written)
        return files

    def _choose(self, tests: list[tuple[int, Test]], outcomes: Sequence[Outcome],
                result: StudentResult) -> tuple[Test, Any, bool] | None:
        """The first failed figure test with a figure, else the first figure test with one."""
        found: list[tuple[Test, Any, bool]] = []
        for i, test in tests:
            summary = _summary(outcomes[self.plan.index(test)])
            if summary is not None:
                found.append((test, summary, result.tests[i].passed))
        failed = [f for f in found if not f[2]]
        picks = failed or found
        return picks[0] if picks else None

    def _one(self, file_id: str, folder: Path, test: Test, summary: Any, passed: bool,
             draw: bool) -> FigureFile:
        reference = _summary(self.plan.expected[self.plan.index(test)])
        if passed and _same(summary, reference):  # the reference code's figure: nothing to draw
            link = self._reference_link(test, reference)
            return FigureFile(test.function, test.name, link, t("right, and the same as the reference figure"))
        if not draw:
            return FigureFile(test.function, test.name,
                              note=t("right (not redrawn here; `pytest` saves it in your figures/ folder)"))
        try:
            key = json.dumps(summary, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            key = None
        png = self._cache.get(key) if key is not None else None
        if png is None:
            try:
                png = self._render(summary)
            except Exception as exc:  # noqa: BLE001 - FigureDataError, or anything odd from matplotlib
                reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                return FigureFile(test.function, test.name,
                                  note=t("your figure could not be drawn ({reason})", reason=reason))
            if key is not None:
                self._cache[key] = png
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        name = file_name(test)
        atomic_write(folder / name, png)
        return FigureFile(test.function, test.name, f"{file_id}/{name}")

    def _render(self, summary: Any) -> bytes:
        from grader.figures_png import render_png

        png = render_png(summary, dpi=self.dpi)
        self.rendered += 1
        return png

    def _reference_link(self, test: Test, reference: Any) -> str:
        """The reference picture of this test: drawn at most once per run, and not at all
        when an earlier run drew it from the same data (``_reference/index.json``)."""
        if test.name not in self._reference_links:
            name = file_name(test)
            folder = self.feedback_dir / REFERENCE_DIR
            key = hashlib.sha256(json.dumps(reference, sort_keys=True).encode()).hexdigest()
            try:
                index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
                index = index if type(index) is dict else {}
            except (OSError, ValueError):
                index = {}
            try:
                if index.get(name) != key or not (folder / name).is_file():
                    atomic_write(folder / name, self._render(reference))
                    atomic_write(folder / INDEX, json.dumps({**index, name: key}, indent=1, sort_keys=True))
                self._reference_links[test.name] = f"{REFERENCE_DIR}/{name}"
            except Exception:  # noqa: BLE001 - then the feedback only says "the same"
                self._reference_links[test.name] = ""
        return self._reference_links[test.name]

    @staticmethod
    def _remove_stale(folder: Path, keep: set[str]) -> None:
        """Delete PNGs an earlier run left for this student (the folder goes too when empty)."""
        try:
            entries = [p for p in folder.iterdir() if p.suffix == ".png" and p.name not in keep]
        except OSError:  # usually: no folder, because nothing was ever drawn for this student
            return
        for p in entries:
            try:
                p.unlink()
            except OSError:
                pass
        if not keep:
            try:
                folder.rmdir()
            except OSError:
                pass


def gallery(results: Sequence[StudentResult], feedback_dir: Path, functions: Sequence[str],
            limit: int = GALLERY_LIMIT) -> dict[str, list[tuple[str, bytes]]]:
    """For each plot function, up to ``limit`` saved PNGs of students who lost points on it,
    by student id (read back from ``feedback/<id>/``); functions with none are left out."""
    out: dict[str, list[tuple[str, bytes]]] = {}
    for function in functions:
        lost = sorted((r.student_id, r.file_id or r.student_id) for r in results for f in r.functions
                      if f.function == function and not f.full)
        items: list[tuple[str, bytes]] = []
        for sid, fid in lost:
            if len(items) >= limit:
                break
            try:
                paths = sorted((feedback_dir / fid).glob(f"{function}-*.png"))
                if paths and paths[0].stat().st_size <= MAX_PNG_BYTES:
                    items.append((sid, paths[0].read_bytes()))
            except OSError:
                continue
        if items:
            out[function] = items
    return out

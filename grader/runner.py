"""Bulk grading: a folder of submissions in, grades and feedback out.

The trusted runner discovers submissions, hands their sources to the sandbox
pool, judges the plain-data outcomes, and writes each student's files as
soon as that student is done (atomically), so a killed run resumes where it
stopped. A cached result is reused when neither the student's files nor the
course (tests, solutions, course.yml) changed.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader import figure_files, i18n
from grader.check import missing_outcomes, module_errors_of, preload_for
from grader.config import Course
from grader.discovery import Submission, discovering
from grader.errors import InputError
from grader.fsutil import atomic_write, is_inside
from grader.i18n import t
from grader.plan import Plan, build_plan
from grader.progress import Progress
from grader.sandbox import RawResult, SandboxPool
from grader.scoring import StudentResult, score
from grader.writers import feedback, grades_csv, gradescope

STATE_DIR = ".state"


@dataclass
class RunSummary:
    """What a grading run did, for the terminal summary and for callers."""

    results: list[StudentResult]  # slim: failed tests only (StudentResult.slim)
    regraded: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    out_dir: Path = Path("graded")
    seconds: float = 0.0

    @property
    def attention(self) -> list[StudentResult]:
        return [r for r in self.results if r.needs_attention]

    def most_failed(self, n: int = 5) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for r in self.results:
            for f in r.functions:
                if not f.full:
                    counts[f.function] += 1
        return counts.most_common(n)


def _key(plan_fp: str, sub: Submission) -> str:
    return hashlib.sha256(f"{plan_fp}\n{sub.fingerprint}\n{sub.student_id}\n{sub.file_id}".encode()).hexdigest()


class ClassGrader:
    """Grades submissions for one course and writes the outputs under ``out_dir``."""

    def __init__(self, course: Course, out_dir: Path, *, jobs: int = 2, plan: Plan | None = None,
                 progress: bool = True, pool_factory: Callable[..., SandboxPool] = SandboxPool) -> None:
        self.course, self.out_dir, self.jobs = course, out_dir, jobs
        self.plan = plan or build_plan(course)
        # Feedback in another language, or a changed translation: regrade.
        self.plan_fp = self.plan.fingerprint() + i18n.digest(course.language)
        self.progress = progress
        self.pool_factory = pool_factory
        # Saves each student's figures beside their feedback (see grader/figure_files.py).
        self.figures = figure_files.FigureSaver(self.plan, out_dir / "feedback")
        self._nothing_ran = RawResult(missing_outcomes(self.plan))  # a student with no exercise files

    # -- files ---------------------------------------------------------------------------
    def _state_path(self, sid: str) -> Path:
        return self.out_dir / STATE_DIR / f"{sid}.json"

    def _cached(self, sub: Submission) -> StudentResult | None:
        path = self._state_path(sub.file_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != _key(self.plan_fp, sub):
                return None
            return StudentResult.from_dict(data["result"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _finish(self, sub: Submission, raw: RawResult, notes: list[str]) -> StudentResult:
        """Score one student, write their files (figures, feedback, results, state); the slim result.

        Scoring a submission never stops the run: if any stage fails on what this
        student sent, the student is graded ``error`` with the reason (and listed in
        ``notes``), and the class goes on.
        """
        try:
            result = self._result(sub, raw)
            return self._write_student(sub, result, self.figures.save(sub.file_id, raw.outcomes, result))
        except (ArithmeticError, ValueError, TypeError, LookupError, RecursionError, MemoryError,
                AttributeError, AssertionError) as exc:
            name = type(exc).__name__
            notes.append(f"{sub.student_id}: the grader could not score this submission ({name}): "  # the
                         f"{str(exc)[:200]}")  # instructor's terminal: English
            why = t("the grader could not score this submission ({error})", error=name)  # the student's words
            failed = RawResult.failure(len(self.plan.calls), why)
            result = self._result(sub, failed)
            result.status = "error"
            result.problems.append(why)
            return self._write_student(sub, result)

    def _write_student(self, sub: Submission, result: StudentResult,
                       figures: list[figure_files.FigureFile] | None = None) -> StudentResult:
        c = self.course
        atomic_write(self.out_dir / "results" / f"{sub.file_id}.json",
                     gradescope.render(result, show_hidden_values=c.show_hidden_values))
        atomic_write(self.out_dir / "feedback" / f"{sub.file_id}.md",
                     feedback.render(result, title=c.title, show_inputs=c.show_hidden_inputs,
                                     show_expected=c.show_hidden_expected, figures=figures))
        # The state file is written last: its presence means the student is complete.
        slim = result.slim()
        state = {"key": _key(self.plan_fp, sub), "result": slim.to_dict()}
        atomic_write(self._state_path(sub.file_id), json.dumps(state, sort_keys=True))
        return slim

    def _result(self, sub: Submission, raw: RawResult) -> StudentResult:
        return score(self.plan, raw.outcomes, student_id=sub.student_id, problems=sub.problems,
                     module_errors=module_errors_of(self.course, sub, raw), limits_hit=raw.limits_hit, stdout=raw.stdout,
                     fingerprint=sub.fingerprint, cpu_ms=raw.cpu_ms, wall_ms=raw.wall_ms,
                     file_id=sub.file_id, notes=sub.notes, lms=sub.lms)

    # -- the run -------------------------------------------------------------------------
    def grade(self, submissions: Path, *, force: bool = False,
              on_warning: Callable[[str], None] | None = None) -> RunSummary:
        start = time.monotonic()
        if not submissions.exists():
            raise InputError(f"{submissions}: no such file or folder")
        if is_inside(self.out_dir, submissions) if submissions.is_dir() else False:
            raise InputError(f"the output folder {self.out_dir} is inside {submissions}; "
                             "choose another --out (nothing under SUBMISSIONS is ever written)")
        # Two passes over the class, each reading one student at a time (memory stays flat
        # however large the class): the first finds who changed since the last run, the
        # second reads those again and grades them.
        with discovering(submissions, self.course.modules, others=self.course.other_modules,
                         max_unzipped_bytes=self.course.max_zip_mb * 2**20) as found:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            results: dict[str, StudentResult] = {}
            reused: list[str] = []
            without_sources: list[Submission] = []  # nothing to run: kept (they hold no sources)
            to_sandbox: set[str] = set()
            for sub in found.read():
                sid, fid = sub.student_id, sub.file_id
                cached = None if force else self._cached(sub)
                if cached is not None and ((self.out_dir / "feedback" / f"{fid}.md").exists()
                                           and (self.out_dir / "results" / f"{fid}.json").exists()):
                    results[sid] = cached  # the state holds the slim result
                    reused.append(sid)
                elif sub.sources:  # new, changed, or its files were deleted: grade it (again)
                    to_sandbox.add(sid)
                else:
                    without_sources.append(sub)
            summary = RunSummary(results=[], notes=list(found.notes), out_dir=self.out_dir, reused=reused)
            bar = Progress(len(to_sandbox) + len(without_sources), enabled=self.progress)
            for sub in without_sources:
                results[sub.student_id] = r = self._finish(sub, self._nothing_ran, summary.notes)
                summary.regraded.append(sub.student_id)
                bar.step(f"{sub.student_id}: {r.status}")
            if to_sandbox:
                with self.pool_factory(self.plan.calls, self.course.limits, jobs=self.jobs,
                                       preload=preload_for(self.course), known=self.plan.expected) as pool:
                    summary.warnings = list(pool.warnings)
                    for w in summary.warnings:
                        if on_warning:
                            on_warning(w)
                    # A student read again whose files are gone now is graded as found.
                    again = found.read(only=to_sandbox)
                    for sub, raw in pool.map((s, s.sources) for s in again):
                        results[sub.student_id] = r = self._finish(sub, raw, summary.notes)
                        summary.regraded.append(sub.student_id)
                        bar.step(f"{sub.student_id}: {r.total:g}/{r.max_total:g} {r.status}")
            bar.close()
            summary.results = [results[sid] for sid in found.student_ids if sid in results]
        atomic_write(self.out_dir / grades_csv.FILE, grades_csv.render(summary.results, self.course.functions))
        atomic_write(self.out_dir / grades_csv.ASSIGNMENT_FILE, json.dumps(
            {"assignment": self.course.assignment, "title": self.course.assignment_title,
             "max_total": self.course.max_total}, ensure_ascii=False, indent=1) + "\n")
        summary.seconds = time.monotonic() - start
        return summary


def summary_text(s: RunSummary) -> str:
    """The end-of-run summary printed on the terminal."""
    totals = [r.total for r in s.results]
    lines = [f"Graded {len(s.results)} student(s) in {s.seconds:.1f} s "
             f"({len(s.regraded)} graded now, {len(s.reused)} unchanged since the last run)."]
    if totals:
        mx = s.results[0].max_total
        lines.append(f"Mean total {statistics.mean(totals):.2f} / {mx:g}, median {statistics.median(totals):.2f} / {mx:g}.")
    failed = s.most_failed()
    if failed:
        lines.append("Functions most often not fully right: " +
                     ", ".join(f"{f} ({n})" for f, n in failed))
    if s.attention:
        lines.append("Needs attention:")
        for r in s.attention:
            why = [r.status] + r.limits_hit + [f"{m}: {e}" for m, e in sorted(r.module_errors.items())][:2]
            lines.append(f"  {r.student_id}: {r.total:g}/{r.max_total:g} — " + "; ".join(why))
    if s.notes:
        lines.append("Notes:")
        lines += [f"  {n}" for n in s.notes]
    lines.append(f"Wrote {s.out_dir}/grades.csv, {s.out_dir}/results/, {s.out_dir}/feedback/.")
    return "\n".join(lines)

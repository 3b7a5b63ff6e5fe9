"""The ``grader`` command: a thin layer over the library.

It parses arguments, calls the core, and turns the core's own exceptions into
one-line ``Error: ...`` messages with the exit codes documented in the README
(see :mod:`grader.errors`). A traceback means a bug in the grader.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from grader import errors
from grader.config import Course, load_course

PROJECT = Path(__file__).resolve().parent.parent


def _course(arg: str | None) -> Course:
    if arg:
        return load_course(Path(arg))
    here = Path.cwd() / "course.yml"
    return load_course(here if here.is_file() else PROJECT / "course.yml")


def _jobs(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def cmd_grade(args: argparse.Namespace) -> int:
    course = _course(args.course)
    from grader.runner import ClassGrader, summary_text

    out = Path(args.out)
    grader = ClassGrader(course, out, jobs=args.jobs, progress=not args.quiet)

    def warn(line: str) -> None:
        print(f"WARNING: sandbox: {line}", file=sys.stderr)

    summary = grader.grade(Path(args.submissions), force=args.force, on_warning=warn)
    extra = _extra_outputs(args, course, grader, summary)
    print(summary_text(summary))
    for line in extra:
        print(line)
    return errors.EXIT_OK


def _extra_outputs(args: argparse.Namespace, course: Course, grader: object, summary: object) -> list[str]:
    """The class report, LMS formats and gradebook, written after the grades."""
    from grader import outputs

    return outputs.write_extra(args, course, grader, summary)


def cmd_check(args: argparse.Namespace) -> int:
    from grader.check import check_one

    course = _course(args.course)
    text, result = check_one(course, Path(args.path))
    print(text)
    return errors.EXIT_OK if result.total == result.max_total else errors.EXIT_FAILED


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import release

    course = _course(args.course)
    written = release(course, Path(args.out_dir), force=args.force)
    print(f"Wrote the student copy to {args.out_dir} ({len(written)} files).")
    print(f"Students run:  cd {args.out_dir} && pytest")
    return errors.EXIT_OK


def cmd_stubs(args: argparse.Namespace) -> int:
    from grader.stubgen import write

    course = _course(args.course)
    for path in write(course.root):
        print(f"wrote {path}")
    return errors.EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    import time

    from grader.bench import render, run_benchmarks, without_module, write_json
    from grader.bench_nbgrader import available

    course = _course(args.course)
    nb_sample = args.nbgrader_sample if args.nbgrader_sample is not None else (5 if available() else 0)
    if nb_sample and not available():
        from grader.nbgrader_export import NbgraderMissing

        raise NbgraderMissing()
    for module in args.skip_module or []:
        course = without_module(course, module)
    json_path = Path(args.json) if args.json else Path("benchmarks/results") / f"bench-{args.students}-{int(time.time())}.json"
    runs = run_benchmarks(course, args.students, jobs=args.jobs, baseline_sample=args.baseline_sample,
                          student_runs=args.student_runs, nbgrader_sample=nb_sample, full_only=args.full_only,
                          command="grader " + " ".join(sys.argv[1:]),
                          on_result=lambda r: print(render(r) + "\n"))
    write_json(runs, json_path)
    print(f"Wrote {json_path}")
    return errors.EXIT_OK


def cmd_gradescope(args: argparse.Namespace) -> int:
    from grader.gradescope_autograder import build_archive

    course = _course(args.course)
    names = build_archive(course, Path(args.out_zip))
    print(f"Wrote {args.out_zip} ({len(names)} files). Upload it as the autograder of a "
          "Gradescope programming assignment (Ubuntu base image).")
    return errors.EXIT_OK


def cmd_gradescope_run(args: argparse.Namespace) -> int:
    from grader.gradescope_autograder import run

    course = _course(args.course)
    data = run(course, Path(args.root))
    print(f"score {data['score']} / {data['max_score']}")
    return errors.EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grader", description="Grade the loss-function exercise set.")
    p.add_argument("--course", help="path to course.yml (default: ./course.yml, else the project's)")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade a folder (or zip) of submissions")
    g.add_argument("submissions", help="folder with one entry per student, a bulk .zip, or one student's folder")
    g.add_argument("--out", default="graded", help="output folder (default: graded/)")
    g.add_argument("--jobs", type=_jobs, default=min(2, os.cpu_count() or 1),
                   help="sandboxed workers in parallel (default: 2, or 1 on a 1-core machine)")
    g.add_argument("--force", action="store_true", help="re-grade every student, even unchanged ones")
    g.add_argument("--quiet", action="store_true", help="no progress output")
    g.add_argument("--format", action="append", choices=["csv", "canvas", "moodle"], default=None,
                   help="also write grades for a learning platform (repeatable); grades.csv is always written")
    g.add_argument("--gradebook", help="also record scores in this nbgrader gradebook (.db)")
    g.add_argument("--assignment", default="ps1", help="assignment name for --gradebook/LMS exports")
    g.set_defaults(func=cmd_grade)

    c = sub.add_parser("check", help="grade one student's folder and print the full result")
    c.add_argument("path")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("release", help="write the student copy (stubs, public tests, README)")
    r.add_argument("out_dir")
    r.add_argument("--force", action="store_true", help="write into a non-empty folder")
    r.set_defaults(func=cmd_release)

    b = sub.add_parser("bench", help="measure grading speed on a synthetic class against the naive baseline")
    b.add_argument("--students", type=_jobs, default=1000, help="class size (default 1000)")
    b.add_argument("--jobs", type=_jobs, default=min(2, os.cpu_count() or 1))
    b.add_argument("--baseline-sample", type=int, default=20,
                   help="students graded the naive way to time the baseline (0 to skip)")
    b.add_argument("--student-runs", type=int, default=7, help="timed runs of the student's pytest (0 to skip)")
    b.add_argument("--skip-module", action="append", help="leave a module out of the course (repeatable)")
    b.add_argument("--full-only", action="store_true",
                   help="skip the second run without the plots module")
    b.add_argument("--nbgrader-sample", type=int, default=None,
                   help="students also graded by nbgrader's own autograde, on the run without plots "
                        "(default 5 where nbgrader is installed; 0 to skip)")
    b.add_argument("--json", help="where to write the figures (default benchmarks/results/bench-N-TIME.json)")
    b.set_defaults(func=cmd_bench)

    gs = sub.add_parser("gradescope", help="build a Gradescope autograder archive")
    gs.add_argument("out_zip")
    gs.set_defaults(func=cmd_gradescope)
    gr = sub.add_parser("gradescope-run", help="(inside the autograder) grade ROOT/submission")
    gr.add_argument("--root", default="/autograder")
    gr.set_defaults(func=cmd_gradescope_run)

    s = sub.add_parser("stubs", help="regenerate exercises/ from solutions/")
    s.set_defaults(func=cmd_stubs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    from grader import plugins_cli

    plugins_cli.register(parser)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except errors.GraderError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted; finished students are saved, run the same command to resume.", file=sys.stderr)
        return 130

"""The ``grader`` command: a thin layer over the library.

It parses arguments, calls the core, and turns the core's own exceptions into
one-line ``Error: ...`` messages with the exit codes documented in the README
(see :mod:`grader.errors`). A traceback means a bug in the grader.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from grader import errors, paths
from grader.config import Course, load_course
from grader.cpus import usable_cpus
from grader.fsutil import is_inside

PROJECT = Path(__file__).resolve().parent.parent


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with a bad command line reported as one ``Error: ...`` line (exit 2) instead
    of the usage block; ``--help`` shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(errors.EXIT_USAGE, f"Error: {message} (see `{self.prog} --help`)\n")


def _course(arg: str | None, assignment: str | None = None, *, required: bool = True) -> Course:
    """The course (``--course``, else ./course.yml, else the project's) as the assignment
    asked for; a course of several assignments needs ``--assignment`` (the error lists them)."""
    if arg:
        paths.course_file(Path(arg))
        path = Path(arg)
    else:
        here = Path.cwd() / "course.yml"
        path = here if here.is_file() else PROJECT / "course.yml"
    course = load_course(path, assignment=assignment)
    if required and assignment is None and len(course.assignments) > 1:
        raise errors.UsageError("this course has several assignments: choose one with --assignment "
                                f"({', '.join(course.assignments)})")
    return course


def _with_language(course: Course, lang: str | None) -> Course:
    """The course in the language asked for (``--lang``, else course.yml's), which every
    message from now on is written in."""
    from dataclasses import replace

    from grader import i18n

    course = replace(course, language=lang or course.language)
    i18n.set_language(course.language)
    return course


def _lang_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["en", "ja"], default=None,
                        help="language of what students read and of the report (default: course.yml's)")


def _assignment_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assignment", default=None,
                        help="the course's assignment (problem set), e.g. ps1; needed when course.yml "
                             "has several (it is also the nbgrader assignment name)")


def _whole(value: str, least: int) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}, got {n}")
    return n


def _jobs(value: str) -> int:
    """A count of at least 1 (workers, students)."""
    return _whole(value, 1)


def _count(value: str) -> int:
    """A count of at least 0 (0 skips that part)."""
    return _whole(value, 0)


def check_paths(args: argparse.Namespace) -> None:
    """Every user-supplied path that needs no course, checked before the command runs
    (see :mod:`grader.paths`); a wrong one is a one-line error and nothing is written."""
    command = getattr(args, "command", None)
    if command == "grade":
        out = Path(args.out)
        paths.submissions(Path(args.submissions), out)
        paths.output_folder(out, "--out")
        if args.gradebook:
            paths.gradebook(Path(args.gradebook))
    elif command == "release":
        paths.output_folder(Path(args.out_dir), "the release folder")
    elif command == "nbgrader":
        paths.output_folder(Path(args.out_dir), "the nbgrader course folder")
    elif command == "gradescope":
        paths.output_file(Path(args.out_zip), "the autograder archive", parent_must_exist=True)
    elif command == "gradescope-run":
        root = Path(args.root)
        if not root.is_dir():
            raise errors.InputError(f"--root {root}: no such folder (the autograder folder holding submission/)")
        paths.output_folder(root / "results", "the results folder")
    elif command == "bench" and args.json:
        paths.output_file(Path(args.json), "--json")


def _outputs(args: argparse.Namespace) -> list[Path]:
    """The paths the command writes, as given on its command line."""
    command = getattr(args, "command", None)
    if command == "gradescope-run":
        return [Path(args.root) / "results"]
    if command == "bench":
        return [Path(args.json) if args.json else Path("benchmarks/results")]
    return [Path(v) for a in ("out", "gradebook", "out_dir", "out_zip") if (v := getattr(args, a, None))]


# OSErrors raised by the core that are the user's to fix: the file system around us
# refuses (permissions, a full disk or quota, a read-only mount) wherever it happens, or
# a path inside the command's outputs is in the way (a file where a folder goes, a
# folder removed while the command ran). Any other OSError is a bug: traceback, exit 70.
_REFUSED = {errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
_IN_THE_WAY = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ELOOP, errno.ENAMETOOLONG,
               errno.EMLINK}
_ATOMIC_TMP = re.compile(r"^\.(.+)\.[A-Za-z0-9_]+\.tmp$")  # grader.fsutil.atomic_write's temporary file


def _os_error_message(exc: OSError, args: argparse.Namespace) -> str | None:
    """``cannot write <path>: <reason>`` for an OSError that is not a bug, else None."""
    outputs = _outputs(args)
    reason = exc.strerror or str(exc)
    if exc.filename is None:  # e.g. a write() on a full disk: no file name to show
        if exc.errno not in _REFUSED:
            return None
        return f"cannot write {outputs[0] if outputs else 'the output'}: {reason}"
    path = Path(os.fsdecode(exc.filename))
    if m := _ATOMIC_TMP.match(path.name):
        path = path.with_name(m.group(1))
    if any(is_inside(path, out) for out in outputs):
        return f"cannot write {path}: {reason}" if exc.errno in _REFUSED | _IN_THE_WAY else None
    return f"cannot use {path}: {reason}" if exc.errno in _REFUSED else None


def cmd_grade(args: argparse.Namespace) -> int:
    course = _with_language(_course(args.course, args.assignment), args.lang)
    if args.gradebook:  # refused before any grading, not after
        from grader.gradebook import check_assignment

        check_assignment(Path(args.gradebook), course.assignment,
                         create_assignment=getattr(args, "create_assignment", False))
    paths.class_not_empty(Path(args.submissions), course)
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

    course = _with_language(_course(args.course, args.assignment), args.lang)
    text, result = check_one(course, Path(args.path))
    print(text)
    return errors.EXIT_OK if result.total == result.max_total else errors.EXIT_FAILED


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import release

    course = _with_language(_course(args.course, args.assignment), args.lang)
    written = release(course, Path(args.out_dir), force=args.force)
    print(f"Wrote the student copy to {args.out_dir} ({len(written)} files).")
    print(f"Students run:  cd {args.out_dir} && pytest")
    return errors.EXIT_OK


def cmd_stubs(args: argparse.Namespace) -> int:
    from grader.stubgen import write

    course = _course(args.course, required=False)  # stubs for every solution module, whatever the assignment
    for path in write(course.root):
        print(f"wrote {path}")
    return errors.EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    import time

    from grader.bench import render, run_benchmarks, without_module, write_json
    from grader.bench_nbgrader import available

    course = _course(args.course, args.assignment, required=False)
    nb_sample = args.nbgrader_sample if args.nbgrader_sample is not None else (5 if available() else 0)
    if nb_sample:
        from grader.nbgrader_export import require_nbgrader

        require_nbgrader()
    for module in args.skip_module or []:
        if module not in course.modules:
            raise errors.UsageError(f"--skip-module {module}: no such module (the course has: "
                                    f"{', '.join(course.modules)})")
        course = without_module(course, module)
    if not course.modules:
        raise errors.UsageError("--skip-module: every module is left out; nothing to grade")
    json_path = Path(args.json) if args.json else Path("benchmarks/results") / f"bench-{args.students}-{int(time.time())}.json"
    runs = run_benchmarks(course, args.students, jobs=args.jobs, baseline_sample=args.baseline_sample,
                          student_runs=args.student_runs, nbgrader_sample=nb_sample, full_only=args.full_only,
                          command="grader " + " ".join(sys.argv[1:]),
                          on_result=lambda r: print(render(r) + "\n"), scaling=args.scaling)
    write_json(runs, json_path)
    print(f"Wrote {json_path}")
    return errors.EXIT_OK


def cmd_term(args: argparse.Namespace) -> int:
    from grader.fsutil import atomic_write
    from grader.term import read_graded, render

    course = _course(args.course, required=False)
    graded = [read_graded(Path(folder)) for folder in args.graded]
    out = Path(args.out)
    atomic_write(out, render(graded, order=list(course.assignments)))
    print(f"Wrote {out}: {len(graded)} assignment(s), "
          f"{len({s for g in graded for s in g.totals})} student(s).")
    return errors.EXIT_OK


def cmd_nbgrader(args: argparse.Namespace) -> int:
    from grader import plugins_cli
    from grader.nbgrader_export import require_nbgrader

    require_nbgrader()  # before anything else: the command cannot run
    return plugins_cli.run_nbgrader(args, _with_language(_course(args.course, args.assignment), None))


def cmd_gradescope(args: argparse.Namespace) -> int:
    from grader.gradescope_autograder import build_archive

    course = _course(args.course, args.assignment)
    names = build_archive(course, Path(args.out_zip))
    print(f"Wrote {args.out_zip} ({len(names)} files). Upload it as the autograder of a "
          "Gradescope programming assignment (Ubuntu base image).")
    return errors.EXIT_OK


def cmd_gradescope_run(args: argparse.Namespace) -> int:
    from grader.gradescope_autograder import run

    course = _with_language(_course(args.course, args.assignment), None)  # results in the course's language
    data = run(course, Path(args.root))
    print(f"score {data['score']} / {data['max_score']}")
    return errors.EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = ArgumentParser(prog="grader", description="Grade the loss-function exercise set.")
    p.add_argument("--course", help="path to course.yml (default: ./course.yml, else the project's)")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade a folder (or zip) of submissions")
    g.add_argument("submissions", help="folder with one entry per student, a bulk .zip, or one student's folder")
    g.add_argument("--out", default="graded", help="output folder (default: graded/)")
    g.add_argument("--jobs", type=_jobs, default=usable_cpus(),
                   help="sandboxed workers in parallel (default: the cores this process may use)")
    g.add_argument("--force", action="store_true", help="re-grade every student, even unchanged ones")
    g.add_argument("--quiet", action="store_true", help="no progress output")
    g.add_argument("--format", action="append", choices=["csv", "canvas", "moodle"], default=None,
                   help="also write grades for a learning platform (repeatable); grades.csv is always written")
    g.add_argument("--gradebook", help="also record scores in this nbgrader gradebook (.db)")
    _assignment_arg(g)
    _lang_arg(g)
    g.add_argument("--lms-column", default=None,
                   help="the assignment's name on Canvas or Moodle (default: its title in course.yml)")
    g.add_argument("--overwrite", action="store_true",
                   help="--gradebook: also replace scores higher than this run's (never for a student graded error)")
    g.add_argument("--create-assignment", action="store_true",
                   help="--gradebook: create the assignment (or a new gradebook file) if it does not exist")
    g.set_defaults(func=cmd_grade)

    c = sub.add_parser("check", help="grade one student's folder and print the full result")
    c.add_argument("path")
    _assignment_arg(c)
    _lang_arg(c)
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("release", help="write the student copy (stubs, public tests, README)")
    r.add_argument("out_dir")
    r.add_argument("--force", action="store_true", help="write into a non-empty folder")
    _assignment_arg(r)
    _lang_arg(r)
    r.set_defaults(func=cmd_release)

    b = sub.add_parser("bench", help="measure grading speed on a synthetic class against the naive baseline")
    b.add_argument("--students", type=_jobs, default=1000, help="class size (default 1000)")
    b.add_argument("--jobs", type=_jobs, default=usable_cpus(),
                   help="sandboxed workers (default: the cores this process may use)")
    b.add_argument("--baseline-sample", type=_count, default=20,
                   help="students graded the naive way to time the baseline (0 to skip)")
    b.add_argument("--student-runs", type=_count, default=7,
                   help="timed runs of the student's pytest at each stage (twice as many saves in watch "
                        "mode; 0 to skip)")
    b.add_argument("--skip-module", action="append", help="leave a module out of the course (repeatable)")
    b.add_argument("--full-only", action="store_true",
                   help="skip the second run without the plots module")
    b.add_argument("--nbgrader-sample", type=_count, default=None,
                   help="students also graded by nbgrader's own autograde, on the run without plots "
                        "(default 5 where nbgrader is installed; 0 to skip)")
    b.add_argument("--json", help="where to write the figures (default benchmarks/results/bench-N-TIME.json)")
    b.add_argument("--assignment", default=None, help="the course's assignment to measure (default: the first)")
    b.add_argument("--scaling", action=argparse.BooleanOptionalAction, default=True,
                   help="also grade the same class with --jobs 1, to show how throughput scales with "
                        "workers (default; --no-scaling skips it)")
    b.set_defaults(func=cmd_bench)

    gs = sub.add_parser("gradescope", help="build a Gradescope autograder archive")
    gs.add_argument("out_zip")
    _assignment_arg(gs)
    gs.set_defaults(func=cmd_gradescope)
    gr = sub.add_parser("gradescope-run", help="(inside the autograder) grade ROOT/submission")
    gr.add_argument("--root", default="/autograder")
    _assignment_arg(gr)
    gr.set_defaults(func=cmd_gradescope_run)

    t = sub.add_parser("term", help="one table of every student's total per assignment and overall")
    t.add_argument("graded", nargs="+", help="output folders of `grader grade` runs, one per assignment")
    t.add_argument("--out", default="term.csv", help="the CSV to write (default: term.csv)")
    t.set_defaults(func=cmd_term)

    s = sub.add_parser("stubs", help="regenerate exercises/ from solutions/")
    s.set_defaults(func=cmd_stubs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    from grader import plugins_cli

    plugins_cli.register(parser, cmd_nbgrader)
    args = parser.parse_args(argv)
    try:
        check_paths(args)
        return int(args.func(args))
    except errors.GraderError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted; finished students are saved, run the same command to resume.", file=sys.stderr)
        return errors.EXIT_INTERRUPTED
    except BrokenPipeError:  # `grader check ... | head`: the reader has gone, nothing to say
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the exit flush does not fail again
        except OSError:
            pass
        return errors.EXIT_OK
    except OSError as exc:
        message = _os_error_message(exc, args)
        if message is None:
            return _internal_error()
        print(f"Error: {message}", file=sys.stderr)
        return errors.EXIT_INPUT
    except Exception:
        return _internal_error()


def _internal_error() -> int:
    """A bug in the grader: the traceback, then one line saying so (exit 70)."""
    traceback.print_exc()
    print("grader: internal error (a bug in the grader, not in your input): please report it with the "
          "traceback above.", file=sys.stderr)
    return errors.EXIT_INTERNAL

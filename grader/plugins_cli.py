"""Optional CLI subcommands: ``grader nbgrader OUT_DIR [--assignment ps1]``.

:func:`register` accepts the ``grader`` ArgumentParser (as ``grader.cli.main``
passes it today) or its subparsers object. nbgrader is an optional extra: the
command then fails with one line saying how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from grader import errors


def _subparsers(parser: Any) -> Any:
    """The ``add_subparsers()`` object, given it or the parser that owns it."""
    if isinstance(parser, argparse._SubParsersAction):
        return parser
    for action in getattr(parser, "_actions", []):
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise TypeError("register() needs the grader ArgumentParser or its subparsers")


def register(parser: argparse.ArgumentParser | Any) -> None:
    """Add the ``nbgrader`` subcommand."""
    sub = _subparsers(parser)
    n = sub.add_parser(
        "nbgrader", help="write an nbgrader course folder (config + one notebook per module)",
        description="Write nbgrader_config.py and source/<assignment>/<module>.ipynb: solutions between "
                    "nbgrader's markers, one autograded cell per test (hidden tests kept out of the release), "
                    "each worth its share of the function's points, so nbgrader's totals equal "
                    "`grader grade`'s.")
    n.add_argument("out_dir", help="the nbgrader course folder to write (created if missing)")
    n.add_argument("--assignment", default="ps1", help="assignment name (default: ps1)")
    n.set_defaults(func=cmd_nbgrader)


def cmd_nbgrader(args: argparse.Namespace) -> int:
    from grader.nbgrader_export import NbgraderMissing, export, not_exported

    if importlib.util.find_spec("nbgrader") is None:
        raise NbgraderMissing()
    from grader.cli import _course

    course = _course(getattr(args, "course", None))
    out = Path(args.out_dir)
    written = export(course, out, assignment=args.assignment)
    notebooks = [p for p in written if p.suffix == ".ipynb"]
    names = {p.name for p in written}
    extra = [n for n in ("nbgrader_config.py", "gradebook.db") if n in names]
    print(f"Wrote {len(notebooks)} notebooks to {out / 'source' / args.assignment}"
          + (f", {' and '.join(extra)}" if extra else "")
          + ("." if "nbgrader_config.py" in names else " (kept your nbgrader_config.py)."))
    skipped = not_exported(course)
    if skipped:
        pts = sum(course.points[f] for f in skipped)
        print(f"Drawn inline but not graded by nbgrader (figure checks; `grader grade` grades them, "
              f"{pts:g} points): {', '.join(skipped)}")
    a = args.assignment
    print(f"""Next, in {out}:
  nbgrader generate_assignment {a}     # the student version, in release/{a}/
  # put each student's notebooks in submitted/<student>/{a}/ (or nbgrader collect)
  nbgrader autograde {a}               # runs every test cell; scores go to gradebook.db
  nbgrader export                      # grades.csv""")
    return errors.EXIT_OK

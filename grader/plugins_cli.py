"""Optional CLI subcommands: ``grader nbgrader OUT_DIR [--assignment ps1]``.

The handler lives here; the CLI passes its own entry point to :func:`register`.

:func:`register` accepts the ``grader`` ArgumentParser (as ``grader.cli.main``
passes it today) or its subparsers object. nbgrader is an optional extra: the
command then fails with one line saying how to install it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
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


def register(parser: argparse.ArgumentParser | Any, run: Callable[[argparse.Namespace], int]) -> None:
    """Add the ``nbgrader`` subcommand, run by ``run`` (the CLI's own handler, so this module
    never imports the CLI back)."""
    sub = _subparsers(parser)
    n = sub.add_parser(
        "nbgrader", help="write an nbgrader course folder (config + one notebook per module)",
        description="Write nbgrader_config.py and source/<assignment>/<module>.ipynb: solutions between "
                    "nbgrader's markers, one autograded cell per test (hidden tests kept out of the release), "
                    "each worth its share of the function's points, and each plot function a manually "
                    "graded answer worth its points, so nbgrader's maximum equals `grader grade`'s.")
    n.add_argument("out_dir", help="the nbgrader course folder to write (created if missing)")
    n.add_argument("--assignment", default=None,
                   help="the course's assignment, also the nbgrader assignment name (needed when "
                        "course.yml has several; default: its only one)")
    n.set_defaults(func=run)


def run_nbgrader(args: argparse.Namespace, course: Any) -> int:
    """``grader nbgrader``: write the course folder and say what to do next."""
    from grader.nbgrader_export import export, not_exported

    out = Path(args.out_dir)
    a = course.assignment
    written = export(course, out, assignment=a)
    from grader.gradebook import init_gradebook

    if init_gradebook(out / "gradebook.db"):  # stamped in-process: nbgrader need not run alembic
        written.append(out / "gradebook.db")
    notebooks = [p for p in written if p.suffix == ".ipynb"]
    names = {p.name for p in written}
    extra = [n for n in ("nbgrader_config.py", "gradebook.db") if n in names]
    print(f"Wrote {len(notebooks)} notebooks to {out / 'source' / a}"
          + (f", {' and '.join(extra)}" if extra else "")
          + ("." if "nbgrader_config.py" in names else " (kept your nbgrader_config.py)."))
    figures = not_exported(course)
    if figures:
        pts = sum(course.points[f] for f in figures)
        print(f"Plot functions are manually graded answers in nbgrader ({pts:g} points): "
              f"`grader grade ... --gradebook` writes their points from the figures: {', '.join(figures)}")
    print(f"""Next, in {out}:
  nbgrader generate_assignment {a}     # the student version, in release/{a}/
  # put each student's notebooks in submitted/<student>/{a}/ (or nbgrader collect)
  nbgrader autograde {a}               # runs every test cell; scores go to gradebook.db
  grader grade submitted --assignment {a} --gradebook gradebook.db   # the plot points, from the figures
  nbgrader export                      # grades.csv""")
    return errors.EXIT_OK

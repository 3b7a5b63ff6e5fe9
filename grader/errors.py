"""The grader's own exception types and the CLI exit codes they map to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2          # bad command line (argparse's own code)
EXIT_CONFIG = 3         # course.yml missing or invalid
EXIT_INPUT = 4          # submissions path or another input unusable
EXIT_FAILED = 5         # `grader check`/`verify`: the implementation lost points
EXIT_INTERNAL = 70      # a bug in the grader: please report it
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class GraderError(Exception):
    """Base for errors a user can fix; the CLI prints ``Error: <message>``."""

    exit_code = EXIT_INPUT


class ConfigError(GraderError):
    """course.yml (or another configuration file) is missing or invalid."""

    exit_code = EXIT_CONFIG


class InputError(GraderError):
    """A path given on the command line cannot be used."""

    exit_code = EXIT_INPUT


class UsageError(GraderError):
    """A command-line value argparse cannot judge alone (it depends on the course)."""

    exit_code = EXIT_USAGE


class WireError(ValueError):
    """Data from the sandbox is not valid plain data (malformed, too big, wrong type)."""

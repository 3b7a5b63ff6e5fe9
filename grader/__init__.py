"""Trusted grading side of the exercise set: course config, hidden suites,
sandboxed execution of submissions, scoring and report writers.

Importing this package imports nothing else: the sandbox's warm worker
imports only the few plain-data modules it needs.
"""

__version__ = "0.1.0"

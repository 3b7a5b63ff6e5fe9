"""Checks of the paths given on the command line, made by the CLI before the core runs.

A wrong path is a user's mistake: each check raises :class:`~grader.errors.InputError`
(exit 4) or :class:`~grader.errors.ConfigError` (exit 3, for ``--course``) with one
line naming the path and what is wrong with it, before anything is written or any
sandbox is started. The checks create nothing: whether a folder can be written is
asked of the kernel (``os.access``) and then tried with one temporary file that is
removed at once, so a folder no one may write (root included: ``/proc``, a read-only
mount) is caught too.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from grader.config import Course
from grader.errors import ConfigError, InputError
from grader.fsutil import is_inside

SQLITE_MAGIC = b"SQLite format 3\x00"


def _nearest_existing(path: Path) -> Path:
    """``path`` itself if it exists (or is a dangling link), else its nearest existing ancestor."""
    p = Path(os.path.abspath(path))
    while not os.path.lexists(p) and p.parent != p:
        p = p.parent
    return p


def _unwritable(folder: Path) -> str | None:
    """Why files cannot be created in the existing ``folder``, or None if they can."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return "permission denied"
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".grader-probe-")
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT):
            return str(exc.strerror).lower()
        return "permission denied"
    os.close(fd)
    os.unlink(probe)
    return None


def _creatable(path: Path, role: str) -> None:
    """``path`` (missing) can be created: its nearest existing ancestor is a writable folder."""
    anc = _nearest_existing(path)
    if not anc.is_dir():
        raise InputError(f"{role} {path} cannot be created: {anc} is a file, not a folder")
    why = _unwritable(anc)
    if why:
        raise InputError(f"{role} {path} cannot be created: {anc} is not writable ({why})")


def output_folder(path: Path, role: str) -> None:
    """A folder the command writes into: an existing writable folder, or one it can create."""
    if os.path.lexists(path) and not path.is_dir():
        what = "a broken symbolic link" if path.is_symlink() else "a file"
        raise InputError(f"{role} {path} is {what}, not a folder")
    if path.is_dir():
        why = _unwritable(path)
        if why:
            raise InputError(f"{role} {path} is not writable ({why})")
        return
    _creatable(path, role)


def output_file(path: Path, role: str, *, parent_must_exist: bool = False) -> None:
    """A file the command writes (replaced if it exists)."""
    if path.is_dir():
        raise InputError(f"{role} {path} is a folder, not a file")
    parent = Path(os.path.abspath(path)).parent
    if parent.is_dir():
        why = _unwritable(parent)
        if why:
            raise InputError(f"{role} {path} cannot be written: {parent} is not writable ({why})")
    elif parent_must_exist and not os.path.lexists(parent):
        raise InputError(f"{role} {path} cannot be written: the folder {parent} does not exist")
    else:
        _creatable(path, role)


def submissions(path: Path, out: Path) -> None:
    """The submissions path exists and does not overlap the output folder."""
    if not os.path.lexists(path):
        raise InputError(f"{path}: no such file or folder")
    if not path.is_dir():
        return  # a zip (or something else, which discovery names)
    if is_inside(out, path):
        where = "is" if is_inside(path, out) else "is inside"
        raise InputError(f"the output folder {out} {where} the submissions folder {path}; choose another "
                         "--out (nothing under SUBMISSIONS is ever written)")
    if is_inside(path, out):
        raise InputError(f"the submissions folder {path} is inside the output folder {out}; choose another "
                         "--out (or move the submissions out of it)")


def class_not_empty(path: Path, course: Course) -> None:
    """At least one student entry under ``path``: an empty class is most likely a wrong path."""
    from grader.discovery import discovering

    with discovering(path, list(course.modules), max_unzipped_bytes=course.max_zip_mb * 2**20) as found:
        if len(found):
            return
        notes = found.notes
    skipped = f" ({notes[0]}" + (f"; {len(notes) - 1} more" if len(notes) > 1 else "") + ")" if notes else ""
    raise InputError(f"no submissions found in {path}: expected one folder or .zip per student, "
                     f"or one student's exercise files{skipped}")


def gradebook(path: Path) -> None:
    """``--gradebook``: nbgrader is installed, and the .db file is (or can be made) a writable SQLite file."""
    from grader.nbgrader_export import require_nbgrader

    require_nbgrader()
    output_file(path, "--gradebook", parent_must_exist=True)
    if path.is_file():
        if not os.access(path, os.R_OK | os.W_OK):
            raise InputError(f"--gradebook {path} is not writable (permission denied)")
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise InputError(f"--gradebook {path} cannot be read ({exc.strerror})") from None
        if head and head != SQLITE_MAGIC:
            raise InputError(f"--gradebook {path} is not an nbgrader gradebook (not an SQLite database file)")


def course_file(path: Path) -> None:
    """``--course``: a readable file (what is in it is checked by :func:`grader.config.load_course`)."""
    if path.is_dir():
        hint = f" (did you mean {path / 'course.yml'}?)" if (path / "course.yml").is_file() else ""
        raise ConfigError(f"--course {path} is a folder, not a course.yml file{hint}")
    if path.is_file():
        try:
            path.open("rb").close()
        except OSError as exc:
            raise ConfigError(f"--course {path} cannot be read ({exc.strerror})") from None

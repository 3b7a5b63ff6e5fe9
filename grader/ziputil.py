"""Read-only, capped access to untrusted student files: zips in memory and folders on disk.

Zips: nothing is ever extracted, so a hostile member name cannot reach the disk;
still, members whose names point outside the zip are reported and never used.
Declared sizes are checked before anything is read, and every read is also
capped, because declared sizes can lie. Only stored and deflated members are
read: zipfile inflates bzip2 and LZMA chunks without an output cap.

Folders: symlinks are reported and never followed (files are opened with
O_NOFOLLOW), fifos and devices are never opened, and depth and count are capped.

Both produce a :class:`Listing` of :class:`File` objects that discovery chooses from.

Words: a :class:`Listing`'s problem lines and :meth:`Refused.about` are for the student,
in the course's language (:mod:`grader.i18n`); ``str()`` of a :class:`Refused` and
:func:`ignored_line` stay English, for the instructor's terminal and one-line errors.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections import deque
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from grader.i18n import t

MAX_MEMBERS = 10_000          # files in one student's entry (zip, part of a bulk zip, or folder)
MAX_DEPTH = 6                 # folder levels searched inside one student's entry
CLUTTER_DIRS = frozenset({"__MACOSX", "__pycache__", ".ipynb_checkpoints"})
# Folders of installed packages and tools a student may zip with their copy: never read.
ENVIRONMENT_DIRS = frozenset({"venv", "env", "site-packages", "dist-packages", "node_modules",
                              "Lib", "Scripts", "Include", "build", "dist"})
# Only these can hold what is graded (modules, notebooks, a zip of them); nothing else is read.
READ_SUFFIXES = (".py", ".ipynb", ".zip")
CLUTTER_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class Refused(Exception):
    """A zip, a zip member or a file cannot be used.

    ``str()`` is a plain-words English predicate to follow the item's name, e.g.
    ``f"{name} {exc}"`` -> "bob.zip would expand to more than 50 MB; not opened" (for the
    instructor's terminal and errors); :meth:`about` is that whole sentence in the course's
    language, for the student. ``why`` is the predicate with named placeholders filled
    from ``values``; each one the grader raises has its sentence in :data:`_SENTENCES`.
    """

    def __init__(self, why: str, **values: object) -> None:
        super().__init__(why.format(**values) if values else why)
        self.why, self.values = why, values

    def about(self, name: str) -> str:
        """"<name> <why>" as one sentence in the course's language."""
        sentence = _SENTENCES.get(self.why)
        return sentence(name=name, **self.values) if sentence else f"{name} {self}"


class TooLarge(Refused):
    """The item holds more bytes than the caller's limit allows."""


# Refused's predicates (English, the keys) -> the whole sentence in the course's language.
_SENTENCES: dict[str, Callable[..., str]] = {
    "is corrupt or not a zip file; not opened":
        lambda **v: t("{name} is corrupt or not a zip file; not opened", **v),
    "has more than {count} Python files; not opened":
        lambda **v: t("{name} has more than {count} Python files; not opened", **v),
    "would expand to more than {size} of Python files; not opened":
        lambda **v: t("{name} would expand to more than {size} of Python files; not opened", **v),
    "is password-protected; not opened (upload it without a password)":
        lambda **v: t("{name} is password-protected; not opened (upload it without a password)", **v),
    "uses a compression method the grader does not read; re-zip it normally":
        lambda **v: t("{name} uses a compression method the grader does not read; re-zip it normally", **v),
    "is password-protected in the zip":
        lambda **v: t("{name} is password-protected in the zip", **v),
    "could not be read from the zip (the entry is corrupt)":
        lambda **v: t("{name} could not be read from the zip (the entry is corrupt)", **v),
    "was not read: its zip would expand to more than {size}":
        lambda **v: t("{name} was not read: its zip would expand to more than {size}", **v),
    "is larger than {size}":
        lambda **v: t("{name} is larger than {size}", **v),
    "is not a regular file":
        lambda **v: t("{name} is not a regular file", **v),
    "could not be read ({reason})":
        lambda **v: t("{name} could not be read ({reason})", **v),
}


def size_text(n: int) -> str:
    """``52428800`` -> ``"50 MB"``; small limits (as used in tests) stay readable."""
    if n >= 2**20:
        return f"{n / 2**20:g} MB"
    if n >= 2**10:
        return f"{n / 2**10:g} KB"
    return f"{n} bytes"


def open_zip(source: bytes | BinaryIO) -> zipfile.ZipFile:
    """Open a zip from bytes or a binary file; any parse failure becomes :class:`Refused`."""
    fileobj = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        return zipfile.ZipFile(fileobj)
    except Exception as exc:  # untrusted bytes: whatever zipfile raises means "unreadable"
        raise Refused("is corrupt or not a zip file; not opened") from exc


def raw_parts(name: str) -> tuple[str, ...] | None:
    """Split a member name on ``/`` and ``\\`` (dropping empty and ``.`` parts).

    Returns None for absolute and drive-letter names. Backslashes count as
    separators because old Windows tools write ``exercises\\losses.py``, and so
    that ``..\\evil.py`` is caught like ``../evil.py``.
    """
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return None
    return tuple(p for p in name.split("/") if p not in ("", "."))


def member_parts(name: str) -> tuple[str, ...] | None:
    """Path parts of a member name, or None if it could point outside the zip."""
    parts = raw_parts(name)
    return None if parts is None or ".." in parts else parts


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """True if the member is stored as a Unix symbolic link (S_IFLNK in its external mode)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def may_be_read(name: str) -> bool:
    """Whether a member could be graded: a module, a notebook or a zip, outside hidden,
    clutter and environment folders. Everything else (data, a virtualenv) is never read."""
    parts = member_parts(name)
    if not parts or not parts[-1].lower().endswith(READ_SUFFIXES):
        return False
    return not any(skip_kind(p, True) for p in parts[:-1])


def check_limits(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse a zip (or a student's part of one) by the count, declared size or password of
    the members that may be read; the rest (a 78 MB virtualenv, a data file) never counts."""
    wanted = [i for i in infos if not i.is_dir() and may_be_read(i.filename)]
    if len(wanted) > MAX_MEMBERS:
        raise Refused("has more than {count} Python files; not opened", count=f"{MAX_MEMBERS:,}")
    if sum(i.file_size for i in wanted if not i.filename.lower().endswith(".zip")) > max_bytes:
        raise Refused("would expand to more than {size} of Python files; not opened", size=size_text(max_bytes))
    if any(i.flag_bits & 0x1 for i in wanted):
        raise Refused("is password-protected; not opened (upload it without a password)")


class ZipReader:
    """An open zip plus a hard cap on the total bytes decompressed from it."""

    def __init__(self, zf: zipfile.ZipFile, max_bytes: int) -> None:
        self.zf = zf
        self.max_bytes = max_bytes
        self.remaining = max_bytes

    def read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """The member's bytes; TooLarge past ``limit`` or this zip's budget, Refused if unusable."""
        if info.compress_type not in _READABLE:
            raise Refused("uses a compression method the grader does not read; re-zip it normally")
        if info.flag_bits & 0x1:
            raise Refused("is password-protected in the zip")
        cap = min(limit, self.remaining)
        if info.file_size > cap:
            raise self._too_large(limit)
        try:
            with self.zf.open(info) as f:
                data = f.read(cap + 1)   # never more than cap + 1 bytes, whatever the headers say
        except Exception as exc:  # corrupt data, bad CRC, truncated archive...
            raise Refused("could not be read from the zip (the entry is corrupt)") from exc
        if len(data) > cap:
            raise self._too_large(limit)
        self.remaining -= len(data)
        return data

    def _too_large(self, limit: int) -> TooLarge:
        if self.remaining < limit:
            return TooLarge("was not read: its zip would expand to more than {size}",
                            size=size_text(self.max_bytes))
        return TooLarge("is larger than {size}", size=size_text(limit))


@dataclass
class File:
    """A regular file inside one student's entry; an inner zip's name counts as a folder."""

    parts: tuple[str, ...]
    label: str                          # how problem lines name it: "sub.zip:exercises/losses.py"
    read: Callable[[int], bytes]        # read at most n bytes; raises Refused (incl. TooLarge)


@dataclass
class Listing:
    """The usable files of one entry, problem lines about the rest, and whether clutter was seen."""

    files: list[File] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    clutter: bool = False


def skip_kind(name: str, is_dir: bool) -> str | None:
    """"clutter" for OS/editor leftovers and environment folders, "hidden" for other
    dot-names, else None."""
    if is_dir and (name in CLUTTER_DIRS or name in ENVIRONMENT_DIRS) or not is_dir and (
            name in CLUTTER_FILES or name.startswith("._") or name.endswith(".pyc")):
        return "clutter"
    return "hidden" if name.startswith(".") else None


def ignored_line(what: str, names: list[str]) -> str:
    """"ignored <what>: a, b, c and 2 more": one bounded line for many similar items (English,
    for the instructor's terminal; a student's lines are worded whole, with :func:`listed`)."""
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"ignored {what}: {shown}"


def listed(names: list[str]) -> str:
    """"a, b, c" or "a, b, c and 2 more" in the course's language: a bounded list of names."""
    shown = ", ".join(names[:3])
    return t("{names} and {count} more", names=shown, count=len(names) - 3) if len(names) > 3 else shown


def read_file(path: Path, limit: int) -> bytes:
    """Read a regular file: never through a symlink (O_NOFOLLOW), never blocking on a fifo."""
    try:
        fd = os.open(path, _NO_FOLLOW)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise Refused("is not a regular file")
            data = f.read(limit + 1)
    except OSError as exc:
        raise Refused("could not be read ({reason})", reason=exc.strerror) from None
    if len(data) > limit:
        raise TooLarge("is larger than {size}", size=size_text(limit))
    return data


def open_zip_path(path: Path, stack: ExitStack, follow: bool = False) -> zipfile.ZipFile:
    """Open a zip file on disk (not through a symlink unless ``follow``) for this stack's life."""
    try:
        f = stack.enter_context(os.fdopen(os.open(path, os.O_RDONLY if follow else _NO_FOLLOW),
                                          "rb"))
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise Refused("is not a regular file")
    except OSError as exc:
        raise Refused("could not be read ({reason})", reason=exc.strerror) from None
    return stack.enter_context(open_zip(f))


def list_folder(root: Path) -> Listing:
    """List regular files under ``root``: symlinks reported not followed, depth and count capped."""
    out = Listing()
    links: list[str] = []
    special: list[str] = []
    deep: list[str] = []
    pending: deque[tuple[tuple[str, ...], str]] = deque([((), os.fspath(root))])
    seen = 0
    while pending:
        rel, folder = pending.popleft()                  # breadth first: shallow files first
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            where = "/".join(rel) or "."
            out.problems.append(t("could not open the folder {folder} ({reason})", folder=where,
                                  reason=exc.strerror))
            continue
        for e in children:
            seen += 1
            if seen > MAX_MEMBERS:
                out.problems.append(t("stopped looking after {count} files and folders",
                                      count=f"{MAX_MEMBERS:,}"))
                return out
            parts = rel + (e.name,)
            label = "/".join(parts)
            is_dir = e.is_dir(follow_symlinks=False)
            kind = skip_kind(e.name, is_dir)
            if kind:
                out.clutter |= kind == "clutter"
            elif e.is_symlink():
                links.append(label)
            elif is_dir and len(parts) > MAX_DEPTH:
                deep.append(label + "/")
            elif is_dir:
                pending.append((parts, e.path))
            elif not e.is_file(follow_symlinks=False):
                special.append(label)
            else:
                out.files.append(File(parts, label, partial(read_file, Path(e.path))))
    if links:
        out.problems.append(t("ignored symbolic links (links are never followed): {files}", files=listed(links)))
    if special:
        out.problems.append(t("ignored special files that are not regular files: {files}", files=listed(special)))
    if deep:
        out.problems.append(t("ignored folders nested more than {depth} levels deep: {files}",
                              depth=MAX_DEPTH, files=listed(deep)))
    return out


def list_zip(reader: ZipReader, infos: list[zipfile.ZipInfo], *, strip: int = 0,
             label: str = "", under: tuple[str, ...] = ()) -> Listing:
    """List a zip's usable members (dropping ``strip`` leading folders); report unsafe ones."""
    out = Listing()
    outside: list[str] = []
    links: list[str] = []
    deep: list[str] = []
    for info in infos:
        parts = member_parts(info.filename)
        if parts is None:
            outside.append(info.filename)
            continue
        parts = parts[strip:]
        if not parts or info.is_dir():
            continue
        kind = next(filter(None, (skip_kind(p, i < len(parts) - 1)
                                  for i, p in enumerate(parts))), None)
        if kind:
            out.clutter |= kind == "clutter"
        elif is_symlink(info):
            links.append(label + "/".join(parts))
        elif len(parts) > MAX_DEPTH + 1:
            deep.append(label + "/".join(parts))
        else:
            out.files.append(File(under + parts, label + "/".join(parts),
                                  partial(reader.read, info)))
    if outside:
        out.problems.append(t("ignored zip entries whose paths point outside the zip: {files}",
                              files=listed(outside)))
    if links:
        out.problems.append(t("ignored symbolic links stored in the zip: {files}", files=listed(links)))
    if deep:
        out.problems.append(t("ignored zip entries nested more than {depth} folders deep: {files}",
                              depth=MAX_DEPTH, files=listed(deep)))
    return out

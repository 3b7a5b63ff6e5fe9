"""Reading untrusted zips in memory: safe member names, size and count limits, capped reads.

Nothing is ever extracted, so a hostile member name cannot reach the disk; still,
members whose names point outside the zip are reported and never used. Declared
sizes are checked before anything is read, and every read is also capped, because
declared sizes can lie. Only stored and deflated members are read: bzip2 and LZMA
decompress a whole input chunk at once in ``zipfile``, which a bomb can abuse.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from typing import BinaryIO

MAX_MEMBERS = 10_000          # entries in one student's zip (or one student's part of a bulk zip)
_DRIVE = re.compile(r"^[A-Za-z]:")
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class Refused(Exception):
    """A zip, a zip member or a file cannot be used.

    ``str()`` is a plain-words predicate to follow the item's name, e.g.
    ``f"{name} {exc}"`` -> "bob.zip would expand to more than 50 MB; not opened".
    """


class TooLarge(Refused):
    """The item holds more bytes than the caller's limit allows."""


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


def check_limits(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse a zip (or a student's part of one) by its entry count, declared size or password."""
    if len(infos) > MAX_MEMBERS:
        raise Refused(f"has more than {MAX_MEMBERS:,} entries; not opened")
    if sum(i.file_size for i in infos) > max_bytes:
        raise Refused(f"would expand to more than {size_text(max_bytes)}; not opened")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Refused("is password-protected; not opened (upload it without a password)")


class ZipReader:
    """An open zip plus a hard cap on the total bytes decompressed from it."""

    def __init__(self, zf: zipfile.ZipFile, max_bytes: int) -> None:
        self.zf = zf
        self.max_bytes = max_bytes
        self.remaining = max_bytes

    def read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """Return the member's bytes; :class:`TooLarge` beyond ``limit``, :class:`Refused` if unusable."""
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
            return TooLarge(f"was not read: its zip would expand to more than {size_text(self.max_bytes)}")
        return TooLarge(f"is larger than {size_text(limit)}")

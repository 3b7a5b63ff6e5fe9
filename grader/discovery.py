"""Find each student's exercise modules in a downloaded submissions folder or zip.

``discover`` accepts a folder of per-student folders and zips, a platform's bulk
zip of those, or one student's own folder or zip. Student files are untrusted:
nothing is written or modified, symlinks are never followed, zips are read in
memory with hard caps (``grader.ziputil``), and every unusable entry becomes a
plain-words problem line for that student, or a run-level note, never an error.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from grader.errors import InputError
from grader.ziputil import (
    MAX_MEMBERS,
    File,
    Listing,
    Refused,
    TooLarge,
    ZipReader,
    check_limits,
    ignored_line,
    list_folder,
    list_zip,
    member_parts,
    open_zip,
    open_zip_path,
    raw_parts,
    skip_kind,
)

MAX_INNER_ZIPS = 3                 # zips inside an entry opened when modules are missing
MAX_BULK_MEMBERS = 50 * MAX_MEMBERS
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._@+-]+")


@dataclass
class Submission:
    """One student's exercise modules as found, with plain-words problems for their feedback."""

    student_id: str
    sources: dict[str, str]
    problems: list[str]
    fingerprint: str
    origin: str


@dataclass
class Discovery:
    """All submissions (sorted by student id) and run-level notes for the instructor."""

    submissions: list[Submission]
    notes: list[str]


@dataclass
class _Entry:
    """One student's folder or zip, not read yet."""

    name: str                           # raw id: folder name, or zip name without ".zip"
    origin: str                         # relative to SUBMISSIONS: "alice/", "class.zip:bob.zip"
    is_zip: bool
    zip_layers: int                     # zips opened to reach its files; inner zips open below 2
    listing: Callable[[ExitStack], Listing]   # raises Refused if the entry's zip is unusable


def discover(path: Path, modules: Sequence[str], *, max_unzipped_bytes: int = 50 * 2**20,
             max_module_bytes: int = 2**20) -> Discovery:
    """Find every student's copy of ``modules`` under ``path`` (a folder or a .zip).

    Raises InputError only when ``path`` itself is unusable; anything wrong with
    one student's files is reported in that submission's ``problems``. Reads
    every submission into memory; :func:`discovering` reads one at a time.
    """
    with discovering(path, modules, max_unzipped_bytes=max_unzipped_bytes,
                     max_module_bytes=max_module_bytes) as found:
        subs = list(found.read())
        return Discovery(subs, found.notes)


@contextmanager
def discovering(path: Path, modules: Sequence[str], *, max_unzipped_bytes: int = 50 * 2**20,
                max_module_bytes: int = 2**20) -> Iterator[LazyDiscovery]:
    """Like :func:`discover`, but submissions are read only while iterating ``read()``.

    The student ids (and the notes about duplicates and renamed ids) are known at
    once; a class zip stays open until the ``with`` block ends. A bulk run keeps
    one submission's sources in memory at a time, however large the class.
    """
    names = [m.removesuffix(".py") for m in modules]
    if not names or len(set(names)) != len(names) or not all(m.isidentifier() for m in names):
        raise ValueError(f"modules must be distinct Python module names, got {list(modules)!r}")
    run = _Run(names, max_unzipped_bytes, max_module_bytes)
    with ExitStack() as stack:              # keeps a top-level zip open while students are read
        yield run.plan(run.entries(Path(path), stack))


class LazyDiscovery:
    """The students found, in student-id order; their files are read on iteration."""

    def __init__(self, run: _Run, order: list[tuple[str, _Entry, list[str]]]) -> None:
        self._run = run
        self._order = order
        self._noted = False
        self.student_ids = [sid for sid, _, _ in order]

    @property
    def notes(self) -> list[str]:
        """Run-level notes; complete once ``read()`` has gone through every student."""
        return self._run.notes

    def __len__(self) -> int:
        return len(self._order)

    def read(self, only: Container[str] | None = None) -> Iterator[Submission]:
        """Read the students (those in ``only``, if given) one by one.

        The first complete pass records the run-level notes; later passes (to
        read students again) add none.
        """
        run = self._run
        record = not self._noted
        for sid, entry, extra in self._order:
            if only is not None and sid not in only:
                continue
            yield run._submission(entry, sid, extra, record=record)
        if record and only is None:
            self._noted = True
            run.final_notes(bool(self._order))


class _Run:
    """State of one discovery: limits, run-level notes and the clutter count."""

    def __init__(self, modules: list[str], max_unzipped: int, max_module: int) -> None:
        self.modules = modules
        self.max_unzipped = max_unzipped
        self.max_module = max_module
        self.notes: list[str] = []
        self.clutter = 0

    # -- finding the entries -------------------------------------------------

    def entries(self, path: Path, stack: ExitStack) -> list[_Entry]:
        if not path.exists():
            raise InputError(f"{path} does not exist")
        if path.is_dir():
            if _folder_is_student(path, self.modules):
                name = path.resolve().name
                self.notes.append(f"{name}/ holds exercise files itself, so it is graded as "
                                  "one student's submission")
                return [_Entry(name, f"{name}/", False, 0, lambda _: list_folder(path))]
            return self._folder_entries(path)
        if not path.is_file() or path.suffix.lower() != ".zip":
            raise InputError(f"{path} is not a folder or a .zip file")
        try:
            zf = open_zip_path(path, stack, follow=True)
        except Refused as exc:
            raise InputError(f"{path} {exc}") from None
        return self._zip_entries(zf, path.name)

    def _folder_entries(self, root: Path) -> list[_Entry]:
        try:
            with os.scandir(root) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read the folder {root}: {exc.strerror}") from None
        entries = []
        for e in children:
            is_dir = e.is_dir(follow_symlinks=False)
            kind = skip_kind(e.name, is_dir)
            if kind == "hidden" and _is_zip_name(e.name):
                kind = None                     # "...zip" is a (badly named) student zip
            if kind == "clutter":
                self.clutter += 1
            elif e.is_symlink():
                self.notes.append(f"skipped {e.name}: symbolic links are never followed")
            elif kind == "hidden":
                self.notes.append(f"skipped {e.name}: hidden files and folders are not submissions")
            elif is_dir:
                entries.append(_Entry(e.name, f"{e.name}/", False, 0,
                                      partial(_list_folder, Path(e.path))))
            elif e.is_file(follow_symlinks=False) and _is_zip_name(e.name):
                entries.append(_Entry(e.name[:-4], e.name, True, 1,
                                      partial(self._zip_file_listing, Path(e.path))))
            else:
                self.notes.append(f"skipped {e.name}: not a student folder or .zip")
        return entries

    def _zip_entries(self, zf: zipfile.ZipFile, zip_name: str) -> list[_Entry]:
        """One entry if the zip is one student's (modules at the top, in exercises/, or under
        one wrapping folder); otherwise one per top-level folder or nested .zip (a bulk zip)."""
        infos = zf.infolist()
        if len(infos) > MAX_BULK_MEMBERS:
            raise InputError(f"{zip_name} has more than {MAX_BULK_MEMBERS:,} entries; not opened")
        files = {p for i in infos if not i.is_dir() and (p := member_parts(i.filename))}
        tops = {p[0] for i in infos if (p := member_parts(i.filename))
                and skip_kind(p[0], len(p) > 1 or i.is_dir()) is None}
        top = next(iter(tops)) if len(tops) == 1 else None
        wrapper = top if top and (top,) not in files else None     # one folder holding all
        for prefix in ((), (wrapper,)) if wrapper else ((),):
            if _looks_like_student(files, prefix, self.modules):
                def whole(_: ExitStack) -> Listing:
                    check_limits(infos, self.max_unzipped)
                    return list_zip(ZipReader(zf, self.max_unzipped), infos)
                self.notes.append(f"{zip_name} holds exercise files itself, so it is graded as "
                                  "one student's submission")
                return [_Entry(zip_name[:-4], zip_name, True, 1, whole)]

        where = f"{zip_name}:{wrapper}/" if wrapper else f"{zip_name}:"
        groups: dict[str, list[zipfile.ZipInfo]] = {}
        entries, outside = [], []
        for info in infos:
            raw = raw_parts(info.filename)
            if raw and wrapper and raw[0] == wrapper:
                raw = raw[1:]
            if raw is None or raw[:1] == ("..",):
                outside.append(info.filename)
                continue
            if not raw:
                continue
            at_top = len(raw) == 1 and not info.is_dir()
            kind = skip_kind(raw[0], not at_top)
            if kind == "hidden" and at_top and _is_zip_name(raw[0]):
                kind = None
            if kind:
                self.clutter += kind == "clutter"
            elif not at_top:
                groups.setdefault(raw[0], []).append(info)
            elif _is_zip_name(raw[0]):
                entries.append(_Entry(raw[0][:-4], where + raw[0], True, 2,
                                      partial(self._nested_zip_listing, zf, info)))
            else:
                self.notes.append(f"skipped {where}{raw[0]}: not a student folder or .zip")
        strip = 2 if wrapper else 1
        for key, members in groups.items():
            entries.append(_Entry(key, f"{where}{key}/", False, 1,
                                  partial(self._group_listing, zf, members, strip)))
        if outside:
            self.notes.append(ignored_line(f"entries of {zip_name} whose paths point outside "
                                           "the zip", outside))
        return entries

    # -- listing one entry's files -------------------------------------------

    def _zip_file_listing(self, path: Path, stack: ExitStack) -> Listing:
        zf = open_zip_path(path, stack)
        check_limits(zf.infolist(), self.max_unzipped)
        return list_zip(ZipReader(zf, self.max_unzipped), zf.infolist())

    def _group_listing(self, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], strip: int,
                       _: ExitStack) -> Listing:
        check_limits(infos, self.max_unzipped)
        return list_zip(ZipReader(zf, self.max_unzipped), infos, strip=strip)

    def _nested_zip_listing(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                            stack: ExitStack) -> Listing:
        data = ZipReader(zf, self.max_unzipped).read(info, self.max_unzipped)
        inner = stack.enter_context(open_zip(data))
        check_limits(inner.infolist(), self.max_unzipped)
        return list_zip(ZipReader(inner, self.max_unzipped), inner.infolist())

    # -- reading the modules ---------------------------------------------------

    def plan(self, entries: list[_Entry]) -> LazyDiscovery:
        """Resolve duplicate and colliding ids; the entries in student-id order, not read yet."""
        by_name: dict[str, list[_Entry]] = {}
        for e in entries:
            by_name.setdefault(e.name, []).append(e)
        kept: list[tuple[_Entry, list[str]]] = []
        for name, group in sorted(by_name.items()):
            group.sort(key=lambda e: (e.is_zip, e.origin))     # a folder beats a zip
            first, rest = group[0], [e.origin for e in group[1:]]
            extra = []
            if rest:
                extra.append(f"also found {', '.join(rest)} for you; graded {first.origin} "
                             "and ignored the rest")
                self.notes.append(f"duplicate submission {name!r}: graded {first.origin}, "
                                  f"ignored {', '.join(rest)}")
            kept.append((first, extra))
        ids = self._assign_ids([e.name for e, _ in kept])
        order = sorted(((sid, e, extra) for (e, extra), sid in zip(kept, ids, strict=True)),
                       key=lambda item: item[0])
        return LazyDiscovery(self, order)

    def final_notes(self, found_any: bool) -> None:
        """The notes that need every student read first."""
        if self.clutter:
            where = "1 place" if self.clutter == 1 else f"{self.clutter} places"
            self.notes.append("ignored system clutter (.DS_Store, __MACOSX/, ._* files, "
                              f"__pycache__/, *.pyc, .ipynb_checkpoints/) in {where}")
        if not found_any:
            self.notes.append("no student folders or zips were found")

    def _assign_ids(self, names: list[str]) -> list[str]:
        """Sanitise ids; ids equal up to case get -2, -3... so file names never collide."""
        bases = [sanitise_id(n) for n in names]
        order = sorted(range(len(names)), key=lambda i: (bases[i].casefold(),
                                                          names[i] != bases[i], names[i]))
        ids: list[str | None] = [None] * len(names)
        taken: set[str] = set()
        for i in order:
            if bases[i].casefold() not in taken:
                ids[i] = bases[i]
                taken.add(bases[i].casefold())
        for i in order:
            if ids[i] is None:
                n = 2
                while (new := f"{bases[i][:96]}-{n}").casefold() in taken:
                    n += 1
                ids[i] = new
                taken.add(new.casefold())
                self.notes.append(f"{names[i]!r} would get the same student id as another "
                                  f"submission ({bases[i]!r}); it is graded as {new!r}")
        renamed = [(n, b) for n, b in zip(names, bases, strict=True) if n != b]
        if renamed:
            self.notes.append(f"{len(renamed)} student id(s) were changed to safe file names, "
                              f"e.g. {renamed[0][0]!r} -> {renamed[0][1]!r}")
        return [i for i in ids if i is not None]

    def _submission(self, entry: _Entry, sid: str, extra: list[str], *, record: bool = True) -> Submission:
        """Read one entry; ``record`` adds its run-level notes and clutter (False when read again)."""
        problems = list(extra)
        raw: dict[str, bytes] = {}
        sources: dict[str, str] = {}
        with ExitStack() as stack:          # closes the entry's zips once its modules are read
            listing = self._listing(entry, sid, stack, problems, record)
            found = self._candidates(listing.files)
            self._search_inner_zips(entry, listing, found, stack, problems)
            problems += listing.problems
            self.clutter += listing.clutter if record else 0
            for m in self.modules:
                if m in found:
                    self._read_module(m, sorted(found[m], key=_rank), raw, sources, problems)
        problems += self._missing([m for m in self.modules if m not in found], listing.files)
        return Submission(sid, sources, problems, _fingerprint(raw, problems), entry.origin)

    def _listing(self, entry: _Entry, sid: str, stack: ExitStack, problems: list[str], record: bool) -> Listing:
        tail = "/" if entry.origin.endswith("/") else ""
        name = re.sub(r".*[:/](?=.)", "", entry.origin.rstrip("/")) + tail    # "carol/", "bob.zip"
        try:
            listing = entry.listing(stack)
        except Refused as exc:
            problems.append(f"{name} {exc}")
            if record:
                self.notes.append(f"{sid}: {entry.origin} {exc}")
            return Listing()
        if not listing.files:
            problems.append(f"{name} contains no files")
        return listing

    def _search_inner_zips(self, entry: _Entry, listing: Listing, found: dict[str, list[File]],
                           stack: ExitStack, problems: list[str]) -> None:
        """Look for missing modules in zips inside the entry (e.g. a platform's folder
        holding the student's upload.zip), at most two zip layers deep."""
        missing = [m for m in self.modules if m not in found]
        zips = sorted((f for f in listing.files if _is_zip_name(f.parts[-1])), key=_rank)
        if not (missing and zips):
            return
        if entry.zip_layers >= 2:
            problems.append(f"{zips[0].label} was not opened: a zip inside a zip inside a zip "
                            "is not read; put the .py files in directly")
            return
        for z in zips[:MAX_INNER_ZIPS]:
            try:
                zf = stack.enter_context(open_zip(z.read(self.max_unzipped)))
                check_limits(zf.infolist(), self.max_unzipped)
            except Refused as exc:
                listing.problems.append(f"{z.label} {exc}")
                continue
            inner = list_zip(ZipReader(zf, self.max_unzipped), zf.infolist(),
                             label=f"{z.label}:", under=z.parts)
            listing.files += inner.files
            listing.problems += inner.problems
            listing.clutter |= inner.clutter
            for m, files in self._candidates(inner.files).items():
                if m in missing:
                    found.setdefault(m, []).extend(files)

    def _candidates(self, files: list[File]) -> dict[str, list[File]]:
        wanted = {f"{m}.py": m for m in self.modules}
        found: dict[str, list[File]] = {}
        for f in files:
            if f.parts and f.parts[-1] in wanted:
                found.setdefault(wanted[f.parts[-1]], []).append(f)
        return found

    def _read_module(self, module: str, candidates: list[File], raw: dict[str, bytes],
                     sources: dict[str, str], problems: list[str]) -> None:
        chosen = candidates[0]
        if len(candidates) > 1:
            ignored = ", ".join(c.label if c.label != chosen.label else f"another {c.label}"
                                for c in candidates[1:])
            problems.append(f"found {len(candidates)} files named {module}.py: graded "
                            f"{chosen.label}, ignored {ignored}")
        try:
            data = chosen.read(self.max_module)
        except TooLarge as exc:
            problems.append(f"{chosen.label} {exc}; not graded")
            return
        except Refused as exc:
            problems.append(f"{chosen.label} {exc}")
            return
        raw[module] = data
        text, why = _decode(data)
        if text is None:
            problems.append(f"{chosen.label} {why}")
            return
        sources[module] = text
        if not text.strip():
            problems.append(f"{chosen.label} is empty")

    def _missing(self, missing: list[str], files: list[File]) -> list[str]:
        lines = []
        if missing and len(missing) == len(self.modules):
            looked = ", ".join(f"{m}.py" for m in missing)
            lines.append(f"no exercise files found (looked for {looked}): every test scores 0")
        else:
            lines += [f"no {m}.py found: the tests for {m} score 0" for m in missing]
        for m in missing:
            near = re.compile(rf"{re.escape(m)}[\s_-]*(\(\d+\)|\d+|copy)?\.(py|ipynb|txt|py\.txt)",
                              re.IGNORECASE)
            lines += [f"{f.label} is not graded: the file must be named exactly {m}.py"
                      for f in files if near.fullmatch(f.parts[-1])][:3]
        return lines


# -- helpers -------------------------------------------------------------------

def sanitise_id(raw: str) -> str:
    """Make a safe file name: [A-Za-z0-9._@+-], no leading '.', '_' or '-', at most 100 chars.

    Accents are dropped ("Zoë" -> "Zoe"); a name with nothing usable left ("..",
    "王伟") becomes "student-" plus a short hash of it, so distinct names stay distinct.
    """
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    text = re.sub(r"^[._-]+", "", _UNSAFE_ID_CHARS.sub("_", text))[:100].rstrip("._")
    if text:
        return text
    return "student-" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _fingerprint(raw: dict[str, bytes], problems: list[str]) -> str:
    """sha256 over the modules' raw bytes and the problem lines: equal iff nothing changed."""
    digest = hashlib.sha256()
    for m in sorted(raw):
        digest.update(f"module\0{m}\0{len(raw[m])}\0".encode())
        digest.update(raw[m])
    for p in problems:
        digest.update(f"problem\0{p}\0".encode())
    return digest.hexdigest()


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip") and len(name) > 4


def _rank(f: File) -> tuple[bool, int, str]:
    """Preference among same-named files: inside an exercises/ folder, then shallowest."""
    in_exercises = len(f.parts) > 1 and f.parts[-2].lower() == "exercises"
    return (not in_exercises, len(f.parts), f.label)


def _decode(data: bytes) -> tuple[str | None, str]:
    """Source text with a UTF-8 BOM dropped and CRLF/CR turned into LF, or None and why not."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, "is saved as UTF-16 text; save it as UTF-8"
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, f"is not UTF-8 text (first bad byte on line {line}); save it as UTF-8"
    if "\0" in text:
        return None, "contains NUL bytes, so it is not Python source text"
    return text.replace("\r\n", "\n").replace("\r", "\n"), ""


def _looks_like_student(names: set[tuple[str, ...]], prefix: tuple[str, ...],
                        modules: list[str]) -> bool:
    return any(prefix + (f"{m}.py",) in names or prefix + ("exercises", f"{m}.py") in names
               for m in modules)


def _folder_is_student(path: Path, modules: list[str]) -> bool:
    """True if ``path`` holds module files directly or in an ``exercises/`` folder."""
    def is_file_like(p: Path) -> bool:      # a symlink counts: it is then reported, not read
        try:
            return not stat.S_ISDIR(os.lstat(p).st_mode)
        except OSError:
            return False
    ex = path / "exercises"
    in_ex = ex.is_dir() and not ex.is_symlink()
    return any(is_file_like(path / f"{m}.py") or in_ex and is_file_like(ex / f"{m}.py")
               for m in modules)


def _list_folder(root: Path, _: ExitStack) -> Listing:
    return list_folder(root)

"""Find each student's exercise modules in a downloaded submissions folder or zip.

``discover`` accepts a folder of per-student folders and zips, a platform's bulk
zip of those, or one student's own folder or zip. Student files are untrusted:
nothing is written or modified, symlinks are never followed, zips are read in
memory with hard caps (``grader.ziputil``), and every unusable entry becomes a
plain-words problem line for that student, or a run-level note, never an error.

A student's problems and notes go to their feedback, so they are written in the
course's language (:mod:`grader.i18n`); run-level notes and :class:`InputError`
messages are for the instructor's terminal and stay English.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from grader.errors import InputError
from grader.i18n import t
from grader.notebooks import MAX_NOTEBOOK_BYTES, NotebookError, looks_like_notebook, read_notebook
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
    listed,
    member_parts,
    open_zip,
    open_zip_path,
    raw_parts,
    read_file,
    skip_kind,
)

MAX_INNER_ZIPS = 3                 # zips inside an entry opened when modules are missing
MAX_HELPERS = 8                    # the student's own modules read beside the exercise modules
MAX_NOTEBOOKS = 6                  # notebooks read for the modules no .py file gave

# The course's modules: their names, or module -> function names (then a notebook
# holding functions of several modules can be read too).
Modules = Sequence[str] | Mapping[str, Iterable[str]]
MAX_BULK_MEMBERS = 50 * MAX_MEMBERS


@dataclass
class Submission:
    """One student's exercise modules as found, with plain-words problems for their feedback.

    ``student_id`` is the student's name exactly as given (Unicode NFC), shown in
    every output; ``file_id`` is the safe file name their files are written under
    (the same text wherever that is safe). ``notes`` say how files were read
    (a notebook's cells, a legacy encoding, a renamed file) without being problems;
    ``lms`` holds the identifiers a learning platform's bulk download carried.
    """

    student_id: str
    sources: dict[str, str]
    problems: list[str]
    fingerprint: str
    origin: str
    file_id: str = ""
    notes: list[str] = field(default_factory=list)
    lms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.file_id = self.file_id or safe_file_name(self.student_id)


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
    lms: dict[str, str] = field(default_factory=dict)   # ids from a platform's bulk download

    def __post_init__(self) -> None:
        self.name = unicodedata.normalize("NFC", self.name)   # one spelling per student


def discover(path: Path, modules: Modules, *, max_unzipped_bytes: int = 50 * 2**20,
             max_module_bytes: int = 2**20, others: Mapping[str, str] | None = None) -> Discovery:
    """Find every student's copy of ``modules`` under ``path`` (a folder or a .zip).

    Raises InputError only when ``path`` itself is unusable; anything wrong with
    one student's files is reported in that submission's ``problems``. Reads
    every submission into memory; :func:`discovering` reads one at a time.
    """
    with discovering(path, modules, max_unzipped_bytes=max_unzipped_bytes,
                     max_module_bytes=max_module_bytes, others=others) as found:
        subs = list(found.read())
        return Discovery(subs, found.notes)


@contextmanager
def discovering(path: Path, modules: Modules, *, max_unzipped_bytes: int = 50 * 2**20,
                max_module_bytes: int = 2**20, others: Mapping[str, str] | None = None) -> Iterator[LazyDiscovery]:
    """Like :func:`discover`, but submissions are read only while iterating ``read()``.

    The student ids (and the notes about duplicates and renamed ids) are known at
    once; a class zip stays open until the ``with`` block ends. A bulk run keeps
    one submission's sources in memory at a time, however large the class.
    """
    names = [m.removesuffix(".py") for m in modules]
    if not names or len(set(names)) != len(names) or not all(m.isidentifier() for m in names):
        raise ValueError(f"modules must be distinct Python module names, got {list(modules)!r}")
    functions = {m.removesuffix(".py"): list(fs) for m, fs in modules.items()} if isinstance(modules, Mapping) else {}
    run = _Run(names, max_unzipped_bytes, max_module_bytes, functions, dict(others or {}))
    with ExitStack() as stack:              # keeps a top-level zip open while students are read
        yield run.plan(run.entries(Path(path), stack))


class LazyDiscovery:
    """The students found, in student-id order; their files are read on iteration."""

    def __init__(self, run: _Run, order: list[tuple[str, str, _Entry, list[str]]]) -> None:
        self._run = run
        self._order = order
        self._noted = False
        self.student_ids = [sid for sid, _, _, _ in order]

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
        for sid, fid, entry, extra in self._order:
            if only is not None and sid not in only:
                continue
            yield run._submission(entry, sid, fid, extra, record=record)
        if record and only is None:
            self._noted = True
            run.final_notes(bool(self._order))


class _Run:
    """State of one discovery: limits, run-level notes and the clutter count."""

    def __init__(self, modules: list[str], max_unzipped: int, max_module: int,
                 functions: dict[str, list[str]] | None = None, others: dict[str, str] | None = None) -> None:
        self.modules = modules
        self.others = others or {}  # modules of the course's other assignments -> their assignment
        self.functions = functions or {}  # module -> its functions (to read a notebook of them all)
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
            return self._folder_entries(path, stack)
        if not path.is_file() or path.suffix.lower() != ".zip":
            raise InputError(f"{path} is not a folder or a .zip file")
        try:
            zf = open_zip_path(path, stack, follow=True)
        except Refused as exc:
            raise InputError(f"{path} {exc}") from None
        return self._zip_entries(zf, path.name)

    def _folder_entries(self, root: Path, stack: ExitStack) -> list[_Entry]:
        try:
            with os.scandir(root) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read the folder {root}: {exc.strerror}") from None
        entries: list[_Entry] = []
        canvas: dict[tuple[str, str], list[File]] = {}
        loose: list[str] = []
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
                entries.append(_named_entry(e.name, f"{e.name}/", False, 0,
                                            partial(_list_folder, Path(e.path))))
            elif e.is_file(follow_symlinks=False) and (c := canvas_name(e.name)):
                canvas.setdefault(_canvas_key(c), []).append(
                    File((c.group("file"),), e.name, partial(read_file, Path(e.path))))
            elif e.is_file(follow_symlinks=False) and _is_zip_name(e.name):
                inner = self._bulk_zip_inside(Path(e.path), e.name, stack)
                if inner is not None:
                    entries += inner
                else:
                    entries.append(_Entry(e.name[:-4], e.name, True, 1,
                                          partial(self._zip_file_listing, Path(e.path))))
            else:
                loose.append(e.name)
        entries += _canvas_entries(canvas, "", 0)
        self._loose(loose, "", root.name + "/", found_any=bool(entries))
        return entries

    def _loose(self, names: list[str], where: str, place: str, *, found_any: bool) -> None:
        """Files at the top of a class that are not students: a note, or, when nothing
        there is a student and code files lie loose, an error naming what was expected."""
        code = [n for n in names if n.lower().endswith((".py", ".ipynb"))]
        if code and not found_any:
            raise InputError(f"{place} holds {', '.join(code[:3])}{' and more' if len(code) > 3 else ''} "
                             f"but no student's submission: expected {EXPECTED_LAYOUTS}")
        for n in names:
            self.notes.append(f"skipped {where}{n}: not a student folder or .zip")

    def _bulk_zip_inside(self, path: Path, name: str, stack: ExitStack) -> list[_Entry] | None:
        """A Canvas or Moodle bulk download lying in the class folder: its students, else None."""
        try:
            with ExitStack() as probe:  # closed again unless it is a bulk download: a class of
                infos = open_zip_path(path, probe).infolist()  # student zips keeps no file open
        except Refused:
            return None
        tops = {p[0] for i in infos if (p := member_parts(i.filename)) and skip_kind(p[0], len(p) > 1) is None}
        flat = [p[0] for i in infos if (p := member_parts(i.filename)) and len(p) == 1 and not i.is_dir()]
        if tops and (all(moodle_name(top) for top in tops) or (flat and all(canvas_name(f) for f in flat)
                                                            and len(flat) == len(tops))):
            try:
                return self._zip_entries(open_zip_path(path, stack), name)  # open for the run's life
            except Refused:
                return None
        return None

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
        canvas: dict[tuple[str, str], list[File]] = {}
        entries: list[_Entry] = []
        outside: list[str] = []
        loose: list[str] = []
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
            elif c := canvas_name(raw[0]):
                canvas.setdefault(_canvas_key(c), []).append(
                    File((c.group("file"),), where + raw[0], partial(ZipReader(zf, self.max_unzipped).read, info)))
            elif _is_zip_name(raw[0]):
                entries.append(_Entry(raw[0][:-4], where + raw[0], True, 2,
                                      partial(self._nested_zip_listing, zf, info)))
            else:
                loose.append(raw[0])
        strip = 2 if wrapper else 1
        for key, members in groups.items():
            entries.append(_named_entry(key, f"{where}{key}/", False, 1,
                                        partial(self._group_listing, zf, members, strip)))
        entries += _canvas_entries(canvas, where, 1)
        self._loose(loose, where, where, found_any=bool(entries))
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
            group = _one_per_moodle_participant(group)
            group.sort(key=lambda e: (e.is_zip, e.origin))     # a folder beats a zip
            first, rest = group[0], [e.origin for e in group[1:]]
            extra = []
            if rest:
                extra.append(t("also found {others} for you; graded {graded} and ignored the rest",
                               others=", ".join(rest), graded=first.origin))
                self.notes.append(f"duplicate submission {name!r}: graded {first.origin}, "
                                  f"ignored {', '.join(rest)}")
            kept.append((first, extra))
        file_ids = self._file_ids([e.name for e, _ in kept])
        order = sorted(((e.name, fid, e, extra) for (e, extra), fid in zip(kept, file_ids, strict=True)),
                       key=lambda item: item[0])
        return LazyDiscovery(self, order)

    def final_notes(self, found_any: bool) -> None:
        """The notes that need every student read first."""
        if self.clutter:
            where = "1 place" if self.clutter == 1 else f"{self.clutter} places"
            self.notes.append("ignored system clutter (.DS_Store, __MACOSX/, ._* files, "
                              "__pycache__/, *.pyc, .ipynb_checkpoints/, virtualenv and package "
                              f"folders) in {where}")
        if not found_any:
            self.notes.append("no student folders or zips were found")

    def _file_ids(self, names: list[str]) -> list[str]:
        """Safe file names for the student ids; names equal up to case get -2, -3... (on
        Windows and macOS they would be one file), and each such case is noted."""
        bases = [safe_file_name(n) for n in names]
        order = sorted(range(len(names)), key=lambda i: (bases[i].casefold(), names[i] != bases[i], names[i]))
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
                self.notes.append(f"{names[i]!r} and another student differ only in letter case or in "
                                  f"characters a file name cannot hold; {names[i]!r}'s files are named {new!r}")
        return [i for i in ids if i is not None]

    def _submission(self, entry: _Entry, sid: str, fid: str, extra: list[str], *,
                    record: bool = True) -> Submission:
        """Read one entry; ``record`` adds its run-level notes and clutter (False when read again)."""
        problems = list(extra)
        notes: list[str] = []
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
                    self._read_module(m, sorted(found[m], key=_rank), raw, sources, problems, notes)
            self._read_helpers(listing.files, found, raw, sources, problems, notes)
            self._read_notebooks(listing.files, raw, sources, problems, notes)
        problems += self._missing([m for m in self.modules if m not in found and m not in sources], listing.files)
        return Submission(sid, sources, problems, _fingerprint(raw, problems + notes), entry.origin,
                          file_id=fid, notes=notes, lms=dict(entry.lms))

    def _listing(self, entry: _Entry, sid: str, stack: ExitStack, problems: list[str], record: bool) -> Listing:
        tail = "/" if entry.origin.endswith("/") else ""
        name = re.sub(r".*[:/](?=.)", "", entry.origin.rstrip("/")) + tail    # "carol/", "bob.zip"
        try:
            listing = entry.listing(stack)
        except Refused as exc:
            problems.append(exc.about(name))
            if record:
                self.notes.append(f"{sid}: {entry.origin} {exc}")
            return Listing()
        if not listing.files:
            problems.append(t("{name} contains no files", name=name))
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
            problems.append(t("{name} was not opened: a zip inside a zip inside a zip is not read; "
                              "put the .py files in directly", name=zips[0].label))
            return
        for z in zips[:MAX_INNER_ZIPS]:
            try:
                zf = stack.enter_context(open_zip(z.read(self.max_unzipped)))
                check_limits(zf.infolist(), self.max_unzipped)
            except Refused as exc:
                listing.problems.append(exc.about(z.label))
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
        """The files that may be each module: ``<module>.py``, else a copy's name such as
        ``losses (1).py``, ``losses-2.py`` or ``losses copy.py`` (as browsers and platforms
        rename downloads), which is graded with a note."""
        wanted = {f"{m}.py": m for m in self.modules}
        found: dict[str, list[File]] = {}
        near: dict[str, list[File]] = {}
        for f in files:
            if not f.parts:
                continue
            if f.parts[-1] in wanted:
                found.setdefault(wanted[f.parts[-1]], []).append(f)
            elif (m := _renamed_copy(f.parts[-1], self.modules)) is not None:
                near.setdefault(m, []).append(f)
        for m, fs in near.items():
            found.setdefault(m, fs)
        return found

    def _read_module(self, module: str, candidates: list[File], raw: dict[str, bytes],
                     sources: dict[str, str], problems: list[str], notes: list[str]) -> None:
        chosen = candidates[0]
        if len(candidates) > 1:
            ignored = ", ".join(c.label if c.label != chosen.label else t("another {name}", name=c.label)
                                for c in candidates[1:])
            problems.append(t("found {count} files named {module}.py: graded {graded}, ignored {ignored}",
                              count=len(candidates), module=module, graded=chosen.label, ignored=ignored))
        try:
            data = chosen.read(self.max_module)
        except TooLarge as exc:
            problems.append(t("{problem}; not graded", problem=exc.about(chosen.label)))
            return
        except Refused as exc:
            problems.append(exc.about(chosen.label))
            return
        raw[module] = data
        text, why, note = decode_source(data, chosen.label)
        if text is None:
            problems.append(why)
            return
        if note:
            notes.append(note)
        if chosen.parts[-1] != f"{module}.py":
            notes.append(t("{name} was graded as {module}.py (name your file exactly {module}.py)",
                           name=chosen.label, module=module))
        sources[module] = text
        if not text.strip():
            problems.append(t("{name} is empty", name=chosen.label))

    def _read_helpers(self, files: list[File], found: dict[str, list[File]], raw: dict[str, bytes],
                      sources: dict[str, str], problems: list[str], notes: list[str]) -> None:
        """The student's own modules beside the exercise modules (``helpers.py`` next to
        ``losses.py``): they are importable in the sandbox as ``helpers`` or
        ``exercises.helpers``. Test files, ``conftest.py`` and ``setup.py`` are left out."""
        folders = {sorted(fs, key=_rank)[0].parts[:-1] for m, fs in found.items() if m in sources}
        elsewhere = sorted({f.parts[-1] for f in files if f.parts[:-1] in folders
                            and f.parts[-1].endswith(".py") and f.parts[-1][:-3] in self.others})
        for name in elsewhere:
            notes.append(t("{name} belongs to assignment {assignment}, not this one: not read",
                           name=name, assignment=self.others[name[:-3]]))
        helpers = sorted((f for f in files if f.parts[:-1] in folders and _is_helper_name(f.parts[-1])
                          and f.parts[-1][:-3].lower() not in self.modules and f.parts[-1][:-3] not in sources
                          and f.parts[-1][:-3] not in self.others
                          and _renamed_copy(f.parts[-1], self.modules) is None), key=_rank)
        for f in helpers[:MAX_HELPERS]:
            name = f.parts[-1][:-3]
            if name in sources:
                continue
            try:
                data = f.read(self.max_module)
            except Refused as exc:
                problems.append(t("{problem}; your own module was not read", problem=exc.about(f.label)))
                continue
            text, why, note = decode_source(data, f.label)
            if text is None:
                problems.append(why)
                continue
            raw[name] = data
            sources[name] = text
            if note:
                notes.append(note)
        if len(helpers) > MAX_HELPERS:
            notes.append(t("ignored Python files beyond the first {count} of your own modules: {files}",
                           count=MAX_HELPERS, files=listed([f.label for f in helpers[MAX_HELPERS:]])))

    def _read_notebooks(self, files: list[File], raw: dict[str, bytes], sources: dict[str, str],
                        problems: list[str], notes: list[str]) -> None:
        """Modules no ``.py`` file gave, from the student's notebooks (``losses.ipynb`` for
        one module, any other name for all of them; see :mod:`grader.notebooks`)."""
        missing = [m for m in self.modules if m not in sources]
        books = sorted((f for f in files if looks_like_notebook(f.parts[-1])),
                       key=lambda f: (f.parts[-1][:-6] not in missing, _rank(f)))
        if not missing or not books:
            return
        for f in books[:MAX_NOTEBOOKS]:
            missing = [m for m in self.modules if m not in sources]
            if not missing:
                break
            hint = f.parts[-1][:-6]
            if hint not in self.modules and not self.functions:
                continue
            if hint in self.modules and hint not in missing:
                continue
            try:
                data = f.read(MAX_NOTEBOOK_BYTES)
                book = read_notebook(data, f.label, self.functions or {hint: []},
                                     module_hint=hint if hint in self.modules else None)
            except (Refused, NotebookError) as exc:
                problems.append(exc.about(f.label) if isinstance(exc, Refused) else str(exc))
                continue
            got = [m for m in missing if m in book.sources]
            for m in got:
                sources[m] = book.sources[m]
                raw[m] = book.sources[m].encode("utf-8")
                where = ", ".join(t("cell {number}", number=n) for n in book.cells.get(m, []))
                notes.append(t("{module} was read from {notebook} ({cells})", module=m, notebook=f.label,
                               cells=where) if where else
                             t("{module} was read from {notebook}", module=m, notebook=f.label))
            if got:
                notes.extend(book.notes)

    def _missing(self, missing: list[str], files: list[File]) -> list[str]:
        lines = []
        if missing and len(missing) == len(self.modules):
            looked = ", ".join(f"{m}.py" for m in missing)
            lines.append(t("no exercise files found (looked for {files}): every test scores 0", files=looked))
        else:
            lines += [t("no {module}.py found: the tests for {module} score 0", module=m) for m in missing]
        for m in missing:
            near = re.compile(rf"{re.escape(m)}[\s_-]*(\(\d+\)|\d+|copy)?\.(py|ipynb|txt|py\.txt)",
                              re.IGNORECASE)
            lines += [t("{name} is not graded: the file must be named exactly {module}.py", name=f.label, module=m)
                      for f in files if near.fullmatch(f.parts[-1])][:3]
        return lines


# -- helpers -------------------------------------------------------------------

_UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)


def safe_file_name(student_id: str) -> str:
    """The student id as a file name that is safe on Linux, macOS and Windows.

    Letters of every script stay ("佐藤花子" stays "佐藤花子"); only what a file
    name cannot hold changes: path separators and ``<>:"|?*``, control
    characters, leading dots, trailing dots and spaces, Windows' reserved names,
    and length past 100 characters. A name with nothing left gets "student-"
    and a short hash of it, so distinct names stay distinct.
    """
    text = unicodedata.normalize("NFC", student_id)
    text = _UNSAFE_FILE_CHARS.sub("_", text).lstrip(". ")[:100].rstrip(". ")
    while len(text.encode("utf-8")) > 200:
        text = text[:-1]
    if _RESERVED.fullmatch(text):
        text += "_"
    if text:
        return text
    return "student-" + hashlib.sha256(student_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _fingerprint(raw: dict[str, bytes], problems: list[str]) -> str:
    """sha256 over the modules' raw bytes and the problem lines: equal iff nothing changed."""
    digest = hashlib.sha256()
    for m in sorted(raw):
        digest.update(f"module\0{m}\0{len(raw[m])}\0".encode())
        digest.update(raw[m])
    for p in problems:
        digest.update(f"problem\0{p}\0".encode())
    return digest.hexdigest()


# Canvas "Download Submissions": <login>[_late]_<user id>_<submission id>_<original name>
# (re-uploads of one name get -1, -2 before the extension).
_CANVAS = re.compile(r"(?P<login>[^_/\\]+(?:_[^_/\\]+)*?)(?P<late>_late)?_(?P<uid>\d+)_(?P<subid>\d+)_(?P<file>.+)",
                     re.IGNORECASE)
# Moodle "Download all submissions": <Full Name>_<participant id>_assignsubmission_<plugin>_/
_MOODLE = re.compile(r"(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?")
EXPECTED_LAYOUTS = ("one folder or .zip per student (named by the student), a Canvas \"Download "
                    "Submissions\" zip (login_userid_submissionid_file.py) or a Moodle \"Download all "
                    "submissions\" zip or folder (Full Name_12345_assignsubmission_file_/)")


def canvas_name(name: str) -> re.Match[str] | None:
    """The parts of a Canvas bulk-download file name, or None."""
    return _CANVAS.fullmatch(name)


def moodle_name(name: str) -> tuple[str, dict[str, str]] | None:
    """A Moodle submission folder's student name and ids, or None."""
    m = _MOODLE.fullmatch(name)
    if not m:
        return None
    return m.group("name"), {"platform": "moodle", "participant": m.group("pid"), "plugin": m.group("plugin")}


def _renamed_copy(name: str, modules: list[str]) -> str | None:
    """The module a renamed copy's file name stands for (``losses (1).py`` -> ``losses``)."""
    m = _COPY_NAME.fullmatch(name)
    if m and m.group(1) in modules and m.group(2):
        return m.group(1)
    return None


_COPY_NAME = re.compile(r"([A-Za-z_]\w*?)((?:[\s_-]*(?:\(\d+\)|\d+|copy|コピー))+)\.py", re.IGNORECASE)


def _named_entry(name: str, origin: str, is_zip: bool, layers: int,
                 listing: Callable[[ExitStack], Listing]) -> _Entry:
    """An entry named by a folder: a Moodle submission folder gives the student's name."""
    found = moodle_name(name)
    if found:
        return _Entry(found[0], origin, is_zip, layers, listing, found[1])
    return _Entry(name, origin, is_zip, layers, listing)


def _one_per_moodle_participant(group: list[_Entry]) -> list[_Entry]:
    """Moodle gives a participant one folder per submission plugin (file, onlinetext):
    they are one submission, graded from the file plugin's folder, not duplicates."""
    by_participant: dict[str, list[_Entry]] = {}
    rest = []
    for e in group:
        if e.lms.get("platform") == "moodle":
            by_participant.setdefault(e.lms["participant"], []).append(e)
        else:
            rest.append(e)
    for entries in by_participant.values():
        rest.append(min(entries, key=lambda e: (e.lms.get("plugin") != "file", e.origin)))
    return rest


def _canvas_key(m: re.Match[str]) -> tuple[str, str]:
    return m.group("login"), m.group("uid")


def _canvas_entries(groups: dict[tuple[str, str], list[File]], where: str, layers: int) -> list[_Entry]:
    """One entry per Canvas student (login and user id) from their prefixed files."""
    entries = []
    for (login, uid), files in sorted(groups.items()):
        names = [canvas_name(f.label.rsplit(":", 1)[-1].rsplit("/", 1)[-1]) for f in files]
        late = any(m is not None and m.group("late") for m in names)
        lms = {"platform": "canvas", "user_id": uid, "login": login, "late": "yes" if late else ""}
        entries.append(_Entry(login, f"{where}{login}_{uid}_*", False, layers,
                              partial(_fixed_listing, tuple(files)), lms))
    return entries


def _fixed_listing(files: tuple[File, ...], _: ExitStack) -> Listing:
    return Listing(files=list(files))


def _is_helper_name(name: str) -> bool:
    """A student's own importable module: ``name.py`` with a Python identifier for a name,
    not a test file, ``conftest.py`` or ``setup.py``."""
    stem = name[:-3]
    return (name.endswith(".py") and stem.isidentifier() and not stem.startswith(("test_", "_"))
            and not stem.endswith("_test") and stem not in ("conftest", "setup"))


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip") and len(name) > 4


def _rank(f: File) -> tuple[bool, int, str]:
    """Preference among same-named files: inside an exercises/ folder, then shallowest."""
    in_exercises = len(f.parts) > 1 and f.parts[-2].lower() == "exercises"
    return (not in_exercises, len(f.parts), f.label)


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


def declared_encoding(data: bytes) -> str | None:
    """The encoding a PEP 263 coding line declares (first or second line), if any."""
    lines = data.split(b"\n", 2)[:2]
    for i, line in enumerate(lines):
        m = _CODING.match(line)
        if m:
            return m.group(1).decode("ascii", "replace")
        if i == 0 and not _BLANK_OR_COMMENT.match(line):
            break
    return None


def decode_source(data: bytes, name: str) -> tuple[str | None, str, str]:
    """Source text as Python reads it: ``(text, "", note)`` or ``(None, why not, "")``; the
    problem and the note are sentences about the file ``name``, in the course's language.

    A UTF-8 byte order mark is dropped and CRLF/CR become LF. A PEP 263 coding line
    (``# -*- coding: latin-1 -*-``) is honoured; undeclared text that is not UTF-8
    is tried as cp932 (Shift-JIS, what Japanese Windows editors save), and the
    note says so.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, t("{name} is saved as UTF-16 text; save it as UTF-8", name=name), ""
    note = ""
    declared = declared_encoding(data)
    if declared is not None and not data.startswith(codecs.BOM_UTF8):
        try:
            codec = codecs.lookup(declared)
        except LookupError:
            return None, t("{name} declares an unknown encoding ({encoding!r}) in its coding line",
                           name=name, encoding=declared), ""
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError:
            return None, t("{name} is not valid {encoding} text, although its coding line says so",
                           name=name, encoding=declared), ""
    else:
        try:
            text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("cp932")
            except UnicodeDecodeError:
                line = data.count(b"\n", 0, exc.start) + 1
                return None, t("{name} is not UTF-8 text (first bad byte on line {line}); save it as UTF-8",
                               name=name, line=line), ""
            note = t("{name} was not saved as UTF-8; it was read as Shift-JIS (cp932), as Japanese Windows "
                     "editors save it (save it as UTF-8 to be sure)", name=name)
    if "\0" in text:
        return None, t("{name} contains NUL bytes, so it is not Python source text", name=name), ""
    return text.replace("\r\n", "\n").replace("\r", "\n"), "", note


def _looks_like_student(names: set[tuple[str, ...]], prefix: tuple[str, ...],
                        modules: list[str]) -> bool:
    """Exercise modules (or notebooks) at ``prefix`` or in ``prefix/exercises/``."""
    if any(prefix + (f"{m}.py",) in names or prefix + ("exercises", f"{m}.py") in names for m in modules):
        return True
    n = len(prefix)
    return any(len(p) in (n + 1, n + 2) and p[:n] == prefix and looks_like_notebook(p[-1])
               and (len(p) == n + 1 or p[n] == "exercises") for p in names)


def _folder_is_student(path: Path, modules: list[str]) -> bool:
    """True if ``path`` holds module files directly or in an ``exercises/`` folder."""
    def is_file_like(p: Path) -> bool:      # a symlink counts: it is then reported, not read
        try:
            return not stat.S_ISDIR(os.lstat(p).st_mode)
        except OSError:
            return False
    ex = path / "exercises"
    in_ex = ex.is_dir() and not ex.is_symlink()
    if any(is_file_like(path / f"{m}.py") or in_ex and is_file_like(ex / f"{m}.py") for m in modules):
        return True
    try:
        return any(looks_like_notebook(name) for folder in ([path, ex] if in_ex else [path])
                   for name in os.listdir(folder))
    except OSError:
        return False


def _list_folder(root: Path, _: ExitStack) -> Listing:
    return list_folder(root)

"""Tests for grader.discovery: every accepted shape and every broken or hostile one.

All inputs are built in ``tmp_path`` by the helpers below (real folders, real
zips via ``zipfile``; hostile zips get their headers patched by hand). Each
hostile or broken shape is a named fixture function, so each is a regression
test. ``run`` checks on every call that discovery left the input tree unchanged
and that the result keeps its invariants (valid, unique, sorted ids).
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import re
import stat
import struct
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import pytest

from grader.discovery import Discovery, Submission, discover, safe_file_name
from grader.errors import InputError
from grader.ziputil import MAX_MEMBERS, Refused, TooLarge, ZipReader, read_file

MODULES = ("losses", "derivatives", "regression", "descent", "plots")
FILE_RE = re.compile(r'[^<>:"/\\|?*\x00-\x1f\x7f]{1,100}')  # a file name on Linux, macOS and Windows

# -- fixture builders ------------------------------------------------------------

Members = dict[str, "bytes | str"] | list[tuple[str, "bytes | str"]]


def _b(data: bytes | str) -> bytes:
    return data.encode() if isinstance(data, str) else data


def course(tag: str, folder: str = "", modules: tuple[str, ...] = MODULES) -> dict[str, str]:
    """A complete set of module files, each with recognisable text: ``# tag module``."""
    return {f"{folder}{m}.py": f"# {tag} {m}\n" for m in modules}


def sources(tag: str, modules: tuple[str, ...] = MODULES) -> dict[str, str]:
    """The ``sources`` that ``course(tag)`` should produce."""
    return {m: f"# {tag} {m}\n" for m in modules}


def write_tree(root: Path, files: dict[str, bytes | str]) -> Path:
    """Create ``root`` with the given files (relative paths; parents made as needed)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(_b(data))
    return root


def zip_bytes(members: Members, *, symlinks: dict[str, str] | None = None,
              method: int = zipfile.ZIP_DEFLATED, date: tuple[int, ...] = (2024, 1, 1, 0, 0, 0)
              ) -> bytes:
    """A real zip in memory. Names are written verbatim (``../x``, ``/abs``, ``a\\b`` allowed);
    ``symlinks`` maps member names to link targets stored with S_IFLNK modes."""
    buf = io.BytesIO()
    items = list(members.items()) if isinstance(members, dict) else list(members)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")            # duplicate names are deliberate in one test
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, data in items:
                zf.writestr(zipfile.ZipInfo(name, date), _b(data), compress_type=method)
            for name, target in (symlinks or {}).items():
                info = zipfile.ZipInfo(name, date)
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, target)
    return buf.getvalue()


def write_zip(path: Path, members: Members, **kw: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(members, **kw))  # type: ignore[arg-type]
    return path


def patch_headers(data: bytes, name: str, *, size: int | None = None,
                  flags: int | None = None) -> bytes:
    """Rewrite a member's uncompressed size and/or flag bits in both its local and central
    headers, the way a hand-crafted hostile zip would declare them."""
    out = bytearray(data)
    eocd = data.rindex(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack_from("<HLL", data, eocd + 10)
    pos, hits = cd_offset, 0
    for _ in range(count):
        nlen, elen, clen = struct.unpack_from("<HHH", data, pos + 28)
        local = struct.unpack_from("<L", data, pos + 42)[0]
        if data[pos + 46:pos + 46 + nlen].decode() == name:
            hits += 1
            if size is not None:
                struct.pack_into("<L", out, pos + 24, size)
                struct.pack_into("<L", out, local + 22, size)
            if flags is not None:
                struct.pack_into("<H", out, pos + 8, flags)
                struct.pack_into("<H", out, local + 6, flags)
        pos += 46 + nlen + elen + clen
    assert hits, f"{name} not in zip"
    return bytes(out)


def tree_state(*roots: Path) -> str:
    """Hash names, types, modes, sizes, mtimes, contents and link targets, never following links."""
    h = hashlib.sha256()
    for root in roots:
        h.update(f"{root}|{os.lstat(root).st_mode}\n".encode())
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                p = os.path.join(dirpath, name)
                st = os.lstat(p)
                h.update(f"{p}|{st.st_mode}|{st.st_size}|{st.st_mtime_ns}\n".encode())
                if stat.S_ISLNK(st.st_mode):
                    h.update(os.readlink(p).encode())
                elif stat.S_ISREG(st.st_mode):
                    h.update(Path(p).read_bytes())
    return h.hexdigest()


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@contextmanager
def no_disk_writes() -> Iterator[None]:
    """Fail on any attempt to open a file for writing or to change the file system."""
    real_os_open, real_open = os.open, builtins.open

    def guarded_os_open(path: object, flags: int, *args: object, **kw: object) -> int:
        assert not flags & _WRITE_FLAGS, f"discovery opened {path} for writing"
        return real_os_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    def guarded_open(file: object, mode: str = "r", *args: object, **kw: object) -> object:
        assert not set(mode) & set("wax+"), f"discovery opened {file} for writing"
        return real_open(file, mode, *args, **kw)  # type: ignore[call-overload]

    def refuse(*args: object, **kw: object) -> None:
        raise AssertionError(f"discovery changed the file system: {args}")

    with ExitStack() as stack:
        stack.enter_context(mock.patch("os.open", guarded_os_open))
        stack.enter_context(mock.patch("builtins.open", guarded_open))
        stack.enter_context(mock.patch("io.open", guarded_open))
        for name in ("mkdir", "makedirs", "rename", "replace", "remove", "unlink", "rmdir",
                     "symlink", "link", "chmod", "utime", "truncate", "mkfifo"):
            stack.enter_context(mock.patch(f"os.{name}", refuse))
        yield


def run(path: Path, *also_unchanged: Path, modules: tuple[str, ...] = MODULES,
        **limits: int) -> Discovery:
    """discover(), asserting nothing is written (the folder holding ``path`` and any other
    given trees are byte-for-byte unchanged) and the result keeps its invariants."""
    roots = [path.parent, *also_unchanged]
    before = tree_state(*roots)
    with no_disk_writes():
        found = discover(path, list(modules), **limits)
    assert tree_state(*roots) == before, "discovery changed the input tree"
    ids = [s.student_id for s in found.submissions]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    file_ids = [s.file_id for s in found.submissions]
    assert len({i.casefold() for i in file_ids}) == len(file_ids)   # one file each, on any system
    for s in found.submissions:
        assert unicodedata.is_normalized("NFC", s.student_id)
        assert FILE_RE.fullmatch(s.file_id) and not s.file_id.startswith(".") and s.file_id.strip(". ") == s.file_id
        assert re.fullmatch(r"[0-9a-f]{64}", s.fingerprint)
    return found


def by_id(found: Discovery) -> dict[str, Submission]:
    return {s.student_id: s for s in found.submissions}


def has(lines: list[str], phrase: str) -> bool:
    """True if some line contains the key phrase (case-insensitive)."""
    return any(phrase.lower() in line.lower() for line in lines)


# -- accepted shapes ----------------------------------------------------------------

def test_class_folder_with_every_per_student_shape(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", course("alice"))                                # modules at the top
    write_tree(subs / "bob", course("bob", "exercises/"))                      # in exercises/
    write_tree(subs / "carol", {**course("carol", "lossy-course/exercises/"),  # whole released copy
                                "lossy-course/tests/test_losses.py": "def test(): pass\n",
                                "lossy-course/README.md": "# readme\n",
                                "lossy-course/data/points.csv": "1,2\n"})
    write_zip(subs / "dave.zip", course("dave", "dave/exercises/"))            # wrapping folder
    write_zip(subs / "erin.zip", course("erin"))                               # flat zip
    found = run(subs)
    assert [s.student_id for s in found.submissions] == ["alice", "bob", "carol", "dave", "erin"]
    for s in found.submissions:
        assert s.sources == sources(s.student_id)
        assert s.problems == []
    assert [s.origin for s in found.submissions] == ["alice/", "bob/", "carol/", "dave.zip",
                                                      "erin.zip"]
    assert found.notes == []


def test_prefers_exercises_folder_then_shallowest(tmp_path: Path) -> None:
    """Competing copies: exercises/ wins, then the shallowest; the loser is named."""
    subs = tmp_path / "subs"
    write_tree(subs / "alice", {"losses.py": "top = 1\n",
                                "exercises/losses.py": "chosen = 1\n",
                                "a/b/derivatives.py": "deep = 1\n",
                                "a/derivatives.py": "shallow = 1\n"})
    write_zip(subs / "bob.zip", {"bob/losses.py": "top = 1\n",
                                 "bob/course/exercises/losses.py": "chosen = 1\n"})
    s = by_id(run(subs))
    assert s["alice"].sources == {"losses": "chosen = 1\n", "derivatives": "shallow = 1\n"}
    assert has(s["alice"].problems, "graded exercises/losses.py, ignored losses.py")
    assert has(s["alice"].problems, "graded a/derivatives.py, ignored a/b/derivatives.py")
    assert s["bob"].sources == {"losses": "chosen = 1\n"}
    assert has(s["bob"].problems, "graded bob/course/exercises/losses.py, ignored bob/losses.py")


def test_bulk_zip_with_wrapper_folder_nested_zips_and_strays(tmp_path: Path) -> None:
    """A platform's bulk download: one wrapping folder, student folders and per-student zips."""
    bulk = write_zip(tmp_path / "class.zip", {
        **course("carol", "Assignment 1/carol/exercises/"),
        **course("erin", "Assignment 1/erin/erin-course/exercises/"),
        "Assignment 1/dave.zip": zip_bytes(course("dave", "dave/exercises/")),
        "Assignment 1/frank.zip": zip_bytes(course("frank")),
        "Assignment 1/readme.txt": "downloaded from the platform\n",
        "__MACOSX/Assignment 1/._dave.zip": b"\0\5\26\7 applesingle junk",
    })
    found = run(bulk)
    s = by_id(found)
    assert sorted(s) == ["carol", "dave", "erin", "frank"]
    for sid, sub in s.items():
        assert sub.sources == sources(sid)
        assert sub.problems == []
    assert s["carol"].origin == "class.zip:Assignment 1/carol/"
    assert s["dave"].origin == "class.zip:Assignment 1/dave.zip"
    assert has(found.notes, "skipped class.zip:Assignment 1/readme.txt")
    assert has(found.notes, "clutter")


def test_bulk_zip_without_wrapper(tmp_path: Path) -> None:
    bulk = write_zip(tmp_path / "class.zip", {**course("alice", "alice/"),
                                              "bob.zip": zip_bytes(course("bob", "exercises/"))})
    s = by_id(run(bulk))
    assert {k: v.sources for k, v in s.items()} == {"alice": sources("alice"),
                                                    "bob": sources("bob")}
    assert s["alice"].origin == "class.zip:alice/"
    assert s["bob"].origin == "class.zip:bob.zip"


@pytest.mark.parametrize("folder", ["", "exercises/"])
def test_single_student_folder_is_a_class_of_one(tmp_path: Path, folder: str) -> None:
    student = write_tree(tmp_path / "Zoë Smith", {**course("z", folder), "notes.txt": "hi\n"})
    found = run(student)
    assert [(s.student_id, s.origin) for s in found.submissions] == [("Zoë Smith", "Zoë Smith/")]
    assert found.submissions[0].sources == sources("z")
    assert has(found.notes, "graded as one student's submission")


@pytest.mark.parametrize("prefix", ["", "exercises/", "bob/", "bob/exercises/"])
def test_single_student_zip_is_a_class_of_one(tmp_path: Path, prefix: str) -> None:
    one = write_zip(tmp_path / "bob.zip", {**course("bob", prefix), "__MACOSX/._x": "junk"})
    found = run(one)
    assert [(s.student_id, s.origin) for s in found.submissions] == [("bob", "bob.zip")]
    assert found.submissions[0].sources == sources("bob")


def test_windows_backslash_separators_are_accepted(tmp_path: Path) -> None:
    """Old Windows zip tools write ``exercises\\losses.py``: that is a folder, not a trick."""
    subs = tmp_path / "subs"
    write_zip(subs / "win.zip", {f"exercises\\{m}.py": f"# win {m}\n" for m in MODULES})
    assert by_id(run(subs))["win"].sources == sources("win")


def test_student_folder_holding_their_upload_zip(tmp_path: Path) -> None:
    """Platforms often wrap each student's upload in a folder: folder/upload.zip is opened."""
    subs = tmp_path / "subs"
    write_zip(subs / "alice_123_assignsubmission_file" / "upload.zip",
              course("alice", "alice/exercises/"))
    s = run(subs).submissions[0]
    assert s.student_id == "alice" and s.lms["participant"] == "123"   # Moodle's folder name
    assert s.sources == sources("alice")
    assert s.problems == []


def test_near_miss_names_get_a_hint(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", {"Losses.py": "x = 1\n", "derivatives (1).py": "y = 1\n",
                                "regression.ipynb": "{}", "descent.py": "", "plots.py": "z = 1\n"})
    s = by_id(run(subs))["alice"]
    # A downloaded copy's name is graded, with a note; other near misses get a hint.
    assert s.sources == {"derivatives": "y = 1\n", "descent": "", "plots": "z = 1\n"}
    assert has(s.notes, "derivatives (1).py was graded as derivatives.py")
    assert has(s.problems, "no losses.py found")
    assert has(s.problems, "Losses.py is not graded: the file must be named exactly losses.py")
    assert has(s.problems, "regression.ipynb is not graded")
    assert has(s.problems, "descent.py is empty")


# -- the path itself is unusable ---------------------------------------------------

def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        discover(tmp_path / "nope", MODULES)


@pytest.mark.parametrize("name", ["grades.xlsx", "readme.txt"])
def test_a_file_that_is_not_a_zip_is_an_input_error(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(zip_bytes(course("x")) if name.endswith("xlsx") else b"hello\n")
    with pytest.raises(InputError, match="not a folder or a .zip file"):
        discover(f, MODULES)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", zip_bytes(course("x"))[:-30]],
                         ids=["empty", "text", "truncated"])
def test_corrupt_top_level_zip_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "class.zip"
    f.write_bytes(content)
    with pytest.raises(InputError, match="corrupt or not a zip"):
        discover(f, MODULES)


def test_empty_class_folder_gives_no_submissions_and_a_note(tmp_path: Path) -> None:
    (tmp_path / "subs").mkdir()
    found = run(tmp_path / "subs")
    assert found.submissions == []
    assert has(found.notes, "no student folders or zips")


# -- broken entries -----------------------------------------------------------------

def test_missing_modules_empty_folder_and_zip_without_modules(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", course("alice", modules=MODULES[:4]))
    (subs / "bob").mkdir()
    write_zip(subs / "carol.zip", {"carol/notes.txt": "I did my best\n"})
    write_zip(subs / "dave.zip", {})
    s = by_id(run(subs))
    assert s["alice"].sources == sources("alice", MODULES[:4])
    assert has(s["alice"].problems, "no plots.py found")
    assert s["bob"].sources == {} and has(s["bob"].problems, "bob/ contains no files")
    assert has(s["bob"].problems, "no exercise files found")
    assert s["carol"].sources == {} and has(s["carol"].problems, "no exercise files found")
    assert has(s["dave"].problems, "dave.zip contains no files")


def latin1_module() -> bytes:
    """A module saved as Latin-1 (Windows Notepad's old default): é is byte 0xE9."""
    return "# line 1\n# café\nx = 1\n".encode("latin-1")


def test_non_utf8_module_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", {"losses.py": latin1_module(),
                                "derivatives.py": "# ok\n".encode("utf-16")})
    write_zip(subs / "bob.zip", {"losses.py": latin1_module()})
    s = by_id(run(subs))
    assert s["alice"].sources == {}
    assert has(s["alice"].problems, "losses.py is not UTF-8 text (first bad byte on line 2)")
    assert has(s["alice"].problems, "derivatives.py is saved as UTF-16")
    assert s["bob"].sources == {} and has(s["bob"].problems, "not UTF-8")


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    bom_crlf = b"\xef\xbb\xbfdef f():\r\n    return 'caf\xc3\xa9'\r\n"
    write_tree(subs / "alice", {"losses.py": bom_crlf,
                                "plots.py": b"a = 1\rb = 2\r"})
    write_zip(subs / "bob.zip", {"losses.py": b"\xef\xbb\xbfx = 1\r\n"})
    s = by_id(run(subs))
    assert s["alice"].sources == {"losses": "def f():\n    return 'café'\n",
                                  "plots": "a = 1\nb = 2\n"}
    assert s["bob"].sources == {"losses": "x = 1\n"}


def test_module_over_the_size_limit_is_not_graded(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    big = "x = 1\n" * 100
    write_tree(subs / "alice", {"losses.py": big, "plots.py": "ok = 1\n"})
    write_zip(subs / "bob.zip", {"losses.py": big})
    s = by_id(run(subs, max_module_bytes=500))
    assert s["alice"].sources == {"plots": "ok = 1\n"}
    assert has(s["alice"].problems, "losses.py is larger than 500 bytes; not graded")
    assert s["bob"].sources == {} and has(s["bob"].problems, "larger than 500 bytes")


def clutter_folder(root: Path) -> Path:
    """macOS/Jupyter/Python leftovers that look like modules but must never be graded."""
    return write_tree(root, {".DS_Store": b"\0\0\0\1Bud1", "._losses.py": b"\0\5\26\7mac",
                             "__MACOSX/exercises/losses.py": "mac = 1\n",
                             "__pycache__/losses.py": "cache = 1\n",
                             "__pycache__/losses.cpython-311.pyc": b"\xa7\r\r\n",
                             "exercises/.ipynb_checkpoints/losses.py": "checkpoint = 1\n",
                             "exercises/losses-checkpoint.pyc": b"\0",
                             "exercises/derivatives.py": "real = 1\n"})


def test_clutter_is_never_graded(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    clutter_folder(subs / "alice")
    write_zip(subs / "bob.zip", {"__MACOSX/bob/exercises/._losses.py": b"\0\5\26\7",
                                 "__MACOSX/bob/exercises/losses.py": "mac = 1\n",
                                 "bob/.ipynb_checkpoints/losses.py": "checkpoint = 1\n",
                                 "bob/exercises/derivatives.py": "real = 1\n"})
    (subs / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    found = run(subs)
    for s in found.submissions:
        assert s.sources == {"derivatives": "real = 1\n"}
        assert has(s.problems, "no losses.py found")
    assert has(found.notes, "clutter") and len(found.notes) == 1


def test_stray_top_level_files_are_noted_and_skipped(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"readme.txt": "hi\n", "grades.xlsx": zip_bytes(course("x")),
                      "losses-solution.py.bak": "x\n"})
    write_tree(subs / "alice", course("alice"))
    write_tree(subs / ".git", {"HEAD": "ref: refs/heads/main\n"})
    found = run(subs)
    assert [s.student_id for s in found.submissions] == ["alice"]
    for name in ("readme.txt", "grades.xlsx", "losses-solution.py.bak", ".git"):
        assert has(found.notes, f"skipped {name}")


def test_duplicate_folder_and_zip_grades_the_folder(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", course("folder"))
    write_zip(subs / "alice.zip", course("zip"))
    found = run(subs)
    [alice] = found.submissions
    assert alice.sources == sources("folder") and alice.origin == "alice/"
    assert has(alice.problems, "also found alice.zip")
    assert has(found.notes, "duplicate submission 'alice'")


def test_duplicate_in_a_bulk_zip_grades_the_folder(tmp_path: Path) -> None:
    bulk = write_zip(tmp_path / "class.zip", {**course("folder", "alice/"),
                                              "alice.zip": zip_bytes(course("zip"))})
    found = run(bulk)
    [alice] = found.submissions
    assert alice.sources == sources("folder") and alice.origin == "class.zip:alice/"
    assert has(alice.problems, "also found class.zip:alice.zip")
    assert has(found.notes, "duplicate submission 'alice'")


def awkward_names(subs: Path) -> dict[str, str]:
    """Folders/zips whose names need sanitising, including ones that collide afterwards."""
    names = {"Zoë Smith": "dir", "Zoe Smith": "dir", "Zoe_Smith.zip": "zip", "王伟": "dir",
             "李娜": "dir", "a" * 150: "dir", "...zip": "zip", "ALICE": "dir", "alice": "dir",
             "-rf ~": "dir", "o'brien; rm": "dir"}
    for name, kind in names.items():
        if kind == "zip":
            write_zip(subs / name, course(name.removesuffix(".zip")))
        else:
            write_tree(subs / name, course(name))
    return names


def test_ids_are_sanitised_and_collisions_kept_distinct(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    awkward_names(subs)
    found = run(subs)           # run() checks ids are valid, unique ignoring case, sorted
    ids = {s.origin: s.student_id for s in found.submissions}
    files = {s.origin: s.file_id for s in found.submissions}
    assert len(ids) == 11
    # The student id is the name as given; only what a file name cannot hold changes in file_id.
    for origin, sid in ids.items():
        assert sid == unicodedata.normalize("NFC", origin.removesuffix("/").removesuffix(".zip"))
    assert files["王伟/"] == "王伟" and files["李娜/"] == "李娜"
    assert files["Zoë Smith/"] == "Zoë Smith" and files["Zoe_Smith.zip"] == "Zoe_Smith"
    assert files["a" * 150 + "/"] == "a" * 100
    assert files["...zip"].startswith("student-")      # nothing usable is left of ".."
    assert files["-rf ~/"] == "-rf ~" and files["o'brien; rm/"] == "o'brien; rm"
    assert {files["ALICE/"], files["alice/"]} == {"ALICE", "alice-2"}
    assert has(found.notes, "differ only in letter case")
    for s in found.submissions:            # each still gets its own files
        name = s.origin.removesuffix("/").removesuffix(".zip")
        assert s.sources["losses"] == f"# {name} losses\n"


@pytest.mark.parametrize("raw, want", [("alice", "alice"), ("..", None), ("../../etc", "_.._etc"),
                                       ("a/b\\c", "a_b_c"), ("Åsa Öberg", "Åsa Öberg"), ("佐藤花子", "佐藤花子"),
                                       (".hidden", "hidden"), ("x" * 300, "x" * 100), ("taro_", "taro_"),
                                       ("a@b.c+d-e", "a@b.c+d-e"), ("CON", "CON_"), ("x. ", "x"),
                                       ("what?*", "what_"), ("tab\there", "tab_here")])
def test_safe_file_name(raw: str, want: str | None) -> None:
    got = safe_file_name(raw)
    assert FILE_RE.fullmatch(got) and not got.startswith(".")
    if want is not None:
        assert got == want


def test_corrupt_student_zip_only_costs_that_student(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    (subs / "bob.zip").parent.mkdir(parents=True)
    (subs / "bob.zip").write_bytes(zip_bytes(course("bob"))[:200])
    write_tree(subs / "alice", course("alice"))
    found = run(subs)
    s = by_id(found)
    assert s["alice"].sources == sources("alice")
    assert s["bob"].sources == {} and has(s["bob"].problems, "bob.zip is corrupt")
    assert has(found.notes, "bob: bob.zip is corrupt")


def test_corrupt_member_is_a_problem(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"losses.py": "x = 1\n" * 50, "plots.py": "ok = 1\n"}))
    at = data.index(b"losses.py") + len("losses.py") + 5        # inside the deflated data
    data[at] ^= 0xFF
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "bob.zip").write_bytes(bytes(data))
    bob = run(tmp_path / "subs").submissions[0]
    assert bob.sources == {"plots": "ok = 1\n"}
    assert has(bob.problems, "losses.py could not be read from the zip")


def encrypted_zip() -> bytes:
    """A zip whose members carry the 'encrypted' flag (zipfile cannot write real ZipCrypto)."""
    data = zip_bytes(course("enc"))
    for m in MODULES:
        data = patch_headers(data, f"{m}.py", flags=0x1)
    return data


def test_encrypted_zip_is_refused(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"bob.zip": encrypted_zip()})
    write_tree(subs / "alice", course("alice"))
    s = by_id(run(subs))
    assert s["bob"].sources == {} and has(s["bob"].problems, "bob.zip is password-protected")
    assert s["alice"].sources == sources("alice")


def test_unsupported_compression_is_not_read(tmp_path: Path) -> None:
    """bzip2/LZMA members are refused: zipfile inflates them without an output cap."""
    subs = tmp_path / "subs"
    write_zip(subs / "bob.zip", course("bob"), method=zipfile.ZIP_BZIP2)
    bob = run(subs).submissions[0]
    assert bob.sources == {} and has(bob.problems, "compression method")


# -- zip safety ------------------------------------------------------------------------

def path_escaping_zip() -> bytes:
    """Members named like modules but pointing outside the zip, in every spelling."""
    return zip_bytes({"../losses.py": "evil = 1\n", "/tmp/derivatives.py": "evil = 1\n",
                      "C:/x/regression.py": "evil = 1\n", "..\\descent.py": "evil = 1\n",
                      "exercises/..\\..\\plots.py": "evil = 1\n", "c:plots.py": "evil = 1\n",
                      "notes.txt": "hi\n"})


def test_path_escaping_members_are_never_modules(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"bob.zip": path_escaping_zip()})
    bob = run(subs).submissions[0]
    assert bob.sources == {}
    assert has(bob.problems, "outside the zip: ../losses.py, /tmp/derivatives.py")
    assert has(bob.problems, "and 3 more")


def test_path_escaping_members_in_a_bulk_zip(tmp_path: Path) -> None:
    bulk = write_zip(tmp_path / "class.zip", {**course("alice", "alice/"),
                                              "../losses.py": "evil = 1\n",
                                              "bob/../../derivatives.py": "evil = 1\n",
                                              "bob/exercises/losses.py": "ok = 1\n"})
    found = run(bulk)
    s = by_id(found)
    assert s["alice"].sources == sources("alice")
    assert s["bob"].sources == {"losses": "ok = 1\n"}
    assert has(s["bob"].problems, "outside the zip: bob/../../derivatives.py")
    assert has(found.notes, "outside the zip: ../losses.py")


def symlink_member_zip() -> bytes:
    """A zip whose losses.py is a stored symlink to the instructor's solution."""
    return zip_bytes({"exercises/plots.py": "ok = 1\n"},
                     symlinks={"exercises/losses.py": "../../solutions/losses.py"})


def test_symlink_members_are_ignored(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"bob.zip": symlink_member_zip()})
    bob = run(subs).submissions[0]
    assert bob.sources == {"plots": "ok = 1\n"}
    assert has(bob.problems, "symbolic links stored in the zip: exercises/losses.py")


def declared_size_bomb() -> bytes:
    """A small zip whose headers declare a 4 GB member (a classic bomb shape)."""
    return patch_headers(zip_bytes(course("bomb")), "losses.py", size=2**32 - 1)


def test_declared_size_bomb_is_refused(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"bomb.zip": declared_size_bomb()})
    write_tree(subs / "alice", course("alice"))
    found = run(subs)
    s = by_id(found)
    assert s["bomb"].sources == {}
    assert has(s["bomb"].problems, "bomb.zip would expand to more than 50 MB of Python files; not opened")
    assert has(found.notes, "bomb: bomb.zip would expand to more than 50 MB")
    assert s["alice"].sources == sources("alice")


def test_size_limit_counts_what_would_be_read(tmp_path: Path) -> None:
    """Many modest Python files add up: the zip is refused by their total. Data files and
    virtualenvs beside them are never read, so they never count, however large."""
    subs = tmp_path / "subs"
    data = {f"data/{i}.csv": "0" * 1000 for i in range(5)}
    env = {f"venv/lib/site-packages/pkg{i}.py": "0" * 1000 for i in range(5)}
    write_zip(subs / "ann.zip", {**course("ann"), **data, **env})
    write_zip(subs / "bob.zip", {**course("bob"), **{f"extra/{i}.py": "0" * 1000 for i in range(5)}})
    s = by_id(run(subs, max_unzipped_bytes=4000))
    assert s["ann"].sources == sources("ann")
    assert s["bob"].sources == {} and has(s["bob"].problems, "would expand to more than 3.90625 KB")


def lying_size_bomb() -> bytes:
    """20 MB of zeros deflated to ~20 KB, with headers claiming 100 bytes: passes the declared
    check, so only the capped read stands between it and memory."""
    data = zip_bytes({"losses.py": b"\0" * (20 * 2**20), "plots.py": "ok = 1\n"})
    return patch_headers(data, "losses.py", size=100)


def test_lying_size_bomb_is_cut_off(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs, {"liar.zip": lying_size_bomb()})
    start = time.monotonic()
    liar = run(subs).submissions[0]
    assert time.monotonic() - start < 2
    assert liar.sources == {"plots": "ok = 1\n"}
    assert has(liar.problems, "losses.py could not be read from the zip")


def test_zip_reader_caps_total_bytes_read() -> None:
    """The per-zip budget holds even when each member alone is within its own limit."""
    zf = zipfile.ZipFile(io.BytesIO(zip_bytes({"a.py": "a" * 600, "b.py": "b" * 600})))
    reader = ZipReader(zf, 1000)
    assert reader.read(zf.getinfo("a.py"), 800) == b"a" * 600
    with pytest.raises(TooLarge, match="its zip would expand to more than 1000 bytes"):
        reader.read(zf.getinfo("b.py"), 800)
    with pytest.raises(TooLarge, match="is larger than 500 bytes"):
        ZipReader(zf, 1000).read(zf.getinfo("b.py"), 500)


def test_too_many_members_is_refused(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_zip(subs / "many.zip", [(f"f{i}.py", b"") for i in range(MAX_MEMBERS + 1)],
              method=zipfile.ZIP_STORED)
    many = run(subs).submissions[0]
    assert has(many.problems, f"more than {MAX_MEMBERS:,} Python files")


def test_bomb_nested_in_a_bulk_zip_only_costs_that_student(tmp_path: Path) -> None:
    bulk = write_zip(tmp_path / "class.zip", {"class/bomb.zip": declared_size_bomb(),
                                              "class/liar.zip": lying_size_bomb(),
                                              "class/enc.zip": encrypted_zip(),
                                              "class/evil.zip": path_escaping_zip(),
                                              "class/link.zip": symlink_member_zip(),
                                              "class/broken.zip": b"PK\3\4 not really",
                                              **course("alice", "class/alice/")})
    found = run(bulk)
    s = by_id(found)
    assert s["alice"].sources == sources("alice") and s["alice"].problems == []
    assert has(s["bomb"].problems, "would expand to more than 50 MB")
    assert has(s["liar"].problems, "could not be read")
    assert has(s["enc"].problems, "enc.zip is password-protected")
    assert has(s["evil"].problems, "outside the zip")
    assert has(s["link"].problems, "symbolic links stored in the zip")
    assert has(s["broken"].problems, "broken.zip is corrupt")
    assert all("evil" not in src for sub in s.values() for src in sub.sources.values())


def test_bulk_student_folder_over_the_limit_only_costs_that_student(tmp_path: Path) -> None:
    bulk = write_zip(tmp_path / "class.zip", {**course("alice", "alice/"),
                                              **course("bob", "bob/"), "bob/big.py": "0" * 5000})
    s = by_id(run(bulk, max_unzipped_bytes=4000))
    assert s["alice"].sources == sources("alice")
    assert s["bob"].sources == {} and has(s["bob"].problems, "bob/ would expand to more than")


def test_duplicate_member_names_in_a_zip(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_zip(subs / "bob.zip", [("losses.py", "first = 1\n"), ("losses.py", "second = 1\n")])
    bob = run(subs).submissions[0]
    assert bob.sources in ({"losses": "first = 1\n"}, {"losses": "second = 1\n"})
    assert has(bob.problems, "found 2 files named losses.py")


def test_zip_inside_zip_inside_zip_is_not_opened(tmp_path: Path) -> None:
    inner = zip_bytes({"inner.zip": zip_bytes(course("deep"))})
    bulk = write_zip(tmp_path / "class.zip", {"bob.zip": inner, **course("alice", "alice/")})
    s = by_id(run(bulk))
    assert s["bob"].sources == {}
    assert has(s["bob"].problems, "inner.zip was not opened")


def test_inner_zip_is_read_only_when_modules_are_missing(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", course("plain"))
    write_zip(subs / "alice" / "backup.zip", course("zipped"))
    write_zip(subs / "bob.zip", {"losses.py": "plain = 1\n",
                                 "old.zip": zip_bytes(course("zipped"))})
    s = by_id(run(subs))
    assert s["alice"].sources == sources("plain") and s["alice"].problems == []
    assert s["bob"].sources == {"losses": "plain = 1\n",
                                **{m: f"# zipped {m}\n" for m in MODULES[1:]}}


# -- folder safety ----------------------------------------------------------------------

def test_folder_symlinks_are_never_followed(tmp_path: Path) -> None:
    solutions = write_tree(tmp_path / "instructor" / "solutions",
                           {f"{m}.py": "SECRET = 'solution'\n" for m in MODULES})
    subs = tmp_path / "subs"
    alice = write_tree(subs / "alice", {"plots.py": "mine = 1\n"})
    (alice / "losses.py").symlink_to(solutions / "losses.py")             # file link
    (alice / "exercises").symlink_to(solutions, target_is_directory=True)  # folder link
    (alice / "derivatives.py").symlink_to("../../instructor/solutions/derivatives.py")
    (subs / "mallory").symlink_to(solutions, target_is_directory=True)     # top-level link
    found = run(subs, tmp_path / "instructor")
    s = by_id(found)
    assert list(s) == ["alice"]
    assert s["alice"].sources == {"plots": "mine = 1\n"}
    assert has(s["alice"].problems, "symbolic links (links are never followed): derivatives.py")
    assert has(s["alice"].problems, "exercises")
    assert has(found.notes, "skipped mallory: symbolic links are never followed")


def test_read_file_refuses_symlinks_and_fifos(tmp_path: Path) -> None:
    """Second line of defence if a file is swapped for a link between listing and reading."""
    real = write_tree(tmp_path, {"real.py": "x = 1\n"}) / "real.py"
    (tmp_path / "link.py").symlink_to(real)
    assert read_file(real, 100) == b"x = 1\n"
    with pytest.raises(Refused, match="could not be read"):
        read_file(tmp_path / "link.py", 100)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.py")
        with pytest.raises(Refused, match="not a regular file"):
            read_file(tmp_path / "pipe.py", 100)


def test_single_student_folder_with_symlinked_module(tmp_path: Path) -> None:
    solutions = write_tree(tmp_path / "solutions", {"losses.py": "SECRET = 1\n"})
    alice = write_tree(tmp_path / "alice", {"plots.py": "mine = 1\n"})
    (alice / "losses.py").symlink_to(solutions / "losses.py")
    [s] = run(alice, solutions).submissions
    assert s.student_id == "alice" and s.sources == {"plots": "mine = 1\n"}
    assert has(s.problems, "never followed): losses.py")


def test_depth_limit(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", {"1/2/3/4/5/6/losses.py": "ok = 1\n",
                                "1/2/3/4/5/6/7/plots.py": "too deep\n"})
    write_zip(subs / "bob.zip", {"1/2/3/4/5/6/losses.py": "ok = 1\n",
                                 "1/2/3/4/5/6/7/plots.py": "too deep\n"})
    for s in run(subs).submissions:
        assert s.sources == {"losses": "ok = 1\n"}
        assert has(s.problems, "more than 6")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_fifo_named_like_a_module_is_ignored(tmp_path: Path) -> None:
    """Opening a fifo for reading would block forever; it must not even be opened."""
    alice = write_tree(tmp_path / "subs" / "alice", {"plots.py": "ok = 1\n"})
    os.mkfifo(alice / "losses.py")
    [s] = run(tmp_path / "subs").submissions
    assert s.sources == {"plots": "ok = 1\n"}
    assert has(s.problems, "not regular files: losses.py")


# -- fingerprints ------------------------------------------------------------------------

def test_fingerprint_changes_iff_module_bytes_change(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_tree(subs / "alice", {**course("alice"), "notes.txt": "v1\n"})

    def fp() -> str:
        return run(subs).submissions[0].fingerprint

    first = fp()
    assert fp() == first                                           # stable
    (subs / "alice" / "notes.txt").write_text("v2, longer\n")     # non-module file edited
    (subs / "alice" / "tests").mkdir()
    assert fp() == first
    (subs / "alice" / "losses.py").write_text("# alice losses\n")  # same bytes rewritten
    assert fp() == first
    (subs / "alice" / "losses.py").write_text("# alice losses!\n")
    changed = fp()
    assert changed != first
    (subs / "alice" / "losses.py").write_text("# alice losses\n")
    assert fp() == first                                           # back to the same bytes
    (subs / "alice" / "plots.py").unlink()                         # a module removed
    assert fp() not in (first, changed)


def test_fingerprint_ignores_zip_timestamps_and_container(tmp_path: Path) -> None:
    a = write_zip(tmp_path / "a" / "alice.zip", course("alice"), date=(2024, 1, 1, 0, 0, 0))
    b = write_zip(tmp_path / "b" / "alice.zip", course("alice"), date=(2025, 6, 1, 12, 0, 0))
    c = write_tree(tmp_path / "c" / "alice", course("alice"))
    d = write_zip(tmp_path / "d" / "alice.zip", {**course("alice"), "losses.py": "# other\n"})
    fps = [run(p.parent).submissions[0].fingerprint for p in (a, b, c, d)]
    assert fps[0] == fps[1] == fps[2] != fps[3]


def test_fingerprint_covers_undecodable_modules(tmp_path: Path) -> None:
    """A module that fails to decode still counts: editing it must trigger a regrade."""
    alice = write_tree(tmp_path / "subs" / "alice", {"losses.py": latin1_module()})
    first = run(tmp_path / "subs").submissions[0].fingerprint
    (alice / "losses.py").write_bytes(latin1_module() + b"# \xe9\n")
    assert run(tmp_path / "subs").submissions[0].fingerprint != first


def test_modules_argument_is_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        discover(tmp_path, ["../losses"])
    with pytest.raises(ValueError):
        discover(tmp_path, [])


# -- reading one student at a time (flat memory for big classes) ---------------------------


def test_discovering_reads_each_student_only_when_iterated(tmp_path: Path) -> None:
    from grader.discovery import discovering

    for name in ("amy", "bo", "cy"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "losses.py").write_text(f"WHO = {name!r}\n")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "bo" / ".DS_Store").write_bytes(b"x")
    with discovering(tmp_path, MODULES) as found:
        assert found.student_ids == ["amy", "bo", "cy"] and len(found) == 3
        (tmp_path / "cy" / "losses.py").write_text("WHO = 'changed before it was read'\n")
        first = list(found.read())
        assert [s.student_id for s in first] == ["amy", "bo", "cy"]
        assert "changed before it was read" in first[2].sources["losses"]  # read on iteration, not before
        notes = list(found.notes)
        assert sum("clutter" in n for n in notes) == 1
        again = list(found.read(only={"bo"}))  # a second pass: only those asked for, no new notes
        assert [s.student_id for s in again] == ["bo"] and found.notes == notes
        assert again[0].fingerprint == first[1].fingerprint


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts this process's open files in /proc")
def test_a_class_of_student_zips_keeps_no_zip_open_while_it_is_graded(tmp_path: Path) -> None:
    """Each student's zip is looked at (is it a platform's bulk download?) and closed again: a
    class of 1,000 zips must not hold 1,000 open files for the whole run."""
    from grader.discovery import discovering

    for i in range(40):
        (tmp_path / f"student{i:02d}.zip").write_bytes(zip_bytes({"losses.py": f"WHO = {i}\n"}))
    before = len(os.listdir("/proc/self/fd"))
    with discovering(tmp_path, MODULES) as found:
        assert len(found) == 40
        assert len(os.listdir("/proc/self/fd")) - before < 5
        assert [s.sources["losses"] for s in found.read()][39] == "WHO = 39\n"


def test_nfc_and_nfd_spellings_are_one_student_and_reported(tmp_path: Path) -> None:
    """macOS writes 山田だいち decomposed (NFD): the same student as the composed spelling.
    Both present is a duplicate, reported, never two students or a silent rename."""
    subs = tmp_path / "subs"
    nfc = "山田だいち"
    nfd = unicodedata.normalize("NFD", nfc)
    write_tree(subs / nfd, course("nfd"))
    write_zip(subs / f"{nfc}.zip", course("nfc"))
    found = run(subs)
    assert [s.student_id for s in found.submissions] == [nfc]
    assert found.submissions[0].sources == sources("nfd")          # the folder is graded
    assert has(found.notes, f"duplicate submission {nfc!r}")

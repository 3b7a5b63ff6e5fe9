"""A seccomp filter installed in each submission's process before its code is imported.

Why: namespaces and rlimits (:mod:`grader.sandbox.namespaces`) leave some kernel
state reachable that outlives a submission's processes and is shared by every
submission one worker grades, one after another: kernel keyrings (``add_key``
into the user or session keyring, read back by the next student), System V and
POSIX IPC objects, extended attributes and timestamps of the scratch folder.
They also leave means a numeric exercise never needs: nested namespaces,
``ptrace``, ``memfd_create`` (memory outside RLIMIT_AS), io_uring, BPF, mounts.

What: a classic BPF program (an array of ``struct sock_filter``), built here by
hand with no dependency, that the kernel runs on every system call of the
process and of every process it starts:

* a system call of another ABI (i386 or x32 on x86_64, arm32 on aarch64) kills
  the process: its numbers differ, so the list below would not apply to it;
* the calls in :data:`DENIED` fail with EPERM;
* ``clone`` fails with EPERM when it asks for a new namespace; ``clone3`` fails
  with ENOSYS (its flags are in memory BPF cannot read), so the C library falls
  back to ``clone``; ``personality`` is allowed only as the query
  ``personality(0xffffffff)``;
* everything else is allowed.

The denied numbers are found by a binary search (a few compares per call).
The program is built once, in the worker (:func:`install` in each forked child
is then two ``prctl`` calls, about 0.1 ms). Only x86_64 and aarch64 are supported.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import struct
import sys

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}  # in the order of the number columns
X32_SYSCALL_BIT = 0x40000000

# Flags of clone() that create a namespace. 0x80 is CLONE_NEWTIME for clone3 and
# unshare; in clone() those low bits are the exit signal, and one of 128 or more is
# invalid anyway.
CLONE_NAMESPACES = (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000
                    | 0x10000000 | 0x20000000 | 0x40000000 | 0x80)
PERSONALITY_QUERY = 0xFFFFFFFF

# Syscall numbers as (x86_64, aarch64); None where the architecture has no such call.
# x86_64: <asm/unistd_64.h>; aarch64 uses the generic table, <asm-generic/unistd.h>.
# (tests/test_seccomp.py checks them against those headers where they are installed.)
DENIED: dict[str, tuple[int | None, int | None]] = {
    # kernel keyrings: they outlive the process and are shared with later submissions
    "add_key": (248, 217),
    "request_key": (249, 218),
    "keyctl": (250, 219),
    # System V and POSIX IPC objects outlive the process too
    "shmget": (29, 194),
    "shmat": (30, 196),
    "semget": (64, 190),
    "msgget": (68, 186),
    "mq_open": (240, 180),
    # memory outside RLIMIT_AS
    "memfd_create": (319, 279),
    "memfd_secret": (447, 447),
    # other processes' memory
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "pidfd_getfd": (438, 438),
    # namespaces, mounts and the root
    "unshare": (272, 97),
    "setns": (308, 268),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
    # files' metadata: the scratch folder itself survives a submission, with its
    # timestamps and extended attributes
    "setxattr": (188, 5),
    "lsetxattr": (189, 6),
    "fsetxattr": (190, 7),
    "setxattrat": (463, 463),
    "utime": (132, None),
    "utimes": (235, None),
    "futimesat": (261, None),
    "utimensat": (280, 88),
    "name_to_handle_at": (303, 264),
    "open_by_handle_at": (304, 265),
    "fanotify_init": (300, 262),
    # kernel attack surface a numeric exercise never needs
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "lookup_dcookie": (212, 18),
    # memory placement
    "mbind": (237, 235),
    "set_mempolicy": (238, 237),
    "set_mempolicy_home_node": (450, 450),
    "migrate_pages": (256, 238),
    "move_pages": (279, 239),
    # the machine itself (they need privileges we do not have: fail early and alike)
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "settimeofday": (164, 170),
    "clock_settime": (227, 112),
    "adjtimex": (159, 171),
    "clock_adjtime": (305, 266),
    "acct": (163, 89),
    "quotactl": (179, 60),
    "quotactl_fd": (443, 443),
    "syslog": (103, 116),
    "vhangup": (153, 58),
    "ioperm": (173, None),
    "iopl": (172, None),
    "modify_ldt": (154, None),
    "uselib": (134, None),
}
SPECIAL: dict[str, tuple[int, int]] = {
    "clone": (56, 220),
    "clone3": (435, 435),
    "personality": (135, 92),
}

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
NR_OFFSET, ARCH_OFFSET, ARG0_LOW_OFFSET = 0, 4, 16  # the low half of args[0] (little-endian)

LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS: A = the 32-bit word at offset k
JEQ_K, JGE_K, JSET_K = 0x15, 0x35, 0x45  # BPF_JMP | BPF_JEQ/BPF_JGE/BPF_JSET | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K

RET_KILL_PROCESS = 0x80000000
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000  # | errno

PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS = 38, 39
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

Instruction = tuple[int, int, int, int]  # code, jump if true, jump if false, k
Labelled = tuple[int, int | str, int | str, int] | str  # jumps to labels; a str is a label


class SeccompError(OSError):
    """The filter cannot be installed here; the message is one plain line."""


def machine() -> str:
    """This machine's name as used in :data:`AUDIT_ARCH` ('' where unsupported)."""
    name = platform.machine().lower()
    name = {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)
    if not sys.platform.startswith("linux") or name not in AUDIT_ARCH or sys.byteorder != "little":
        return ""
    return name


def program(arch: str) -> list[Instruction]:
    """The filter for ``arch`` ('x86_64' or 'aarch64') as BPF instructions."""
    column = list(AUDIT_ARCH).index(arch)
    targets = {n: "eperm" for numbers in DENIED.values() if (n := numbers[column]) is not None}
    targets |= {numbers[column]: name for name, numbers in SPECIAL.items()}
    # A jump names its target: a label (str), or 0 for the next instruction.
    code: list[Labelled] = [
        (LD_W_ABS, 0, 0, ARCH_OFFSET),
        (JEQ_K, 0, "kill", AUDIT_ARCH[arch]),
        (LD_W_ABS, 0, 0, NR_OFFSET),
    ]
    if arch == "x86_64":  # x32 calls share the x86_64 arch value, their numbers have this bit
        code.append((JGE_K, "kill", 0, X32_SYSCALL_BIT))
    code += _search(sorted(targets.items()))
    code += [
        "clone", (LD_W_ABS, 0, 0, ARG0_LOW_OFFSET),
        (JSET_K, "eperm", "allow", CLONE_NAMESPACES),
        "personality", (LD_W_ABS, 0, 0, ARG0_LOW_OFFSET),
        (JEQ_K, "allow", "eperm", PERSONALITY_QUERY),
        "clone3", (RET_K, 0, 0, RET_ERRNO | errno.ENOSYS),
        "allow", (RET_K, 0, 0, RET_ALLOW),
        "eperm", (RET_K, 0, 0, RET_ERRNO | errno.EPERM),
        "kill", (RET_K, 0, 0, RET_KILL_PROCESS),
    ]
    return _resolve(code)


def _search(targets: list[tuple[int, str]], prefix: str = "") -> list[Labelled]:
    """A binary search over the sorted system call numbers of ``targets`` (the number is
    in the accumulator): jump to the label of a match, else allow. A few compares per
    call instead of one per number, which also keeps small the kernel's work when the
    filter is installed (it runs the filter once per system call number)."""
    if len(targets) <= 4:
        return [*((JEQ_K, label, 0, n) for n, label in targets), (RET_K, 0, 0, RET_ALLOW)]
    half = len(targets) // 2
    upper = f"{prefix}>={targets[half][0]}"
    return [(JGE_K, upper, 0, targets[half][0]), *_search(targets[:half], prefix + "<"),
            upper, *_search(targets[half:], prefix + ">")]


def _resolve(code: list[Labelled]) -> list[Instruction]:
    """Replace label names by the forward offsets BPF jumps take (0 to 255)."""
    labels: dict[str, int] = {}
    count = 0
    for item in code:
        if isinstance(item, str):
            labels[item] = count
        else:
            count += 1
    out: list[Instruction] = []
    for item in code:
        if isinstance(item, str):
            continue
        op, jt, jf, k = item
        here = len(out)
        offsets = [labels[j] - here - 1 if isinstance(j, str) else j for j in (jt, jf)]
        if not all(0 <= o <= 255 for o in offsets):
            raise ValueError(f"jump out of range at instruction {here}")
        out.append((op, offsets[0], offsets[1], k))
    return out


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class _Prepared:
    """What :func:`install` needs, made once, so that a forked child only makes the calls
    (and touches few of the parent's pages: each one it writes to is copied)."""

    def __init__(self, arch: str) -> None:
        raw = b"".join(struct.pack("=HBBI", *ins) for ins in program(arch))
        self.buffer = ctypes.create_string_buffer(raw, len(raw))  # kept alive with the struct
        self.prog = _SockFprog(len(raw) // 8, ctypes.addressof(self.buffer))
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.prctl = self.libc.prctl
        # Plain small ints and a ready-made pointer: ctypes then makes no object per call.
        self.calls = (("PR_SET_NO_NEW_PRIVS", (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)),
                      ("PR_SET_SECCOMP", (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.prog), 0, 0)))
        self.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)  # binds ctypes' and libffi's symbols here, once


_prepared_once: _Prepared | None = None


def _prepared() -> _Prepared:
    global _prepared_once
    if _prepared_once is None:
        arch = machine()
        if not arch:
            raise SeccompError(errno.ENOSYS, f"unsupported machine ({platform.machine()} {sys.platform})")
        _prepared_once = _Prepared(arch)
    return _prepared_once


def install() -> None:
    """Install the filter in this process, for good (and in every process it starts)."""
    ready = _prepared()
    for what, args in ready.calls:
        if ready.prctl(*args) != 0:
            err = ctypes.get_errno()
            raise SeccompError(err, f"{what}: {os.strerror(err)}")


def available() -> str | None:
    """None when the filter works here, else why not in a few words.

    Decided by a throwaway child: it installs the filter and checks that
    ``keyctl`` and ``memfd_create`` now fail with EPERM while ``getpid`` works.
    """
    try:
        libc = _prepared().libc
    except SeccompError as exc:
        return str(exc.strerror)
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(r)
        os.close(w)
        return f"cannot start the check: {exc.strerror}"
    if pid == 0:
        reason = "the check failed"
        try:
            os.close(r)
            reason = _check(libc)
        finally:
            os.write(w, reason.encode()[:200])
            os._exit(0)
    os.close(w)
    try:
        answer = os.read(r, 512).decode(errors="replace")
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.valid_signals() else f"signal {sig}"
        return f"a process with the filter was killed by {name}"
    return answer or None


def _check(libc: ctypes.CDLL) -> str:
    """In the throwaway child: install and try the filter; '' when it works."""
    try:
        install()
    except SeccompError as exc:
        return str(exc.strerror)
    keyctl = DENIED["keyctl"][list(AUDIT_ARCH).index(machine())] or -1
    libc.syscall.restype = ctypes.c_long
    if libc.syscall(ctypes.c_long(keyctl), 0, -2, 0) != -1 or ctypes.get_errno() != errno.EPERM:
        return "keyctl still works"
    try:
        os.close(os.memfd_create("probe"))
        return "memfd_create still works"
    except PermissionError:
        pass
    except OSError as exc:
        return f"memfd_create: {exc.strerror}"
    if os.getpid() <= 0:
        return "getpid fails"
    return ""

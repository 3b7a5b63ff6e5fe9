"""Linux kernel isolation means, reached through ctypes (Python 3.11 has no os.unshare).

Each function below performs one step and raises :class:`IsolationError` when
the kernel refuses. :func:`isolate` runs the whole set-up for the zygote and
turns every failed step into one plain warning line, carrying on with what is
available (at worst: a separate process with rlimits).

What :func:`isolate` builds, once per zygote:

* new user, mount, network, IPC, UTS and PID namespaces; the calling process
  stays outside as a waiter that relays the exit code, its child is PID 1 of
  the new PID namespace (so ``kill(-1)`` reaches exactly the submission's
  processes, and a submission cannot signal it);
* inside the user namespace uid 0 maps to the caller's uid (or to ``nobody``
  when the caller is root: real root is exempt from RLIMIT_NPROC);
* a new root on a tmpfs with read-only bind mounts of only what Python needs,
  a few device nodes and a size-limited scratch tmpfs; never the project
  directory, /tmp or /home; then ``pivot_root`` and the old root detached;
* no capabilities, no_new_privs, not dumpable; only a down loopback.

Environment: ``GRADER_SANDBOX=rlimits`` skips all of it (separate process and
rlimits only), for tests and for machines where namespaces misbehave.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import sys
import tempfile
from dataclasses import dataclass, field

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME, MS_STRICTATIME = 1024, 2048, 1 << 21, 1 << 24
MNT_DETACH = 2

MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
AT_FDCWD, AT_RECURSIVE = -100, 0x8000

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
# SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE
# and their _LOCKED twins: uid 0 gains nothing on execve, and this cannot be undone.
SECUREBITS_LOCKDOWN = 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x40 | 0x80

_SYSCALLS = {  # machine -> (pivot_root, mount_setattr)
    "x86_64": (155, 442),
    "aarch64": (41, 442),
    "arm64": (41, 442),
}

NOBODY = 65534
SCRATCH = "/scratch"
SYSTEM_PATHS = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin",
                "/etc/ld.so.cache", "/etc/localtime")
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
NEVER_BIND = ("/", "/tmp", "/home", "/root", "/var", "/etc", "/run", "/mnt", "/media", "/srv")


class IsolationError(OSError):
    """One isolation step failed; its message is one plain line."""


_libc: ctypes.CDLL | None = None


def _lib() -> ctypes.CDLL:
    global _libc
    if _libc is None:
        if not sys.platform.startswith("linux"):
            raise IsolationError(errno.ENOSYS, "not Linux")
        # The C library already loaded in this process (as in grader.sandbox.seccomp), not
        # ctypes.util.find_library: that runs ldconfig through subprocess, which imports
        # threading, whose at-fork hook then runs in every child (about 0.3 ms and 120 page faults).
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(ret: int, what: str) -> int:
    if ret < 0:
        err = ctypes.get_errno()
        raise IsolationError(err, f"{what}: {os.strerror(err)}")
    return ret


def _syscall(index: int, *args: object, what: str) -> int:
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        raise IsolationError(errno.ENOSYS, f"{what}: unknown syscall number on {platform.machine()}")
    lib = _lib()
    lib.syscall.restype = ctypes.c_long
    return _check(lib.syscall(ctypes.c_long(numbers[index]), *args), what)


def prctl(option: int, arg: int = 0, what: str = "prctl") -> int:
    lib = _lib()
    return _check(lib.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0),
                            ctypes.c_ulong(0), ctypes.c_ulong(0)), what)


# -- namespaces and identity ----------------------------------------------------------


def unshare(flags: int) -> None:
    """Move this process into new namespaces (PID: its next child is PID 1)."""
    _check(_lib().unshare(ctypes.c_int(flags)), "unshare")


def write_id_maps(pid: int, uid: int, gid: int) -> None:
    """From outside the namespace: map uid/gid 0 inside ``pid``'s user namespace to
    ``uid``/``gid`` outside, and deny setgroups."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1\n"), ("gid_map", f"0 {gid} 1\n")):
        try:
            with open(f"/proc/{pid}/{name}", "w") as f:
                f.write(text)
        except FileNotFoundError:
            if name != "setgroups":  # kernels before 3.19 have no setgroups file
                raise IsolationError(errno.ENOENT, f"{name}: missing") from None
        except OSError as exc:
            raise IsolationError(exc.errno or 0, f"{name}: {exc.strerror}") from None


def become_root_inside() -> None:
    """Take uid/gid 0 of the user namespace (the mapped, unprivileged outside ids)."""
    try:
        os.setresgid(0, 0, 0)
        os.setresuid(0, 0, 0)
    except OSError as exc:
        raise IsolationError(exc.errno or 0, f"setresuid: {exc.strerror}") from None


IPC_LIMITS = {"kernel/shmmni": "0", "kernel/msgmni": "0", "kernel/sem": "0 0 0 0",
              "fs/mqueue/queues_max": "0"}


def forbid_ipc_objects() -> None:
    """In this IPC namespace, allow no System V IPC object and no POSIX message queue:
    they would outlive a submission and carry data to the next one."""
    for name, value in IPC_LIMITS.items():
        try:
            with open(f"/proc/sys/{name}", "w") as f:
                f.write(value)
        except OSError as exc:
            raise IsolationError(exc.errno or 0, f"{name}: {exc.strerror}") from None


def sethostname(name: str) -> None:
    raw = name.encode()
    _check(_lib().sethostname(raw, ctypes.c_size_t(len(raw))), "sethostname")


# -- mounts -------------------------------------------------------------------------------


def _enc(s: str | None) -> bytes | None:
    return s.encode() if s is not None else None


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_lib().mount(_enc(source), _enc(target), _enc(fstype), ctypes.c_ulong(flags), _enc(data)),
           f"mount {target}")


def umount(target: str) -> None:
    """Lazily detach ``target`` (and everything below it)."""
    _check(_lib().umount2(target.encode(), ctypes.c_int(MNT_DETACH)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    _syscall(0, new_root.encode(), put_old.encode(), what="pivot_root")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


_ST_TO_MS = {os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC, os.ST_NOATIME: MS_NOATIME,
             os.ST_NODIRATIME: MS_NODIRATIME, os.ST_RELATIME: MS_RELATIME}


def make_readonly(target: str, *, recursive: bool = True, devices: bool = False) -> None:
    """Make a mount read-only and nosuid (and nodev unless ``devices``)."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | (0 if devices else MOUNT_ATTR_NODEV), 0, 0, 0)
    try:
        _syscall(1, ctypes.c_int(AT_FDCWD), target.encode(), ctypes.c_uint(AT_RECURSIVE if recursive else 0),
                 ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), what=f"mount_setattr {target}")
        return
    except IsolationError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL):
            raise
    # Older kernels: remount the top mount only, keeping the flags the kernel locked.
    st = os.statvfs(target)
    kept = sum(ms for st_flag, ms in _ST_TO_MS.items() if st.f_flag & st_flag)
    if devices:
        kept &= ~MS_NODEV
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | kept)


def mount_tmpfs(target: str, size_bytes: int, mode: int, *, inodes: int = 4096, noexec: bool = False) -> None:
    flags = MS_NOSUID | MS_NODEV | (MS_NOEXEC if noexec else 0)
    mount("tmpfs", target, "tmpfs", flags, f"size={size_bytes},nr_inodes={inodes},mode={mode:o}")


def bind_readonly(source: str, target: str, *, devices: bool = False) -> None:
    """Bind ``source`` (file or directory, with whatever is mounted below it) read-only."""
    try:
        mount(source, target, None, MS_BIND)
        recursive = False
    except IsolationError as exc:
        if exc.errno != errno.EINVAL:  # EINVAL: it has locked submounts, which must come along
            raise
        mount(source, target, None, MS_BIND | MS_REC)
        recursive = True
    make_readonly(target, recursive=recursive, devices=devices)


# -- privileges ---------------------------------------------------------------------------


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Empty the bounding, ambient, effective, permitted and inheritable sets for good."""
    lib = _lib()
    for cap in range(64):
        if lib.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), ctypes.c_ulong(0), ctypes.c_ulong(0),
                     ctypes.c_ulong(0)) < 0:
            err = ctypes.get_errno()
            if err == errno.EINVAL:  # past the last capability this kernel knows
                break
            raise IsolationError(err, f"PR_CAPBSET_DROP: {os.strerror(err)}")
    lib.prctl(PR_CAP_AMBIENT, ctypes.c_ulong(PR_CAP_AMBIENT_CLEAR_ALL), ctypes.c_ulong(0),
              ctypes.c_ulong(0), ctypes.c_ulong(0))
    lib.prctl(PR_SET_SECUREBITS, ctypes.c_ulong(SECUREBITS_LOCKDOWN), ctypes.c_ulong(0),
              ctypes.c_ulong(0), ctypes.c_ulong(0))  # best effort: the bounding set already suffices
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(lib.capset(ctypes.byref(header), data), "capset")


def no_new_privs() -> None:
    prctl(PR_SET_NO_NEW_PRIVS, 1, "PR_SET_NO_NEW_PRIVS")


def set_dumpable(flag: bool) -> None:
    prctl(PR_SET_DUMPABLE, int(flag), "PR_SET_DUMPABLE")


def parent_death_signal(sig: int) -> None:
    prctl(PR_SET_PDEATHSIG, sig, "PR_SET_PDEATHSIG")


def child_subreaper() -> None:
    prctl(PR_SET_CHILD_SUBREAPER, 1, "PR_SET_CHILD_SUBREAPER")


# -- the new root -------------------------------------------------------------------------


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _plan_root(candidates: list[str], protect: list[str],
               allowed: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Decide the bind sources (real paths, outermost only), the symlinks to recreate
    on the way to them, and warnings for candidates refused: nothing that is, holds
    or lies in a protected directory, except the ``allowed`` ones (a venv inside it)."""
    reals: set[str] = set()
    links: dict[str, str] = {}
    refused: list[str] = []
    for cand in candidates:
        cand = os.path.abspath(cand)
        if not os.path.lexists(cand):
            continue
        walked = "/"
        for part in cand.strip("/").split("/"):
            walked = os.path.join(walked, part)
            if os.path.islink(walked):
                links[walked] = os.readlink(walked)
        real = os.path.realpath(cand)
        if not os.path.exists(real):
            continue
        if real in NEVER_BIND or any(
            _inside(p, real) or (_inside(real, p) and not any(_inside(real, a) for a in allowed))
            for p in protect
        ):
            refused.append(f"{cand} is not made visible to submissions (it would expose the project or private files)")
            continue
        reals.add(real)
    kept: list[str] = []
    for real in sorted(reals):
        if not any(_inside(real, k) for k in kept):
            kept.append(real)
    links = {p: t for p, t in links.items()
             if not any(_inside(p, k) for k in kept)
             and not any(q != p and _inside(p, q) for q in links)}
    return kept, links, refused


def build_root(scratch_mb: int, *, protect: list[str], hide: list[str], mapped: bool) -> list[str]:
    """Make a new root of read-only Python essentials plus a scratch tmpfs and
    ``pivot_root`` into it. Returns warnings about paths refused.

    The bind sources are opened first, as the original user (who may be the
    only one able to walk to them, e.g. through /root), then this process takes
    its mapped uid (``mapped``): files in the new tmpfs need an owner that
    exists in the namespace. Mounts then take their source from the open fds.
    """
    prefixes = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]
    candidates = list(SYSTEM_PATHS) + prefixes + [p for p in sys.path if p]
    protect = [os.path.realpath(p) for p in protect]
    venvs = [r for r in map(os.path.realpath, (sys.prefix, sys.exec_prefix)) if r not in protect]
    binds, links, warnings = _plan_root(candidates, protect, venvs)
    hidden = [r for r in map(os.path.realpath, hide)
              if os.path.isdir(r) and any(_inside(r, b) for b in binds)]
    devices = [d for d in DEVICES if os.path.exists(d)]
    fds = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in binds + devices}
    is_dir = {path: os.path.isdir(path) for path in fds}  # later, we may not be able to look
    try:
        if mapped:
            become_root_inside()  # keeps our capabilities inside the namespace
        try:
            forbid_ipc_objects()  # while /proc is still there
        except IsolationError as exc:
            warnings.append(f"submissions graded one after another may pass data through IPC objects ({exc})")
        mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we do here propagates outside
        base = next(m for m in ("/mnt", "/media", "/srv", "/opt", "/tmp", "/var/tmp")
                    if os.path.isdir(m) and not os.path.islink(m) and not any(_inside(b, m) for b in binds))
        mount_tmpfs(base, 4 << 20, 0o755, inodes=16384)
        for src in binds + devices:
            target = base + src
            if is_dir[src]:
                os.makedirs(target, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, "w").close()
            bind_readonly(f"/proc/self/fd/{fds[src]}", target, devices=src in devices)
        for real in hidden:  # e.g. a pip-installed grader/ or solutions/ inside site-packages
            mount_tmpfs(base + real, 4096, 0o000, inodes=1)
            make_readonly(base + real, recursive=False)
    finally:
        for fd in fds.values():
            os.close(fd)
    for path, text in links.items():
        os.makedirs(os.path.dirname(base + path), exist_ok=True)
        os.symlink(text, base + path)
    os.mkdir(base + SCRATCH)
    mount_tmpfs(base + SCRATCH, scratch_mb << 20, 0o1777, noexec=True)
    os.mkdir(base + "/.old")
    pivot_root(base, base + "/.old")
    os.chdir("/")
    umount("/.old")
    os.rmdir("/.old")
    # Directories on the way to a bind (/work/main on the way to its .venv, say) can be
    # walked through but not listed: they show nothing of what they hide on the host.
    for src in binds:
        parent = os.path.dirname(src)
        while parent not in ("/", "/dev"):
            os.chmod(parent, 0o111)
            parent = os.path.dirname(parent)
    make_readonly("/", recursive=False)
    return warnings


# -- the whole set-up ---------------------------------------------------------------------


@dataclass
class Isolation:
    """What :func:`isolate` achieved, for the zygote's own decisions."""

    warnings: list[str] = field(default_factory=list)
    pid_namespace: bool = False  # this process is PID 1: kill(-1) reaches only submissions
    scratch: str = ""
    extra_processes: int = 0  # other processes with the submission's uid that count for RLIMIT_NPROC
    statm_fd: int = -1  # /proc/self/statm of the zygote, opened before the root changed
    scratch_is_temporary: bool = False  # a directory on the real disk, to remove at exit


def _temporary_scratch(iso: Isolation) -> None:
    iso.scratch = tempfile.mkdtemp(prefix="grader-scratch-")
    iso.scratch_is_temporary = True


def _fallback(iso: Isolation, reason: str) -> Isolation:
    iso.warnings.append(f"no namespaces ({reason}): submissions run as a plain child process with rlimits only")
    iso.warnings.append("submissions can read every file this user can read, including solutions/")
    iso.warnings.append("submissions can open network connections")
    iso.warnings.append("submissions can signal other processes of this user")
    iso.warnings.append("the scratch directory's size is not limited")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        iso.warnings.append("running as root: the process limit (RLIMIT_NPROC) does not apply")
    try:
        child_subreaper()  # orphans of a submission come back to us to be killed
    except (IsolationError, OSError) as exc:
        iso.warnings.append(f"cannot collect a submission's orphaned processes ({exc})")
    _temporary_scratch(iso)
    iso.statm_fd = _open_statm()
    return iso


def _open_statm() -> int:
    try:
        return os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return -1


def _relay_child_exit(child: int) -> None:
    """The unsharing parent's whole remaining life: wait for PID 1 and relay its status."""
    os.closerange(3, 1 << 16)
    for step in (become_root_inside, drop_capabilities, no_new_privs, lambda: set_dumpable(False)):
        try:  # count as the unprivileged uid, like everything in here, and hold nothing
            step()
        except (IsolationError, OSError):
            pass
    try:
        _, status = os.waitpid(child, 0)
    except ChildProcessError:
        os._exit(70)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def isolate(scratch_mb: int, *, protect: list[str], hide: list[str]) -> Isolation:
    """Set up every available isolation means for this process (the zygote).

    With namespaces the caller is split in two: this function returns only in
    the new PID 1; the original process waits for it and exits with its status.
    """
    iso = Isolation()
    if os.environ.get("GRADER_SANDBOX", "") == "rlimits":
        return _fallback(iso, "GRADER_SANDBOX=rlimits")
    if not sys.platform.startswith("linux"):
        return _fallback(iso, "not Linux")
    euid, egid = os.geteuid(), os.getegid()
    if euid == 0:
        os.setgroups([])  # nothing of root's groups may come along
    outer_uid, outer_gid = (NOBODY, NOBODY) if euid == 0 else (euid, egid)

    # The id maps must be written from outside the new user namespace: by a helper.
    go_r, go_w = os.pipe()
    helper = os.fork()
    if helper == 0:
        os.close(go_w)
        code = 1
        try:
            if os.read(go_r, 1) == b"1":
                write_id_maps(os.getppid(), outer_uid, outer_gid)
                code = 0
        except BaseException:  # noqa: BLE001 - report by exit code, never return
            code = 2
        os._exit(code)
    os.close(go_r)
    try:
        unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID)
    except IsolationError as exc:
        os.write(go_w, b"0")
        os.close(go_w)
        os.waitpid(helper, 0)
        return _fallback(iso, str(exc))
    os.write(go_w, b"1")
    os.close(go_w)
    _, status = os.waitpid(helper, 0)
    mapped = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    if not mapped:
        iso.warnings.append("could not map user ids into the user namespace: submissions keep this user's id")

    child = os.fork()
    if child != 0:
        _relay_child_exit(child)

    # From here on we are PID 1 of the new PID namespace.
    iso.pid_namespace = os.getpid() == 1
    iso.extra_processes = 2  # the waiting parent and this process share the submission's uid
    if not iso.pid_namespace:
        iso.warnings.append("no PID namespace: submissions can signal other processes of this user")
        child_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as PID 1, a signal without handler is ignored
    iso.statm_fd = _open_statm()
    try:
        iso.warnings.extend(build_root(scratch_mb, protect=protect, hide=hide, mapped=mapped))
        iso.scratch = SCRATCH
    except (IsolationError, OSError, StopIteration) as exc:
        iso.warnings.append(f"no private filesystem ({exc}): submissions can read every file "
                            "this user can read, including solutions/")
        iso.warnings.append("the scratch directory's size is not limited")
    try:
        sethostname("sandbox")
    except IsolationError:
        pass
    steps = [("uid", become_root_inside)] if mapped else []
    steps += [("capabilities", drop_capabilities), ("no_new_privs", no_new_privs),
              ("dumpable", lambda: set_dumpable(False))]
    for name, fn in steps:
        try:
            fn()
        except (IsolationError, OSError) as exc:
            iso.warnings.append(f"could not drop privileges ({name}: {exc})")
    try:  # only now: a change of uid clears it
        parent_death_signal(signal.SIGKILL)
    except IsolationError as exc:
        iso.warnings.append(f"the zygote may outlive its parent ({exc})")
    if not iso.scratch:  # created only now, so that our final uid owns it
        _temporary_scratch(iso)
    return iso

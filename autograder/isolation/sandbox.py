"""Entering the sandbox: what a learner's kernel can see and use, built before any learner code runs.

A kernel process enters its sandbox right after it is forked from the zygote (or, without
preloading, just before ``exec``), with :func:`start`. The sandbox is made of the Linux kernel's
own isolation mechanisms, the ones that bubblewrap and container runtimes use:

* **a control group** of its own (:mod:`.cgroups`): memory, processes and processor time of the
  submission as a whole, its tmpfs files included;
* **a PID namespace** of its own, watched by a keeper outside it (:mod:`.processes`): every
  process it leaves dies with it;
* **a mount namespace and a minimal root**, switched to with ``pivot_root`` and the host's tree
  detached: the system's programs and libraries (``/usr``), a few files of ``/etc`` and an
  ``/etc/passwd`` that names only the kernel's own user, the Python environment and the course's
  Python packages, all read-only; the submission's folder as a private, size-limited copy (writes
  there vanish with the kernel); an empty ``/tmp``; its own socket folder. It does not see
  ``source/``, the gradebook, the exchange, other learners' folders or the instructor's home;
* **a network namespace** with no interface up: no network at all, not even 127.0.0.1; the kernel
  talks to the grader through Unix sockets in its socket folder (ZeroMQ's ``ipc`` transport);
* **IPC and UTS namespaces**, and a ``/proc`` of its own PID namespace;
* **a user id of its own** (no groups, ``no_new_privs``): it cannot signal, trace or read the files
  of the grader or of another kernel;
* **a seccomp filter** (:mod:`.syscall_filter`): no user namespaces, ``ptrace``, ``mount``, kernel
  keyrings, BPF or io_uring;
* **resource limits** (``setrlimit``) of each process: address space, CPU time, file size, open files.

It needs root (or ``CAP_SYS_ADMIN``) in the grader's process; :func:`probe` tells whether it works
here. Time limits per cell and per notebook, and the cap on output, are the grader's side
(:mod:`autograder.preprocessors.grading_execute`).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

from . import cgroups, syscall_filter
from .processes import claim_uid, sandbox_uid, split_keeper
from .settings import Sandbox

#: Files of /etc that programs need (name resolution, time zone, fonts, certificates); the rest of
#: /etc (where configuration with passwords may live) stays out of sight. passwd and group are
#: written for each kernel: the host's would list every learner of the hub.
ETC_FILES = ["nsswitch.conf", "hosts", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts",
             "ssl", "mime.types", "matplotlibrc", "alternatives"]
#: Devices a Python kernel uses.
DEVICES = ["null", "zero", "full", "random", "urandom"]

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS = 38
#: ``pivot_root`` has no C library wrapper: its system call number, by architecture.
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "armv7l": 218, "ppc64le": 203, "s390x": 217, "riscv64": 41}

_libc = ctypes.CDLL(None, use_errno=True)


class SandboxError(RuntimeError):
    """The sandbox could not be set up; the message says which step failed and why."""


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(number)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    _check(_libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)),
           f"mounting {target}")


def _bind(source: str, target: str, writable: bool = False) -> None:
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "w").close()
    _mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (0 if writable else MS_RDONLY)
    _mount(None, target, None, flags)


def _chown_tree(folder: str, uid: int) -> None:
    os.chown(folder, uid, uid)
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            os.lchown(os.path.join(parent, name), uid, uid)


def _pivot_root(root: str) -> None:
    """Make ``root`` the root of this mount namespace and detach the host's tree, which
    ``chroot`` would leave underneath."""
    number = PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise SandboxError(f"pivot_root: this processor architecture ({os.uname().machine}) is not known")
    os.chdir(root)
    _check(_libc.syscall(number, b".", b"."), "switching to the sandbox's root (pivot_root)")
    _check(_libc.umount2(b".", MNT_DETACH), "detaching the host's file system tree")
    os.chdir("/")


def start(policy: dict[str, Any]) -> int:
    """In a fresh kernel process, still root and single-threaded: take the user id of this
    process, join its control group, split off its keeper and become process 1 of a new PID
    namespace, then enter the sandbox. Returns the user id the kernel now runs as. Raises
    :class:`SandboxError` if any step fails: the kernel must then not start."""
    keeper = os.getpid()
    uid = sandbox_uid(keeper)
    try:
        claim_uid(uid)
        if policy.get("cgroup"):
            cgroups.join(policy["cgroup"], keeper, policy["limits"])
        split_keeper()
    except (OSError, RuntimeError) as error:
        raise SandboxError(str(error)) from error
    return enter(policy, uid)


def enter(policy: dict[str, Any], uid: int) -> int:
    """Put the calling process (root, in its own PID namespace) in the sandbox described by
    ``policy`` (see :meth:`Sandbox.policy`), as user ``uid``. Returns ``uid``.

    The steps, in this order: new namespaces and an empty root; the system's read-only folders;
    devices and /proc; the private copy of the submission and the kernel's socket folder; then the
    switch of root, the limits, the user, and the system call filter."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "creating the namespaces")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = _empty_root(policy)
    inside = lambda path: root + os.path.abspath(path)  # noqa: E731
    _system_folders(policy, inside, uid)
    _devices_and_proc(inside)
    log = _submission_and_sockets(policy, inside, uid)
    _pivot_root(root)
    os.chdir(policy["cwd"])
    _drop_privileges(policy["limits"], uid)
    os.environ.clear()
    os.environ.update(policy["env"])
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    return uid


def _empty_root(policy: dict[str, Any]) -> str:
    """A folder of its own next to its socket folder, in the grader's private folder (never a fixed
    name in the shared /tmp), as an empty tmpfs; the grader removes both when the kernel ends."""
    root = root_folder(policy["runtime_dir"])
    os.mkdir(root, 0o700)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755")
    return root


def _system_folders(policy: dict[str, Any], inside: Callable[[str], str], uid: int) -> None:
    """Empty /tmp and /dev/shm, then the system's programs and libraries, the few /etc files, the
    minimal accounts and the readable paths of ``policy``, all read-only."""
    # The empty /tmp first: what is bound below may live under /tmp (a checkout, a test's folder).
    disk = f"size={policy['limits']['disk_mb']}m"
    for folder in ("/tmp", "/dev/shm"):
        os.makedirs(inside(folder), exist_ok=True)
        _mount("tmpfs", inside(folder), "tmpfs", MS_NOSUID | MS_NODEV, f"{disk},mode=1777")
    for name in ("bin", "lib", "lib32", "lib64", "sbin"):
        if os.path.islink(f"/{name}"):
            os.symlink(os.readlink(f"/{name}"), inside(f"/{name}"))
        elif os.path.isdir(f"/{name}"):
            _bind(f"/{name}", inside(f"/{name}"))
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            _bind(os.path.realpath(f"/etc/{name}"), inside(f"/etc/{name}"))
    write_accounts(inside("/etc"), uid)
    for path in policy["readable"]:
        if os.path.exists(path):
            _bind(path, inside(path))


def _devices_and_proc(inside: Callable[[str], str]) -> None:
    """The harmless devices, the standard streams, and a /proc that shows only the kernel's processes."""
    os.makedirs(inside("/dev"), exist_ok=True)
    for device in DEVICES:
        _bind(f"/dev/{device}", inside(f"/dev/{device}"), writable=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, inside(f"/dev/{name}"))
    os.makedirs(inside("/proc"))
    _mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")


def _submission_and_sockets(policy: dict[str, Any], inside: Callable[[str], str], uid: int) -> int:
    """The submission as a private copy (nothing the notebook writes reaches the real folder), the
    kernel's socket folder and the writable paths of ``policy``. Returns the kernel log's descriptor."""
    work = inside(policy["cwd"])
    os.makedirs(work, exist_ok=True)
    _mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV, f"size={policy['limits']['disk_mb']}m,mode=0755")
    shutil.copytree(policy["cwd"], work, symlinks=True, dirs_exist_ok=True)
    _chown_tree(work, uid)
    # What the kernel prints outside of cells goes to its own log, not to the grader's.
    log = os.open(os.path.join(policy["runtime_dir"], "kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    _chown_tree(policy["runtime_dir"], uid)
    _bind(policy["runtime_dir"], inside(policy["runtime_dir"]), writable=True)
    for path in policy["writable"]:
        if os.path.isdir(path):
            _bind(path, inside(path), writable=True)
    return log


def _drop_privileges(limits: dict[str, int], uid: int) -> None:
    """The resource limits, then user ``uid`` with no groups and no way back to more rights, then
    the system call filter."""
    mb = 1024 * 1024
    for limit, value in ((resource.RLIMIT_AS, limits["memory_mb"] * mb), (resource.RLIMIT_NPROC, limits["processes"]),
                         (resource.RLIMIT_CPU, limits["cpu_seconds"]), (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb),
                         (resource.RLIMIT_NOFILE, limits["open_files"]), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "setting no_new_privs")
    try:
        syscall_filter.install()
    except syscall_filter.FilterError as error:
        raise SandboxError(f"loading the system call filter: {error}") from error


def root_folder(runtime_dir: str) -> str:
    """Where the root of the sandbox of the kernel whose socket folder is ``runtime_dir`` is mounted."""
    return runtime_dir.rstrip("/") + ".root"


def write_accounts(etc: str, uid: int) -> None:
    """An /etc/passwd and /etc/group that name root, the kernel's own user and nobody: programs
    that look a user up find one, and no learner of the hub is listed."""
    os.makedirs(etc, exist_ok=True)
    Path(etc, "passwd").write_text(
        "root:x:0:0:root:/root:/usr/sbin/nologin\n"
        f"learner:x:{uid}:{uid}:learner:/tmp:/usr/sbin/nologin\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", encoding="ascii")
    Path(etc, "group").write_text(f"root:x:0:\nlearner:x:{uid}:\nnogroup:x:65534:\n", encoding="ascii")


# --------------------------------------------------------------------------- checking it works here
def probe() -> str | None:
    """None when the sandbox works on this machine, else why not (in words an instructor can act on)."""
    if not sys.platform.startswith("linux"):
        return "the sandbox uses Linux namespaces, and this system is not Linux"
    if os.geteuid() != 0:
        return ("the sandbox needs root rights to create the kernels' namespaces and user ids; "
                "run the grader as root (for example with sudo)")
    try:
        settings = Sandbox(memory_limit=512)
        with tempfile.TemporaryDirectory(prefix="autograder-probe-") as folder:
            work, runtime = Path(folder, "work"), Path(folder, "runtime")
            work.mkdir()
            runtime.mkdir()
            policy = settings.policy(str(work), str(runtime), {}, protected=[folder])
            process = subprocess.Popen([sys.executable, "-m", "autograder.isolation", "--probe", json.dumps(policy)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                _, errors = process.communicate(timeout=60)
            finally:
                cgroups.remove(policy["cgroup"], process.pid)
            log = runtime / "kernel.log"  # inside, standard output goes there
            said = log.read_text() if log.exists() else ""
            if process.returncode != 0 or "sandboxed" not in said:
                detail = ((errors + said).strip().splitlines() or ["no message"])[-1]
                return f"the sandbox could not be created here ({detail})"
    except cgroups.CgroupError as error:
        return str(error)
    return None


def _probe_inside(policy: dict[str, Any]) -> None:
    """Enter the sandbox, then check what it must guarantee (run by :func:`probe`, in a child)."""
    import socket

    start(policy)
    assert os.geteuid() != 0 and os.getcwd() == policy["cwd"] and os.getpid() == 2
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1).close()
    except OSError:
        pass
    else:
        raise SandboxError("the network is still reachable from inside")
    if _libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER
        raise SandboxError("the system call filter lets a user namespace be created")
    print("sandboxed", flush=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m autograder.isolation POLICY -- COMMAND...``: run COMMAND in the sandbox of POLICY
    (a JSON text); used when kernels are not forked from the zygote. ``--probe POLICY`` checks it."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe"]:
        try:
            _probe_inside(json.loads(argv[1]))
        except Exception as error:
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
            sys.exit(1)
        return
    separator = argv.index("--")
    policy, command = json.loads(argv[0]), argv[separator + 1:]
    start(policy)
    os.execvpe(command[0], command, os.environ)

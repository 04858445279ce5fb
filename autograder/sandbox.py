"""The sandbox that every grading kernel runs in: what a learner's notebook can see and use.

A kernel process enters its sandbox right after it is forked from the zygote (or, without
preloading, just before ``exec``), before any learner code runs. The sandbox is made of the Linux
kernel's own isolation mechanisms, the ones that bubblewrap and container runtimes use:

* **a mount namespace and a minimal root** (``chroot`` into a fresh ``tmpfs``): the kernel sees the
  system's programs and libraries (``/usr``), a few files of ``/etc``, the Python environment and
  the course's Python packages, all read-only; the submission's folder as a private, size-limited
  copy (writes there vanish with the kernel); an empty ``/tmp``; its own socket folder. It does not
  see ``source/``, the gradebook, the exchange, the other learners' folders, the instructor's home,
  or anything else;
* **a network namespace** with no interface up: no network at all, not even 127.0.0.1; the kernel
  talks to the grader through Unix sockets in its socket folder (ZeroMQ's ``ipc`` transport);
* **IPC and UTS namespaces**, and a ``/proc`` that shows the kernel's own processes only;
* **a user id of its own** (``SANDBOX_UID_BASE`` + its process id, no groups, ``no_new_privs``):
  it cannot signal, trace or read the files of the grader or of another kernel, and every process
  it leaves behind is killed when it ends (:func:`kill_processes_of`);
* **resource limits** (``setrlimit``): memory (address space), processes and threads, CPU time,
  file size, open files.

It needs root (or ``CAP_SYS_ADMIN``) in the grader's process; :func:`probe` tells whether it works
here. Time limits per cell and per notebook, and the cap on output, are the grader's side
(:mod:`autograder.grading_execute`).
"""

from __future__ import annotations

import ctypes
import fnmatch
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from traitlets import Bool, Integer, List, Unicode
from traitlets.config import LoggingConfigurable

#: User ids of sandboxed kernels are this plus the kernel's process id: one per kernel, far above
#: the ids that systems give to people and to user namespaces (``/etc/subuid`` ranges).
SANDBOX_UID_BASE = 1_900_000_000

#: Files of /etc that programs need (name resolution of users, time zone, fonts, certificates);
#: the rest of /etc (where configuration with passwords may live) stays out of sight.
ETC_FILES = ["passwd", "group", "nsswitch.conf", "hosts", "localtime", "timezone", "ld.so.cache",
             "ld.so.conf", "ld.so.conf.d", "fonts", "ssl", "mime.types", "matplotlibrc", "alternatives"]
#: Devices a Python kernel uses.
DEVICES = ["null", "zero", "full", "random", "urandom"]
#: Environment variables passed into the sandbox (shell patterns); everything else is dropped, so
#: that no password or token of the grader's environment reaches learner code.
DEFAULT_ENVIRONMENT = ["LANG", "LANGUAGE", "LC_*", "TZ", "NBGRADER_*", "MPLBACKEND", "PYTHONHASHSEED",
                       "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "PYDEVD_DISABLE_FILE_VALIDATION"]

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE = 38, 4

_libc = ctypes.CDLL(None, use_errno=True)


class SandboxError(RuntimeError):
    """The sandbox could not be set up; the message says which step failed and why."""


class Sandbox(LoggingConfigurable):
    """Settings of the sandbox of grading kernels (``c.Sandbox.*`` in nbgrader_config.py)."""

    enabled = Bool(
        True,
        help="Run every submission in the sandbox. Turn it off only for submissions you trust "
        "(`autograder grade --no-sandbox` does it for one run, with a warning).",
    ).tag(config=True)
    memory_limit = Integer(2048, help="Address space of each kernel process, in MB (RLIMIT_AS).").tag(config=True)
    process_limit = Integer(
        256, help="Processes and threads that one kernel may have at once, its own included (RLIMIT_NPROC)."
    ).tag(config=True)
    cpu_time_limit = Integer(
        600, help="CPU time of each kernel process, in seconds (RLIMIT_CPU), a backstop behind the time limits."
    ).tag(config=True)
    file_size_limit = Integer(64, help="Largest file a kernel may write, in MB (RLIMIT_FSIZE).").tag(config=True)
    disk_limit = Integer(
        256, help="Size of the kernel's private copy of the submission folder, and of its /tmp, in MB each."
    ).tag(config=True)
    open_files_limit = Integer(1024, help="Open files per kernel process (RLIMIT_NOFILE).").tag(config=True)
    course_packages = List(
        Unicode(), default_value=["modules"],
        help="Python packages of the course that notebooks import (made readable, alone, when they "
        "live in a folder with other files such as the course's sources).",
    ).tag(config=True)
    readable_paths = List(Unicode(), default_value=[], help="More folders or files that kernels may read.").tag(config=True)
    writable_paths = List(
        Unicode(), default_value=[],
        help="Folders that kernels may write into, shared by all submissions (none by default; tests use one). "
        "Each kernel runs as a user of its own: give such a folder the mode 1777, as /tmp has.",
    ).tag(config=True)
    environment = List(
        Unicode(), default_value=DEFAULT_ENVIRONMENT,
        help="Environment variables (shell patterns) passed from the grader to the kernels.",
    ).tag(config=True)

    def policy(self, cwd: str, runtime_dir: str, env: dict[str, str], protected: list[str]) -> dict[str, Any]:
        """What :func:`enter` needs to build the sandbox of one kernel, as a JSON-ready dict.

        cwd: the submission's folder (copied privately into the sandbox); runtime_dir: the kernel's
        own socket folder; env: the environment asked for; protected: folders that must stay out
        of sight (course root, gradebook, exchange, instructor's home)."""
        return {
            "cwd": os.path.abspath(cwd),
            "runtime_dir": os.path.abspath(runtime_dir),
            "readable": readable_paths(protected, self.course_packages) + [os.path.abspath(p) for p in self.readable_paths],
            "writable": [os.path.abspath(p) for p in self.writable_paths],
            "env": self.kernel_environment(env),
            "limits": {
                "memory_mb": self.memory_limit, "processes": self.process_limit, "cpu_seconds": self.cpu_time_limit,
                "file_size_mb": self.file_size_limit, "disk_mb": self.disk_limit, "open_files": self.open_files_limit,
            },
        }

    def kernel_environment(self, env: dict[str, str]) -> dict[str, str]:
        """The allowed part of ``env``, plus a home and a PATH that exist inside the sandbox."""
        kept = {name: value for name, value in env.items() if any(fnmatch.fnmatchcase(name, p) for p in self.environment)}
        kept.update({
            "HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        })
        return kept


# --------------------------------------------------------------------------- what stays readable
def readable_paths(protected: list[str], course_packages: list[str]) -> list[str]:
    """The system folders, the Python environment (interpreter, standard library, installed
    packages) and the course's own packages, without any folder that contains a ``protected`` one.

    Other folders on ``sys.path`` (a project folder on PYTHONPATH, say) are left out: they may hold
    the course's sources; the course packages they provide are added alone."""
    guarded = [os.path.realpath(p) for p in protected if p]
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}

    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip("/") + "/")

    def contains_protected(folder: str) -> bool:
        return any(inside(p, os.path.realpath(folder)) for p in guarded)

    paths = ["/usr"] + [prefix for prefix in prefixes if not contains_protected(prefix)]
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        installed = any(inside(real, prefix) for prefix in prefixes) or os.path.basename(real) in (
            "site-packages", "dist-packages")
        if real and os.path.isdir(real) and installed and not contains_protected(real):
            paths.append(real)
    for name in course_packages:
        paths.extend(package_folders(name))
    unique: list[str] = []
    for path in sorted({os.path.realpath(p) for p in paths}, key=len):
        if not any(inside(path, kept) for kept in unique):
            unique.append(path)
    return unique


def package_folders(name: str) -> list[str]:
    """The folders of the importable package ``name`` (empty when it is not installed)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    return [os.path.realpath(folder) for folder in (spec.submodule_search_locations or [])]


# --------------------------------------------------------------------------- entering the sandbox
def sandbox_uid(pid: int) -> int:
    """The user id of the sandboxed kernel whose process id is ``pid``."""
    return SANDBOX_UID_BASE + pid


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


def enter(policy: dict[str, Any]) -> int:
    """Put the calling process (a fresh kernel, single-threaded, still root) in its sandbox, as
    described by ``policy`` (see :meth:`Sandbox.policy`). Returns the user id it now runs as.
    Raises :class:`SandboxError` if any step fails: the kernel must then not start."""
    uid = sandbox_uid(os.getpid())
    limits = policy["limits"]
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "creating the namespaces")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = os.path.join(tempfile.gettempdir(), "autograder-sandbox-root")
    os.makedirs(root, exist_ok=True)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755")
    inside = lambda path: root + os.path.abspath(path)  # noqa: E731

    # The empty /tmp first: what is bound below may live under /tmp (a checkout, a test's folder).
    disk = f"size={limits['disk_mb']}m"
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
    for path in policy["readable"]:
        if os.path.exists(path):
            _bind(path, inside(path))

    os.makedirs(inside("/dev"), exist_ok=True)
    for device in DEVICES:
        _bind(f"/dev/{device}", inside(f"/dev/{device}"), writable=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, inside(f"/dev/{name}"))
    os.makedirs(inside("/proc"))
    _mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")

    # The submission: a private copy, so that nothing the notebook writes reaches the real folder.
    work = inside(policy["cwd"])
    os.makedirs(work, exist_ok=True)
    _mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV, f"{disk},mode=0755")
    shutil.copytree(policy["cwd"], work, symlinks=True, dirs_exist_ok=True)
    _chown_tree(work, uid)
    # What the kernel prints outside of cells goes to its own log, not to the grader's.
    log = os.open(os.path.join(policy["runtime_dir"], "kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    _chown_tree(policy["runtime_dir"], uid)
    _bind(policy["runtime_dir"], inside(policy["runtime_dir"]), writable=True)
    for path in policy["writable"]:
        if os.path.isdir(path):
            _bind(path, inside(path), writable=True)

    os.chroot(root)
    os.chdir(policy["cwd"])
    mb = 1024 * 1024
    for limit, value in ((resource.RLIMIT_AS, limits["memory_mb"] * mb), (resource.RLIMIT_NPROC, limits["processes"]),
                         (resource.RLIMIT_CPU, limits["cpu_seconds"]), (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb),
                         (resource.RLIMIT_NOFILE, limits["open_files"]), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "setting no_new_privs")
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # /proc/self stays the kernel's own (it is alone in its uid)
    os.environ.clear()
    os.environ.update(policy["env"])
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    return uid


# --------------------------------------------------------------------------- after the kernel
def kill_processes_of(pid: int) -> None:
    """Kill every process left by the sandboxed kernel that had ``pid`` (children it started,
    a fork bomb, some started in a session of their own): all processes of its user id, sent
    SIGKILL by a short-lived process of that same user id (``kill(-1)``), until none is left."""
    if os.geteuid() != 0:
        return
    uid = sandbox_uid(pid)
    for _ in range(50):
        if not processes_of(uid):
            return
        child = os.fork()
        if child == 0:  # only system calls here: the grader may have threads
            try:
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)  # every process of this user but the caller
            finally:
                os._exit(0)
        try:
            os.waitpid(child, 0)
        except ChildProcessError:  # collected already by a SIGCHLD handler (the zygote's)
            pass


def processes_of(uid: int) -> list[int]:
    """The process ids whose owner is ``uid`` and that still run (from /proc; zombies, already
    dead and only waiting for their parent to collect them, are left out)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    with open(f"/proc/{name}/stat", "rb") as stat:
                        state = stat.read().rsplit(b")", 1)[1].split()[0]
                    if state not in (b"Z", b"X"):
                        found.append(int(name))
            except (OSError, IndexError):  # ended meanwhile
                pass
    return found


def probe() -> str | None:
    """None when the sandbox works on this machine, else why not (in words an instructor can act on)."""
    if not sys.platform.startswith("linux"):
        return "the sandbox uses Linux namespaces, and this system is not Linux"
    if os.geteuid() != 0:
        return ("the sandbox needs root rights to create the kernels' namespaces and user ids; "
                "run the grader as root (for example with sudo)")
    with tempfile.TemporaryDirectory(prefix="autograder-probe-") as folder:
        work, runtime = Path(folder, "work"), Path(folder, "runtime")
        work.mkdir()
        runtime.mkdir()
        policy = Sandbox(memory_limit=512).policy(str(work), str(runtime), {}, protected=[folder])
        done = subprocess.run([sys.executable, "-m", "autograder.sandbox", "--probe", json.dumps(policy)],
                              capture_output=True, text=True, timeout=60)
        log = runtime / "kernel.log"  # inside, standard output goes there
        if done.returncode != 0 or not log.exists() or "sandboxed" not in log.read_text():
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return f"the sandbox could not be created here ({detail})"
    return None


def _probe_inside(policy: dict[str, Any]) -> None:
    """Enter the sandbox, then check what it must guarantee (run by :func:`probe`, in a child)."""
    import socket

    enter(policy)
    assert os.geteuid() != 0 and os.getcwd() == policy["cwd"]
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1).close()
    except OSError:
        pass
    else:
        raise SandboxError("the network is still reachable from inside")
    print("sandboxed", flush=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m autograder.sandbox POLICY -- COMMAND...``: run COMMAND in the sandbox of POLICY
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
    enter(policy)
    os.execvpe(command[0], command, os.environ)


if __name__ == "__main__":
    main()

"""The processes of sandboxed kernels: their user ids, their PID namespace, and what is left of them.

Each kernel runs as a user of its own, ``SANDBOX_UID_BASE`` + the process id of its *keeper*: the
process the grader started or the zygote forked, which stays outside the kernel's PID namespace,
waits for the kernel and ends with it (:func:`split_keeper`). While the keeper lives, no other
kernel can have its user id. Three layers make sure nothing outlives a kernel:

* the kernel runs in a PID namespace of its own, under a small init process that ends with it:
  then Linux kills every process it left, daemons in sessions of their own included;
* its control group is killed and removed by the grader (:mod:`autograder.isolation.cgroups`);
* its user id is swept (:func:`kill_processes_of`), and a keeper that finds processes under the id
  it is about to use kills them first and refuses to go on if any is left (:func:`claim_uid`);
  at the start of a grading run, processes under a sandbox id whose keeper is gone are killed
  (:func:`sweep_leftovers`).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal

#: User ids of sandboxed kernels are this plus their keeper's process id: one per kernel, far above
#: the ids that systems give to people and to user namespaces (``/etc/subuid`` ranges).
SANDBOX_UID_BASE = 1_900_000_000
#: The largest process id Linux allows (``pid_max`` can be raised up to it).
PID_MAX_LIMIT = 4_194_304
CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1

_libc = ctypes.CDLL(None, use_errno=True)


class LeftoverProcessError(RuntimeError):
    """Processes of an earlier kernel still hold the user id a new kernel needs."""


def sandbox_uid(keeper_pid: int) -> int:
    """The user id of the sandboxed kernel whose keeper has the process id ``keeper_pid``."""
    return SANDBOX_UID_BASE + keeper_pid


def is_sandbox_uid(uid: int) -> bool:
    return SANDBOX_UID_BASE <= uid < SANDBOX_UID_BASE + PID_MAX_LIMIT


def processes_of(uid: int) -> list[int]:
    """The process ids whose owner is ``uid`` and that still run (from /proc; zombies, already
    dead and only waiting for their parent to collect them, are left out)."""
    return [pid for pid, owner in _running() if owner == uid]


def _running() -> list[tuple[int, int]]:
    """(pid, owner uid) of every process that runs, zombies left out."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                owner = os.stat(f"/proc/{name}").st_uid
                with open(f"/proc/{name}/stat", "rb") as stat:
                    state = stat.read().rsplit(b")", 1)[1].split()[0]
                if state not in (b"Z", b"X"):
                    found.append((int(name), owner))
            except (OSError, IndexError):  # ended meanwhile
                pass
    return found


def kill_processes_of(uid: int) -> None:
    """Kill every process of user ``uid`` (children a kernel started, a fork bomb, daemons in
    sessions of their own), by a short-lived process of that same user id sending ``kill(-1)``,
    until none is left. Needs root; does nothing otherwise."""
    if os.geteuid() != 0:
        return
    for _ in range(50):
        if not processes_of(uid):
            return
        child = os.fork()
        if child == 0:  # only system calls here: the caller may have threads
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


def claim_uid(uid: int) -> None:
    """Make sure no process runs as ``uid`` before a new kernel takes it: any that does is left by
    an earlier kernel whose keeper had the same process id; it is killed. Raises
    :class:`LeftoverProcessError` if one survives."""
    if not processes_of(uid):  # the usual case: one look at /proc per kernel
        return
    kill_processes_of(uid)
    left = processes_of(uid)
    if left:
        raise LeftoverProcessError(f"processes {left} of an earlier kernel still run as user {uid} and could not "
                                   "be stopped; the kernel was not started")


def ancestors(pid: int) -> list[int]:
    """The parent, grandparent… of ``pid`` up to process 1 (empty when ``pid`` has ended)."""
    chain = []
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                pid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
        chain.append(pid)
    return chain


def sweep_leftovers() -> list[int]:
    """Kill the processes that run under a sandbox user id whose keeper is not their ancestor (the
    keeper ended, a grader was killed): left by an earlier run. Kernels of another grading run
    that is still going are descendants of their keepers, and stay. Returns the ids killed."""
    killed = []
    for pid, owner in _running():
        if is_sandbox_uid(owner) and owner - SANDBOX_UID_BASE not in ancestors(pid):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
    return killed


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent exits."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def split_keeper() -> int:
    """Fork the kernel into a PID namespace of its own, under a small init process. Returns the
    keeper's process id in the kernel (the caller goes on to become the kernel, process 2 of the
    namespace). In the keeper and the init, never returns: the init (process 1) collects the
    processes the kernel leaves and exits with the kernel, which makes Linux kill everything left in
    the namespace; the keeper, outside, waits for the init and exits as the kernel did."""
    keeper = os.getpid()
    if _libc.unshare(CLONE_NEWPID) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"creating the kernel's PID namespace: {os.strerror(number)}")
    alive, held = os.pipe()  # the keeper holds `held` open as long as it lives
    init = os.fork()
    if init == 0:
        os.close(held)
        die_with_parent()
        readable, _, _ = select.select([alive], [], [], 0)
        if readable:  # end of file: the keeper died before the line above could take effect
            os._exit(1)
        os.close(alive)
        kernel = os.fork()
        if kernel == 0:
            die_with_parent()  # and if the init is gone already, the namespace is gone with it
            return keeper
        _collect(kernel)
    os.close(alive)
    _keep(init)


def _exit_as(status: int) -> None:
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _collect(kernel: int) -> None:
    """Process 1 of the kernel's namespace: collect every process that ends (orphans come to it),
    and exit as the kernel does."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, signal.SIG_IGN)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
        if pid == kernel:
            _exit_as(status)


def _keep(init: int) -> None:
    """The keeper: interrupts sent to the kernel's process group reach the kernel itself; a
    termination is passed on as a kill; exits as the kernel did."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(init, signal.SIGKILL))
    signal.signal(signal.SIGHUP, lambda *_: os.kill(init, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(init, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
    _exit_as(status)

"""One control group per grading kernel: limits that hold for a submission as a whole.

Resource limits (``setrlimit``) count one process at a time, and the tmpfs folders of the sandbox
hold files in memory that no process's address space shows: twelve processes of 900 MB each all
lived under a 2 GB ``RLIMIT_AS``. A control group counts every process of the kernel, every page
they use and every page of the files they write in their tmpfs folders, together:

* **memory** (``memory.max``, v1 ``memory.limit_in_bytes``), swap included: past it, the kernel's
  largest process is stopped by Linux, and :func:`limit_hit` tells the grader, which says so;
* **processes and threads** (``pids.max``);
* **processor time** (``cpu.max``, v1 ``cpu.cfs_quota_us``): at most ``cpu_cores`` cores at once.

Both hierarchies are handled: cgroup v2, which current hosts use, and v1 (its ``memory``, ``pids``
and ``cpu`` controllers, each with a folder of its own). The grader computes the parent once
(:func:`kernels_parent`); each kernel process joins ``kernel-<pid>`` under it (:func:`join`) before
it enters the rest of its sandbox, and the grader kills what is left and removes the group when the
kernel ends (:func:`remove`). ``CGROUP_ROOT`` can be pointed elsewhere by tests, which check the
files written for both versions.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from functools import lru_cache
from typing import Any

#: Where the cgroup file systems are mounted.
CGROUP_ROOT = "/sys/fs/cgroup"
#: The v1 controllers used, each mounted in a folder of its own; memory and pids are required.
V1_CONTROLLERS = ("memory", "pids", "cpu")
REQUIRED = ("memory", "pids")
#: The folder under the parent that holds the kernels' groups.
KERNELS = "autograder-kernels"
#: The period of the CPU quota, in microseconds (the kernel's usual default).
CPU_PERIOD = 100_000


class CgroupError(RuntimeError):
    """Control groups cannot be used as the sandbox needs; the message says what to do."""


def version(root: str | None = None) -> int | None:
    """2 when ``root`` is a cgroup v2 mount with memory and pids, 1 when the v1 memory and pids
    controllers are mounted under it, else None."""
    root = root or CGROUP_ROOT
    controllers = os.path.join(root, "cgroup.controllers")
    if os.path.exists(controllers):
        available = _read(controllers).split()
        return 2 if all(name in available for name in REQUIRED) else None
    if all(os.path.exists(os.path.join(root, name, "cgroup.procs")) for name in REQUIRED):
        return 1
    return None


def own_path(controller: str | None, pid: str = "self") -> str:
    """The path of the control group of process ``pid`` in the v1 hierarchy of ``controller``, or
    in the v2 hierarchy (``controller`` None), from /proc/<pid>/cgroup."""
    for line in _read(f"/proc/{pid}/cgroup").splitlines():
        number, names, path = line.split(":", 2)
        if (controller is None and number == "0" and names == "") or (controller and controller in names.split(",")):
            return path
    return "/"


@lru_cache(maxsize=8)
def kernels_parent(configured: str = "", root: str | None = None) -> dict[str, Any]:
    """Create (if need be) the group under which kernels get theirs; return where it is, as a
    JSON-ready dict ``{"version": 1 or 2, "groups": {controller: folder}}`` (v2: one folder, under
    the name "unified").

    Without ``configured``: under v2, a sibling of the grader's own group (a group that has
    processes may not hand controllers to its children); under v1, inside the grader's own group."""
    root = root or CGROUP_ROOT
    found = version(root)
    if found is None:
        raise CgroupError(
            f"no cgroup v2 file system with the memory and pids controllers, nor the v1 memory and pids "
            f"controllers, is mounted at {root}: the sandbox needs them to limit a submission as a whole")
    try:
        if found == 2:
            parent = configured or os.path.dirname(own_path(None).rstrip("/")) or "/"
            folder = _make(os.path.join(root, parent.lstrip("/"), KERNELS))
            wanted = [name for name in ("memory", "pids", "cpu")
                      if name in _read(os.path.join(folder, "cgroup.controllers")).split()]
            _write(os.path.join(folder, "cgroup.subtree_control"), " ".join(f"+{name}" for name in wanted))
            return {"version": 2, "groups": {"unified": folder}}
        groups = {}
        for controller in V1_CONTROLLERS:
            if os.path.exists(os.path.join(root, controller, "cgroup.procs")):
                parent = configured or own_path(controller)
                groups[controller] = _make(os.path.join(root, controller, parent.lstrip("/"), KERNELS))
        return {"version": 1, "groups": groups}
    except OSError as error:
        raise CgroupError(f"the sandbox could not create its control group ({error}); run the grader as root, or "
                          "set c.Sandbox.cgroup_parent to a control group delegated to it") from error


def kernel_folders(parent: dict[str, Any] | None, pid: int) -> dict[str, str]:
    """The folders of the group of the kernel whose (host) process id is ``pid``, by controller."""
    groups = (parent or {}).get("groups", {})
    return {controller: os.path.join(folder, f"kernel-{pid}") for controller, folder in groups.items()}


def settings(controller: str, limits: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(file, value, required) to write in a kernel's group of ``controller`` ("unified" for v2)."""
    memory = str(int(limits["memory_mb"]) * 1024 * 1024)
    cores = float(limits.get("cpu_cores") or 0)
    quota = str(max(1000, int(cores * CPU_PERIOD)))
    if controller == "unified":
        return [("memory.max", memory, True), ("memory.swap.max", "0", False),
                ("pids.max", str(limits["processes"]), True)] + (
            [("cpu.max", f"{quota} {CPU_PERIOD}", False)] if cores else [])
    if controller == "memory":
        return [("memory.limit_in_bytes", memory, True), ("memory.memsw.limit_in_bytes", memory, False),
                ("memory.swappiness", "0", False)]
    if controller == "pids":
        return [("pids.max", str(limits["processes"]), True)]
    return [("cpu.cfs_period_us", str(CPU_PERIOD), False)] + ([("cpu.cfs_quota_us", quota, False)] if cores else [])


def join(parent: dict[str, Any], pid: int, limits: dict[str, Any]) -> None:
    """Create the group of kernel ``pid`` with ``limits`` (the sandbox policy's) and move the
    calling process into it; what it starts afterwards is counted there too."""
    for controller, folder in kernel_folders(parent, pid).items():
        _make(folder)
        for name, value, required in settings(controller, limits):
            path = os.path.join(folder, name)
            if required or os.path.exists(path):
                _write(path, value)
        _write(os.path.join(folder, "cgroup.procs"), str(os.getpid()))


def limit_hit(parent: dict[str, Any] | None, pid: int) -> str | None:
    """"memory" when Linux stopped a process of kernel ``pid`` for going past its memory,
    "processes" when it refused a process past its limit, else None."""
    folders = kernel_folders(parent, pid).values()
    if any(_count(folder, "memory.events", "oom_kill") or _count(folder, "memory.oom_control", "oom_kill")
           for folder in folders):
        return "memory"
    if any(_count(folder, "pids.events", "max") for folder in folders):
        return "processes"
    return None


def peak_memory_mb(parent: dict[str, Any] | None, pid: int) -> float | None:
    """The most memory the kernel's group used at once, in MB, when Linux reports it."""
    for folder in kernel_folders(parent, pid).values():
        for name in ("memory.peak", "memory.max_usage_in_bytes"):
            try:
                return int(_read(os.path.join(folder, name)).strip()) / 1024 / 1024
            except (OSError, ValueError):
                continue
    return None


def processes(parent: dict[str, Any] | None, pid: int) -> list[int]:
    """The processes still in the group of kernel ``pid``."""
    found: set[int] = set()
    for folder in kernel_folders(parent, pid).values():
        try:
            found |= {int(word) for word in _read(os.path.join(folder, "cgroup.procs")).split()}
        except OSError:
            pass
    return sorted(found)


def remove(parent: dict[str, Any] | None, pid: int) -> None:
    """Kill every process left in the group of kernel ``pid``, then remove the group."""
    folders = list(kernel_folders(parent, pid).values())
    for folder in folders:
        if os.path.exists(os.path.join(folder, "cgroup.kill")):
            try:
                _write(os.path.join(folder, "cgroup.kill"), "1")
            except OSError:
                pass
    for _ in range(400):
        left = processes(parent, pid)
        if not left:
            break
        for process in left:
            try:
                os.kill(process, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
    for folder in folders:
        for _ in range(200):
            try:
                os.rmdir(folder)
                break
            except FileNotFoundError:
                break
            except OSError as error:  # busy while the last processes finish dying
                if error.errno != errno.EBUSY:
                    break
                time.sleep(0.005)


def remove_stale(parent: dict[str, Any] | None) -> list[str]:
    """Remove the groups of kernels whose process no longer exists (left by a grader that was
    killed), killing what is left in them; return their folders."""
    ended: set[int] = set()
    for base in (parent or {}).get("groups", {}).values():
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            number = name[len("kernel-"):]
            if name.startswith("kernel-") and number.isdigit() and not os.path.exists(f"/proc/{number}"):
                ended.add(int(number))
    stale = []
    for pid in sorted(ended):
        stale += [folder for folder in kernel_folders(parent, pid).values() if os.path.isdir(folder)]
        remove(parent, pid)
    return stale


def _count(folder: str, name: str, key: str) -> int:
    path = os.path.join(folder, name)
    try:
        for line in _read(path).splitlines():
            words = line.split()
            if len(words) == 2 and words[0] == key:
                return int(words[1])
    except (OSError, ValueError):
        pass
    return 0


def _make(folder: str) -> str:
    os.makedirs(folder, exist_ok=True)
    return folder


def _read(path: str) -> str:
    with open(path, encoding="ascii") as stream:
        return stream.read()


def _write(path: str, value: str) -> None:
    with open(path, "w", encoding="ascii") as stream:
        stream.write(value)

"""Control groups of kernels: a submission's memory, processes and processor time as a whole.

The live tests use the machine's control groups (cgroup v1 here: CI runs as root, where they must
work); the v2 tests check the files written under a fake /sys/fs/cgroup, as current hosts use v2."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from autograder.isolation import cgroups

LIMITS = {"memory_mb": 200, "processes": 8, "cpu_cores": 0.5}


def in_group(parent: dict, limits: dict, code: str) -> tuple[int, int]:
    """Run ``code`` (Python) in a child process placed in a kernel group; return (pid, exit status)."""
    pid = os.fork()
    if pid == 0:
        try:
            cgroups.join(parent, os.getpid(), limits)
            exec(code, {})
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return pid, status


@pytest.fixture()
def parent():
    return cgroups.kernels_parent()


def test_are_the_processes_of_a_group_held_to_its_memory_together(parent):
    """Four processes of 80 MB each, 320 MB in all, under 200 MB: Linux stops some, and says so."""
    code = """
import os, time
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        hoard = b"x" * (80 * 1024 * 1024)
        time.sleep(5)
        os._exit(0)
    children.append(pid)
time.sleep(2)
"""
    pid, _ = in_group(parent, LIMITS, code)
    try:
        assert cgroups.limit_hit(parent, pid) == "memory"
        assert cgroups.peak_memory_mb(parent, pid) <= LIMITS["memory_mb"] + 1
    finally:
        cgroups.remove(parent, pid)
    assert not any(os.path.exists(folder) for folder in cgroups.kernel_folders(parent, pid).values())


def test_do_files_in_a_tmpfs_count_in_the_memory_of_the_group(parent, tmp_path):
    """What a kernel writes in its tmpfs folders is memory that no process's size shows."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1g", "tmpfs", str(mount)], check=True)
    try:
        code = f"""
with open({str(mount / 'big')!r}, "wb") as stream:
    for _ in range(30):
        stream.write(b"x" * (10 * 1024 * 1024))
"""
        pid, status = in_group(parent, LIMITS, code)
        written = (mount / "big").stat().st_size if (mount / "big").exists() else 0
        cgroups.remove(parent, pid)
        assert written < 300 * 1024 * 1024, "the writer was stopped before it could write 300 MB"
        assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0 or written <= LIMITS["memory_mb"] * 1024 * 1024
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_is_a_process_past_the_groups_process_limit_refused(parent):
    code = """
import os, sys
made = 0
try:
    for _ in range(20):
        if os.fork() == 0:
            import time; time.sleep(3); os._exit(0)
        made += 1
except OSError:
    os._exit(3)
"""
    pid, status = in_group(parent, LIMITS, code)
    try:
        assert os.WEXITSTATUS(status) == 3
        assert cgroups.limit_hit(parent, pid) == "processes"
    finally:
        cgroups.remove(parent, pid)


def test_does_removing_a_group_kill_what_is_left_in_it(parent):
    code = """
import subprocess
subprocess.Popen(["sleep", "600"], start_new_session=True)
"""
    pid, _ = in_group(parent, LIMITS, code)
    left = cgroups.processes(parent, pid)
    assert len(left) == 1
    cgroups.remove(parent, pid)
    time.sleep(0.1)
    assert not os.path.exists(f"/proc/{left[0]}") or Path(f"/proc/{left[0]}/stat").read_text().split(")")[1].split()[0] == "Z"


def test_are_the_groups_of_ended_kernels_removed_as_stale(parent):
    ended = subprocess.Popen(["true"])
    ended.wait()
    for folder in cgroups.kernel_folders(parent, ended.pid).values():
        os.makedirs(folder)
    removed = cgroups.remove_stale(parent)
    assert set(removed) >= set(cgroups.kernel_folders(parent, ended.pid).values())
    assert not any(os.path.exists(folder) for folder in cgroups.kernel_folders(parent, ended.pid).values())


# --------------------------------------------------------------------------- cgroup v2, on a fake tree
def fake_v2(root: Path) -> Path:
    (root / "grading" / cgroups.KERNELS).mkdir(parents=True)
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "grading" / cgroups.KERNELS / "cgroup.controllers").write_text("cpu memory pids\n")
    return root


def test_does_cgroup_v2_get_memory_swap_processes_and_cpu_in_one_group(tmp_path):
    root = fake_v2(tmp_path)
    assert cgroups.version(str(root)) == 2
    parent = cgroups.kernels_parent("/grading", str(root))
    folder = Path(parent["groups"]["unified"])
    assert (folder / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    kernel = folder / "kernel-4242"
    kernel.mkdir()
    for name in ("memory.swap.max", "cpu.max"):
        (kernel / name).write_text("")
    limits = {"memory_mb": 2048, "processes": 256, "cpu_cores": 1.0}
    pid = os.fork()
    if pid == 0:  # join moves the calling process: here, a child, into a fake file
        try:
            original = os.getpid
            os.getpid = lambda: 4242  # noqa: E731 - the kernel's folder name
            cgroups.join(parent, 4242, limits)
            os.getpid = original
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert (kernel / "memory.max").read_text() == str(2048 * 1024 * 1024)
    assert (kernel / "memory.swap.max").read_text() == "0"
    assert (kernel / "pids.max").read_text() == "256"
    assert (kernel / "cpu.max").read_text() == "100000 100000"
    assert (kernel / "cgroup.procs").read_text() == "4242"
    (kernel / "memory.events").write_text("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n")
    assert cgroups.limit_hit(parent, 4242) == "memory"
    (kernel / "memory.events").write_text("low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n")
    (kernel / "pids.events").write_text("max 3\n")
    assert cgroups.limit_hit(parent, 4242) == "processes"


def test_does_a_machine_without_usable_cgroups_get_a_message_that_says_why(tmp_path):
    with pytest.raises(cgroups.CgroupError, match="memory and pids"):
        cgroups.kernels_parent("", str(tmp_path))
    (tmp_path / "cgroup.controllers").write_text("cpu io\n")
    assert cgroups.version(str(tmp_path)) is None

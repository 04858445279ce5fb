"""Processes of sandboxed kernels: user ids that cannot be shared, and nothing left behind."""

from __future__ import annotations

import os
import subprocess
import time

from autograder.isolation import processes


def as_sandbox_user(uid: int, *command: str) -> subprocess.Popen:
    def become() -> None:
        os.setsid()
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)

    return subprocess.Popen(list(command), preexec_fn=become)


def ended_pid() -> int:
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_does_claiming_a_user_id_stop_what_an_earlier_kernel_left_under_it():
    uid = processes.sandbox_uid(ended_pid())
    leftover = as_sandbox_user(uid, "sleep", "600")
    assert wait_for(lambda: processes.processes_of(uid) == [leftover.pid])
    processes.claim_uid(uid)
    assert processes.processes_of(uid) == []
    leftover.wait(timeout=5)


def test_does_the_sweep_stop_orphans_and_spare_kernels_whose_keeper_lives():
    orphan_uid = processes.sandbox_uid(ended_pid())
    orphan = as_sandbox_user(orphan_uid, "sleep", "600")
    # A live kernel: a keeper (this test's child) and, below it, a process under the keeper's id.
    keeper = os.fork()
    if keeper == 0:
        child = as_sandbox_user(processes.sandbox_uid(os.getpid()), "sleep", "600")
        child.wait()
        os._exit(0)
    kernel_uid = processes.sandbox_uid(keeper)
    try:
        assert wait_for(lambda: processes.processes_of(kernel_uid) and processes.processes_of(orphan_uid))
        killed = processes.sweep_leftovers()
        assert orphan.pid in killed
        orphan.wait(timeout=5)
        assert processes.processes_of(kernel_uid), "a kernel of a run still going is left alone"
    finally:
        processes.kill_processes_of(kernel_uid)
        os.waitpid(keeper, 0)


def test_are_processes_left_by_a_kernel_killed():
    """A process of a sandbox's user id, in a session of its own, is killed with the kernel."""
    pid = os.fork()
    if pid == 0:
        os.setsid()
        uid = processes.sandbox_uid(os.getpid())
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        if os.fork() == 0:  # a grandchild, as a fork bomb would leave
            os.setsid()
            os.execvp("sleep", ["sleep", "60"])
        os.execvp("sleep", ["sleep", "60"])
    uid = processes.sandbox_uid(pid)
    assert wait_for(lambda: len(processes.processes_of(uid)) == 2)
    processes.kill_processes_of(uid)
    os.waitpid(pid, 0)
    assert processes.processes_of(uid) == []


def test_does_a_daemon_die_with_the_kernel_of_its_pid_namespace():
    """The kernel's init ends with the kernel, and Linux then kills what is left in the namespace."""
    reader, writer = os.pipe()
    keeper = os.fork()
    if keeper == 0:
        os.close(reader)
        processes.split_keeper()  # from here on: the kernel
        daemon = subprocess.Popen(["sleep", "600"], start_new_session=True)
        os.write(writer, f"{os.getpid()} {daemon.pid}".encode())
        os._exit(7)
    os.close(writer)
    inside = os.read(reader, 100).decode().split()
    os.close(reader)
    _, status = os.waitpid(keeper, 0)
    assert os.WEXITSTATUS(status) == 7, "the keeper exits as the kernel did"
    assert inside[0] == "2", "the kernel is process 2 of its namespace, under its init"
    sleepers = subprocess.run(["pgrep", "-f", "^sleep 600$"], capture_output=True, text=True).stdout.split()
    children = [pid for pid in sleepers if str(keeper) in open(f"/proc/{pid}/status").read()]
    assert children == [], "the daemon died with the namespace"

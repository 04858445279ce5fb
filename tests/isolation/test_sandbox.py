"""The sandbox of grading kernels, on its own: what a kernel sees and may do, with and without the
zygote, and what the sandbox lets through of the grader's folders and environment.

Nothing here is skipped when the sandbox cannot start: CI runs as root, where it must."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograder import isolation
from autograder.isolation import settings
from autograder.preprocessors import GradingExecute
from tests.autograder.test_kernels import notebook, run

#: One cell that reports, one line each, what the kernel can reach.
PROBE = """
import os, socket
def can(action):
    try:
        action()
        return "yes"
    except OSError:
        return "no"
print("uid", os.getuid() >= {base})
print("secret", can(lambda: open({secret!r}).read()))
print("course", can(lambda: os.listdir({course!r})))
print("write-outside", can(lambda: open({outside!r}, "w").write("x")))
print("write-here", can(lambda: open("result.txt", "w").write("x")))
print("data", repr(open("data.csv").read()))
print("network", can(lambda: socket.create_connection(("127.0.0.1", 9), timeout=1)))
print("environment", sorted(os.environ))
print("pid", os.getpid())
print("users", sorted(line.split(":")[0] for line in open("/etc/passwd")))
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print("user-namespace", "yes" if libc.unshare(0x10000000) == 0 else "no")
print("ptrace", "yes" if libc.ptrace(16, 1, 0, 0) == 0 else "no")  # PTRACE_ATTACH to process 1
print("mount", "yes" if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0 else "no")
print("host-root", can(lambda: os.listdir("/srv")))
"""


@pytest.mark.parametrize("preload", [True, False], ids=["forked from the zygote", "started as a new process"])
def test_does_a_sandboxed_kernel_see_only_its_submission(tmp_path, preload, monkeypatch):
    course = tmp_path / "course"
    folder = course / "autograded" / "ana" / "a1"
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("year,amount\n2024,100\n", encoding="utf-8")
    secret = course / "source" / "a1" / "solution.txt"
    secret.parent.mkdir(parents=True)
    secret.write_text("the answer", encoding="utf-8")
    monkeypatch.setenv("GRADER_PASSWORD", "hunter2")
    chosen = isolation.KernelLauncher(preload=preload, protected=[str(course)])
    isolation.use_launcher(chosen)
    try:
        cell = PROBE.format(base=isolation.SANDBOX_UID_BASE, secret=str(secret), course=str(course / "source"),
                            outside=str(tmp_path / "planted.txt"))
        result = run(GradingExecute, notebook(cell), folder)
    finally:
        chosen.close()
        isolation.use_launcher(None)
    lines = dict(line.split(" ", 1) for line in result.cells[0].outputs[0].text.splitlines())
    assert lines["uid"] == "True"
    assert lines["secret"] == lines["course"] == lines["write-outside"] == lines["network"] == "no"
    assert lines["write-here"] == "yes"
    assert lines["data"] == repr("year,amount\n2024,100\n"), "the submission's files are there"
    assert not (folder / "result.txt").exists(), "what a notebook writes stays in its private copy"
    assert not (tmp_path / "planted.txt").exists()
    assert "GRADER_PASSWORD" not in lines["environment"]
    assert lines["pid"] == "2", "the kernel runs in a PID namespace of its own, under its init"
    assert lines["users"] == "['learner', 'nobody', 'root']", "no learner of the hub is listed"
    assert lines["user-namespace"] == lines["ptrace"] == lines["mount"] == "no", "the system call filter refuses them"
    assert lines["host-root"] == "no", "the host's tree is detached, not only hidden under a chroot"


def test_are_the_course_sources_left_out_even_when_they_sit_on_the_python_path(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "course" / "source").mkdir(parents=True)
    (project / "coursepackage").mkdir()
    (project / "coursepackage" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(project))
    readable = settings.readable_paths([str(project / "course")], ["coursepackage"])
    assert str(project) not in readable
    assert str((project / "coursepackage").resolve()) in readable
    assert os.path.realpath(sys.prefix) in readable or any(os.path.realpath(sys.prefix).startswith(p) for p in readable)


def test_does_the_kernel_environment_keep_only_what_is_allowed():
    kept = isolation.Sandbox().kernel_environment(
        {"LANG": "fr_FR.UTF-8", "PGPASSWORD": "secret", "JUPYTERHUB_API_TOKEN": "token", "NBGRADER_EXECUTION": "autograde"})
    assert kept["LANG"] == "fr_FR.UTF-8" and kept["NBGRADER_EXECUTION"] == "autograde"
    assert "PGPASSWORD" not in kept and "JUPYTERHUB_API_TOKEN" not in kept
    assert kept["HOME"] == "/tmp"


def test_does_the_probe_say_why_the_sandbox_cannot_start_for_a_user_without_rights():
    result = subprocess.run(["unshare", "--user", sys.executable, "-c",  # no root rights in there
                             "from autograder.isolation import probe; print(probe())"], capture_output=True, text=True)
    assert "needs root rights" in result.stdout and "sudo" in result.stdout

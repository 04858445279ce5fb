"""The settings of the grading sandbox (``c.Sandbox.*`` in nbgrader_config.py), and the policy of
one kernel that :func:`autograder.isolation.sandbox.enter` builds from them."""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import Any

from traitlets import Bool, Float, Integer, List, Unicode
from traitlets.config import LoggingConfigurable

from . import cgroups

#: Environment variables passed into the sandbox (shell patterns); everything else is dropped, so
#: that no password or token of the grader's environment reaches learner code.
DEFAULT_ENVIRONMENT = ["LANG", "LANGUAGE", "LC_*", "TZ", "NBGRADER_*", "MPLBACKEND", "PYTHONHASHSEED",
                       "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "PYDEVD_DISABLE_FILE_VALIDATION"]


class Sandbox(LoggingConfigurable):
    """Settings of the sandbox of grading kernels (``c.Sandbox.*`` in nbgrader_config.py)."""

    enabled = Bool(
        True,
        help="Run every submission in the sandbox. Turn it off only for submissions you trust "
        "(`autograder grade --no-sandbox` does it for one run, with a warning).",
    ).tag(config=True)
    memory_limit = Integer(
        2048,
        help="Memory of one submission as a whole, in MB: every process its kernel starts, and the files it "
        "writes in its private folders, count together (a control group); each process's address space "
        "is held to it too (RLIMIT_AS).",
    ).tag(config=True)
    process_limit = Integer(
        256, help="Processes and threads that one submission may have at once, its kernel included (a control "
        "group's pids.max, and RLIMIT_NPROC)."
    ).tag(config=True)
    cpu_limit = Float(
        1.0, help="Processor cores that one submission may use at once (a control group's CPU quota), so that "
        "a submission with many threads cannot slow the hub's learners down.",
    ).tag(config=True)
    cgroup_parent = Unicode(
        "",
        help="The control group under which each kernel gets its own (a path under /sys/fs/cgroup, or under "
        "each cgroup v1 controller's folder). Empty: next to the grader's own control group (cgroup v2) or "
        "inside it (v1). Set it to a group delegated to the grader when the default is not writable.",
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
                "cpu_cores": self.cpu_limit,
            },
            "cgroup": cgroups.kernels_parent(self.cgroup_parent),
        }

    def kernel_environment(self, env: dict[str, str]) -> dict[str, str]:
        """The allowed part of ``env``, plus a home and a PATH that exist inside the sandbox."""
        kept = {name: value for name, value in env.items() if any(fnmatch.fnmatchcase(name, p) for p in self.environment)}
        kept.update({
            "HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        })
        return kept


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

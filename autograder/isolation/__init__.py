"""Isolation: the code of the autograder that runs as root to keep learner code in its place.

Everything that runs learner notebooks goes through this package, and this package imports nothing
from the rest of the autograder. Its parts:

* :mod:`.settings`: ``c.Sandbox.*``, the limits and paths of a kernel's sandbox (its policy);
* :mod:`.sandbox`: entering the sandbox (namespaces, minimal root, user id, limits) and its probe;
* :mod:`.cgroups`: one control group per kernel, limits of a submission as a whole;
* :mod:`.processes`: the kernel's PID namespace and keeper, user ids, sweeping leftovers;
* :mod:`.syscall_filter`: the seccomp filter;
* :mod:`.zygote`: the process that forks kernels with the heavy libraries already imported, and
  :mod:`.forked`, the grader's side of it (asking for a kernel, the forked kernel as a process);
* :mod:`.launcher`: how the grader starts kernels: forked by the zygote or as new processes, in
  their sandbox (the jupyter_client side is :mod:`autograder.preprocessors.kernels`).

The instructor guide's "Threat model of the grading sandbox" says what it protects against, what it
does not, and what it relies on.
"""

from __future__ import annotations

from .cgroups import CgroupError, kernels_parent, limit_hit, peak_memory_mb, remove_stale
from .launcher import KernelLauncher, current_launcher, ipykernel_arguments, use_launcher
from .processes import SANDBOX_UID_BASE, kill_processes_of, sandbox_uid, sweep_leftovers
from .sandbox import SandboxError, probe
from .settings import DEFAULT_ENVIRONMENT, Sandbox


def clean_up_leftovers(settings: Sandbox) -> list[str]:
    """Before a grading run: kill what kernels of an earlier run left (a grader that was killed),
    and remove their control groups. Returns what was done, in words for the log."""
    done = [f"stopped process {pid}, left by a kernel of an earlier run" for pid in sweep_leftovers()]
    try:
        done += [f"removed the control group {folder}" for folder in remove_stale(kernels_parent(settings.cgroup_parent))]
    except CgroupError:
        pass  # the probe reports it
    return done


__all__ = [
    "DEFAULT_ENVIRONMENT", "SANDBOX_UID_BASE", "CgroupError", "KernelLauncher", "Sandbox",
    "SandboxError", "clean_up_leftovers", "current_launcher", "ipykernel_arguments", "kill_processes_of",
    "limit_hit", "peak_memory_mb", "probe", "sandbox_uid", "use_launcher",
]

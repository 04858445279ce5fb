"""How grading kernels are started: the one place to plug in a sandbox or another launcher.

Every kernel that grades a submission goes through :class:`KernelLauncher`:

* with ``preload = True`` (the default) it asks a :mod:`autograder.isolation.zygote` process, which has
  imported ipykernel, pandas, numpy and matplotlib once, to fork a fresh kernel process;
* with ``preload = False`` it starts ``python -m ipykernel_launcher`` as a new process, as nbgrader
  does.

Unless turned off, each kernel runs in the sandbox of :mod:`autograder.isolation.sandbox` (entered in the
forked process, or by ``python -m autograder.isolation`` before the kernel's command), and talks to the
grader through Unix sockets in a folder of its own, since it has no network.

``command_prefix`` is put before the command in both cases (before the zygote, or before each
kernel), so that a sandbox such as ``bwrap`` or ``prlimit`` wraps the code that runs learner
notebooks; ``child_setup`` names functions run inside each forked kernel before it starts (limits
that must apply to one submission only). jupyter_client reaches it through the kernel manager of
:mod:`autograder.preprocessors.kernels`.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import shutil
import tempfile
import uuid
from typing import Any


from jupyter_client.launcher import launch_kernel
from traitlets import Bool, Float, List, Unicode
from traitlets.config import LoggingConfigurable

from . import cgroups
from .forked import Zygote
from .processes import kill_processes_of, sandbox_uid
from .settings import Sandbox

#: Imported once by the zygote: what a fresh ipykernel imports, and the libraries that the course's
#: notebooks import. ``matplotlib.pyplot`` and the inline backend are left out on purpose: they hook
#: into the IPython shell when first imported, so they must be imported inside each kernel.
DEFAULT_PRELOAD = [
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.debugger",
    "IPython.core.completer",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
    "psutil",
    "sqlite3",
    "tornado.platform.asyncio",
    "jupyter_client.session",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "modules.common.data",
]

_current: "KernelLauncher | None" = None


class KernelLauncher(LoggingConfigurable):
    """Starts the kernels that run submissions (see the module's documentation)."""

    preload = Bool(
        True,
        help="Fork each grading kernel from a process that has already imported `preload_modules` "
        "(fast). False starts every kernel as a new Python process, as plain nbgrader does.",
    ).tag(config=True)

    preload_modules = List(
        Unicode(),
        default_value=DEFAULT_PRELOAD,
        help="Python modules imported once, ahead of grading, by the process that kernels are forked "
        "from. Missing ones are skipped. Add the heavy libraries that your notebooks import.",
    ).tag(config=True)

    command_prefix = List(
        Unicode(),
        default_value=[],
        help="Words put before the command that runs learner code (the zygote, or each kernel when "
        "`preload` is False), for example a sandbox: ['bwrap', '--ro-bind', '/', '/', '--unshare-net'].",
    ).tag(config=True)

    child_setup = List(
        Unicode(),
        default_value=[],
        help="'module:function' hooks run inside each forked kernel process before the kernel starts, "
        "with the launch request (a dict with argv, cwd, env) as argument: the place for limits that "
        "apply to one submission (resource.setrlimit, namespaces).",
    ).tag(config=True)

    log_file = Unicode(
        "",
        help="File that receives what the zygote and the kernels print outside of cells (start-up "
        "warnings, crashes). Empty: they print to the terminal.",
    ).tag(config=True)

    startup_timeout = Float(
        120.0,
        help="Seconds to wait for the zygote to import `preload_modules` before giving up.",
    ).tag(config=True)

    def __init__(self, protected: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._zygote: Zygote | None = None
        self._lock = threading.Lock()
        self.sandbox = Sandbox(parent=self)
        #: Folders that sandboxed kernels must not see (the course root, gradebook, exchange, home).
        self.protected = list(protected or [])
        self._runtime_base: str | None = None

    @property
    def sandboxed(self) -> bool:
        return bool(self.sandbox.enabled)

    def runtime_dir(self) -> str:
        """A new, empty folder for the sockets and connection file of one sandboxed kernel."""
        if self._runtime_base is None:
            self._runtime_base = tempfile.mkdtemp(prefix="autograder-kernels-")
        folder = os.path.join(self._runtime_base, uuid.uuid4().hex[:12])
        os.mkdir(folder, 0o700)
        return folder

    def cgroup_parent(self) -> dict | None:
        """Where the kernels' control groups are (None when the sandbox is off)."""
        return cgroups.kernels_parent(self.sandbox.cgroup_parent) if self.sandboxed else None

    def limit_hit(self, pid: int) -> str | None:
        """"memory" or "processes" when the kernel ``pid`` went past that limit of its control group."""
        return cgroups.limit_hit(self.cgroup_parent(), pid) if self.sandboxed else None

    def end_kernel(self, pid: int) -> None:
        """After the kernel ``pid``: kill what is left in its control group and under its user id,
        then remove its control group."""
        parent = self.cgroup_parent()
        cgroups.remove(parent, pid)
        kill_processes_of(sandbox_uid(pid))

    # ------------------------------------------------------------------ the one entry point
    def launch(self, cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None, **kwargs: Any):
        """Start one kernel for ``cmd`` (the kernelspec's command) and return a Popen-like handle."""
        env = dict(os.environ if env is None else env)
        cwd = cwd or os.getcwd()
        kernel_args = ipykernel_arguments(cmd)
        policy = None
        if self.sandboxed:
            policy = self.sandbox.policy(cwd, os.path.dirname(connection_file_of(cmd)), env, self.protected)
            env = policy["env"]
        if self.preload and kernel_args is not None:
            with self._lock:
                zygote = self._running_zygote(env)
                return zygote.spawn(kernel_args, cwd=cwd, env=env, sandbox=policy)
        if policy is not None:
            cmd = [sys.executable, "-m", "autograder.isolation", json.dumps(policy), "--", *cmd]
        return launch_kernel([*self.command_prefix, *cmd], env=env, cwd=cwd, **kwargs)

    def warm_up(self, env: dict[str, str] | None = None) -> list[str]:
        """Start the zygote now rather than at the first kernel (its imports take a few seconds).
        Returns the modules it could not import ahead."""
        if not self.preload:
            return []
        env = dict(os.environ if env is None else env)
        with self._lock:
            return list(self._running_zygote(self.sandbox.kernel_environment(env) if self.sandboxed else env).not_preloaded)

    def _running_zygote(self, env: dict[str, str]) -> "Zygote":
        if self._zygote is None or not self._zygote.alive():
            hooks = [word for hook in self.child_setup for word in ("--child-setup", hook)]
            self._zygote = Zygote(
                [*self.command_prefix, sys.executable, "-m", "autograder.isolation.zygote", *hooks, *self.preload_modules],
                env=env,
                startup_timeout=self.startup_timeout,
                log_file=self.log_file or None,
            )
        return self._zygote

    def close(self) -> None:
        with self._lock:
            if self._zygote is not None:
                self._zygote.close()
                self._zygote = None
            if self._runtime_base is not None:
                shutil.rmtree(self._runtime_base, ignore_errors=True)
                self._runtime_base = None


def connection_file_of(cmd: list[str]) -> str:
    """The connection file named in a kernel command (``-f PATH``), which a sandboxed kernel's
    socket folder contains."""
    for index, word in enumerate(cmd):
        if word == "-f" and index + 1 < len(cmd):
            return cmd[index + 1]
        if word.startswith("--f="):
            return word[len("--f="):]
    raise ValueError(f"The kernel command names no connection file (-f): {cmd}")


def ipykernel_arguments(cmd: list[str]) -> list[str] | None:
    """The arguments after ``python -m ipykernel_launcher`` in ``cmd``, or None if ``cmd`` starts
    some other kernel (another language, another Python), which then cannot come from the zygote."""
    if len(cmd) < 3 or cmd[1] != "-m" or cmd[2] not in ("ipykernel_launcher", "ipykernel"):
        return None
    if os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
        return None
    return list(cmd[3:])


def use_launcher(launcher: KernelLauncher | None) -> None:
    """Make ``launcher`` the one that the grading kernel manager uses in this process."""
    global _current
    _current = launcher


def current_launcher() -> KernelLauncher:
    global _current
    if _current is None:
        _current = KernelLauncher()
    return _current

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
that must apply to one submission only). nbclient and nbgrader see an ordinary
:class:`jupyter_client.AsyncKernelManager` (:class:`GradingKernelManager`), so interrupts on timeout,
restarts and shutdowns work as usual.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import shutil
import tempfile
import uuid
from typing import Any

from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.launcher import launch_kernel
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, DottedObjectName, Float, List, Type, Unicode
from traitlets.config import LoggingConfigurable

from . import cgroups
from .processes import kill_processes_of, sandbox_uid
from .sandbox import root_folder
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
    """Make ``launcher`` the one that :class:`GradingKernelManager` uses in this process."""
    global _current
    _current = launcher


def current_launcher() -> KernelLauncher:
    global _current
    if _current is None:
        _current = KernelLauncher()
    return _current


class Zygote:
    """A running :mod:`autograder.isolation.zygote` process and the pipe to ask it for kernels."""

    def __init__(self, command: list[str], env: dict[str, str], startup_timeout: float,
                 log_file: str | None = None) -> None:
        log = open(log_file, "ab") if log_file else None
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
                start_new_session=True,
            )
        finally:
            if log is not None:
                log.close()
        self._lock = threading.Lock()
        ready = self._read_line(startup_timeout)
        if not ready or not ready.get("ready"):
            self.close()
            raise RuntimeError(
                f"The kernel zygote did not start (command: {' '.join(command)}). "
                "Set c.KernelLauncher.preload = False to start kernels the usual way."
            )
        self.not_preloaded = ready.get("not_preloaded", [])

    def _read_line(self, timeout: float) -> dict | None:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, kernel_args: list[str], cwd: str, env: dict[str, str],
              sandbox: dict | None = None) -> "ForkedKernel":
        request = {"argv": kernel_args, "cwd": cwd, "env": env, "sandbox": sandbox}
        with self._lock:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
            answer = self._read_line(30.0)
        if not answer or "pid" not in answer:
            raise RuntimeError(f"The kernel zygote could not start a kernel: {answer}")
        return ForkedKernel(answer["pid"])

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


class ForkedKernel:
    """A Popen-like handle on a kernel forked by the zygote (not our child: followed by a pidfd)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):
            self._pidfd = None

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], 0)
            finished = bool(readable)
        else:
            try:
                os.kill(self.pid, 0)
                finished = False
            except ProcessLookupError:
                finished = True
        if finished:
            self.returncode = -signal.SIGKILL if self._killed else 0
            self._close()
        return self.returncode

    _killed = False

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            if self._pidfd is not None:
                select.select([self._pidfd], [], [], 0.05)
            else:
                time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            if signum == signal.SIGKILL:
                self._killed = True
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self._close()


class GradingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through :func:`current_launcher`."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        scrubbed = LocalProvisioner._scrub_kwargs(kwargs)
        self.process = current_launcher().launch(cmd, **scrubbed)
        self.pid = self.process.pid
        if isinstance(self.process, ForkedKernel):
            self.pgid = self.pid  # the zygote made it the leader of its own group
        else:
            try:
                self.pgid = os.getpgid(self.pid)
            except OSError:
                self.pgid = None
        self.cwd = kwargs.get("cwd")
        return self.connection_info


    async def cleanup(self, restart: bool = False) -> None:
        """After the kernel: kill whatever it left running in its sandbox (its control group, its
        user id's processes), and remove its control group."""
        await super().cleanup(restart=restart)
        if self.pid and current_launcher().sandboxed:
            current_launcher().end_kernel(self.pid)

    async def wait(self) -> int | None:
        """Wait for the kernel to exit, checking often: a killed kernel is gone within milliseconds,
        and LocalProvisioner's 0.1 s polling would add that much to every notebook."""
        if isinstance(self.process, ForkedKernel):
            delay = 0.002
            while await self.poll() is None:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.1)
            code = self.process.returncode
            self.process = None
            return code
        return await super().wait()


class GradingKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel is.

    jupyter_client's ``wait_for_ready`` ends by waiting for 0.2 s of silence on the IOPub channel,
    on every kernel: a fifth of a second of idle time per notebook graded. Here the kernel is
    ready once it has answered ``kernel_info`` and its IOPub status for that very request has
    arrived (so IOPub is connected, which is what the wait is for). Messages of the kernel's
    start-up left in the channel belong to no cell, and nbclient skips them."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply and reply["msg_type"] == "kernel_info_reply" and await self._iopub_answers(request):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _iopub_answers(self, request: str, within: float = 0.2) -> bool:
        """Whether the kernel's "idle" status for ``request`` arrives on IOPub within ``within`` s."""
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
                    and message["parent_header"].get("msg_id") == request):
                return True
        return False


class GradingKernelManager(AsyncKernelManager):
    """The kernel manager of grading: an AsyncKernelManager whose kernels come from the launcher."""

    client_class = DottedObjectName("autograder.isolation.launcher.GradingKernelClient")
    client_factory = Type(GradingKernelClient, klass=AsyncKernelClient)

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        """Wait for the kernel to exit, checking every few milliseconds (not every 0.1 s)."""
        await super()._async_wait(pollinterval=pollinterval)

    async def _async_pre_start_kernel(self, **kw: Any):
        if current_launcher().sandboxed and not self.connection_file:
            # No network inside the sandbox: ZeroMQ over Unix sockets in the kernel's own folder.
            folder = current_launcher().runtime_dir()
            self.transport = "ipc"
            self.connection_file = os.path.join(folder, "kernel.json")
            self.ip = os.path.join(folder, "socket")
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = GradingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_runtime_dir()

    def _remove_runtime_dir(self) -> None:
        folder = os.path.dirname(self.connection_file or "")
        if self.transport == "ipc" and os.path.basename(folder) and current_launcher().sandboxed:
            shutil.rmtree(folder, ignore_errors=True)
            try:
                os.rmdir(root_folder(folder))  # the empty mount point of the kernel's root
            except OSError:
                pass

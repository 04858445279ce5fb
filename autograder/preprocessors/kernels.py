"""The kernels of grading, as jupyter_client sees them: manager, client and provisioner.

nbclient and nbgrader see an ordinary :class:`jupyter_client.AsyncKernelManager`
(:class:`GradingKernelManager`), so interrupts on timeout, restarts and shutdowns work as usual;
its kernels come from the launcher of :mod:`autograder.isolation` (forked from a zygote, in their
sandbox), and its client is ready as soon as the kernel is.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
import uuid
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from autograder.isolation import current_launcher
from autograder.isolation.forked import ForkedKernel
from autograder.isolation.sandbox import root_folder
from autograder.nbgrader_compat import KernelClientHooks, KernelManagerHooks, scrub_launch_arguments


class GradingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through :func:`current_launcher`."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        scrubbed = scrub_launch_arguments(kwargs)
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


class GradingKernelClient(KernelClientHooks):
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
                self.accept_kernel_info(reply)
                return
            if not await self.kernel_alive():
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


class GradingKernelManager(KernelManagerHooks):
    """The kernel manager of grading: an AsyncKernelManager whose kernels come from the launcher."""

    client_class = DottedObjectName("autograder.preprocessors.kernels.GradingKernelClient")
    client_factory = Type(GradingKernelClient, klass=AsyncKernelClient)

    #: Check every few milliseconds that a kernel being shut down has exited (not every 0.1 s).
    exit_poll_interval = 0.005

    def before_start(self, kw: dict[str, Any]) -> None:
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

    def after_cleanup(self, restart: bool) -> None:
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

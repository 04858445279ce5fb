"""nbgrader's ``Execute`` preprocessor, with kernels from the autograder's launcher.

It runs the same cells with the same time limits; three things differ, none of which changes what
a notebook sees or how it is scored:

* each kernel is forked from a process that has already imported the heavy libraries
  (:mod:`autograder.launch`), and the kernel of the next notebook is started while this one runs;
* the kernel is killed as soon as the last cell has run, instead of being asked to exit;
* a cell still running after a share of its time limit (an endless loop, most likely) gets the
  lowest CPU priority until it ends, so that it slows no other submission down.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
from multiprocessing.util import Finalize
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Float

from .launch import GradingKernelManager

#: The nice value of a kernel whose cell has run for a large share of its time limit.
LOWEST_PRIORITY = 19


class GradingExecute(Execute):
    """nbgrader's Execute, running each notebook in a fresh kernel from the autograder's launcher.

    Two things are done ahead of time, neither of which changes what a notebook sees:

    * the kernel of the next notebook is started while this one runs (``start_ahead``), in an empty
      folder; when its notebook comes, it moves to the notebook's folder before any cell runs, with
      a silent command that leaves no trace in the history, the execution counts or the namespace;
    * the kernel is killed as soon as the last cell has run (``shutdown_kernel``): every output has
      been received by then, so a graceful shutdown would only add waiting.
    """

    shutdown_kernel = Enum(
        ["graceful", "immediate"],
        default_value="immediate",
        help="How the kernel is stopped after the last cell: 'immediate' kills it (its outputs are "
        "all in by then), 'graceful' asks it to exit as nbgrader does.",
    ).tag(config=True)

    start_ahead = Bool(
        True,
        help="Start the kernel of the next notebook while this one runs (one spare kernel per "
        "worker), so that no notebook waits for a kernel to start.",
    ).tag(config=True)

    stuck_share = Float(
        0.5,
        help="Share of a cell's time limit (0 to 1) after which a cell still running gets the "
        "lowest CPU priority (nice 19) until it ends: an endless loop then takes CPU time only when "
        "no other submission needs it, and still fails at its time limit. A cell that really needs "
        "more than this share of its limit may then be slower when the machine is busy: raise it, or "
        "0 turns this off.",
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(**kwargs)
        self._from_spare = False

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        limit = self._get_timeout(cell)
        pid = getattr(getattr(self.km, "provisioner", None), "pgid", None)
        if not (limit and self.stuck_share and pid):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        lowered: list[int] = []
        handle = asyncio.get_running_loop().call_later(limit * self.stuck_share, _lower_priority, pid, lowered)
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            handle.cancel()
            if lowered:
                _restore_priority(pid, lowered[0])

    execute_cell = run_sync(async_execute_cell)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        if not self.start_ahead:
            return await super().async_start_new_kernel(**kwargs)
        if getattr(self.km, "ipykernel", False) and self.ipython_hist_file and not any(
            argument.startswith("--HistoryManager.hist_file") for argument in self.extra_arguments
        ):
            self.extra_arguments = [*self.extra_arguments, f"--HistoryManager.hist_file={self.ipython_hist_file}"]
        key = (self.km.kernel_name, tuple(self.extra_arguments))
        spare = _spares.pop(key, None)
        self._from_spare = spare is not None and await ensure_async(spare.is_alive())
        if self._from_spare:
            self.km = spare
        else:
            if spare is not None:
                await _discard(spare)
            await super().async_start_new_kernel(**kwargs)
        _spares[key] = await self._start_spare(key)

    start_new_kernel = run_sync(async_start_new_kernel)

    async def _start_spare(self, key: tuple) -> AsyncKernelManager:
        manager = self.kernel_manager_class(kernel_name=key[0], config=self.config)
        await ensure_async(manager.start_kernel(extra_arguments=list(key[1]), cwd=_spare_folder(),
                                                env=dict(os.environ)))
        return manager

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        folder = self.resources.get("metadata", {}).get("path")
        if self._from_spare and folder:
            reply = await client.execute_interactive(
                f"__import__('os').chdir({os.path.abspath(folder)!r})",
                silent=True, store_history=False, allow_stdin=False, timeout=self.startup_timeout,
                output_hook=lambda message: None,
            )
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"The grading kernel could not move to {folder}")
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)


#: Shared counter of the kernels of this grading run that are stuck in a cell (see ``count_stuck``).
_stuck_counter: list = []


def count_stuck(counter) -> None:
    """Count, in ``counter`` (a ``multiprocessing.Value``), the kernels now stuck in a cell, so that the
    grader can start another submission while they wait for their time limit."""
    _stuck_counter[:] = [counter]


def _add_stuck(change: int) -> None:
    for counter in _stuck_counter:
        with counter.get_lock():
            counter.value += change


def _lower_priority(process_group: int, lowered: list[int]) -> None:
    try:
        priority = os.getpriority(os.PRIO_PGRP, process_group)
        os.setpriority(os.PRIO_PGRP, process_group, LOWEST_PRIORITY)
    except OSError:  # the kernel has just ended
        return
    lowered.append(priority)
    _add_stuck(1)


def _restore_priority(process_group: int, priority: int) -> None:
    _add_stuck(-1)
    try:
        os.setpriority(os.PRIO_PGRP, process_group, priority)
    except OSError:  # not allowed without privileges: the kernel stays low for its last cells
        pass


_spares: dict[tuple, AsyncKernelManager] = {}
_folder: list[str] = []


def _spare_folder() -> str:
    """An empty folder, this process's own, where spare kernels start."""
    if not _folder:
        folder = tempfile.mkdtemp(prefix="autograder-kernel-")
        _folder.append(folder)
        Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)
        atexit.register(shutil.rmtree, folder, True)
    return _folder[0]


async def _discard(manager: AsyncKernelManager) -> None:
    try:
        await ensure_async(manager.shutdown_kernel(now=True))
    except Exception:  # a spare that died on its own has nothing left to stop
        pass


def discard_spare_kernels() -> None:
    """Stop the spare kernels of this process (at the end of grading)."""
    for key in list(_spares):
        run_sync(_discard)(_spares.pop(key))

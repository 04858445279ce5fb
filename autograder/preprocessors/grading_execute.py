"""nbgrader's ``Execute`` preprocessor, with kernels from the autograder's launcher.

It runs the same cells with the same time limits; three things differ, none of which changes what
a notebook sees or how it is scored:

* each kernel is forked from a process that has already imported the heavy libraries
  (:mod:`autograder.isolation`), and the kernel of the next notebook is started while this one runs;
* the kernel is killed as soon as the last cell has run, instead of being asked to exit;
* a cell still running after a share of its time limit (an endless loop, most likely) gets the
  lowest CPU priority until it ends, so that it slows no other submission down.

It also holds the limits that a hostile or broken notebook must not get past, and records in plain
words what happened (``resources["autograder"]["events"]``):

* the whole notebook has a time limit (``notebook_timeout``) besides the limit of each cell;
* a cell that ignores the interrupt at its time limit gets its kernel stopped (``kill_after``);
* a kernel that dies (``os._exit``, a crash, memory) fails its cell, and the cells after it are
  marked "not run" with an error, so that no test counts as passed without running; when the
  submission went past its memory or process limit, the error says so in plain words;
* output beyond ``output_limit`` characters, or ``output_count_limit`` outputs, per notebook is
  cut, and the cell is interrupted; after the cut, only a few errors are still kept.
"""

from __future__ import annotations

import asyncio
import os
import signal
from queue import Empty
from time import monotonic
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Float, Integer

from autograder.isolation import current_launcher
from autograder.messages import N_, _
from autograder.nbgrader_compat import ExecuteHooks
from autograder.preprocessors.kernels import GradingKernelManager
from autograder.preprocessors.spare_kernels import discard, spare_folder, spares
from autograder.preprocessors.stuck_cells import lower_priority, restore_priority

#: Limits of a submission that stop its kernel: (error name, what happened, the Sandbox setting).
LIMIT_ERRORS = {
    "memory": ("MemoryLimit", N_("used more than {limit} MB of memory"), "memory_limit"),
    "processes": ("ProcessLimit", N_("started more than the {limit} processes or threads allowed"), "process_limit"),
}


def limit_message(what: str) -> str:
    """What a learner reads when their submission went past one of its limits (``what`` already in their language)."""
    return _("Your code {what}, the limit for one submission, so the Python kernel was stopped.", what=what)


class GradingExecute(ExecuteHooks, Execute):
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

    notebook_timeout = Integer(
        600,
        help="Seconds that all the cells of one notebook may take together (0: no limit). Cells "
        "left when it is reached are not run, and fail.",
    ).tag(config=True)

    kill_after = Float(
        5.0,
        help="Seconds that a cell interrupted at its time limit has to stop before its kernel is "
        "stopped (a cell that ignores interrupts would otherwise hold every later cell).",
    ).tag(config=True)

    output_limit = Integer(
        5_000_000,
        help="Characters of output kept per notebook; beyond it the output is cut and the cell "
        "interrupted (a notebook printing hundreds of megabytes would fill the grader's memory).",
    ).tag(config=True)

    output_count_limit = Integer(
        20_000,
        help="Outputs (prints, displays, errors) kept per notebook; beyond it the output is cut and the cell "
        "interrupted (empty outputs count too, so that a loop of them cannot fill the grader's memory).",
    ).tag(config=True)

    #: Errors still kept after the output was cut (each one can make a test score 0).
    ERRORS_AFTER_CUT = 20

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(**kwargs)
        self._from_spare = False
        self._reset_limits()

    def _reset_limits(self) -> None:
        self._deadline = monotonic() + self.notebook_timeout if self.notebook_timeout else None
        self._stopped: str | None = None  # why the cells left are not run
        self._timed_out = False
        self._output_chars = 0
        self._output_count = 0
        self._errors_after_cut = 0
        self._output_cut = False
        self.events: list[str] = []

    def preprocess(self, nb, resources=None, km=None):
        self._reset_limits()
        nb, resources = super().preprocess(nb, resources, km)
        resources.setdefault("autograder", {}).setdefault("events", []).extend(self.events)
        return nb, resources

    def cell_timeout(self, cell, limit: float | None) -> float | None:
        """The cell's own limit, cut to what is left of the notebook's."""
        if self._deadline is not None:
            left = max(1.0, self._deadline - monotonic())
            limit = left if limit is None else min(limit, left)
        return limit

    def on_cell_timeout(self, cell) -> None:
        self._timed_out = True

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "code" or not cell.source.strip():
            return await self._execute_with_priority(cell, cell_index, execution_count, store_history)
        if self._stopped is None and self._deadline is not None and monotonic() >= self._deadline:
            self._stopped = f"the notebook reached its time limit of {self.notebook_timeout} s"
            self.events.append(f"The notebook reached its time limit of {self.notebook_timeout} s at "
                               f"{cell_label(cell, cell_index)}; the cells left were not run and score 0.")
        if self._stopped is not None:
            cell.outputs = [error_output("NotRun", f"This cell was not run: {self._stopped}.")]
            return cell
        self._timed_out = False
        try:
            cell = await self._execute_with_priority(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            self._stopped = "the Python kernel stopped in an earlier cell"
            cell.outputs.append(self._kernel_stopped(cell, cell_index))
            return cell
        except CellTimeoutError:  # the reply came (or was made up at the time limit), the kernel stays busy
            self._timed_out = True
            cell.outputs.append(error_output(
                "CellTimeoutError", "This cell did not finish within its time limit, and its output kept coming."))
        if self._timed_out and not await self._responsive():
            self._kill_kernel()
            self._stopped = "the cell before ignored the interrupt at its time limit, so its kernel was stopped"
            self.events.append(f"{cell_label(cell, cell_index).capitalize()} ignored the interrupt at its time limit; "
                               "its kernel was stopped and the cells after it were not run (score 0).")
        return cell

    def _kernel_stopped(self, cell, cell_index: int) -> NotebookNode:
        """The error of a cell whose kernel died, saying why when a limit of the submission was hit."""
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        hit = current_launcher().limit_hit(pid) if pid else None
        where = cell_label(cell, cell_index)
        if hit in LIMIT_ERRORS:
            name, what, setting = LIMIT_ERRORS[hit]
            what = what.format(limit=getattr(current_launcher().sandbox, setting))
            self.events.append(f"The submission {what} in {where}; the Python kernel stopped and the cells after it "
                               "were not run (score 0).")
            return error_output(name, limit_message(what) + " The cells after it were not run.")
        self.events.append(f"The Python kernel stopped in {where} (os._exit(), a crash or too much memory); the "
                           "cells after it were not run and score 0.")
        return error_output("KernelStopped", "The Python kernel stopped while this cell ran: its code may call "
                                             "os._exit() or crash Python, or use more memory than allowed. The cells "
                                             "after it were not run.")

    async def _responsive(self) -> bool:
        """Whether the kernel answers within ``kill_after`` seconds (after an interrupt)."""
        msg_id = self.kc.kernel_info()
        deadline = monotonic() + self.kill_after
        while True:
            left = deadline - monotonic()
            if left <= 0:
                return False
            try:
                message = await ensure_async(self.kc.shell_channel.get_msg(timeout=left))
            except Empty:
                return False
            if message["parent_header"].get("msg_id") == msg_id:
                return True

    def _kill_kernel(self) -> None:
        group = getattr(getattr(self.km, "provisioner", None), "pgid", None)
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:  # already gone
                pass

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's output, counting characters: beyond ``output_limit`` the rest is cut, but for
        errors (short, and what makes a failing test score 0)."""
        if self._output_cut:
            if msg.get("msg_type") != "error" or self._errors_after_cut >= self.ERRORS_AFTER_CUT:
                return None
            self._errors_after_cut += 1
            content = msg.setdefault("content", {})
            content["traceback"] = [line[:2000] for line in content.get("traceback", [])[-40:]]
            content["evalue"] = str(content.get("evalue", ""))[:2000]
            return super().output(outs, msg, display_id, cell_index)
        self._output_chars += content_size(msg.get("content", {}))
        self._output_count += 1
        if self._output_chars > self.output_limit or self._output_count > self.output_count_limit:
            self._output_cut = True
            if self._output_chars > self.output_limit:
                what = f"more than {self.output_limit / 1_000_000:g} million characters"
            else:
                what = f"more than {self.output_count_limit} outputs"
            outs.append(error_output("OutputLimit", f"This notebook printed {what}; the rest of its output was cut and "
                                                    "the cell was stopped."))
            self.events.append(f"The notebook printed {what} in cell {cell_index + 1}; the output was cut there and "
                               "the cell stopped.")
            asyncio.ensure_future(ensure_async(self.km.interrupt_kernel()))
            return None
        return super().output(outs, msg, display_id, cell_index)

    async def _execute_with_priority(self, cell, cell_index, execution_count=None, store_history=True):
        limit = self.time_limit(cell)
        pid = getattr(getattr(self.km, "provisioner", None), "pgid", None)
        if not (limit and self.stuck_share and pid):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        lowered: list[int] = []
        handle = asyncio.get_running_loop().call_later(limit * self.stuck_share, lower_priority, pid, lowered)
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            handle.cancel()
            if lowered:
                restore_priority(pid, lowered[0])

    execute_cell = run_sync(async_execute_cell)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        # A sandboxed kernel sees only its own submission, fixed when it starts: none starts ahead.
        if not self.start_ahead or current_launcher().sandboxed:
            return await super().async_start_new_kernel(**kwargs)
        if getattr(self.km, "ipykernel", False) and self.ipython_hist_file and not any(
            argument.startswith("--HistoryManager.hist_file") for argument in self.extra_arguments
        ):
            self.extra_arguments = [*self.extra_arguments, f"--HistoryManager.hist_file={self.ipython_hist_file}"]
        key = (self.km.kernel_name, tuple(self.extra_arguments))
        spare = spares.pop(key, None)
        self._from_spare = spare is not None and await ensure_async(spare.is_alive())
        if self._from_spare:
            self.km = spare
        else:
            if spare is not None:
                await discard(spare)
            await super().async_start_new_kernel(**kwargs)
        spares[key] = await self._start_spare(key)

    start_new_kernel = run_sync(async_start_new_kernel)

    async def _start_spare(self, key: tuple) -> AsyncKernelManager:
        manager = self.kernel_manager_class(kernel_name=key[0], config=self.config)
        await ensure_async(manager.start_kernel(extra_arguments=list(key[1]), cwd=spare_folder(),
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


def cell_label(cell, index: int) -> str:
    """How an instructor finds a cell: its nbgrader id, or its number."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index + 1} ({grade_id})" if grade_id else f"cell {index + 1}"


def error_output(name: str, message: str) -> NotebookNode:
    """An error output as a kernel would send it (nbgrader scores a test cell with one 0)."""
    return NotebookNode(output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def content_size(content) -> int:
    """Characters of text in a message's content (text, data of every type, traceback lines)."""
    if isinstance(content, str):
        return len(content)
    if isinstance(content, dict):
        return sum(content_size(value) for value in content.values())
    if isinstance(content, list):
        return sum(content_size(value) for value in content)
    return 0

"""The spare kernels of :class:`~autograder.preprocessors.GradingExecute`: the next notebook's kernel
starts while this one runs, in an empty folder of the worker's own."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from multiprocessing.util import Finalize

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync

#: Spare kernels by (kernel name, arguments), one per kind in each worker process.
spares: dict[tuple, AsyncKernelManager] = {}
_folder: list[str] = []


def spare_folder() -> str:
    """An empty folder, this process's own, where spare kernels start."""
    if not _folder:
        folder = tempfile.mkdtemp(prefix="autograder-kernel-")
        _folder.append(folder)
        Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)
        atexit.register(shutil.rmtree, folder, True)
    return _folder[0]


async def discard(manager: AsyncKernelManager) -> None:
    """Stop a spare kernel now."""
    try:
        await ensure_async(manager.shutdown_kernel(now=True))
    except Exception:  # a spare that died on its own has nothing left to stop
        pass


def discard_spare_kernels() -> None:
    """Stop the spare kernels of this process (at the end of grading)."""
    for key in list(spares):
        run_sync(discard)(spares.pop(key))

"""Cells stuck in an endless loop wait at the lowest CPU priority, and are counted.

A cell still running after a share of its time limit (``GradingExecute.stuck_share``) gets nice 19
until it ends: it then takes CPU time only when no other submission needs it, and still fails at its
time limit. The grader counts such kernels across its workers so that it can start another
submission meanwhile.
"""

from __future__ import annotations

import os

#: The nice value of a kernel whose cell has run for a large share of its time limit.
LOWEST_PRIORITY = 19

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


def lower_priority(process_group: int, lowered: list[int]) -> None:
    """Give the kernel's processes the lowest CPU priority; append their former one to ``lowered``."""
    try:
        priority = os.getpriority(os.PRIO_PGRP, process_group)
        os.setpriority(os.PRIO_PGRP, process_group, LOWEST_PRIORITY)
    except OSError:  # the kernel has just ended
        return
    lowered.append(priority)
    _add_stuck(1)


def restore_priority(process_group: int, priority: int) -> None:
    """Give the kernel's processes their former ``priority`` back (the cell has ended)."""
    _add_stuck(-1)
    try:
        os.setpriority(os.PRIO_PGRP, process_group, priority)
    except OSError:  # not allowed without privileges: the kernel stays low for its last cells
        pass

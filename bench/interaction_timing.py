"""Timing of slider moves, shared by the simulation benchmarks (``bench_*_widgets.py``).

One interaction is what a learner waits for after moving a control: the model, the in-place
redraw and the render. Wall-clock time is what the target is about; CPU time is kept beside it,
because on a busy machine wall-clock time grows and CPU time does not.
"""

from __future__ import annotations

import gc
import time

import numpy as np

#: Target of every slider move: 95 % of them within this many milliseconds.
TARGET_P95_MS = 100.0
#: Moves run before measuring (caches and first renders), left out of the figures.
WARM_UP = 3

#: CPU time of the last measured interactions, by benchmark, to read the wall-clock figures on a busy machine.
CPU_MS: dict[str, np.ndarray] = {}


def timed(action, steps, name: str) -> np.ndarray:
    """Run ``action(step)`` for every step; return the wall-clock durations in ms (warm-up dropped).

    The CPU time of this process is kept in :data:`CPU_MS` under ``name`` too.
    """
    durations, cpu = [], []
    gc.collect()
    for step in steps:
        start, start_cpu = time.perf_counter(), time.process_time()
        action(step)
        durations.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU_MS[name] = np.array(cpu[WARM_UP:])
    return np.array(durations[WARM_UP:])

"""Timing of slider moves, shared by the simulation benchmarks (``bench_*_widgets.py``).

One interaction is what a learner waits for after moving a control: the model, the in-place
redraw and the render. Wall-clock time is what the target is about; CPU time is kept beside it,
because on a busy machine wall-clock time grows and CPU time does not.
"""

from __future__ import annotations

import gc
import os
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


def print_table(rows) -> None:
    """Print the benchmark table, the CPU times and one PASS or FAIL line per benchmark.

    ``rows`` holds ``(name, measured, baseline, key)``: the wall-clock durations in place and those
    of the baseline (a new figure each time), measured in the same run by :func:`timed`, and the
    ``key`` under which :func:`timed` kept their CPU times (the baseline's is ``key + " baseline"``).
    """
    print("| benchmark | p50 ms | p95 ms | baseline | baseline p95 ms | ratio | target |")
    print("|---|---|---|---|---|---|---|")
    verdicts = []
    for name, measured, baseline, _ in rows:
        p50, p95 = np.percentile(measured, [50, 95])
        base_p95 = np.percentile(baseline, 95)
        passed = p95 <= TARGET_P95_MS
        verdicts.append((name, passed, p95))
        print(
            f"| {name} | {p50:.1f} | {p95:.1f} | new figure each time | {base_p95:.1f} | {p95 / base_p95:.2f} "
            f"| p95 ≤ {TARGET_P95_MS:.0f} ms: {'PASS' if passed else 'FAIL'} |"
        )
    print("\nratio = p95 in place ÷ p95 of the baseline (below 1: in-place updates are faster).")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"CPU time of this process (load average {load:.2f} on {os.cpu_count()} cores during the run):")
    for name, _, _, key in rows:
        cpu50, cpu95 = np.percentile(CPU_MS[key], [50, 95])
        base50, base95 = np.percentile(CPU_MS[key + " baseline"], [50, 95])
        print(f"- {name}: p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms (baseline p50 {base50:.1f} ms, p95 {base95:.1f} ms)")
    for name, passed, p95 in verdicts:
        print(f"{'PASS' if passed else 'FAIL'}: {name}, p95 {p95:.1f} ms against a target of {TARGET_P95_MS:.0f} ms")

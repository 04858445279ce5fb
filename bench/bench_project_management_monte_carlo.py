"""Benchmark: how long do 10,000 Monte Carlo runs of a 30-task network take in module 2's model?

One measurement = one call of ``model.simulate(network, estimates, runs=10_000)``: drawing every
uncertain duration (triangular), the forward pass (project duration of every run) and the backward
pass (which tasks were critical in every run), all vectorised with numpy over the runs. The
baseline, measured in the same run on the same network, does the same work one run at a time in
pure Python (``random.triangular`` and loops over the tasks), which is how a simulation is usually
first written.

Run from the repository root:

    python bench/bench_project_management_monte_carlo.py [--repeats 20]

It prints a markdown table, then PASS or FAIL against the target (10,000 runs of a 30-task network
in well under a second: median ≤ 250 ms and slowest ≤ 1,000 ms), and always exits with status 0:
timings depend on the machine, so the table is information, not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from modules.project_management import model  # noqa: E402

TASKS = 30
RUNS = 10_000
TARGET_MEDIAN_MS = 250.0
TARGET_MAX_MS = 1_000.0
WARM_UP = 2


def thirty_task_network(seed: int = 12) -> tuple[model.Network, dict[str, model.ThreePoint]]:
    """A reproducible 30-task network: each task follows 1 to 3 of the 6 tasks before it (the
    first two start the project), with three-point estimates from 2 to 15 working days."""
    rng = np.random.default_rng(seed)
    tasks, estimates = [], {}
    for index in range(TASKS):
        name = f"T{index:02d}"
        earlier = [f"T{j:02d}" for j in range(max(0, index - 6), index)]
        count = 0 if index < 2 else int(rng.integers(1, min(3, len(earlier)) + 1))
        predecessors = tuple(rng.choice(earlier, size=count, replace=False)) if count else ()
        likely = float(rng.integers(2, 16))
        tasks.append(model.Task(name, likely, predecessors))
        estimates[name] = model.ThreePoint(round(0.8 * likely, 1), likely, round(1.6 * likely, 1))
    return model.Network(tasks), estimates


def python_loop(network: model.Network, estimates: dict[str, model.ThreePoint], runs: int, seed: int) -> tuple[list[float], list[int]]:
    """The baseline: one run at a time, in pure Python. Returns the durations and, per task, the
    number of runs in which it was critical (the same outputs as ``model.simulate``)."""
    generator = random.Random(seed)
    names = network.names
    preds = [list(p) for p in network.predecessor_indices]
    succs = [list(s) for s in network.successor_indices]
    points = [estimates[name].as_tuple() for name in names]
    finishes, critical_counts = [], [0] * len(names)
    for _ in range(runs):
        durations = [generator.triangular(a, b, m) if b > a else m for a, m, b in points]
        earliest_start, earliest_finish = [0.0] * len(names), [0.0] * len(names)
        for i in range(len(names)):
            earliest_start[i] = max((earliest_finish[p] for p in preds[i]), default=0.0)
            earliest_finish[i] = earliest_start[i] + durations[i]
        end = max(earliest_finish)
        latest_start = [0.0] * len(names)
        for i in range(len(names) - 1, -1, -1):
            latest_start[i] = min((latest_start[s] for s in succs[i]), default=end) - durations[i]
        for i in range(len(names)):
            if latest_start[i] - earliest_start[i] <= 1e-9 * max(1.0, end):
                critical_counts[i] += 1
        finishes.append(end)
    return finishes, critical_counts


def timed(action, repeats: int) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU durations (ms) of ``repeats`` calls of ``action`` after a warm-up."""
    wall, cpu = [], []
    for index in range(repeats + WARM_UP):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        if index >= WARM_UP:
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return np.array(wall), np.array(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed calls of the vectorised simulation (at least 5)")
    parser.add_argument("--baseline-repeats", type=int, default=3, help="timed calls of the pure-Python baseline (at least 1)")
    arguments = parser.parse_args()
    repeats, baseline_repeats = max(arguments.repeats, 5), max(arguments.baseline_repeats, 1)

    network, estimates = thirty_task_network()
    vectorised, vectorised_cpu = timed(lambda: model.simulate(network, estimates, runs=RUNS, seed=2024), repeats)
    baseline, baseline_cpu = timed(lambda: python_loop(network, estimates, RUNS, 2024), baseline_repeats)

    median, slowest = np.median(vectorised), vectorised.max()
    base_median = np.median(baseline)
    passed = median <= TARGET_MEDIAN_MS and slowest <= TARGET_MAX_MS
    print(
        f"Module 2 Monte Carlo: {RUNS:,} runs of a {TASKS}-task network ({len(model.critical_paths(network))} critical path(s), "
        f"deterministic duration {model.project_duration(network):g} working days); {repeats} timed calls "
        f"({baseline_repeats} for the baseline) after {WARM_UP} warm-up calls.\n"
    )
    print("| benchmark | median ms | slowest ms | baseline | baseline median ms | ratio | target |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| model.simulate, {RUNS:,} runs × {TASKS} tasks (numpy) | {median:.1f} | {slowest:.1f} "
        f"| pure-Python loop over runs | {base_median:.1f} | {median / base_median:.3f} "
        f"| median ≤ {TARGET_MEDIAN_MS:.0f} ms and slowest ≤ {TARGET_MAX_MS:.0f} ms: {'PASS' if passed else 'FAIL'} |"
    )
    print("\nratio = median vectorised ÷ median baseline (below 1: numpy is faster; "
          f"the baseline is {base_median / median:.0f} times slower).")

    # the two methods draw different random numbers, so they agree in distribution, not run by run
    result = model.simulate(network, estimates, runs=RUNS, seed=2024)
    finishes, counts = python_loop(network, estimates, RUNS, 2024)
    print(
        f"Same answer: P80 {result.p80:.2f} (numpy) against {np.percentile(finishes, 80):.2f} (baseline) working days; "
        f"largest gap in a task's critical share {np.max(np.abs(result.critical_share.to_numpy() - np.array(counts) / RUNS)):.3f}."
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"CPU time of this process (load average {load:.2f} on {os.cpu_count()} cores during the run): "
          f"vectorised median {np.median(vectorised_cpu):.1f} ms, baseline median {np.median(baseline_cpu):.1f} ms.")
    print(f"{'PASS' if passed else 'FAIL'}: model.simulate, median {median:.1f} ms and slowest {slowest:.1f} ms "
          f"against a target of {TARGET_MEDIAN_MS:.0f} ms and {TARGET_MAX_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

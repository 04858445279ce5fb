"""Benchmark: how long does one slider move take in the simulations of module 1?

One interaction = set a slider's value, which runs the model, moves the plot artists in place and
re-renders the figure into its widget (what a learner waits for). The baseline, measured in the
same run on the same sequence of values, recomputes the model and builds a brand-new figure every
time before rendering it, which is what a simulation without in-place updates does.

Run from the repository root:

    python bench/bench_budgeting_widgets.py [--interactions 60]

It prints a markdown table, then PASS or FAIL against the target (p95 ≤ 100 ms), and always exits
with status 0: timings depend on the machine, so the table is information, not a test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interaction_timing import WARM_UP, print_table, timed  # noqa: E402

from modules.budgeting import model  # noqa: E402
from modules.budgeting.widgets import SLIDERS, BudgetSimulator, ParticipatoryBudgetSimulator  # noqa: E402
from modules.common.views import plotting  # noqa: E402



def budget_steps(count: int, seed: int = 1) -> list[tuple[str, float]]:
    """(slider, value) pairs spread over every slider's range, reproducible."""
    rng = np.random.default_rng(seed)
    names = list(SLIDERS)
    steps = []
    for index in range(count):
        name = names[index % len(names)]
        _, _, low, high, step, _ = SLIDERS[name]
        steps.append((name, float(np.round(rng.uniform(low, high) / step) * step)))
    return steps


def bench_budget(count: int) -> tuple[np.ndarray, np.ndarray]:
    start = model.lanester_2019()
    simulator = BudgetSimulator(start, policy=model.LANESTER_TRENDS, name="Lanester")

    def in_place(step):
        name, value = step
        simulator.sliders[name].value = value

    # Baseline: a second simulator whose sliders are moved without its observers, then the whole
    # figure is rebuilt from scratch (new figure, new axes, new lines, fresh layout) and rendered.
    baseline = BudgetSimulator(start, policy=model.LANESTER_TRENDS, name="Lanester")
    for control in baseline.sliders.values():
        control.unobserve(baseline._on_change, names="value")

    def rebuild(step):
        name, value = step
        baseline.sliders[name].value = value
        baseline.frame = model.project_budget(start, baseline.policy, baseline.years)
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_verdict()

    steps = budget_steps(count + WARM_UP)
    return timed(in_place, steps, "budget"), timed(rebuild, steps, "budget baseline")


def bench_participatory(count: int, rule: str) -> tuple[np.ndarray, np.ndarray]:
    projects = model.avignon_2017_projects()
    ballots = model.simulate_votes(projects, voters=1000, seed=2017)
    simulator = ParticipatoryBudgetSimulator(projects, ballots, rule=rule, name="Avignon 2017")
    baseline = ParticipatoryBudgetSimulator(projects, ballots, rule=rule, name="Avignon 2017")
    baseline.envelope_slider.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(2)
    low, high = simulator.envelope_slider.min, simulator.envelope_slider.max
    steps = [float(np.round(rng.uniform(low, high) / 25) * 25) for _ in range(count + WARM_UP)]

    def in_place(value):
        simulator._cache.clear()  # measure the model every time, not the cache
        simulator.envelope_slider.value = value

    def rebuild(value):
        baseline._cache.clear()
        baseline.envelope_slider.value = value
        baseline._compute()
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, f"pb {rule}"), timed(rebuild, steps, f"pb {rule} baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=60, help="slider moves measured per benchmark (at least 50)")
    arguments = parser.parse_args()
    count = max(arguments.interactions, 50)

    rows = [
        ("BudgetSimulator: one policy slider", *bench_budget(count), "budget"),
        ("ParticipatoryBudgetSimulator: envelope, greedy", *bench_participatory(count, "greedy"), "pb greedy"),
        ("ParticipatoryBudgetSimulator: envelope, equal shares", *bench_participatory(count, "equal shares"), "pb equal shares"),
    ]
    print(f"Module 1 simulations: {count} interactions each (model + in-place redraw + render), after {WARM_UP} warm-up moves.\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: how long does one slider move take in the simulations of module 2?

One interaction = set a slider's value, which asks the model for a new result (a Monte Carlo
simulation of the network, or the earned-value indicators), moves the plot artists in place and
re-renders the figure into its widget (what a learner waits for). The baseline, measured in the
same run on the same sequence of values, recomputes the model and builds a brand-new figure every
time before rendering it, which is what a simulation without in-place updates does.

The schedule-risk simulator runs on a 30-task network (the size the issue asks the Monte Carlo to
handle), with its results cache emptied before every move so that the model is measured every time.
Its runs slider is measured over the whole range, and the spread sliders at the largest number of
runs too: that worst case is what ``RUNS_RANGE`` in modules/project_management/widgets.py is sized for.

Run from the repository root:

    python bench/bench_project_management_widgets.py [--interactions 60]

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

from modules.common.views import plotting  # noqa: E402
from modules.project_management import model  # noqa: E402
from modules.project_management.widgets import RUNS_RANGE, SPREAD_RANGE, EarnedValueDashboard, ScheduleRiskSimulator  # noqa: E402

GROUPS = ("Preparation", "Design and tender", "Structural works", "Finishing works")


def thousands(number: int) -> str:
    """``10000`` → ``'10 000'``."""
    return f"{number:,}".replace(",", " ")


def thirty_task_network(seed: int = 30) -> tuple[model.Network, dict[str, model.ThreePoint], dict[str, list[str]]]:
    """A reproducible 30-task network, its three-point estimates and four groups of tasks.

    Each task waits for one or two of the five tasks before it, so the network has parallel
    branches that merge, like a real works schedule; the first and last tasks are milestones.
    """
    rng = np.random.default_rng(seed)
    tasks = [model.Task("Council vote", 0)]
    estimates = {}
    for index in range(1, 29):
        earlier = [task.name for task in tasks[max(0, index - 5) : index]]
        predecessors = tuple(rng.choice(earlier, size=min(len(earlier), int(rng.integers(1, 3))), replace=False))
        likely = float(rng.integers(3, 25))
        name = f"Task {index:02d}"
        tasks.append(model.Task(name, likely, predecessors))
        estimates[name] = model.ThreePoint(round(0.8 * likely, 1), likely, round(likely * float(rng.uniform(1.2, 2.0)), 1))
    waited_for = {predecessor for task in tasks for predecessor in task.predecessors}
    tasks.append(model.Task("Handover", 0, tuple(task.name for task in tasks if task.name not in waited_for)))
    names = list(estimates)
    groups = {label: names[7 * part : 7 * part + 7] for part, label in enumerate(GROUPS)}
    return model.Network(tasks), estimates, groups


def risk_simulators(runs: int) -> tuple[ScheduleRiskSimulator, ScheduleRiskSimulator]:
    """The measured simulator and the baseline (whose sliders are moved without its observers)."""
    network, estimates, groups = thirty_task_network()
    plan = model.project_duration(network, model.most_likely_durations(estimates))
    simulators = [
        ScheduleRiskSimulator(network, estimates, runs=runs, deadline=round(plan * 1.1), groups=groups, name="a 30-task project")
        for _ in range(2)
    ]
    baseline = simulators[1]
    for control in (*baseline.spread_sliders.values(), baseline.runs_slider, baseline.deadline_slider):
        control.unobserve(baseline._on_change, names="value")
    return simulators[0], baseline


def bench_risk(count: int, control: str, runs: int, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Move one kind of slider of :class:`ScheduleRiskSimulator`: ``"spread"``, ``"runs"`` or ``"deadline"``.

    ``runs`` is the starting number of runs; ``key`` names the benchmark in :data:`CPU_MS`.
    """
    simulator, baseline = risk_simulators(runs)
    rng = np.random.default_rng({"spread": 3, "runs": 4, "deadline": 5}[control])
    low, high, step = SPREAD_RANGE
    steps = []
    for index in range(count + WARM_UP):
        if control == "spread":
            steps.append((GROUPS[index % len(GROUPS)], float(np.round(rng.uniform(low, high) / step) * step)))
        elif control == "runs":
            steps.append(("runs", float(rng.choice(np.arange(RUNS_RANGE[0], RUNS_RANGE[1] + 1, RUNS_RANGE[2])))))
        else:
            slider = simulator.deadline_slider
            steps.append(("deadline", float(rng.integers(slider.min, slider.max + 1))))

    def slider_of(sim, name):
        return sim.runs_slider if name == "runs" else sim.deadline_slider if name == "deadline" else sim.spread_sliders[name]

    def in_place(step):
        name, value = step
        simulator._cache.clear()  # measure the model every time, not the cache
        slider_of(simulator, name).value = value

    def rebuild(step):
        name, value = step
        baseline._cache.clear()
        slider_of(baseline, name).value = value
        baseline.result = baseline.simulate(baseline.factors, baseline.runs)
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_verdict()

    return timed(in_place, steps, key), timed(rebuild, steps, f"{key} baseline")


def bench_earned_value(count: int) -> tuple[np.ndarray, np.ndarray]:
    bac = 1_200_000.0
    curve = model.planned_curve(bac, 24)
    dashboard = EarnedValueDashboard(bac, curve, status=12, percent_done=40, spent=560_000, name="the school renovation", time_unit="week")
    baseline = EarnedValueDashboard(bac, curve, status=12, percent_done=40, spent=560_000, name="the school renovation", time_unit="week")
    for control in (baseline.status_slider, baseline.done_slider, baseline.spent_slider):
        control.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(6)
    names = ("status_slider", "done_slider", "spent_slider")
    steps = []
    for index in range(count + WARM_UP):
        name = names[index % len(names)]
        slider = getattr(dashboard, name)
        steps.append((name, float(np.round(rng.uniform(slider.min, slider.max) / slider.step) * slider.step)))

    def in_place(step):
        name, value = step
        getattr(dashboard, name).value = value

    def rebuild(step):
        name, value = step
        getattr(baseline, name).value = value
        baseline._compute()
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_verdict()

    return timed(in_place, steps, "earned value"), timed(rebuild, steps, "earned value baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=60, help="slider moves measured per benchmark (at least 50)")
    arguments = parser.parse_args()
    count = max(arguments.interactions, 50)
    runs_max = RUNS_RANGE[1]

    rows = [
        ("ScheduleRiskSimulator: spread sliders, 2 000 runs", *bench_risk(count, "spread", 2_000, "risk spread"), "risk spread"),
        (f"ScheduleRiskSimulator: runs slider, {thousands(RUNS_RANGE[0])}–{thousands(runs_max)} runs", *bench_risk(count, "runs", 2_000, "risk runs"), "risk runs"),
        (f"ScheduleRiskSimulator: spread sliders, {thousands(runs_max)} runs", *bench_risk(count, "spread", runs_max, "risk spread max"), "risk spread max"),
        ("ScheduleRiskSimulator: deadline slider, 2 000 runs", *bench_risk(count, "deadline", 2_000, "risk deadline"), "risk deadline"),
        ("EarnedValueDashboard: status, work done, money spent", *bench_earned_value(count), "earned value"),
    ]
    print(f"Module 2 simulations: {count} interactions each (model + in-place redraw + render), after {WARM_UP} warm-up moves.")
    print("Schedule risk on a 30-task network; its cache is emptied before every move.\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

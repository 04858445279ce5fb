"""Benchmark: how long does one control move take in the simulations of module 3?

One interaction = set a control's value (a menu, a slider or a button), which asks the model for the
new result (the channel's series and its flagged days, the maturity scores, the year of lighting),
moves the plot artists in place and re-renders the figure into its widget (what a learner waits for).
The baseline, measured in the same run on the same sequence of values, recomputes the model and
builds a brand-new figure every time before rendering it, which is what a simulation without
in-place updates does.

The counter explorer runs on the real Avignon counts of 2021 (model.load_counts()); its cache of
series and anomalies is emptied before every move, so that the model is measured every time. The
lighting simulator's cache is emptied too.

Run from the repository root:

    python bench/bench_smart_towns_widgets.py [--interactions 60]

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
from modules.smart_towns import model  # noqa: E402
from modules.smart_towns.widgets import HOURS, SLIDERS, CounterExplorer, LightingSimulator, MaturityAssessment  # noqa: E402


def explorers(counts) -> tuple[CounterExplorer, CounterExplorer]:
    """The measured explorer and the baseline (whose controls are moved without its observers)."""
    explorer, baseline = CounterExplorer(counts), CounterExplorer(counts)
    for control in (baseline.channel_dropdown, baseline.period_slider, baseline.by_buttons):
        control.unobserve(baseline._on_change, names="value")
    return explorer, baseline


def bench_counters(count: int, counts, kind: str, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Move the explorer's channel menu (``kind="channel"``) or its period slider and aggregation buttons."""
    explorer, baseline = explorers(counts)
    rng = np.random.default_rng({"channel": 7, "period": 8}[kind])
    keys = [key for _, key in explorer.channel_dropdown.options]
    months = len(explorer.months)
    # Every step changes the control it moves (a value equal to the current one would cost nothing).
    channel, period, by = explorer.channel, tuple(explorer.period_slider.index), explorer.by
    steps = []
    for index in range(count + WARM_UP):
        if kind == "channel":
            channel = rng.choice([key for key in keys if key != channel])
            steps.append(("channel", str(channel)))
        elif index % 3 == 2:
            by = str(rng.choice([key for key in ("day", "week", "month") if key != by]))
            steps.append(("by", by))
        else:
            choice = period
            while choice == period:
                first = int(rng.integers(0, months))
                choice = (first, int(rng.integers(first, months)))
            period = choice
            steps.append(("period", period))

    def move(view, step):
        name, value = step
        if name == "channel":
            view.channel_dropdown.value = value
        elif name == "by":
            view.by_buttons.value = value
        else:
            view.period_slider.index = value

    def in_place(step):
        explorer.clear_cache()  # measure the model every time, not the cache
        move(explorer, step)

    def rebuild(step):
        baseline.clear_cache()
        move(baseline, step)
        baseline._compute()
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, key), timed(rebuild, steps, f"{key} baseline")


def bench_maturity(count: int) -> tuple[np.ndarray, np.ndarray]:
    assessment, baseline = MaturityAssessment(name="Avignon"), MaturityAssessment(name="Avignon")
    for control in baseline.controls.values():
        control.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(9)
    keys = list(assessment.controls)
    answers = assessment.answers
    steps = []
    for _ in range(count + WARM_UP):
        question = keys[int(rng.integers(0, len(keys)))]
        answers[question] = int((answers[question] + rng.integers(1, 4)) % 4)  # always a real change
        steps.append((question, answers[question]))

    def in_place(step):
        question, value = step
        assessment.controls[question].value = value

    def rebuild(step):
        question, value = step
        baseline.controls[question].value = value
        baseline.result = model.score(baseline.answers)
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, "maturity"), timed(rebuild, steps, "maturity baseline")


def bench_lighting(count: int) -> tuple[np.ndarray, np.ndarray]:
    simulator, baseline = LightingSimulator(), LightingSimulator()
    controls = ("start", "end", *SLIDERS)
    for control in (baseline.start_slider, baseline.end_slider, *baseline.sliders.values()):
        control.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(10)
    current = {"start": simulator.start_slider.value, "end": simulator.end_slider.value}
    current.update({name: control.value for name, control in simulator.sliders.items()})
    steps = []
    for index in range(count + WARM_UP):
        name = controls[index % len(controls)]
        value = current[name]
        while value == current[name]:  # always a real change
            if name in ("start", "end"):
                value = float(HOURS[int(rng.integers(0, len(HOURS)))])
            else:
                _, _, low, high, step, _ = SLIDERS[name]
                value = float(np.round(rng.uniform(low, high) / step) * step)
        current[name] = value
        steps.append((name, value))

    def control_of(view, name):
        return view.start_slider if name == "start" else view.end_slider if name == "end" else view.sliders[name]

    def in_place(step):
        name, value = step
        simulator._cache.clear()  # measure the model every time, not the cache
        control_of(simulator, name).value = value

    def rebuild(step):
        name, value = step
        baseline._cache.clear()
        control_of(baseline, name).value = value
        baseline._compute()
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, "lighting"), timed(rebuild, steps, "lighting baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=60, help="control moves measured per benchmark (at least 50)")
    arguments = parser.parse_args()
    count = max(arguments.interactions, 50)
    counts = model.load_counts()

    rows = [
        ("CounterExplorer: channel menu (series and anomalies from the model)", *bench_counters(count, counts, "channel", "counter channel"), "counter channel"),
        ("CounterExplorer: period slider and day/week/month buttons", *bench_counters(count, counts, "period", "counter period"), "counter period"),
        ("MaturityAssessment: one answer of 18", *bench_maturity(count), "maturity"),
        ("LightingSimulator: dimming hours and level, LED power, price, emission factor, investment", *bench_lighting(count), "lighting"),
    ]
    print(f"Module 3 simulations: {count} interactions each (model + in-place redraw + render), after {WARM_UP} warm-up moves.")
    print("Avignon's 2021 counts; the caches of the counter explorer and the lighting simulator are emptied before every move.\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

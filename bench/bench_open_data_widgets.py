"""Benchmark: how long does one control move take in the simulations of module 4?

One interaction = set a control's value (a record in the metadata explorer's menu; a level or a tick
in the publish simulator), which asks the model for the new result (the record's report; the
generalised table's groups, k, ℓ, loss and verdict), moves the plot artists in place and re-renders
the figure into its widget (what a learner waits for). The baseline, measured in the same run on the
same sequence of values, recomputes the model and builds a brand-new figure every time before
rendering it, which is what a simulation without in-place updates does.

The publish simulator runs on the course's synthetic table of 4,000 service requests; its cache is
emptied before every move, so that the model (generalisation, groups, k, ℓ) is measured every time.

Run from the repository root:

    python bench/bench_open_data_widgets.py [--interactions 60]

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
from modules.open_data import model  # noqa: E402
from modules.open_data.widgets import MetadataExplorer, PublishSimulator  # noqa: E402


def bench_explorer(count: int) -> tuple[np.ndarray, np.ndarray]:
    records = model.read_records()
    explorer, baseline = MetadataExplorer(records), MetadataExplorer(records)
    baseline.menu.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(11)
    files = list(explorer.table["file"])
    current, steps = explorer.selected, []
    for _ in range(count + WARM_UP):
        current = str(rng.choice([file for file in files if file != current]))  # always a real change
        steps.append(current)

    def in_place(file):
        explorer.select(file)

    def rebuild(file):
        baseline.menu.value = file
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, "explorer"), timed(rebuild, steps, "explorer baseline")


def bench_simulator(count: int, requests) -> tuple[np.ndarray, np.ndarray]:
    simulator, baseline = PublishSimulator(requests), PublishSimulator(requests)
    for control in [*baseline.ticks.values(), *baseline.levels.values()]:
        control.unobserve(baseline._on_change, names="value")
    rng = np.random.default_rng(12)
    names = list(model.QUASI_IDENTIFIERS)
    levels = {name: 0 for name in names}
    steps = []
    for index in range(count + WARM_UP):
        name = names[index % len(names)]
        top = model.HIERARCHIES[name].top
        levels[name] = int((levels[name] + rng.integers(1, top + 1)) % (top + 1))  # always a real change
        steps.append((name, levels[name]))

    def in_place(step):
        name, level = step
        simulator._cache.clear()  # measure the model every time, not the cache
        simulator.levels[name].value = level

    def rebuild(step):
        name, level = step
        baseline._cache.clear()
        baseline.levels[name].value = level
        baseline._compute()
        baseline._build_figure()
        plotting.img_tag(baseline.figure, baseline.describe())
        baseline._update_text()

    return timed(in_place, steps, "simulator"), timed(rebuild, steps, "simulator baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=60, help="control moves measured per benchmark (at least 50)")
    arguments = parser.parse_args()
    count = max(arguments.interactions, 50)
    requests = model.synthetic_requests()
    rows = [
        ("MetadataExplorer: record menu (report, stars, DCAT-AP status from the model)", *bench_explorer(count), "explorer"),
        ("PublishSimulator: generalisation levels (k, ℓ, loss and verdict on 4 000 requests)", *bench_simulator(count, requests), "simulator"),
    ]
    print(f"Module 4 simulations: {count} interactions each (model + in-place redraw + render), after {WARM_UP} warm-up moves.")
    print("Avignon's 23 metadata records; 4 000 synthetic service requests, with the simulator's cache emptied before every move.\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Interactive simulations of module 2, built on :mod:`modules.project_management.model`.

Each simulation receives model inputs, builds its controls with
:func:`modules.common.views.widgets.slider`, draws once, and then, at every change of a control, asks
the model for the new result, moves the existing plot artists (``set_height``, ``set_xdata``,
``set_width``, ``set_text``) and calls :meth:`modules.common.views.widgets.FigureView.refresh`.
Nothing is replotted, and the views compute no schedule: the model does.

- :class:`ScheduleRiskSimulator`: widen or narrow the three-point estimates of groups of tasks,
  choose the number of runs and the deadline, and read the Monte Carlo end dates (P50, P80, the
  chance of meeting the deadline) and the tasks most often on the critical path.
- :class:`EarnedValueDashboard`: set the status date, the share of the work done and the money
  spent, and read PV, EV, AC, CPI, SPI and the forecast cost at completion (EAC).

Display a simulation by making ``simulator.widget`` the last expression of a notebook cell.
Tests and scripts read ``simulator.result`` (or ``dashboard.earned_value``), the plotted artists,
``simulator.verdict.value`` and ``simulator.describe()`` (the alt text).
"""

from __future__ import annotations

import html
import math
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import MaxNLocator

from modules.common.formatting import format_euros
from modules.common.i18n import translator
from modules.common.views import plotting
from modules.common.views.widgets import FigureView, freeze_layout, slider, verdict
from modules.project_management import model
from modules.project_management.model import wording

_ = translator(__name__)

#: Widening factor of the uncertainty sliders: (minimum, maximum, step). 1 = the estimates as given,
#: 0 = every estimated task takes its most likely duration, 2 = twice the estimated spread.
SPREAD_RANGE = (0.0, 2.0, 0.1)
#: Number of Monte Carlo runs: (minimum, maximum, step). The maximum keeps one slider move (model
#: and redraw) under 100 ms at the 95th percentile on a 30-task network: see
#: bench/bench_project_management_widgets.py.
RUNS_RANGE = (1_000, 10_000, 1_000)
#: Bars of the histogram of end dates (their number never changes: they are moved and resized).
HISTOGRAM_BINS = 60
#: Most tasks shown in the bar chart of critical shares (a larger network shows its most often critical ones).
SHOWN_TASKS = 16
#: Longest task name shown in the bar chart (longer ones are cut with "…"; the texts give them whole).
LABEL_CHARACTERS = 28
#: Results kept per simulator, so that moving back to a setting is instant.
CACHE_SIZE = 256


def _thousands(number: float) -> str:
    """``2000`` → ``'2 000'`` (the course's thousands separator; a narrow no-break space in French)."""
    return wording.grouped(number)


def _share(fraction: float) -> str:
    """A share of runs as a whole per cent, never rounding a near-certainty to 0 % or 100 %."""
    if 0 < fraction < 0.005:
        return _("under 1 %")
    if 0.995 <= fraction < 1:
        return _("over 99 %")
    return wording.percent(fraction)


def _day(value: float) -> int:
    """The working day by which ``value`` (a duration in working days) is over: 141.2 → 142."""
    return int(math.ceil(value - 1e-9))


def _working_days(count: int) -> str:
    return _("{count} working day", count=count) if count == 1 else _("{count} working days", count=count)


def _list(items: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'`` (``'a, b et c'``)."""
    items = list(items)
    return items[0] if len(items) == 1 else _("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARACTERS else name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _bin_width(span: float, count: int) -> float:
    """The smallest of 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50… days that covers ``span`` in ``count`` bins."""
    needed = max(span, 1e-9) / count
    magnitude = 10 ** math.floor(math.log10(needed))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= needed - 1e-12:
            return max(factor * magnitude, 0.5)
    return 10 * magnitude  # pragma: no cover - the loop always returns



# ---------------------------------------------------------------------------------------------
# Schedule risk (Monte Carlo)
# ---------------------------------------------------------------------------------------------


class ScheduleRiskSimulator:
    """Simulate a project's end date many times and read its risk, with sliders for the uncertainty.

    Parameters
    ----------
    network : model.Network
        The tasks and their dependencies (durations in working days).
    estimates : mapping of task name → model.ThreePoint
        Three-point estimates (optimistic, most likely, pessimistic working days). Tasks without one
        keep the fixed duration of the network.
    runs : int
        Starting number of Monte Carlo runs (within ``runs_range``).
    seed : int
        Seed of the random draws. It never changes while the sliders move, so the page always shows
        the same result for the same settings, and a slider move shows its own effect, not noise.
    deadline : float, optional
        The deadline, as a working day counted from the start (day 0). By default, the end of the
        plan in which every task takes its most likely duration.
    groups : mapping of group label → task names, optional
        One uncertainty slider per group, widening the estimates of all its tasks together (see
        :meth:`model.ThreePoint.widened`). By default, one slider per estimated task. Estimated tasks that
        are in no group keep their estimates.
    name : str, optional
        Name of the project, used in the title and the alt text (``"the school renovation"``); by
        default "the project", in the learner's language.
    deadline_name : str, optional
        How the text names the deadline: ``"the council's deadline"``, ``"the contract's deadline"``;
        by default "the deadline", in the learner's language.
    distribution : str
        ``"triangular"`` or ``"pert"``, passed to :func:`model.simulate`.
    runs_range : tuple
        (minimum, maximum, step) of the runs slider.

    ``result`` is the current :class:`model.SimulationResult`; ``bars`` the histogram bars (share of
    runs ending in each bin, %), ``lines`` the P50, P80 and deadline lines, and
    ``critical_bars`` the share of runs in which each task of ``shown_tasks`` is critical (%), in the
    network's order: every task that is not a milestone, or, in a network of more than
    ``SHOWN_TASKS`` of them, those most often critical with any one slider at either end.
    """

    def __init__(
        self,
        network: "model.Network",
        estimates: Mapping[str, "model.ThreePoint"],
        runs: int = 2_000,
        seed: int = 2024,
        deadline: float | None = None,
        groups: Mapping[str, Sequence[str]] | None = None,
        name: str | None = None,
        deadline_name: str | None = None,
        distribution: str = "triangular",
        runs_range: tuple[int, int, int] = RUNS_RANGE,
    ):
        if not isinstance(network, model.Network):
            raise TypeError(_("network must be a model.Network, for example model.Network([model.Task('Survey', 5), ...])."))
        self.network = network
        self.base_estimates = self._checked_estimates(network, estimates)
        self.groups = self._checked_groups(groups, self.base_estimates)
        low, high, step = runs_range
        if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or not low <= runs <= high:
            raise ValueError(_(
                "runs must be a whole number of runs between {low} and {high} "
                "(the range of the runs slider, which keeps each move fast), not {runs}.",
                low=_thousands(low), high=_thousands(high), runs=repr(runs),
            ))
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(_("seed must be a whole number, for example 2024, not {seed}.", seed=repr(seed)))
        self.seed = int(seed)
        self.distribution = distribution
        self.name = _("the project") if name is None else name
        self.deadline_name = _("the deadline") if deadline_name is None else deadline_name
        self._cache: dict[tuple, model.SimulationResult] = {}

        if deadline is not None and (isinstance(deadline, bool) or not isinstance(deadline, (int, float, np.number)) or not math.isfinite(deadline) or deadline < 0):
            raise ValueError(_("deadline must be a working day counted from the start (a number ≥ 0), not {deadline}.", deadline=repr(deadline)))
        # Milestones (zero duration, no estimate) are critical whenever their chain is: they are not named.
        durations = {task.name: task.duration for task in network.tasks}
        self.milestones = [task for task in network.names if durations[task] == 0 and task not in self.base_estimates]

        self.spread_sliders: dict[str, widgets.FloatSlider] = {
            label: slider(_("{group}: spread", group=label), 1.0, *SPREAD_RANGE, unit=_("× estimate"), readout_format=".1f") for label in self.groups
        }
        self.runs_slider = slider(
            _("Number of runs"), float(runs), float(low), float(high), float(step), unit=_("simulated projects"), readout_format=".0f"
        )
        self.result = self.simulate(self.factors, self.runs)
        #: End of the plan in which every task takes its most likely duration (working days, from the model).
        self.plan_finish = float(self.result.plan_duration)

        self._usual = self._usual_results()
        finishes = np.concatenate([result.finish for result in self._usual])
        deadline_low = math.floor(min(finishes.min(), self.plan_finish, deadline if deadline is not None else math.inf))
        deadline_high = math.ceil(max(finishes.max(), deadline if deadline is not None else -math.inf))
        start_deadline = float(round(deadline)) if deadline is not None else float(_day(self.plan_finish))
        self.deadline_slider = slider(
            _("Deadline"), start_deadline, float(deadline_low), float(deadline_high), 1.0, unit=_("working day"), readout_format=".0f"
        )
        self._x_usual = (float(deadline_low), float(deadline_high))
        self._peak_key = None
        self.shown_tasks = self._choose_shown_tasks()

        self.verdict = verdict()
        self._build_figure()
        self.figure_view = FigureView(
            self.figure,
            self.describe,
            dynamic_artists=[*self.bars, *self.lines.values(), *self.critical_bars],
        )
        self._update_verdict()
        for control in (*self.spread_sliders.values(), self.runs_slider, self.deadline_slider):
            control.observe(self._on_change, names="value")
        title = _("Schedule risk of {name}", name=self.name)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<b>{html.escape(title)}</b>"),
                *self.spread_sliders.values(),
                self.runs_slider,
                self.deadline_slider,
                self.verdict,
                self.figure_view.widget,
            ]
        )

    # -- inputs --------------------------------------------------------------------------------
    @staticmethod
    def _checked_estimates(network, estimates) -> dict[str, "model.ThreePoint"]:
        if not isinstance(estimates, Mapping):
            raise TypeError(_("estimates must map task names to model.ThreePoint(optimistic, most_likely, pessimistic)."))
        if not estimates:
            raise ValueError(_("Give at least one task a three-point estimate: without uncertainty every run ends on the same day."))
        checked = {}
        for task, estimate in estimates.items():
            if task not in network.index:
                raise ValueError(_("Task {task} has an estimate but is not in the network: add it or fix the name.", task=repr(task)))
            if isinstance(estimate, (tuple, list)) and len(estimate) == 3:
                estimate = model.ThreePoint(*estimate)  # the model's own checks and messages
            if not isinstance(estimate, model.ThreePoint):
                raise TypeError(_(
                    "The estimate of {task} must be a model.ThreePoint(optimistic, most_likely, pessimistic) "
                    "or a tuple (optimistic, most likely, pessimistic), in working days, not {estimate}.",
                    task=repr(task), estimate=repr(estimate),
                ))
            checked[task] = estimate
        return checked

    def _checked_groups(self, groups, estimates) -> dict[str, list[str]]:
        if groups is None:
            return {task: [task] for task in self.network.names if task in estimates}
        if not isinstance(groups, Mapping) or not groups:
            raise ValueError(_("groups must map a group label to the names of its tasks, for example {'Roof': ['Strip roof', 'New roof']}."))
        checked: dict[str, list[str]] = {}
        owner: dict[str, str] = {}
        for label, tasks in groups.items():
            tasks = [tasks] if isinstance(tasks, str) else list(tasks)
            if not tasks:
                raise ValueError(_("Group {group} has no task: give it at least one.", group=repr(label)))
            for task in tasks:
                if task not in self.network.index:
                    raise ValueError(_(
                        "Task {task} of group {group} is not in the network: add it or fix the name.", task=repr(task), group=repr(label)
                    ))
                if task not in estimates:
                    raise ValueError(_(
                        "Task {task} of group {group} has no three-point estimate: its duration is fixed, "
                        "so widening its spread would change nothing. Give it an estimate or leave it out.",
                        task=repr(task), group=repr(label),
                    ))
                if task in owner:
                    raise ValueError(_(
                        "Task {task} is in two groups, {first} and {second}: put it in one.",
                        task=repr(task), first=repr(owner[task]), second=repr(label),
                    ))
                owner[task] = label
            checked[str(label)] = tasks
        return checked

    @property
    def factors(self) -> dict[str, float]:
        """The widening factor of each group, as set by its slider (1 = the estimates as given)."""
        return {label: float(control.value) for label, control in self.spread_sliders.items()}

    @property
    def runs(self) -> int:
        """The number of Monte Carlo runs set by the slider."""
        return int(round(self.runs_slider.value))

    @property
    def deadline(self) -> float:
        """The deadline set by the slider, as a working day counted from the start."""
        return float(self.deadline_slider.value)

    def estimates_for(self, factors: Mapping[str, float]) -> dict[str, "model.ThreePoint"]:
        """The estimates with each group's spread multiplied by its factor (:meth:`model.ThreePoint.widened`)."""
        estimates = dict(self.base_estimates)
        for label, tasks in self.groups.items():
            factor = float(factors[label])
            if factor != 1:
                for task in tasks:
                    estimates[task] = estimates[task].widened(factor)
        return estimates

    @property
    def estimates(self) -> dict[str, "model.ThreePoint"]:
        """The estimates the current simulation uses (after the uncertainty sliders)."""
        return self.estimates_for(self.factors)

    # -- model ---------------------------------------------------------------------------------
    def simulate(self, factors: Mapping[str, float], runs: int) -> "model.SimulationResult":
        """The model's simulation for these group factors and this number of runs (cached)."""
        key = (tuple(sorted((label, round(float(value), 6)) for label, value in factors.items())), int(runs))
        if key not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = model.simulate(
                self.network, self.estimates_for(factors), runs=int(runs), seed=self.seed, distribution=self.distribution
            )
        return self._cache[key]

    def _usual_results(self) -> list:
        """Results with each slider in turn at either end of its range (the others as now), and with all at the top.

        The axes are sized for all of them, so most slider moves change no axis limit and the figure
        is redrawn by moving its bars and lines only; an axis grows only for results beyond them.
        With every spread at its top the runs are the widest they can be (a wider spread moves each
        draw away from the most likely duration), so the x axis holds every combination of sliders.
        The price is a histogram that fills only part of its axes at the default settings.
        """
        results = [self.result]
        for label in self.groups:
            for end in SPREAD_RANGE[:2]:
                results.append(self.simulate({**self.factors, label: end}, self.runs))
        results.append(self.simulate({label: SPREAD_RANGE[1] for label in self.groups}, self.runs))
        return results

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the result of the current settings, move the plot, rewrite the verdict."""
        self.result = self.simulate(self.factors, self.runs)
        self._redraw()
        self._update_verdict()

    def _choose_shown_tasks(self) -> list[str]:
        candidates = [task for task in self.network.names if task not in self.milestones]
        if not candidates:
            raise ValueError(_("The network has only milestones (zero durations): give its tasks durations."))
        if len(candidates) <= SHOWN_TASKS:
            return candidates
        most = pd.concat([result.critical_share.reindex(candidates) for result in self._usual], axis=1).max(axis=1)
        chosen = set(most.sort_values(ascending=False, kind="stable").index[:SHOWN_TASKS])
        return [task for task in candidates if task in chosen]

    def ranked_tasks(self) -> pd.Series:
        """Share of runs in which each task is critical, most often critical first (milestones left out).

        Ties keep the network's order (topological), so the ranking is stable.
        """
        share = self.result.critical_share.reindex(self.network.names).fillna(0.0).drop(self.milestones)
        order = np.argsort(-share.to_numpy(), kind="stable")
        return share.iloc[order]

    # -- figure --------------------------------------------------------------------------------
    def _bins(self) -> tuple[tuple[float, float], np.ndarray]:
        """The x-axis limits and the edges of the histogram's bins, for the usual range and the current runs.

        The limits are round days around every usual end date (and every possible deadline); the
        ``HISTOGRAM_BINS`` bins have a round width (days) and cover at least those limits, so no run
        is ever left out of the histogram.
        """
        low, high = self._x_usual
        finish = self.result.finish
        low, high = min(low, float(finish.min())), max(high, float(finish.max()))
        pad = 0.04 * max(high - low, 1.0)
        ticks = MaxNLocator(nbins=8, integer=True).tick_values(low - pad, high + pad)
        limits = (float(ticks[0]), float(ticks[-1]))
        span = limits[1] - limits[0]
        width = _bin_width(span, HISTOGRAM_BINS)
        start = math.floor(limits[0] / width) * width
        while start + HISTOGRAM_BINS * width < limits[1]:
            width = _bin_width(width * HISTOGRAM_BINS * 1.0001, HISTOGRAM_BINS)
            start = math.floor(limits[0] / width) * width
        return limits, start + width * np.arange(HISTOGRAM_BINS + 1)

    def _heights(self, edges: np.ndarray, finish: np.ndarray) -> np.ndarray:
        counts, _edges = np.histogram(finish, bins=edges)
        return counts / len(finish) * 100

    def _top(self, peak: float) -> float:
        """Top of the histogram's y axis (share of runs, %): a round value above ``peak``, at most 100 %."""
        ticks = MaxNLocator(nbins=4).tick_values(0, max(peak * 1.08, 1.0))
        return min(float(ticks[-1]), 100.0)

    def _build_figure(self) -> None:
        shown = len(self.shown_tasks)
        with matplotlib.rc_context(plotting.STYLE):
            title = _("When does {name} end? Simulated end dates", name=self.name)
            figure, hist_axes = plotting.new_figure(
                title, _("End of the works (working days after the start)"), _("Share of runs (%)"), size=(6.6, 4.6 + 0.25 * shown)
            )
            grid = figure.add_gridspec(2, 1, height_ratios=[3.0, 0.55 + 0.24 * shown])
            hist_axes.set_subplotspec(grid[0])
            critical_axes = figure.add_subplot(grid[1])
            hist_axes.set_title("")
            figure.suptitle(title, fontweight="bold", fontsize=13)
            critical_title = (
                _("How often each task is critical") if shown == len(self.network.names) - len(self.milestones)
                else _("How often each task is critical (the {count} most often)", count=shown)
            )
            critical_axes.set_title(critical_title, y=1.0, fontsize=11)
        critical_axes.set_xlabel(_("Share of runs in which the task is critical (%)"))
        plotting.localise_ticks(critical_axes)

        limits, edges = self._bins()
        self._edges = edges
        width = edges[1] - edges[0]
        self.bars = hist_axes.bar(
            edges[:-1], self._heights(edges, self.result.finish), width=width, align="edge",
            color=plotting.PALETTE["sky"], edgecolor="white", linewidth=0.4,
        )
        styles = {
            "p50": dict(color=plotting.PALETTE["blue"], linestyle="--", label=_("P50: half the runs end by then")),
            "p80": dict(color=plotting.PALETTE["orange"], linestyle="-", label=_("P80: 80 % of runs end by then")),
            "deadline": dict(color=plotting.ALERT_COLOUR, linestyle=":", linewidth=2.6, label=_("Deadline")),
        }
        values = {"p50": self.result.p50, "p80": self.result.p80, "deadline": self.deadline}
        self.lines = {key: hist_axes.axvline(values[key], **style) for key, style in styles.items()}
        hist_axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, fontsize=9, borderaxespad=0.2, handlelength=2.2, frameon=False)
        hist_axes.set_xlim(*limits)
        hist_axes.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        hist_axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
        hist_axes.grid(axis="x", visible=False)

        positions = np.arange(shown)[::-1].astype(float)
        self.critical_bars = critical_axes.barh(positions, np.zeros(shown), height=0.62, color=plotting.PALETTE["blue"])
        critical_axes.set_yticks(positions, [_short(task) for task in self.shown_tasks], fontsize=9)
        critical_axes.tick_params(axis="y", length=0)
        critical_axes.set_xlim(0, 102)
        critical_axes.set_xticks([0, 25, 50, 75, 100])
        critical_axes.set_ylim(-0.6, shown - 0.4)
        critical_axes.grid(axis="y", visible=False)
        critical_axes.spines["left"].set_visible(False)

        self.axes = {"histogram": hist_axes, "critical": critical_axes}
        FigureCanvasAgg(figure)  # keep one canvas, so each render reuses its renderer and text cache
        figure.set_layout_engine("constrained", h_pad=0.08)
        self.figure = figure
        hist_axes.set_ylim(0, 100)  # the widest tick labels, for the layout
        freeze_layout(figure)
        self._y_sized = False
        self._set_artists()

    def _set_artists(self) -> None:
        """Move every dynamic artist to the current result, and resize the axes only when needed."""
        result = self.result
        hist_axes = self.axes["histogram"]
        limits, edges = self._bins()
        if not np.array_equal(edges, self._edges):
            width = edges[1] - edges[0]
            for bar, left in zip(self.bars, edges[:-1]):
                bar.set_x(left)
                bar.set_width(width)
            self._edges = edges
        if hist_axes.get_xlim() != limits:
            hist_axes.set_xlim(*limits)
        heights = self._heights(edges, result.finish)
        for bar, height in zip(self.bars, heights):
            bar.set_height(height)
        key = (float(edges[0]), float(edges[-1]))
        if self._peak_key != key:  # the usual peak, for these bins
            self._usual_peak = max(float(self._heights(edges, usual.finish).max()) for usual in self._usual)
            self._peak_key = key
        # The y axis grows when a bar would not fit, and shrinks back only when the bars use less than
        # a third of it: the tall, narrow histograms of small spreads do not make it jump at every move.
        usual_top = self._top(self._usual_peak)
        peak = float(heights.max())
        current = hist_axes.get_ylim()[1]
        if peak * 1.04 > current or not self._y_sized:
            top = self._top(max(self._usual_peak, peak))
        elif current > usual_top and peak * 1.08 <= min(usual_top, current / 3):
            top = usual_top
        else:
            top = current
        if hist_axes.get_ylim() != (0.0, top):
            hist_axes.set_ylim(0, top)
        self._y_sized = True
        for key, value in (("p50", result.p50), ("p80", result.p80), ("deadline", self.deadline)):
            self.lines[key].set_xdata([value, value])

        shares = result.critical_share.reindex(self.shown_tasks).fillna(0.0)
        for bar, share in zip(self.critical_bars, shares):
            bar.set_width(share * 100)

    def _redraw(self) -> None:
        self._set_artists()
        self.figure_view.refresh()

    # -- words ---------------------------------------------------------------------------------
    def often_critical(self, count: int = 3, most: int = 6) -> list[tuple[str, float]]:
        """The ``count`` tasks most often critical (share of runs, 0 to 1), with the tasks tied with the last one.

        Milestones and tasks never critical are left out; ties are kept (up to ``most`` tasks) so that no
        task is named before another one that is as often critical.
        """
        ranked = self.ranked_tasks()
        ranked = ranked[ranked > 0]
        chosen = list(ranked.iloc[:count].items())
        for task, share in ranked.iloc[count:most].items():
            if not chosen or abs(share - chosen[-1][1]) > 1e-12:
                break
            chosen.append((task, share))
        return chosen

    def _left_out(self, critical: list[tuple[str, float]]) -> int:
        """How many tasks are as often critical as the last one named, but were not named."""
        if not critical:
            return 0
        ranked = self.ranked_tasks()
        return int((abs(ranked - critical[-1][1]) <= 1e-12).sum()) - sum(abs(share - critical[-1][1]) <= 1e-12 for _task, share in critical)

    def _critical_phrase(self, critical: list[tuple[str, float]]) -> str:
        """``'Design and Works (each in every run); Roof (in 92 % of the runs)'``: tasks with the same share together."""
        groups: list[tuple[float, list[str]]] = []
        for task, share in critical:
            if groups and abs(groups[-1][0] - share) <= 1e-12:
                groups[-1][1].append(task)
            else:
                groups.append((share, [task]))
        parts = []
        for share, tasks in groups:
            if len(tasks) > 1:
                how = _("each in every run") if share >= 1 else _("each in {share} of the runs", share=_share(share))
            else:
                how = _("in every run") if share >= 1 else _("in {share} of the runs", share=_share(share))
            parts.append(f"{_list(tasks)} ({how})")
        phrase = "; ".join(parts) if any(len(tasks) > 1 for _same, tasks in groups) else _list(parts)
        more = self._left_out(critical)
        if not more:
            return phrase
        return phrase + (_(", and {count} other task as often", count=more) if more == 1 else _(", and {count} other tasks as often", count=more))

    def describe(self) -> str:
        """Alt text of the figure: the runs, P50, P80, the deadline and its chance, the most often critical tasks."""
        result = self.result
        finish = result.finish
        shares = result.critical_share.reindex(self.shown_tasks).fillna(0.0)
        tasks = "; ".join(f"{task} {wording.percent(share)}" for task, share in shares.items())
        critical = self.often_critical()
        often = _("The tasks most often critical are {tasks}.", tasks=self._critical_phrase(critical)) + " " if critical else ""
        return _(
            "Histogram of the end of {name} over {runs} simulated runs (seed {seed}), "
            "from day {first} to day {last} after the start. "
            "Half of the runs end by day {p50} (P50) and 80 % by day {p80} (P80); "
            "{deadline_name}, day {deadline}, is met in {share} of the runs. ",
            name=self.name, runs=_thousands(result.runs), seed=result.seed, first=math.floor(finish.min() + 1e-9),
            last=_day(finish.max()), p50=_day(result.p50), p80=_day(result.p80), deadline_name=self.deadline_name,
            deadline=f"{self.deadline:.0f}", share=_share(result.probability_by(self.deadline)),
        ) + often + _("Bar chart of the share of runs in which each task is critical: {tasks}.", tasks=tasks)

    def verdict_text(self) -> str:
        """The plain-language verdict: P80 against the deadline, P50, the plan, the most often critical tasks."""
        result = self.result
        deadline = self.deadline
        p80 = _day(result.p80)
        gap = p80 - int(round(deadline))
        where = _("{deadline_name} (day {day})", deadline_name=self.deadline_name, day=f"{deadline:.0f}")
        if gap > 0:
            relation = _("{days} after {deadline}", days=_working_days(gap), deadline=where)
        elif gap < 0:
            relation = _("{days} before {deadline}", days=_working_days(-gap), deadline=where)
        else:
            relation = _("right on {deadline}", deadline=where)
        chance = result.probability_by(deadline)
        text = _(
            "With this uncertainty, the works end by day {p80} in 80 % of the runs (P80): {relation}. "
            "Half of the runs end by day {p50} (P50), and the deadline is met in {chance} of the runs.",
            p80=p80, relation=relation, p50=_day(result.p50), chance=_share(chance),
        )
        plan = self.plan_finish
        on_plan = result.probability_by(plan)
        if 0.005 <= on_plan < 0.5:
            text += " " + _(
                "The plan, with every task at its most likely duration, ends on day {day}; only {share} of the runs end by then.",
                day=_day(plan), share=_share(on_plan),
            )
        else:
            text += " " + _(
                "The plan, with every task at its most likely duration, ends on day {day}; {share} of the runs end by then.",
                day=_day(plan), share=_share(on_plan),
            )
        critical = self.often_critical()
        if len(critical) > 1:
            text += " " + _("The tasks most often on the critical path are {tasks}: watch them first.", tasks=self._critical_phrase(critical))
        elif critical:
            text += " " + _("The task most often on the critical path is {task}: watch it first.", task=self._critical_phrase(critical))
        text += " " + _(
            "({runs} runs with the fixed seed {seed}: the same settings always give the same figures.)",
            runs=_thousands(result.runs), seed=result.seed,
        )
        return text

    def _update_verdict(self) -> None:
        late = _day(self.result.p80) > round(self.deadline)
        colour = f"color:{plotting.ALERT_TEXT_COLOUR};" if late else ""
        self.verdict.value = f'<p style="{colour}font-size:1.05em" role="status">{html.escape(self.verdict_text())}</p>'


# ---------------------------------------------------------------------------------------------
# Earned value
# ---------------------------------------------------------------------------------------------

#: Top of the CPI and SPI axis: larger indices leave the chart (their label gives them).
INDEX_AXIS_CAP = 2.0


class EarnedValueDashboard:
    """Follow a project with earned value: where should it be, what has it done, what has it cost?

    Parameters
    ----------
    bac : float
        Budget at completion, €.
    planned_curve : pandas.Series
        Planned value (cumulative budget of the work scheduled, €) indexed by time since the start,
        in ``time_unit``, increasing; it never decreases and ends at ``bac``.
    status : float, optional
        Starting status date, in ``time_unit`` (by default the middle of the plan).
    percent_done : float, optional
        Starting share of the work done, % (by default the share planned at the status date).
    spent : float, optional
        Starting money spent at the status date, € (by default the earned value: on budget), rounded
        to the slider's step (a round number of k€, or of M€ for a budget of 5 M€ or more, near 1/200
        of the slider's range).
    spent_max : float, optional
        Top of the money-spent slider, € (1.5 × ``bac`` by default).
    name : str, optional
        Name of the project, for the title and the alt text (by default "the project", in the
        learner's language).
    time_unit : str
        Unit of the curve's index, singular: ``"working day"``, ``"week"``, ``"month"`` (shown in the
        learner's language; another unit is shown as given).

    ``earned_value`` is the current :class:`model.EarnedValue`; ``markers`` the PV, EV and AC points,
    ``forecast`` the line from the actual cost to the EAC, ``index_bars`` the CPI and SPI bars. The
    verdict is the model's :meth:`model.EarnedValue.verdict`, after a line giving the status.
    """

    def __init__(
        self,
        bac: float,
        planned_curve: pd.Series,
        status: float | None = None,
        percent_done: float | None = None,
        spent: float | None = None,
        spent_max: float | None = None,
        name: str | None = None,
        time_unit: str = "working day",
    ):
        if isinstance(bac, bool) or not isinstance(bac, (int, float, np.number)) or not math.isfinite(bac) or bac <= 0:
            raise ValueError(_("bac (the budget at completion) must be a positive amount in euros, not {bac}.", bac=repr(bac)))
        self.bac = float(bac)
        self.planned_curve = self._checked_curve(planned_curve, self.bac)
        self.name = _("the project") if name is None else name
        self.time_unit = time_unit
        self.money_unit = "M€" if self.bac >= 5e6 else "k€"
        self._scale = 1e6 if self.money_unit == "M€" else 1e3
        times = self.planned_curve.index.to_numpy(dtype=float)
        first, last = float(times[0]), float(times[-1])
        gaps = np.diff(times)
        time_step = 1.0 if np.allclose(times, np.round(times)) else float(gaps.min())
        status = (first + last) / 2 if status is None else status
        self._check_number(
            "status", status,
            _("a {unit} between {first} and {last}", unit=wording.time_unit(time_unit), first=wording.general(first), last=wording.general(last)),
            low=first, high=last,
        )
        status = float(round((status - first) / time_step) * time_step + first)
        pv = float(np.interp(status, times, self.planned_curve.to_numpy(dtype=float)))
        percent_done = pv / self.bac * 100 if percent_done is None else percent_done
        self._check_number("percent_done", percent_done, _("a share of the work between 0 and 100 %"), low=0.0, high=100.0)
        spent_max = 1.5 * self.bac if spent_max is None else spent_max
        self._check_number("spent_max", spent_max, _("a positive amount in euros"), low=1e-9, high=math.inf)
        spent = percent_done / 100 * self.bac if spent is None else spent
        self._check_number(
            "spent", spent, _("an amount between 0 and {amount} (spent_max)", amount=format_euros(spent_max, "€")), low=0.0, high=spent_max
        )
        self.spent_max = float(spent_max)
        money_step = 10 ** math.floor(math.log10(spent_max / self._scale / 200))

        self.status_slider = slider(
            _("Status date"), status, first, last, time_step, unit=wording.time_unit(time_unit), readout_format=".0f" if time_step >= 1 else ".1f"
        )
        self.done_slider = slider(_("Work done"), float(round(percent_done)), 0.0, 100.0, 1.0, unit=_("% of all the work"), readout_format=".0f")
        digits = max(0, -int(math.floor(math.log10(money_step))))
        self.spent_slider = slider(
            _("Money spent"), round(spent / self._scale / money_step) * money_step, 0.0, round(spent_max / self._scale / money_step) * money_step,
            money_step, unit=self.money_unit, readout_format=f".{digits}f",
        )
        self._compute()
        self.verdict = verdict()
        self._build_figure()
        self.figure_view = FigureView(
            self.figure,
            self.describe,
            dynamic_artists=[self.status_line, *self.markers.values(), self.forecast, self.eac_label, *self.index_bars, *self.index_labels],
        )
        self._update_verdict()
        for control in (self.status_slider, self.done_slider, self.spent_slider):
            control.observe(self._on_change, names="value")
        title = _("Earned value of {name}: budget {budget}", name=self.name, budget=self._money(self.bac))
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<b>{html.escape(title)}</b>"),
                self.status_slider,
                self.done_slider,
                self.spent_slider,
                self.verdict,
                self.figure_view.widget,
            ]
        )

    # -- inputs --------------------------------------------------------------------------------
    @staticmethod
    def _check_number(name: str, value, what: str, *, low: float, high: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not math.isfinite(value) or not low <= value <= high:
            raise ValueError(_("{name} must be {what}, not {value}.", name=name, what=what, value=repr(value)))

    @staticmethod
    def _checked_curve(curve, bac: float) -> pd.Series:
        if not isinstance(curve, pd.Series):
            raise TypeError(_("planned_curve must be a pandas Series of cumulative planned value (€) indexed by time since the start."))
        if len(curve) < 2:
            raise ValueError(_("planned_curve needs at least two points: the start and the planned end."))
        if not pd.api.types.is_numeric_dtype(curve.index):
            raise ValueError(_("planned_curve must be indexed by time since the start, as numbers (working days, weeks…), not dates or labels."))
        values = pd.to_numeric(curve, errors="coerce")
        if values.isna().any() or not np.isfinite(values.to_numpy(dtype=float)).all():
            raise ValueError(_("planned_curve has missing or non-numeric values: give a planned value in € at every time."))
        if not curve.index.is_monotonic_increasing or curve.index.has_duplicates:
            raise ValueError(_("The times of planned_curve must increase (one planned value per time, in order)."))
        if (values.diff().dropna() < 0).any():
            raise ValueError(_("planned_curve decreases somewhere: planned value is cumulative, so it can only grow or stay level."))
        if values.iloc[0] < 0:
            raise ValueError(_("planned_curve starts below 0 €: planned value is a cumulative budget, never negative."))
        if not math.isclose(values.iloc[-1], bac, rel_tol=1e-6):
            raise ValueError(_(
                "planned_curve ends at {end} but the budget at completion is {bac}: by its end the plan spends the whole budget.",
                end=format_euros(values.iloc[-1], "€"), bac=format_euros(bac, "€"),
            ))
        return values.astype(float)

    @property
    def status(self) -> float:
        """The status date set by the slider, in ``time_unit`` since the start."""
        return float(self.status_slider.value)

    @property
    def planned_value(self) -> float:
        """PV at the status date, €: the planned curve read at that date (linear between its points)."""
        curve = self.planned_curve
        return float(np.interp(self.status, curve.index.to_numpy(dtype=float), curve.to_numpy()))

    @property
    def earned(self) -> float:
        """EV, €: the share of the work done times the budget at completion."""
        return float(self.done_slider.value) / 100 * self.bac

    @property
    def spent(self) -> float:
        """AC, €: the money spent set by the slider."""
        return float(self.spent_slider.value) * self._scale

    def _money(self, amount: float) -> str:
        """``1234567`` → ``'1 235 k€'`` (or ``'12.35 M€'`` for a budget of 5 M€ or more; ``'12,35 M€'`` in French)."""
        if self.money_unit == "k€":
            return f"{wording.grouped(amount / 1e3)}{wording.unit_space()}k€"
        return f"{wording.grouped(amount / 1e6, 2)}{wording.unit_space()}M€"

    # -- model ---------------------------------------------------------------------------------
    def _compute(self) -> None:
        self.earned_value = model.EarnedValue(bac=self.bac, pv=self.planned_value, ev=self.earned, ac=self.spent)

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Ask the model for the indicators, move the markers and bars, re-render, rewrite the verdict."""
        self._compute()
        self._set_artists()
        self.figure_view.refresh()
        self._update_verdict()

    # -- figure --------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        curve = self.planned_curve
        times = curve.index.to_numpy(dtype=float)
        unit = self.money_unit
        with matplotlib.rc_context(plotting.STYLE):
            title = _("Earned value of {name}", name=self.name)
            figure, cost_axes = plotting.new_figure(
                title, _("Time since the start ({units})", units=wording.time_unit(self.time_unit, plural=True)),
                _("Cumulative cost ({unit})", unit=unit), size=(6.6, 6.2),
            )
            grid = figure.add_gridspec(2, 1, height_ratios=[2.6, 1.0])
            cost_axes.set_subplotspec(grid[0])
            index_axes = figure.add_subplot(grid[1])
            cost_axes.set_title("")
            figure.suptitle(title, fontweight="bold", fontsize=13)
            index_axes.set_title(_("Performance indices (1 = as planned)"), y=1.0, fontsize=11)
        plotting.localise_ticks(index_axes)
        scale = self._scale
        cost_axes.plot(times, curve.to_numpy() / scale, color=plotting.PALETTE["blue"], label=_("Planned value (PV)"))
        cost_axes.axhline(self.bac / scale, color=plotting.PALETTE["black"], linewidth=1.0, linestyle="-.", label=_("Budget at completion (BAC)"))
        self._top = max(self.bac * 1.6, self.spent_max * 1.05) / scale
        self._end = float(times[-1])
        self.status_line = cost_axes.axvline(self.status, color=plotting.PALETTE["black"], linestyle=":", linewidth=1.4)
        self.markers = {
            "pv": cost_axes.plot([], [], linestyle="none", marker="o", markersize=8, color=plotting.PALETTE["blue"])[0],
            "ev": cost_axes.plot([], [], linestyle="none", marker="s", markersize=8, color=plotting.PALETTE["green"], label=_("Earned value (EV)"))[0],
            "ac": cost_axes.plot([], [], linestyle="none", marker="^", markersize=9, color=plotting.ALERT_COLOUR, label=_("Actual cost (AC)"))[0],
        }
        self.forecast = cost_axes.plot(
            [], [], linestyle="--", marker="D", markevery=[1], color=plotting.PALETTE["purple"], label=_("Forecast cost (EAC)")
        )[0]
        self.eac_label = cost_axes.text(self._end, 0, "", ha="right", va="bottom", fontsize=9, color="#7A3E66")
        cost_axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=9, borderaxespad=0.3, frameon=False)
        pad = 0.03 * (self._end - times[0])
        cost_axes.set_xlim(times[0] - pad, self._end + pad)
        cost_axes.set_ylim(0, self._top)
        cost_axes.yaxis.set_major_locator(MaxNLocator(nbins=5))

        self.index_bars = index_axes.bar([0, 1], [0, 0], width=0.5, color=plotting.PALETTE["blue"])
        index_axes.axhline(1.0, color=plotting.PALETTE["black"], linewidth=1.0)
        index_axes.set_xticks([0, 1], [_("CPI = EV ÷ AC (cost)"), _("SPI = EV ÷ PV (time)")])
        self.index_labels = [index_axes.text(x, 0, "", ha="center", va="bottom", fontsize=9) for x in (0, 1)]
        index_axes.set_xlim(-0.6, 1.6)
        index_axes.set_ylim(0, INDEX_AXIS_CAP * 1.15)
        index_axes.set_yticks([0, 0.5, 1, 1.5, 2])
        index_axes.set_ylabel(_("Index"))
        index_axes.grid(axis="x", visible=False)

        self.axes = {"cost": cost_axes, "indices": index_axes}
        FigureCanvasAgg(figure)
        figure.set_layout_engine("constrained", h_pad=0.08)
        self.figure = figure
        freeze_layout(figure)
        self._set_artists()

    def _set_artists(self) -> None:
        ev = self.earned_value
        scale = self._scale
        status = self.status
        self.status_line.set_xdata([status, status])
        for key, amount in (("pv", ev.pv), ("ev", ev.ev), ("ac", ev.ac)):
            self.markers[key].set_data([status], [amount / scale])
        eac = ev.eac
        if eac is None or not math.isfinite(eac):
            self.forecast.set_data([], [])
            self.eac_label.set_text(_("EAC: none yet (nothing earned)") if ev.ev == 0 else _("EAC: none yet"))
            self.eac_label.set_position((self._end, self.bac / scale))
        else:
            shown = min(eac / scale, self._top * 0.97)
            self.forecast.set_data([status, self._end], [ev.ac / scale, shown])
            self.eac_label.set_text(
                _("EAC {amount} (off the chart)", amount=self._money(eac)) if eac / scale > shown else _("EAC {amount}", amount=self._money(eac))
            )
            self.eac_label.set_position((self._end, shown + self._top * 0.015))
        for bar, label, value in zip(self.index_bars, self.index_labels, (ev.cpi, ev.spi)):
            if value is None:
                bar.set_height(0)
                label.set_text(_("n/a"))
                label.set_y(0.03)
            else:
                bar.set_height(min(value, INDEX_AXIS_CAP))
                label.set_text(wording.decimal(value, 2))
                label.set_y(min(value, INDEX_AXIS_CAP) + 0.03)

    # -- words ---------------------------------------------------------------------------------
    def _status_text(self) -> str:
        """Where the project stands, in shares (the judgement itself is the model's verdict)."""
        ev = self.earned_value
        end = self.planned_curve.index[-1]
        unit = wording.time_unit(self.time_unit)
        return _(
            "{Unit} {status} of {end}: {done} of the work done, {planned} planned by now, {spent} of the {budget} budget spent.",
            Unit=f"{unit[0].upper()}{unit[1:]}", status=wording.general(self.status), end=wording.general(end),
            done=wording.percent(ev.percent_complete), planned=wording.percent(ev.percent_planned),
            spent=wording.percent(ev.percent_spent), budget=self._money(self.bac),
        )

    def describe(self) -> str:
        """Alt text of the figure, describing the current indicators."""
        ev = self.earned_value
        times = self.planned_curve.index
        eac = ev.eac
        forecast = (
            _("a dashed line goes from the actual cost to the forecast cost at completion (EAC), {eac}, at the planned end", eac=self._money(eac))
            if eac is not None and math.isfinite(eac)
            else _("there is no forecast cost at completion yet")
        )

        def index_text(value):
            return _("not defined yet") if value is None else wording.decimal(value, 2)

        return _(
            "Line chart of the planned value of {name}, the cumulative budget of the work scheduled, from {unit} "
            "{first} to {last}, reaching the budget at completion of {bac}. "
            "At {unit} {status} the planned value is {pv}, the earned value {ev} "
            "and the actual cost {ac}; {forecast}. "
            "Bar chart of the cost performance index (CPI) {cpi} and the schedule performance index (SPI) "
            "{spi}, against a line at 1 (as planned).",
            name=self.name, unit=wording.time_unit(self.time_unit), first=wording.general(times[0]), last=wording.general(times[-1]),
            bac=self._money(self.bac), status=wording.general(self.status), pv=self._money(ev.pv), ev=self._money(ev.ev),
            ac=self._money(ev.ac), forecast=forecast, cpi=index_text(ev.cpi), spi=index_text(ev.spi),
        )

    def verdict_text(self) -> str:
        """The status in figures, then the model's verdict (:meth:`model.EarnedValue.verdict`)."""
        return f"{self._status_text()} {self.earned_value.verdict()}"

    def _update_verdict(self) -> None:
        # No alert colour here: judging CPI and SPI is the model's verdict alone (one statement of each rule).
        self.verdict.value = (
            f'<div style="font-size:1.05em" role="status"><p>{html.escape(self._status_text())}</p>'
            f"<p>{html.escape(self.earned_value.verdict())}</p></div>"
        )

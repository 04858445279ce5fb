"""Tables and figures of lesson 02, *Uncertainty and risk* (book/project_management/02-uncertainty.md).

Views only: each function receives what the model computed (a :class:`~modules.project_management.model.Network`
with its :class:`~modules.project_management.model.ThreePoint` estimates, a
:class:`~modules.project_management.model.SimulationResult`, a
:class:`~modules.project_management.model.PertApproximation`, the tables of
:func:`~modules.project_management.model.extensions`) or what the lesson computed in a visible cell
(the reference class of a new plan), and returns a formatted table (a :class:`pandas.DataFrame` of
text, or a :class:`FullTable` when its cells are long) or an accessible figure (see
:func:`modules.common.views.plotting.show`). None of them draws a duration, runs a pass over the network or
decides which order was extended: the numbers a learner sees are the model's.

Units: the project network is in working days counted from day 0; Avignon's orders are in calendar
days (both ends included), as :mod:`modules.project_management.model.roadworks` counts them. Shares
are fractions (0.8 = 80 %).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.project_management import model
from modules.project_management.model import wording

_ = translator(__name__)

#: Credit of the figures of the fictional project: its durations are the course's assumptions (shown with ``_``).
PROJECT_CREDIT = N_("Fictional project; three-point estimates are the course's assumptions.")

#: Credit of the figures drawn from Avignon's orders (Licence Ouverte asks for producer and date; shown with ``_``).
DATA_CREDIT = N_(
    "Data: Ville d'Avignon, arrêtés travaux avec impact sur la circulation, extraction of 19/02/2022, "
    "Licence Ouverte (Etalab)."
)

#: Colour and style of each vertical line of the histogram of end dates.
LINE_STYLES = {
    "plan": dict(color=plotting.PALETTE["black"], linestyle="-.", linewidth=1.8),
    "p50": dict(color=plotting.PALETTE["blue"], linestyle="--"),
    "p80": dict(color=plotting.PALETTE["orange"], linestyle="-"),
    "deadline": dict(color=plotting.ALERT_COLOUR, linestyle=":", linewidth=2.6),
}


def _percent_ticks() -> FuncFormatter:
    """Tick labels in per cent, written as the course writes shares: ``'80 %'`` (a new formatter per axis)."""
    return FuncFormatter(lambda value, _position: f"{wording.decimal(value, 0)}{wording.unit_space()}%")


# -- formatting -------------------------------------------------------------------------------


def days(value: float, digits: int = 1) -> str:
    """A number of days as the lesson writes it: ``15.0`` → ``'15'``, ``6.666`` → ``'6.7'`` (``digits`` decimals)."""
    value = float(value)
    if math.isclose(value, round(value), abs_tol=1e-9):
        return str(int(round(value)))
    return wording.decimal(value, digits)


def day_reached(value: float) -> int:
    """The working day by which a duration is over, as the simulator says it: ``141.2`` → ``142``."""
    return int(math.ceil(float(value) - 1e-9))


def percent(share: float) -> str:
    """A share as a whole percentage, never rounding a near-certainty to 0 % or 100 %: ``0.357`` → ``'36 %'``."""
    share = float(share)
    if 0 < share < 0.005:
        return _("under 1 %")
    if 0.995 <= share < 1:
        return _("over 99 %")
    return wording.percent(share)


def _milestones(network) -> set[str]:
    return {task.name for task in network.tasks if task.is_milestone}


# -- three-point estimates ----------------------------------------------------------------------


def estimates_table(network, estimates: Mapping) -> FullTable:
    """The project's tasks with their three-point estimates and PERT figures, in the network's order.

    ``network`` is a :class:`model.Network` and ``estimates`` maps task names to
    :class:`model.ThreePoint` (working days). Tasks without an estimate (milestones) show their fixed
    duration. The PERT mean and standard deviation are the estimate's own properties, to one decimal.
    """
    rows = []
    for task in network.tasks:
        estimate = estimates.get(task.name)
        if estimate is None:
            points = [days(task.duration)] * 3
            mean, sd = days(task.duration), "0"
        else:
            points = [days(value) for value in estimate.as_tuple()]
            mean, sd = days(estimate.pert_mean), days(estimate.pert_sd)
        rows.append(
            {
                _("after"): ", ".join(task.predecessors),
                _("optimistic a"): points[0],
                _("most likely m"): points[1],
                _("pessimistic b"): points[2],
                _("PERT mean"): mean,
                _("PERT sd"): sd,
            }
        )
    return FullTable(pd.DataFrame(rows, index=pd.Index(network.names, name=_("task (working days)"))))


def dates_table(plan: float, approximation, chain, result, deadline: float) -> pd.DataFrame:
    """Four ways to date the same project, side by side (working days from day 0).

    ``plan`` is the duration with every task at its most likely value; ``approximation`` the
    :class:`model.PertApproximation` of the network; ``chain`` the :class:`model.SimulationResult` of
    its critical path alone and ``result`` that of the whole network. Columns: the P50, the P80 and
    the chance of finishing by ``deadline`` of each (the plan is a single date, with no chance).
    """
    chance = _("chance of day {day}", day=days(deadline))
    rows = {
        _("Plan: every task at its most likely duration"): {
            "P50": days(plan),
            "P80": days(plan),
            chance: _("not given: a single date"),
        },
        _("PERT shortcut: normal curve on the critical path"): {
            "P50": days(approximation.percentile(0.5)),
            "P80": days(approximation.percentile(0.8)),
            chance: percent(approximation.probability_by(deadline)),
        },
        _("Monte Carlo: the critical path alone"): {
            "P50": days(chain.p50),
            "P80": days(chain.p80),
            chance: percent(chain.probability_by(deadline)),
        },
        _("Monte Carlo: the whole network"): {
            "P50": days(result.p50),
            "P80": days(result.p80),
            chance: percent(result.probability_by(deadline)),
        },
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(_("method (working days)"))


def chance_table(result, days_: Mapping[str, float]) -> pd.DataFrame:
    """The chance that the simulated project ends by each of ``days_`` (label → working day)."""
    return pd.DataFrame(
        {
            _("working day"): [days(day) for day in days_.values()],
            _("chance of finishing by then"): [percent(result.probability_by(day)) for day in days_.values()],
        },
        index=pd.Index(list(days_), name=_("date")),
    )


# -- Monte Carlo ----------------------------------------------------------------------------------


def finish_histogram(result, *, deadline: float | None = None, name: str | None = None, bins: int = 40) -> plotting.AccessibleFigure:
    """Histogram of the simulated project durations with the plan, P50, P80 and the deadline as lines.

    ``result`` is a :class:`model.SimulationResult` (durations in working days); its
    ``plan_duration`` is the plan with every task at its most likely value. ``name`` defaults to
    "the project", in the learner's language.
    """
    name = _("the project") if name is None else name
    finish = result.finish
    fig, ax = plotting.new_figure(
        _("When does {name} end? {runs} simulated projects", name=name, runs=wording.grouped(result.runs)),
        _("End of the project (working days after the start)"),
        _("Share of runs (%)"),
        size=(7.5, 4.4),
    )
    low = min(float(finish.min()), result.plan_duration, deadline if deadline is not None else math.inf)
    high = max(float(finish.max()), deadline if deadline is not None else -math.inf)
    edges = np.linspace(math.floor(low) - 1, math.ceil(high) + 1, bins + 1)
    weights = np.full(len(finish), 100 / len(finish))
    ax.hist(finish, bins=edges, weights=weights, color=plotting.PALETTE["sky"], edgecolor="white", linewidth=0.4)
    lines = {
        "plan": (result.plan_duration, _("Plan (most likely durations): day {day}", day=days(result.plan_duration))),
        "p50": (result.p50, _("P50: day {day}", day=day_reached(result.p50))),
        "p80": (result.p80, _("P80: day {day}", day=day_reached(result.p80))),
    }
    if deadline is not None:
        lines["deadline"] = (deadline, _("Deadline: day {day}", day=days(deadline)))
    for key, (value, label) in lines.items():
        ax.axvline(value, label=label, **LINE_STYLES[key])
    ax.legend(loc="upper right", fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.grid(axis="x", visible=False)
    deadline_text = (
        " " + _("The deadline, day {day}, is met in {share} of the runs.", day=days(deadline), share=percent(result.probability_by(deadline)))
        if deadline is not None
        else ""
    )
    return plotting.show(
        fig,
        alt=_(
            "Histogram of the end of {name} over {runs} simulated runs, from day {first} "
            "to day {last}, skewed to the right. The plan with every task at its most likely "
            "duration ends on day {plan}, which {share} "
            "of the runs meet. Half the runs end by day {p50} (P50), 80 % by day "
            "{p80} (P80).",
            name=name, runs=result.runs, first=math.floor(finish.min()), last=day_reached(finish.max()),
            plan=days(result.plan_duration), share=percent(result.probability_by(result.plan_duration)),
            p50=day_reached(result.p50), p80=day_reached(result.p80),
        ) + deadline_text,
        caption=_("Each bar is the share of simulated projects that end in that interval. {credit}", credit=_(PROJECT_CREDIT)),
    )


def critical_share_chart(result, network, *, name: str | None = None) -> plotting.AccessibleFigure:
    """Horizontal bars: the share of runs in which each task is critical (milestones left out).

    ``result`` is a :class:`model.SimulationResult` of ``network``; tasks keep the network's
    (topological) order, top to bottom, so that parallel branches read side by side. ``name``
    defaults to "the project", in the learner's language.
    """
    name = _("the project") if name is None else name
    milestones = _milestones(network)
    shares = result.critical_share.drop([task for task in result.critical_share.index if task in milestones])
    fig, ax = plotting.new_figure(
        _("How often each task of {name} is critical", name=name),
        _("Share of runs in which the task is on the critical path (%)"),
        _("Task"),
        size=(7.5, 0.9 + 0.32 * len(shares)),
    )
    positions = np.arange(len(shares))[::-1]
    colours = [plotting.ALERT_COLOUR if share >= 0.5 else plotting.PALETTE["blue"] for share in shares]
    ax.barh(positions, shares.to_numpy() * 100, color=colours, height=0.65)
    for position, share in zip(positions, shares):
        ax.text(share * 100 + 1, position, percent(share), va="center", fontsize=8)
    ax.set_yticks(positions, list(shares.index), fontsize=9)
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(_percent_ticks())
    ax.grid(axis="y", visible=False)
    listed = "; ".join(f"{task} {percent(share)}" for task, share in shares.items())
    return plotting.show(
        fig,
        alt=_("Bar chart of the share of {runs} simulated runs in which each task of {name} is critical: {listed}.",
              runs=result.runs, name=name, listed=listed),
        caption=_("Vermillion bars: tasks critical in at least half of the runs. {credit}", credit=_(PROJECT_CREDIT)),
    )


# -- reference class: Avignon's extensions --------------------------------------------------------


def reasons_table(extensions: pd.DataFrame) -> FullTable:
    """The reasons the extensions give, by category: how many extension orders, and their share.

    ``extensions`` is :func:`model.extensions`. Each category shows, as an example, the reason text
    written most often (the shortest when several are written as often), as the order wrote it.
    Categories are named in the learner's language.
    """
    categories = extensions["reason_category"]
    counts = categories.value_counts()
    rows = []
    for category, count in counts.items():
        texts = extensions.loc[categories == category, "reason"].dropna().astype(str)
        if texts.empty:
            example = _("(no reason written)")
        else:
            frequency = texts.value_counts()
            top = frequency[frequency == frequency.max()].index
            example = min(top, key=len)
        rows.append({_("extension orders"): int(count), _("share"): percent(count / len(extensions)), _("example, as written"): example})
    categories = [_(model.REASON_CATEGORY_NAMES[category]) if category in model.REASON_CATEGORY_NAMES else category for category in counts.index]
    return FullTable(pd.DataFrame(rows, index=pd.Index(categories, name=_("reason category"))))


def overrun_histogram(extensions: pd.DataFrame, *, bin_days: int = 7) -> plotting.AccessibleFigure:
    """Histogram of the days each extension added to the planned end (calendar days), with its median and P80.

    ``extensions`` is :func:`model.extensions` (its ``overrun_days`` column); bars are ``bin_days``
    wide, starting at 0.
    """
    added = extensions["overrun_days"].dropna()
    median, p80 = float(added.quantile(0.5)), float(added.quantile(0.8))
    fig, ax = plotting.new_figure(
        _("How many days each extension added"), _("Days added to the planned end (calendar days)"), _("Extension orders"), size=(7.5, 4.0)
    )
    edges = np.arange(0, added.max() + bin_days + 1, bin_days)
    ax.hist(added, bins=edges, color=plotting.PALETTE["sky"], edgecolor="white", linewidth=0.5)
    ax.axvline(median, label=_("median: {days} days", days=days(median)), **LINE_STYLES["p50"])
    ax.axvline(p80, label=_("80 % of extensions add at most {days} days", days=days(p80)), **LINE_STYLES["p80"])
    ax.legend(loc="upper right", fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", visible=False)
    within = int((added <= 2 * bin_days).sum())
    return plotting.show(
        fig,
        alt=_(
            "Histogram of the days added by {count} extension orders, in bars of {bin_days} days: "
            "{within} add at most {twice} days; the median is {median} days and 80 % add at most "
            "{p80} days, but a long tail reaches {longest} days.",
            count=len(added), bin_days=bin_days, within=within, twice=2 * bin_days, median=days(median), p80=days(p80),
            longest=days(added.max()),
        ),
        caption=_("The new end of each extension minus the end planned before it. {credit}", credit=_(DATA_CREDIT)),
    )


def reference_class_chart(chance: pd.Series, *, plan: float, targets: Mapping[float, float]) -> plotting.AccessibleFigure:
    """The chance that works planned for ``plan`` days are over (as far as the orders show) by each day.

    ``chance`` is indexed by the day since the start of the works (calendar days) and holds the
    share (0 to 1) of the reference class whose works were expected to be over by then; ``targets``
    maps a share (0.8) to the first day that reaches it, drawn as dotted guides.
    """
    fig, ax = plotting.new_figure(
        _("Works planned for {days} days: when will they be over?", days=days(plan)),
        _("Days since the works started (calendar days)"),
        _("Chance the works are over (%)"),
        size=(7.5, 4.0),
    )
    ax.step(chance.index, chance.to_numpy() * 100, where="post", color=plotting.PALETTE["blue"])
    ax.axvline(plan, label=_("planned end: day {day}", day=days(plan)), **LINE_STYLES["plan"])
    colours = [plotting.PALETTE["orange"], plotting.ALERT_COLOUR, plotting.PALETTE["purple"]]
    for colour, (share, day) in zip(colours, sorted(targets.items())):
        ax.hlines(share * 100, chance.index[0], day, colors=colour, linestyles=":", linewidth=1.6)
        ax.plot([day], [share * 100], "o", color=colour, label=_("{share}: day {day}", share=wording.percent(share), day=days(day)))
    low = float(chance.iloc[0]) * 100
    ax.set_ylim(max(0.0, math.floor(low / 10) * 10 - 10), 101)
    ax.yaxis.set_major_formatter(_percent_ticks())
    ax.legend(loc="lower right", fontsize=9)
    guides = "; ".join(_("{share} by day {day}", share=wording.percent(share), day=days(day)) for share, day in sorted(targets.items()))
    return plotting.show(
        fig,
        alt=_(
            "Step curve of the chance that works planned for {plan} days are over, by day since their start: "
            "{on_plan} on the planned day {plan}, then rising in steps to "
            "{last} by day {last_day}. Guides: {guides}.",
            plan=days(plan), on_plan=percent(chance.loc[plan]), last=percent(chance.iloc[-1]), last_day=days(chance.index[-1]),
            guides=guides,
        ),
        caption=_("Built from the orders of similar length and their extensions. {credit}", credit=_(DATA_CREDIT)),
    )

"""Crashing: buying days back by speeding tasks up, within a budget, to meet a deadline.

A council can often shorten a task by paying more (extra crews, night or weekend work, a bonus for
early delivery). Each crashable task has a cost per working day saved (€/day) and a most it can be
shortened by (days). A crash plan says how many days to take off each task. Shortening a task only
helps if the task is (often) critical; shortening a task with float buys nothing. Because the
durations are uncertain, a plan is judged on its P80: the duration met in 80 % of the simulated
projects must not exceed the deadline, and the plan must cost no more than the budget.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from modules.common.i18n import N_, translator

from .earned_value import _euros
from .network import Network, _check_network, _is_number
from .risk import SimulationResult, ThreePoint, _check_estimates, simulate
from .wording import decimal, general, percent

_ = translator(__name__)


@dataclass(frozen=True)
class CrashOption:
    """How a task can be sped up: ``cost_per_day`` (€ per working day saved, 0 or more) and
    ``max_days`` (the most working days it can be shortened by, 0 or more)."""

    cost_per_day: float
    max_days: float

    def __post_init__(self) -> None:
        for label, unit in (("cost_per_day", N_("€ per day saved")), ("max_days", N_("working days"))):
            value = getattr(self, label)
            if not _is_number(value) or not math.isfinite(value) or value < 0:
                raise ValueError(_("{label} is {value}: give a finite number of {unit}, 0 or more.", label=label, value=repr(value), unit=_(unit)))
            object.__setattr__(self, label, float(value))


def _plan_days(name: str, days) -> float:
    if not _is_number(days) or not math.isfinite(days):
        raise ValueError(_("The plan gives {days} days for {name}: give a number of working days, 0 or more.", days=repr(days), name=repr(name)))
    if days < 0:
        raise ValueError(_(
            "The plan gives {days} days for {name}: a task cannot be slowed down here, give 0 or more days.",
            days=general(days), name=repr(name),
        ))
    return float(days)


def _check_plan_mapping(plan) -> Mapping:
    if plan is None:
        return {}
    if not isinstance(plan, Mapping):
        raise ValueError(_("Give the plan as a mapping {task name: working days saved}, for example {'Works': 3}."))
    return plan


def _shorten(estimate: ThreePoint, days: float) -> ThreePoint:
    return ThreePoint(*(max(0.0, value - days) for value in estimate.as_tuple()))


def apply_crash(
    network: Network,
    estimates: Mapping[str, ThreePoint],
    plan: Mapping[str, float],
    options: Mapping[str, CrashOption] | None = None,
) -> dict[str, ThreePoint]:
    """The estimates after the plan: each planned task's three points shortened by its planned days.

    No value goes below 0 days. A task of the plan without an estimate keeps its fixed duration,
    shortened the same way (it appears in the result as a certain ``ThreePoint``). Tasks not in the
    plan are returned unchanged. When ``options`` is given, the plan is first checked against it:
    every planned task must have a :class:`CrashOption` and at most its ``max_days``. Raises a
    ValueError naming the task otherwise (use :func:`check_plan` to get these as feedback instead).
    """
    network = _check_network(network)
    checked = _check_estimates(network, estimates)
    plan = _check_plan_mapping(plan)
    crashed = dict(checked)
    for name, days in plan.items():
        if name not in network.index:
            raise ValueError(_(
                "The plan names {name}, which is not a task of the network: fix the name (tasks: {tasks}).",
                name=repr(name), tasks=", ".join(network.names),
            ))
        days = _plan_days(name, days)
        if options is not None:
            if name not in options:
                raise ValueError(_("{name} cannot be sped up (it has no crash option): remove it from the plan.", name=repr(name)))
            allowed = options[name].max_days
            if days > allowed + 1e-9:
                raise ValueError(_(
                    "The plan speeds {name} up by {days} days, but at most {allowed} are possible: plan {allowed} days or fewer.",
                    name=repr(name), days=general(days), allowed=general(allowed),
                ))
        base = checked.get(name, ThreePoint.fixed(network.tasks[network.index[name]].duration))
        crashed[name] = _shorten(base, days)
    return crashed


def crash_cost(options: Mapping[str, CrashOption], plan: Mapping[str, float]) -> float:
    """Cost of a plan (€): the sum of days × cost per day over the planned tasks (ValueError if one has no option)."""
    plan = _check_plan_mapping(plan)
    total = 0.0
    for name, days in plan.items():
        if name not in options:
            raise ValueError(_("{name} cannot be sped up (it has no crash option): remove it from the plan.", name=repr(name)))
        total += _plan_days(name, days) * options[name].cost_per_day
    return total


@dataclass(frozen=True, eq=False)
class PlanCheck:
    """The verdict on a crash plan.

    Attributes
    ----------
    meets : bool
        True when the plan is valid, costs no more than the budget and its P80 meets the deadline.
    cost : float
        Cost of the plan (€), days × cost per day over the crashable tasks of the plan.
    p80 : float
        Project duration (working days) met in ``percentile`` of the runs with the plan applied
        (the P80 with the default ``percentile=0.8``).
    deadline : float
        The deadline (working days from the start).
    budget : float
        The budget for speeding up (€).
    problems : list of str
        Plain-language reasons why the plan fails (empty when it meets).
    percentile : float
        The share of runs the deadline must be met in (0.8).
    plan : dict
        The plan as given.
    result : SimulationResult
        The simulation of the plan (critical shares, the whole distribution).
    """

    meets: bool
    cost: float
    p80: float
    deadline: float
    budget: float
    problems: list = field(default_factory=list)
    percentile: float = 0.8
    plan: dict = field(default_factory=dict)
    result: SimulationResult | None = None

    def __repr__(self) -> str:
        return (
            f"PlanCheck(meets={self.meets}, cost={self.cost:g}, p80={self.p80:.2f}, deadline={self.deadline:g}, "
            f"budget={self.budget:g}, problems={self.problems!r})"
        )

    @property
    def days_late(self) -> float:
        """How many working days the P80 misses the deadline by (0 if it meets it)."""
        return max(0.0, self.p80 - self.deadline)

    @property
    def over_budget(self) -> float:
        """How many euros the plan costs above the budget (0 if within it)."""
        return max(0.0, self.cost - self.budget)

    def feedback(self) -> str:
        """One paragraph for the learner: the verdict, then every problem (in the learner's language)."""
        share = f"P{round(self.percentile * 100)}"
        if self.meets:
            return _(
                "Your plan meets the deadline: {share} {p80} working days for a deadline of "
                "{deadline}, at a cost of {cost} within the budget of {budget}.",
                share=share, p80=decimal(self.p80, 1), deadline=general(self.deadline),
                cost=_euros(self.cost), budget=_euros(self.budget),
            )
        return _("Your plan does not pass yet.") + " " + " ".join(self.problems)


def check_plan(
    network: Network,
    estimates: Mapping[str, ThreePoint],
    options: Mapping[str, CrashOption],
    plan: Mapping[str, float],
    *,
    budget: float,
    deadline: float,
    runs: int = 10_000,
    seed: int | None = 2024,
    percentile: float = 0.8,
    distribution: str = "triangular",
) -> PlanCheck:
    """Run a crash plan through the model and say whether it meets the deadline within the budget.

    The course's inputs (network, estimates, options, budget, deadline, runs, seed) are checked and
    raise a ValueError when wrong. The plan is the learner's: its mistakes never raise, they become
    ``problems`` in plain words, so a grader can show them:

    - a task that is not in the network, or that cannot be sped up (no crash option);
    - days that are not a number, negative, or more than the task's ``max_days``;
    - a cost above the budget (by how many euros);
    - a P80 later than the deadline (by how many working days), with the tasks most often critical
      that could still be sped up.

    How an invalid entry is simulated: an unknown or non-crashable task, or a day count that is not a
    number 0 or more, is left out; a task planned beyond its ``max_days`` is simulated at
    ``max_days`` but costed at the days asked. ``cost`` counts every crashable task with a valid
    day count. ``meets`` is True only when there is no problem at all.

    The simulation uses the same seed with and without the plan, so two plans are compared on the
    same random draws.
    """
    network = _check_network(network)
    checked = _check_estimates(network, estimates)
    if not isinstance(options, Mapping):
        raise ValueError(_("Give options as a mapping {task name: CrashOption(cost_per_day, max_days)}."))
    for name, option in options.items():
        if name not in network.index:
            raise ValueError(_("options names {name}, which is not a task of the network: fix the name.", name=repr(name)))
        if not isinstance(option, CrashOption):
            raise ValueError(_("The option of {name} is {option}: give CrashOption(cost_per_day, max_days).", name=repr(name), option=repr(option)))
    for label, value in (("budget", budget), ("deadline", deadline)):
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            unit = N_("€") if label == "budget" else N_("working days from the start")
            raise ValueError(_("{label} is {value}: give a finite number of {unit}, 0 or more.", label=label, value=repr(value), unit=_(unit)))
    if not _is_number(percentile) or not 0 < percentile <= 1:
        raise ValueError(_("percentile is {value}: give a fraction between 0 and 1 (0.8 for P80).", value=repr(percentile)))

    problems: list[str] = []
    if not isinstance(plan, Mapping):
        problems.append(
            _("The plan is not a dictionary {task name: days saved}, for example {'Works': 3}: nothing was sped up.")
        )
        plan = {}
    applied: dict[str, float] = {}
    cost = 0.0
    for name, days in plan.items():
        if name not in network.index:
            problems.append(_(
                "{name} is not a task of the network: check the spelling (tasks: {tasks}).", name=repr(name), tasks=", ".join(network.names)
            ))
            continue
        if name not in options:
            problems.append(_("{name} cannot be sped up (it has no crash option): remove it from the plan.", name=repr(name)))
            continue
        if not _is_number(days) or not math.isfinite(days) or days < 0:
            problems.append(_("{name} is planned for {days} days: give a number of working days, 0 or more.", name=repr(name), days=repr(days)))
            continue
        days = float(days)
        allowed = options[name].max_days
        if days > allowed + 1e-9:
            problems.append(_(
                "{name} is sped up by {days} days, but at most {allowed} are possible: plan {allowed} days or fewer.",
                name=repr(name), days=general(days), allowed=general(allowed),
            ))
        applied[name] = min(days, allowed)
        cost += days * options[name].cost_per_day
    if cost > budget + 1e-6:
        problems.append(_(
            "The plan costs {cost}, {over} over the budget of {budget}: speed up fewer days or choose cheaper tasks.",
            cost=_euros(cost), over=_euros(cost - budget), budget=_euros(budget),
        ))

    crashed = apply_crash(network, checked, applied)
    result = simulate(network, crashed, runs=runs, seed=seed, distribution=distribution)
    value = result.percentile(percentile)
    share = f"P{round(percentile * 100)}"
    if value > deadline + 1e-9:
        candidates = [
            name
            for name in result.critical_share.sort_values(ascending=False, kind="stable").index
            if name in options and applied.get(name, 0.0) < options[name].max_days - 1e-9 and result.critical_share[name] > 0
        ][:3]
        if candidates:
            listed = "; ".join(
                _(
                    "{name} (critical in {share} of runs, {more} more days possible at {cost}/day)",
                    name=repr(name), share=percent(result.critical_share[name]),
                    more=general(options[name].max_days - applied.get(name, 0.0)), cost=_euros(options[name].cost_per_day),
                )
                for name in candidates
            )
            hint = " " + _("The tasks most often critical that could still be sped up: {listed}.", listed=listed)
        else:
            hint = " " + _("No task that is ever critical can be sped up further: the deadline cannot be met this way.")
        problems.append(_(
            "The {share} end is {value} working days, {late} days after the deadline of {deadline}.",
            share=share, value=decimal(value, 1), late=decimal(value - deadline, 1), deadline=general(deadline),
        ) + hint)
    return PlanCheck(
        meets=not problems,
        cost=cost,
        p80=value,
        deadline=float(deadline),
        budget=float(budget),
        problems=problems,
        percentile=float(percentile),
        plan=dict(plan),
        result=result,
    )
